"""Every write to readers' accounts.

A reader signs up with an email address, a display name and a password, accepting
the current Terms of Service and community guidelines; the acceptance of each is
kept with the document's version and the time. They confirm the address by the
link mailed to them, then sign in and comment. Signing up with an address that
already has an account opens nothing and mails its owner a notice instead: the
answer is the same either way, so sign-up does not tell who has an account.
When staff publish a new version of a document readers accept, each reader
accepts it before commenting again; reading never needs an account. A reader
renames themselves, changes or resets their password, and may delete the
account: their comments are then removed or anonymised as
GAZETTE_DELETED_ACCOUNT_COMMENTS says, and nothing else of theirs stays. Mail
goes out after commit through a background task.
"""

import logging
from collections.abc import Mapping

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gazette.accounts import names, ratelimits
from gazette.accounts.errors import (
    AccountClosed,
    AccountError,
    DisplayNameRefused,
    PasswordRefused,
    TermsChanged,
)
from gazette.accounts.models import Acceptance, User
from gazette.accounts.tasks import (
    send_password_reset_link_task,
    send_sign_up_notice_task,
    send_verification_link_task,
)
from gazette.newsroom.models import Page

logger = logging.getLogger("gazette.accounts")

COMMENT_MODES = {"remove", "anonymise"}
NAME_TAKEN = "“{name}” is taken, or looks too much like a name that is. Choose another."
STAFF_NAME = "That name is too close to the name of a member of our staff."


def normalize_email(email: str) -> str:
    """Addresses are kept in lower case, trimmed, so that one address is one account."""
    return (email or "").strip().lower()


def vet_display_name(raw: str, *, reader: User | None = None) -> str:
    """Return the name as it would be stored, or refuse it with the rule it breaks.

    Besides the rules in names.py: no other account's name may share a key with it
    (case, spacing, look-alikes), and a reader's name may not contain a member of
    staff's. Staff themselves may use newsroom words ("Jane Doe Editor").
    """
    is_staff = bool(reader and reader.is_staff)
    try:
        name = names.clean_display_name(raw, is_staff=is_staff)
    except names.DisplayNameError as error:
        raise DisplayNameRefused(error.message) from None
    keys = {names.display_name_key(name), names.display_name_look_key(name)}
    others = User.objects.all()
    if reader is not None and reader.pk:
        others = others.exclude(pk=reader.pk)
    clash = (
        others.filter(Q(display_name_key__in=keys) | Q(display_name_look_key__in=keys))
        .only("is_staff")
        .first()
    )
    if clash is not None:
        raise DisplayNameRefused(
            STAFF_NAME if clash.is_staff else NAME_TAKEN.format(name=name)
        )
    if not is_staff:
        staff_keys = others.filter(is_staff=True).values_list(
            "display_name_key", "display_name_look_key"
        )
        for staff_key in {key for pair in staff_keys for key in pair}:
            # Short staff names ("Ed") would rule out ordinary names ("Fred").
            if len(staff_key) >= 4 and any(staff_key in key for key in keys):
                raise DisplayNameRefused(STAFF_NAME)
    return name


def vet_password(password: str, *, reader: User) -> None:
    """Refuse a password Django's validators refuse, with all their reasons."""
    try:
        password_validation.validate_password(password, user=reader)
    except ValidationError as error:
        raise PasswordRefused(" ".join(error.messages)) from None


def _enqueue_after_commit(task, reader_id: int) -> None:
    transaction.on_commit(lambda: task.enqueue(reader_id))


@transaction.atomic
def sign_up_reader(
    email: str,
    *,
    display_name: str,
    password: str,
    accepted_versions: Mapping[str, int],
    actor: User | None = None,
) -> User | None:
    """Open a reader's account, record their acceptances and mail the confirmation.

    `accepted_versions` maps each document's slug to the version the reader was
    shown and accepted; all documents readers must accept are required. When the
    address already has an account, nothing is opened: its owner is mailed a
    notice, and None is returned after the same checks and the same hashing, so
    that neither the answer nor its time tells who has an account.
    """
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(
            "Enter an email address like name@example.com.", field="email"
        ) from None
    reader = User(email=email, display_name=vet_display_name(display_name))
    vet_password(password, reader=reader)
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        # The work of opening an account, so that a stopwatch cannot tell.
        make_password(password)
        _notify_owner_of_sign_up(owner)
        return None
    reader.set_password(password)
    try:
        with transaction.atomic():
            reader.save()
    except IntegrityError:
        # Another request took the address or the name since the checks above.
        owner = User.objects.filter(email__iexact=email).first()
        if owner is None:
            raise DisplayNameRefused(
                NAME_TAKEN.format(name=reader.display_name)
            ) from None
        _notify_owner_of_sign_up(owner)
        return None
    accept_terms(reader, versions=accepted_versions, actor=actor or reader)
    ratelimits.record_hit(
        "account-mail",
        reader.email,
        ratelimits.rate_setting("GAZETTE_ACCOUNT_MAIL_RATE"),
    )
    _enqueue_after_commit(send_verification_link_task, reader.pk)
    logger.info("accounts.reader.signed_up reader=%s", reader.pk)
    return reader


def _notify_owner_of_sign_up(owner: User) -> None:
    """Mail the owner that their address was used to sign up, a few an hour at
    most (the same count as confirmation and reset links)."""
    rate = ratelimits.rate_setting("GAZETTE_ACCOUNT_MAIL_RATE")
    if ratelimits.record_hit("account-mail", owner.email, rate) <= rate.count:
        _enqueue_after_commit(send_sign_up_notice_task, owner.pk)
    logger.info("accounts.sign_up.address_taken reader=%s", owner.pk)


@transaction.atomic
def accept_terms(
    reader: User, *, versions: Mapping[str, int], actor: User
) -> list[Acceptance]:
    """Record that the reader accepted the current version of each document.

    A version older than the current one means the document changed while the
    reader had it open: nothing is recorded and they are asked to read it again.
    Accepting the same version twice records it once.
    """
    documents = Page.objects.filter(requires_acceptance=True).order_by("pk")
    already = set(
        Acceptance.objects.filter(reader=reader).values_list("document_id", "version")
    )
    accepted = []
    for document in documents:
        shown = versions.get(document.slug)
        if shown is None:
            if (document.pk, document.version) in already:
                continue
            raise TermsChanged(f"Accept the {document.title} to go on.")
        if int(shown) != document.version:
            raise TermsChanged(
                f"The {document.title} changed while this page was open: read "
                f"version {document.version} and accept it."
            )
        acceptance, created = Acceptance.objects.get_or_create(
            reader=reader, document=document, version=document.version
        )
        accepted.append(acceptance)
        if created:
            logger.info(
                "accounts.terms.accepted reader=%s document=%s version=%s actor=%s",
                reader.pk,
                document.slug,
                document.version,
                actor.pk,
            )
    return accepted


def send_verification_link(reader: User, *, actor: User) -> User:
    """Mail the reader a new link to confirm their address (a few an hour at most)."""
    if reader.is_email_verified:
        return reader
    ratelimits.spend(
        "account-mail",
        reader.email,
        ratelimits.rate_setting("GAZETTE_ACCOUNT_MAIL_RATE"),
        message="We have sent several links to this address already.",
    )
    _enqueue_after_commit(send_verification_link_task, reader.pk)
    logger.info("accounts.verification.sent reader=%s actor=%s", reader.pk, actor.pk)
    return reader


@transaction.atomic
def verify_email(reader: User, *, actor: User | None = None) -> User:
    """Mark the reader's address confirmed; confirming again changes nothing."""
    if reader.is_email_verified:
        return reader
    reader.email_verified_at = timezone.now()
    reader.save(update_fields=["email_verified_at"])
    logger.info("accounts.email.verified reader=%s", reader.pk)
    return reader


@transaction.atomic
def rename_reader(reader: User, *, display_name: str, actor: User) -> User:
    """Change the name shown beside the reader's comments, under the same rules."""
    name = vet_display_name(display_name, reader=reader)
    if name == reader.display_name:
        return reader
    reader.display_name = name
    try:
        with transaction.atomic():
            reader.save(update_fields=["display_name"])
    except IntegrityError:
        raise DisplayNameRefused(NAME_TAKEN.format(name=name)) from None
    logger.info("accounts.reader.renamed reader=%s actor=%s", reader.pk, actor.pk)
    return reader


@transaction.atomic
def change_password(reader: User, *, password: str, actor: User) -> User:
    """Give the account a new password (the reader knows the old one)."""
    vet_password(password, reader=reader)
    reader.set_password(password)
    reader.save(update_fields=["password"])
    logger.info("accounts.password.changed reader=%s actor=%s", reader.pk, actor.pk)
    return reader


def request_password_reset(email: str, *, actor: User | None = None) -> None:
    """Mail a reset link if an active account uses the address; say nothing if not.

    The limits count requests per address whether or not an account uses it, so
    neither the answer nor the limits tell who has an account.
    """
    email = normalize_email(email)
    ratelimits.spend(
        "account-mail",
        email,
        ratelimits.rate_setting("GAZETTE_ACCOUNT_MAIL_RATE"),
        message="Too many requests for this address.",
    )
    # One link per address per GAZETTE_PASSWORD_RESET_MAIL_MINUTES: a request
    # sooner is answered the same and sends nothing; the last link still works.
    minutes = settings.GAZETTE_PASSWORD_RESET_MAIL_MINUTES
    if not ratelimits.take_turn("password-reset-mail", email, minutes * 60):
        return
    reader = User.objects.filter(email__iexact=email, is_active=True).first()
    if reader is None or not reader.has_usable_password():
        return
    _enqueue_after_commit(send_password_reset_link_task, reader.pk)
    logger.info("accounts.password.reset_requested reader=%s", reader.pk)


@transaction.atomic
def reset_password(reader: User, *, password: str, actor: User | None = None) -> User:
    """Set the password chosen through a mailed link, which also proves the address."""
    vet_password(password, reader=reader)
    reader.set_password(password)
    fields = ["password"]
    if not reader.is_email_verified:
        reader.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    reader.save(update_fields=fields)
    logger.info("accounts.password.reset reader=%s", reader.pk)
    return reader


def deleted_account_comments() -> str:
    """What happens to a deleted account's comments: "remove" or "anonymise"."""
    mode = settings.GAZETTE_DELETED_ACCOUNT_COMMENTS
    if mode not in COMMENT_MODES:
        raise ValueError(
            f"GAZETTE_DELETED_ACCOUNT_COMMENTS is {mode!r}; it must be "
            "'remove' or 'anonymise'."
        )
    return mode


def _erase_reader_comments(reader: User, *, mode: str) -> int:
    # The discussion app owns comments; without it there are none to erase.
    if not apps.is_installed("gazette.discussion"):
        return 0
    from gazette.discussion.services import erase_reader_comments

    return erase_reader_comments(reader, mode=mode)


def _forget_records_about(reader: User) -> None:
    """Strip the reader from records that outlive them: admin history, mail tasks."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(reader.pk),
    ).update(object_repr="Deleted account", change_message="")
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(
            task_path__startswith="gazette.accounts.tasks.",
            args_kwargs__args__0=reader.pk,
        ).delete()


@transaction.atomic
def delete_account(reader: User, *, actor: User) -> int:
    """Close the account for good: comments as the site says, everything else gone.

    Returns how many comments were removed or anonymised. Staff accounts are closed
    by an administrator, not by their owner, so that no newsroom role vanishes by
    accident.
    """
    if reader.is_staff and actor.pk == reader.pk:
        raise AccountClosed(
            "Staff accounts are closed by an administrator in the newsroom."
        )
    mode = deleted_account_comments()
    reader_id, actor_id = reader.pk, actor.pk
    erased = _erase_reader_comments(reader, mode=mode)
    _forget_records_about(reader)
    reader.delete()
    logger.info(
        "accounts.reader.deleted reader=%s actor=%s comments=%s mode=%s",
        reader_id,
        "self" if actor_id == reader_id else actor_id,
        erased,
        mode,
    )
    return erased
