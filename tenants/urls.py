from django.urls import path

from tenants import api

urlpatterns = [
    path("signup/", api.SignupApi.as_view(), name="signup"),
    path("signup/check-slug/", api.SlugCheckApi.as_view(), name="signup-check-slug"),
]
