from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo business (`manage.py bootstrap_demo`): a tenant-side app, with no models, because it fills a
    business through the tenant apps (WhatsApp numbers, the inbox) that the control plane must not import."""

    name = "apps.demo"
    label = "demo"
    verbose_name = "Demo business bootstrap"
