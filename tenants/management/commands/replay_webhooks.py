from django.core.management.base import BaseCommand

from tenants.ingress.replay import webhook_changes_replay


class Command(BaseCommand):
    help = ("Route stored webhook changes again: unroutable ones (their number may be connected now) and failed "
            "ones. With neither --unroutable nor --failed, both. Prints how many events were re-queued.")

    def add_arguments(self, parser):
        parser.add_argument("--unroutable", action="store_true", help="Changes no business owned when received")
        parser.add_argument("--failed", action="store_true", help="Changes whose handler failed")
        parser.add_argument("--event", type=int, nargs="+", action="extend", dest="events", metavar="ID",
                            help="Only these webhook events (ids)")

    def handle(self, *args, unroutable: bool, failed: bool, events, **options):
        if not unroutable and not failed:
            unroutable = failed = True
        count = webhook_changes_replay(unroutable=unroutable, failed=failed, event_ids=events or None)
        self.stdout.write(f"re-queued {count} webhook event(s)")
