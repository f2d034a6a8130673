from django.urls import path

from apps.templates import preview_api, templates_api

urlpatterns = [
    path("", templates_api.TemplateListApi.as_view(), name="templates"),
    path("sync/", templates_api.TemplateSyncApi.as_view(), name="templates-sync"),
    path("syncs/", templates_api.TemplateSyncListApi.as_view(), name="templates-syncs"),
    path("uploads/", templates_api.TemplateUploadApi.as_view(), name="templates-uploads"),
    path("<int:template_id>/", templates_api.TemplateDetailApi.as_view(), name="template"),
    path("<int:template_id>/acknowledge/", templates_api.TemplateAcknowledgeApi.as_view(),
         name="template-acknowledge"),
    # Preview and mapping (apps.templates.preview_api, helper "templates-render") go below.
    path("preview/", preview_api.TemplateDraftPreviewApi.as_view(), name="template-preview-draft"),
    path("<int:template_id>/preview/", preview_api.TemplatePreviewApi.as_view(), name="template-preview"),
    path("<int:template_id>/mapping/", preview_api.TemplateMappingApi.as_view(), name="template-mapping"),
]
