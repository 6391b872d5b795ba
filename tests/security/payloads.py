"""Public XSS payloads and the Big List of Naughty Strings, read from the copies
in tests/data/xss/ (their sources, licences and counts are in SOURCES.md there).

Lines are split on "\\n" only: the lists hold vertical tabs, form feeds and
Unicode line separators inside payloads, which str.splitlines() would cut.
"""

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "xss"
# One payload a line, as published.
PAYLOAD_LISTS = [
    "seclists-XSS-OFJAAAH.txt",
    "payloadsallthethings-IntrudersXSS.txt",
    "payloadsallthethings-JHADDIX_XSS.txt",
    "payloadsallthethings-XSSDetection.txt",
]
# Markdown: the payloads are its code blocks and the code spans that stand alone
# on a line (a list item's marker aside).
CHEAT_SHEET = "owasp-XSS_Filter_Evasion_Cheat_Sheet.md"
NAUGHTY_STRINGS = "blns.txt"
# The files as committed (SOURCES.md says how each was copied).
SHA256 = {
    "seclists-XSS-OFJAAAH.txt": (
        "38ea6d6cf74dc174c258519b0f97dc21d1846fa0ba2ade6c22f0e300cc5236ca"
    ),
    "payloadsallthethings-IntrudersXSS.txt": (
        "2ccf7da9dae3dc5ab2a910cd969d4afb85c7efae8f845f69ec00075013ac8a45"
    ),
    "payloadsallthethings-JHADDIX_XSS.txt": (
        "8465814a841462c2996e43c04df12419b428a9fa1205dc809feac6d5748bbad6"
    ),
    "payloadsallthethings-XSSDetection.txt": (
        "19bcb9312beb0c676d3f4cb571ac9f5db387b4263fda289ed3dee068e4b4e063"
    ),
    "owasp-XSS_Filter_Evasion_Cheat_Sheet.md": (
        "31d407d93b3d30e97b014a4d48cdf5f118522fe3047bef12839f22c166a67cc2"
    ),
    "blns.txt": "63e754ee37057c449116b5de757a18a60692864dd29371a3b4cc85d007420a97",
}

FENCED_BLOCK = re.compile(r"^(`{3,})[^\n]*\n(.*?)\n\1[ \t]*$", re.MULTILINE | re.DOTALL)
LIST_MARKER = re.compile(r"^(?:[-*]|\d+\.)\s+")
LONE_CODE_SPAN = re.compile(r"`([^`].*)`")


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def list_payloads(name: str) -> list[str]:
    """The non-blank lines of one payload list, exactly as published."""
    return [line for line in read(name).split("\n") if line.strip()]


def cheat_sheet_payloads() -> list[str]:
    """The payloads of OWASP's XSS Filter Evasion Cheat Sheet."""
    text = read(CHEAT_SHEET)
    payloads = [block.strip() for _, block in FENCED_BLOCK.findall(text)]
    for line in text.split("\n"):
        match = LONE_CODE_SPAN.fullmatch(LIST_MARKER.sub("", line.strip()))
        if match:
            payloads.append(match.group(1))
    return payloads


def by_source() -> dict[str, list[str]]:
    """Every source's payloads, duplicates within a source included."""
    sources = {name: list_payloads(name) for name in PAYLOAD_LISTS}
    sources[CHEAT_SHEET] = cheat_sheet_payloads()
    return sources


@cache
def xss_payloads() -> tuple[str, ...]:
    """Every distinct XSS payload of all the sources, in the order first seen."""
    return tuple(
        dict.fromkeys(payload for found in by_source().values() for payload in found)
    )


@cache
def naughty_strings() -> tuple[str, ...]:
    """The Big List of Naughty Strings as its own blns.json has them: the empty
    string, then every line that is neither empty nor a # comment."""
    lines = read(NAUGHTY_STRINGS).split("\n")
    return ("", *(line for line in lines if line and not line.startswith("#")))
