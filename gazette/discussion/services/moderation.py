"""Moderators' decisions on comments, and on readers: the strike ladder.

A pending comment is approved (visible) or rejected; a visible one may be
rejected too. A decision is made once: a moderator acting on a comment another
already decided is told who decided it, so two moderators at once leave one
final state and one audit entry. Readers are warned (they acknowledge it before
posting again), suspended for a time, banned, always pre-moderated or trusted.
Every decision sends its subject a statement of reasons (services.notices).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gazette.discussion import guidelines
from gazette.discussion.errors import (
    AlreadyDecided,
    CommentRejected,
    ModerationRefused,
)
from gazette.discussion.models import AuditEntry, Comment, Report, Sanction
from gazette.discussion.services.audit import logs_refusals, record_entry
from gazette.discussion.services.comments import (
    feature_comment,
    locked_comment,
    move_comment,
)
from gazette.discussion.services.notices import notify_reader

SUSPENSIONS = {
    "1h": timedelta(hours=1),
    "3h": timedelta(hours=3),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
}
AUTOMOD = AuditEntry.AUTOMOD


def ensure_moderator(actor) -> None:
    """Let automod and people with the moderation permission through."""
    if actor == AUTOMOD:
        return
    if actor is None or not actor.has_perm("discussion.moderate_comment"):
        raise PermissionDenied("Only a moderator can do this.")


def _decider(actor) -> dict:
    if actor == AUTOMOD:
        return {"decided_by": None, "decided_by_name": AUTOMOD}
    return {"decided_by": actor, "decided_by_name": ""}


def _decider_label(comment: Comment) -> str:
    if comment.decided_by_name:
        return comment.decided_by_name
    return comment.decided_by.display_name if comment.decided_by else "a moderator"


def _decide(comment: Comment, *, actor, state: str, verb: str) -> Comment:
    # The row lock makes a second moderator wait, then read the first one's
    # decision: one final state, one audit entry.
    comment = locked_comment(comment)
    # Open to any moderator: held, never looked at, or reported since a decision.
    is_open = (
        comment.state == Comment.State.PENDING
        or comment.decided_at is None
        or comment.open_reports > 0
    )
    same_person = actor != AUTOMOD and comment.decided_by_id == getattr(
        actor, "pk", None
    )
    if not is_open and not same_person:
        label = _decider_label(comment)
        raise AlreadyDecided(
            f"This comment was already {comment.get_state_display().lower()} "
            f"by {label}.",
            decided_by=label,
        )
    if comment.state == Comment.State.DELETED:
        raise ModerationRefused(
            f"The author deleted this comment; it cannot be {verb}."
        )
    # Approving a comment already on the page records that a person read it
    # (and settles its reports); otherwise a decision must change something.
    reviewed = state == Comment.State.VISIBLE and is_open
    if comment.state == state and not reviewed:
        raise ModerationRefused(f"This comment is already {verb}.")
    for name, value in _decider(actor).items():
        setattr(comment, name, value)
    comment.decided_at = timezone.now()
    return move_comment(
        comment, state, fields=("decided_by", "decided_by_name", "decided_at")
    )


def _settle_reports(comment: Comment, *, actor, status: str) -> None:
    reports = list(
        Report.objects.filter(comment=comment, status=Report.Status.OPEN).exclude(
            reason=Report.Reason.STORY_ERROR
        )
    )
    person = actor if actor != AUTOMOD else None
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=status, resolved_at=timezone.now(), resolved_by=person
    )
    if comment.open_reports or comment.report_weight:
        comment.open_reports, comment.report_weight = 0, 0
        comment.save(update_fields=["open_reports", "report_weight"])
    outcome = (
        "The comment you reported was taken off the page."
        if status == Report.Status.UPHELD
        else "A moderator read the comment you reported and left it on the page."
    )
    for report in reports:
        notify_reader(
            report.reporter,
            kind="report_outcome",
            decision=outcome,
            actor=actor,
            comment=comment,
        )


@logs_refusals("discussion.comment.approve_refused")
@transaction.atomic
def approve_comment(comment: Comment, *, actor) -> Comment:
    """Put a comment held for review on the page; its open reports are dismissed."""
    ensure_moderator(actor)
    comment = _decide(
        comment, actor=actor, state=Comment.State.VISIBLE, verb="approved"
    )
    record_entry(comment, actor=actor, action="discussion.comment.approved")
    _settle_reports(comment, actor=actor, status=Report.Status.DISMISSED)
    return comment


@logs_refusals("discussion.comment.reject_refused")
@transaction.atomic
def reject_comment(comment: Comment, *, actor, reason: str) -> Comment:
    """Take a comment off the page for breaking a guideline clause; tell its author.

    `reason` is a key of guidelines.CLAUSES; the author's notice quotes it.
    """
    ensure_moderator(actor)
    text = guidelines.clause(reason)
    comment = _decide(
        comment, actor=actor, state=Comment.State.REJECTED, verb="rejected"
    )
    record_entry(
        comment, actor=actor, action="discussion.comment.rejected", reasons=[reason]
    )
    _settle_reports(comment, actor=actor, status=Report.Status.UPHELD)
    if comment.author is not None:
        notify_reader(
            comment.author,
            kind="comment_rejected",
            clause=text,
            decision="Your comment was taken off the page.",
            actor=actor,
            comment=comment,
        )
    return comment


def _sanction(
    reader, *, actor, kind: str, reason: str, ends_at=None, notice: str | None
) -> Sanction:
    ensure_moderator(actor)
    # Lock the reader's row so two moderators sanctioning at once queue up.
    type(reader).objects.select_for_update().filter(pk=reader.pk).first()
    sanction = Sanction.objects.create(
        reader=reader, kind=kind, reason=reason, ends_at=ends_at, **_decider(actor)
    )
    reasons = [reason] + ([f"until {ends_at.isoformat()}"] if ends_at else [])
    record_entry(
        sanction, actor=actor, action=f"discussion.reader.{kind}", reasons=reasons
    )
    if notice is not None:
        notify_reader(
            reader,
            kind=kind,
            clause=reason,
            decision=notice,
            actor=actor,
            until=ends_at,
            sanction=sanction,
        )
    return sanction


def _clause_text(reason: str) -> str:
    return guidelines.CLAUSES.get(reason, reason)


@logs_refusals("discussion.reader.warning_refused")
@transaction.atomic
def warn_reader(reader, *, actor, reason: str) -> Sanction:
    """Warn a reader; they acknowledge the warning before they post again."""
    return _sanction(
        reader,
        actor=actor,
        kind=Sanction.Kind.WARNING,
        reason=_clause_text(reason),
        notice="You have been warned. Acknowledge the warning to comment again.",
    )


@transaction.atomic
def acknowledge_warning(reader, *, actor) -> int:
    """Note that a reader read their warnings; return how many they acknowledged."""
    if actor is None or actor.pk != reader.pk:
        raise PermissionDenied("Readers acknowledge their own warnings.")
    warnings = Sanction.objects.select_for_update().filter(
        reader=reader, kind=Sanction.Kind.WARNING, acknowledged_at__isnull=True
    )
    changed = list(warnings)
    for warning in changed:
        warning.acknowledged_at = timezone.now()
        warning.save(update_fields=["acknowledged_at"])
        record_entry(warning, actor=actor, action="discussion.warning.acknowledged")
    return len(changed)


@logs_refusals("discussion.reader.suspension_refused")
@transaction.atomic
def suspend_reader(
    reader, *, actor, reason: str, duration: str | timedelta = "24h"
) -> Sanction:
    """Stop a reader posting for a time: 1h, 3h, 24h, 7d or a custom timedelta."""
    if isinstance(duration, str):
        if duration not in SUSPENSIONS:
            choices = ", ".join(SUSPENSIONS)
            raise ModerationRefused(f"Choose a suspension of {choices}, or a time.")
        duration = SUSPENSIONS[duration]
    if duration <= timedelta(0):
        raise ModerationRefused("A suspension must last some time.")
    ends_at = timezone.now() + duration
    return _sanction(
        reader,
        actor=actor,
        kind=Sanction.Kind.SUSPENSION,
        reason=_clause_text(reason),
        ends_at=ends_at,
        notice="You are suspended from the discussion.",
    )


@logs_refusals("discussion.reader.ban_refused")
@transaction.atomic
def ban_reader(
    reader, *, actor, reason: str, reject_comments: bool = False
) -> Sanction:
    """Ban a reader from the discussion; optionally reject all their comments."""
    sanction = _sanction(
        reader,
        actor=actor,
        kind=Sanction.Kind.BAN,
        reason=_clause_text(reason),
        notice="You are banned from the discussion.",
    )
    if reject_comments:
        comments = Comment.objects.filter(
            author=reader, state__in=[Comment.State.VISIBLE, Comment.State.PENDING]
        )
        for comment in comments.select_for_update():
            for name, value in _decider(actor).items():
                setattr(comment, name, value)
            comment.decided_at = timezone.now()
            move_comment(
                comment,
                Comment.State.REJECTED,
                fields=("decided_by", "decided_by_name", "decided_at"),
            )
            record_entry(
                comment,
                actor=actor,
                action="discussion.comment.rejected",
                reasons=["banned reader"],
            )
            _settle_reports(comment, actor=actor, status=Report.Status.UPHELD)
    return sanction


def _toggle(reader, *, actor, kind: str, enabled: bool) -> Sanction | None:
    ensure_moderator(actor)
    standing = Sanction.objects.select_for_update().filter(
        reader=reader, kind=kind, lifted_at__isnull=True
    )
    current = standing.first()
    if enabled and current is None:
        return _sanction(reader, actor=actor, kind=kind, reason="", notice=None)
    if not enabled and current is not None:
        standing.update(lifted_at=timezone.now())
        record_entry(current, actor=actor, action=f"discussion.reader.{kind}.lifted")
    return current


@transaction.atomic
def set_premoderation(reader, *, actor, enabled: bool = True) -> Sanction | None:
    """Hold every comment of this reader for review, or stop doing so."""
    return _toggle(
        reader, actor=actor, kind=Sanction.Kind.PREMODERATION, enabled=enabled
    )


@transaction.atomic
def trust_reader(reader, *, actor, trusted: bool = True) -> Sanction | None:
    """Let a reader's comments skip pre-moderation of newcomers and link checks."""
    return _toggle(reader, actor=actor, kind=Sanction.Kind.TRUST, enabled=trusted)


@logs_refusals("discussion.sanction.lift_refused")
@transaction.atomic
def lift_sanction(sanction: Sanction, *, actor) -> Sanction:
    """End a warning, suspension or ban early (an appeal upheld, a mistake)."""
    ensure_moderator(actor)
    updated = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
    sanction.refresh_from_db()
    if updated:
        record_entry(
            sanction, actor=actor, action=f"discussion.reader.{sanction.kind}.lifted"
        )
    return sanction


@dataclass(frozen=True)
class NextStep:
    """What the strike ladder says a moderator does next with a reader."""

    kind: str
    duration: timedelta | None
    strikes: int
    message: str
    label: str


def next_step(reader) -> NextStep:
    """The next rung of the ladder: warning, then 24-hour and 7-day suspensions, ban.

    Strikes older than GAZETTE_STRIKE_EXPIRY_DAYS no longer count.
    """
    since = timezone.now() - timedelta(days=settings.GAZETTE_STRIKE_EXPIRY_DAYS)
    strikes = Sanction.objects.filter(
        reader=reader,
        created_at__gte=since,
        kind__in=[Sanction.Kind.WARNING, Sanction.Kind.SUSPENSION],
    ).count()
    ladder = [
        (Sanction.Kind.WARNING, None, "a warning"),
        (Sanction.Kind.SUSPENSION, SUSPENSIONS["24h"], "a 24-hour suspension"),
        (Sanction.Kind.SUSPENSION, SUSPENSIONS["7d"], "a 7-day suspension"),
        (Sanction.Kind.BAN, None, "a ban"),
    ]
    kind, duration, words = ladder[min(strikes, len(ladder) - 1)]
    return NextStep(
        kind=kind,
        duration=duration,
        strikes=strikes,
        message=f"{strikes} strikes in {settings.GAZETTE_STRIKE_EXPIRY_DAYS} days: "
        f"next is {words}.",
        label=words,
    )


@transaction.atomic
def follow_next_step(reader, *, actor, reason: str) -> Sanction:
    """Apply the strike ladder's next rung to a reader, in one click."""
    step = next_step(reader)
    if step.kind == Sanction.Kind.WARNING:
        return warn_reader(reader, actor=actor, reason=reason)
    if step.kind == Sanction.Kind.SUSPENSION:
        return suspend_reader(
            reader, actor=actor, reason=reason, duration=step.duration
        )
    return ban_reader(reader, actor=actor, reason=reason)


DECISIONS = ("approve", "reject", "feature", "unfeature")


@dataclass(frozen=True)
class Outcome:
    """What became of one comment in a moderator's decision on a selection."""

    comment: Comment
    done: bool
    message: str


def decide_comment(comment: Comment, *, actor, decision: str, reason: str = "") -> str:
    """Approve, reject (with a guideline clause), feature or unfeature a comment.

    Returns what happened in words for the desk; refusals raise as the single
    services do (AlreadyDecided names who decided first).
    """
    if decision == "approve":
        approve_comment(comment, actor=actor)
        return "Approved: the comment is on the page."
    if decision == "reject":
        if reason not in guidelines.CLAUSES:
            raise ModerationRefused("Choose the guideline the comment breaks.")
        reject_comment(comment, actor=actor, reason=reason)
        return "Rejected: the author is told why and may appeal."
    if decision in {"feature", "unfeature"}:
        try:
            feature_comment(comment, actor=actor, is_featured=decision == "feature")
        except CommentRejected as refusal:
            raise ModerationRefused(refusal.message) from None
        return "Featured." if decision == "feature" else "No longer featured."
    raise ModerationRefused(f"Choose one of: {', '.join(DECISIONS)}.")


def decide_comments(
    comments, *, actor, decision: str, reason: str = ""
) -> list[Outcome]:
    """The same decision on a selection, one comment at a time, each in its own
    transaction: a comment someone else decided first is reported and skipped."""
    ensure_moderator(actor)
    outcomes = []
    for comment in comments:
        try:
            with transaction.atomic():
                message = decide_comment(
                    comment, actor=actor, decision=decision, reason=reason
                )
        except (ModerationRefused, PermissionDenied) as refusal:
            outcomes.append(Outcome(comment, False, str(refusal)))
        else:
            outcomes.append(Outcome(comment, True, message))
    return outcomes
