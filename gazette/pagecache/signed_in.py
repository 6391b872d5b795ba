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

GAZETTE_SIGNED_IN_PAGES_KEPT bounds how many pages a process keeps (0: none).
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.middleware.csrf import get_token

from gazette.discussion import rendering, selectors
from gazette.discussion.context import current_address, is_htmx
from gazette.pagecache import store

TOKEN_FIELD = rendering.TOKEN_FIELD
TOKEN_MARK = TOKEN_FIELD.format("kept-page-csrf-token")
NONCE_ATTRIBUTE = 'nonce="{}"'
NONCE_MARK = NONCE_ATTRIBUTE.format("kept-page-nonce")


@dataclass(frozen=True)
class Alike:
    """The page a reader shares with the readers like them: which, and how new."""

    identity: tuple
    version: tuple
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Look:
    """What was read of a signed-in reader to know whether their page is shared;
    the page's discussion takes it as read."""

    viewer: selectors.Viewer
    # Whether they have a part of their own in the thread; None if not asked.
    own_part: bool | None
    alike: Alike | None


@dataclass(frozen=True)
class KeptPage:
    version: tuple
    tags: tuple[str, ...]
    rendered_at: float
    # The page cut where the reader's token goes (hundreds of forms on a busy
    # page): joining the pieces with it copies the page once.
    pieces: tuple[bytes, ...]
    content_type: str

    @property
    def content(self) -> bytes:
        return TOKEN_MARK.encode().join(self.pieces)

    def for_reader(self, token: str, nonce: str) -> bytes:
        nonce_mark, nonce = NONCE_MARK.encode(), NONCE_ATTRIBUTE.format(nonce).encode()
        return (
            TOKEN_FIELD.format(token)
            .encode()
            .join(
                piece.replace(nonce_mark, nonce) if nonce_mark in piece else piece
                for piece in self.pieces
            )
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
        return Look(viewer=viewer, own_part=None, alike=None)
    own_part = selectors.has_own_part(viewer, discussion.thread)
    if own_part or len(get_messages(request)):
        return Look(viewer=viewer, own_part=own_part, alike=None)
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
    )
    return Look(viewer=viewer, own_part=False, alike=alike)


def kept_page(request, look: Look) -> HttpResponse | None:
    """The kept page for this reader, with their token and a fresh nonce, if it
    is still what a render would give."""
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
    content = page.for_reader(get_token(request), str(request.csp_nonce))
    return HttpResponse(content, content_type=page.content_type)


def keep(request, alike: Alike, response, *, rendered_at: float, token: str) -> None:
    """Keep a page just rendered for a reader alike, their token and nonce
    taken out. A page that shows either anywhere else is not kept: another
    reader must never be sent this one's token."""
    if response.status_code != 200 or response.streaming:
        return
    nonce = str(request.csp_nonce)
    content = response.content.replace(
        TOKEN_FIELD.format(token).encode(), TOKEN_MARK.encode()
    ).replace(NONCE_ATTRIBUTE.format(nonce).encode(), NONCE_MARK.encode())
    if token.encode() in content or nonce.encode() in content:
        return
    page = KeptPage(
        version=alike.version,
        tags=alike.tags,
        rendered_at=rendered_at,
        pieces=tuple(content.split(TOKEN_MARK.encode())),
        content_type=response["Content-Type"],
    )
    with _keeping:
        _pages.pop(alike.identity, None)
        while _pages and len(_pages) >= settings.GAZETTE_SIGNED_IN_PAGES_KEPT:
            _pages.popitem(last=False)
        _pages[alike.identity] = page
