"""A moderator's own arrangement of the desk: the sections they follow."""

from django.db import IntegrityError, transaction

from gazette.discussion.models import FollowedSection
from gazette.discussion.services.moderation import ensure_moderator


def follow_section(section, *, actor) -> bool:
    """Follow a section on the desk; returns False if it was already followed."""
    ensure_moderator(actor)
    try:
        with transaction.atomic():
            FollowedSection.objects.create(moderator=actor, section=section)
    except IntegrityError:
        return False
    return True


def unfollow_section(section, *, actor) -> bool:
    """Stop following a section; returns False if it was not followed."""
    ensure_moderator(actor)
    deleted, _ = FollowedSection.objects.filter(
        moderator=actor, section=section
    ).delete()
    return bool(deleted)
