"""What the discussion refuses, with messages a reader can read and act on."""


class DiscussionError(Exception):
    """A refusal; str(error) is the message shown to the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CommentRejected(DiscussionError):
    """A comment cannot be posted, edited or deleted as asked."""


class PostingBlocked(CommentRejected):
    """The reader may not post yet: sign in, verify, accept terms; `block` says how."""

    def __init__(self, block) -> None:
        super().__init__(block.message)
        self.block = block


class PostingTooFast(CommentRejected):
    """The reader posted again sooner than the minimum interval allows."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DuplicateComment(CommentRejected):
    """The same comment was already posted (a double-clicked submit, say)."""

    def __init__(self, message: str, *, comment) -> None:
        super().__init__(message)
        self.comment = comment


class MayBreakGuidelines(CommentRejected):
    """The comment scores high: the reader may edit it, or post it anyway."""

    def __init__(self, message: str, *, guideline: str, score: float) -> None:
        super().__init__(message)
        self.guideline = guideline
        self.score = score


class ModerationRefused(DiscussionError):
    """A moderator's decision cannot be made as asked."""


class AlreadyDecided(ModerationRefused):
    """Someone else decided this comment first; `decided_by` names them."""

    def __init__(self, message: str, *, decided_by: str) -> None:
        super().__init__(message)
        self.decided_by = decided_by


class ReactionRefused(DiscussionError):
    """A “Respect” cannot be given or taken back."""


class ReportRefused(DiscussionError):
    """A report cannot be filed."""


class MuteRefused(DiscussionError):
    """A reader cannot be muted or unmuted."""
