"""Configured feeds: drop folders and addresses, polled in the background."""

import logging
import shutil
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gazette.wire.fetch import fetch
from gazette.wire.models import WireFeed
from gazette.wire.parsing import ParseError
from gazette.wire.services.imports import import_data, import_file, is_wire_file
from gazette.wire.services.ingest import summarise

logger = logging.getLogger("gazette.wire")


def files_to_poll(folder: Path) -> list[Path]:
    """Files waiting in a drop folder, by name. Files still being written carry a
    temporary name (a leading dot, .tmp, .part) and are left to wait."""
    return sorted(path for path in folder.iterdir() if path.is_file())


def file_away(path: Path, into: str) -> None:
    """Move a handled file out of the drop folder, into done/ or failed/."""
    target_folder = path.parent / into
    target_folder.mkdir(exist_ok=True)
    target = target_folder / path.name
    if target.exists():
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        target = target_folder / f"{path.stem}-{stamp}{path.suffix}"
    shutil.move(path, target)


def poll_folder(feed: WireFeed, counts: Counter, errors: list[str]) -> None:
    folder = Path(feed.location)
    if not folder.is_dir():
        raise ParseError(f"the folder {folder} does not exist")
    used: set[Path] = set()
    waiting = files_to_poll(folder)
    for path in waiting:
        if not is_wire_file(path):
            continue  # Half-written files, and photos awaiting the file naming them.
        try:
            results = import_file(
                path,
                publish=feed.mode == WireFeed.Mode.PUBLISH,
                section=feed.section,
                feed=feed,
                used=used,
            )
        except (ParseError, OSError) as error:
            counts["failed"] += 1
            errors.append(f"{path.name}: {error}")
            file_away(path, "failed")
            continue
        for result in results:
            counts[result.outcome] += 1
            if result.message:
                errors.append(f"{path.name}: {result.message}")
        file_away(path, "done")
    for path in waiting:
        if path.resolve() in used and path.exists():
            file_away(path, "done")


def poll_url(feed: WireFeed, counts: Counter, errors: list[str]) -> None:
    fetched = fetch(feed.location, etag=feed.etag, last_modified=feed.last_modified)
    # Kept even when the content fails: the same bytes would fail again.
    feed.etag, feed.last_modified = fetched.etag[:500], fetched.last_modified[:100]
    if fetched.data is None:
        return
    results = import_data(
        fetched.data,
        name=feed.location,
        publish=feed.mode == WireFeed.Mode.PUBLISH,
        section=feed.section,
        feed=feed,
        base_url=fetched.url,
    )
    for result in results:
        counts[result.outcome] += 1
        if result.message:
            errors.append(result.message)


def poll_wire_feed(feed: WireFeed) -> Counter:
    """Take in what a feed has new and note on the feed how it went."""
    counts: Counter = Counter()
    errors: list[str] = []
    try:
        if feed.kind == WireFeed.Kind.FOLDER:
            poll_folder(feed, counts, errors)
        else:
            poll_url(feed, counts, errors)
    except (ParseError, OSError) as error:
        counts["failed"] += 1
        errors.append(str(error))
    feed.last_polled_at = timezone.now()
    feed.last_result = summarise(counts)
    feed.last_error = "\n".join(errors)[:10_000]
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_polled_at",
            "last_result",
            "last_error",
        ]
    )
    logger.info("wire.feed.polled feed=%s %s", feed.pk, feed.last_result)
    for error in errors:
        logger.warning("wire.feed.failed feed=%s %s", feed.pk, error)
    return counts


def claim_feed(feed: WireFeed, now) -> bool:
    """Mark a due feed as being polled, unless another worker just did."""
    claimed = WireFeed.objects.filter(
        pk=feed.pk, last_polled_at=feed.last_polled_at
    ).update(last_polled_at=now)
    return claimed == 1


def poll_due_wire_feeds() -> Counter:
    """Poll every active feed whose interval has passed since its last poll."""
    now = timezone.now()
    counts: Counter = Counter()
    for feed in WireFeed.objects.filter(is_active=True).select_related("section"):
        if feed.is_due(now) and claim_feed(feed, now):
            counts.update(poll_wire_feed(feed))
    return counts


@transaction.atomic
def save_wire_feed(feed: WireFeed, *, actor=None) -> WireFeed:
    """Add or change a feed; its polling starts once the change is saved."""
    feed.full_clean()
    feed.save()
    logger.info("wire.feed.saved feed=%s actor=%s", feed.pk, actor)
    from gazette.wire import tasks  # tasks call services; import at call time

    transaction.on_commit(lambda: tasks.schedule_wire_polling(delay=0))
    return feed
