"""The automated checks on every new or edited comment, one small phase at a time.

Each phase reads the comment, its author and its story, and either refuses the
comment (raising a CommentRejected the reader can act on) or returns findings;
a finding that holds sends the comment to a moderator. Findings are stored on
the comment (Comment.check_reasons), with the matched words and their positions
and the model's score, so that every automated decision keeps its reasons.

The phases, in order: the author's standing, the word lists, links, the civility
model, the rate and repeat limits (new comments only), pre-moderation, then the
extra checks named in GAZETTE_COMMENT_CHECKS.
"""

import functools
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection
from django.utils import timezone

from gazette import civility
from gazette.discussion import guidelines
from gazette.discussion.errors import (
    CommentRejected,
    MayBreakGuidelines,
    PostingTooFast,
)
from gazette.discussion.models import (
    DEEPEST,
    Comment,
    Sanction,
    Thread,
    WordListEntry,
)
from gazette.discussion.policy import Policy, current_policy
from gazette.discussion.screening import Finding, Screening, screen_comment

LINK = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|net|org|io|ly|co)\b", re.I)


@dataclass
class Submission:
    """A comment on its way to the page, and what the phases learned about it."""

    text: str
    author: object
    thread: Thread
    is_edit: bool = False
    is_confirmed: bool = False
    score: float | None = None
    # The author's open sanctions: read by the standing phase, unless given.
    sanctions: list[Sanction] | None = None
    findings: list[Finding] = field(default_factory=list)
    # The policy in force, read once for all the phases.
    policy: Policy = field(default_factory=current_policy)

    @property
    def is_staff(self) -> bool:
        return bool(getattr(self.author, "is_staff", False))

    @property
    def is_trusted(self) -> bool:
        return self.is_staff or self.has(Sanction.Kind.TRUST)

    def has(self, kind: str) -> bool:
        return any(s.kind == kind for s in self.sanctions or ())

    @functools.cached_property
    def record(self) -> "Record":
        """What the author wrote lately and how busy the story is, for the rate
        and pre-moderation phases."""
        return recent_record(
            self.author, self.text, thread=self.thread, policy=self.policy
        )


@dataclass(frozen=True)
class Record:
    """The author's recent comments, as the limits and pre-moderation count them."""

    repeats: int  # this same text within GAZETTE_COMMENT_REPEAT_MINUTES, kept
    last_hour: int  # comments in the last hour, kept (not deleted)
    decided: int  # comments a moderator decided within the rejection-rate days
    rejected: int  # of those, the ones rejected
    # All the author's comments, of any state, counted no further than the
    # policy's first comments.
    written: int
    # The story's comments within GAZETTE_PREMODERATE_SURGE's minutes, counted
    # no further than its count.
    story_latest: int

    @property
    def is_surging(self) -> bool:
        """Whether the story draws comments faster than GAZETTE_PREMODERATE_SURGE
        allows."""
        count = settings.GAZETTE_PREMODERATE_SURGE[0]
        return bool(count) and self.story_latest >= count

    @property
    def rejection_rate(self) -> float | None:
        return self.rejected / self.decided if self.decided else None


def recent_record(author, text: str, *, thread: Thread, policy: Policy) -> Record:
    """The author's recent comments counted in one query, over the longest of the
    windows the checks look back on (an index range: author, created_at), with
    how many the author ever wrote and how busy the story is.

    Written out: asked on every post, it cost more to build through the ORM
    (five filtered aggregates) than the three queries it replaces. The two
    bounded counts were queries of their own (0.05 ms each).
    """
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value
    repeat_since = now - timedelta(minutes=policy.repeat_minutes)
    hour_ago = now - timedelta(hours=1)
    rate_since = now - timedelta(days=settings.GAZETTE_PREMODERATE_RATE_DAYS)
    surge, surge_minutes = settings.GAZETTE_PREMODERATE_SURGE
    deleted, rejected = Comment.State.DELETED, Comment.State.REJECTED
    with connection.cursor() as cursor:
        cursor.execute(
            _record_sql(),
            [
                # The story's: by its time index (thread, depth, created_at),
                # one range a depth; counting by the thread alone read every
                # comment the story ever had (2.6 ms on a story with 10,000).
                *(thread.pk, *range(DEEPEST + 1)),
                *(at(now - timedelta(minutes=surge_minutes)), surge),
                *(author.pk, policy.premoderate_first_comments),
                *(deleted, text, at(repeat_since)),
                *(deleted, at(hour_ago)),
                at(rate_since),
                *(at(rate_since), rejected),
                *(author.pk, at(min(repeat_since, hour_ago, rate_since))),
            ],
        )
        story_latest, written, repeats, last_hour, decided, rejections = (
            cursor.fetchone()
        )
    return Record(
        repeats=(repeats or 0) if policy.repeat_minutes else 0,
        last_hour=last_hour or 0,
        decided=decided or 0,
        rejected=rejections or 0,
        written=written,
        story_latest=story_latest,
    )


@functools.cache
def _record_sql() -> str:
    comments = Comment._meta.db_table

    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    def bounded(where: str) -> str:
        return (
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {comments} WHERE {where}"
            " LIMIT %s) AS counted)"
        )

    depths = ", ".join(["%s"] * (DEEPEST + 1))
    return (
        "SELECT "
        + ", ".join(
            [
                bounded(f"thread_id = %s AND depth IN ({depths}) AND created_at >= %s"),
                bounded("author_id = %s"),
                count("state <> %s AND body = %s AND created_at >= %s"),
                count("state <> %s AND created_at >= %s"),
                count("decided_at IS NOT NULL AND created_at >= %s"),
                count("decided_at IS NOT NULL AND created_at >= %s AND state = %s"),
            ]
        )
        + f" FROM {comments} WHERE author_id = %s AND created_at >= %s"
    )


def civility_thresholds(policy: Policy | None = None) -> civility.Thresholds:
    """GAZETTE_CIVILITY_HOLD and GAZETTE_CIVILITY_REJECT, checked."""
    policy = policy or current_policy()
    hold, reject = policy.civility_hold, policy.civility_reject
    problems = settings_problems(hold=hold, reject=reject)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
    return civility.Thresholds(hold=hold, reject=reject)


def settings_problems(*, hold: float, reject: float) -> list[str]:
    """What is wrong with the civility thresholds, in words staff can act on."""
    problems = []
    for name, value in (("hold", hold), ("reject", reject)):
        if not isinstance(value, int | float) or not 0 < value <= 1:
            problems.append(
                f"The civility {name} threshold must be a number above 0 and at "
                f"most 1, not {value!r}."
            )
    if not problems and hold > reject:
        problems.append(
            f"The civility hold threshold ({hold}) must not be above the reject "
            f"threshold ({reject})."
        )
    return problems


@functools.cache
def _provider(config: str) -> civility.CivilityProvider:
    return civility.provider_from_config(json.loads(config))


def chosen_model_file() -> Path:
    """Where `gazette moderation use` notes the model chosen on this machine."""
    return Path(settings.GAZETTE_CIVILITY_DIR) / "active.json"


def provider_config() -> dict:
    """The model `gazette moderation use` chose, else GAZETTE_CIVILITY_PROVIDER."""
    chosen = chosen_model_file()
    if chosen.exists():
        return json.loads(chosen.read_text(encoding="utf-8"))
    return dict(settings.GAZETTE_CIVILITY_PROVIDER)


def choose_model(path: str) -> dict:
    """Use a trained model file from now on, or "shipped" to go back.

    A trained model keeps the shipped one as its fallback
    (gazette.civility.provider_from_config); a file that does not load is refused.
    """
    chosen = chosen_model_file()
    if path == "shipped":
        chosen.unlink(missing_ok=True)
        return {"provider": "shipped"}
    model_path = Path(path).resolve()
    civility.load(model_path)
    config = {"provider": "model", "path": str(model_path)}
    chosen.parent.mkdir(parents=True, exist_ok=True)
    chosen.write_text(json.dumps(config), encoding="utf-8")
    return config


# The provider in use, under what the chosen model's file looked like then.
_in_use: dict[tuple | None, civility.CivilityProvider] = {}


def civility_provider() -> civility.CivilityProvider:
    """The civility model in use, loaded once a process for each configuration.

    Asked on every post: one stat of the file `gazette moderation use` writes
    tells whether the choice changed since (in any process); the file is read
    only then. Reading it every time cost 0.06 ms a post.
    """
    try:
        found = os.stat(chosen_model_file())
        seen = (found.st_ino, found.st_mtime_ns, found.st_size)
    except FileNotFoundError:
        seen = None
    provider = _in_use.get(seen)
    if provider is None:
        provider = _provider(json.dumps(provider_config(), sort_keys=True))
        _in_use.clear()
        _in_use[seen] = provider
    return provider


def _forget_provider(setting, **kwargs) -> None:
    if setting.startswith("GAZETTE_CIVILITY_"):
        _in_use.clear()


setting_changed.connect(_forget_provider)


def word_lists() -> tuple[civility.WordList, civility.WordList]:
    """The banned and suspect lists staff keep in the admin (one query).

    Read afresh for every comment, so an entry staff add counts at once in every
    process; built into patterns only when the entries differ from the last.
    The query is written out: through the ORM it cost 0.21 ms of CPU against
    0.03 ms.
    """
    entries: dict[str, list[str]] = {kind: [] for kind in WordListEntry.Kind.values}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, entry FROM {WordListEntry._meta.db_table}"
            " ORDER BY kind, entry"
        )
        found = cursor.fetchall()
    for kind, entry in found:
        entries[kind].append(entry)
    return _built_word_lists(
        tuple(entries[WordListEntry.Kind.BANNED]),
        tuple(entries[WordListEntry.Kind.SUSPECT]),
    )


@functools.lru_cache(maxsize=4)
def _built_word_lists(
    banned: tuple[str, ...], suspect: tuple[str, ...]
) -> tuple[civility.WordList, civility.WordList]:
    return civility.WordList(banned), civility.WordList(suspect)


def open_sanctions(reader) -> list[Sanction]:
    """The reader's sanctions in force now, of every kind (one query; none for a
    visitor)."""
    if reader is None or not reader.is_authenticated:
        return []
    now = timezone.now()
    return [
        sanction
        for sanction in Sanction.objects.not_lifted(reader)
        if sanction.ends_at is None or sanction.ends_at > now
    ]


def _standing(submission: Submission) -> None:
    if submission.sanctions is None:
        submission.sanctions = open_sanctions(submission.author)
    for sanction in submission.sanctions:
        if sanction.kind == Sanction.Kind.BAN:
            raise CommentRejected(
                "You are banned from the discussion and cannot post comments. "
                f"Reason: {sanction.reason}"
            )
        if sanction.kind == Sanction.Kind.SUSPENSION:
            until = timezone.localtime(sanction.ends_at)
            raise CommentRejected(
                "You are suspended from the discussion until "
                f"{until:%B %-d, %Y at %-I:%M %p}. Reason: {sanction.reason}"
            )
    if submission.has(Sanction.Kind.PREMODERATION):
        submission.findings.append(
            Finding(check="author", reason="The reader's comments are pre-moderated")
        )


def _words(submission: Submission) -> None:
    banned, suspect = word_lists()
    if not banned and not suspect:
        return
    screening = civility.screen_words(submission.text, banned=banned, suspect=suspect)
    if screening.banned:
        words = ", ".join(f"“{match.text}”" for match in screening.banned)
        raise CommentRejected(
            f"Your comment contains words the paper does not allow ({words}). "
            "Please change them and post again."
        )
    if screening.suspect:
        submission.findings.append(
            Finding(
                check="words",
                reason="; ".join(screening.reasons),
                matches=tuple(
                    {"entry": m.entry, "text": m.text, "start": m.start, "end": m.end}
                    for m in screening.suspect
                ),
            )
        )


def _links(submission: Submission) -> None:
    if not submission.policy.hold_links or submission.is_trusted:
        return
    matches = [
        {"text": m.group(0), "start": m.start(), "end": m.end()}
        for m in LINK.finditer(submission.text)
    ]
    if matches:
        submission.findings.append(
            Finding(
                check="links",
                reason=guidelines.clause("links"),
                matches=tuple(matches),
            )
        )


SCORES = ("attack", "offensive", "worst")


def scored(score: civility.CivilityScore) -> tuple[float, str]:
    """The score GAZETTE_CIVILITY_SCORE names, and the guideline it stands for.

    "attack" by default: the measured quality (gazette/civility/README.md) is the
    attack score's; the bad-taste score is noisier on short comments.
    """
    which = settings.GAZETTE_CIVILITY_SCORE
    if which not in SCORES:
        raise ImproperlyConfigured(
            f"GAZETTE_CIVILITY_SCORE must be one of {', '.join(SCORES)}, not {which!r}."
        )
    candidates = {
        "attack": [(score.attack, "personal_attack")],
        "offensive": [(score.offensive, "offensive")],
        "worst": [(score.attack, "personal_attack"), (score.offensive, "offensive")],
    }[which]
    return max(candidates)


def _civility(submission: Submission) -> None:
    thresholds = civility_thresholds(submission.policy)
    score = civility_provider().score(submission.text)
    worst, guideline = scored(score)
    submission.score = round(worst, 4)
    reason = guidelines.clause(guideline)
    if worst >= thresholds.reject:
        raise CommentRejected(
            f"Your comment breaks the paper's guidelines: {reason} "
            "Please rewrite it and post again."
        )
    if worst < thresholds.hold:
        return
    if not submission.is_confirmed:
        raise MayBreakGuidelines(
            f"Your comment may break this guideline: {reason} You can edit it, "
            "or post it anyway; a moderator will then review it.",
            guideline=reason,
            score=worst,
        )
    submission.findings.append(
        Finding(
            check="civility",
            reason=f"{reason} ({'; '.join(score.reasons) or score.provider})",
            score=round(worst, 4),
        )
    )


def _wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"You are posting too quickly. Please wait {seconds} {unit} and post again."


def _rate(submission: Submission) -> None:
    if submission.is_edit or submission.is_staff:
        return
    author, now, policy = submission.author, timezone.now(), submission.policy
    record = submission.record
    minutes = policy.repeat_minutes
    if record.repeats:
        raise CommentRejected(
            f"You posted this same comment in the last {minutes} minutes. "
            "Please say something new, or wait before posting it again."
        )
    limit = policy.hourly_limit
    if limit and record.last_hour >= limit:
        hour_ago = now - timedelta(hours=1)
        first = (
            Comment.objects.filter(author=author, created_at__gte=hour_ago)
            .exclude(state=Comment.State.DELETED)
            .earliest("created_at")
            .created_at
        )
        wait = math.ceil((first - hour_ago).total_seconds()) or 1
        raise PostingTooFast(
            f"You have posted {limit} comments in the last hour, the most "
            f"the paper takes. Please wait {math.ceil(wait / 60)} minutes.",
            retry_after=wait,
        )
    interval = policy.min_interval_seconds
    if interval <= 0:
        # 0 switches the interval off, for new accounts too (as it always has).
        return
    if author.date_joined > now - timedelta(days=1):
        interval = max(interval, policy.new_account_interval_seconds)
    # The shared cache holds the time of the reader's last comment; `add` is
    # atomic, so two requests at once cannot both pass.
    key = f"discussion:last-comment:{author.pk}"
    moment = time.time()
    if cache.add(key, moment, timeout=interval):
        return
    posted_at = cache.get(key, moment)
    wait = max(1, math.ceil(interval - (moment - posted_at)))
    raise PostingTooFast(_wait_message(wait), retry_after=wait)


def _premoderation(submission: Submission) -> None:
    if submission.is_staff:
        return
    thread, policy = submission.thread, submission.policy
    reason = None
    section = getattr(thread.article, "section", None)
    if policy.premoderate_all:
        reason = "All comments are pre-moderated"
    elif section is not None and section.slug in policy.premoderate_sections:
        reason = f"Comments in {section.name} are pre-moderated"
    elif thread.is_premoderated:
        reason = "Comments on this story are pre-moderated"
    elif submission.record.is_surging:
        reason = "Comments on this story are arriving fast"
    elif not submission.is_trusted and not submission.is_edit:
        first = policy.premoderate_first_comments
        if first and submission.record.written < first:
            reason = f"One of the reader's first {first} comments"
        else:
            rate = submission.record.rejection_rate
            share = policy.premoderate_rejection_rate
            if rate is not None and share and rate >= share:
                reason = f"{rate:.0%} of the reader's recent comments were rejected"
    if reason:
        submission.findings.append(Finding(check="premoderation", reason=reason))


PHASES = (_standing, _words, _links, _civility, _rate, _premoderation)


def check_comment(
    text: str,
    *,
    author,
    thread: Thread,
    is_edit: bool = False,
    is_confirmed: bool = False,
    sanctions: list[Sanction] | None = None,
) -> Screening:
    """Run the automated checks over a comment; refuse it, or say what holds it.

    `sanctions`: the author's open_sanctions(), when the caller read them already.
    """
    submission = Submission(
        text,
        author,
        thread,
        is_edit=is_edit,
        is_confirmed=is_confirmed,
        sanctions=sanctions,
    )
    for phase in PHASES:
        phase(submission)
    extra = screen_comment(text, author=author, thread=thread)
    return Screening((*submission.findings, *extra.findings), score=submission.score)
