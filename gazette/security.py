"""The Content-Security-Policy on Gazette's responses (django-csp, configured in
settings.CONTENT_SECURITY_POLICY), with the back office's one allowance."""

import functools
import logging

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
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
        if self._set_plain_policies(request, response):
            return response
        return super().process_response(request, response)

    def _set_plain_policies(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> bool:
        """Give a response that took no nonce and changes no directive (an API
        answer, a redirect) the configured policies, built once per settings,
        as django-csp would; False, doing nothing, for any other response.

        django-csp builds both policies afresh for every response: 0.13 ms of
        CPU, about 2 % of a comment post.
        """
        if getattr(request, "_csp_nonce", None) is not None or is_back_office(request):
            return False
        if any(getattr(response, name, None) is not None for name in CHANGES):
            return False
        if settings.DEBUG and response.status_code in {404, 500}:
            return False
        for report_only, header, exempt, setting in PLAIN_HEADERS:
            policy = plain_policy(report_only)
            excluded = (getattr(settings, setting, None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            ) or ()
            if (
                policy
                and not getattr(response, exempt, False)
                and header not in response
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return True

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


# What a view may set on its response to change its policy (csp.decorators).
CHANGES = [
    f"_csp_{change}{kind}"
    for change in ("config", "update", "replace")
    for kind in ("", "_ro")
]
PLAIN_HEADERS = [
    (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
]


@functools.cache
def plain_policy(report_only: bool) -> str:
    """The configured policy, or the report-only one, with nothing changed."""
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def forget_plain_policies(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        plain_policy.cache_clear()


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
