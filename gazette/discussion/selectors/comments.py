"""Pages of comments in each sort, and single conversations.

Pages use keyset pagination: each sort orders by one indexed column and the id,
and the next page starts after the last comment shown, so page 500 costs what
page 1 costs. The first page is always the same few queries, however many
comments a story has.
"""

import copy
import enum
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gazette.discussion.models import Comment, Mute, Reaction, Report, Thread
from gazette.discussion.selectors.discussions import Discussion, Viewer, discussion_of

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# States a comment leaves a placeholder in when replies hang below it.
PLACEHOLDER_STATES = [
    Comment.State.PENDING,
    Comment.State.HIDDEN,
    Comment.State.REJECTED,
    Comment.State.DELETED,
]


# What a page shows of a comment, its author and the comment it answers: a page
# of 200 comments builds 800 objects, and the moderation fields and the rest of
# each account would only slow that down.
SHOWN_FIELDS = (
    "thread",
    "author",
    "parent",
    "root",
    "reply_to",
    "depth",
    "body",
    "body_html",
    "state",
    "is_featured",
    "reaction_count",
    "reply_count",
    "created_at",
    "edited_at",
    "author__display_name",
    "author__is_staff",
)


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    column: str
    descending: bool
    is_featured: bool = False


SORTS = {
    sort.key: sort
    for sort in [
        Sort("featured", "Featured", "created_at", True, is_featured=True),
        Sort("newest", "Newest", "created_at", True),
        Sort("oldest", "Oldest", "created_at", False),
        Sort("reactions", "Most reactions", "reaction_count", True),
        Sort("replies", "Most replies", "reply_count", True),
    ]
}


def cursor_for(comment: Comment, sort: Sort) -> str:
    """Where the next page starts: the last comment's sort value and id."""
    value = getattr(comment, sort.column)
    if isinstance(value, datetime):
        value = (value - EPOCH) // MICROSECOND
    return f"{value}_{comment.pk}"


def cursor_at(comment: Comment, sort: Sort) -> str:
    """A cursor whose page starts with this comment (ascending sorts)."""
    value, _ = cursor_for(comment, sort).split("_")
    return f"{value}_{comment.pk - 1}"


def after_cursor(comments: QuerySet[Comment], sort: Sort, cursor: str) -> QuerySet:
    """Comments that come after the cursor in this sort order, else 404."""
    try:
        raw_value, raw_pk = cursor.split("_")
        value: int | datetime = int(raw_value)
        pk = int(raw_pk)
        if sort.column == "created_at":
            value = EPOCH + value * MICROSECOND
    except (ValueError, OverflowError):
        raise Http404("No such page of comments.") from None
    column = sort.column
    before, strictly = ("lte", "lt") if sort.descending else ("gte", "gt")
    # The first condition repeats the second's bound so that the database can
    # start reading the index at the cursor instead of filtering up to it.
    return comments.filter(
        Q(**{f"{column}__{before}": value})
        & (Q(**{f"{column}__{strictly}": value}) | Q(**{f"pk__{strictly}": pk}))
    )


def ordered(comments: QuerySet[Comment], sort: Sort) -> QuerySet[Comment]:
    if sort.descending:
        return comments.order_by(F(sort.column).desc(), F("pk").desc())
    return comments.order_by(F(sort.column).asc(), F("pk").asc())


def listed_comments(
    thread: Thread, viewer: Viewer, *, roots: list[int] | None = None
) -> QuerySet[Comment]:
    """The comments of a thread this viewer sees, each with what the viewer did.

    Readers see visible comments, their own at any stage but deleted, and a
    placeholder where a comment that is gone still has replies below it. The
    comments of readers the viewer muted are left out, unless replies hang below.
    With `roots`, only the replies in those conversations: found through the
    conversation index, however many comments the thread holds.
    """
    shown = Q(state=Comment.State.VISIBLE) | Q(
        state__in=PLACEHOLDER_STATES, reply_count__gt=0
    )
    scope = Q(thread=thread) if roots is None else Q(root_id__in=roots)
    comments = (
        Comment.objects.filter(scope).select_related("author").only(*SHOWN_FIELDS)
    )
    if viewer.reader is None:
        return comments.filter(shown).annotate(
            is_muted=Value(False),
            has_respected=Value(False),
            has_reported=Value(False),
        )
    shown |= Q(author=viewer.reader) & ~Q(state=Comment.State.DELETED)
    return (
        comments.filter(shown)
        .annotate(
            is_muted=Exists(
                Mute.objects.filter(reader=viewer.reader, muted=OuterRef("author"))
            ),
            has_respected=Exists(
                Reaction.objects.filter(reader=viewer.reader, comment=OuterRef("pk"))
            ),
            has_reported=Exists(
                Report.objects.filter(reporter=viewer.reader, comment=OuterRef("pk"))
            ),
        )
        .exclude(is_muted=True, reply_count=0)
    )


class OwnPart(enum.Enum):
    """What a thread's pages show of a viewer's own."""

    # Nothing: they see what every viewer like them sees.
    NONE = "none"
    # The same comments, some of them marked as theirs: written by them (and
    # shown to everyone), given their Respect or reported by them.
    MARKS = "marks"
    # Comments only they see (theirs awaiting review or removed), or the
    # comments of readers they muted left out: a page of their own.
    OWN = "own"


def own_part(viewer: Viewer, thread: Thread) -> OwnPart:
    """What the thread's pages show of this viewer's own.

    One query, written out, because it is asked on every page a reader opens
    and building it through the ORM cost ten times its run. Each part is found
    through the reader's own rows: their comments (comment_by_author_idx, and
    comment_unshared_idx for those only they see), their Respect and reports
    (read first, then their comments by id; the other way round read every
    comment of a busy story), their mutes.
    """
    if viewer.reader is None:
        return OwnPart.NONE
    with connection.cursor() as cursor:
        cursor.execute(_own_part_sql(), [thread.pk, viewer.pk] * 4 + [viewer.pk])
        has_part, has_own_page = cursor.fetchone()
    if has_own_page:
        return OwnPart.OWN
    return OwnPart.MARKS if has_part else OwnPart.NONE


def has_own_part(viewer: Viewer, thread: Thread) -> bool:
    """Whether the thread's pages show this viewer anything of their own: a
    comment they wrote, gave Respect to or reported, or anyone muted."""
    return own_part(viewer, thread) is not OwnPart.NONE


@functools.cache
def _own_part_sql() -> str:
    comments = Comment._meta.db_table
    # CROSS JOIN keeps SQLite's planner to the order written (PostgreSQL plans
    # it as a plain join); the last comment condition is the partial index's.
    return (
        f"SELECT EXISTS (SELECT 1 FROM {comments}"
        " WHERE thread_id = %s AND author_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {Reaction._meta.db_table} AS mark"
        f" CROSS JOIN {comments} AS comment"
        " WHERE comment.id = mark.comment_id"
        " AND comment.thread_id = %s AND mark.reader_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {Report._meta.db_table} AS mark"
        f" CROSS JOIN {comments} AS comment"
        " WHERE comment.id = mark.comment_id"
        " AND comment.thread_id = %s AND mark.reporter_id = %s),"
        f" EXISTS (SELECT 1 FROM {comments}"
        " WHERE thread_id = %s AND author_id = %s"
        f" AND {_unshared_condition()})"
        f" OR EXISTS (SELECT 1 FROM {Mute._meta.db_table} WHERE reader_id = %s)"
    )


def _unshared_condition() -> str:
    """comment_unshared_idx's condition, as Django writes it for the index."""
    [index] = [i for i in Comment._meta.indexes if i.name == "comment_unshared_idx"]
    return index._get_condition_sql(Comment, connection.schema_editor())


@dataclass(frozen=True)
class Marks:
    """Which comments of a page a viewer wrote, gave Respect to, reported."""

    own: frozenset[int] = frozenset()
    respected: frozenset[int] = frozenset()
    reported: frozenset[int] = frozenset()

    @property
    def marked(self) -> frozenset[int]:
        return self.own | self.respected | self.reported


# Comments asked about in one statement: each is two parameters, and SQLite
# takes 999 at most.
MARKS_AT_ONCE = 400


def marks_on(viewer: Viewer, comments) -> Marks:
    """The viewer's marks on these comments (a page's couple of hundred): which
    are theirs, from the comments' authors, and which they gave Respect to or
    reported, one probe of the marks' own index a comment, however many marks
    the reader has elsewhere."""
    if viewer.reader is None:
        return Marks()
    reader = viewer.pk
    comments = list(comments)
    pks = sorted(comment.pk for comment in comments)
    found: dict[int, set[int]] = {1: set(), 2: set()}
    with connection.cursor() as cursor:
        for start in range(0, len(pks), MARKS_AT_ONCE):
            chunk = pks[start : start + MARKS_AT_ONCE]
            cursor.execute(_marks_sql(len(chunk)), [reader, *chunk] * 2)
            for kind, pk in cursor.fetchall():
                found[kind].add(pk)
    return Marks(
        own=frozenset(c.pk for c in comments if c.author_id == reader),
        respected=frozenset(found[1]),
        reported=frozenset(found[2]),
    )


@functools.lru_cache(maxsize=32)
def _marks_sql(count: int) -> str:
    among = ", ".join(["%s"] * count)
    return (
        f"SELECT 1, comment_id FROM {Reaction._meta.db_table}"
        f" WHERE reader_id = %s AND comment_id IN ({among})"
        f" UNION ALL SELECT 2, comment_id FROM {Report._meta.db_table}"
        f" WHERE reporter_id = %s AND comment_id IN ({among})"
    )


def as_marked(
    comment: Comment, viewer: Viewer, discussion: Discussion, marks: Marks
) -> Comment:
    """A comment of a page that viewers alike see, as this viewer sees it: a
    copy, with their marks and what they may do with it."""
    seen = copy.copy(comment)
    seen.has_respected = comment.pk in marks.respected
    seen.has_reported = comment.pk in marks.reported
    _mark_for_viewer(seen, viewer.pk, discussion, *_edit_window())
    return seen


@dataclass
class CommentPage:
    """One page of a discussion, replies nested under the comments they answer."""

    discussion: Discussion
    sort: Sort
    comments: list[Comment]
    next_cursor: str | None = None
    has_featured: bool = False
    sorts: list[Sort] = field(default_factory=list)


def _decorate(
    comments: list[Comment],
    *,
    viewer: Viewer,
    discussion: Discussion,
    out_of_place: bool = False,
) -> None:
    """Mark what the viewer may do with each comment, and bring the comments
    that replies name (no query when those are among `comments`)."""
    reader, (now, window) = viewer.pk, _edit_window()
    for comment in comments:
        _mark_for_viewer(comment, reader, discussion, now, window)
        comment.can_reply = (
            discussion.is_open and comment.is_visible and not comment.is_muted
        )
        # Below the deepest level a reply sits beside the one it answers, so it
        # names whom it answers; so does a reply shown on its own (Featured).
        comment.names_whom_it_answers = comment.reply_to_id is not None and (
            comment.reply_to_id != comment.parent_id or out_of_place
        )
    _attach_answered(comments)


def _edit_window() -> tuple[datetime, timedelta]:
    """Now, and how long after posting a comment may be edited."""
    return timezone.now(), timedelta(minutes=settings.GAZETTE_COMMENT_EDIT_MINUTES)


def _mark_for_viewer(
    comment: Comment,
    reader: int | None,
    discussion: Discussion,
    now: datetime,
    window: timedelta,
) -> None:
    """Whether the comment is the reader's (their id; None for a visitor), and
    whether they may still edit or delete it."""
    comment.is_own = reader is not None and comment.author_id == reader
    comment.can_edit = (
        comment.is_own
        and discussion.is_open
        and comment.state in {Comment.State.VISIBLE, Comment.State.PENDING}
        and now - comment.created_at <= window
    )
    comment.can_delete = comment.is_own and comment.state != Comment.State.DELETED


def _attach_answered(comments: list[Comment]) -> None:
    """The comment each reply names ("In reply to ..."), from the page when it is
    there, else in one query for all of them."""
    naming = [comment for comment in comments if comment.names_whom_it_answers]
    if not naming:
        return
    known = {comment.pk: comment for comment in comments}
    missing = {c.reply_to_id for c in naming} - known.keys()
    if missing:
        answered = (
            Comment.objects.filter(pk__in=missing)
            .select_related("author")
            .only("root", "depth", "author__display_name")
        )
        known.update((comment.pk, comment) for comment in answered)
    for comment in naming:
        Comment.reply_to.field.set_cached_value(comment, known.get(comment.reply_to_id))


def _nest(comments: list[Comment], replies: list[Comment]) -> None:
    """Hang each reply under its parent on the page, oldest first."""
    below: dict[int, list[Comment]] = defaultdict(list)
    for reply in replies:
        below[reply.parent_id].append(reply)
    for comment in [*comments, *replies]:
        comment.shown_replies = below.get(comment.pk, [])


def _count_hidden_replies(comments: list[Comment]) -> None:
    for comment in comments:
        stack, shown = list(comment.shown_replies), 0
        while stack:
            reply = stack.pop()
            shown += reply.is_visible
            stack.extend(reply.shown_replies)
        comment.more_replies = max(comment.reply_count - shown, 0)


def comment_page(
    discussion: Discussion,
    *,
    viewer: Viewer,
    sort_key: str | None = None,
    after: str | None = None,
) -> CommentPage:
    """A page of a story's comments in the sort the reader chose.

    With no sort chosen, featured comments come first when there are any.
    Each comment on the page brings its first replies (up to
    GAZETTE_COMMENT_REPLIES_SHOWN); the rest are on the comment's own page.
    """
    thread = discussion.thread
    has_featured = (
        thread is not None
        and Comment.objects.filter(
            thread=thread, is_featured=True, state=Comment.State.VISIBLE
        ).exists()
    )
    sort = SORTS.get(sort_key or "") or SORTS["featured" if has_featured else "newest"]
    sorts = [s for s in SORTS.values() if has_featured or not s.is_featured]
    page = CommentPage(discussion, sort, [], has_featured=has_featured, sorts=sorts)
    if thread is None or discussion.is_hidden:
        return page
    comments = listed_comments(thread, viewer)
    if sort.is_featured:
        comments = comments.filter(is_featured=True, state=Comment.State.VISIBLE)
    else:
        comments = comments.filter(depth=0)
    if after:
        comments = after_cursor(comments, sort, after)
    size = settings.GAZETTE_COMMENT_PAGE_SIZE
    page.comments = list(ordered(comments, sort)[: size + 1])
    if len(page.comments) > size:
        page.comments = page.comments[:size]
        page.next_cursor = cursor_for(page.comments[-1], sort)
    replies = [] if sort.is_featured else _first_replies(thread, page.comments, viewer)
    _nest(page.comments, replies)
    _count_hidden_replies(page.comments)
    _decorate(
        [*page.comments, *replies],
        viewer=viewer,
        discussion=discussion,
        out_of_place=sort.is_featured,
    )
    return page


def _first_replies(
    thread: Thread, roots: list[Comment], viewer: Viewer
) -> list[Comment]:
    """The first replies in each conversation on the page, in one query."""
    if not roots:
        return []
    place = Window(
        RowNumber(),
        partition_by=[F("root_id")],
        order_by=[F("created_at").asc(), F("pk").asc()],
    )
    replies = (
        listed_comments(thread, viewer, roots=[root.pk for root in roots])
        .annotate(place=place)
        .filter(place__lte=settings.GAZETTE_COMMENT_REPLIES_SHOWN)
        .order_by("created_at", "pk")
    )
    return list(replies)


def comment_for_reader(pk: int) -> Comment:
    """A comment under a story readers may see, with its story, else 404.

    Whether the reader may act on it (reply, react, report) is the service's
    call, so that a refusal can say why.
    """
    try:
        comment = Comment.objects.select_related(
            "author", "thread__article__section", "reply_to__author"
        ).get(pk=pk)
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None
    if not comment.thread.article.is_live:
        raise Http404("No such comment.")
    return comment


def comment_as_seen(pk: int, viewer: Viewer, *, out_of_place: bool = False) -> Comment:
    """One comment as the viewer sees it on the page (after an edit, a Respect).

    `out_of_place` is for a reply shown away from its conversation, which then
    names whom it answers.
    """
    comment = comment_for_reader(pk)
    discussion = discussion_of(comment.thread.article)
    # A hidden discussion is shown to no one, one comment at a time included.
    if discussion.is_hidden:
        raise Http404("No such comment.")
    try:
        seen = listed_comments(comment.thread, viewer).get(pk=pk)
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None
    seen.shown_replies, seen.more_replies = [], 0
    _decorate([seen], viewer=viewer, discussion=discussion, out_of_place=out_of_place)
    return seen


def address_of(comment: Comment) -> str:
    """A page that shows this comment: its conversation, from the right reply on."""
    conversation_url = reverse(
        "discussion:comment", kwargs={"pk": comment.root_id or comment.pk}
    )
    if comment.depth == 0:
        return f"{conversation_url}#comment-{comment.pk}"
    first = comment if comment.depth == 1 else comment.parent
    cursor = cursor_at(first, SORTS["oldest"])
    return f"{conversation_url}?after={cursor}#comment-{comment.pk}"


def access_own_comment(reader, pk: int) -> Comment:
    """A comment the reader wrote (to edit or delete), else 404."""
    comment = comment_for_reader(pk)
    if reader is None or not reader.is_authenticated or comment.author_id != reader.pk:
        raise Http404("No such comment.")
    return comment


def conversation(
    comment: Comment, *, viewer: Viewer, after: str | None = None
) -> CommentPage:
    """A comment with all its replies, a page of direct replies at a time."""
    discussion = discussion_of(comment.thread.article)
    root_pk = comment.root_id or comment.pk
    listed = listed_comments(comment.thread, viewer)
    if discussion.is_hidden:
        raise Http404("No such comment.")
    try:
        root = listed.get(pk=root_pk)
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None
    sort = SORTS["oldest"]
    replies = listed.filter(root_id=root_pk, depth=1)
    if after:
        replies = after_cursor(replies, sort, after)
    size = settings.GAZETTE_COMMENT_PAGE_SIZE
    first = list(ordered(replies, sort)[: size + 1])
    page = CommentPage(discussion, sort, [root])
    if len(first) > size:
        first = first[:size]
        page.next_cursor = cursor_for(first[-1], sort)
    deeper = list(
        listed.filter(parent_id__in=[reply.pk for reply in first]).order_by(
            "created_at", "pk"
        )
    )
    _nest([root], [*first, *deeper])
    root.more_replies = 0
    _decorate([root, *first, *deeper], viewer=viewer, discussion=discussion)
    return page
