"""Browsers' reports of what the policy blocked reach the log, a few a minute."""

import json
import logging

import pytest

from tests.security.checkers import parse_policy

REPORT = {
    "csp-report": {
        "document-uri": "https://news.example.com/story/harbor/",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://news.example.com/story/harbor/",
        "line-number": 12,
        "original-policy": "default-src 'none'",
    }
}


def send(client, body, content_type="application/csp-report"):
    return client.post("/csp-report", body, content_type=content_type)


def logged(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "gazette.security"
    ]


def test_the_policy_names_the_report_address(client, db):
    policy = parse_policy(client.get("/").headers["Content-Security-Policy"])
    assert policy["report-uri"] == ["/csp-report"]


def test_a_report_is_logged_with_what_was_blocked(client, caplog):
    caplog.set_level(logging.WARNING, logger="gazette.security")
    response = send(client, json.dumps(REPORT))
    assert response.status_code == 204
    [line] = logged(caplog)
    assert "script-src-elem" in line
    assert "https://news.example.com/story/harbor/" in line
    assert "original-policy" not in line


def test_a_report_cannot_write_lines_of_its_own_into_the_log(client, caplog):
    caplog.set_level(logging.WARNING, logger="gazette.security")
    report = {"csp-report": {"blocked-uri": "x\n2026 ERROR forged line"}}
    send(client, json.dumps(report))
    [line] = logged(caplog)
    assert "\n" not in line


@pytest.mark.parametrize(
    "body", ["not json", "[1, 2]", json.dumps({"csp-report": "x"}), "{" * 20_000]
)
def test_what_is_not_a_report_is_answered_and_not_logged(client, caplog, body):
    caplog.set_level(logging.WARNING, logger="gazette.security")
    assert send(client, body).status_code == 204
    assert logged(caplog) == []


def test_reports_past_the_minutes_share_are_not_logged(client, settings, caplog):
    settings.GAZETTE_CSP_REPORTS_PER_MINUTE = 3
    caplog.set_level(logging.WARNING, logger="gazette.security")
    for _ in range(5):
        assert send(client, json.dumps(REPORT)).status_code == 204
    assert len(logged(caplog)) == 3


def test_only_posts_are_taken(client, db):
    assert client.get("/csp-report").status_code == 405


# Control: the log check above sees a report when one is logged, and the rate
# limit is what keeps the fourth and fifth out.


def test_control_without_a_limit_every_report_is_logged(client, settings, caplog):
    settings.GAZETTE_CSP_REPORTS_PER_MINUTE = 100
    caplog.set_level(logging.WARNING, logger="gazette.security")
    for _ in range(5):
        send(client, json.dumps(REPORT))
    assert len(logged(caplog)) == 5
