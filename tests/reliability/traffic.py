"""Readers posting and reading at once against a real server, for a bounded time
and a bounded number of requests each, and what every request got.

Posting clients are distinct signed-in readers (seed.py) who post through the
JSON API with their session cookie and X-CSRFToken, half of them under each of
two stories, every fourth comment a reply to one of the story's conversations.
Reading clients go round the story page as an anonymous reader gets it (mostly from the
page cache), the same page signed in (rendered afresh), and the API's thread.
Every comment's text is unique, so the database can be searched for each one
that was acknowledged.
"""

import http.client
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass

from tests.reliability import servers
from tests.reliability.checkers import LOCKED, percentile

# The start of every comment the load posts (census.py looks for it).
MARKER = "Load comment"
# A client that got no answer (the server is down) waits this long to try again,
# and sends a comment at most this many times more.
PAUSE_SECONDS = 0.1
RESENDS = 100


@dataclass
class Outcome:
    kind: str  # "post" or "read"
    path: str
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: no answer (connection refused or dropped)
    text: str = ""  # the comment sent
    is_resent: bool = False  # sent again after no answer came
    comment_id: int | None = None  # the id a 201 gave it
    retry_after: str = ""
    excerpt: str = ""  # of an answer that failed, or that mentions SQLite's lock

    @property
    def is_acknowledged(self) -> bool:
        """Posted (201), or found posted already when sent again (409: the crash
        took the first answer, not the comment)."""
        return self.kind == "post" and (
            self.status == 201 or (self.status == 409 and self.is_resent)
        )


def attempt(send, *arguments, **options) -> servers.Answer | None:
    """One request by `send` (servers.request, servers.post_comment); None when
    no answer came (refused, reset, timed out)."""
    try:
        return send(*arguments, **options)
    except (OSError, http.client.HTTPException):
        return None


def time_until_answered(
    url: str, *, since: float, within: float, headers=None
) -> float | None:
    """Seconds from `since` until `url` answers 200, or None if not `within`."""
    while time.monotonic() - since < within:
        answer = attempt(servers.request, url, headers=headers)
        if answer is not None and answer.status == 200:
            return time.monotonic() - since
        time.sleep(0.05)
    return None


class Traffic:
    """`posters` posting and `readers` reading clients, in threads, until
    `seconds` have passed, `most` requests each are made, or the block ends."""

    def __init__(
        self,
        address: str,
        seeded: dict,
        *,
        posters: int,
        readers: int,
        seconds: float,
        most: int = 5000,
    ):
        assert posters + readers <= len(seeded["cookies"]), "seed more readers"
        self.address, self.seeded = address, seeded
        self.posters, self.readers = posters, readers
        self.seconds, self.most = seconds, most
        self.tag = secrets.token_hex(3)
        self.outcomes: list[Outcome] = []  # list.append is atomic
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.errors: list[Exception] = []  # a client's own failure, not the server's
        self.started = self.finished = 0.0

    def __enter__(self):
        cookies = self.seeded["cookies"]
        tokens = [servers.csrf_token(self.address, c) for c in cookies[: self.posters]]
        self.started = time.monotonic()
        self.threads = [
            threading.Thread(
                target=self.run, args=(self.post, n, cookies[n], tokens[n])
            )
            for n in range(self.posters)
        ] + [
            threading.Thread(
                target=self.run, args=(self.read, n, cookies[self.posters + n])
            )
            for n in range(self.readers)
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exception):
        self.stopping.set()
        self.join()

    def finish(self) -> None:
        """Let the load run its time out."""
        self.join()

    def join(self) -> None:
        # A request waits at most servers.request's 60 s.
        for thread in self.threads:
            thread.join(self.seconds + 90)
        assert not any(thread.is_alive() for thread in self.threads)
        assert self.errors == []
        self.finished = self.finished or time.monotonic()

    def is_over(self) -> bool:
        return self.stopping.is_set() or time.monotonic() - self.started > self.seconds

    def run(self, client, *arguments) -> None:
        try:
            client(*arguments)
        except Exception as error:  # the test reports it after the load
            self.errors.append(error)

    def post(self, number: int, cookie: str, token: str) -> None:
        story = self.seeded["stories"][number % len(self.seeded["stories"])]
        conversations = story["conversations"]
        path = f"/api/v1/articles/{story['slug']}/comments"
        count = 0
        while count < self.most and not self.is_over():
            text = (
                f"{MARKER} {self.tag}-{number}-{count}: "
                "the harbor plan needs a public hearing first."
            )
            parent = (
                conversations[count % len(conversations)] if count % 4 == 3 else None
            )
            # A comment that got no answer is sent again, as its reader would.
            for sending in range(RESENDS + 1):
                count += 1
                started = time.monotonic()
                answer = attempt(
                    servers.post_comment,
                    self.address,
                    story["slug"],
                    text,
                    cookie=cookie,
                    token=token,
                    parent_id=parent,
                )
                outcome = self.record("post", path, started)
                outcome.text, outcome.is_resent = text, sending > 0
                self.note(outcome, answer)
                if outcome.status == 201:
                    outcome.comment_id = json.loads(answer.body)["comment"]["id"]
                if outcome.status or self.is_over():
                    break

    def read(self, number: int, cookie: str) -> None:
        story = self.seeded["stories"][number % len(self.seeded["stories"])]
        rounds = [
            (story["story"], None),
            (story["story"], {"Cookie": cookie}),
            (f"/api/v1/articles/{story['slug']}/comments", None),
        ]
        for count in range(self.most):
            if self.is_over():
                return
            path, headers = rounds[count % len(rounds)]
            started = time.monotonic()
            answer = attempt(servers.request, self.address + path, headers=headers)
            self.note(self.record("read", path, started), answer)

    def record(self, kind: str, path: str, started: float) -> Outcome:
        outcome = Outcome(kind, path, started, time.monotonic() - started, 0)
        self.outcomes.append(outcome)
        return outcome

    def note(self, outcome: Outcome, answer: servers.Answer | None) -> None:
        if answer is None:
            time.sleep(PAUSE_SECONDS)
            return
        outcome.status = answer.status
        outcome.retry_after = answer.headers.get("Retry-After", "")
        if answer.status >= 400:
            outcome.excerpt = answer.body[:300]
        elif LOCKED in answer.body:
            at = answer.body.index(LOCKED)
            outcome.excerpt = answer.body[max(0, at - 150) : at + 150]

    # What the load got.

    def acknowledged(self) -> dict[str, int | None]:
        """Each acknowledged comment's text and the id the answer gave it (None:
        a 409, which gives none)."""
        return {
            outcome.text: outcome.comment_id
            for outcome in self.outcomes
            if outcome.is_acknowledged
        }

    def statuses(self, kind: str | None = None) -> Counter:
        return Counter(
            outcome.status for outcome in self.outcomes if kind in {None, outcome.kind}
        )

    def answers(self) -> list[tuple[int, str]]:
        """(status, Retry-After) of every answer that came."""
        return [
            (outcome.status, outcome.retry_after)
            for outcome in self.outcomes
            if outcome.status
        ]

    def excerpts(self) -> dict[str, str]:
        """What answers that failed, or that mention SQLite's lock, said."""
        return {
            f"answer {number} ({outcome.path}, {outcome.status})": outcome.excerpt
            for number, outcome in enumerate(self.outcomes)
            if outcome.excerpt
        }

    def figures(self) -> dict:
        elapsed = (self.finished or time.monotonic()) - self.started
        posted = [
            outcome.seconds for outcome in self.outcomes if outcome.is_acknowledged
        ]
        read = [
            outcome.seconds
            for outcome in self.outcomes
            if outcome.kind == "read" and outcome.status
        ]
        return {
            "seconds": elapsed,
            "posts": sum(outcome.kind == "post" for outcome in self.outcomes),
            "acknowledged": len(posted),
            "posts_per_second": len(posted) / elapsed if elapsed else 0.0,
            "post_p95": percentile(posted, 95),
            "reads": len(read),
            "read_p95": percentile(read, 95),
        }

    def summary(self) -> str:
        figures = self.figures()
        return (
            f"{self.posters} posting + {self.readers} reading clients for "
            f"{figures['seconds']:.1f} s: {figures['acknowledged']} of "
            f"{figures['posts']} posts acknowledged, "
            f"{figures['posts_per_second']:.1f} posts/s, post p95 "
            f"{figures['post_p95'] * 1000:.0f} ms; {figures['reads']} reads, read "
            f"p95 {figures['read_p95'] * 1000:.0f} ms; statuses "
            f"{dict(sorted(self.statuses().items()))}"
        )
