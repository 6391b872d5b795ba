"""The signed links mailed to readers: confirming an address, resetting a password.

Email links are signed with SECRET_KEY and expire. The confirmation link names the
reader and a digest of the address it was sent to, so it confirms only that
address; opening it again after confirming changes nothing. Password-reset links
are Django's own tokens: single use, because they stop matching once the password
changes, and valid for PASSWORD_RESET_TIMEOUT seconds.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gazette.accounts.errors import LinkInvalid
from gazette.accounts.models import User

VERIFY_SALT = "gazette.accounts.verify-email"


def address_digest(email: str) -> str:
    return salted_hmac(VERIFY_SALT, email.lower()).hexdigest()[:24]


def email_verification_token(reader: User) -> str:
    """A signed, timestamped token naming the reader and the address to confirm."""
    signer = signing.TimestampSigner(salt=VERIFY_SALT)
    return signer.sign(f"{reader.pk}.{address_digest(reader.email)}")


def read_email_verification_token(token: str) -> tuple[int, str]:
    """The reader's id and address digest in a confirmation token, if still valid."""
    signer = signing.TimestampSigner(salt=VERIFY_SALT)
    max_age = timedelta(days=settings.GAZETTE_VERIFICATION_LINK_DAYS)
    try:
        value = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkInvalid(
            "This confirmation link has expired. Sign in and we will send a new one."
        ) from None
    except signing.BadSignature:
        raise LinkInvalid(
            "This confirmation link is not complete. Open it from the email again, "
            "or sign in and ask for a new one."
        ) from None
    reader_id, _, digest = value.partition(".")
    return int(reader_id), digest


def matches_address(reader: User, digest: str) -> bool:
    return constant_time_compare(address_digest(reader.email), digest)


def password_reset_path_parts(reader: User) -> tuple[str, str]:
    """The reader's id as base64 and a single-use reset token, for the link."""
    return (
        urlsafe_base64_encode(force_bytes(reader.pk)),
        default_token_generator.make_token(reader),
    )
