"""The site's addresses, and two that fail on purpose (test_logs.py)."""

from django.urls import path

from gazette.urls import handler500
from gazette.urls import urlpatterns as site_urlpatterns

SECRET_DETAIL = "reliability-internal-detail-5f2c"


def broken(request):
    raise RuntimeError(f"a bug: {SECRET_DETAIL}")


urlpatterns = [
    path("broken/", broken),
    path("api/v1/broken", broken),
    *site_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
