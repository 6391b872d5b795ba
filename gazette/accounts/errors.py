"""What the accounts services refuse, each with a message a reader can read."""


class AccountError(Exception):
    """A refusal the reader is shown as it is; `field` names the form field at fault."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class DisplayNameRefused(AccountError):
    field = "display_name"


class PasswordRefused(AccountError):
    field = "password"


class TermsChanged(AccountError):
    """A document was revised while the reader had the form open."""


class LinkInvalid(AccountError):
    """A mailed link that is broken, expired, or already used."""


class AccountClosed(AccountError):
    """The account cannot do this (staff closing their own, or deactivated)."""


class RateLimited(AccountError):
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
