from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "apps.portability"
    label = "portability"
    verbose_name = "The whole business as a download, and its deletion"
