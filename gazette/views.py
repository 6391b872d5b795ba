"""Site-wide views: health check and uploaded media."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def media(request, path: str) -> HttpResponse:
    """Uploaded photos and renditions, where no CDN or web server serves them."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploads never overwrite a name and renditions carry a content hash.
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
