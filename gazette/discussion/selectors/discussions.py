"""A story's discussion as readers find it, and who is looking at it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from gazette.accounts.selectors import commenting_block
from gazette.discussion.models import Thread
from gazette.newsroom.models import Article


def posting_block(reader, *, next_url: str = "", sanctions=None):
    """Why this reader may not post yet (sign in, verify, accept terms), or None.

    The accounts app decides who may take part; `next_url` is where its action
    link brings the reader back to; `sanctions`, the reader's open sanctions if
    already read (pipeline.open_sanctions).
    """
    return commenting_block(reader, next_url=next_url, sanctions=sanctions)


@dataclass(frozen=True)
class Discussion:
    """A story's discussion as readers find it now: open, closed or hidden."""

    article: Article
    thread: Thread | None
    state: str
    closes_at: datetime | None

    @property
    def comment_count(self) -> int:
        return self.thread.comment_count if self.thread else 0

    @property
    def is_open(self) -> bool:
        return self.state == Thread.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == Thread.State.CLOSED

    @property
    def is_hidden(self) -> bool:
        return self.state == Thread.State.HIDDEN


def thread_of(article: Article) -> Thread | None:
    """The story's thread, if anyone has commented or an editor has set its state.

    Fronts and story pages fetch it with select_related("thread"): no query here.
    """
    try:
        return article.thread
    except Thread.DoesNotExist:
        return None


def default_closing_time(article: Article) -> datetime | None:
    """When a story's discussion closes unless an editor chose another time."""
    if article.published_at is None:
        return None
    days = settings.GAZETTE_COMMENTS_CLOSE_AFTER_DAYS
    return article.published_at + timedelta(days=days)


def discussion_of(
    article: Article, *, thread: Thread | None = None, now: datetime | None = None
) -> Discussion:
    """The discussion of a story: its thread, and whether it is open now."""
    thread = thread or thread_of(article)
    closes_at = (thread.closes_at if thread else None) or default_closing_time(article)
    state = thread.state if thread else Thread.State.OPEN
    if (
        state == Thread.State.OPEN
        and closes_at
        and (now or timezone.now()) >= closes_at
    ):
        state = Thread.State.CLOSED
    return Discussion(article=article, thread=thread, state=state, closes_at=closes_at)


def live_article(slug: str) -> Article:
    """A story readers may see, with its thread, else 404."""
    try:
        return Article.objects.live().select_related("thread", "section").get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such story.") from None


@dataclass(frozen=True)
class Viewer:
    """The person reading the discussion, and whether they may join in."""

    reader: object | None
    block: object | None

    @property
    def can_post(self) -> bool:
        return self.reader is not None and self.block is None

    @property
    def pk(self) -> int | None:
        return getattr(self.reader, "pk", None)


def viewer_of(user, *, next_url: str = "") -> Viewer:
    """The viewer behind a request's user: a signed-in reader, or nobody."""
    reader = user if user is not None and user.is_authenticated else None
    return Viewer(reader=reader, block=posting_block(user, next_url=next_url))
