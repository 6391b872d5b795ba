"""The settings a deployment gets from its environment, checked in a fresh process."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

GAZETTE = Path(sys.executable).with_name("gazette")
LONG_SECRET_KEY = "k7#Qz2!vL9@pX4$wR8^nT1&mB6*hY3(jD5)fG0_sA" * 2


def run_gazette(*arguments: str, tmp_path: Path, **environment: str):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GAZETTE_", "DJANGO_"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        GAZETTE_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'gazette.sqlite3'}",
        **environment,
    )
    return subprocess.run(
        [str(GAZETTE), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_deployment_with_https_passes_the_deploy_checks(tmp_path):
    result = run_gazette(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        GAZETTE_HTTPS="1",
        SECRET_KEY=LONG_SECRET_KEY,
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_deployment_without_https_is_warned(tmp_path):
    result = run_gazette(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        SECRET_KEY=LONG_SECRET_KEY,
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012"):
        assert warning in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [("SECRET_KEY", "short", "security.W009"), ("GAZETTE_DEBUG", "1", "security.W018")],
)
def test_a_weak_deployment_setting_is_warned(tmp_path, variable, value, warning):
    environment = {
        "GAZETTE_HTTPS": "1",
        "SECRET_KEY": LONG_SECRET_KEY,
        "ALLOWED_HOSTS": "news.example.com",
        variable: value,
    }
    result = run_gazette(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **environment
    )
    assert result.returncode != 0
    assert warning in result.stderr


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    print_key = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_gazette("shell", "--no-imports", "-c", print_key, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert first.stdout.strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    again = run_gazette("shell", "--no-imports", "-c", print_key, tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == key


def test_secret_key_from_the_environment_writes_no_file(tmp_path):
    print_key = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = run_gazette(
        "shell",
        "--no-imports",
        "-c",
        print_key,
        tmp_path=tmp_path,
        SECRET_KEY=LONG_SECRET_KEY,
    )
    assert result.stdout.strip() == LONG_SECRET_KEY
    assert not (tmp_path / "var" / "secret_key").exists()
