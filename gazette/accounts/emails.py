"""The mail readers receive about their account: plain text, signed by the paper."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from gazette.accounts import tokens
from gazette.accounts.models import User


def absolute_url(path: str) -> str:
    """A link that works from a mail program: the site's address, then the path."""
    return settings.GAZETTE_SITE_URL.rstrip("/") + path


def _send(reader: User, template: str, context: dict) -> None:
    context = {
        "reader": reader,
        "publication_name": settings.GAZETTE_PUBLICATION_NAME,
        **context,
    }
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()), body=body.strip() + "\n", to=[reader.email]
    ).send()


def send_verification_link(reader: User) -> None:
    """Mail the reader the link that confirms their email address."""
    path = reverse(
        "accounts:verify_email",
        kwargs={"token": tokens.email_verification_token(reader)},
    )
    _send(
        reader,
        "verify_email",
        {
            "link": absolute_url(path),
            "days": settings.GAZETTE_VERIFICATION_LINK_DAYS,
        },
    )


def send_password_reset_link(reader: User) -> None:
    """Mail the reader a single-use link to choose a new password."""
    uidb64, token = tokens.password_reset_path_parts(reader)
    path = reverse(
        "accounts:password_reset_link", kwargs={"uidb64": uidb64, "token": token}
    )
    _send(
        reader,
        "password_reset",
        {
            "link": absolute_url(path),
            "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        },
    )


def send_sign_up_notice(reader: User) -> None:
    """Tell the reader that someone tried to open an account with their address,
    with the ways back into the one they have."""
    _send(
        reader,
        "sign_up_notice",
        {
            "sign_in_link": absolute_url(reverse("accounts:sign_in")),
            "reset_link": absolute_url(reverse("accounts:password_reset")),
        },
    )
