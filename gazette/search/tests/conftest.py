import pytest

from gazette.newsroom.services import save_article
from gazette.testing import make_article


@pytest.fixture
def filed():
    """Build a story and file it through the newsroom's service, which indexes it."""

    def file_story(**changes):
        return save_article(make_article(**changes))

    return file_story
