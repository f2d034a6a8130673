from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "API conventions shared by every module"

    def ready(self):
        from apps.core import schema  # noqa: F401 - registers the OpenAPI extensions
