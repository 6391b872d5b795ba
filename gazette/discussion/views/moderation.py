"""What readers see of moderation: their notices, appeals, warnings, and the report."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gazette.discussion import forms, selectors, services
from gazette.discussion.errors import DiscussionError


@login_required
@require_http_methods(["GET", "POST"])
def notice(request, pk):
    """A statement of reasons, and the form to appeal it once."""
    statement = selectors.access_notice_for_reader(request.user, pk)
    context = {"notice": statement, "error": None, "text": ""}
    if request.method == "POST":
        form = forms.AppealForm(request.POST)
        form.is_valid()
        context["text"] = form.cleaned_data.get("text", "")
        try:
            services.appeal_decision(
                statement, actor=request.user, text=context["text"]
            )
        except DiscussionError as refusal:
            context["error"] = refusal
        else:
            messages.success(
                request, "Your appeal is received; another moderator will review it."
            )
            return redirect(statement.get_absolute_url())
    return render(request, "discussion/notice_detail.html", context)


@login_required
@require_POST
def acknowledge(request):
    """The reader has read their warning and may comment again."""
    services.acknowledge_warning(request.user, actor=request.user)
    messages.success(request, "Thank you. You may comment again.")
    return redirect(reverse("discussion:reader"))


def transparency(request):
    """The public moderation report, month by month; ?format=csv for the figures."""
    months = selectors.transparency_report()
    if request.GET.get("format") != "csv":
        return render(request, "discussion/transparency.html", {"months": months})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="moderation.csv"'
    writer = csv.writer(response)
    writer.writerow(["month", "action", "reason", "by", "count"])
    for month in months:
        for row in month.rows:
            writer.writerow([month.month.strftime("%Y-%m"), *row])
        upheld = month.upheld_share
        median = month.median_time_to_decision
        writer.writerow(
            [
                month.month.strftime("%Y-%m"),
                "appeals.upheld_share",
                "",
                "",
                "" if upheld is None else f"{upheld:.2f}",
            ]
        )
        writer.writerow(
            [
                month.month.strftime("%Y-%m"),
                "decisions.median_seconds",
                "",
                "",
                "" if median is None else int(median.total_seconds()),
            ]
        )
    return response
