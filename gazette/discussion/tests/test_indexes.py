"""Every post writes to each index of the comment and audit tables: none of them
may be one that a query could never need, the leading columns of another."""

import pytest
from django.db import connection

from gazette.discussion.models import AuditEntry, Comment

pytestmark = pytest.mark.django_db


def plain_indexes(model) -> dict[str, tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    return {
        name: tuple(found["columns"])
        for name, found in constraints.items()
        if found["index"] and not found["primary_key"] and not found["unique"]
    }


@pytest.mark.parametrize("model", [Comment, AuditEntry])
def test_no_index_is_the_leading_part_of_another(model):
    indexes = plain_indexes(model)
    assert indexes
    for name, columns in indexes.items():
        for other, longer in indexes.items():
            if other != name and len(longer) > len(columns):
                assert longer[: len(columns)] != columns, (name, other)
