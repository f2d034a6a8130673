from django.apps import AppConfig


class ConvonestConfig(AppConfig):
    """The deployment itself (settings, URLs, entry points). An app only so that its system checks are registered
    for `manage.py check --deploy` (apps.core, the ground floor, imports nothing of it)."""

    name = "convonest"
    verbose_name = "ConvoNest deployment"

    def ready(self):
        from convonest import checks  # noqa: F401 - registers the deployment checks (manage.py check --deploy)
