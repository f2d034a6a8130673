from django.apps import AppConfig


class TemplatesConfig(AppConfig):
    name = "apps.templates"
    label = "templates"
    verbose_name = "WhatsApp message templates"
