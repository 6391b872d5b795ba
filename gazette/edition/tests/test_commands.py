import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from gazette.edition.models import Edition
from gazette.edition.tests.conftest import FRIDAY, pdf_text

pytestmark = pytest.mark.django_db


def test_build_prints_the_day_with_a_progress_bar(fridays_paper, capsys):
    stdout = io.StringIO()
    call_command("edition", "build", "--date", "2024-12-13", stdout=stdout)
    edition = Edition.objects.get(date=FRIDAY)
    assert stdout.getvalue() == (
        f"Printed Friday, December 13, 2024: {edition.page_count} pages, built "
        "2024-12-13 11:00 HST; readers download it at /todays-paper/2024-12-13/pdf/\n"
    )
    progress = capsys.readouterr().err
    for stage in ["choosing the stories", "setting the pages", "printing the PDF",
                  "filing the PDF"]:  # fmt: skip
        assert stage in progress
    assert "4/4" in progress
    assert "Harbor dredging" in pdf_text(edition.pdf.path)[0]


def test_build_without_a_date_prints_today(fridays_paper):
    call_command("edition", "-v0", "build", stdout=io.StringIO())
    assert Edition.objects.get().date == FRIDAY


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("2024-13-45", "'2024-13-45' is not a date; give the day as YYYY-MM-DD"),
        ("13/12/2024", "'13/12/2024' is not a date; give the day as YYYY-MM-DD"),
        ("2024-12-10", "No stories were published on Tuesday, December 10, 2024: "
                       "nothing to print."),
        ("2024-12-14", "The paper for Saturday, December 14, 2024 is not out yet."),
    ],
)  # fmt: skip
def test_build_refuses_a_bad_or_empty_day_with_a_message(
    fridays_paper, argument, message
):
    with pytest.raises(CommandError) as refusal:
        call_command(
            "edition", "-v0", "build", "--date", argument, stdout=io.StringIO()
        )
    assert message in str(refusal.value)
    assert not Edition.objects.filter(pdf__gt="").exists()


def test_the_gazette_command_explains_a_bad_date_without_a_traceback(tmp_path):
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "gazette"), "edition",
         "build", "--date", "2024-13-45"],
        capture_output=True,
        text=True,
        env={**os.environ, "GAZETTE_VAR_DIR": str(tmp_path)},
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert (
        "gazette edition build: error: argument --date: '2024-13-45' is not a "
        "date; give the day as YYYY-MM-DD, e.g. 2024-12-13"
    ) in result.stderr
    assert "Traceback" not in result.stderr
