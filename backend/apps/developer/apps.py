from django.apps import AppConfig


class DeveloperConfig(AppConfig):
    name = "apps.developer"
    label = "developer"
    verbose_name = "Developer platform (API keys, outbound webhooks)"

    def ready(self):
        # The API key's OpenAPI scheme; the receivers of the product apps' signals (outbound events); the tasks.
        from apps.developer import schema, webhook_receivers, webhook_tasks  # noqa: F401
