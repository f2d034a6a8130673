from django.urls import path

from apps.audit.audit_api import AuditActionListApi, AuditEventCsvApi, AuditEventListApi

urlpatterns = [
    path("events/", AuditEventListApi.as_view(), name="audit-events"),
    path("events.csv", AuditEventCsvApi.as_view(), name="audit-events-csv"),
    path("actions/", AuditActionListApi.as_view(), name="audit-actions"),
]
