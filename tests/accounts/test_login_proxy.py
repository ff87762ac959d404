"""Behind a reverse proxy every request comes from the proxy's address. With the proxy settings
on (ALLAUTH_TRUSTED_PROXY_COUNT or ALLAUTH_TRUSTED_CLIENT_IP_HEADER, docs/deploy.md), allauth
counts failed logins per client, and the registration form's limit counts the same client;
with them off, every client behind the proxy counts as one, as before."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

ROOT = Path(__file__).resolve().parent.parent.parent
PROXY = "10.0.0.2"
MALLORY = "203.0.113.5"
SITI = "198.51.100.7"
PASSWORD = "correct horse battery"  # tests/conftest.py's users
LOCKED_OUT = "Too many failed login attempts. Try again later."
FAILED_LOGINS_PER_CLIENT = 10  # allauth's "login_failed": "10/m/ip"


PROXY_ENV = ["ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER"]
PROXY_ENV += ["RATELIMIT_IP_META_KEY"]
# The proxy settings, as docs/deploy.md gives them, for each way a proxy passes the address.
PROXY_SETTINGS = {
    "X-Forwarded-For": {"ALLAUTH_TRUSTED_PROXY_COUNT": "1"},
    "X-Real-IP": {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
    "X-Real-IP, as documented before": {"RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP"},
}


@pytest.fixture
def site_configured(settings, monkeypatch):
    """Apply what config/settings.py makes of an environment to the running settings."""
    settings.ACCOUNT_RATE_LIMITS_ENABLED = True

    def configure(**env: str) -> None:
        for name in PROXY_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        read = runpy.run_path(str(ROOT / "config" / "settings.py"))
        for name in PROXY_ENV:
            if name in read:
                setattr(settings, name, read[name])

    return configure


def through_proxy(client_address: str, header: str) -> dict[str, str]:
    """What reaches the site from a client behind the proxy: the proxy's own connection, and the
    client's address in the header the proxy sets."""
    meta = {"REMOTE_ADDR": PROXY}
    if header.startswith("X-Forwarded-For"):
        # The client may send its own X-Forwarded-For; the proxy appends the address it saw.
        meta["HTTP_X_FORWARDED_FOR"] = f"192.0.2.99, {client_address}"
    else:
        meta["HTTP_X_REAL_IP"] = client_address
    return meta


def wrong_login(client, n: int, meta: dict[str, str]):
    # A different address each time: allauth's limit per address (5 in 5 minutes) stays out of
    # the way, so only the limit per client is at work.
    return client.post(
        reverse("account_login"),
        {"login": f"nobody{n}@example.com", "password": "wrong"},
        **meta,
    )


def login_errors(response) -> list[str]:
    assert response.status_code == 200
    return list(response.context["form"].non_field_errors())


@pytest.mark.parametrize("header", list(PROXY_SETTINGS))
@pytest.mark.parametrize("proxy_settings_on", [True, False], ids=["proxy-on", "proxy-off"])
def test_failed_logins_behind_the_proxy_lock_out_the_client_who_made_them(
    client, site_configured, make_user, header, proxy_settings_on
):
    site_configured(**(PROXY_SETTINGS[header] if proxy_settings_on else {}))
    make_user("siti@supplier.example")
    mallory, siti = through_proxy(MALLORY, header), through_proxy(SITI, header)

    errors = [
        login_errors(wrong_login(client, n, mallory)) for n in range(FAILED_LOGINS_PER_CLIENT + 1)
    ]
    siti_logs_in = client.post(
        reverse("account_login"), {"login": "siti@supplier.example", "password": PASSWORD}, **siti
    )

    # The tenth wrong login is refused as wrong, the eleventh as one too many.
    assert errors[FAILED_LOGINS_PER_CLIENT - 1] != [LOCKED_OUT]
    assert errors[FAILED_LOGINS_PER_CLIENT] == [LOCKED_OUT]
    if proxy_settings_on:
        assert (siti_logs_in.status_code, siti_logs_in["Location"]) == (302, reverse("home"))
    else:  # every client is the proxy: Mallory's failures lock Siti out
        assert login_errors(siti_logs_in) == [LOCKED_OUT]


@pytest.mark.parametrize("header", list(PROXY_SETTINGS))
@pytest.mark.parametrize("proxy_settings_on", [True, False], ids=["proxy-on", "proxy-off"])
def test_registration_limit_counts_the_client_that_logins_count(
    site_configured, header, proxy_settings_on
):
    site_configured(**(PROXY_SETTINGS[header] if proxy_settings_on else {}))

    def limited(client_address: str) -> bool:
        request = RequestFactory().post("/", **through_proxy(client_address, header))
        return is_ratelimited(
            request, group="registrations:register", key="ip", rate="1/h", increment=True
        )

    assert [limited(MALLORY), limited(MALLORY), limited(SITI)] == [
        False,
        True,
        not proxy_settings_on,
    ]


def test_request_without_the_trusted_header_is_refused_not_an_error(client, db, site_configured):
    site_configured(ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP")

    response = client.post(
        reverse("account_login"),
        {"login": "siti@supplier.example", "password": "wrong"},
        REMOTE_ADDR=PROXY,
    )

    assert response.status_code == 403


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in PROXY_ENV}
    environment.update(env)
    code = (
        "import config.settings as s; "
        "print(s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "read"),
    [
        ({}, "None 0"),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": "1"}, "None 1"),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "X-Real-IP 0"),
        # As docs/deploy.md said before: the same header, for allauth too.
        ({"RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP"}, "X-REAL-IP 0"),
        (
            {
                "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
                "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "x-real-ip",
            },
            "x-real-ip 0",
        ),
    ],
)
def test_proxy_settings_are_read_from_the_environment(env, read):
    result = load_settings(**env)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{read}\n", "")


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        (
            {
                "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
                "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "CF-Connecting-IP",
            },
            "RATELIMIT_IP_META_KEY (HTTP_X_REAL_IP) and ALLAUTH_TRUSTED_CLIENT_IP_HEADER "
            "(CF-Connecting-IP) name different headers: set only the second.",
        ),
        (
            {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP", "ALLAUTH_TRUSTED_PROXY_COUNT": "1"},
            "Set ALLAUTH_TRUSTED_CLIENT_IP_HEADER or ALLAUTH_TRUSTED_PROXY_COUNT, not both.",
        ),
        (
            {"RATELIMIT_IP_META_KEY": "REMOTE_ADDR"},
            "RATELIMIT_IP_META_KEY must name a request header (HTTP_X_REAL_IP), not 'REMOTE_ADDR'.",
        ),
        (
            {"ALLAUTH_TRUSTED_PROXY_COUNT": "one"},
            "ALLAUTH_TRUSTED_PROXY_COUNT must be a whole number of at least 0, not 'one'.",
        ),
    ],
)
def test_inconsistent_proxy_settings_refuse_to_start(env, refusal):
    result = load_settings(**env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {refusal}"
    )
