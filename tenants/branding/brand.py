"""A reseller's brand: what its console and its businesses' app show instead of ConvoNest's."""
import re

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from tenants.branding.models import ResellerBrand
from tenants.models import Reseller, Tenant

LOGO_MAX_BYTES = 256 * 1024
# Raster images only, recognised by their first bytes (never the client's word): an SVG can carry script, and the
# logo is served from the same origin as the app.
_LOGO_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def logo_type_of(data: bytes) -> str | None:
    if _webp(data):
        return "image/webp"
    return next((kind for magic, kind in _LOGO_SIGNATURES if data.startswith(magic)), None)


def brand_of(reseller: Reseller) -> ResellerBrand:
    brand, _ = ResellerBrand.objects.get_or_create(reseller=reseller)
    return brand


def brand_update(*, reseller: Reseller, display_name: str | None = None,
                 primary_color: str | None = None) -> ResellerBrand:
    brand = brand_of(reseller)
    if primary_color is not None:
        if primary_color and not _COLOR.match(primary_color):
            raise ValidationError({"primary_color": ["Use a colour like #1f8a70."]})
        brand.primary_color = primary_color.lower()
    if display_name is not None:
        brand.display_name = display_name.strip()
    brand.save()
    return brand


def logo_set(*, reseller: Reseller, data: bytes | None) -> ResellerBrand:
    """Set (or with None, remove) the logo."""
    brand = brand_of(reseller)
    if data is None:
        brand.logo, brand.logo_type = None, ""
    else:
        if len(data) > LOGO_MAX_BYTES:
            raise ValidationError({"logo": [f"The logo must be at most {LOGO_MAX_BYTES // 1024} KB."]})
        kind = logo_type_of(data)
        if kind is None:
            raise ValidationError({"logo": ["Upload a PNG, JPEG or WebP image."]})
        brand.logo, brand.logo_type = data, kind
    brand.save()
    return brand


def brand_view(reseller: Reseller | None) -> dict | None:
    """What the frontend needs to dress a host in the reseller's brand (None: ConvoNest's own)."""
    if reseller is None:
        return None
    brand = ResellerBrand.objects.filter(reseller=reseller).defer("logo").first()
    if brand is None or not (brand.display_name or brand.primary_color or brand.logo_type):
        return None
    version = int(brand.updated_at.timestamp())
    return {"name": brand.display_name or reseller.name, "primary_color": brand.primary_color or None,
            "logo_url": f"/api/site/logo/?v={version}" if brand.logo_type else None}


def host_reseller(tenant: Tenant | None, console_reseller: Reseller | None) -> Reseller | None:
    """Whose brand this host wears: a business's reseller, or the reseller of a branded console."""
    if console_reseller is not None:
        return console_reseller
    if tenant is not None and tenant.schema_name != "public" and tenant.reseller_id:
        return tenant.reseller
    return None


def logo_response(brand: ResellerBrand | None) -> HttpResponse:
    """The logo as an image response; 404 when there is none. Its URL changes with it, so it may be cached."""
    if brand is None or not brand.logo_type:
        raise Http404
    return HttpResponse(bytes(brand.logo), content_type=brand.logo_type,
                        headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"})
