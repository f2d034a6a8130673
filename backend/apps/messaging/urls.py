from django.urls import path

from apps.messaging import inbox_api, media_api, messages_api, template_sends_api

urlpatterns = [
    path("messages/", messages_api.MessageListApi.as_view(), name="messages"),
    path("messages/template/", template_sends_api.TemplateSendApi.as_view(), name="messages-template"),
    path("messages/<uuid:message_id>/", messages_api.MessageDetailApi.as_view(), name="message"),
    path("messages/<uuid:message_id>/read/", messages_api.MessageReadApi.as_view(), name="message-read"),
    path("messages/<uuid:message_id>/media/", media_api.MessageMediaApi.as_view(), name="message-media"),
    path("conversations/", inbox_api.ConversationListApi.as_view(), name="conversations"),
    path("conversations/<int:conversation_id>/", inbox_api.ConversationDetailApi.as_view(), name="conversation"),
    path("conversations/<int:conversation_id>/read/", inbox_api.ConversationReadApi.as_view(),
         name="conversation-read"),
    path("conversations/<int:conversation_id>/messages/", inbox_api.ConversationMessagesApi.as_view(),
         name="conversation-messages"),
    path("conversations/<int:conversation_id>/notes/", inbox_api.ConversationNotesApi.as_view(),
         name="conversation-notes"),
    path("canned-replies/", inbox_api.CannedReplyListApi.as_view(), name="canned-replies"),
    path("canned-replies/<int:reply_id>/", inbox_api.CannedReplyDetailApi.as_view(), name="canned-reply"),
    path("inbox/settings/", inbox_api.InboxSettingsApi.as_view(), name="inbox-settings"),
    path("inbox/events/", inbox_api.InboxEventsApi.as_view(), name="inbox-events"),
]
