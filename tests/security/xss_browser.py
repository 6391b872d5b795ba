"""Headless Chromium watching a page for cross-site scripting.

A `Watch` is a browser context that reports five kinds of failure on every page
it loads (or, for large batches, renders or parses: see Watch):

- script that ran: an init script replaces alert, confirm, prompt, print, eval,
  Function (and the constructor every function inherits), string timers and
  document.write before any page script, and records each call;
- policy violations: whatever the Content-Security-Policy blocked;
- requests to other hosts: every request whose host is not the live server's is
  recorded, and fails: `launch_isolated` starts a Chromium that can resolve no
  host but this one, so nothing leaves the machine. (A Playwright route would
  abort them as well, but intercepting every request doubles a page's load time.)
- server errors: any response of 500 or more;
- unsafe markup: WALK looks through the DOM for what a page of ours should not
  hold: elements outside the tags Gazette emits, event-handler attributes,
  javascript:, vbscript: and data: addresses, scripts without the response's
  nonce, frames, objects, SVG, <base>, <meta http-equiv>, inline styles.
"""

import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.security.checkers import policy_nonce

# Every host name fails to resolve except the live server's.
ONLY_LOCALHOST = (
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
)

# Replaced before any page script runs; each call is recorded and nothing runs.
# A payload that gets as far as executing almost always reaches for one of these
# (alert(1), [].constructor.constructor("alert(1)")(), setTimeout("alert(1)")).
HOOKS = """
((MARK) => {
  const calls = [];
  const violations = [];
  Object.defineProperty(window, "__xss", {
    value: { calls, violations }, writable: false, configurable: false,
  });
  const text = (values) =>
    Array.from(values, (value) => String(value).slice(0, 120)).join(", ");
  const note = (name, values) => calls.push(`${name}(${text(values)})`);
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const standIn = function () { note(name, arguments); return null; };
    Object.defineProperty(window, name, {
      value: standIn, writable: false, configurable: false,
    });
  }
  // Playwright's own page.evaluate goes through the global eval: code that
  // opens with this run's secret mark is the test's, and runs.
  const realEval = window.eval;
  Object.defineProperty(window, "eval", {
    value: function (code) {
      if (typeof code === "string" && code.startsWith(MARK)) return realEval(code);
      note("eval", arguments);
    },
    writable: false, configurable: false,
  });
  const makers = [
    Function,
    Object.getPrototypeOf(async function () {}).constructor,
    Object.getPrototypeOf(function* () {}).constructor,
    Object.getPrototypeOf(async function* () {}).constructor,
  ];
  for (const maker of makers) {
    const standIn = new Proxy(maker, {
      apply(target, self, values) { note(maker.name, values); return () => {}; },
      construct(target, values) { note(maker.name, values); return () => {}; },
    });
    Object.defineProperty(maker.prototype, "constructor", {
      value: standIn, writable: false, configurable: false,
    });
  }
  Object.defineProperty(window, "Function", {
    value: Function.prototype.constructor, writable: false, configurable: false,
  });
  for (const name of ["setTimeout", "setInterval"]) {
    const original = window[name];
    Object.defineProperty(window, name, {
      value: function (handler, ...rest) {
        if (typeof handler !== "function") {
          note(name, [handler]);
          return 0;
        }
        return original.call(window, handler, ...rest);
      },
      writable: false, configurable: false,
    });
  }
  for (const name of ["write", "writeln"]) {
    Object.defineProperty(Document.prototype, name, {
      value: function () { note(`document.${name}`, arguments); },
      writable: false, configurable: false,
    });
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    violations.push(
      `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
      ` (${String(event.sample).slice(0, 80)})`
    );
  });
})(__MARK__);
"""

# Every element the site's own templates and the house HTML allow-list for stories
# (gazette/newsroom/html.py) emit.
READER_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "main",
    "header", "nav", "footer", "section", "article", "aside", "div", "span", "p",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "time",
    "form", "input", "button", "label", "textarea", "select", "option", "optgroup",
    "fieldset", "legend", "figure", "figcaption", "picture", "source", "img",
    "blockquote", "mark", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "small", "q", "cite", "abbr", "br", "hr", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "kbd",
}  # fmt: skip
# Django's admin adds its filters' disclosure widgets and its inline SVG icons.
BACK_OFFICE_TAGS = READER_TAGS | {
    "code", "pre", "colgroup", "col", "noscript", "details", "summary", "svg",
    "symbol", "use", "path",
}  # fmt: skip

# Walks a document (and any <template> contents or shadow roots) and returns a
# sentence for each thing a page of ours should not hold. Arguments: the
# document, the response's nonce, the allowed tags, and whether it is the back
# office, whose policy admits scripts by address ('self') and whose own scripts
# set styles (style attributes there are left to the policy to refuse).
WALK = """
function walk(root, nonce, allowed, backOffice) {
  const problems = [];
  const allowedTags = new Set(allowed);
  const urlAttributes = new Set([
    "href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "cite", "ping", "lowsrc", "dynsrc", "longdesc", "codebase",
    "manifest", "icon", "usemap", "srcset", "imagesrcset", "to", "from", "values",
  ]);
  const badScheme = /^(javascript|vbscript|data|livescript|mocha):/i;
  const forbidden = new Set([
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
    "svg", "math", "portal", "fencedframe", "template",
  ]);
  const here = location.origin;
  const label = (element) =>
    element.outerHTML.slice(0, 160).replace(/\\s+/g, " ");
  const addresses = (name, value) =>
    name.endsWith("srcset")
      ? value.split(",").map((part) => part.trim().split(/\\s+/)[0])
      : [value];
  const elsewhere = (address) => {
    try {
      return new URL(address, location.href).origin !== here;
    } catch {
      return true;
    }
  };
  const elements = [];
  const collect = (node) => {
    for (const element of node.querySelectorAll("*")) {
      elements.push(element);
      if (element.content instanceof DocumentFragment) collect(element.content);
      if (element.shadowRoot) collect(element.shadowRoot);
    }
  };
  collect(root);
  for (const element of elements) {
    const tag = element.localName;
    if (forbidden.has(tag) && !allowedTags.has(tag)) {
      problems.push(`<${tag}> element: ${label(element)}`);
    } else if (!allowedTags.has(tag)) {
      problems.push(`<${tag}> is not a tag the site emits: ${label(element)}`);
    }
    for (const name of element.getAttributeNames()) {
      const lowered = name.toLowerCase();
      const value = element.getAttribute(name) || "";
      if (lowered.startsWith("on")) {
        problems.push(`event handler ${name} on <${tag}>: ${label(element)}`);
      } else if (lowered === "style" && !backOffice) {
        problems.push(`style attribute on <${tag}>: ${label(element)}`);
      } else if (lowered === "srcdoc" || lowered === "is") {
        problems.push(`${name} attribute on <${tag}>: ${label(element)}`);
      } else if (urlAttributes.has(lowered) || lowered.endsWith(":href")) {
        for (const address of addresses(lowered, value)) {
          // Browsers drop controls and spaces around and inside a scheme.
          if (badScheme.test(address.replace(/[\\u0000-\\u0020\\u007f]/g, ""))) {
            problems.push(`${name}="${address.slice(0, 60)}" on <${tag}>`);
          }
        }
      }
    }
    if (tag === "meta" && element.hasAttribute("http-equiv")) {
      problems.push(`<meta http-equiv>: ${label(element)}`);
    }
    if (tag === "script") {
      const kind = (element.getAttribute("type") || "").trim().toLowerCase();
      const given = element.nonce || "";
      if (given) {
        if (!nonce || given !== nonce) {
          problems.push(
            `script with a nonce the policy does not name: ${label(element)}`
          );
        }
      } else if (!(backOffice && element.src && !elsewhere(element.src))) {
        problems.push(`script without the nonce: ${label(element)}`);
      }
      if (kind === "application/ld+json") {
        try {
          JSON.parse(element.textContent);
        } catch {
          problems.push(`JSON-LD that is not JSON: ${label(element)}`);
        }
      } else if (kind && kind !== "text/javascript") {
        problems.push(`script of type ${kind}: ${label(element)}`);
      }
    }
    if (tag === "link" && element.getAttribute("href") &&
        elsewhere(element.href) && !["canonical", "alternate"].includes(element.rel)) {
      problems.push(`<link> to another host: ${label(element)}`);
    }
    if (tag === "form" && element.getAttribute("action") && elsewhere(element.action)) {
      problems.push(`form posting to another host: ${label(element)}`);
    }
  }
  return problems;
}
"""
# One call after a page has loaded: what the hooks recorded (then forgotten, for
# the next page), the walk, and the text a reader sees.
CHECK = f"""
([nonce, allowed, backOffice]) => {{
  {WALK}
  const state = window.__xss;
  const found = {{
    calls: state.calls.splice(0),
    violations: state.violations.splice(0),
    markup: walk(document, nonce, allowed, backOffice),
    text: document.body ? document.body.textContent : "",
  }};
  return found;
}}
"""
# The same walk over responses the browser parses but never runs (DOMParser):
# for large batches of pages that differ only in what they show back, such as
# a refused form keeping what was typed.
PARSE = f"""
([documents, allowed]) => {{
  {WALK}
  const parser = new DOMParser();
  return documents.map(([html, nonce]) =>
    walk(parser.parseFromString(html, "text/html"), nonce, allowed, false)
  );
}}
"""
# Where `render` writes a response it fetched: a document of the live server's
# own origin that carries no Content-Security-Policy (a static file, which the
# test server serves past Django's middleware), so that nothing but the markup
# itself stands between a payload and the hooks.
UNGUARDED_DOCUMENT = "/static/gazette/css/site.css"
# Tags a comment's stored HTML may hold (gazette/discussion/plaintext.py), and the
# HTML of a feed item's description (gazette/newsroom/feeds.py), besides the
# document around them.
COMMENT_TAGS = {"html", "head", "body", "p", "br", "a"}
FEED_TAGS = {"html", "head", "body", "p", "strong"}


def launch_isolated(browser):
    """Another Debian Chromium beside the suite's `browser`, unable to reach any
    host but this machine."""
    return browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, ONLY_LOCALHOST]
    )


@dataclass
class Findings:
    """What went wrong on the pages a Watch loaded, page by page."""

    pages: int = 0
    rendered: int = 0
    parsed: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, kind: str, items) -> None:
        self.problems.extend(f"{where}: {kind}: {item}" for item in items)


class Watch:
    """A browser context that loads pages of the live server and checks each.

    `visit` navigates to a page as a reader would, under its policy. `render`
    takes a response the test fetched itself (from the Django test client) and
    writes it into an unguarded document of the same origin: the browser parses
    and runs it exactly as served, minus the policy, which makes script
    execution only easier to catch, and costs a fraction of a navigation.
    """

    def __init__(self, browser, live_server_url: str, user=None):
        self.base = live_server_url.rstrip("/")
        self.host = urlsplit(self.base).netloc
        self.context = browser.new_context()
        if user is not None:
            self.sign_in(user)
        # Playwright evaluates through the page's eval; the hook lets through only
        # code opening with this mark, which no payload can know.
        self.mark = f"/*{secrets.token_hex(16)}*/"
        self.context.add_init_script(HOOKS.replace("__MARK__", json.dumps(self.mark)))
        self.findings = Findings()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.policy: str | None = None
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("request", self._request)
        self.page.on("websocket", self._request)
        self.page.on("response", self._response)
        self.page.on("dialog", self._dialog)

    def sign_in(self, user) -> None:
        """Be this user from the next page on (anyone else signed out)."""
        self.context.clear_cookies()
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": self.base,
                }
            ]
        )

    def sign_out(self) -> None:
        self.context.clear_cookies()

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in {"data", "blob", "about"} and parts.netloc != self.host:
            self.requests.append(request.url[:200])

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type} dialog: {dialog.message[:80]}")
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"{response.status} {response.url}")
        if (
            response.request.is_navigation_request()
            and response.frame == self.page.main_frame
        ):
            self.policy = response.headers.get("content-security-policy")

    def _reset(self) -> None:
        self.requests.clear()
        self.errors.clear()
        self.dialogs.clear()

    def visit(
        self, path: str, *, back_office: bool = False, expect_status: int = 200
    ) -> str:
        """Load a page and check it; return the text a reader sees on it."""
        self._reset()
        response = self.page.goto(self.base + path, wait_until="load")
        if response is None or response.status != expect_status:
            answered = response.status if response else "no response"
            self.findings.problems.append(f"{path}: answered {answered}")
        self.findings.pages += 1
        nonce = policy_nonce(self.policy) if self.policy else None
        return self.check(path, nonce=nonce, back_office=back_office)

    def visit_all(
        self,
        path: str,
        next_link: str,
        *,
        back_office: bool = False,
        pages: int | None = None,
    ) -> str:
        """Load a page and every page after it (or the first `pages`), following
        the link `next_link` selects; return the text of them all."""
        texts, seen = [], set()
        while path and path not in seen and len(seen) != pages:
            seen.add(path)
            texts.append(self.visit(path, back_office=back_office))
            following = self.links(next_link)
            path = following[0] if following else ""
        return "\n".join(texts)

    def render(self, where: str, response, *, tags=READER_TAGS) -> str:
        """Check a response fetched by the test: no server error, and its markup,
        written into the unguarded document, runs nothing and holds nothing
        unsafe. Return the text a reader sees on it."""
        if response.status_code >= 500:
            self.findings.problems.append(f"{where}: answered {response.status_code}")
            return ""
        if not self.page.url.startswith(self.base + UNGUARDED_DOCUMENT):
            self.page.goto(self.base + UNGUARDED_DOCUMENT)
        self._reset()
        header = response.headers.get("Content-Security-Policy", "")
        self.page.set_content(response.content.decode(), wait_until="load")
        self.findings.rendered += 1
        return self.check(where, nonce=policy_nonce(header), tags=tags)

    def parse(self, responses: list[tuple[str, object]], *, tags=READER_TAGS) -> None:
        """Check many responses fetched by the test: no server error, and nothing
        unsafe in their markup as the browser parses it (without running it)."""
        if not self.page.url.startswith(self.base):
            self.page.goto(self.base + UNGUARDED_DOCUMENT)
        batch = []
        for where, response in responses:
            if response.status_code >= 500:
                self.findings.problems.append(
                    f"{where!r:.80}: answered {response.status_code}"
                )
                continue
            header = response.headers.get("Content-Security-Policy", "")
            batch.append((where, response.content.decode(), policy_nonce(header)))
        for start in range(0, len(batch), 50):
            chunk = batch[start : start + 50]
            walked = self.evaluate(
                PARSE, [[(html, nonce) for _, html, nonce in chunk], sorted(tags)]
            )
            for (where, _, _), found in zip(chunk, walked, strict=True):
                self.findings.add(f"{where!r:.80}", "unsafe markup", found)
        self.findings.parsed += len(batch)

    def render_all(self, client: Client, path: str, next_link: str) -> str:
        """`render` a page fetched by `client` and every page after it, following
        the link `next_link` selects; return the text of them all."""
        texts, seen = [], set()
        while path and path not in seen:
            seen.add(path)
            texts.append(self.render(path, client.get(path)))
            # Written into another address, the page's links resolve there: read
            # them as written, against the page's own address.
            following = self.evaluate(
                "(selector) => Array.from(document.querySelectorAll(selector),"
                " (link) => link.getAttribute('href'))",
                next_link,
            )
            path = urljoin(path, following[0]) if following else ""
        return "\n".join(texts)

    def render_html(self, where: str, html: str, *, tags=READER_TAGS) -> str:
        """`render` for markup found inside a response (JSON, a feed)."""
        return self.render(where, HtmlInside(html), tags=tags)

    def check(
        self,
        where: str,
        *,
        nonce: str | None,
        back_office: bool = False,
        tags=None,
    ) -> str:
        """Record what went wrong on the page now open; return its text."""
        tags = tags or (BACK_OFFICE_TAGS if back_office else READER_TAGS)
        try:
            found = self.evaluate(CHECK, [nonce, sorted(tags), back_office])
        except PlaywrightError as error:
            # Markup that navigates by itself (a refreshing <meta>, a form that
            # submits itself) takes the page away before it can be checked.
            self.findings.add(where, "the page went away", [error.message[:120]])
            return ""
        self.findings.add(where, "script ran", found["calls"] + self.dialogs)
        self.findings.add(where, "policy violation", found["violations"])
        self.findings.add(where, "request to another host", self.requests)
        self.findings.add(where, "server error", self.errors)
        self.findings.add(where, "unsafe markup", found["markup"])
        return found["text"]

    def evaluate(self, expression: str, argument=None):
        """page.evaluate, past the hook on eval."""
        return self.page.evaluate(self.mark + expression, argument)

    def links(self, selector: str) -> list[str]:
        """The addresses of the links a selector finds, as paths on this server."""
        hrefs = self.evaluate(
            "(selector) => Array.from(document.querySelectorAll(selector),"
            " (link) => link.href)",
            selector,
        )
        return [href.removeprefix(self.base) for href in hrefs]

    def close(self) -> None:
        self.context.close()


class HtmlInside:
    """Markup found inside a response, as a response of its own for `render`."""

    status_code = 200
    headers: dict = {}

    def __init__(self, html: str):
        self.content = html.encode()
