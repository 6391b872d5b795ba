"""Schemathesis against the JSON API's own OpenAPI document, run in process.

The document is read from /api/v1/openapi.json as served, and the requests go to
the WSGI application a server runs (gazette/wsgi.py), in the test's thread and
database. Each role's requests carry what its browser would: the session
cookie, and the CSRF token from GET /api/v1/session sent back as X-CSRFToken. A
visitor sends a CSRF token too, so that only the missing session stands between
a write and its effect.

Schemathesis makes the requests from the document (its coverage cases, then
valid and invalid data) with a fixed seed, and checks each answer against it: no
server error, only documented status codes, bodies, headers and content types,
invalid data refused, a method the address does not take answered 405, and a
write that succeeded refused once the session is taken away or made up
(ignored_auth). Besides its free draws, requests are aimed at the paper's own
stories and comments, and two checks of the battery's own read every answer:
no comment of someone else changes (its text, state or time of edit), and no
text a reader may not see (a comment held for review, rejected, deleted, or
under a hidden discussion) is shown to anyone.

`fuzz` returns what it sent and what failed, as sentences; the tests run it on
Gazette and, as controls, on views deliberately broken.
"""

from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import hypothesis
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import strategies as st
from schemathesis.auths import AuthStorage
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from gazette.accounts.models import User
from gazette.discussion import services
from gazette.discussion.models import Comment
from gazette.discussion.tests.builders import make_commenter
from gazette.newsroom.models import Article
from gazette.testing import make_article, make_staff
from tests.security.authz import make_staff_member

ROLES = ("anonymous", "reader", "moderator")
DOCUMENT = "/api/v1/openapi.json"
# Fixed, so that a run sends the same requests every time.
SEED = 20261130
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
    ignored_auth,
    unsupported_method,
    allow_header_conformance,
]
# Left out: positive_data_acceptance, because the document cannot state every
# rule (a blank comment, a closed story, Respect given twice are valid JSON,
# refused 400 with the reason); and the checks of schemathesis's stateful phase
# (use_after_free, ensure_resource_availability, object_level_authorization),
# whose work for this API's comments the ownership and leak checks here do.

# Texts no role may be shown through the API: comments that are not on the page.
HIDDEN_TEXTS = {
    "held for review": "Held back for review, marker PENDING-7F3",
    "rejected": "Rejected by a moderator, marker REJECTED-2C9",
    "deleted": "Deleted by its author, marker DELETED-5A1",
    "under a hidden discussion": "Under a hidden discussion, marker HIDDEN-8D4",
}


@dataclass
class Paper:
    """The people, stories and comments the requests are aimed at."""

    people: dict[str, User | None]
    slugs: list[str]
    comments: dict[str, int]


def build_paper(role: str) -> Paper:
    """A story open for comment with comments in every state, a closed story, a
    story whose discussion is hidden and a draft; the role owns a comment and a
    reply to someone else."""
    editor = make_staff("Editor")
    decider = make_staff_member("moderator", "Desk Decider")
    people: dict[str, User | None] = {
        "anonymous": None,
        "reader": make_commenter("Kai Reader"),
        "moderator": make_staff_member("moderator", "Lani Moderator"),
    }
    other = make_commenter("Other Reader")
    held = make_commenter("Held Reader")
    services.set_premoderation(held, actor=decider)
    story = make_article(headline="Harbor plan", slug="harbor")
    closed = make_article(headline="Reef survey", slug="reef")
    hidden = make_article(headline="Court ruling", slug="court")
    draft = make_article(
        headline="Budget draft", slug="budget", status=Article.Status.DRAFT
    )

    def post(article, author, body, parent=None) -> Comment:
        return services.post_comment(article, actor=author, body=body, parent=parent)

    comments = {
        "other's": post(story, other, "The harbor needs dredging."),
        "staff": post(story, decider, "The vote is on Tuesday."),
        "pending": post(story, held, HIDDEN_TEXTS["held for review"]),
        "rejected": post(story, other, HIDDEN_TEXTS["rejected"]),
        "deleted": post(story, other, HIDDEN_TEXTS["deleted"]),
        "closed": post(closed, other, "Closed now, still on the page."),
        "hidden": post(hidden, other, HIDDEN_TEXTS["under a hidden discussion"]),
    }
    # Their replies keep the rejected and deleted comments in the thread.
    comments["reply"] = post(story, decider, "A reply.", parent=comments["rejected"])
    post(story, decider, "Another reply.", parent=comments["deleted"])
    services.reject_comment(comments["rejected"], actor=decider, reason="spam")
    services.delete_comment(comments["deleted"], actor=other)
    services.close_discussion(closed, actor=editor)
    services.hide_discussion(hidden, actor=editor)
    actor = people[role]
    if actor is not None:
        comments["own"] = post(story, actor, "My own first thought.")
        comments["own reply"] = post(
            story, actor, "My own reply.", parent=comments["other's"]
        )
    return Paper(
        people=people,
        slugs=[story.slug, closed.slug, hidden.slug, draft.slug],
        comments={name: comment.pk for name, comment in comments.items()},
    )


@dataclass(frozen=True)
class Browser:
    """What a role's requests carry: its cookies and the CSRF header."""

    cookies: dict[str, str]
    headers: dict[str, str]


def browser_of(person: User | None) -> Browser:
    """Sign in (a visitor does not), then ask the API for the CSRF token."""
    client = Client()
    if person is not None:
        client.force_login(person)
    token = client.get("/api/v1/session").json()["csrf_token"]
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return Browser(cookies=cookies, headers={"X-CSRFToken": token})


class SignedIn:
    """Schemathesis's auth provider: the role's browser on every request, so that
    ignored_auth knows the session is there and can take it away."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    def get(self, case, context) -> Browser:
        return self.browser

    def set(self, case, data: Browser, context) -> None:
        case.cookies.update(data.cookies)
        case.headers.update(data.headers)


@contextmanager
def connection_kept() -> Iterator[None]:
    """Requests leave the test's database connection, and its transaction, open,
    as they do through Django's test client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class Run:
    """What one role's run sent, what came back, and what failed."""

    role: str
    answers: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def examples(self) -> int:
        return self.answers.total()

    @property
    def operations(self) -> set[str]:
        return {label for label, _ in self.answers}

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def others_comments(actor: User | None) -> dict[int, tuple]:
    """Every comment of someone else as it stands: text, state, time of edit."""
    comments = Comment.objects.exclude(author=actor) if actor else Comment.objects
    rows = comments.values_list("pk", "body", "state", "edited_at")
    return {pk: rest for pk, *rest in rows}


def ownership_problems(before: dict, after: dict) -> list[str]:
    changed = sorted(pk for pk in before if after.get(pk) != before[pk])
    return [f"changed comment {pk}, someone else's" for pk in changed]


def leak_problems(text: str) -> list[str]:
    return [
        f"showed the text of a comment {kind}"
        for kind, secret in HIDDEN_TEXTS.items()
        if secret in text
    ]


def aimed_strategy(operation, paper: Paper):
    """Requests at the paper's own comments, or stories (replies to each of its
    comments for the post), in valid data; None where the operation names
    neither."""
    names = [parameter.name for parameter in operation.path_parameters]
    if names == ["comment_id"]:
        targets = [{"comment_id": pk} for pk in paper.comments.values()]
    elif names == ["slug"]:
        targets = [{"slug": slug} for slug in paper.slugs]
    else:
        return None
    strategies = [operation.as_strategy(path_parameters=target) for target in targets]
    if operation.method.upper() == "POST" and names == ["slug"]:
        strategies += [
            operation.as_strategy(
                path_parameters={"slug": slug},
                body={"body": f"A reply on {slug} to {pk}.", "parent_id": pk},
            )
            for slug in paper.slugs
            for pk in paper.comments.values()
        ]
    return st.one_of(strategies)


def fuzz(
    app,
    paper: Paper,
    role: str,
    *,
    examples: int,
    aimed: int,
    only: Collection[str] = (),
) -> Run:
    """Fuzz every operation (or those labelled in `only`) as the role:
    schemathesis's coverage cases and `examples` draws of valid and invalid data
    from the document, then `aimed` requests at the paper's stories and
    comments."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": examples,
                "no-shrink": True,
                "database": "none",
            },
        }
    )
    actor = paper.people[role]
    # Before connection_kept: Django's test client connects its receivers again.
    browser = browser_of(actor)
    run = Run(role=role)

    def exercise(case) -> None:
        label = case.operation.label
        before = others_comments(actor)
        response = case.call()
        run.answers[(label, response.status_code)] += 1
        found = []
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            found += [failure.title for failure in group.exceptions]
        found += ownership_problems(before, others_comments(actor))
        found += leak_problems(response.text or "")
        for problem in found:
            run.add(f"{role}: {label} answered {response.status_code}: {problem}")

    settings = hypothesis.settings(
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    with connection_kept():
        schema = schemathesis.openapi.from_wsgi(DOCUMENT, app, config=config)
        # Each operation's test is built as schemathesis's pytest plugin builds
        # it (create_test), coverage cases included; the version is pinned.
        schema.auth = AuthStorage(providers=[SignedIn(browser)])
        for result in schema.get_all_operations():
            operation = result.ok()
            if only and operation.label not in only:
                continue
            drawn = create_test(
                operation=operation,
                test_func=exercise,
                config=HypothesisTestConfig(
                    project=schema.config,
                    modes=[HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING],
                    settings=schema.config.get_hypothesis_settings(
                        operation=operation, phase="fuzzing"
                    ),
                    explicit_settings=hypothesis.settings(
                        settings, max_examples=examples
                    ),
                    seed=SEED,
                ),
            )
            run_unless_unsatisfiable(drawn)
            strategy = aimed_strategy(operation, paper)
            if strategy is not None and aimed:

                @hypothesis.given(case=strategy)
                @hypothesis.settings(settings, max_examples=aimed)
                def at_the_paper(case) -> None:
                    exercise(case)

                run_unless_unsatisfiable(at_the_paper)
    return run


def run_unless_unsatisfiable(test) -> None:
    # No invalid request can be made of an operation that takes no input.
    with suppress(hypothesis.errors.Unsatisfiable):
        test()
