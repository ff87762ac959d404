"""How long the public registration form's POST takes for a new address and for one the site
already knows, in the same run, in-process (Django's test client, DEBUG off, the database task
queue: the request stores the submission, the worker would carry it out). Posts alternate
between the two kinds, so that both see the same database and caches. Prints the median and
the 90th percentile of each; never passes or fails.

    .venv/bin/python bench/register_timing.py [--posts 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<throwaway> \
        .venv/bin/python bench/register_timing.py

Without DATABASE_URL the database is a new SQLite file in a temporary directory. With one, its
tables are emptied (flush): never point it at real data."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50, help="posts of each kind")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="register-timing-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var_dir / 'db.sqlite3'}")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        REGISTRATION_RATE_LIMIT_ENABLED="false",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_SSL_REDIRECT="false",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # No collected static files: their plain names are enough here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.test import Client
    from django.utils import timezone

    from forums.models import Forum
    from registrations import services

    call_command("migrate", verbosity=0)
    if not os.environ["DATABASE_URL"].startswith("sqlite"):
        call_command("flush", interactive=False, verbosity=0)
    starts = timezone.now() + timedelta(days=40)
    forum = Forum.objects.create(
        title="Timing Forum",
        slug="timing",
        city="Kuala Lumpur",
        country="MY",
        time_zone="Asia/Kuala_Lumpur",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        capacity=10_000,
        status="registration_open",
        registration_opens_at=timezone.now() - timedelta(days=1),
        registration_closes_at=starts - timedelta(days=1),
    )
    known = [f"known{n}@supplier.example" for n in range(args.posts)]
    for email in known:
        services.registration_create(
            forum=forum,
            details=services.RegistrantDetails(
                first_name="Known",
                last_name="Person",
                email=email,
                company_name="Kilang Sawit Maju Sdn Bhd",
                country="MY",
            ),
            workshops=[],
            proven=True,
        )
    client = Client()
    url = f"/forums/{forum.slug}/register/"
    client.get(url)  # warm up: templates, country list

    def post(email: str) -> float:
        data = {
            "first_name": "Siti",
            "last_name": "Rahman",
            "email": email,
            "job_title": "Manager",
            "company_name": "Golden Hope Plantations Berhad",
            "country": "MY",
            "consent": "on",
        }
        client.cookies.clear()
        started = time.perf_counter()
        response = client.post(url, data)
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed * 1000

    times: dict[str, list[float]] = {"new": [], "known": []}
    for n in range(args.posts):
        times["new"].append(post(f"new{n}@supplier.example"))
        times["known"].append(post(known[n]))
    vendor = django.db.connection.vendor
    print(f"register POST, {args.posts} each, {vendor}, in-process, DEBUG off")
    for kind, values in times.items():
        print(
            f"  {kind:5} address: median {statistics.median(values):6.1f} ms, "
            f"90th percentile {percentile(values, 0.9):6.1f} ms"
        )


if __name__ == "__main__":
    main()
