from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from gazette import views
from gazette.api.v1 import api as api_v1
from gazette.discussion import views as discussion_views

admin.site.site_header = settings.GAZETTE_PUBLICATION_NAME + " newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "The newsroom"

# The generic 500 page, or the 503 page when the database is the trouble.
handler500 = "gazette.outages.server_error"

urlpatterns = [
    path("newsroom/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report", views.csp_report, name="csp_report"),
    path("discussion/", include("gazette.discussion.urls")),
    path("moderate/", include("gazette.discussion.desk_urls")),
    path("transparency/", discussion_views.transparency, name="transparency"),
    path("account/", include("gazette.accounts.urls")),
    path("weather/", include("gazette.weather.urls")),
    path("api/v1/", api_v1.urls),
    path("search/", include("gazette.search.urls")),
    path("todays-paper/", include("gazette.edition.urls")),
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
