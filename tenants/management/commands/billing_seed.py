"""Create the plans for sale in Stripe (localstripe in dev) with their fixed ids, and, on localstripe, register
our webhook endpoint. Idempotent: `make dev` runs it at every start (localstripe forgets webhooks on restart)."""
from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.billing import stripe_client
from tenants.billing.models import Plan


class Command(BaseCommand):
    help = "Create the plans in Stripe and (localstripe) register the webhook endpoint."

    def add_arguments(self, parser):
        parser.add_argument("--webhook-url", default="",
                            help="localstripe only: where it should POST events, e.g. http://localhost:8000/webhooks/stripe")

    def handle(self, *args, **options):
        try:
            for plan in Plan.objects.exclude(stripe_price_id=""):
                created = stripe_client.plan_ensure(price_id=plan.stripe_price_id, name=plan.name,
                                                    amount_cents=plan.price_cents, currency=plan.currency)
                self.stdout.write(f"plan {plan.stripe_price_id}: {'created' if created else 'present'}")
            if options["webhook_url"]:
                stripe_client.webhook_register(name="convonest", url=options["webhook_url"],
                                               secret=settings.STRIPE_WEBHOOK_SECRET)
                self.stdout.write(f"webhook: {options['webhook_url']}")
        except Exception as exc:  # noqa: BLE001 - billing is optional in dev: say so, don't stop `make dev`
            self.stderr.write(f"Stripe at {settings.STRIPE_API_BASE} not seeded: {exc}")
