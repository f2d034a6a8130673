from django.urls import path

from apps.calls import calls_api

urlpatterns = [
    path("", calls_api.CallListApi.as_view(), name="calls"),
]
