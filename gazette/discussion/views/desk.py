"""The moderation desk, /moderate/: queues, an item, a reader's record, appeals.

Every action is a plain form that returns the moderator to where they were; an
htmx request gets the item back in its new state instead, and an HX-Trigger
that refreshes the queue counts. static/gazette/js/desk.js adds the keyboard.
"""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gazette.discussion import forms, guidelines, services
from gazette.discussion.context import current_address, is_htmx, return_address
from gazette.discussion.errors import ModerationRefused
from gazette.discussion.models import Appeal, Comment, Sanction
from gazette.discussion.selectors import desk as selectors
from gazette.discussion.services.moderation import SUSPENSIONS
from gazette.newsroom.models import Section

COUNTS_CHANGED = "desk-counts"


def moderator_required(view):
    """Signed in (else to the sign-in page) and a moderator (else 403)."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.has_perm("discussion.moderate_comment"):
            raise PermissionDenied("The moderation desk is for moderators.")
        return view(request, *args, **kwargs)

    return guarded


def suggested_clause(comment: Comment) -> str:
    """The guideline a rejection most likely cites, chosen first in the form."""
    for report in getattr(comment, "open_report_list", ()):
        if report.reason in guidelines.CLAUSES:
            return report.reason
    checks = {reason.get("check") for reason in comment.check_reasons}
    for check, clause in (
        ("civility", "personal_attack"),
        ("words", "offensive"),
        ("links", "links"),
    ):
        if check in checks:
            return check_clause(comment, clause)
    return "personal_attack"


def check_clause(comment: Comment, default: str) -> str:
    for reason in comment.check_reasons:
        if reason.get("check") == "civility" and "good taste" in reason.get(
            "reason", ""
        ):
            return "offensive"
    return default


def item_context(
    request,
    comment: Comment,
    *,
    outcome: str = "",
    error: str = "",
    selectable: bool = False,
) -> dict:
    """What the desk shows of one comment, and the decisions it offers."""
    state = comment.state
    return {
        "comment": comment,
        "parts": selectors.highlighted(comment),
        "clauses": guidelines.CLAUSES,
        "suggested": suggested_clause(comment),
        "can_approve": state == Comment.State.PENDING
        or (state == Comment.State.VISIBLE and comment.decided_at is None)
        or state in {Comment.State.REJECTED, Comment.State.HIDDEN},
        "can_reject": state in {Comment.State.PENDING, Comment.State.VISIBLE},
        "can_feature": state == Comment.State.VISIBLE,
        "back": current_address(request),
        "selectable": selectable,
        "outcome": outcome,
        "error": error,
    }


def counts_context(view) -> dict:
    counts = selectors.queue_counts(view)
    tabs = [
        {"queue": queue, "count": counts[key], "query": view.query(queue=key, page="")}
        for key, queue in selectors.QUEUES.items()
    ]
    return {"view": view, "tabs": tabs, "appeals": counts["appeals"]}


@require_GET
@moderator_required
def queue(request):
    """A queue of comments, filtered and sorted, a page at a time."""
    view = selectors.desk_view(request.GET, request.user)
    page = Paginator(selectors.queue_items(view), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [
        item_context(request, comment, selectable=True) for comment in page.object_list
    ]
    return render(
        request,
        "discussion/desk/queue.html",
        {
            "page": page,
            "items": items,
            "sorts": selectors.SORTS,
            "sections": Section.objects.order_by("position", "name"),
            "clauses": guidelines.CLAUSES,
            **counts_context(view),
        },
    )


@require_GET
@moderator_required
def counts(request):
    """The queue counts alone, which the desk asks for while it is open."""
    view = selectors.desk_view(request.GET, request.user)
    return render(request, "discussion/desk/includes/counts.html", counts_context(view))


@require_GET
@moderator_required
def item(request, pk):
    """One comment, whole: story, parent, reports, its audit, the author's record."""
    comment = selectors.desk_item(pk)
    context = {
        "item": item_context(request, comment),
        "audit": selectors.audit_of_comment(comment),
        "record": selectors.author_record(comment.author) if comment.author else None,
        "clauses": guidelines.CLAUSES,
        "suspensions": SUSPENSIONS,
    }
    return render(request, "discussion/desk/item.html", context)


def _answer(request, comment: Comment, *, outcome: str = "", error: str = ""):
    """The item in its new state for htmx; for a plain form, a message and back."""
    if is_htmx(request):
        comment = selectors.desk_item(comment.pk)
        item = item_context(
            request,
            comment,
            outcome=outcome,
            error=error,
            selectable=request.POST.get("selectable") == "1",
        )
        response = render(request, "discussion/desk/includes/item.html", {"item": item})
        response["HX-Trigger"] = COUNTS_CHANGED
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, outcome)
    return redirect(return_address(request, reverse("desk:queue")))


@require_POST
@moderator_required
def decide(request, pk):
    """Approve, reject, feature or unfeature one comment."""
    comment = get_object_or_404(Comment, pk=pk)
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    try:
        outcome = services.decide_comment(
            comment,
            actor=request.user,
            decision=form.cleaned_data.get("decision", ""),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ModerationRefused as refusal:
        return _answer(request, comment, error=refusal.message)
    return _answer(request, comment, outcome=outcome)


@require_POST
@moderator_required
def bulk(request):
    """The same decision on every selected comment; each one's outcome is told."""
    form = forms.BulkDecisionForm(request.POST)
    form.is_valid()
    ids = form.cleaned_data.get("ids") or []
    back = return_address(request, reverse("desk:queue"))
    if not ids:
        messages.error(request, "Select the comments to decide first.")
        return redirect(back)
    comments = Comment.objects.filter(pk__in=ids).order_by("pk")
    outcomes = services.decide_comments(
        comments,
        actor=request.user,
        decision=form.cleaned_data.get("decision", ""),
        reason=form.cleaned_data.get("reason", ""),
    )
    done = [outcome for outcome in outcomes if outcome.done]
    if done:
        messages.success(request, f"{done[0].message} ({len(done)} comments)")
    for outcome in outcomes:
        if not outcome.done:
            messages.error(request, f"Comment {outcome.comment.pk}: {outcome.message}")
    return redirect(back)


SANCTIONS = {
    "warn": "Warned: the reader acknowledges the warning before posting again.",
    "suspend": "Suspended.",
    "ban": "Banned.",
    "ladder": "Done: the next step of the ladder.",
    "premoderate": "Every comment of this reader now waits for a moderator.",
    "unpremoderate": "This reader's comments are no longer all held.",
    "trust": "Trusted: this reader's comments skip the newcomers' checks.",
    "untrust": "No longer trusted.",
    "lift": "The sanction is lifted.",
}


def _custom_duration(form) -> timedelta | str:
    duration = form.cleaned_data.get("duration") or "24h"
    if duration != "custom":
        return duration
    hours = form.cleaned_data.get("hours")
    if not hours:
        raise ModerationRefused("Give the custom suspension in hours (1 or more).")
    return timedelta(hours=hours)


def _sanction(reader, form, *, actor):
    kind = form.cleaned_data.get("kind", "")
    reason = form.cleaned_data.get("reason", "")
    if kind in {"warn", "suspend", "ban", "ladder"} and reason not in (
        guidelines.CLAUSES
    ):
        raise ModerationRefused("Choose the guideline the reader broke.")
    if kind == "warn":
        services.warn_reader(reader, actor=actor, reason=reason)
    elif kind == "suspend":
        duration = _custom_duration(form)
        services.suspend_reader(reader, actor=actor, reason=reason, duration=duration)
    elif kind == "ban":
        services.ban_reader(
            reader,
            actor=actor,
            reason=reason,
            reject_comments=form.cleaned_data.get("reject_comments", False),
        )
    elif kind == "ladder":
        services.follow_next_step(reader, actor=actor, reason=reason)
    elif kind in {"premoderate", "unpremoderate"}:
        services.set_premoderation(reader, actor=actor, enabled=kind == "premoderate")
    elif kind in {"trust", "untrust"}:
        services.trust_reader(reader, actor=actor, trusted=kind == "trust")
    elif kind == "lift":
        sanction = get_object_or_404(
            Sanction, pk=form.cleaned_data.get("sanction") or 0, reader=reader
        )
        services.lift_sanction(sanction, actor=actor)
    else:
        raise ModerationRefused("Choose what to do about this reader.")
    return SANCTIONS[kind]


@require_POST
@moderator_required
def sanction(request, pk):
    """Warn, suspend, ban, follow the ladder, pre-moderate, trust, or lift."""
    reader = selectors.desk_reader(pk)
    form = forms.SanctionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the custom suspension in whole hours.")
    else:
        try:
            messages.success(request, _sanction(reader, form, actor=request.user))
        except ModerationRefused as refusal:
            messages.error(request, refusal.message)
    return redirect(
        return_address(request, reverse("desk:reader", kwargs={"pk": reader.pk}))
    )


@require_GET
@moderator_required
def reader(request, pk):
    """A reader's record: comments, reports, sanctions and the audit about them."""
    person = selectors.desk_reader(pk)
    return render(
        request,
        "discussion/desk/reader.html",
        {
            "record": selectors.author_record(person),
            "comments": selectors.reader_comments(person),
            "audit": selectors.audit_of_reader(person),
            "clauses": guidelines.CLAUSES,
            "suspensions": SUSPENSIONS,
        },
    )


@require_POST
@moderator_required
def follow(request):
    """Follow a section on the desk, or stop following it."""
    form = forms.FollowForm(request.POST)
    form.is_valid()
    section = get_object_or_404(Section, slug=form.cleaned_data.get("section") or "")
    if form.cleaned_data.get("follow"):
        services.follow_section(section, actor=request.user)
        messages.success(request, f"You follow {section.name}.")
    else:
        services.unfollow_section(section, actor=request.user)
        messages.success(request, f"You no longer follow {section.name}.")
    return redirect(return_address(request, reverse("desk:queue")))


@require_GET
@moderator_required
def appeals(request):
    """Appeals waiting for a moderator other than the one who decided."""
    return render(
        request,
        "discussion/desk/appeals.html",
        {"appeals": selectors.open_appeals(), "counts": None},
    )


@require_POST
@moderator_required
def resolve(request, pk):
    """Uphold (reverse the decision) or dismiss an appeal; the reader is told."""
    appeal = get_object_or_404(Appeal, pk=pk)
    form = forms.AppealDecisionForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("decision"):
        messages.error(request, "Choose to uphold or dismiss the appeal.")
        return redirect("desk:appeals")
    try:
        services.resolve_appeal(
            appeal,
            actor=request.user,
            is_upheld=form.cleaned_data["decision"] == "uphold",
            outcome=form.cleaned_data.get("outcome", "").strip(),
        )
    except ModerationRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The appeal is settled and the reader is told.")
    return redirect("desk:appeals")
