from django.core.management.base import BaseCommand, CommandError

from tenants.models import User
from tenants.staff_auth import MAX_TOKEN_MINUTES, platform_token_for


class Command(BaseCommand):
    help = ("Print a short-lived bearer token for the platform staff API (public host) for a staff user, for "
            "scripts. People sign in at /staff/login instead.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--minutes", type=int, default=60, help=f"Lifetime, at most {MAX_TOKEN_MINUTES}")

    def handle(self, *args, email: str, minutes: int, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None or not (user.is_active and user.is_staff):
            raise CommandError(f"{email} is not an active staff user")
        self.stdout.write(platform_token_for(user, minutes=minutes))
