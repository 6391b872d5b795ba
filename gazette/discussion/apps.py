from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete


class DiscussionConfig(AppConfig):
    name = "gazette.discussion"
    verbose_name = "Reader discussion"

    def ready(self) -> None:
        from gazette.discussion import (
            checks,  # noqa: F401  (registers the checks)
            versions,
        )
        from gazette.discussion.models import Comment, Reaction

        for model, receiver in [
            (Comment, versions.comment_changed),
            (Reaction, versions.reaction_changed),
        ]:
            uid = f"versions:{model._meta.label}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, dispatch_uid=uid)
        post_save.connect(
            versions.author_changed,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="versions:author",
        )
        pre_delete.connect(
            versions.author_leaving,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="versions:author",
        )
