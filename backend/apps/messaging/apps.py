from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "apps.messaging"
    label = "messaging"

    def ready(self):
        from apps.messaging import receivers  # noqa: F401 - connects the contact signal receivers
        from apps.messaging.selectors import last_activity
        from tenants.partners.health import summary_register

        summary_register(last_activity)  # the partner console's "last activity" of each business
