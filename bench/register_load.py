"""Registration under load: the site under gunicorn (2 workers, DEBUG off, PostgreSQL, Redis
cache), a trivial page, the home page and a forum page measured in turn, then concurrent clients
that each open the registration form and send it, with workshop choices, for one forum. Then the
database is checked: no forum or workshop over its limit, every accepted registration present,
waiting lists in order. Last, the queries of one registration POST are counted in-process.
Prints figures; never passes or fails.

    make bench
    .venv/bin/python bench/register_load.py [--clients 16] [--seconds 20] [--registrations 2000]

The database (default forumdesk_bench_register on 127.0.0.1) is dropped and created anew, and
the Redis database (default redis://127.0.0.1:6379/9) is emptied: never point them at real data.
All traffic goes to 127.0.0.1. The per-client registration rate limit is turned off for the run
(REGISTRATION_RATE_LIMIT_ENABLED=false), since every client here has the same address."""

import argparse
import html.parser
import http.client
import importlib.util
import itertools
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 15  # seconds; a request that takes longer counts as an error


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="registration phase length")
    parser.add_argument("--registrations", type=int, default=2000, help="stop after this many")
    parser.add_argument("--page-seconds", type=float, default=5.0, help="each page's phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--capacity", type=int, default=1500, help="the forum's capacity")
    parser.add_argument(
        "--database",
        default="forumdesk_bench_register",
        help="PostgreSQL database to create (its name must start with forumdesk_bench)",
    )
    parser.add_argument("--postgres", default=f"postgres://postgres@{HOST}:5432")
    parser.add_argument("--redis", default=f"redis://{HOST}:6379/9")
    parser.add_argument("--show-sql", action="store_true", help="print the POST's queries")
    args = parser.parse_args()
    if not args.database.startswith("forumdesk_bench"):
        parser.error("--database must start with forumdesk_bench: it is dropped first.")
    if urllib.parse.urlsplit(args.postgres).hostname not in {HOST, "localhost"}:
        parser.error("--postgres must be on 127.0.0.1.")
    if urllib.parse.urlsplit(args.redis).hostname not in {HOST, "localhost"}:
        parser.error("--redis must be on 127.0.0.1.")
    args.clients = max(1, min(args.clients, 64))
    args.seconds = max(1.0, min(args.seconds, 120.0))
    args.page_seconds = max(1.0, min(args.page_seconds, 60.0))
    args.registrations = max(1, min(args.registrations, 20_000))
    return args


# --- the environment the site runs with ----------------------------------------------------------


def site_environment(args, var_dir: Path) -> dict[str, str]:
    """The site's settings for a run (bench/checkin.py too): PostgreSQL `args.database`, the
    Redis cache `args.redis` if given, DEBUG off, plain HTTP, mail kept in memory."""
    redis = {"REDIS_URL": args.redis} if getattr(args, "redis", None) else {}
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CONN_MAX_AGE": "60",
        **redis,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},testserver",
        "SITE_URL": "http://127.0.0.1",
        # Plain HTTP on the loopback: cookies without the Secure flag.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_SSL_REDIRECT": "false",
        "REGISTRATION_RATE_LIMIT_ENABLED": "false",
        # Staff accounts would be sent to set up two-factor authentication first.
        "STAFF_REQUIRE_MFA": "false",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def recreate_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- data ----------------------------------------------------------------------------------------

STEMS = ["Kilang Sawit", "Golden", "Sinar", "Perak", "Borneo", "Shree", "Agro", "Bharat"]
WORDS = ["Maju", "Harvest", "Plantations", "Refinery", "Packaging", "Foods", "Cocoa", "Trading"]
FORMS = ["Sdn Bhd", "SDN. BHD.", "Pvt Ltd", "S.A. de C.V.", "Ltd", ""]
COUNTRIES = ["MY", "IN", "MX", "TH", "ID"]


@dataclass
class Dataset:
    forum_slug: str
    forum_id: int
    quiet_slug: str  # another open forum, untouched by the load: queries are counted there


def load_data(args) -> Dataset:
    """Twelve public forums (six upcoming, six held) with sponsors, supporters, an agenda with
    speakers and four workshops each; the first upcoming one is open for registration and takes
    the load. Its workshops have fewer seats than people will ask for, so waiting lists form."""
    from forums.enums import ForumStatus, OrganisationKind
    from forums.models import AgendaItem, Forum, Membership, Organisation, Person, Sponsorship
    from workshops.models import Workshop

    rng = random.Random(8)
    now = datetime.now(UTC)
    members = []
    for index, name in enumerate(["Nestlé", "Unilever", "Mars", "Ferrero", "Mondelez", "PepsiCo"]):
        member = Organisation.objects.create(name=name, kind=OrganisationKind.MEMBER, country="CH")
        Membership.objects.create(organisation=member, joined_on=date(2010 + index, 1, 1))
        members.append(member)
    partners = [
        Organisation.objects.create(name=name, kind=OrganisationKind.NGO, country="MY")
        for name in ["CSR Asia", "Verité", "Proforest", "Earthworm"]
    ]
    forums = []
    for index in range(12):
        upcoming = index < 6
        starts = (
            now + timedelta(days=40 + 30 * index)
            if upcoming
            else now - timedelta(days=60 * (index - 5))
        ).replace(hour=1, minute=0, second=0, microsecond=0)
        forum = Forum.objects.create(
            title=f"Responsible Sourcing Forum {index + 1}",
            slug=f"forum-{index + 1}",
            city="Kuala Lumpur",
            country=COUNTRIES[index % len(COUNTRIES)],
            time_zone="Asia/Kuala_Lumpur",
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            theme=["Palm oil", "Sugar", "Packaging"][index % 3],
            summary="A day on responsible sourcing: plenary talks and workshops.",
            capacity=args.capacity if index == 0 else 200,
            registration_opens_at=now - timedelta(days=1) if upcoming else None,
            registration_closes_at=starts - timedelta(days=1) if upcoming else None,
            status=ForumStatus.REGISTRATION_OPEN if upcoming else ForumStatus.HELD,
            venue="Hotel Istana",
        )
        forums.append(forum)
        for member in rng.sample(members, 2):
            Sponsorship.objects.create(forum=forum, organisation=member, role="co_host")
        forum.supporters.add(*rng.sample(partners, 2))
        for slot in range(4):
            item = AgendaItem.objects.create(
                forum=forum,
                starts_at=starts + timedelta(minutes=30 * slot),
                ends_at=starts + timedelta(minutes=30 * slot + 25),
                title=f"Plenary talk {slot + 1}",
            )
            item.speakers.add(
                Person.objects.create(
                    first_name=f"Speaker{slot}",
                    last_name=f"Forum{index}",
                    email=f"speaker{slot}.forum{index}@bench.example",
                    organisation=rng.choice(partners),
                )
            )
            item.presenting_organisations.add(rng.choice(partners))
        # Two slots of workshops: A1–A3 at 11:00, B1–B2 at 14:00 local time.
        limits = {"A1": 60, "A2": 60, "A3": 40, "B1": 100, "B2": 50}
        for code, limit in limits.items():
            begins = starts + timedelta(hours=2 if code[0] == "A" else 5)
            workshop = Workshop.objects.create(
                forum=forum,
                code=code,
                title=f"Workshop {code}",
                pillar="human_rights",
                room=f"Room {code}",
                starts_at=begins,
                ends_at=begins + timedelta(minutes=90),
                seat_limit=limit if index == 0 else 30,
            )
            workshop.led_by.add(rng.choice(partners))
    return Dataset(forum_slug=forums[0].slug, forum_id=forums[0].pk, quiet_slug=forums[1].slug)


def company_names(count: int) -> list[str]:
    rng = random.Random(16)
    names = []
    for _ in range(count):
        name = f"{rng.choice(STEMS)} {rng.choice(WORDS)} {rng.choice(FORMS)}".strip()
        names.append(rng.choice([name, name.upper(), name.replace(" ", "  ", 1)]))
    return names


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a process of its own, stopped (by its process id) however the run ends."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.port = free_port()
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {self.process.returncode}); see its log.")
            try:
                if request("GET", self.port, path).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 30 s.")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


# --- the clients ---------------------------------------------------------------------------------


@contextmanager
def prepared_site(args, prefix: str) -> Iterator[tuple[dict[str, str], Path]]:
    """A run's site before its data (bench/checkin.py too): the settings in the environment,
    SIGTERM turned into SystemExit so that clean-ups run, the database made anew (and the Redis
    database emptied, with `args.redis`), Django set up and migrated, static files collected.
    Gives the settings and the run's directory, and removes that directory at the end."""
    var_dir = Path(tempfile.mkdtemp(prefix=prefix))
    env = site_environment(args, var_dir)
    os.environ.update(env)

    def stop(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        recreate_database(args)
        if getattr(args, "redis", None):
            empty_redis(args.redis)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        yield env, var_dir
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


@contextmanager
def served(env: dict[str, str], workers: int, var_dir: Path) -> Iterator[Server]:
    """gunicorn serving the site, ready, for the length of the block."""
    server = Server(env, workers, var_dir / "gunicorn.log")
    try:
        server.wait_ready("/healthz")
        yield server
    finally:
        server.stop()


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float


def request(
    method: str, port: int, path: str, *, body: bytes | None = None, headers=None
) -> Answer:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return Answer(
            response.status, response.getheaders(), content, time.perf_counter() - started
        )
    finally:
        connection.close()


class FormReader(html.parser.HTMLParser):
    """The inputs of the page's POST form that has no action (the registration form; the
    language switcher posts elsewhere)."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("method") or "").lower() == "post" and not attrs.get("action")
        elif tag == "input" and self.inside:
            if attrs.get("type") == "hidden":
                self.hidden[attrs["name"]] = attrs.get("value") or ""
            elif attrs.get("type") == "radio":
                self.radios.setdefault(attrs["name"], []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latencies(values: list[float]) -> str:
    return "p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms".format(
        *(1000 * percentile(values, share) for share in (0.50, 0.95, 0.99))
    )


@dataclass
class PageFigures:
    path: str
    count: int = 0
    errors: int = 0
    seconds: float = 0.0
    times: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def measure_page(figures: PageFigures, port: int, clients: int, seconds: float) -> None:
    """`clients` browsers ask for the page for `seconds`; adds to `figures`."""
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        # A browser: it sends back the cookies it was given (the CSRF cookie).
        jar: dict[str, str] = {}
        while time.monotonic() < deadline:
            try:
                answer = request(
                    "GET", port, figures.path, headers={"Cookie": cookie_header(jar)} if jar else {}
                )
                cookies_of(answer, jar)
                ok = answer.status == 200
            except OSError:
                ok, answer = False, None
            with lock:
                if ok:
                    figures.count += 1
                    figures.times.append(answer.seconds)
                else:
                    figures.errors += 1

    started = time.monotonic()
    run_threads(client, clients)
    figures.seconds += time.monotonic() - started


def measure_pages(port: int, paths: list[str], clients: int, seconds: float) -> list[PageFigures]:
    """Each page for `seconds` in all, in turns of a second, so that a change in the machine's
    load during the run weighs on every page alike."""
    figures = [PageFigures(path) for path in paths]
    for path in paths:
        request("GET", port, path)  # warm up
    for _ in range(max(1, round(seconds))):
        for page in figures:
            measure_page(page, port, clients, seconds / max(1, round(seconds)))
    return figures


def run_threads(target, count: int) -> None:
    threads = [threading.Thread(target=target, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@dataclass
class RegistrationFigures:
    accepted: list[str] = field(default_factory=list)  # e-mail addresses
    errors: dict[str, int] = field(default_factory=dict)
    sent_back: int = 0
    form_times: list[float] = field(default_factory=list)
    post_times: list[float] = field(default_factory=list)
    cycle_times: list[float] = field(default_factory=list)
    seconds: float = 0.0


def cookies_of(answer: Answer, jar: dict[str, str]) -> None:
    for name, value in answer.headers:
        if name.lower() == "set-cookie":
            for morsel in SimpleCookie(value).values():
                jar[morsel.key] = morsel.value


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def drive_registrations(port: int, slug: str, args, run_id: str) -> RegistrationFigures:
    figures = RegistrationFigures()
    lock = threading.Lock()
    numbers = itertools.count()
    deadline = time.monotonic() + args.seconds
    form_path = f"/forums/{slug}/register/"
    sent_path = f"/forums/{slug}/register/sent/"
    companies = company_names(400)

    def error(kind: str) -> None:
        with lock:
            figures.errors[kind] = figures.errors.get(kind, 0) + 1

    def one(number: int, rng: random.Random) -> None:
        jar: dict[str, str] = {}
        started = time.perf_counter()
        form = request("GET", port, form_path)
        with lock:
            figures.form_times.append(form.seconds)
        if form.status != 200:
            return error(f"form GET answered {form.status}")
        cookies_of(form, jar)
        reader = FormReader()
        reader.feed(form.body.decode())
        if "csrfmiddlewaretoken" not in reader.hidden:
            return error("form without a CSRF token")
        email = f"person{number}.{run_id}@bench.example"
        fields = {
            **reader.hidden,
            "first_name": f"First{number}",
            "last_name": f"Last{number}",
            "email": email,
            "job_title": "Sustainability manager",
            "company_name": rng.choice(companies),
            "country": rng.choice(COUNTRIES),
            "phone": "+60 3 1234 5678",
            "dietary_needs": "",
            "accessibility_needs": "",
            "consent": "on",
        }
        for name, values in reader.radios.items():
            # One in ten takes no workshop in a slot.
            fields[name] = "" if rng.random() < 0.1 else rng.choice([v for v in values if v])
        for attempt in range(3):
            post = request(
                "POST",
                port,
                form_path,
                body=urllib.parse.urlencode(fields).encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie_header(jar),
                    "Origin": f"http://{HOST}:{port}",
                },
            )
            with lock:
                figures.post_times.append(post.seconds)
            location = {k.lower(): v for k, v in post.headers}.get("location", "")
            if post.status == 302 and location == sent_path:
                with lock:
                    figures.accepted.append(email)
                    figures.cycle_times.append(time.perf_counter() - started)
                return None
            if post.status == 200 and attempt < 2:
                # Sent back: a chosen workshop filled up while the form was open. Like a
                # person, choose it again (it is now marked full: a yes to its waiting list).
                with lock:
                    figures.sent_back += 1
                again = FormReader()
                again.feed(post.body.decode())
                fields.update(again.hidden)
                cookies_of(post, jar)
                continue
            return error(
                "form sent back three times"
                if post.status == 200
                else f"POST answered {post.status} {location}".strip()
            )
        return None

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            number = next(numbers)
            if number >= args.registrations:
                return
            try:
                one(number, rng)
            except (OSError, http.client.HTTPException) as problem:
                error(type(problem).__name__)

    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(seed,), daemon=True) for seed in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.monotonic() - started
    return figures


# --- the checks ----------------------------------------------------------------------------------


def check_database(dataset: Dataset, accepted: list[str]) -> list[str]:
    """What the database holds after the run, one line each."""
    from django.db.models import Count, Q

    from forums.models import Forum
    from registrations.models import Registration, WorkshopPlace
    from workshops.models import Workshop

    lines = []
    over = [
        f"{forum.slug} {forum.seats_taken}/{forum.capacity}"
        for forum in Forum.objects.all()
        if forum.seats_taken > forum.capacity
    ]
    forum = Forum.objects.get(pk=dataset.forum_id)
    registrations = list(
        Registration.objects.filter(forum=forum)
        .order_by("pk")
        .values("pk", "status", "waitlisted_at", "person__email")
    )
    confirmed = [r for r in registrations if r["status"] == "confirmed"]
    waiting = [r for r in registrations if r["status"] == "waitlisted"]
    lines.append(
        f"forum: {forum.seats_taken} of {forum.capacity} seats taken; registrations "
        f"{len(confirmed)} confirmed, {len(waiting)} waiting"
    )
    workshops = Workshop.objects.filter(forum=forum).annotate(
        confirmed=Count("places", filter=Q(places__status="confirmed")),
        waiting=Count("places", filter=Q(places__status="waitlisted")),
    )
    over += [
        f"{w.code} {w.seats_taken}/{w.seat_limit}"
        for w in Workshop.objects.all()
        if w.seats_taken > w.seat_limit
    ]
    lines.append(
        "workshops: "
        + ", ".join(
            f"{w.code} {w.seats_taken}/{w.seat_limit} (+{w.waiting} waiting)" for w in workshops
        )
    )
    lines.append(f"over their limit: {len(over)}" + (f" ({', '.join(over)})" if over else ""))
    counters = [
        f"forum counter {forum.seats_taken} != {len(confirmed)} confirmed"
        for _ in [0]
        if forum.seats_taken != len(confirmed)
    ] + [
        f"{w.code} counter {w.seats_taken} != {w.confirmed} confirmed places"
        for w in workshops
        if w.seats_taken != w.confirmed
    ]
    lines.append(
        "seat counters match the rows: " + ("yes" if not counters else "; ".join(counters))
    )
    present = {r["person__email"] for r in registrations}
    missing = [email for email in accepted if email not in present]
    lines.append(
        f"accepted registrations present: {len(accepted) - len(missing)} of {len(accepted)}"
        + (f" (missing e.g. {missing[:3]})" if missing else "")
    )
    lines.append(f"registrations without an accepted answer: {len(present - set(accepted))}")

    # In order: no one waits for the forum while someone who came later has a seat, and the
    # forum is full if anyone waits; the same for each workshop's places.
    problems = []
    if waiting and confirmed and max(r["pk"] for r in confirmed) > min(r["pk"] for r in waiting):
        problems.append("a later registration took a forum seat while an earlier one waits")
    if waiting and forum.seats_taken < forum.capacity:
        problems.append("people wait although the forum has free seats")
    times = [r["waitlisted_at"] for r in waiting]
    if times != sorted(times):
        problems.append("the forum's waiting list is not in the order people joined")
    places = WorkshopPlace.objects.filter(
        workshop__forum=forum, registration__status="confirmed"
    ).order_by("pk")
    by_workshop: dict[int, list] = {}
    for place in places.values("pk", "workshop_id", "status"):
        by_workshop.setdefault(place["workshop_id"], []).append(place)
    for workshop in workshops:
        rows = by_workshop.get(workshop.pk, [])
        taken = [p["pk"] for p in rows if p["status"] == "confirmed"]
        queued = [p["pk"] for p in rows if p["status"] == "waitlisted"]
        if queued and taken and max(taken) > min(queued):
            problems.append(f"{workshop.code}: a later place was confirmed before an earlier one")
        if queued and workshop.seats_taken < workshop.seat_limit:
            problems.append(f"{workshop.code}: people wait although it has free seats")
    lines.append("waiting lists in order: " + ("yes" if not problems else "; ".join(problems)))
    return lines


def count_queries(slug: str, show_sql: bool) -> list[str]:
    """Queries counted in-process (Django's test client) on an open forum that took no load: the
    home and forum pages with an empty cache and again, the form, and one registration with a
    workshop in each slot, seats free."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the bench's own Redis database
    client = Client()
    lines = []
    for name, path in [("home page", "/"), ("forum page", f"/forums/{slug}/")]:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            counts.append(len(captured.captured_queries))
        lines.append(f"queries per {name}: {counts[0]} (again at once: {counts[1]})")
    with CaptureQueriesContext(connection) as captured:
        form = client.get(f"/forums/{slug}/register/")
    lines.append(f"queries per registration form GET: {len(captured.captured_queries)}")
    reader = FormReader()
    reader.feed(form.content.decode())
    data = {
        **reader.hidden,
        "first_name": "Counted",
        "last_name": "Queries",
        "email": f"counted.{secrets.token_hex(4)}@bench.example",
        "job_title": "Buyer",
        "company_name": "Sinar Harvest Sdn Bhd",
        "country": "MY",
        "consent": "on",
        **{name: next(v for v in values if v) for name, values in reader.radios.items()},
    }
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(f"/forums/{slug}/register/", data)
    lines.append(
        f"queries per registration POST: {len(captured.captured_queries)} "
        f"(answer {answer.status_code}, {len(reader.radios)} workshops chosen)"
    )
    if show_sql:
        for number, query in enumerate(captured.captured_queries, 1):
            sql = re.sub(r"SELECT (?!1 AS).*? FROM", "SELECT … FROM", query["sql"], count=1)
            lines.append(f"  {number:2}. {sql[:300]}")
    return lines


def lock_held(slug: str, count: int) -> list[str]:
    """How long the forum's row lock is held per registration: from the SELECT … FOR UPDATE on
    the forum to the commit, for registrations sent one at a time in-process."""
    from django.db import connection, transaction
    from django.test import Client

    held: list[float] = []

    def watch(execute, sql, params, many, context):
        if "FOR UPDATE" in sql and '"forums_forum"' in sql:
            locked = time.perf_counter()
            transaction.on_commit(lambda: held.append(time.perf_counter() - locked))
        return execute(sql, params, many, context)

    rng = random.Random(24)
    with connection.execute_wrapper(watch):
        for number in range(count):
            client = Client()
            reader = FormReader()
            reader.feed(client.get(f"/forums/{slug}/register/").content.decode())
            data = {
                **reader.hidden,
                "first_name": "Timed",
                "last_name": f"Lock{number}",
                "email": f"timed{number}.{secrets.token_hex(3)}@bench.example",
                "job_title": "Buyer",
                "company_name": rng.choice(company_names(50)),
                "country": "MY",
                "consent": "on",
                **{n: rng.choice([v for v in values if v]) for n, values in reader.radios.items()},
            }
            client.post(f"/forums/{slug}/register/", data)
    return [
        f"forum lock held per registration ({len(held)} sent one at a time, in-process, into "
        f"the forum that took the load): median {1000 * percentile(held, 0.5):.0f} ms, "
        f"longest {1000 * max(held):.0f} ms"
    ]


# --- the run -------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    for module in ["gunicorn", "django_redis"]:
        if importlib.util.find_spec(module) is None:
            raise SystemExit(
                f"{module} is missing: run `make bench`, or pip install '.[bench,redis]'."
            )
    with prepared_site(args, "forumdesk-bench-") as (env, var_dir):
        dataset = load_data(args)
        from django.db import connection

        connection.close()

        with served(env, args.workers, var_dir) as server:
            print(
                f"Registration under load, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
                f"{os.cpu_count()} cores, load average before the run "
                + ", ".join(f"{load:.1f}" for load in os.getloadavg())
            )
            print(
                f"server: gunicorn, {args.workers} sync workers, DEBUG off, PostgreSQL "
                f"({args.database}, CONN_MAX_AGE=60), Redis cache ({args.redis})"
            )
            print(
                "per-client rate limit: OFF for this run (REGISTRATION_RATE_LIMIT_ENABLED=false: "
                "every client here has the same address); production keeps it on"
            )
            forum_path = f"/forums/{dataset.forum_slug}/"
            pages = [("trivial page", "/healthz"), ("home page", "/"), ("forum page", forum_path)]
            print(
                f"\npages: {args.clients} clients, {args.page_seconds:.0f} s each, taking turns "
                "a second at a time"
            )
            print(f"{'page':<30} {'requests/s':>10}  {'latency':<36} errors  ratio")
            measured = measure_pages(
                server.port, [path for _, path in pages], args.clients, args.page_seconds
            )
            trivial = measured[0].rate
            for (name, path), figures in zip(pages, measured, strict=True):
                print(
                    f"{name + ' ' + path:<30} {figures.rate:>10.1f}  {latencies(figures.times):<36}"
                    f" {figures.errors:>6}  {figures.rate / trivial:.3f}"
                )

            print(
                f"\nregistrations: {args.clients} clients, each GET the form and POST it with "
                f"workshop choices, for {args.seconds:.0f} s or {args.registrations:,} "
                "registrations"
            )
            run_id = secrets.token_hex(3)
            figures = drive_registrations(server.port, dataset.forum_slug, args, run_id)
            rate = len(figures.accepted) / figures.seconds
            print(
                f"registrations/s: {rate:.1f} ({len(figures.accepted):,} accepted in "
                f"{figures.seconds:.1f} s); ratio to the trivial page: {rate / trivial:.4f} "
                f"(1/{trivial / rate if rate else float('inf'):.0f})"
            )
            print(f"POST latency: {latencies(figures.post_times)}")
            print(f"form GET latency: {latencies(figures.form_times)}")
            print(f"GET + POST: {latencies(figures.cycle_times)}")
            errors = sum(figures.errors.values())
            print(
                f"errors: {errors}"
                + (
                    f" ({', '.join(f'{k}: {v}' for k, v in figures.errors.items())})"
                    if errors
                    else ""
                )
            )
            print(
                f"sent back (a chosen workshop filled up while the form was open; sent again): "
                f"{figures.sent_back}"
            )
            server.stop()
            server = None

            print("\ndatabase after the run:")
            for line in check_database(dataset, figures.accepted):
                print(line)
            print()
            for line in count_queries(dataset.quiet_slug, args.show_sql):
                print(line)
            for line in lock_held(dataset.forum_slug, 20):
                print(line)


if __name__ == "__main__":
    main()
