from django.urls import path

from apps.calls import calls_api

urlpatterns = [
    path("", calls_api.CallListApi.as_view(), name="calls"),
    path("<int:call_id>/", calls_api.CallDetailApi.as_view(), name="call-detail"),
    path("<int:call_id>/answer/", calls_api.CallAnswerApi.as_view(), name="call-answer"),
    path("<int:call_id>/reject/", calls_api.CallRejectApi.as_view(), name="call-reject"),
    path("<int:call_id>/hangup/", calls_api.CallHangupApi.as_view(), name="call-hangup"),
    path("permission/", calls_api.CallPermissionApi.as_view(), name="call-permission"),
    path("numbers/<int:number_id>/settings/", calls_api.CallSettingsApi.as_view(), name="call-settings"),
]
