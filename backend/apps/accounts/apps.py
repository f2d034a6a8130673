from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Team and sign-in on a business's host"

    def ready(self) -> None:
        from apps.accounts.services import record_reseller_entry
        from tenants.partners.services import business_entered

        business_entered.connect(record_reseller_entry, dispatch_uid="accounts.record_reseller_entry")
