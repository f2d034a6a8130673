from django.urls import path

from apps.analytics.analytics_api import OverviewApi

urlpatterns = [path("overview/", OverviewApi.as_view(), name="analytics-overview")]
