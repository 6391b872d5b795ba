"""The automated checks a comment passes before readers see it.

Each check named in GAZETTE_COMMENT_CHECKS (dotted paths, like Django's password
validators) is called as ``check(text, *, author, thread)`` and returns findings;
a finding that holds sends the comment to review instead of the page. Checks
read and decide; they never write. The civility model plugs in here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Finding:
    """What one check noticed, in words a moderator reads, and how sure it is."""

    check: str
    reason: str
    score: float | None = None
    holds: bool = True
    matches: tuple[dict, ...] = ()


FINDING_FIELDS = tuple(field.name for field in fields(Finding))


class Check(Protocol):
    def __call__(self, text: str, *, author, thread) -> Iterable[Finding] | None: ...


@dataclass(frozen=True)
class Screening:
    findings: tuple[Finding, ...] = ()
    # The civility model's score even when it held nothing: the desk orders the
    # comments no check held (the Unmoderated queue) by it.
    score: float | None = None

    @property
    def holds(self) -> bool:
        return any(finding.holds for finding in self.findings)

    @property
    def reasons(self) -> list[dict]:
        # Stored as JSON: the matched words as a list, as they read back. The
        # fields are plain values, so no deep copy (asdict) is needed.
        return [
            {
                **{name: getattr(finding, name) for name in FINDING_FIELDS},
                "matches": list(finding.matches),
            }
            for finding in self.findings
        ]

    @property
    def risk_score(self) -> float | None:
        scores = [f.score for f in self.findings if f.score is not None]
        if self.score is not None:
            scores.append(self.score)
        return max(scores) if scores else None


def screen_comment(text: str, *, author, thread) -> Screening:
    """Run every configured check over a comment's text, in order."""
    findings: list[Finding] = []
    for path in settings.GAZETTE_COMMENT_CHECKS:
        check: Check = import_string(path)
        findings.extend(check(text, author=author, thread=thread) or ())
    return Screening(tuple(findings))
