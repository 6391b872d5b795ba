"""The discussion's audit: every service adds an entry."""

import logging

from django.contrib.contenttypes.models import ContentType

from gazette.discussion.models import AuditEntry

logger = logging.getLogger("gazette.discussion")


def record_entry(
    target, *, actor, action: str, reasons: list | tuple = ()
) -> AuditEntry:
    """Add an entry to the discussion's audit: what happened, to what, by whom.

    The actor is a person, or a name for an automated one ("automod"), or None
    for Gazette's own routine work (mail).
    """
    person = actor if getattr(actor, "pk", None) is not None else None
    entry = AuditEntry(
        action=action,
        actor=person,
        actor_name=actor if isinstance(actor, str) else "",
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        reasons=list(reasons),
    )
    entry.save()
    logger.info("%s target=%s actor=%s", action, target.pk, entry.actor_label)
    return entry
