"""The Gazette side of bench/peers.py: readers, discussions, sessions, exports.

    .venv/bin/python bench/peers_gazette.py prepare OUT [--readers 1000]
        [--busy-comments 10000]
    .venv/bin/python bench/peers_gazette.py posts OUT

Run by bench/peers.py in a process of its own, on the database that the
environment names (DATABASE_URL, GAZETTE_VAR_DIR), after `gazette migrate`,
`gazette demo` and `gazette collectstatic`. Not a test.

prepare writes, through the ORM as gazette/discussion/tests/builders.py does
(bulk_create, the denormalised counters set to what counting the rows gives):

- readers who confirmed their address and accepted the terms, members for two
  months, so that none is held as new or as one of their first comments;
- the reference story's discussion, opened for two weeks more (the demo's story
  is from 2024, past its days): 20 comments with 9 replies each, 6 answering the
  comment and 3 answering a reply, so that the first page (20 conversations with
  up to GAZETTE_COMMENT_REPLIES_SHOWN replies each) holds all 200, as Isso's
  thread read does;
- a second story with 10,000 comments by those readers over the past day;
- a third story, open and empty, that the posting target writes to;
- for every reader a signed-in session and the CSRF token GET /api/v1/session
  gives (through Django's test client, before any server runs);

and into OUT: readers.tsv (session, CSRF cookie, CSRF token, display name),
texts.txt (comments the civility model scores below the hold threshold, one
JSON string a line, for the posting targets), thread.json (the 200 comments, for
Isso), story.json (the story and its photo, for Wagtail), story.html (the
anonymous story page, for nginx) and gazette.json (addresses and counts).

posts prints what became of the comments posted to the third story, by state
and by the reasons the checks held them.
"""

import argparse
import json
import os
import random
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WRITTEN = ROOT / "gazette" / "civility" / "data" / "written"
CONVERSATIONS = 20
REPLIES_TO_COMMENT = 6
REPLIES_TO_REPLY = 3
MEMBER_FOR = timedelta(days=60)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def civil_sentences() -> list[str]:
    """The written development and held-out comments labelled neither an attack
    nor offensive."""
    from gazette.civility.evaluation import read_labeled_csv

    sentences = []
    for name in ("comments_dev.csv", "comments_heldout.csv"):
        texts, attack = read_labeled_csv(
            WRITTEN / name, text_column="text", label_column="attack"
        )
        _, offensive = read_labeled_csv(
            WRITTEN / name, text_column="text", label_column="offensive"
        )
        sentences += [
            text
            for text, is_attack, is_offensive in zip(
                texts, attack, offensive, strict=True
            )
            if not is_attack and not is_offensive
        ]
    return sentences


def comment_texts(count: int, rng: random.Random) -> list[str]:
    """Distinct news-comment-length texts the civility model lets through."""
    from django.conf import settings

    from gazette.discussion import pipeline
    from gazette.discussion.plaintext import clean_text

    model = pipeline.civility_provider()
    hold = pipeline.civility_thresholds().hold
    sentences = civil_sentences()
    texts: dict[str, None] = {}
    for _ in range(count * 20):
        if len(texts) == count:
            break
        text = clean_text(
            " ".join(rng.sample(sentences, rng.choice((2, 3)))),
            max_length=settings.GAZETTE_COMMENT_MAX_LENGTH,
        )
        worst, _ = pipeline.scored(model.score(text))
        if worst < hold:
            texts[text] = None
    return list(texts)


def make_readers(count: int):
    """Readers who may comment: confirmed, terms accepted, members for months."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from gazette.accounts.models import Acceptance, User
    from gazette.accounts.names import display_name_key, display_name_look_key
    from gazette.newsroom.models import Page

    joined = timezone.now() - MEMBER_FOR
    readers = []
    for number in range(1, count + 1):
        name = f"Bench Reader {number}"
        readers.append(
            User(
                email=f"reader{number}@bench.example",
                display_name=name,
                display_name_key=display_name_key(name),
                display_name_look_key=display_name_look_key(name),
                password=make_password(None),
                date_joined=joined,
                email_verified_at=joined,
            )
        )
    User.objects.bulk_create(readers, batch_size=500)
    readers = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    documents = list(Page.objects.filter(requires_acceptance=True))
    Acceptance.objects.bulk_create(
        [
            Acceptance(
                reader=reader,
                document=document,
                version=document.version,
                accepted_at=joined,
            )
            for reader in readers
            for document in documents
        ],
        batch_size=1000,
    )
    return readers


def open_thread(story):
    """The story's discussion, open for two weeks from now."""
    from django.utils import timezone

    from gazette.discussion.models import Thread

    thread, _ = Thread.objects.get_or_create(article=story)
    Thread.objects.filter(pk=thread.pk).update(
        state=Thread.State.OPEN, closes_at=timezone.now() + timedelta(days=14)
    )
    thread.refresh_from_db()
    return thread


def conversations(story, readers, texts: list[str]) -> list[dict]:
    """20 comments with 9 replies each on the story, counters as counted.

    Returns the comments in the order they were written, for Isso: author,
    text and the index of the comment answered.
    """
    from django.db.models import F
    from django.utils import timezone

    from gazette.discussion.models import Comment, Thread
    from gazette.discussion.plaintext import render_html

    thread = open_thread(story)
    start = timezone.now() - timedelta(hours=6)
    written: list[dict] = []

    def comment(number: int, at, **fields) -> Comment:
        author = readers[number % len(readers)]
        body = texts[number % len(texts)]
        parent = fields.get("parent")
        written.append(
            {
                "author": author.display_name,
                "text": body,
                "parent": None if parent is None else parent.bench_index,
            }
        )
        made = Comment(
            thread=thread,
            author=author,
            body=body,
            body_html=render_html(body),
            created_at=at,
            **fields,
        )
        made.bench_index = len(written) - 1
        return made

    roots = [
        comment(number, start + timedelta(minutes=10 * number))
        for number in range(CONVERSATIONS)
    ]
    Comment.objects.bulk_create(roots)
    replies = []
    for root in roots:
        for place in range(REPLIES_TO_COMMENT):
            replies.append(
                comment(
                    len(written),
                    root.created_at + timedelta(minutes=1 + place),
                    parent=root,
                    root=root,
                    reply_to=root,
                    depth=1,
                )
            )
    Comment.objects.bulk_create(replies)
    answers = []
    for root_number, root in enumerate(roots):
        mine = replies[root_number * REPLIES_TO_COMMENT :]
        for place in range(REPLIES_TO_REPLY):
            answered = mine[place]
            answers.append(
                comment(
                    len(written),
                    root.created_at + timedelta(minutes=8, seconds=place),
                    parent=answered,
                    root=root,
                    reply_to=answered,
                    depth=2,
                )
            )
    Comment.objects.bulk_create(answers)
    below = REPLIES_TO_COMMENT + REPLIES_TO_REPLY
    Comment.objects.filter(pk__in=[root.pk for root in roots]).update(reply_count=below)
    Comment.objects.filter(pk__in=[answer.parent_id for answer in answers]).update(
        reply_count=F("reply_count") + 1
    )
    Thread.objects.filter(pk=thread.pk).update(comment_count=len(written))
    return written


def busy_thread(story, readers, count: int) -> None:
    """Top-level comments by the readers over the past day, a reader's ten apart."""
    from django.db.models import F
    from django.utils import timezone

    from gazette.discussion.models import Comment, Thread

    thread = open_thread(story)
    start = timezone.now() - timedelta(days=1)
    step = timedelta(days=1) / (count + 1)
    Comment.objects.bulk_create(
        [
            Comment(
                thread=thread,
                author=readers[number % len(readers)],
                body=f"Comment {number}: a view on the story.",
                body_html=f"<p>Comment {number}: a view on the story.</p>",
                created_at=start + step * number,
            )
            for number in range(count)
        ],
        batch_size=2000,
    )
    Thread.objects.filter(pk=thread.pk).update(comment_count=F("comment_count") + count)


def sessions(readers, host: str) -> list[tuple[str, str, str, str]]:
    """Each reader signed in, with the CSRF token GET /api/v1/session gives."""
    from django.test import Client

    rows = []
    client = Client(HTTP_HOST=host)
    for reader in readers:
        client.cookies.clear()
        client.force_login(reader)
        answer = client.get("/api/v1/session")
        state = answer.json()
        if answer.status_code != 200 or not state["may_comment"]:
            raise SystemExit(f"{reader} may not comment: {state}")
        rows.append(
            (
                client.cookies["sessionid"].value,
                client.cookies["csrftoken"].value,
                state["csrf_token"],
                reader.display_name,
            )
        )
    return rows


def story_export(story) -> dict:
    """What the Wagtail peer's article page shows of the story."""
    from django.conf import settings

    photo = story.lead_photo
    return {
        "publication": settings.GAZETTE_PUBLICATION_NAME,
        "slug": story.slug,
        "headline": story.headline,
        "subhead": story.subhead,
        "section": story.section.name,
        "sections": [
            section.name
            for section in type(story.section).objects.order_by("position", "name")
        ],
        "dateline": story.dateline,
        "dateline_separator": settings.GAZETTE_DATELINE_SEPARATOR,
        "byline": story.byline or story.wire_source,
        "published_at": story.published_at.isoformat(),
        "body": story.body,
        "photo": {
            "path": photo.image.path,
            "caption": photo.caption,
            "credit": photo.credit,
            "alt_text": photo.alt_text,
        },
    }


def prepare(options: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from gazette.newsroom.models import Article

    out = Path(options.out)
    rng = random.Random(2024)
    live = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
    ).select_related("section", "lead_photo")
    story = live.get(front_rank=1, lead_photo__isnull=False)
    busy, posted_to = live.exclude(pk=story.pk).order_by("-published_at")[:2]
    texts = comment_texts(600, rng)
    with transaction.atomic():
        readers = make_readers(options.readers)
        thread = conversations(story, readers[1:51], texts)
        busy_thread(busy, readers, options.busy_comments)
        open_thread(posted_to)
    host = "127.0.0.1"
    rows = sessions(readers, host)
    with (out / "readers.tsv").open("w") as handle:
        for row in rows:
            handle.write("\t".join(row) + "\n")
    with (out / "texts.txt").open("w") as handle:
        for text in texts:
            handle.write(json.dumps(text) + "\n")
    (out / "thread.json").write_text(json.dumps(thread, indent=1))
    (out / "story.json").write_text(json.dumps(story_export(story), indent=1))

    page = Client(HTTP_HOST=host).get(story.get_absolute_url())
    api = Client(HTTP_HOST=host).get(f"/api/v1/articles/{story.slug}/comments")
    shown = sum(1 + len(comment["replies"]) for comment in api.json()["comments"])
    nested = [
        reply for comment in api.json()["comments"] for reply in comment["replies"]
    ]
    shown += sum(len(reply["replies"]) for reply in nested)
    if page.status_code != 200 or api.status_code != 200:
        raise SystemExit(f"story page {page.status_code}, API {api.status_code}")
    (out / "story.html").write_bytes(page.content)
    summary = {
        "story": story.get_absolute_url(),
        "story_slug": story.slug,
        "busy_story": busy.get_absolute_url(),
        "busy_slug": busy.slug,
        "post_slug": posted_to.slug,
        "page_bytes": len(page.content),
        "comments_on_first_page": shown,
        "readers": len(rows),
        "texts": len(texts),
        "page_size": settings.GAZETTE_COMMENT_PAGE_SIZE,
        "replies_shown": settings.GAZETTE_COMMENT_REPLIES_SHOWN,
    }
    (out / "gazette.json").write_text(json.dumps(summary, indent=1))
    say(
        f"  {len(rows)} readers signed in; {len(thread)} comments on {story.slug} "
        f"({shown} on its first page), {options.busy_comments:,} on {busy.slug}; "
        f"posts go to {posted_to.slug}"
    )


def posts(options: argparse.Namespace) -> None:
    """What became of the comments the posting target sent."""
    import django

    django.setup()
    from gazette.discussion.models import Comment

    summary = json.loads((Path(options.out) / "gazette.json").read_text())
    comments = Comment.objects.filter(thread__article__slug=summary["post_slug"])
    states = Counter(comments.values_list("state", flat=True))
    held = Counter(
        reason["reason"]
        for reasons in comments.filter(state=Comment.State.PENDING).values_list(
            "check_reasons", flat=True
        )
        for reason in reasons
    )
    say(json.dumps({"states": dict(states), "held_because": dict(held.most_common(4))}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser("prepare")
    prepare_parser.add_argument("out")
    prepare_parser.add_argument("--readers", type=int, default=1000)
    prepare_parser.add_argument("--busy-comments", type=int, default=10_000)
    posts_parser = commands.add_parser("posts")
    posts_parser.add_argument("out")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")
    if options.command == "prepare":
        prepare(options)
    else:
        posts(options)


if __name__ == "__main__":
    main()
