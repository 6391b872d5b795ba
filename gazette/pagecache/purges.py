"""When pages go stale: editors' changes at once, the discussion's debounced.

The receivers listen to the models rather than to each service, so that a
change made anywhere (a service, the back office, a wire import) purges.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gazette.pagecache import store

WINDOW_PREFIX = "purge-window:"
TRAILING_PREFIX = "purge-trailing:"


def purge_now(*tags: str) -> None:
    """Purge once the current transaction commits (a page rendered before the
    commit would otherwise be stored as fresh)."""
    transaction.on_commit(lambda: store.purge(*tags))


def purge_soon(*tags: str) -> None:
    """Purge each tag at most once every GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS.

    The first change in a window purges at once; later ones in the same window
    are gathered into one purge at its end, by a task queued for then.
    """
    transaction.on_commit(lambda: _debounced(tags))


# Until when a purge this process queued covers each tag's changes: a busy
# story's posts in the rest of that window ask the shared cache nothing (on the
# file cache, four file reads a post).
_queued: dict[str, float] = {}


def _debounced(tags) -> None:
    from gazette.pagecache.tasks import purge_task

    window = settings.GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS
    cache = store.pages()
    now = timezone.now()
    moment = now.timestamp()
    now_tags, later_tags = [], []
    for tag in tags:
        if window > 0 and _queued.get(tag, 0) > moment:
            continue
        if window <= 0 or cache.add(WINDOW_PREFIX + tag, 1, timeout=window):
            now_tags.append(tag)
        elif cache.add(TRAILING_PREFIX + tag, 1, timeout=window):
            later_tags.append(tag)
    if now_tags:
        store.purge(*now_tags)
    if later_tags:
        if purge_task.get_backend().supports_defer:
            run_after = now + timedelta(seconds=window)
            purge_task.using(run_after=run_after).enqueue(later_tags)
            _queued.update(dict.fromkeys(later_tags, run_after.timestamp()))
        else:
            # A queue that runs tasks at once cannot wait: purge now instead.
            store.purge(*later_tags)
            cache.delete_many([TRAILING_PREFIX + tag for tag in later_tags])


def forget_queued() -> None:
    """Forget the purges this process queued: for tests, whose queue and cache
    start empty each time."""
    _queued.clear()


def story_tags(article_id) -> tuple[str, ...]:
    return (f"story:{article_id}", "fronts")


def article_changed(sender, instance, **kwargs) -> None:
    purge_now(*story_tags(instance.pk))


def correction_changed(sender, instance, **kwargs) -> None:
    purge_now(*story_tags(instance.article_id))


def site_changed(sender, instance, **kwargs) -> None:
    purge_now("site")


def edition_changed(sender, instance, **kwargs) -> None:
    purge_now("edition")


def thread_changed(sender, instance, **kwargs) -> None:
    purge_soon(*story_tags(instance.article_id))


def comment_changed(sender, instance, created=False, **kwargs) -> None:
    from gazette.discussion.models import Thread

    if created and not instance.is_visible:
        return  # a new comment held for review: no anonymous page shows it
    if _loaded(instance, "thread"):
        article_id = instance.thread.article_id
    else:
        article_id = (
            Thread.objects.filter(pk=instance.thread_id)
            .values_list("article_id", flat=True)
            .first()
        )
    if article_id is not None:
        purge_soon(*story_tags(article_id))


def reaction_changed(sender, instance, **kwargs) -> None:
    from gazette.discussion.models import Comment

    article_id = (
        Comment.objects.filter(pk=instance.comment_id)
        .values_list("thread__article_id", flat=True)
        .first()
    )
    if article_id is not None:
        purge_soon(*story_tags(article_id))


def _loaded(instance, field: str) -> bool:
    return instance._meta.get_field(field).is_cached(instance)
