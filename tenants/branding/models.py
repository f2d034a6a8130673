"""White label: a reseller's brand, and custom domains (a business's, or a reseller's console) awaiting or holding DNS
proof of ownership. Public schema, models of the `tenants` app (imported by tenants.models)."""
from django.db import models


class ResellerBrand(models.Model):
    """How a reseller's console and its businesses' app look: name, colour and logo instead of ConvoNest's."""

    reseller = models.OneToOneField("tenants.Reseller", on_delete=models.CASCADE, related_name="brand")
    display_name = models.CharField(max_length=100, blank=True, help_text="Shown instead of ConvoNest")
    primary_color = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    # A small raster logo kept in the row (at most LOGO_MAX_BYTES): one read serves it, no file storage to run.
    logo = models.BinaryField(null=True, blank=True)
    logo_type = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "tenants"

    def __str__(self) -> str:
        return f"brand of reseller {self.reseller_id}"


class DomainClaim(models.Model):
    """A custom domain someone asked for: serves nothing until a TXT record proves they control it. A business's
    verified claim becomes a Domain row (django-tenants then serves the business there); a reseller's serves its
    branded console."""

    domain = models.CharField(max_length=253, unique=True)
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="domain_claims")
    reseller = models.ForeignKey("tenants.Reseller", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="domain_claims")
    token = models.CharField(max_length=64)
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        app_label = "tenants"
        constraints = [models.CheckConstraint(
            condition=models.Q(tenant__isnull=True) ^ models.Q(reseller__isnull=True), name="domain_claim_one_owner")]

    def __str__(self) -> str:
        return self.domain
