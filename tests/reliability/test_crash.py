"""Crashes under load. The server killed with SIGKILL (its process group: the
master and every worker, in the middle of whatever they were doing) and started
again at once, three times; and on PostgreSQL the database going away mid-load
(a proxy drops every connection and refuses new ones for a few seconds, as an
immediate shutdown does; the machine's server is never stopped). Every
acknowledged comment is stored exactly once, the database is intact, pages are
served again within 5 s of a restart, and while the database is away the app
answers 503 with Retry-After, never 500, and works again without a restart."""

import time

import pytest
from django.db import connection

from tests.reliability import servers
from tests.reliability.checkers import answer_problems, recovery_problems
from tests.reliability.proxy import Proxy
from tests.reliability.traffic import Traffic, time_until_answered

# How soon after a restart (or the database's return) pages must be served.
RECOVERY_SECONDS = 5.0


def resent_and_found(load) -> int:
    """Comments sent again after the crash took their answer, and found posted."""
    return sum(outcome.status == 409 and outcome.is_resent for outcome in load.outcomes)


def kill_under_load(
    site, figures, *, posters: int, readers: int, kills: int, between: float
):
    """Kill the server every `between` seconds under load and start it again at
    once; then check how soon each restart served a signed-in reader's story
    page, and that nothing acknowledged was lost."""
    server = site.server()
    story = server.address + site.seeded["story"]
    signed_in = {"Cookie": site.seeded["cookies"][-1]}
    recoveries, acknowledged_before_kill = [], []
    bound = (kills + 1) * (between + 3 * RECOVERY_SECONDS)
    with (
        servers.started(server),
        Traffic(
            server.address, site.seeded, posters=posters, readers=readers, seconds=bound
        ) as load,
    ):
        for _ in range(kills):
            before = len(load.acknowledged())
            time.sleep(between)
            acknowledged_before_kill.append(len(load.acknowledged()) - before)
            server.kill()
            restarted = time.monotonic()
            server.start()
            recoveries.append(
                time_until_answered(
                    story,
                    since=restarted,
                    within=3 * RECOVERY_SECONDS,
                    headers=signed_in,
                )
            )
        before = len(load.acknowledged())
        time.sleep(between)
        acknowledged_before_kill.append(len(load.acknowledged()) - before)
    problems, unanswered = site.problems_after(load)
    figures(
        f"{load.summary()}; {kills} kills, pages back after "
        f"{', '.join(f'{s:.1f} s' if s else 'never' for s in recoveries)}; "
        f"{resent_and_found(load)} comments sent again found posted (409), "
        f"{unanswered} stored and never acknowledged"
    )
    assert problems == []
    assert set(load.statuses("post")) <= {0, 201, 409}, load.excerpts()
    assert not any(
        outcome.status == 409 and not outcome.is_resent for outcome in load.outcomes
    ), "a comment sent once was answered 409"
    assert all(acknowledged_before_kill), (
        "comments were acknowledged between the kills",
        acknowledged_before_kill,
    )
    for seconds in recoveries:
        assert recovery_problems(seconds, at_most=RECOVERY_SECONDS) == []
    assert answer_problems(load.answers()) == []


@pytest.mark.django_db(transaction=True)
def test_the_server_killed_under_load_loses_no_acknowledged_comment(load_site, figures):
    kill_under_load(load_site, figures, posters=4, readers=2, kills=1, between=1.0)


@pytest.mark.full
@pytest.mark.django_db(transaction=True)
def test_the_server_killed_three_times_under_full_load_loses_nothing(
    load_site, figures
):
    kill_under_load(load_site, figures, posters=16, readers=8, kills=3, between=6.0)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's own trouble, tested on the PostgreSQL run",
)


def drop_the_database_under_load(
    site, figures, *, posters: int, readers: int, outage: float
):
    database = connection.settings_dict
    proxy = Proxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.restore()
    url = servers.postgresql_url(site.database, port=proxy.port)
    thread = f"/api/v1/articles/{site.seeded['slug']}/comments"
    try:
        with (
            servers.started(site.server(DATABASE_URL=url)) as server,
            Traffic(
                server.address,
                site.seeded,
                posters=posters,
                readers=readers,
                seconds=3 * outage + 3 * RECOVERY_SECONDS,
            ) as load,
        ):
            time.sleep(outage)
            cut = time.monotonic()
            proxy.cut()
            time.sleep(outage)
            proxy.restore()
            restored = time.monotonic()
            recovered = time_until_answered(
                server.address + thread, since=restored, within=3 * RECOVERY_SECONDS
            )
            time.sleep(outage)
    finally:
        proxy.cut()
    problems, unanswered = site.problems_after(load)
    figures(
        f"{load.summary()}; the database away {restored - cut:.1f} s, answers "
        f"again {f'{recovered:.1f} s' if recovered else 'never'} after it came back; "
        f"{unanswered} comments stored whose answer was a 503"
    )
    assert problems == []
    assert any(
        outcome.status == 503 and cut <= outcome.started <= restored
        for outcome in load.outcomes
    ), "the outage was felt"
    assert answer_problems(load.answers(), outage=True) == []
    assert set(load.statuses("post")) <= {201, 503}, load.excerpts()
    assert set(load.statuses("read")) <= {200, 503}, load.excerpts()
    assert recovery_problems(recovered, at_most=RECOVERY_SECONDS) == []
    assert any(
        outcome.is_acknowledged and outcome.started > restored + recovered
        for outcome in load.outcomes
    ), "comments were acknowledged again without a restart"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_dropped_under_load_answers_503_and_comes_back(load_site, figures):
    drop_the_database_under_load(load_site, figures, posters=4, readers=2, outage=1.0)


@pytest.mark.full
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_dropped_under_full_load_answers_503_and_comes_back(
    load_site, figures
):
    drop_the_database_under_load(load_site, figures, posters=16, readers=8, outage=5.0)


# Controls: a server that does not come back, or comes back late, is flagged.


def test_control_a_server_that_does_not_come_back_is_flagged():
    nowhere = f"http://127.0.0.1:{servers.free_port()}/"
    since = time.monotonic()
    seconds = time_until_answered(nowhere, since=since, within=0.5)
    assert seconds is None
    assert recovery_problems(seconds, at_most=RECOVERY_SECONDS) == [
        "no page was served within 5.0 s"
    ]


def test_control_a_server_back_too_late_is_flagged():
    assert recovery_problems(7.5, at_most=RECOVERY_SECONDS) == [
        "it took 7.5 s, more than 5.0 s"
    ]


def test_control_a_500_or_a_503_without_retry_after_in_an_outage_is_flagged():
    answers = [(201, ""), (503, "30"), (500, ""), (503, "")]
    assert answer_problems(answers, outage=True) == [
        "1 answers were 500",
        "1 answers were 503",
    ]
