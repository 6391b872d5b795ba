"""The XSS payload data meets the battery's count, and is the data SOURCES.md
describes."""

import hashlib

from tests.security import payloads


def count_problems(found, *, minimum: int) -> list[str]:
    """Too few payloads, or duplicates in what should be a de-duplicated list."""
    problems = []
    if len(set(found)) < minimum:
        problems.append(f"{len(set(found))} distinct payloads, fewer than {minimum}")
    if len(set(found)) != len(found):
        problems.append("the list repeats payloads")
    return problems


def changed_files(digests: dict[str, str], read=payloads.read) -> list[str]:
    """Data files whose content no longer matches the recorded SHA-256."""
    return [
        name
        for name, digest in digests.items()
        if hashlib.sha256(read(name).encode("utf-8")).hexdigest() != digest
    ]


def test_at_least_two_thousand_distinct_xss_payloads():
    assert count_problems(payloads.xss_payloads(), minimum=2000) == []


def test_every_source_contributes_payloads():
    sources = payloads.by_source()
    assert set(sources) == {*payloads.PAYLOAD_LISTS, payloads.CHEAT_SHEET}
    assert all(len(found) >= 100 for found in sources.values())
    assert "<svg/onload=alert('XSS')>" in sources[payloads.CHEAT_SHEET]


def test_the_naughty_strings_are_there():
    strings = payloads.naughty_strings()
    assert len(strings) >= 480
    assert strings[0] == ""
    assert "<script>alert(123)</script>" in strings
    assert not any(string.startswith("#") for string in strings)


def test_the_data_files_are_the_recorded_copies():
    assert changed_files(payloads.SHA256) == []


# Controls: the same checks on deliberately spoiled data must object.


def test_control_a_short_or_repetitive_list_is_flagged():
    found = payloads.xss_payloads()
    assert count_problems(found[:1999], minimum=2000) == [
        "1999 distinct payloads, fewer than 2000"
    ]
    assert count_problems((*found, found[0]), minimum=2000) == [
        "the list repeats payloads"
    ]


def test_control_an_edited_data_file_is_flagged():
    def edited(name):
        return payloads.read(name).replace("alert", "a1ert", 1)

    assert changed_files(payloads.SHA256, read=edited) == list(payloads.SHA256)
