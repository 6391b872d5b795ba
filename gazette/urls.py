from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from gazette import views

admin.site.site_header = settings.GAZETTE_PUBLICATION_NAME + " newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "The newsroom"

urlpatterns = [
    path("newsroom/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
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
