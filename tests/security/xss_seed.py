"""Putting XSS payloads into every field a reader or a wire feed controls, through
the same services the site's forms, API and importers call.

A service may refuse a payload (a comment with an invisible character, a display
name with "<"); that is a clean refusal, counted. Anything else it raises is a
failure: the page posting it would answer 500.
"""

import json
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction

from gazette.accounts import services as accounts
from gazette.accounts.errors import AccountError
from gazette.discussion import services as discussion
from gazette.discussion.errors import DiscussionError
from gazette.discussion.models import Comment, Notice, Report
from gazette.discussion.tests.builders import make_commenter
from gazette.newsroom.models import Article
from gazette.wire.parsing import ParseError
from gazette.wire.services.imports import import_data
from gazette.wire.services.ingest import Outcome
from tests.security import payloads

# One reader posts this many payloads, each as a comment and as an edit, so that
# their own page (the latest 50 comments) shows every one of them.
PER_READER = 20
SAMPLE_SEED = 2024
EXPECTED = (DiscussionError, AccountError, ParseError)


def every_payload() -> list[str]:
    """Every distinct XSS payload, then the naughty strings not among them."""
    return list(dict.fromkeys([*payloads.xss_payloads(), *payloads.naughty_strings()]))


def sample(count: int) -> list[str]:
    """A fixed sample from the XSS payloads and the naughty strings alike."""
    return random.Random(SAMPLE_SEED).sample(every_payload(), count)


def quiet_policy(settings) -> None:
    """The paper's limits off: one reader posts many comments at once, the same
    text twice, and a story takes hundreds a minute without pre-moderation.
    Background work (mail, purges, edition rebuilds) is queued and never run:
    none of it is a page."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 0
    settings.GAZETTE_COMMENT_REPEAT_MINUTES = 0
    settings.GAZETTE_PREMODERATE_SURGE = (0, 10)
    settings.GAZETTE_PREMODERATE_REJECTION_RATE = 0
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 0
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 1000
    settings.GAZETTE_COMMENT_EDIT_MINUTES = 600
    settings.GAZETTE_COMMENTS_CLOSE_AFTER_DAYS = 3650
    settings.GAZETTE_COMMENT_PAGE_SIZE = 100


@dataclass
class Tally:
    """How one field took the payloads: stored, held then approved, or refused."""

    stored: int = 0
    held: int = 0
    refused: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def refuse(self, error: Exception, text: str) -> None:
        if isinstance(error, EXPECTED):
            self.refused[type(error).__name__] += 1
        else:
            self.failures.append(f"{type(error).__name__}: {error} for {text!r:.120}")


@dataclass
class Discussion:
    """A story whose discussion holds the payloads in every field a reader fills."""

    story: Article
    moderator: object
    authors: list = field(default_factory=list)
    repliers: list = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    edited: list[Comment] = field(default_factory=list)
    replies: list[Comment] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    # For each payload, the comment its reply, report and rejection went to.
    targets: list[Comment] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    @property
    def failures(self) -> list[str]:
        return [
            f"{name}: {failure}"
            for name, tally in self.tallies.items()
            for failure in tally.failures
        ]


def make_moderator(name: str = "Desk Moderator"):
    moderator = make_commenter(name, is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    return moderator


def _on_the_page(comment: Comment, moderator, tally: Tally) -> Comment:
    """A comment the checks held goes on the page the desk's way: approved."""
    if comment.state == Comment.State.PENDING:
        tally.held += 1
        discussion.approve_comment(comment, actor=moderator)
        comment.refresh_from_db()
    return comment


def _post(seeded: Discussion, name: str, reader, text: str, parent=None):
    tally = seeded.tally(name)
    try:
        comment = discussion.post_comment(
            seeded.story, actor=reader, body=text, parent=parent, confirmed=True
        )
    except Exception as error:
        tally.refuse(error, text)
        return None
    tally.stored += 1
    return _on_the_page(comment, seeded.moderator, tally)


def _edit(seeded: Discussion, comment: Comment, text: str) -> Comment:
    tally = seeded.tally("edit")
    try:
        edited = discussion.edit_comment(
            comment, actor=comment.author, body=text, confirmed=True
        )
    except Exception as error:
        tally.refuse(error, text)
        return comment
    tally.stored += 1
    return _on_the_page(edited, seeded.moderator, tally)


def _report(seeded: Discussion, comment: Comment, reporter, text: str) -> None:
    tally = seeded.tally("report text")
    try:
        report = discussion.report_comment(
            comment, actor=reporter, reason=Report.Reason.OTHER, text=text
        )
    except Exception as error:
        tally.refuse(error, text)
        return
    tally.stored += 1
    seeded.reports.append(report)


def seed_discussion(story: Article, texts: list[str], *, moderator) -> Discussion:
    """Each payload as a comment, an edit, a reply and a report note.

    Readers come in fours, each four taking PER_READER payloads: an author posts
    each payload as a comment, and a placeholder comment that they then edit to
    the payload; a second reader replies to the comment (or, when the comment
    was refused, to the edited one) with the payload, and a third reports it
    with the payload as the note.
    """
    seeded = Discussion(story=story, moderator=moderator)
    for start in range(0, len(texts), PER_READER):
        group = start // PER_READER
        author = make_commenter(f"Author {group}")
        replier = make_commenter(f"Replier {group}")
        reporter = make_commenter(f"Flagger {group}")
        seeded.authors.append(author)
        seeded.repliers.append(replier)
        # One commit for the group (each service still runs in its own atomic
        # block, a savepoint here): PostgreSQL then spends far less on commits.
        with transaction.atomic():
            for number, text in enumerate(texts[start : start + PER_READER], start):
                _seed_one(seeded, number, text, author, replier, reporter)
    return seeded


def _seed_one(seeded: Discussion, number: int, text: str, *readers) -> None:
    author, replier, reporter = readers
    comment = _post(seeded, "comment body", author, text)
    placeholder = _post(seeded, "placeholder", author, f"To be edited {number}")
    edited = _edit(seeded, placeholder, text)
    seeded.edited.append(edited)
    target = comment if comment is not None else edited
    seeded.targets.append(target)
    reply = _post(seeded, "reply", replier, text, parent=target)
    if comment is not None:
        seeded.comments.append(comment)
    if reply is not None:
        seeded.replies.append(reply)
    _report(seeded, target, reporter, text)


def reject_and_appeal(seeded: Discussion, texts: list[str]) -> None:
    """A moderator rejects the comment each payload went to (its author's notice
    quotes it), and the author appeals with the payload."""
    tally = seeded.tally("appeal text")
    pairs = list(zip(seeded.targets, texts, strict=True))
    for start in range(0, len(pairs), PER_READER):
        with transaction.atomic():
            for comment, text in pairs[start : start + PER_READER]:
                discussion.reject_comment(
                    comment, actor=seeded.moderator, reason="personal_attack"
                )
                notice = Notice.objects.get(
                    comment=comment, kind=Notice.Kind.COMMENT_REJECTED
                )
                seeded.notices.append(notice)
                try:
                    discussion.appeal_decision(notice, actor=comment.author, text=text)
                except Exception as error:
                    tally.refuse(error, text)
                else:
                    tally.stored += 1


@dataclass
class Names:
    """Display names: refused with a reason, or accepted and worn by a commenter."""

    tally: Tally = field(default_factory=Tally)
    readers: list = field(default_factory=list)


def seed_display_names(story: Article, texts: list[str], *, moderator) -> Names:
    """Try each payload as a display name; a reader takes each accepted name and
    comments under it, so that it shows beside a comment everywhere."""
    names = Names()
    trier = make_commenter("Name Trier")
    accepted = []
    for text in texts:
        try:
            accounts.rename_reader(trier, display_name=text, actor=trier)
        except Exception as error:
            names.tally.refuse(error, text)
        else:
            accepted.append(trier.display_name)
    accounts.rename_reader(trier, display_name="Name Trier", actor=trier)
    for number, name in enumerate(dict.fromkeys(accepted)):
        reader = make_commenter(f"Named {number}")
        try:
            accounts.rename_reader(reader, display_name=name, actor=reader)
        except Exception as error:
            # Two accepted names one reader could not tell apart ("null", "NULL").
            names.tally.refuse(error, name)
            continue
        comment = discussion.post_comment(
            story, actor=reader, body=f"A comment by a reader named {number}."
        )
        _on_the_page(comment, moderator, names.tally)
        names.tally.stored += 1
        names.readers.append(reader)
    return names


def wire_item(number: int, text: str, *, namespace: str) -> dict:
    """A ninjs 2.0 text item whose every reader-visible field is the payload: main
    headline and subhead, HTML body (with a plain-text body to fall back on when
    the HTML holds no text), byline, place, and its picture's caption, credit and
    alt text."""
    return {
        "uri": f"urn:newsml:{namespace}.example:2024:{number}",
        "type": "text",
        "version": "1",
        "language": "en",
        "headlines": [
            {"role": "main", "value": text},
            {"role": "sub", "value": text},
        ],
        "bodies": [
            {"role": "main", "contentType": "text/html", "value": text},
            {
                "role": "main",
                "contentType": "text/plain",
                "value": f"Wire copy {number}.",
            },
        ],
        "by": text,
        "located": text,
        "associations": {
            "picture": {
                "uri": f"urn:newsml:{namespace}.example:2024:{number}:picture",
                "type": "picture",
                "descriptions": [
                    {"role": "caption", "value": text},
                    {"role": "creditline", "value": text},
                    {"role": "alt", "value": text},
                ],
            }
        },
    }


@dataclass
class Wire:
    articles: list[Article] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


def seed_wire(
    texts: list[str], *, namespace: str = "xss", publish: bool = True
) -> Wire:
    """File a ninjs document of one item a payload through the wire import."""
    document = {
        "items": [
            wire_item(number, text, namespace=namespace)
            for number, text in enumerate(texts)
        ]
    }
    data = json.dumps(document).encode("utf-8")
    wire = Wire()
    try:
        results = import_data(data, name=f"{namespace}.json", publish=publish)
    except Exception as error:
        wire.tally.refuse(error, "the whole document")
        return wire
    for result in results:
        if result.outcome == Outcome.FAILED:
            wire.tally.refused["ParseError"] += 1
        else:
            wire.tally.stored += 1
            wire.articles.append(result.article)
    return wire
