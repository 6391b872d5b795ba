from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PageCacheConfig(AppConfig):
    name = "gazette.pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from gazette.discussion.models import Comment, Reaction, Thread
        from gazette.edition.models import Edition, EditionStory
        from gazette.newsroom.models import Article, Correction, Page, Photo, Section
        from gazette.pagecache import purges

        receivers = [
            (Article, purges.article_changed),
            (Correction, purges.correction_changed),
            (Photo, purges.site_changed),
            (Section, purges.site_changed),
            (Page, purges.site_changed),
            (Edition, purges.edition_changed),
            (EditionStory, purges.edition_changed),
            (Thread, purges.thread_changed),
            (Comment, purges.comment_changed),
            (Reaction, purges.reaction_changed),
        ]
        for model, receiver in receivers:
            uid = f"pagecache:{model._meta.label}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, dispatch_uid=uid)
