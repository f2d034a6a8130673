"""What makes a good subdomain for a business."""
import re

from django.conf import settings
from django_tenants.utils import schema_exists

from tenants.models import Domain, Tenant

SLUG_MIN, SLUG_MAX = 3, 40
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def slug_format_problem(slug: str) -> str | None:
    """Why `slug` can't be a subdomain, judging the text alone; None if it can."""
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        return f"Use between {SLUG_MIN} and {SLUG_MAX} characters."
    if not _SLUG_RE.match(slug):
        return "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit."
    if "--" in slug:
        return "Hyphens can't follow each other."
    if slug in settings.RESERVED_SLUGS:
        return "This address is reserved."
    return None


TAKEN = "This address is already taken."


def tenant_schema_for(slug: str) -> str:
    # Hyphens are not allowed unquoted in schema names; slugs have no underscores, so this is 1:1.
    # The prefix keeps clear of PostgreSQL's reserved names (pg_*, public, information_schema).
    return "t_" + slug.replace("-", "_")


def slug_problem(slug: str) -> str | None:
    """Why `slug` can't be taken now (format, reserved, or in use); None if it is free.

    In use includes a schema `t_<slug>` without a Tenant row (a business deleted by hand: Tenant has
    auto_drop_schema=False): signing up on it would hand the old business's data to the new one."""
    problem = slug_format_problem(slug)
    if problem:
        return problem
    domain = f"{slug}.{settings.BASE_DOMAIN}"
    if (Tenant.objects.filter(slug=slug).exists() or Domain.objects.filter(domain=domain).exists()
            or schema_exists(tenant_schema_for(slug))):
        return TAKEN
    return None
