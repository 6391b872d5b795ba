"""A reader's own choices (mutes, reply notices) and the erasure of their part."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gazette.discussion import selectors
from gazette.discussion.errors import MuteRefused
from gazette.discussion.models import Comment, Mute, Reaction, ReaderSettings, Report
from gazette.discussion.notices import absolute_url, unsubscribe_token
from gazette.discussion.services.audit import record_entry
from gazette.discussion.services.comments import move_comment, signed_in

ERASE_MODES = ("remove", "anonymise")


@transaction.atomic
def mute_reader(muted, *, actor) -> Mute:
    """Stop showing a reader's comments to the actor."""
    signed_in(actor, "Please sign in to mute a reader.", MuteRefused)
    if muted.pk == actor.pk:
        raise MuteRefused("You cannot mute yourself.")
    try:
        with transaction.atomic():
            mute = Mute.objects.create(reader=actor, muted=muted)
    except IntegrityError:
        raise MuteRefused(f"You have already muted {muted.display_name}.") from None
    record_entry(mute, actor=actor, action="discussion.reader.muted")
    return mute


@transaction.atomic
def unmute_reader(muted, *, actor) -> None:
    """Show a muted reader's comments to the actor again."""
    signed_in(actor, "Please sign in to unmute a reader.", MuteRefused)
    mute = Mute.objects.filter(reader=actor, muted=muted).first()
    if mute is None:
        raise MuteRefused(f"You have not muted {muted.display_name}.")
    record_entry(mute, actor=actor, action="discussion.reader.unmuted")
    mute.delete()


@transaction.atomic
def set_reply_notices(reader, *, actor, enabled: bool) -> ReaderSettings:
    """Start or stop emailing a reader when someone replies to them."""
    if actor is None or actor.pk != reader.pk:
        raise PermissionDenied("Readers choose their own notices.")
    preferences, _ = ReaderSettings.objects.select_for_update().get_or_create(
        reader=reader
    )
    preferences.email_replies = enabled
    preferences.save(update_fields=["email_replies"])
    action = "started" if enabled else "stopped"
    record_entry(preferences, actor=actor, action=f"discussion.reply_notices.{action}")
    return preferences


@transaction.atomic
def mark_replies_seen(reader, *, actor) -> ReaderSettings:
    """Note that the reader has seen the replies to them, up to now.

    The audit records it only when there were new replies to see, not at every
    visit to the reader's page.
    """
    if actor is None or actor.pk != reader.pk:
        raise PermissionDenied("Only readers mark their own replies seen.")
    preferences, _ = ReaderSettings.objects.select_for_update().get_or_create(
        reader=reader
    )
    seen_at = preferences.replies_seen_at
    unseen = selectors.replies_to(reader)
    had_new = (
        unseen.exists()
        if seen_at is None
        else Comment.objects.filter(
            pk__in=unseen.values("pk"), created_at__gt=seen_at
        ).exists()
    )
    preferences.replies_seen_at = timezone.now()
    preferences.save(update_fields=["replies_seen_at"])
    if had_new:
        record_entry(preferences, actor=actor, action="discussion.replies.seen")
    return preferences


def send_reply_notice(reply: Comment) -> bool:
    """Email the reader who was answered, if they asked for reply notices.

    Nothing goes to a reader answering themselves, to one who muted the replier,
    or about a reply no longer on the page. Mail carries a one-click unsubscribe
    (RFC 8058) as well as the link in its text.
    """
    answered = reply.reply_to
    recipient = answered.author if answered else None
    if (
        reply.state != Comment.State.VISIBLE
        or recipient is None
        or not recipient.is_active
        or recipient.pk == reply.author_id
        or not ReaderSettings.objects.filter(
            reader=recipient, email_replies=True
        ).exists()
        or Mute.objects.filter(reader=recipient, muted_id=reply.author_id).exists()
    ):
        return False
    article = reply.thread.article
    unsubscribe = absolute_url(
        reverse(
            "discussion:unsubscribe", kwargs={"token": unsubscribe_token(recipient)}
        )
    )
    context = {
        "reply": reply,
        "answered": answered,
        "recipient": recipient,
        "article": article,
        "reply_url": absolute_url(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
        "publication_name": settings.GAZETTE_PUBLICATION_NAME,
    }
    replier = reply.author.display_name if reply.author else "A former reader"
    message = EmailMessage(
        subject=f"{replier} replied to your comment on “{article.headline}”",
        body=render_to_string("discussion/email/reply_notice.txt", context),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    record_entry(
        reply,
        actor=None,
        action="discussion.reply_notice.sent",
        reasons=[f"to reader {recipient.pk}"],
    )
    return True


@transaction.atomic
def erase_reader_comments(reader, *, mode: str, actor=None) -> int:
    """Erase what a reader left in the discussion; return how many comments changed.

    "remove" deletes the text of their comments, leaving "comment deleted" where
    replies hang below; "anonymise" keeps the text under "Former reader". Either
    way their Respect, reports, mutes (made and received) and settings go.
    """
    if mode not in ERASE_MODES:
        raise ValueError(f"mode must be one of {', '.join(ERASE_MODES)}")
    comments = list(Comment.objects.select_for_update().filter(author=reader))
    for comment in comments:
        comment.author = None
        if mode == "remove" and comment.state != Comment.State.DELETED:
            comment.body = comment.body_html = ""
            move_comment(
                comment, Comment.State.DELETED, fields=("author", "body", "body_html")
            )
        else:
            comment.save(update_fields=["author", "updated_at"])
    reactions = Reaction.objects.filter(reader=reader)
    Comment.objects.filter(pk__in=reactions.values("comment")).update(
        reaction_count=F("reaction_count") - 1
    )
    reactions.delete()
    Report.objects.filter(reporter=reader).delete()
    Mute.objects.filter(Q(reader=reader) | Q(muted=reader)).delete()
    ReaderSettings.objects.filter(reader=reader).delete()
    record_entry(
        reader,
        actor=actor,
        action="discussion.reader.erased",
        reasons=[mode, f"{len(comments)} comments"],
    )
    return len(comments)
