"""Account mail, sent by `gazette worker` after the request that asked for it."""

from django_tasks import task

from gazette.accounts import emails
from gazette.accounts.models import User


@task()
def send_verification_link_task(reader_id: int) -> None:
    reader = User.objects.filter(pk=reader_id, email_verified_at__isnull=True).first()
    if reader is not None:
        emails.send_verification_link(reader)


@task()
def send_password_reset_link_task(reader_id: int) -> None:
    reader = User.objects.filter(pk=reader_id, is_active=True).first()
    if reader is not None:
        emails.send_password_reset_link(reader)


@task()
def send_sign_up_notice_task(reader_id: int) -> None:
    reader = User.objects.filter(pk=reader_id, is_active=True).first()
    if reader is not None:
        emails.send_sign_up_notice(reader)
