from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from gazette.newsroom.templatetags.newsroom import (
    ap_date,
    ap_datetime,
    masthead_date,
    with_dateline,
)

# 20:15 UTC is 10:15 in Honolulu, the paper's own time zone.
FRIDAY_MORNING_IN_HONOLULU = datetime(2024, 12, 13, 20, 15, tzinfo=UTC)


def test_masthead_date_writes_the_day_out_in_full():
    assert masthead_date(date(2024, 12, 13)) == "Friday, December 13, 2024"


def test_masthead_date_of_a_moment_is_the_day_in_honolulu():
    # 05:00 UTC on the 14th is still the evening of the 13th in Honolulu.
    moment = datetime(2024, 12, 14, 5, 0, tzinfo=UTC)
    assert masthead_date(moment) == "Friday, December 13, 2024"


def test_masthead_date_of_a_missing_day_prints_nothing():
    template = Template("{% load newsroom %}[{{ day|masthead_date }}]")
    assert template.render(Context({"day": None})) == "[]"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (FRIDAY_MORNING_IN_HONOLULU, "Dec. 13, 2024, 10:15 a.m. HST"),
        (datetime(2024, 9, 3, 2, 0, tzinfo=UTC), "Sept. 2, 2024, 4 p.m. HST"),
        (datetime(2024, 3, 1, 22, 0, tzinfo=UTC), "March 1, 2024, noon HST"),
    ],
)
def test_ap_datetime_is_ap_style_in_the_papers_time_zone(moment, expected):
    assert ap_datetime(moment) == expected


def test_ap_date_abbreviates_the_month_the_ap_way():
    assert ap_date(FRIDAY_MORNING_IN_HONOLULU) == "Dec. 13, 2024"


def test_ap_filters_print_nothing_for_a_missing_time():
    assert ap_datetime(None) == ""
    assert ap_date(None) == ""


def test_dateline_opens_the_first_paragraph():
    body = "<p>Russian President Vladimir Putin spoke.</p><p>Second.</p>"
    assert with_dateline(body, "Moscow") == (
        '<p><span class="dateline">MOSCOW &gt;&gt;</span> '
        "Russian President Vladimir Putin spoke.</p><p>Second.</p>"
    )


def test_dateline_keeps_the_first_paragraphs_attributes():
    body = '<p class="lead">It rained.</p>'
    assert with_dateline(body, "HILO") == (
        '<p class="lead"><span class="dateline">HILO &gt;&gt;</span> It rained.</p>'
    )


def test_dateline_is_escaped_but_the_cleaned_body_is_not():
    body = "<p><em>Quiet</em> day.</p>"
    html = with_dateline(body, '<script>alert("x")</script>')
    assert "<script>" not in html.lower()
    assert "&lt;SCRIPT&gt;" in html
    assert "<em>Quiet</em> day.</p>" in html


def test_dateline_before_a_body_without_a_paragraph_gets_its_own():
    html = with_dateline("<h2>Timeline</h2>", "TOKYO")
    assert html == (
        '<p><span class="dateline">TOKYO &gt;&gt;</span> </p><h2>Timeline</h2>'
    )


def test_no_dateline_leaves_the_body_as_it_is():
    body = "<p>Nothing to add.</p>"
    assert with_dateline(body, "") == body


def test_dateline_separator_follows_the_house_setting(settings):
    settings.GAZETTE_DATELINE_SEPARATOR = "—"
    html = with_dateline("<p>Talks began.</p>", "SEOUL")
    assert html.startswith('<p><span class="dateline">SEOUL —</span> Talks')


def test_dateline_filter_in_a_template_does_not_escape_the_body():
    template = Template("{% load newsroom %}{{ body|with_dateline:dateline }}")
    html = template.render(
        Context({"body": "<p>A <strong>big</strong> day.</p>", "dateline": "A & B"})
    )
    assert html == (
        '<p><span class="dateline">A &amp; B &gt;&gt;</span> '
        "A <strong>big</strong> day.</p>"
    )


def test_paragraphs_filter_escapes_plain_text():
    template = Template("{% load newsroom %}{{ text|paragraphs }}")
    html = template.render(Context({"text": "One <b>\n\nTwo & three"}))
    assert html == "<p>One &lt;b&gt;</p>\n<p>Two &amp; three</p>"
