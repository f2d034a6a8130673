from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Team and sign-in on a business's host"

    def ready(self) -> None:
        from apps.accounts.services import record_domain_change, record_reseller_entry, record_subscription_change
        from tenants.billing.signals import subscription_changed
        from tenants.branding.signals import domain_changed
        from tenants.partners.services import business_entered

        # The control plane's changes to a business, in the business's audit log.
        business_entered.connect(record_reseller_entry, dispatch_uid="accounts.record_reseller_entry")
        domain_changed.connect(record_domain_change, dispatch_uid="accounts.record_domain_change")
        subscription_changed.connect(record_subscription_change, dispatch_uid="accounts.record_subscription_change")
