"""The moderation desk, under /moderate/ (see views/desk.py)."""

from django.urls import path

from gazette.discussion.views import desk

app_name = "desk"

urlpatterns = [
    path("", desk.queue, name="queue"),
    path("counts/", desk.counts, name="counts"),
    path("comment/<int:pk>/", desk.item, name="item"),
    path("comment/<int:pk>/decide/", desk.decide, name="decide"),
    path("decide/", desk.bulk, name="bulk"),
    path("reader/<int:pk>/", desk.reader, name="reader"),
    path("reader/<int:pk>/sanction/", desk.sanction, name="sanction"),
    path("follow/", desk.follow, name="follow"),
    path("appeals/", desk.appeals, name="appeals"),
    path("appeals/<int:pk>/", desk.resolve, name="resolve"),
]
