from django.urls import path

from apps.messaging import api

urlpatterns = [
    path("messages/", api.MessageListApi.as_view(), name="messages"),
    path("messages/<uuid:message_id>/", api.MessageDetailApi.as_view(), name="message"),
    path("messages/<uuid:message_id>/read/", api.MessageReadApi.as_view(), name="message-read"),
]
