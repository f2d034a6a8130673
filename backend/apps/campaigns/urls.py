from django.urls import path

from apps.campaigns import campaigns_api as api

urlpatterns = [
    path("", api.CampaignListApi.as_view(), name="campaigns"),
    path("audience/", api.CampaignAudienceApi.as_view(), name="campaigns-audience"),
    path("<int:campaign_id>/", api.CampaignDetailApi.as_view(), name="campaign"),
    path("<int:campaign_id>/start/", api.CampaignStartApi.as_view(), name="campaign-start"),
    path("<int:campaign_id>/pause/", api.CampaignPauseApi.as_view(), name="campaign-pause"),
    path("<int:campaign_id>/resume/", api.CampaignResumeApi.as_view(), name="campaign-resume"),
    path("<int:campaign_id>/cancel/", api.CampaignCancelApi.as_view(), name="campaign-cancel"),
    path("<int:campaign_id>/retarget/", api.CampaignRetargetApi.as_view(), name="campaign-retarget"),
    path("<int:campaign_id>/recipients/", api.CampaignRecipientListApi.as_view(), name="campaign-recipients"),
    path("<int:campaign_id>/report.csv", api.CampaignReportCsvApi.as_view(), name="campaign-report"),
]
