"""Site-wide views: health check and uploaded media."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def media(request, path: str, *, document_root, serve) -> HttpResponse:
    response = serve(request, path, document_root=document_root)
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
