from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "apps.campaigns"
    label = "campaigns"
    verbose_name = "Broadcast campaigns"

    def ready(self) -> None:
        from apps.campaigns.receivers import pause_campaigns_of_suspended_business
        from tenants.partners.services import business_suspended

        business_suspended.connect(pause_campaigns_of_suspended_business, dispatch_uid="campaigns.pause_suspended")
