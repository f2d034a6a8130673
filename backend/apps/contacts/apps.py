from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "apps.contacts"
    label = "contacts"

    def ready(self):
        # The billing page's contacts gauge: the control plane imports no tenant app, so contacts hands it the count.
        from apps.contacts.selectors import contact_list
        from tenants.billing.limits import Limit, gauge_register

        gauge_register(Limit.CONTACTS, lambda: contact_list().count())
