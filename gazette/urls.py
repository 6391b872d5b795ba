from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from gazette import views
from gazette.api.v1 import api as api_v1

admin.site.site_header = settings.GAZETTE_PUBLICATION_NAME + " newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "The newsroom"

urlpatterns = [
    path("newsroom/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("discussion/", include("gazette.discussion.urls")),
    path("account/", include("gazette.accounts.urls")),
    path("api/v1/", api_v1.urls),
    path("", include("gazette.newsroom.urls")),
]

if settings.GAZETTE_SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.+)$",
            views.media,
            name="media",
        )
    ]
