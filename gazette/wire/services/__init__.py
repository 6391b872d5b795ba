"""The one path by which imported copy becomes a story in the newsroom.

Every importer yields WireStory values; `ingest_wire_item` creates the story, or
updates the one already filed from the same provider and id. Nothing is ever
duplicated, and a failure leaves nothing half-stored.

A wire story's life: it arrives (a file given to `gazette import`, a file dropped
into a feed's folder, or a feed fetched over HTTP) and is filed as a draft in the
Wire queue, or published straight into a section when its feed says so. A newer
version from the agency updates it in place: the text follows the wire, while a
headline, subhead or section an editor changed stays theirs, and the front rank is
never the wire's. An older or equal version is skipped. Every version received is
kept in the story's wire history.
"""

from gazette.wire.services.feeds import (
    poll_due_wire_feeds,
    poll_wire_feed,
    save_wire_feed,
)
from gazette.wire.services.imports import (
    import_data,
    import_file,
    import_url,
    is_wire_file,
    read_import_file,
)
from gazette.wire.services.ingest import (
    OUTCOMES,
    IngestResult,
    Outcome,
    ingest_wire_item,
    section_named,
    summarise,
)

__all__ = [
    "OUTCOMES",
    "IngestResult",
    "Outcome",
    "import_data",
    "import_file",
    "import_url",
    "ingest_wire_item",
    "is_wire_file",
    "poll_due_wire_feeds",
    "poll_wire_feed",
    "read_import_file",
    "save_wire_feed",
    "section_named",
    "summarise",
]
