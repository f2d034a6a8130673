"""Custom domains: claim, prove by DNS, serve. A business serves on its verified domain (a Domain row, which
django-tenants resolves like its subdomain); a reseller's verified domain serves its branded console (tenants.hosts).

Proof: a TXT record `convonest-verify=<token>` at `_convonest.<domain>`. Nothing is served before it is seen, and a
domain is claimed by one owner at a time (unique), so nobody can take over a host they don't control, nor squat one
another business already proved.
"""
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core.errors import Conflict
from tenants.branding import dns
from tenants.branding.models import DomainClaim
from tenants.branding.signals import domain_changed
from tenants.models import Domain, Reseller, Tenant

CHALLENGE_PREFIX = "_convonest"
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def challenge_name(claim: DomainClaim) -> str:
    return f"{CHALLENGE_PREFIX}.{claim.domain}"


def challenge_value(claim: DomainClaim) -> str:
    return f"convonest-verify={claim.token}"


def domain_problem(domain: str) -> str | None:
    """Why `domain` can't be claimed (its form, or one of ours); None if it can."""
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return "Enter a domain name such as chat.example.com."
    if labels[-1].isdigit():
        return "Enter a domain name, not an IP address."
    base = settings.BASE_DOMAIN
    if domain == base or domain.endswith("." + base) or domain == settings.PARTNERS_HOST:
        return "This is one of ConvoNest's own addresses."
    return None


def _normalise(domain: str) -> str:
    return domain.strip().lower().rstrip(".")


def claim_list(*, tenant: Tenant | None = None, reseller: Reseller | None = None) -> QuerySet[DomainClaim]:
    return DomainClaim.objects.filter(tenant=tenant, reseller=reseller).order_by("created_at", "id")


def access_claim(claim_id, *, tenant: Tenant | None = None, reseller: Reseller | None = None) -> DomainClaim:
    """The owner's claim; another owner's and a missing one are the same 404."""
    try:
        return claim_list(tenant=tenant, reseller=reseller).get(pk=int(claim_id))
    except (DomainClaim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _changed(claim: DomainClaim, change: str, actor) -> None:
    if claim.tenant_id is not None:  # a business's domain: in its audit log (a reseller's: its own activity)
        domain_changed.send(sender=DomainClaim, tenant=claim.tenant, claim=claim, change=change, actor=actor)


def claim_create(*, domain: str, actor_email: str, tenant: Tenant | None = None,
                 reseller: Reseller | None = None, actor=None) -> DomainClaim:
    domain = _normalise(domain)
    problem = domain_problem(domain)
    if problem:
        raise ValidationError({"domain": [problem]})
    if Domain.objects.filter(domain=domain).exists():
        raise ValidationError({"domain": ["This domain is already in use."]})
    try:
        with transaction.atomic():
            claim = DomainClaim.objects.create(domain=domain, tenant=tenant, reseller=reseller,
                                               token=secrets.token_hex(16), created_by_email=actor_email)
            _changed(claim, "added", actor)
            return claim
    except IntegrityError:
        raise ValidationError({"domain": ["This domain is already claimed."]}) from None


def claim_verify(claim: DomainClaim, *, actor=None) -> DomainClaim:
    """Look for the TXT record now; once found the domain serves. Checking again after that changes nothing."""
    if claim.verified_at is not None:
        return claim
    try:
        found = challenge_value(claim) in [value.strip() for value in dns.txt_records(challenge_name(claim))]
        error = "" if found else (f"The TXT record at {challenge_name(claim)} does not hold "
                                  f"{challenge_value(claim)} yet. DNS changes can take a while to show.")
    except dns.LookupFailed as exc:
        found, error = False, str(exc)
    with transaction.atomic():
        claim = DomainClaim.objects.select_for_update().get(pk=claim.pk)
        claim.last_checked_at, claim.last_error = timezone.now(), error[:300]
        if found and claim.verified_at is None:
            claim.verified_at = claim.last_checked_at
            if claim.tenant_id is not None:
                Domain.objects.get_or_create(domain=claim.domain, defaults={"tenant_id": claim.tenant_id,
                                                                            "is_primary": False})
            _changed(claim, "verified", actor)
        claim.save()
    return claim


@transaction.atomic
def claim_delete(claim: DomainClaim, *, actor=None) -> None:
    """Stop serving the domain (if it did) and forget the claim. The business's own subdomain always stays."""
    if claim.tenant_id is not None:
        served = Domain.objects.filter(domain=claim.domain, tenant_id=claim.tenant_id)
        if served.filter(is_primary=True).exists():
            raise Conflict("This domain is the business's primary address.", code="primary_domain")
        served.delete()
    _changed(claim, "removed", actor)
    claim.delete()


def reseller_for_console_host(hostname: str) -> Reseller | None:
    """The reseller whose verified domain `hostname` is, if any (its branded console)."""
    claim = (DomainClaim.objects.select_related("reseller")
             .filter(domain=hostname, reseller__isnull=False, reseller__is_active=True, verified_at__isnull=False)
             .first())
    return claim.reseller if claim else None
