"""Small checkers of a response's security headers and of a page's markup.

Each returns the problems it found as sentences, an empty list when there are
none. The tests run them on Gazette's real responses and, as controls, on
deliberately weakened ones, which they must flag.
"""

import re
from urllib.parse import urlsplit

import lxml.html

# Directives that must say exactly 'none' (issue: the security battery, item 1).
MUST_BE_NONE = ["object-src", "base-uri", "frame-ancestors"]
# Sources that let markup someone slipped into a page run or restyle it.
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"}
# Schemes that, as a script source, admit script from anywhere or from the page.
UNSAFE_SCHEMES = {"data:", "blob:", "http:", "https:", "filesystem:"}
# A <script> whose type is none of these is a data block (JSON-LD, JSON), which
# browsers never run (HTML, "prepare the script element").
SCRIPT_TYPES = {
    "",
    "module",
    "importmap",
    "speculationrules",
    "text/javascript",
    "application/javascript",
    "application/ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/jscript",
    "text/livescript",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/_=-]+)'")
ACCEPTABLE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def parse_policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy.setdefault(words[0].lower(), words[1:])
    return policy


def policy_nonce(header: str) -> str | None:
    """The nonce script-src names, if it names one."""
    sources = parse_policy(header).get("script-src", [])
    found = [NONCE.fullmatch(source) for source in sources]
    nonces = [match.group(1) for match in found if match]
    return nonces[0] if nonces else None


def nonce_problems(headers: list[str]) -> list[str]:
    """Nonces that are missing, short or repeated across several responses' policies."""
    nonces = [policy_nonce(header) for header in headers]
    problems = []
    if None in nonces:
        problems.append("a response names no nonce")
    known = [nonce for nonce in nonces if nonce]
    if len(set(known)) != len(known):
        problems.append("a nonce is repeated")
    # 16 random bytes are 22 or more base64 characters (CSP3 asks for 128 bits).
    if any(len(nonce.rstrip("=")) < 22 for nonce in known):
        problems.append("a nonce is shorter than 128 bits")
    return problems


def effective_sources(policy: dict[str, list[str]], directive: str) -> list[str]:
    """A fetch directive's sources, falling back to default-src as browsers do."""
    if directive in policy:
        return policy[directive]
    return policy.get("default-src", ["*"])


def policy_problems(header: str | None, *, strict: bool = True) -> list[str]:
    """What is missing or too loose in a policy. `strict`: scripts need the nonce
    even from the site itself (reader pages); otherwise (the back office) scripts
    from 'self' may run too, and nothing looser."""
    if not header:
        return ["no Content-Security-Policy header"]
    policy = parse_policy(header)
    problems = []
    for directive in MUST_BE_NONE:
        if policy.get(directive) != ["'none'"]:
            problems.append(f"{directive} is {policy.get(directive)}, not 'none'")
    scripts = effective_sources(policy, "script-src")
    allowed_scripts = {"'strict-dynamic'"} if strict else {"'self'", "'strict-dynamic'"}
    for source in scripts:
        if NONCE.fullmatch(source):
            continue
        if source in UNSAFE_SOURCES or source in UNSAFE_SCHEMES:
            problems.append(f"script-src allows {source}")
        elif source not in allowed_scripts:
            problems.append(f"script-src allows {source} without a nonce")
    for directive in ["script-src-elem", "script-src-attr"]:
        if directive in policy:
            problems.append(f"{directive} overrides script-src: {policy[directive]}")
    for directive in ["style-src", "style-src-elem", "style-src-attr"]:
        sources = policy.get(directive) or effective_sources(policy, "style-src")
        for source in sorted(UNSAFE_SOURCES & set(sources)):
            problems.append(f"{directive} allows {source}")
    for directive, wanted in [
        ("connect-src", ["'self'"]),
        ("form-action", ["'self'"]),
    ]:
        if policy.get(directive) != wanted:
            problems.append(f"{directive} is {policy.get(directive)}, not {wanted}")
    images = effective_sources(policy, "img-src")
    for source in images:
        if source == "*" or source in UNSAFE_SCHEMES - {"data:"}:
            problems.append(f"img-src allows {source}")
    if "'self'" not in images:
        problems.append("img-src does not allow the site's own images")
    if "default-src" not in policy:
        problems.append("no default-src")
    return problems


def header_problems(headers) -> list[str]:
    """Missing or weak protective headers besides the policy's sources."""
    problems = []
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    referrer = headers.get("Referrer-Policy", "")
    if referrer.split(",")[-1].strip() not in ACCEPTABLE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {referrer!r}")
    if headers.get("Cross-Origin-Opener-Policy") != "same-origin":
        problems.append("Cross-Origin-Opener-Policy is not same-origin")
    if headers.get("X-Frame-Options", "").upper() != "DENY":
        problems.append("X-Frame-Options is not DENY")
    policy = parse_policy(headers.get("Content-Security-Policy", ""))
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors is not 'none'")
    return problems


def is_same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def is_executable(script) -> bool:
    kind = (script.get("type") or "").strip().lower().split(";")[0].strip()
    return kind in SCRIPT_TYPES


def markup_problems(html: str, header: str | None, *, strict: bool = True) -> list[str]:
    """Scripts, handlers and styles in a page that its policy would not allow, or
    that a page of ours should not have. `strict`: every <script> must carry the
    policy's nonce, data blocks included; otherwise scripts the policy admits by
    address ('self') may go without it."""
    policy = parse_policy(header or "")
    nonce = policy_nonce(header or "")
    script_sources = effective_sources(policy, "script-src")
    document = lxml.html.document_fromstring(html)
    problems = []
    for script in document.iter("script"):
        label = lxml.html.tostring(script, encoding="unicode")[:80]
        given = script.get("nonce")
        if given is not None:
            if nonce is None or given != nonce:
                problems.append(
                    f"script with a nonce the policy does not name: {label}"
                )
            continue
        if strict:
            problems.append(f"script without the nonce: {label}")
        elif not is_executable(script):
            continue
        elif script.get("src") is None:
            problems.append(f"inline script without the nonce: {label}")
        elif not ("'self'" in script_sources and is_same_origin(script.get("src", ""))):
            problems.append(f"script the policy does not admit: {label}")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                problems.append(f"inline event handler {name} on <{element.tag}>")
            elif lowered == "style":
                problems.append(f"inline style attribute on <{element.tag}>")
            elif lowered in URL_ATTRIBUTES and re.match(
                r"\s*javascript:", value, re.IGNORECASE
            ):
                problems.append(f"javascript: address in {name} on <{element.tag}>")
        if element.tag == "style":
            problems.append("<style> block: style-src admits only stylesheets")
    return problems


def production_problems(values: dict) -> list[str]:
    """TLS settings a deployment needs: HSTS for a year with subdomains, cookies
    only over https, and the redirect to https."""
    problems = []
    if (values.get("SECURE_HSTS_SECONDS") or 0) < 31_536_000:
        problems.append("HSTS is shorter than a year")
    for name in [
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_HTTPONLY",
    ]:
        if values.get(name) is not True:
            problems.append(f"{name} is not on")
    return problems
