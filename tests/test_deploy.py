"""deploy/production.env.example is a working production configuration: Django's deployment
checks find nothing to say about it, and the security settings it names are the ones applied."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "deploy" / "production.env.example"


def example_environment(**changes: str) -> dict[str, str]:
    """The example's variables, as `env $(grep -v '^#' FILE | xargs)` passes them, and nothing
    else of this machine's environment but PATH."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    for line in EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            environment[key] = value
    environment.update(changes)
    return {key: value for key, value in environment.items() if value is not None}


def run(command: list[str], **changes: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=example_environment(**changes),
        capture_output=True,
        text=True,
        check=False,
    )


def test_example_is_key_value_lines_without_spaces():
    lines = [line for line in EXAMPLE.read_text().splitlines() if not line.startswith("#")]
    assert [line for line in lines if "=" not in line or " " in line or '"' in line] == []


def test_deploy_check_finds_nothing_in_the_example():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )


def test_deploy_check_warns_without_hsts():
    # The negative control: the same check does speak when a setting is missing.
    result = run(["manage.py", "check", "--deploy"], SECURE_HSTS_SECONDS="0")
    assert "(security.W004)" in result.stderr
    assert "System check identified 1 issue (0 silenced)." in result.stderr


def test_example_turns_on_https_only():
    result = run(
        [
            "-c",
            "import config.settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)",
        ]
    )
    assert (result.stdout, result.stderr) == (
        "True True True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')\n",
        "",
    )
