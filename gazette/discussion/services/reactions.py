"""Respect: one per reader per comment, given and taken back."""

from django.db import IntegrityError, transaction
from django.db.models import F

from gazette.discussion import selectors
from gazette.discussion.errors import ReactionRefused
from gazette.discussion.models import Comment, Reaction
from gazette.discussion.services.audit import logs_refusals, record_entry
from gazette.discussion.services.comments import locked_comment


def _reactable(comment: Comment, actor) -> Comment:
    block = selectors.posting_block(actor)
    if block is not None:
        raise ReactionRefused(block.message)
    comment = locked_comment(comment)
    if comment.state != Comment.State.VISIBLE:
        raise ReactionRefused("This comment is no longer on the page.")
    if not selectors.discussion_of(comment.thread.article).is_open:
        raise ReactionRefused("Comments on this story are closed.")
    return comment


@logs_refusals("discussion.comment.respect_refused")
@transaction.atomic
def respect_comment(comment: Comment, *, actor) -> Comment:
    """Give a comment the reader's “Respect”: one per reader per comment."""
    comment = _reactable(comment, actor)
    if comment.author_id == actor.pk:
        raise ReactionRefused("You cannot give your own comment Respect.")
    try:
        with transaction.atomic():
            Reaction.objects.create(comment=comment, reader=actor)
    except IntegrityError:
        raise ReactionRefused(
            "You have already given this comment your Respect."
        ) from None
    Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") + 1)
    comment.refresh_from_db(fields=["reaction_count"])
    record_entry(comment, actor=actor, action="discussion.comment.respected")
    return comment


@logs_refusals("discussion.comment.respect_withdrawal_refused")
@transaction.atomic
def withdraw_respect(comment: Comment, *, actor) -> Comment:
    """Take back the reader's “Respect” for a comment."""
    comment = _reactable(comment, actor)
    removed, _ = Reaction.objects.filter(comment=comment, reader=actor).delete()
    if not removed:
        raise ReactionRefused("You have not given this comment your Respect.")
    Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") - 1)
    comment.refresh_from_db(fields=["reaction_count"])
    record_entry(comment, actor=actor, action="discussion.comment.respect_withdrawn")
    return comment
