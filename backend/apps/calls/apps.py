from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "apps.calls"
    label = "calls"
    verbose_name = "WhatsApp calls"

    def ready(self) -> None:
        from apps.calls import receivers  # noqa: F401 - connects the permission reply receiver
