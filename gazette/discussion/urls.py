from django.urls import path

from gazette.discussion import views

app_name = "discussion"

urlpatterns = [
    path("story/<slug:slug>/", views.CommentListView.as_view(), name="comments"),
    path("story/<slug:slug>/post/", views.post, name="post"),
    path("comment/<int:pk>/", views.CommentDetailView.as_view(), name="comment"),
    path("comment/<int:pk>/reply/", views.reply, name="reply"),
    path("comment/<int:pk>/edit/", views.edit, name="edit"),
    path("comment/<int:pk>/delete/", views.delete, name="delete"),
    path("comment/<int:pk>/respect/", views.respect, name="respect"),
    path("comment/<int:pk>/report/", views.report, name="report"),
    path("comment/<int:pk>/mute/", views.mute, name="mute"),
    path("readers/<int:pk>/unmute/", views.unmute, name="unmute"),
    path("me/", views.ReaderPageView.as_view(), name="reader"),
    path("me/notices/", views.notices, name="notices"),
    path("me/replies/seen/", views.replies_seen, name="replies_seen"),
    path("me/decisions/<int:pk>/", views.notice, name="notice"),
    path("me/warnings/acknowledge/", views.acknowledge, name="acknowledge"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("closed-form/", views.empty, name="empty"),
]
