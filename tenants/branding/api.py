"""White label over the API: a business's custom domains (on its host) and the reseller's brand and console domain
(on the console). Thin views over tenants.branding.domains / brand."""
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.branding import brand as brands
from tenants.branding import domains
from tenants.partners.permissions import PartnerApi, PartnerCapability, partner_requires
from tenants.permissions import CanManageSettings


@extend_schema_serializer(component_name="CustomDomain")
class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    domain = serializers.CharField()
    status = serializers.SerializerMethodField()
    txt_name = serializers.SerializerMethodField(help_text="Where to add the TXT record")
    txt_value = serializers.SerializerMethodField(help_text="The TXT record's exact value")
    created_at = serializers.DateTimeField()
    verified_at = serializers.DateTimeField(allow_null=True)
    last_checked_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(help_text="Why the last check did not find the record")

    def get_status(self, claim) -> str:
        return "verified" if claim.verified_at else "pending"

    def get_txt_name(self, claim) -> str:
        return domains.challenge_name(claim)

    def get_txt_value(self, claim) -> str:
        return domains.challenge_value(claim)


@extend_schema_serializer(component_name="CustomDomainCreate")
class ClaimInputSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=253, help_text="e.g. chat.example.com; point it at ConvoNest, then "
                                                             "add the TXT record shown")


class _Owner:
    """Whose domains a view manages: the host's business, or the console's reseller."""

    def owner(self, request) -> dict:
        raise NotImplementedError

    def actor_email(self, request) -> str:
        return request.user.email

    def actor(self, request):
        """Who acts, for the business's audit log (None on the console: the reseller keeps its own activity)."""
        return None


class _ClaimList(_Owner, APIView):
    def get(self, request):
        return Response(ClaimSerializer(domains.claim_list(**self.owner(request)), many=True).data)

    def post(self, request):
        data = ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = domains.claim_create(domain=data.validated_data["domain"], actor_email=self.actor_email(request),
                                     actor=self.actor(request), **self.owner(request))
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class _ClaimVerify(_Owner, APIView):
    def post(self, request, claim_id: int):
        claim = domains.claim_verify(domains.access_claim(claim_id, **self.owner(request)), actor=self.actor(request))
        return Response(ClaimSerializer(claim).data)


class _ClaimDetail(_Owner, APIView):
    def delete(self, request, claim_id: int):
        domains.claim_delete(domains.access_claim(claim_id, **self.owner(request)), actor=self.actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- A business's domains (its host; owners and admins) -----------------------------------------------------------

class _BusinessOwner(_Owner):
    permission_classes = [CanManageSettings]
    pagination_class = None

    def owner(self, request) -> dict:
        return {"tenant": request.member.tenant}

    def actor(self, request):
        return request.member


class DomainListApi(_BusinessOwner, _ClaimList):
    """The business's custom domains. Each serves once its TXT record is found (POST .../verify/)."""

    @extend_schema(responses=ClaimSerializer(many=True), operation_id="domains_list")
    def get(self, request):
        return super().get(request)

    @extend_schema(request=ClaimInputSerializer, responses={201: ClaimSerializer}, operation_id="domains_create")
    def post(self, request):
        return super().post(request)


class DomainVerifyApi(_BusinessOwner, _ClaimVerify):
    @extend_schema(request=None, responses=ClaimSerializer, operation_id="domains_verify")
    def post(self, request, claim_id: int):
        return super().post(request, claim_id)


class DomainDetailApi(_BusinessOwner, _ClaimDetail):
    @extend_schema(responses={204: None}, operation_id="domains_destroy")
    def delete(self, request, claim_id: int):
        return super().delete(request, claim_id)


# --- The reseller's brand and console domains (the console; admins) ----------------------------------------------

class _ResellerOwner(_Owner, PartnerApi):
    permission_classes = [partner_requires(PartnerCapability.MANAGE_BRAND, reads_open=True)]

    def owner(self, request) -> dict:
        return {"reseller": request.partner.reseller}


class ConsoleDomainListApi(_ResellerOwner, _ClaimList):
    """The console's own custom domains: a verified one serves the reseller's branded console."""

    @extend_schema(responses=ClaimSerializer(many=True), operation_id="partners_domains_list")
    def get(self, request):
        return super().get(request)

    @extend_schema(request=ClaimInputSerializer, responses={201: ClaimSerializer},
                   operation_id="partners_domains_create")
    def post(self, request):
        return super().post(request)


class ConsoleDomainVerifyApi(_ResellerOwner, _ClaimVerify):
    permission_classes = [partner_requires(PartnerCapability.MANAGE_BRAND)]

    @extend_schema(request=None, responses=ClaimSerializer, operation_id="partners_domains_verify")
    def post(self, request, claim_id: int):
        return super().post(request, claim_id)


class ConsoleDomainDetailApi(_ResellerOwner, _ClaimDetail):
    @extend_schema(responses={204: None}, operation_id="partners_domains_destroy")
    def delete(self, request, claim_id: int):
        return super().delete(request, claim_id)


@extend_schema_serializer(component_name="PartnerBrand")
class BrandSerializer(serializers.Serializer):
    display_name = serializers.CharField(allow_blank=True, max_length=100, required=False,
                                         help_text="Shown instead of ConvoNest; blank: the reseller's name")
    primary_color = serializers.CharField(allow_blank=True, max_length=7, required=False, help_text="#rrggbb")
    logo_url = serializers.SerializerMethodField()

    def get_logo_url(self, brand) -> str | None:
        return "/api/partners/brand/logo/" if brand.logo_type else None


class BrandApi(PartnerApi):
    """The white label the console and every business of the reseller wear."""

    permission_classes = [partner_requires(PartnerCapability.MANAGE_BRAND, reads_open=True)]

    @extend_schema(responses=BrandSerializer, operation_id="partners_brand_retrieve")
    def get(self, request):
        return Response(BrandSerializer(brands.brand_of(request.partner.reseller)).data)

    @extend_schema(request=BrandSerializer, responses=BrandSerializer, operation_id="partners_brand_update")
    def patch(self, request):
        data = BrandSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        brand = brands.brand_update(reseller=request.partner.reseller, **data.validated_data)
        return Response(BrandSerializer(brand).data)


@extend_schema_serializer(component_name="PartnerLogoUpload")
class LogoInputSerializer(serializers.Serializer):
    logo = serializers.FileField(help_text=f"PNG, JPEG or WebP, at most {brands.LOGO_MAX_BYTES // 1024} KB")


class BrandLogoApi(PartnerApi):
    permission_classes = [partner_requires(PartnerCapability.MANAGE_BRAND, reads_open=True)]
    parser_classes = [MultiPartParser]

    @extend_schema(responses={(200, "image/png"): OpenApiResponse(description="PNG, JPEG or WebP"),
                              404: OpenApiResponse(description="No logo")}, operation_id="partners_brand_logo_retrieve")
    def get(self, request):
        return brands.logo_response(brands.brand_of(request.partner.reseller))

    @extend_schema(request={"multipart/form-data": LogoInputSerializer}, responses=BrandSerializer,
                   operation_id="partners_brand_logo_update")
    def put(self, request):
        data = LogoInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # One byte past the limit is enough to refuse it: a large upload is never read into memory whole.
        brand = brands.logo_set(reseller=request.partner.reseller,
                                data=data.validated_data["logo"].read(brands.LOGO_MAX_BYTES + 1))
        return Response(BrandSerializer(brand).data)

    @extend_schema(responses=BrandSerializer, operation_id="partners_brand_logo_destroy")
    def delete(self, request):
        return Response(BrandSerializer(brands.logo_set(reseller=request.partner.reseller, data=None)).data)
