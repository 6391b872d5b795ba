"""Reads of the moderation desk: its queues, their counts, an item, a reader's record.

The queues split the comments a moderator may act on, by what happened to them:

- pending: held by the automated checks, waiting for a person;
- reported: readers reported it (visible, or hidden pending review);
- unmoderated: new and on the page, no person has looked at it;
- approved and rejected: a decision was made.

Items are ordered by risk, highest first: the civility model's score plus the
weight of the open reports, each report counting its reporter's share of
upheld reports (services.reports), so that a brigade of readers whose reports
are dismissed loses weight. Then by age, oldest first.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from gazette.discussion.models import (
    Appeal,
    AuditEntry,
    Comment,
    FollowedSection,
    Report,
    Sanction,
)
from gazette.discussion.selectors.moderation import REPORTS, reporter_accuracy
from gazette.discussion.services.moderation import NextStep, next_step
from gazette.newsroom.models import Section

PAGE_SIZE = 25


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    description: str
    condition: Q
    default_sort: str


QUEUES = {
    queue.key: queue
    for queue in (
        Queue(
            "pending",
            "Pending",
            "Held by the automated checks until a moderator decides.",
            Q(state=Comment.State.PENDING, open_reports=0),
            "risk",
        ),
        Queue(
            "reported",
            "Reported",
            "Readers reported these; enough reports take a comment off the page.",
            Q(
                open_reports__gt=0,
                state__in=[Comment.State.VISIBLE, Comment.State.PENDING],
            ),
            "risk",
        ),
        Queue(
            "unmoderated",
            "Unmoderated",
            "New and on the page; no moderator has looked at them yet.",
            Q(state=Comment.State.VISIBLE, decided_at__isnull=True, open_reports=0),
            "risk",
        ),
        Queue(
            "approved",
            "Approved",
            "A moderator put these on the page.",
            Q(state=Comment.State.VISIBLE, decided_at__isnull=False, open_reports=0),
            "newest",
        ),
        Queue(
            "rejected",
            "Rejected",
            "Taken off the page by a moderator or the automated checks.",
            Q(state=Comment.State.REJECTED),
            "newest",
        ),
    )
}
SORTS = {
    "risk": "Highest risk first",
    "oldest": "Oldest first",
    "newest": "Newest first",
}


@dataclass(frozen=True)
class DeskView:
    """What a moderator is looking at: a queue, narrowed and sorted."""

    queue: Queue
    sort: str
    section: Section | None = None
    story: str = ""
    followed_only: bool = False
    followed: tuple[Section, ...] = field(default=())

    def query(self, **changes) -> str:
        """The query string of this view, with `changes` applied (for links)."""
        values = {
            "queue": self.queue.key,
            "sort": self.sort if self.sort != self.queue.default_sort else "",
            "section": self.section.slug if self.section else "",
            "story": self.story,
            "followed": "1" if self.followed_only else "",
        }
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value})

    def narrowing(self) -> Q:
        condition = Q()
        if self.section is not None:
            condition &= Q(thread__article__section=self.section)
        elif self.followed_only:
            condition &= Q(thread__article__section__in=self.followed)
        if self.story:
            condition &= Q(thread__article__slug=self.story)
        return condition


def desk_view(params, moderator) -> DeskView:
    """Read the queue, sort and filters from a query string; unknown values are
    ignored rather than refused, so an old bookmark still opens the desk."""
    queue = QUEUES.get(params.get("queue", ""), QUEUES["pending"])
    sort = params.get("sort", "")
    followed = tuple(
        Section.objects.filter(followedsection_set_for(moderator)).order_by(
            "position", "name"
        )
    )
    section_slug = params.get("section", "")
    section = (
        Section.objects.filter(slug=section_slug).first() if section_slug else None
    )
    story = params.get("story", "").strip()[:200]
    return DeskView(
        queue=queue,
        sort=sort if sort in SORTS else queue.default_sort,
        section=section,
        story=story,
        followed_only=params.get("followed") == "1" and bool(followed),
        followed=followed,
    )


def followedsection_set_for(moderator) -> Q:
    return Q(
        pk__in=FollowedSection.objects.filter(moderator=moderator).values("section")
    )


def _ordered(comments: QuerySet, sort: str, queue: Queue) -> QuerySet:
    if sort == "oldest":
        return comments.order_by("created_at", "pk")
    if sort == "newest":
        moment = "decided_at" if queue.key in {"approved", "rejected"} else None
        if moment:
            return comments.order_by(F(moment).desc(nulls_last=True), "-pk")
        return comments.order_by("-created_at", "-pk")
    priority = Coalesce("risk_score", Value(0.0), output_field=FloatField()) + F(
        "report_weight"
    )
    return comments.annotate(priority=priority).order_by(
        "-priority", "created_at", "pk"
    )


def queue_items(view: DeskView) -> QuerySet[Comment]:
    """The comments of a queue, with what the desk shows of each (no N+1)."""
    comments = Comment.objects.filter(view.queue.condition & view.narrowing())
    open_reports = (
        Report.objects.filter(REPORTS, status=Report.Status.OPEN)
        .select_related("reporter")
        .order_by("created_at", "pk")
    )
    return _ordered(
        comments.select_related(
            "author",
            "decided_by",
            "thread__article__section",
            "parent__author",
        ).prefetch_related(
            Prefetch("reports", queryset=open_reports, to_attr="open_report_list")
        ),
        view.sort,
        view.queue,
    )


def queue_counts(view: DeskView) -> dict[str, int]:
    """How many comments wait in each queue, under the same filters: one query."""
    counts = Comment.objects.filter(view.narrowing()).aggregate(
        **{key: Count("pk", filter=queue.condition) for key, queue in QUEUES.items()}
    )
    counts["appeals"] = Appeal.objects.filter(status=Appeal.Status.OPEN).count()
    return counts


def desk_item(pk: int) -> Comment:
    """One comment as the desk shows it: story, parent, every report (and, as in
    the queues, the open ones apart)."""
    reports = Report.objects.filter(REPORTS).select_related("reporter", "resolved_by")
    comment = get_object_or_404(
        Comment.objects.select_related(
            "author",
            "decided_by",
            "thread__article__section",
            "parent__author",
        ).prefetch_related(
            Prefetch(
                "reports",
                queryset=reports.order_by("created_at", "pk"),
                to_attr="report_list",
            )
        ),
        pk=pk,
    )
    comment.open_report_list = [
        report for report in comment.report_list if report.status == "open"
    ]
    return comment


@dataclass
class AuthorRecord:
    """What the desk shows of a comment's author before a moderator decides."""

    reader: object
    comments: int
    visible: int
    pending: int
    rejected: int
    reports_against: int
    reports_upheld_against: int
    reports_filed: int
    accuracy: float
    sanctions: list[Sanction]
    in_force: list[Sanction]
    next_step: NextStep

    @property
    def premoderated(self) -> bool:
        return any(s.kind == Sanction.Kind.PREMODERATION for s in self.in_force)

    @property
    def trusted(self) -> bool:
        return any(s.kind == Sanction.Kind.TRUST for s in self.in_force)


def author_record(reader) -> AuthorRecord:
    """Member since, comments by state, reports against and by them, sanctions."""
    states = Comment.objects.filter(author=reader).aggregate(
        comments=Count("pk"),
        visible=Count("pk", filter=Q(state=Comment.State.VISIBLE)),
        pending=Count("pk", filter=Q(state=Comment.State.PENDING)),
        rejected=Count("pk", filter=Q(state=Comment.State.REJECTED)),
    )
    against = Report.objects.filter(REPORTS, comment__author=reader).aggregate(
        reports=Count("pk"),
        upheld=Count("pk", filter=Q(status=Report.Status.UPHELD)),
    )
    sanctions = list(
        Sanction.objects.filter(reader=reader).select_related("decided_by")
    )
    return AuthorRecord(
        reader=reader,
        reports_against=against["reports"],
        reports_upheld_against=against["upheld"],
        reports_filed=Report.objects.filter(REPORTS, reporter=reader).count(),
        accuracy=reporter_accuracy(reader),
        sanctions=sanctions,
        in_force=[sanction for sanction in sanctions if sanction.is_in_force()],
        next_step=next_step(reader),
        **states,
    )


def audit_of_comment(comment: Comment, *, limit: int = 50) -> list[AuditEntry]:
    """Everything that happened to one comment, newest first."""
    return list(
        AuditEntry.objects.filter(
            target_type__app_label="discussion",
            target_type__model="comment",
            target_id=comment.pk,
        ).select_related("actor")[:limit]
    )


def audit_of_reader(reader, *, limit: int = 100) -> list[AuditEntry]:
    """What the reader did and what was done about them and their comments."""
    comments = Comment.objects.filter(author=reader).values("pk")
    sanctions = Sanction.objects.filter(reader=reader).values("pk")
    return list(
        AuditEntry.objects.filter(
            Q(actor=reader)
            | Q(
                target_type__app_label="discussion",
                target_type__model="comment",
                target_id__in=comments,
            )
            | Q(
                target_type__app_label="discussion",
                target_type__model="sanction",
                target_id__in=sanctions,
            )
        ).select_related("actor", "target_type")[:limit]
    )


def desk_reader(pk: int):
    """A reader the desk looks at (404 for no such reader)."""
    return get_object_or_404(get_user_model(), pk=pk)


def reader_comments(reader, *, limit: int = 25) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(author=reader)
        .select_related("thread__article")
        .order_by("-created_at", "-pk")[:limit]
    )


def open_appeals() -> QuerySet[Appeal]:
    """Appeals waiting for a moderator, oldest first, with their decision."""
    return (
        Appeal.objects.filter(status=Appeal.Status.OPEN)
        .select_related(
            "notice__reader",
            "notice__decided_by",
            "notice__comment__thread__article",
        )
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Part:
    text: str
    reason: str = ""

    @property
    def is_match(self) -> bool:
        return bool(self.reason)


def highlighted(comment: Comment) -> list[Part]:
    """The comment's text in parts, the words the checks matched marked with why.

    A match is marked only where the stored position still holds its words (an
    edit may have moved them); overlapping matches keep the first.
    """
    body = comment.body
    spans = []
    for finding in comment.check_reasons:
        for match in finding.get("matches") or ():
            start, end = match.get("start"), match.get("end")
            if not isinstance(start, int) or not isinstance(end, int):
                continue
            if 0 <= start < end <= len(body) and body[start:end] == match.get("text"):
                label = match.get("entry") or finding.get("check", "")
                spans.append((start, end, f"{finding.get('check')}: {label}"))
    parts, position = [], 0
    for start, end, reason in sorted(spans):
        if start < position:
            continue
        if start > position:
            parts.append(Part(body[position:start]))
        parts.append(Part(body[start:end], reason))
        position = end
    if position < len(body):
        parts.append(Part(body[position:]))
    return parts
