"""Reads about moderation: a reader's notices, and the public transparency report."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from gazette.discussion.models import Appeal, AuditEntry, Comment, Notice, Report

# The actions the transparency report counts: decisions, not routine work.
DECISIONS = (
    "discussion.comment.held",
    "discussion.comment.approved",
    "discussion.comment.rejected",
    "discussion.reader.warning",
    "discussion.reader.suspension",
    "discussion.reader.ban",
)
# Readers' reports of comments; a note of an error in the story is for editors.
REPORTS = ~Q(reason=Report.Reason.STORY_ERROR)


def reporter_accuracy(reporter) -> float:
    """The share of a reader's settled reports that moderators upheld.

    Smoothed towards one half (one upheld and one dismissed report are assumed),
    so a new reader's report counts 0.5 and each decision moves the figure.
    """
    return accuracies([reporter.pk]).get(reporter.pk, 0.5)


def accuracies(reader_ids) -> dict[int, float]:
    """reporter_accuracy for many readers in one query."""
    rows = (
        Report.objects.filter(REPORTS, reporter_id__in=list(reader_ids))
        .values("reporter_id")
        .annotate(
            upheld=Count("pk", filter=Q(status=Report.Status.UPHELD)),
            dismissed=Count("pk", filter=Q(status=Report.Status.DISMISSED)),
        )
    )
    return {
        row["reporter_id"]: (row["upheld"] + 1) / (row["upheld"] + row["dismissed"] + 2)
        for row in rows
    }


def moderators_decisions() -> tuple[list[str], list[int]]:
    """The comments the paper's moderators approved (0) or rejected (1), for training.

    Only a person's decisions count: automod's would teach the model itself.
    """
    decided = Comment.objects.filter(
        decided_by__isnull=False,
        state__in=[Comment.State.VISIBLE, Comment.State.REJECTED],
    ).values_list("body", "state")
    texts, labels = [], []
    for body, state in decided.order_by("pk").iterator():
        texts.append(body)
        labels.append(1 if state == Comment.State.REJECTED else 0)
    return texts, labels


def notices_of(reader) -> QuerySet[Notice]:
    """The statements of reasons sent to a reader, newest first, with appeals."""
    return (
        Notice.objects.filter(reader=reader)
        .select_related("appeal", "comment", "sanction")
        .order_by("-created_at", "-pk")
    )


def access_notice_for_reader(reader, notice_id: int) -> Notice:
    """A notice, only for the reader it was sent to (404 for anyone else)."""
    return get_object_or_404(
        Notice.objects.select_related("appeal", "comment__thread__article"),
        pk=notice_id,
        reader_id=getattr(reader, "pk", None),
    )


@dataclass
class MonthReport:
    """One month of moderation, as the public transparency page shows it."""

    month: date
    actions: Counter = field(default_factory=Counter)  # (action, reason, automated)
    appeals_resolved: int = 0
    appeals_upheld: int = 0
    decision_seconds: list[float] = field(default_factory=list)

    @property
    def upheld_share(self) -> float | None:
        if not self.appeals_resolved:
            return None
        return self.appeals_upheld / self.appeals_resolved

    @property
    def median_time_to_decision(self) -> timedelta | None:
        if not self.decision_seconds:
            return None
        return timedelta(seconds=statistics.median(self.decision_seconds))

    @property
    def rows(self) -> list[tuple[str, str, str, int]]:
        return [
            (action, reason, "automated" if automated else "person", count)
            for (action, reason, automated), count in sorted(self.actions.items())
        ]


def _month(moment) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def transparency_report(*, months: int = 12) -> list[MonthReport]:
    """Moderation per month: actions by type and reason, automated or by a person,
    the share of appeals upheld, the median time from comment to decision.

    Months are the paper's own (its time zone); three queries.
    """
    since = timezone.now() - timedelta(days=31 * months)
    reports: dict[date, MonthReport] = defaultdict(lambda: MonthReport(date.min))
    entries = AuditEntry.objects.filter(
        action__in=DECISIONS, created_at__gte=since
    ).values_list("action", "reasons", "actor_name", "created_at")
    for action, reasons, actor_name, created_at in entries:
        reason = str(reasons[0]) if reasons else ""
        key = (action.removeprefix("discussion."), reason, actor_name == "automod")
        reports[_month(created_at)].actions[key] += 1
    appeals = Appeal.objects.filter(resolved_at__gte=since).values_list(
        "status", "resolved_at"
    )
    for status, resolved_at in appeals:
        report = reports[_month(resolved_at)]
        report.appeals_resolved += 1
        report.appeals_upheld += status == Appeal.Status.UPHELD
    decided = Comment.objects.filter(decided_at__gte=since).values_list(
        "created_at", "decided_at"
    )
    for created_at, decided_at in decided:
        seconds = (decided_at - created_at).total_seconds()
        reports[_month(decided_at)].decision_seconds.append(seconds)
    for month, report in reports.items():
        report.month = month
    return [reports[month] for month in sorted(reports, reverse=True)]
