from django.urls import path

from apps.templates import templates_api

urlpatterns = [
    path("", templates_api.TemplateListApi.as_view(), name="templates"),
    path("<int:template_id>/", templates_api.TemplateDetailApi.as_view(), name="template"),
]
