import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = _load_settings(DEBUG="false")
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_refuse_weak_secret_key():
    result = _load_settings(DEBUG="false", SECRET_KEY="django-insecure-short")
    assert result.returncode == 1
    assert "SECRET_KEY is too weak for production" in result.stderr


def test_production_settings_start_with_real_secret_key():
    result = _load_settings(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="forums.example.org")
    assert (result.returncode, result.stderr) == (0, "")


def test_settings_reject_unreadable_boolean():
    result = _load_settings(DEBUG="maybe")
    assert result.returncode == 1
    assert "DEBUG must be true or false, not 'maybe'." in result.stderr


def test_mail_is_sent_in_the_associations_name():
    environment = {k: v for k, v in os.environ.items() if k != "DEFAULT_FROM_EMAIL"}
    environment["ASSOCIATION_NAME"] = "Sourcing, Responsibly"
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEFAULT_FROM_EMAIL)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == '"Sourcing, Responsibly" <forums@forumdesk.example>\n'


HTTPS_SETTINGS = (
    "import config.settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
)


def _https_settings(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_COOKIE", "CSRF_COOKIE")) and k != "DEBUG"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", HTTPS_SETTINGS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_serves_plain_http():
    result = _https_settings()
    assert (result.stdout, result.stderr) == ("False False False 0 None\n", "")


def test_production_is_https_only_behind_the_proxy_without_hsts_until_asked():
    result = _https_settings(DEBUG="false", SECRET_KEY="x" * 60)
    assert (result.stdout, result.stderr) == (
        "True True True 0 ('HTTP_X_FORWARDED_PROTO', 'https')\n",
        "",
    )


def test_proxy_ssl_header_is_read_from_the_environment():
    result = _https_settings(
        DEBUG="false", SECRET_KEY="x" * 60, SECURE_PROXY_SSL_HEADER="X-Scheme: on"
    )
    assert result.stdout == "True True True 0 ('HTTP_X_SCHEME', 'on')\n"
    result = _https_settings(DEBUG="false", SECRET_KEY="x" * 60, SECURE_PROXY_SSL_HEADER="none")
    assert result.stdout == "True True True 0 None\n"


def test_proxy_ssl_header_without_a_value_is_refused():
    result = _https_settings(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode == 1
    assert (
        "SECURE_PROXY_SSL_HEADER must be a header and a value, like 'X-Forwarded-Proto: https', "
        "or 'none', not 'X-Forwarded-Proto'."
    ) in result.stderr
