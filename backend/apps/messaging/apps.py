from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "apps.messaging"
    label = "messaging"

    def ready(self):
        from apps.messaging import receivers  # noqa: F401 - connects the contact signal receivers
