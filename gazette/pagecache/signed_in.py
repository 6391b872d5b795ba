"""Story pages kept for the signed-in readers who see them alike.

A signed-in reader's story page is rendered for them: it carries their CSRF
token, and its discussion shows what they may do there. Most readers of a story
have nothing of their own in its discussion (no comment, Respect, report or
mute), may post, are not staff and have no message waiting. Their pages differ
only by the CSRF token and the Content-Security-Policy nonce, so this process
keeps such a page with a placeholder for each, and sends it again to the next
such reader with their own token and a fresh nonce.

A kept page is sent only while a fresh render would give the same page:

- it was rendered for the same story, address and state of the discussion,
  for the same version of the story (`Article.modified_at`) and of its thread
  (`Thread.version`, moved with every change the discussion shows,
  gazette/discussion/versions.py), both read in this request;
- none of its page-cache tags was purged since it was rendered
  (gazette/pagecache/purges.py: the story's photo, corrections, section, the
  sections and standing pages), the same purges that retire anonymous readers'
  copies, and it is younger than GAZETTE_PAGE_CACHE_SECONDS (the masthead's
  date and weather), as those copies are.

A reader whose only part in the discussion is marks on comments everyone sees
(comments they wrote, gave Respect to or reported) gets the same kept page with
those comments rendered again for them: the page's comments are kept with it
(gazette/discussion/rendering.py), one query finds which of them the reader
marked, and each such comment's markup takes the place of the shared one. A
reader with comments only they see (awaiting review, removed) or with readers
muted has a page of their own, rendered for them.

GAZETTE_SIGNED_IN_PAGES_KEPT bounds how many pages a process keeps (0: none).
"""

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context

from gazette.discussion import rendering, selectors
from gazette.discussion.context import current_address, is_htmx
from gazette.pagecache import store

TOKEN_FIELD = rendering.TOKEN_FIELD
KEPT_TOKEN = "kept-page-csrf-token"
TOKEN_MARK = TOKEN_FIELD.format(KEPT_TOKEN)
NONCE_ATTRIBUTE = 'nonce="{}"'
NONCE_MARK = NONCE_ATTRIBUTE.format("kept-page-nonce")
# Where a kept page is cut: the reader's token and nonce go where the marks
# are; a comment's markup (includes/comment.html) starts with its <article> and
# ends at the first </article> after it: no markup of a reader's reaches the
# page unescaped.
CUTS = re.compile(
    b"|".join(
        [
            re.escape(TOKEN_MARK.encode()),
            re.escape(NONCE_MARK.encode()),
            rb'<article class="comment[^"]*" id="comment-(\d+)"',
            b"</article>",
        ]
    )
)
# What stands in a kept page's segments for the reader's token and nonce.
TOKEN, NONCE = object(), object()


@dataclass(frozen=True)
class Alike:
    """The page a reader shares with the readers like them: which, and how new."""

    identity: tuple
    version: tuple
    tags: tuple[str, ...]
    # The key of the discussion's first page (gazette/discussion/rendering.py).
    first_page: tuple | None = None


@dataclass(frozen=True)
class Look:
    """What was read of a signed-in reader to know whether their page is shared;
    the page's discussion takes it as read."""

    viewer: selectors.Viewer
    discussion: selectors.Discussion
    # Whether their page is rendered for them alone; None if not asked.
    own_page: bool | None
    alike: Alike | None
    # Whether the shared page is theirs with their marks put in.
    marked: bool = False


@dataclass(frozen=True)
class KeptPage:
    version: tuple
    tags: tuple[str, ...]
    rendered_at: float
    # The page cut where the reader's token and nonce go (hundreds of forms on
    # a busy page) and where each comment's markup starts and ends: a reader's
    # copy is one join, with nothing to search.
    segments: tuple
    content_type: str
    # Where each comment's markup is, as a range of the segments; and the
    # comments the page shows, by id, as viewers alike see them (None if not
    # known: then no reader's marks can be put in).
    spans: dict[int, tuple[int, int]]
    comments: dict | None = None

    @property
    def content(self) -> bytes:
        """The page with the marks where the reader's token and nonce go."""
        return _joined(self.segments, TOKEN_MARK.encode(), NONCE_MARK.encode())

    def for_reader(
        self, token: str, nonce: str, comments: dict[int, list] | None = None
    ) -> bytes:
        """The page with this reader's token and nonce, and `comments` (each
        one's markup cut as the page is, by id) in place of the shared markup."""
        segments = self.segments
        if comments:
            segments = list(segments)
            # From the last comment up, so that the ranges before stay true.
            for first, end, markup in sorted(
                ((*self.spans[pk], markup) for pk, markup in comments.items()),
                reverse=True,
            ):
                segments[first:end] = markup
        return _joined(
            segments,
            TOKEN_FIELD.format(token).encode(),
            NONCE_ATTRIBUTE.format(nonce).encode(),
        )


def _cut(content: bytes) -> tuple[list, dict[int, tuple[int, int]]]:
    """A page cut into segments, TOKEN and NONCE where the marks were, and
    where each comment's markup is; a comment found twice has no place."""
    segments: list = []
    spans: dict[int, tuple[int, int]] = {}
    twice, opened, at = set(), None, 0
    for found in CUTS.finditer(content):
        segments.append(content[at : found.start()])
        at = found.end()
        if found.group(1) is not None:
            opened = (int(found.group(1)), len(segments))
            segments.append(found.group())
        elif found.group() == b"</article>":
            segments.append(found.group())
            if opened is not None:
                pk, first = opened
                if pk in spans:
                    twice.add(pk)
                spans[pk] = (first, len(segments))
                opened = None
        else:
            segments.append(TOKEN if found.group() == TOKEN_MARK.encode() else NONCE)
    segments.append(content[at:])
    for pk in twice:
        del spans[pk]
    return segments, spans


def _joined(segments, token: bytes, nonce: bytes) -> bytes:
    return b"".join(
        [
            token if part is TOKEN else nonce if part is NONCE else part
            for part in segments
        ]
    )


_pages: OrderedDict[tuple, KeptPage] = OrderedDict()
# Held while the kept pages change: a server's threads share them.
_keeping = threading.Lock()


def _forget_on_change(**kwargs) -> None:
    _pages.clear()


setting_changed.connect(_forget_on_change)


def may_share(request) -> bool:
    """Whether this request could get a page shared with readers alike: a
    signed-in reader (not staff) asking for a page plainly (no query string, no
    htmx), with keeping on. Read from the session's user alone."""
    user = request.user
    return (
        settings.GAZETTE_SIGNED_IN_PAGES_KEPT > 0
        and request.method in {"GET", "HEAD"}
        and not request.GET
        and not is_htmx(request)
        and user.is_authenticated
        and not user.is_staff
        and not user.is_superuser
    )


def look_at(request, article) -> Look:
    """What this reader's story page depends on, and the page they share with
    the readers like them, if any (the caller asked may_share and marked the
    page cacheable, whose tags a kept page is purged by). `article` needs only
    what discussion.selectors.live_article_head reads."""
    user = request.user
    viewer = selectors.viewer_of(
        user, next_url=f"{article.get_absolute_url()}#comments"
    )
    discussion = selectors.discussion_of(article)
    first_page = rendering.first_page_key(
        discussion, viewer, sort_key=None, return_to=current_address(request)
    )
    if not viewer.can_post or first_page is None:
        return Look(viewer, discussion, own_page=None, alike=None)
    part = selectors.own_part(viewer, discussion.thread)
    if part is selectors.OwnPart.OWN or len(get_messages(request)):
        return Look(
            viewer, discussion, own_page=part is not selectors.OwnPart.NONE, alike=None
        )
    first_page_identity, thread_version = first_page
    alike = Alike(
        identity=(
            article.pk,
            request.get_host(),
            request.scheme,
            request.path,
            first_page_identity,
        ),
        version=(article.modified_at, thread_version),
        tags=request.page_cache[0],
        first_page=first_page,
    )
    return Look(
        viewer,
        discussion,
        own_page=False,
        alike=alike,
        marked=part is selectors.OwnPart.MARKS,
    )


def kept_page(request, look: Look) -> HttpResponse | None:
    """The kept page for this reader, with their token, a fresh nonce and the
    comments they marked put in, if it is still what a render would give."""
    alike = look.alike
    if alike is None:
        return None
    page = _pages.get(alike.identity)
    if page is None or page.version != alike.version:
        return None
    age = time.time() - page.rendered_at
    if age >= settings.GAZETTE_PAGE_CACHE_SECONDS or store.purged_since(
        page.tags, page.rendered_at
    ):
        with _keeping:
            if _pages.get(alike.identity) is page:
                del _pages[alike.identity]
        return None
    marked = _marked_comments(request, look, page) if look.marked else None
    if look.marked and marked is None:
        return None
    content = page.for_reader(get_token(request), str(request.csp_nonce), marked)
    return HttpResponse(content, content_type=page.content_type)


def keep(request, look: Look, response, *, rendered_at: float, token: str) -> bool:
    """Keep a page just rendered alike, the reader's token and nonce taken
    out; a marked reader's marks are then put into their copy. A page that
    shows either anywhere else is not kept: another reader must never be sent
    this one's token. False where the marked reader's page could not be made:
    it is to be rendered for them alone."""
    alike = look.alike
    if response.status_code != 200 or response.streaming:
        return True
    nonce = str(request.csp_nonce)
    content = response.content.replace(
        TOKEN_FIELD.format(token).encode(), TOKEN_MARK.encode()
    ).replace(NONCE_ATTRIBUTE.format(nonce).encode(), NONCE_MARK.encode())
    segments, spans = _cut(content)
    page = KeptPage(
        version=alike.version,
        tags=alike.tags,
        rendered_at=rendered_at,
        segments=tuple(segments),
        content_type=response["Content-Type"],
        spans=spans,
        comments=rendering.first_page_comments(alike.first_page),
    )
    if token.encode() not in content and nonce.encode() not in content:
        with _keeping:
            _pages.pop(alike.identity, None)
            while _pages and len(_pages) >= settings.GAZETTE_SIGNED_IN_PAGES_KEPT:
                _pages.popitem(last=False)
            _pages[alike.identity] = page
    if not look.marked:
        return True
    marked = _marked_comments(request, look, page)
    if marked is None:
        return False
    response.content = page.for_reader(token, nonce, marked)
    return True


def _marked_comments(request, look: Look, page: KeptPage) -> dict[int, list] | None:
    """The markup, as this reader sees them, of the page's comments they marked,
    cut as the page is; None if the page cannot take them."""
    if page.comments is None:
        return None
    marks = selectors.marks_on(look.viewer, page.comments.values())
    context = Context(
        {
            "viewer": look.viewer,
            "discussion": look.discussion,
            "return_to": current_address(request),
            "csrf_token": KEPT_TOKEN,
        }
    )
    markup = {}
    for pk in marks.marked:
        if pk not in page.spans:
            return None
        comment = selectors.as_marked(
            page.comments[pk], look.viewer, look.discussion, marks
        )
        segments, spans = _cut(rendering.comment_html(context, comment).encode())
        if pk not in spans:
            return None
        # The comment's markup alone, as the page's span holds it.
        first, end = spans[pk]
        markup[pk] = segments[first:end]
    return markup
