"""The story page finds its comments through the thread's own indexes.

An index that suits the moderation desk (comments by state) once drew SQLite's
planner away from them: the page then read every visible comment of every story
to find one story's featured comments and replies.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.discussion import selectors
from gazette.discussion.tests.builders import bulk_comments, make_commenter, post
from gazette.testing import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="reads SQLite's query plans"
    ),
]

THREAD_INDEXES = {
    "comment_by_time_idx",
    "comment_by_reactions_idx",
    "comment_by_replies_idx",
    "comment_featured_idx",
    "comment_conversation_idx",
}


def comment_plans(queries) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            if '"discussion_comment"' not in query["sql"]:
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans += [
                row[-1]
                for row in cursor.fetchall()
                if re.search(r"\bdiscussion_comment\b", row[-1])
            ]
    return plans


def test_the_story_page_reads_comments_by_the_threads_indexes(client, story):
    readers = [make_commenter(f"Reader {n}") for n in range(3)]
    other = make_article(headline="Another story", slug="another-story")
    bulk_comments(other, readers, 300)
    bulk_comments(story, readers, 30)
    first = post(story, readers[0], "A conversation starts")
    post(story, readers[1], "And goes on", parent=first)
    client.force_login(readers[2])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(story.get_absolute_url()).status_code == 200
    plans = comment_plans(captured.captured_queries)
    assert plans, "the page reads comments"
    for plan in plans:
        used = re.search(r"USING (?:COVERING )?INDEX (\w+)", plan)
        assert used and used.group(1) in THREAD_INDEXES, plan


def test_a_post_counts_the_storys_latest_comments_by_a_range_of_its_time_index(
    story,
):
    # Counting by the story alone read every comment it ever had, on every post.
    readers = [make_commenter(f"Reader {n}") for n in range(3)]
    bulk_comments(story, readers, 300)
    with CaptureQueriesContext(connection) as captured:
        post(story, readers[0], "A word on the harbor")
    [surge] = [
        query["sql"]
        for query in captured.captured_queries
        if "COUNT(*)" in query["sql"] and "thread_id" in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + surge)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "comment_by_time_idx" in plan and "created_at>?" in plan, plan


def test_a_readers_marks_on_a_page_are_probes_of_each_comment(story):
    # However many marks a reader has elsewhere, finding their Respect and
    # reports on a page's comments looks up each of those comments.
    readers = [make_commenter(f"Reader {n}") for n in range(3)]
    bulk_comments(story, readers, 300)
    viewer = selectors.viewer_of(readers[0])
    with CaptureQueriesContext(connection) as captured:
        selectors.marks_on(viewer, story.thread.comments.all()[:200])
    [query] = [q for q in captured.captured_queries if "UNION ALL" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plans = [row[-1] for row in cursor.fetchall() if "SEARCH" in row[-1]]
    assert len(plans) == 2, plans
    for plan in plans:
        assert re.search(r"USING (COVERING )?INDEX \w+ \(comment_id=\? AND", plan), plan


def test_what_a_reader_has_of_their_own_is_read_from_their_own_rows(story):
    # Asked on every story page a signed-in reader opens: through the thread's
    # comments it read all 10,000 of a busy story's, for a reader with no part.
    readers = [make_commenter(f"Reader {n}") for n in range(3)]
    bulk_comments(story, readers, 300)
    viewer = selectors.viewer_of(make_commenter("Newcomer"))
    with CaptureQueriesContext(connection) as captured:
        selectors.own_part(viewer, story.thread)
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plans = [row[-1] for row in cursor.fetchall() if "CONSTANT" not in row[-1]]
    searches = [plan for plan in plans if plan.startswith("SEARCH")]
    assert len(searches) == 7 and not any("(thread_id=?)" in p for p in plans), plans
    assert "USING INDEX comment_by_author_idx (author_id=?)" in searches[0]
    assert "(reader_id=?)" in searches[1] and "PRIMARY KEY" in searches[2]
    assert "(reporter_id=?)" in searches[3] and "PRIMARY KEY" in searches[4]
    assert "comment_unshared_idx (author_id=? AND thread_id=?)" in searches[5]
    assert "discussion_mute" in searches[6]
