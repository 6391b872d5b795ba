"""The reader's account pages. Every action is a plain form that works without script.

A form refused keeps what the reader typed (never a password) and says why; a form
sent twice is done once (submissions.py); a form whose CSRF token went stale is
offered again with what was typed (csrf_failure).
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from gazette.accounts import forms, ratelimits, selectors, services, submissions
from gazette.accounts.errors import AccountError, LinkInvalid

RESET_SESSION_KEY = "_password_reset_token"
RESET_URL_TOKEN = "set-password"
BACKEND = "gazette.accounts.backends.ReaderBackend"


def next_url(request, default: str | None = None) -> str:
    """Where to send the reader afterwards: a `next` on this site, or the default."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return reverse("newsroom:home") if default is None else default


def with_next(url: str, after: str) -> str:
    return f"{url}?{urlencode({'next': after})}" if after else url


def repeat_of(form: forms.OnceForm, fallback: str):
    """A redirect for a repeated submission, or None for the first one."""
    if submissions.claim(form.token):
        return None
    return redirect(submissions.outcome(form.token) or fallback)


def done(form: forms.OnceForm, url: str):
    return redirect(submissions.settle(form.token, url))


@never_cache
def sign_up(request):
    documents = list(selectors.documents_to_accept())
    confirm_url = with_next(reverse("accounts:confirm_email"), next_url(request, ""))
    if request.method == "POST":
        form = forms.SignUpForm(request.POST, documents=documents)
        # A repeat would find the address taken by the first: answer it first.
        if repeat := repeat_of(form, confirm_url):
            return repeat
        if request.user.is_authenticated:
            submissions.release(form.token)
            return redirect("accounts:account")
        try:
            ratelimits.spend(
                "sign-up",
                ratelimits.client_address(request),
                ratelimits.rate_setting("GAZETTE_SIGN_UP_RATE"),
                message="Too many sign-ups from your connection.",
            )
        except AccountError as error:
            form.add_refusal(error)
        if form.is_valid():
            try:
                # Whether an account was opened or the address already had one,
                # the answer is the same: check your mail (no sign-in, which
                # would tell the two apart).
                services.sign_up_reader(
                    form.cleaned_data["email"],
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password"],
                    accepted_versions=form.accepted_versions(),
                )
            except AccountError as error:
                form.add_refusal(error)
            else:
                return done(form, confirm_url)
        submissions.release(form.token)
    elif request.user.is_authenticated:
        return redirect("accounts:account")
    else:
        form = forms.SignUpForm(documents=documents)
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "next": next_url(request, ""), "documents": documents},
    )


@never_cache
def sign_in(request):
    after = next_url(request)
    if request.user.is_authenticated:
        return redirect(after)
    if request.method == "POST":
        form = forms.SignInForm(request.POST, request=request)
        if form.is_valid():
            login(request, form.reader, backend=BACKEND)
            return redirect(after)
    else:
        form = forms.SignInForm(request=request)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": next_url(request, "")},
    )


@never_cache
def sign_out(request):
    if request.method == "POST":
        logout(request)
        return redirect(next_url(request))
    if not request.user.is_authenticated:
        return redirect("newsroom:home")
    return render(request, "accounts/sign_out.html")


@never_cache
def confirm_email(request):
    """Where a new reader is told to check their mail, and may ask for a new link."""
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(with_next(reverse("accounts:sign_in"), request.path))
        if user.is_email_verified:
            messages.info(request, "Your email address is already confirmed.")
            return redirect("accounts:account")
        try:
            services.send_verification_link(user, actor=user)
        except AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"We have sent a new link to {user.email}.")
        return redirect(request.get_full_path())
    if user.is_authenticated and user.is_email_verified:
        return redirect(next_url(request, reverse("accounts:account")))
    return render(
        request, "accounts/confirm_email.html", {"next": next_url(request, "")}
    )


@never_cache
def verify_email(request, token: str):
    try:
        reader = selectors.reader_for_verification_link(token)
    except LinkInvalid as error:
        return render(
            request,
            "accounts/link_invalid.html",
            {"message": error.message},
            status=400,
        )
    was_verified = reader.is_email_verified
    actor = request.user if request.user.is_authenticated else None
    services.verify_email(reader, actor=actor)
    return render(
        request,
        "accounts/email_verified.html",
        {
            "reader": reader,
            "was_verified": was_verified,
            "is_signed_in": request.user.is_authenticated
            and request.user.pk == reader.pk,
        },
    )


@never_cache
def password_reset(request):
    sent_url = reverse("accounts:password_reset_sent")
    if request.method == "POST":
        form = forms.PasswordResetRequestForm(request.POST)
        if repeat := repeat_of(form, sent_url):
            return repeat
        if form.is_valid():
            try:
                services.request_password_reset(form.cleaned_data["email"], actor=None)
            except AccountError as error:
                form.add_refusal(error)
            else:
                return done(form, sent_url)
        submissions.release(form.token)
    else:
        initial = {"email": request.user.email} if request.user.is_authenticated else {}
        form = forms.PasswordResetRequestForm(initial=initial)
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(
        request,
        "accounts/password_reset_sent.html",
        {"minutes": settings.GAZETTE_PASSWORD_RESET_MAIL_MINUTES},
    )


@never_cache
def password_reset_link(request, uidb64: str, token: str):
    """Check the mailed link, then move its token out of the address bar.

    As in Django's own view: the token goes into the session and the reader to a
    URL without it, so it cannot leak through the Referer header.
    """
    if token == RESET_URL_TOKEN:
        # A repeat of a finished reset: the link is spent, the first click won.
        if request.method == "POST" and (
            finished := submissions.outcome(request.POST.get("submission", ""))
        ):
            return redirect(finished)
        token = request.session.get(RESET_SESSION_KEY, "")
        try:
            reader = selectors.reader_for_password_reset(uidb64, token)
        except LinkInvalid as error:
            return render(
                request,
                "accounts/link_invalid.html",
                {"message": error.message, "offer_reset": True},
                status=400,
            )
        return choose_password(request, reader)
    try:
        selectors.reader_for_password_reset(uidb64, token)
    except LinkInvalid as error:
        return render(
            request,
            "accounts/link_invalid.html",
            {"message": error.message, "offer_reset": True},
            status=400,
        )
    request.session[RESET_SESSION_KEY] = token
    return redirect(request.path.replace(token, RESET_URL_TOKEN))


def choose_password(request, reader):
    account_url = reverse("accounts:account")
    if request.method == "POST":
        form = forms.NewPasswordForm(request.POST, reader=reader)
        if repeat := repeat_of(form, account_url):
            return repeat
        if form.is_valid():
            try:
                services.reset_password(
                    reader, password=form.cleaned_data["new_password"], actor=reader
                )
            except AccountError as error:
                form.add_refusal(error)
            else:
                request.session.pop(RESET_SESSION_KEY, None)
                login(request, reader, backend=BACKEND)
                messages.success(
                    request, "Your new password is set; you are signed in."
                )
                return done(form, account_url)
        submissions.release(form.token)
    else:
        form = forms.NewPasswordForm(reader=reader)
    return render(request, "accounts/choose_password.html", {"form": form})


@never_cache
@login_required
def account(request):
    reader = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "reader": reader,
            "outstanding": selectors.outstanding_documents(reader),
            "acceptances": selectors.acceptances_of(reader),
        },
    )


@never_cache
@login_required
def change_display_name(request):
    account_url = reverse("accounts:account")
    if request.method == "POST":
        form = forms.DisplayNameForm(request.POST, reader=request.user)
        if repeat := repeat_of(form, account_url):
            return repeat
        if form.is_valid():
            try:
                reader = services.rename_reader(
                    request.user,
                    display_name=form.cleaned_data["display_name"],
                    actor=request.user,
                )
            except AccountError as error:
                form.add_refusal(error)
            else:
                messages.success(
                    request, f"Your display name is now “{reader.display_name}”."
                )
                return done(form, account_url)
        submissions.release(form.token)
    else:
        form = forms.DisplayNameForm(reader=request.user)
    return render(request, "accounts/change_display_name.html", {"form": form})


@never_cache
@login_required
def change_password(request):
    account_url = reverse("accounts:account")
    if request.method == "POST":
        form = forms.PasswordChangeForm(request.POST, reader=request.user)
        if repeat := repeat_of(form, account_url):
            return repeat
        if form.is_valid():
            try:
                reader = services.change_password(
                    request.user,
                    password=form.cleaned_data["new_password"],
                    actor=request.user,
                )
            except AccountError as error:
                form.add_refusal(error)
            else:
                update_session_auth_hash(request, reader)
                messages.success(request, "Your password is changed.")
                return done(form, account_url)
        submissions.release(form.token)
    else:
        form = forms.PasswordChangeForm(reader=request.user)
    return render(request, "accounts/change_password.html", {"form": form})


@never_cache
@login_required
def accept_terms(request):
    after = next_url(request, reverse("accounts:account"))
    documents = selectors.outstanding_documents(request.user)
    if request.method == "POST":
        form = forms.AcceptTermsForm(request.POST, documents=documents)
        if repeat := repeat_of(form, after):
            return repeat
        if form.is_valid():
            try:
                services.accept_terms(
                    request.user,
                    versions=form.accepted_versions(),
                    actor=request.user,
                )
            except AccountError as error:
                form.add_refusal(error)
            else:
                return done(form, after)
        submissions.release(form.token)
    else:
        form = forms.AcceptTermsForm(documents=documents)
    return render(
        request,
        "accounts/accept_terms.html",
        {"form": form, "next": after, "documents": documents},
    )


@never_cache
@login_required
def export(request):
    data = selectors.account_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"account-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
def delete_account(request):
    deleted_url = reverse("accounts:account_deleted")
    if request.method == "POST":
        form = forms.DeleteAccountForm(request.POST, reader=request.user)
        # A repeat of a deletion arrives signed out: answer it before asking who.
        if repeat := repeat_of(form, deleted_url):
            return repeat
        if not request.user.is_authenticated:
            submissions.release(form.token)
            return redirect(with_next(reverse("accounts:sign_in"), request.path))
        if form.is_valid():
            try:
                services.delete_account(request.user, actor=request.user)
            except AccountError as error:
                form.add_refusal(error)
            else:
                logout(request)
                return done(form, deleted_url)
        submissions.release(form.token)
    elif not request.user.is_authenticated:
        return redirect(with_next(reverse("accounts:sign_in"), request.path))
    else:
        form = forms.DeleteAccountForm(reader=request.user)
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "comments": settings.GAZETTE_DELETED_ACCOUNT_COMMENTS},
    )


def account_deleted(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    return render(request, "accounts/account_deleted.html")


def csrf_failure(request, reason: str = ""):
    """A form refused for its CSRF token: say why, and offer it again as typed.

    Only a form that came from this site's own pages (its Origin or Referer) is
    offered again; a form posted from elsewhere is refused with no way to resend,
    so that this page cannot be used to confirm a forged request. Passwords are
    never written back into the page.
    """
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    own = f"{request.scheme}://{request.get_host()}"
    is_own_form = origin == own or origin.startswith(own + "/")
    kept = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name != "csrfmiddlewaretoken" and "password" not in name
    ]
    shown = [
        (name.replace("_", " ").capitalize(), value)
        for name, value in kept
        if name not in {"submission", "next"}
        and not name.startswith(("version_", "accept_"))
        and value.strip()
    ]
    return render(
        request,
        "accounts/csrf_failure.html",
        {
            "is_own_form": is_own_form,
            "kept": kept,
            "shown": shown,
            "had_password": any("password" in name for name in request.POST),
            "cookies_missing": reason == REASON_NO_CSRF_COOKIE,
            "action": request.get_full_path(),
        },
        status=403,
    )
