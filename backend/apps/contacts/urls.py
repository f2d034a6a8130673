"""Mounted at /api/contacts/ on tenant hosts."""
from django.urls import path

from apps.contacts import contacts_api, definitions_api, imports_api

urlpatterns = [
    path("", contacts_api.ContactListApi.as_view(), name="contacts"),
    path("count/", contacts_api.ContactCountApi.as_view(), name="contacts-count"),
    path("bulk/", contacts_api.ContactBulkApi.as_view(), name="contacts-bulk"),
    path("export.csv", contacts_api.ContactExportCsvApi.as_view(), name="contacts-export-csv"),
    path("settings/", definitions_api.ContactSettingsApi.as_view(), name="contacts-settings"),
    path("attributes/", definitions_api.AttributeListApi.as_view(), name="contacts-attributes"),
    path("attributes/<int:attribute_id>/", definitions_api.AttributeDetailApi.as_view(), name="contacts-attribute"),
    path("segments/", definitions_api.SegmentListApi.as_view(), name="contacts-segments"),
    path("segments/preview/", definitions_api.SegmentPreviewApi.as_view(), name="contacts-segment-preview"),
    path("segments/<int:segment_id>/", definitions_api.SegmentDetailApi.as_view(), name="contacts-segment"),
    path("segments/<int:segment_id>/count/", definitions_api.SegmentCountApi.as_view(), name="contacts-segment-count"),
    path("imports/", imports_api.ImportListApi.as_view(), name="contacts-imports"),
    path("imports/inspect/", imports_api.ImportInspectApi.as_view(), name="contacts-import-inspect"),
    path("imports/<int:import_id>/", imports_api.ImportDetailApi.as_view(), name="contacts-import"),
    path("imports/<int:import_id>/errors.csv", imports_api.ImportErrorsCsvApi.as_view(),
         name="contacts-import-errors"),
    path("<int:contact_id>/", contacts_api.ContactDetailApi.as_view(), name="contact"),
    path("<int:contact_id>/consent/", contacts_api.ContactConsentApi.as_view(), name="contact-consent"),
    path("<int:contact_id>/merge/", contacts_api.ContactMergeApi.as_view(), name="contact-merge"),
    path("<int:contact_id>/export/", contacts_api.ContactDataExportApi.as_view(), name="contact-export"),
    path("<int:contact_id>/erase/", contacts_api.ContactEraseApi.as_view(), name="contact-erase"),
]
