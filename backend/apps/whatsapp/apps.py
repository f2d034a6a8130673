from django.apps import AppConfig


class WhatsappConfig(AppConfig):
    name = "apps.whatsapp"
    label = "whatsapp"

    def ready(self) -> None:
        from apps.whatsapp.selectors import numbers_health
        from tenants.partners.health import summary_register

        summary_register(numbers_health)  # the partner console's view of each business's numbers
