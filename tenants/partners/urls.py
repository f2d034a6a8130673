"""The partner console's routes (convonest.urls_partners mounts them under /api/)."""
from django.urls import path

from tenants.branding import api as branding_api
from tenants.partners import api, team_api, wallet_api

auth_patterns = [
    path("login/", api.LoginApi.as_view(), name="partners-auth-login"),
    path("logout/", api.LogoutApi.as_view(), name="partners-auth-logout"),
    path("token/refresh/", api.TokenRefreshApi.as_view(), name="partners-auth-token-refresh"),
    path("handoff/", api.HandoffApi.as_view(), name="partners-auth-handoff"),
    path("user/", api.SessionApi.as_view(), name="partners-auth-user"),
]

console_patterns = [
    path("businesses/", api.BusinessListApi.as_view(), name="partners-businesses"),
    path("businesses/<int:business_id>/", api.BusinessDetailApi.as_view(), name="partners-business"),
    path("businesses/<int:business_id>/suspend/", api.BusinessSuspendApi.as_view(), name="partners-business-suspend"),
    path("businesses/<int:business_id>/resume/", api.BusinessResumeApi.as_view(), name="partners-business-resume"),
    path("businesses/<int:business_id>/enter/", api.BusinessEnterApi.as_view(), name="partners-business-enter"),
    path("businesses/<int:business_id>/wallet/", wallet_api.WalletApi.as_view(), name="partners-wallet"),
    path("businesses/<int:business_id>/wallet/fund/", wallet_api.WalletFundApi.as_view(), name="partners-wallet-fund"),
    path("businesses/<int:business_id>/wallet/entries/", wallet_api.WalletEntriesApi.as_view(),
         name="partners-wallet-entries"),
    path("activity/", api.ActivityApi.as_view(), name="partners-activity"),
    path("team/members/", team_api.MemberListApi.as_view(), name="partners-team-members"),
    path("team/members/<int:member_id>/", team_api.MemberDetailApi.as_view(), name="partners-team-member"),
    path("team/invites/", team_api.InviteListApi.as_view(), name="partners-team-invites"),
    path("team/invites/lookup/", team_api.InviteLookupApi.as_view(), name="partners-team-invite-lookup"),
    path("team/invites/accept/", team_api.InviteAcceptApi.as_view(), name="partners-team-invite-accept"),
    path("team/invites/<uuid:invite_id>/", team_api.InviteDetailApi.as_view(), name="partners-team-invite"),
    path("brand/", branding_api.BrandApi.as_view(), name="partners-brand"),
    path("brand/logo/", branding_api.BrandLogoApi.as_view(), name="partners-brand-logo"),
    path("domains/", branding_api.ConsoleDomainListApi.as_view(), name="partners-domains"),
    path("domains/<int:claim_id>/", branding_api.ConsoleDomainDetailApi.as_view(), name="partners-domain"),
    path("domains/<int:claim_id>/verify/", branding_api.ConsoleDomainVerifyApi.as_view(),
         name="partners-domain-verify"),
]
