from django.urls import path

from tenants import api, platform_api, staff_api
from tenants.partners import api as partners_api

urlpatterns = [
    path("signup/", api.SignupApi.as_view(), name="signup"),
    path("signup/check-slug/", api.SlugCheckApi.as_view(), name="signup-check-slug"),
    path("partners/signup/", partners_api.SignupApi.as_view(), name="partners-signup"),
    path("platform/webhook-changes/", platform_api.WebhookChangeListApi.as_view(), name="platform-webhook-changes"),
    path("platform/webhook-events/", platform_api.WebhookEventListApi.as_view(), name="platform-webhook-events"),
    # The platform staff console (tenants.staff_api): sign-in, businesses, resellers, failed jobs, replays.
    path("platform/auth/login/", staff_api.StaffLoginApi.as_view(), name="platform-auth-login"),
    path("platform/auth/logout/", staff_api.StaffLogoutApi.as_view(), name="platform-auth-logout"),
    path("platform/auth/token/refresh/", staff_api.StaffTokenRefreshApi.as_view(), name="platform-auth-token-refresh"),
    path("platform/auth/user/", staff_api.StaffUserApi.as_view(), name="platform-auth-user"),
    path("platform/businesses/", staff_api.BusinessListApi.as_view(), name="platform-businesses"),
    path("platform/resellers/", staff_api.ResellerListApi.as_view(), name="platform-resellers"),
    path("platform/failed-jobs/", staff_api.FailedJobListApi.as_view(), name="platform-failed-jobs"),
    path("platform/webhook-changes/<int:change_id>/replay/", staff_api.WebhookChangeReplayApi.as_view(),
         name="platform-webhook-change-replay"),
    path("platform/webhook-events/<int:event_id>/replay/", staff_api.WebhookEventReplayApi.as_view(),
         name="platform-webhook-event-replay"),
]
