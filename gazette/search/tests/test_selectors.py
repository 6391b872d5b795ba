from datetime import timedelta

import pytest
from django.utils import timezone

from gazette.newsroom.selectors import paper_day
from gazette.search.selectors import search_stories
from gazette.testing import make_section

pytestmark = pytest.mark.django_db


def headlines(results) -> list[str]:
    return [hit.article.headline for hit in results[0:50]]


def test_a_headline_match_ranks_above_a_body_match(filed):
    filed(
        headline="Council approves budget",
        body="<p>The volcano was quiet as the council voted on the budget.</p>",
        published_at=timezone.now() - timedelta(minutes=5),
    )
    filed(
        headline="Volcano erupts on the Big Island",
        body="<p>Lava reached the road by noon.</p>",
        published_at=timezone.now() - timedelta(days=3),
    )
    assert headlines(search_stories("volcano")) == [
        "Volcano erupts on the Big Island",
        "Council approves budget",
    ]


def test_snippets_mark_the_match_and_escape_the_story_text(filed):
    filed(headline="Harbor fees", body="<p>Fish &amp; chips &lt;b&gt; at the pier.</p>")
    [hit] = search_stories("pier")[0:10]
    assert "<mark>pier</mark>" in hit.snippet
    assert "Fish &amp; chips &lt;b&gt;" in hit.snippet
    assert "<b>" not in hit.snippet


def test_headlines_are_highlighted(filed):
    filed(headline="Harbor fees rise <again>")
    [hit] = search_stories("harbor")[0:10]
    assert hit.headline == "<mark>Harbor</mark> fees rise &lt;again&gt;"


def test_stems_match_other_forms_of_a_word(filed):
    filed(headline="Fishermen protest new rules", body="<p>Protests grew.</p>")
    assert search_stories("protesting").count() == 1


def test_only_the_chosen_section_is_searched(filed):
    sports = make_section(name="Sports", slug="sports")
    filed(headline="Surf contest moved", section=sports)
    filed(headline="Surf warning for north shores")
    assert headlines(search_stories("surf", section=sports)) == ["Surf contest moved"]


def test_dates_limit_results_to_those_paper_days(filed):
    now = timezone.now()
    filed(headline="Rail line opens", published_at=now - timedelta(days=10))
    filed(headline="Rail fares set", published_at=now - timedelta(hours=1))
    today = paper_day(now - timedelta(hours=1))
    assert headlines(search_stories("rail", published_from=today)) == ["Rail fares set"]
    assert headlines(
        search_stories("rail", published_to=paper_day(now - timedelta(days=10)))
    ) == ["Rail line opens"]


def test_drafts_and_stories_scheduled_for_later_are_not_found(filed):
    filed(headline="Mayor resigns", status="draft")
    filed(
        headline="Mayor to resign at noon",
        status="scheduled",
        published_at=timezone.now() + timedelta(hours=3),
    )
    assert search_stories("mayor").count() == 0


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "🌊", "((("])
def test_queries_without_words_find_nothing(filed, typed):
    filed(headline="Anything at all")
    assert search_stories(typed).count() == 0
    assert search_stories(typed)[0:10] == []
