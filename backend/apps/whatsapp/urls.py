from django.urls import path

from apps.whatsapp import api

urlpatterns = [
    path("numbers/", api.NumberListApi.as_view(), name="whatsapp-numbers"),
    path("numbers/<int:number_id>/", api.NumberDetailApi.as_view(), name="whatsapp-number"),
    path("numbers/<int:number_id>/refresh/", api.NumberRefreshApi.as_view(), name="whatsapp-number-refresh"),
    path("embedded-signup/", api.EmbeddedSignupApi.as_view(), name="whatsapp-embedded-signup"),
]
