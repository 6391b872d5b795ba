"""Links in the discussion's mail: absolute addresses and signed unsubscribe tokens."""

from django.conf import settings
from django.core import signing

UNSUBSCRIBE_SALT = "gazette.discussion.reply-notices"


def absolute_url(path: str) -> str:
    """The address of a page on the site, for mail read away from it."""
    return settings.GAZETTE_SITE_URL.rstrip("/") + path


def unsubscribe_token(reader) -> str:
    """A token that stops one reader's reply notices; it does not expire."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(reader.pk))


def reader_id_from_token(token: str) -> int | None:
    """The reader a token was made for, or None when it was not made here."""
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
