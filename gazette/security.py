"""The Content-Security-Policy on Gazette's responses (django-csp, configured in
settings.CONTENT_SECURITY_POLICY), with the back office's one allowance."""

import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

logger = logging.getLogger("gazette.security")


def is_back_office(request: HttpRequest) -> bool:
    """Whether the request is for a page of Django's admin (/newsroom/)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and "admin" in match.app_names


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: the reader's policy everywhere, the back office's
    additions on admin pages, and no policy on PDF files."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Chrome shows a PDF inside a page it builds with inline styles and a
        # plugin, which this policy would block (Chromium issue 271452). A PDF
        # runs none of the site's scripts; X-Frame-Options still applies.
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_back_office(request):
            update = dict(parts.update or {})
            for directive, sources in settings.GAZETTE_BACK_OFFICE_CSP.items():
                update[directive] = [*update.get(directive, ()), *sources]
            parts.update = update
        return parts


# The parts of a browser's report (the report-uri format) worth a log line.
REPORT_FIELDS = [
    "document-uri",
    "effective-directive",
    "blocked-uri",
    "source-file",
    "line-number",
]


def log_policy_violation(report: dict) -> bool:
    """Log what a reader's browser says the policy blocked, unless this minute's
    share of reports is spent; return whether it was logged."""
    key = "gazette:csp-reports:" + timezone.now().strftime("%Y%m%d%H%M")
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > settings.GAZETTE_CSP_REPORTS_PER_MINUTE:
        return False
    body = report.get("csp-report")
    if not isinstance(body, dict):
        return False
    details = {name: str(body.get(name, ""))[:300] for name in REPORT_FIELDS}
    logger.warning("Content-Security-Policy violation: %r", details)
    return True
