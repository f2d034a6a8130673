from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"
    verbose_name = "Handlers of Meta's events, run inside the business's schema"

    def ready(self):
        # Ingress (the control plane) imports no tenant app: this app tells it which handler runs each field.
        from apps.webhooks.handlers import ROUTED
        from tenants.ingress.registry import register

        for field, handler in ROUTED.items():
            register(field, handler)
