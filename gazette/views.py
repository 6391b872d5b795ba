"""Site-wide views: health check, uploaded media, policy-violation reports."""

import json
import posixpath

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.static import serve

from gazette import security
from gazette.edition.storage import EDITIONS_FOLDER

# A browser's report is a few hundred bytes; anything far larger is not one.
CSP_REPORT_MAX_BYTES = 16_384


@never_cache
def healthz(request):
    """200 while the database answers, 503 otherwise, for a load balancer.

    It reads a table rather than SELECT 1: an SQLite file that went missing is
    otherwise created afresh, empty, and answers SELECT 1 well. A write lock
    does not make it fail: readers still get pages then.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def media(request, path: str) -> HttpResponse:
    """Uploaded photos and renditions, where no CDN or web server serves them."""
    # Edition PDFs live under MEDIA_ROOT too, but readers download them through
    # the edition's view, where GAZETTE_EDITION_SIGNED_IN_ONLY applies.
    if posixpath.normpath(path).lstrip("/").split("/", 1)[0] == EDITIONS_FOLDER:
        raise Http404("Editions are downloaded from Today's Paper.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploads never overwrite a name and renditions carry a content hash.
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# Browsers send these reports without cookies or a CSRF token.
@csrf_exempt
@require_POST
def csp_report(request):
    """Note in the log what the Content-Security-Policy blocked in a reader's
    browser (report-uri), a few reports a minute."""
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    try:
        report = json.loads(body) if len(body) <= CSP_REPORT_MAX_BYTES else None
    except ValueError:
        report = None
    if isinstance(report, dict):
        security.log_policy_violation(report)
    return HttpResponse(status=204)
