from django.urls import path

from apps.portability import portability_api as api

urlpatterns = [
    path("exports/", api.ExportListApi.as_view(), name="business-exports"),
    path("exports/<uuid:export_id>/", api.ExportDetailApi.as_view(), name="business-export"),
    path("exports/<uuid:export_id>/download/", api.ExportDownloadApi.as_view(), name="business-export-download"),
    path("deletion/", api.DeletionApi.as_view(), name="business-deletion"),
    path("deletion/cancel/", api.DeletionCancelApi.as_view(), name="business-deletion-cancel"),
]
