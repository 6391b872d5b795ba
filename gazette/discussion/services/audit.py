"""The discussion's audit: every service adds an entry."""

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from gazette.db import rows
from gazette.discussion.errors import DiscussionError
from gazette.discussion.models import AuditEntry, actor_label

logger = logging.getLogger("gazette.discussion")


@dataclass(frozen=True)
class Deed:
    """What was done to a target, and by whom: a person, a name for an automated
    actor ("automod"), or None for Gazette's own routine work (mail)."""

    actor: object
    action: str
    reasons: list | tuple = ()


def record_entry(target, *, actor, action: str, reasons: list | tuple = ()) -> None:
    """Add an entry to the discussion's audit: what happened, to what, by whom."""
    record_entries(target, [Deed(actor, action, reasons)])


def record_entries(target, deeds: list[Deed]) -> None:
    """Add an entry for each of the deeds done to one target, in that order.

    The rows are added with one written-out INSERT (gazette/db/rows.py), without
    building an AuditEntry for each: every post adds one or two, and through
    the instances they cost 0.12 ms of CPU, against 0.05 ms as values (the
    database's write included); Model.save() cost 0.19 ms.
    """
    target_type_id = ContentType.objects.get_for_model(target).pk
    values = [
        {
            "action": deed.action,
            "actor_id": getattr(deed.actor, "pk", None),
            "actor_name": deed.actor if isinstance(deed.actor, str) else "",
            "target_type_id": target_type_id,
            "target_id": target.pk,
            "reasons": list(deed.reasons),
        }
        for deed in deeds
    ]
    rows.insert_values(AuditEntry, values)
    named = label(target)
    for entry in values:
        logger.info(
            "%s target=%s actor=%s",
            entry["action"],
            named,
            actor_label(entry["actor_id"], entry["actor_name"]),
        )


def label(target) -> str:
    """How the log names what an action was done to: "comment 12", "person 7",
    "sanction 3 (person 7)" for a decision about a reader."""
    meta = getattr(target, "_meta", None)
    if meta is None:
        return str(target)
    if meta.label == settings.AUTH_USER_MODEL:
        return f"person {target.pk}"
    reader = getattr(target, "reader_id", None)
    about = f" (person {reader})" if reader else ""
    return f"{meta.model_name} {target.pk}{about}"


def logs_refusals(action: str):
    """Log each refusal of a service (a DiscussionError, or PermissionDenied for
    someone who may not act) with who was refused, on what, and why. A refused
    change is rolled back with its audit entry, so the log is where it is kept."""

    def decorate(service):
        @functools.wraps(service)
        def refusals_logged(subject, *args, **kwargs):
            try:
                return service(subject, *args, **kwargs)
            except (DiscussionError, PermissionDenied) as refusal:
                actor = kwargs.get("actor")
                person = getattr(actor, "pk", None)
                logger.info(
                    "%s target=%s actor=%s reason=%s",
                    action,
                    label(subject),
                    f"person {person}"
                    if person
                    else (actor if isinstance(actor, str) else "anonymous"),
                    " ".join(str(refusal).split()) or type(refusal).__name__,
                )
                raise

        return refusals_logged

    return decorate
