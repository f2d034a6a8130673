from django.urls import path

from apps.accounts import auth_api, team_api

urlpatterns = [
    path("auth/login/", auth_api.LoginApi.as_view(), name="auth-login"),
    path("auth/logout/", auth_api.LogoutApi.as_view(), name="auth-logout"),
    path("auth/token/refresh/", auth_api.TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/handoff/", auth_api.HandoffApi.as_view(), name="auth-handoff"),
    path("auth/user/", auth_api.CurrentUserApi.as_view(), name="auth-user"),
    path("auth/password/change/", auth_api.PasswordChangeApi.as_view(), name="auth-password-change"),
    path("auth/password/reset/", auth_api.PasswordResetApi.as_view(), name="auth-password-reset"),
    path("auth/password/reset/confirm/", auth_api.PasswordResetConfirmApi.as_view(),
         name="auth-password-reset-confirm"),
    path("team/members/", team_api.MemberListApi.as_view(), name="team-members"),
    path("team/members/<int:member_id>/", team_api.MemberDetailApi.as_view(), name="team-member"),
    path("team/invites/", team_api.InviteListApi.as_view(), name="team-invites"),
    path("team/invites/lookup/", team_api.InviteLookupApi.as_view(), name="team-invite-lookup"),
    path("team/invites/accept/", team_api.InviteAcceptApi.as_view(), name="team-invite-accept"),
    path("team/invites/<uuid:invite_id>/", team_api.InviteDetailApi.as_view(), name="team-invite"),
    path("team/reseller-access/", team_api.ResellerAccessListApi.as_view(), name="team-reseller-access"),
    path("team/reseller-access/settings/", team_api.ResellerAccessSettingsApi.as_view(),
         name="team-reseller-access-settings"),
]
