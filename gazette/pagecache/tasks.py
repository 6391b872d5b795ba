"""The end of a debounce window: one purge for the changes gathered in it."""

from django_tasks import task

from gazette.pagecache import store
from gazette.pagecache.purges import TRAILING_PREFIX


@task()
def purge_task(tags: list[str]) -> str:
    store.purge(*tags)
    store.pages().delete_many([TRAILING_PREFIX + tag for tag in tags])
    return f"purged {', '.join(tags)}"
