"""`manage.py bootstrap_demo`: the demo business and its owner, its WhatsApp number (the sandbox in dev), and a
first inbox written by the sandbox's demo customers. Idempotent; refuses the published demo login with DEBUG off."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from tenants.billing.services import demo_trial_fit, demo_trial_start
from tenants.models import Membership, Role, Tenant, User
from tenants.services import public_site_ensure, tenant_signup, tenant_url


class Command(BaseCommand):
    help = "Create the demo business and its owner (DEMO_TENANT_SLUG, DEMO_EMAIL, DEMO_PASSWORD). Idempotent."

    # The login the repository documents: anyone can read it, so it never guards a real deployment.
    PUBLIC_DEMO_PASSWORD = "convonest-demo"

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true",
                            help="Create the demo even with DEBUG off (a staging or demo server); DEMO_PASSWORD "
                                 "must then be your own, not the documented one.")

    def handle(self, *args, **options):
        if not (settings.DEBUG or getattr(settings, "TESTING", False)):
            if not options["allow_without_debug"]:
                raise CommandError("bootstrap_demo creates a login with a published password; with DEBUG off it "
                                   "runs only with --allow-without-debug (and your own DEMO_PASSWORD).")
            if settings.DEMO_PASSWORD == self.PUBLIC_DEMO_PASSWORD or len(settings.DEMO_PASSWORD) < 12:
                raise CommandError("With DEBUG off, set DEMO_PASSWORD to a password of your own (12+ characters), "
                                   "not the documented demo password.")
        public_site_ensure()
        slug, email, password = settings.DEMO_TENANT_SLUG, settings.DEMO_EMAIL, settings.DEMO_PASSWORD
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            tenant = tenant_signup(business_name="Demo Business", slug=slug, email=email, password=password).tenant
            self.stdout.write(f"created demo business {tenant_url(tenant)}")
        user = User.objects.get(email__iexact=email) if User.objects.filter(email__iexact=email).exists() \
            else User.objects.create_user(email=email, password=password)
        # Keep the documented demo login working even if someone changed it in a previous run.
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": Role.OWNER})
        demo_trial_start(tenant)  # the demo business is on a trial (a fresh one once an old one ran out)
        self._connect_whatsapp(tenant)
        self._calling_enable(tenant, user)
        self._templates_sync(tenant)
        self._customers_write(tenant)
        self._audience_seed(tenant)
        self.stdout.write(f"demo: {tenant_url(tenant)}  login {email} / {password}")

    AUDIENCE_TAG = "demo-audience"

    def _audience_seed(self, tenant) -> None:
        """DEMO_AUDIENCE_SIZE contacts (10,000 by default) in the segment "Demo audience", to try a campaign on (the
        sandbox plays every one of them; +1 415 555 xxxx). The demo then tries the plan that holds them (the trial
        holds 1,000 contacts and messages a month)."""
        from apps.contacts.models import Contact, Segment

        size = settings.DEMO_AUDIENCE_SIZE
        if size <= 0:
            return
        demo_trial_fit(tenant, contacts=size + 100)  # room for the inbox's customers too
        with schema_context(tenant.schema_name):
            if Segment.objects.filter(name="Demo audience").exists():
                return
            names = ["Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Isla", "Jonas"]
            # About 1% opted out of marketing, so the campaign wizard shows its exclusions.
            contacts = [Contact(phone=f"+1415555{i:04d}", name=f"{names[i % 10]} Demo {i}", tags=[self.AUDIENCE_TAG],
                                marketing_consent="opted_out" if i % 97 == 0 else "opted_in")
                        for i in range(size)]
            Contact.objects.bulk_create(contacts, batch_size=2000, ignore_conflicts=True)
            Segment.objects.create(name="Demo audience", description=f"{size:,} demo contacts for trying a campaign",
                                   filter={"all": [{"field": "tags", "op": "any", "value": [self.AUDIENCE_TAG]}]})
        self.stdout.write(f"demo audience: {size:,} contacts in the segment 'Demo audience'")

    def _connect_whatsapp(self, tenant) -> None:
        """Connect WHATSAPP_PHONE_ID to the demo business, verified against the Graph API (the sandbox)."""
        from apps.core.errors import ApplicationError
        from apps.whatsapp.services import bootstrap_connect

        if not (settings.WHATSAPP_ACCESS_TOKEN and settings.WHATSAPP_PHONE_ID and settings.WHATSAPP_BUSINESS_ID):
            return
        with schema_context(tenant.schema_name):
            try:
                numbers = bootstrap_connect(tenant=tenant, waba_id=settings.WHATSAPP_BUSINESS_ID,
                                            phone_number_id=settings.WHATSAPP_PHONE_ID,
                                            access_token=settings.WHATSAPP_ACCESS_TOKEN)
            except ApplicationError as exc:
                self.stderr.write(f"WhatsApp numbers not connected: {exc.detail}")
                return
        shown = ", ".join(n.display_phone_number for n in numbers)
        self.stdout.write(f"WhatsApp numbers {shown} connected to the demo business")

    def _calling_enable(self, tenant, user) -> None:
        """Turn WhatsApp calling on for the demo number, as its owner would in Settings, with a missed-call reply:
        the sandbox's phone page can then call it and the inbox rings (docs/calls.md)."""
        from apps.calls.call_settings import call_settings_update
        from apps.core.errors import ApplicationError
        from apps.whatsapp.models import PhoneNumber
        from tenants.members import member_of

        with schema_context(tenant.schema_name):
            number = PhoneNumber.objects.filter(phone_number_id=settings.WHATSAPP_PHONE_ID).first()
            if number is None:
                return
            try:
                call_settings_update(
                    actor=member_of(user=user, tenant=tenant), number=number,
                    calling={"status": "ENABLED", "callback_permission_status": "ENABLED"},
                    local={"missed_call_reply_enabled": True,
                           "missed_call_reply_text": "Sorry we missed your call! We'll call you back shortly."})
            except ApplicationError as exc:
                self.stderr.write(f"WhatsApp calling not enabled on {number.display_phone_number}: {exc.detail}")
                return
        self.stdout.write(f"WhatsApp calling enabled on {number.display_phone_number}")

    def _templates_sync(self, tenant) -> None:
        """Import the demo account's templates now: connecting enqueued a sync, but the worker may not be up yet,
        and the templates page should list them on first open. Syncing twice changes nothing."""
        from apps.templates.models import TemplateSync
        from apps.templates.sync import templates_sync_now
        from apps.whatsapp.models import BusinessAccount

        with schema_context(tenant.schema_name):
            for waba_id in BusinessAccount.objects.exclude(access_token="").values_list("waba_id", flat=True):
                if TemplateSync.objects.filter(waba_id=waba_id, status=TemplateSync.Status.DONE).exists():
                    continue
                sync = templates_sync_now(waba_id=waba_id, trigger="connect")
                if sync.status == TemplateSync.Status.DONE:
                    self.stdout.write(f"templates of WhatsApp account {waba_id}: {sync.seen} imported")
                else:
                    self.stderr.write(f"templates of WhatsApp account {waba_id} not imported: {sync.error}")

    # The sandbox's demo customers (sandbox/state.py) and what they first say to the demo business.
    DEMO_CUSTOMERS = [("16505550101", "Hi! Has my order #1042 shipped yet?"),
                      ("447700900123", "Do you deliver on Sundays?")]

    def _customers_write(self, tenant) -> None:
        """Fill a new demo inbox the real way: the sandbox's customers write to the first demo number and
        the sandbox delivers signed webhooks (retried until the web server and worker are up)."""
        import httpx

        from apps.messaging.models import Conversation
        from apps.whatsapp.models import PhoneNumber

        with schema_context(tenant.schema_name):
            number = PhoneNumber.objects.order_by("created_at").first()
            if number is None or Conversation.objects.exists():
                return
            phone_number_id = number.phone_number_id
        control = f"{settings.WHATSAPP_GRAPH_URL.rstrip('/')}/_sandbox"
        try:
            for wa_id, text in self.DEMO_CUSTOMERS:
                chat = httpx.get(f"{control}/chats/{phone_number_id}/{wa_id}", timeout=5).json()
                if any(m.get("direction") == "in" for m in chat.get("messages", [])):
                    continue  # already wrote (a webhook may still be on its way)
                httpx.post(f"{control}/customers/{wa_id}/messages", timeout=5, json={
                    "phone_number_id": phone_number_id, "type": "text", "text": {"body": text}}).raise_for_status()
        except httpx.HTTPError as exc:
            self.stderr.write(f"demo customers could not write through the sandbox: {exc}")
            return
        self.stdout.write("demo customers wrote to the demo business (their messages arrive as webhooks)")
