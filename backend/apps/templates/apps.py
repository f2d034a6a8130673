from django.apps import AppConfig


class TemplatesConfig(AppConfig):
    name = "apps.templates"
    label = "templates"
    verbose_name = "WhatsApp message templates"

    def ready(self):
        from apps.templates import receivers  # noqa: F401 - connects the receivers
