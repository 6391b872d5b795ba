"""Test-only pages for the controls of the XSS checks (ROOT_URLCONF in those tests):
the site's own layout and middleware, with exactly the fault each checker must
catch put in on purpose."""

from csp.decorators import csp_update
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from gazette.urls import urlpatterns as site_urlpatterns

# Every hook of xss_browser.HOOKS, called from a script the policy allows.
HOOKED_CALLS = """
alert(1);
confirm(2);
prompt(3);
print();
eval("4");
Function("return 5")();
[].constructor.constructor("return 6")();
(async function () {}).constructor("return 7");
setTimeout("8");
setInterval("9");
document.write("10");
"""
FOREIGN_IMAGE = "http://example.invalid/x.png"


def layout(request, content: str) -> HttpResponse:
    """The site's base page around `content`, inserted unescaped."""
    template = Template(
        '{% extends "base.html" %}{% block content %}'
        "{{ content|safe }}{% endblock content %}"
    )
    return HttpResponse(template.render(RequestContext(request, {"content": content})))


def unescaped(request):
    """A payload from the query string, put on the page the way a template that
    forgot to escape it would."""
    return layout(request, request.GET.get("payload", ""))


def hooked_calls(request):
    """A script carrying the page's nonce that calls every hooked function."""
    return layout(
        request,
        f'<script nonce="{request.csp_nonce}">{HOOKED_CALLS}</script>',
    )


@csp_update({"img-src": ["http://example.invalid"]})
def foreign_image(request):
    """An image from another host, which this page's policy lets the browser ask
    for (as GAZETTE_IMAGE_SOURCES would for an agency)."""
    return layout(request, f'<img src="{FOREIGN_IMAGE}" alt="">')


def broken(request):
    raise RuntimeError("a deliberate server error")


urlpatterns = [
    path("xss-control/unescaped/", unescaped),
    path("xss-control/hooked-calls/", hooked_calls),
    path("xss-control/foreign-image/", foreign_image),
    path("xss-control/broken/", broken),
    *site_urlpatterns,
]
