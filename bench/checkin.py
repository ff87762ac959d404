"""Check-in on the day: the site under gunicorn (2 sync workers, DEBUG off, PostgreSQL), one forum
with 2,000 registrants. Measures, each beside a baseline (/healthz, which touches no database)
sent in the same way in the same run:

- search as you type: one person typing names, companies and e-mail addresses letter by letter
  (a request per letter, as the page sends them), then four people at once;
- scans: four devices together sending 20 scans a second (5 each, evenly paced) to the scan
  endpoint, mostly new badges, some badges scanned again, some refused;
- the page itself and the list of codes it loads for offline answers.

Then checks the database: one check-in per badge answered "ok", none for the others. Prints
figures; never passes or fails.

    make bench-checkin
    .venv/bin/python bench/checkin.py [--registrants 2000] [--seconds 20] [--rate 20]

The database (default forumdesk_bench_checkin on 127.0.0.1) is dropped and created anew: never
point it at real data. All traffic goes to 127.0.0.1."""

import argparse
import importlib.util
import json
import os
import random
import re
import secrets
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from register_load import (  # bench/register_load.py
    latencies,
    percentile,
    prepared_site,
    request,
    served,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
SLUG = "checkin-bench"

FIRST_NAMES = [
    "José", "María", "Siti", "Nurul", "Ahmad", "Đặng", "Nguyễn", "Priya", "Rajesh", "Ana",
    "Chen", "Wei", "Somchai", "Ploy", "Fatima", "Omar", "Lucía", "Andrés", "Müller", "Zoë",
    "Kumar", "Lakshmi", "Budi", "Dewi", "王芳", "李娜", "Camille", "François", "Héctor", "Iñaki",
]  # fmt: skip
LAST_NAMES = [
    "Martínez", "González", "Rahman", "Abdullah", "Văn An", "Thị Hoa", "Sharma", "Iyer",
    "López", "Tan", "Lim", "Wongsakul", "Al-Hassan", "Pérez", "Schäfer", "Hernández",
    "Krishnan", "Santoso", "Wijaya", "Dubois", "Ortiz", "Ramírez", "Chua", "Yusof",
]  # fmt: skip
COMPANIES = [
    "Kilang Sawit Maju Sdn Bhd", "Azúcar del Norte S.A. de C.V.", "Golden Harvest Plantations",
    "Shree Packaging (India) Pvt Ltd", "Saigon Pack JSC", "Ingenio San Antonio",
    "Empaques del Bajío", "Sinar Cocoa Trading", "Borneo Refinery Berhad", "Bharat Agro Foods",
    "Perak Palm Oil Mill", "Nestlé Malaysia", "Thai Sugar Millers", "PT Sinar Mas Agro",
]  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrants", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0, help="the scan phase's length")
    parser.add_argument("--rate", type=float, default=20.0, help="scans per second, all devices")
    parser.add_argument("--devices", type=int, default=4)
    parser.add_argument("--typists", type=int, default=4, help="people searching at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--database",
        default="forumdesk_bench_checkin",
        help="PostgreSQL database to create (its name must start with forumdesk_bench)",
    )
    parser.add_argument("--postgres", default=f"postgres://postgres@{HOST}:5432")
    args = parser.parse_args()
    if not args.database.startswith("forumdesk_bench"):
        parser.error("--database must start with forumdesk_bench: it is dropped first.")
    if urllib.parse.urlsplit(args.postgres).hostname not in {HOST, "localhost"}:
        parser.error("--postgres must be on 127.0.0.1.")
    args.registrants = max(10, min(args.registrants, 20_000))
    args.seconds = max(2.0, min(args.seconds, 120.0))
    args.rate = max(1.0, min(args.rate, 200.0))
    args.devices = max(1, min(args.devices, 16))
    args.typists = max(1, min(args.typists, 16))
    return args


# --- data ----------------------------------------------------------------------------------------


@dataclass
class Dataset:
    sessions: list[str]  # one logged-in door helper per device
    codes: list[str]  # confirmed registrants' badge codes
    refused: list[str]  # cancelled or waiting
    people: list[tuple[str, str, str, str]]  # first name, last name, company, e-mail


def load_data(args) -> Dataset:
    """A forum open for registration with five workshops; `registrants` people registered
    through the registration service (names in many spellings and scripts), 5% then cancelled
    and 3% waiting; four door helpers, each logged in."""
    from django.test import Client

    from accounts.models import User
    from attendance.models import DoorHelper
    from forums.enums import ForumStatus
    from forums.models import Forum
    from registrations import services
    from registrations.enums import RegistrationStatus
    from registrations.models import Registration
    from workshops.models import Workshop

    rng = random.Random(9)
    now = datetime.now(UTC)
    starts = (now + timedelta(days=10)).replace(hour=1, minute=0, second=0, microsecond=0)
    forum = Forum.objects.create(
        title="Responsible Sourcing Forum Kuala Lumpur",
        slug=SLUG,
        city="Kuala Lumpur",
        country="MY",
        time_zone="Asia/Kuala_Lumpur",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        theme="Palm oil",
        capacity=args.registrants + 100,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=starts - timedelta(days=1),
        status=ForumStatus.REGISTRATION_OPEN,
    )
    workshops = []
    for code in ["A1", "A2", "A3", "B1", "B2"]:
        begins = starts + timedelta(hours=2 if code[0] == "A" else 5)
        workshops.append(
            Workshop.objects.create(
                forum=forum,
                code=code,
                title=f"Workshop {code}",
                pillar="human_rights",
                starts_at=begins,
                ends_at=begins + timedelta(minutes=90),
                seat_limit=args.registrants,
            )
        )
    people = []
    for number in range(args.registrants):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = rng.choice(COMPANIES)
        if rng.random() < 0.3:
            company = company.upper()
        email = f"p{number}.{rng.choice(['mail', 'corp', 'agro'])}@supplier{number % 97}.example"
        chosen = [rng.choice(workshops[:3]), rng.choice(workshops[3:])]
        services.registration_create(
            forum=forum,
            details=services.RegistrantDetails(
                first_name=first,
                last_name=f"{last} {number}",
                email=email,
                company_name=company,
                country="MY",
                job_title="Buyer",
            ),
            workshops=chosen,
            proven=True,
        )
        people.append((first, last, company, email))
    registrations = list(Registration.objects.filter(forum=forum).order_by("pk"))
    rng.shuffle(registrations)
    cancelled = registrations[: args.registrants // 20]
    waiting = registrations[args.registrants // 20 : args.registrants // 20 * 8 // 5]
    Registration.objects.filter(pk__in=[r.pk for r in cancelled]).update(
        status=RegistrationStatus.CANCELLED
    )
    Registration.objects.filter(pk__in=[r.pk for r in waiting]).update(
        status=RegistrationStatus.WAITLISTED
    )
    refused = {r.pk for r in cancelled + waiting}
    sessions = []
    for device in range(args.devices):
        user = User.objects.create_user(email=f"door{device}@forumdesk.example")
        DoorHelper.objects.create(user=user, forum=forum)
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    return Dataset(
        sessions=sessions,
        codes=[r.checkin_code for r in registrations if r.pk not in refused],
        refused=[r.checkin_code for r in registrations if r.pk in refused],
        people=people,
    )


# --- the clients ---------------------------------------------------------------------------------


@dataclass
class Device:
    """A logged-in browser: its cookies and CSRF token, read from the check-in page."""

    session: str
    csrf: str = ""
    cookie: str = ""


def open_page(port: int, device: Device) -> float:
    answer = request(
        "GET", port, f"/forums/{SLUG}/checkin/", headers={"Cookie": f"sessionid={device.session}"}
    )
    if answer.status != 200:
        raise SystemExit(f"the check-in page answered {answer.status}")
    csrf_cookie = ""
    for name, value in answer.headers:
        if name.lower() == "set-cookie" and value.startswith("csrftoken="):
            csrf_cookie = value.split(";", 1)[0].split("=", 1)[1]
    config = re.search(
        rb'<script id="checkin-config" type="application/json">(.*?)</script>', answer.body, re.S
    )
    device.csrf = json.loads(config.group(1))["csrf"]
    device.cookie = f"sessionid={device.session}; csrftoken={csrf_cookie}"
    return answer.seconds


def typed(text: str) -> list[str]:
    """What the page asks for while someone types `text`: one request per letter from the
    second on (the page waits 150 ms after the last letter, so a slow typist sends them all)."""
    return [text[:end] for end in range(2, len(text) + 1)]


def search_terms(people, rng: random.Random, count: int) -> list[str]:
    terms = []
    for _ in range(count):
        first, last, company, email = rng.choice(people)
        kind = rng.random()
        if kind < 0.4:
            term = last.split()[0]
        elif kind < 0.6:
            term = f"{first} {last.split()[0]}"
        elif kind < 0.8:
            term = company.split()[0].lower()
        else:
            term = email.split("@")[0]
        # People at the door type without accents.
        folded = "".join(c for c in term if c.isascii()) if rng.random() < 0.5 else term
        terms.append(folded or term)
    return terms


@dataclass
class Timings:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    answers: dict[str, int] = field(default_factory=dict)


def drive_typists(port: int, devices: list[Device], terms: list[str], typists: int) -> Timings:
    """`typists` people, each typing terms one after the other, a request per letter."""
    result = Timings()
    lock = threading.Lock()
    shares = [terms[index::typists] for index in range(typists)]

    def typist(device: Device, own: list[str]) -> None:
        for term in own:
            for prefix in typed(term):
                path = f"/forums/{SLUG}/checkin/search/?" + urllib.parse.urlencode({"q": prefix})
                try:
                    answer = request("GET", port, path, headers={"Cookie": device.cookie})
                    ok = answer.status == 200
                except OSError:
                    ok, answer = False, None
                with lock:
                    if ok:
                        result.times.append(answer.seconds)
                    else:
                        result.errors += 1

    started = time.monotonic()
    threads = [
        threading.Thread(target=typist, args=(devices[i % len(devices)], shares[i]), daemon=True)
        for i in range(typists)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def drive_paced(port: int, devices: list[Device], rate: float, seconds: float, send) -> Timings:
    """Each device sends `rate / len(devices)` requests a second, evenly spaced, for `seconds`;
    `send(device, number)` makes one request and returns (seconds, answer or None)."""
    result = Timings()
    lock = threading.Lock()
    interval = len(devices) / rate
    count = int(seconds * rate / len(devices))
    numbers = iter(range(10**9))

    def device_loop(device: Device, offset: float) -> None:
        start = time.monotonic() + offset
        for step in range(count):
            pause = start + step * interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            with lock:
                number = next(numbers)
            try:
                took, answer = send(device, number)
            except OSError:
                took, answer = None, None
            with lock:
                if took is None:
                    result.errors += 1
                else:
                    result.times.append(took)
                    if answer:
                        result.answers[answer] = result.answers.get(answer, 0) + 1

    started = time.monotonic()
    threads = [
        threading.Thread(target=device_loop, args=(device, index * interval / len(devices)))
        for index, device in enumerate(devices)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def scan_sender(port: int, dataset: Dataset, rng: random.Random, codes: list[str]):
    """Mostly new badges (from `codes`); one scan in ten a badge already scanned, one in twenty
    a cancelled or waiting registration. Each scan has its own nonce."""
    fresh = iter(codes)
    scanned: list[str] = []

    def send(device: Device, number: int):
        roll = rng.random()
        if roll < 0.05 and dataset.refused:
            code = rng.choice(dataset.refused)
        elif roll < 0.15 and scanned:
            code = rng.choice(scanned)
        else:
            code = next(fresh)
            scanned.append(code)
        body = json.dumps({"code": code, "nonce": f"bench-{number}-{secrets.token_hex(4)}"})
        answer = request(
            "POST",
            port,
            f"/forums/{SLUG}/checkin/api/",
            body=body.encode(),
            headers={
                "Content-Type": "application/json",
                "Cookie": device.cookie,
                "X-CSRFToken": device.csrf,
                "Origin": f"http://{HOST}:{port}",
            },
        )
        if answer.status != 200:
            return None, None
        return answer.seconds, json.loads(answer.body)["result"]

    return send


def healthz_sender(port: int):
    def send(device: Device, number: int):
        answer = request("GET", port, "/healthz")
        return (answer.seconds, None) if answer.status == 200 else (None, None)

    return send


def drive_baseline_typists(port: int, count: int, typists: int) -> Timings:
    """The baseline for the search: /healthz, asked as often and by as many at once."""
    result = Timings()
    lock = threading.Lock()

    def one(share: int) -> None:
        for _ in range(share):
            answer = request("GET", port, "/healthz")
            with lock:
                result.times.append(answer.seconds)

    threads = [
        threading.Thread(target=one, args=(count // typists,), daemon=True) for _ in range(typists)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def line(name: str, timings: Timings, extra: str = "") -> str:
    return (
        f"{name:<44} {len(timings.times):>6}  {latencies(timings.times):<36} "
        f"{timings.errors:>3}  {extra}"
    )


# --- the run -------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    if importlib.util.find_spec("gunicorn") is None:
        raise SystemExit(
            "gunicorn is missing: run `make bench-checkin`, or pip install '.[bench]'."
        )
    with prepared_site(args, "forumdesk-bench-checkin-") as (env, var_dir):
        loading = time.monotonic()
        dataset = load_data(args)
        loaded_in = time.monotonic() - loading
        from django.db import connection

        # Statistics for the planner, as autovacuum keeps them on a database in use.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()

        with served(env, args.workers, var_dir) as server:
            port = server.port
            print(
                f"Check-in, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load "
                "average before the run " + ", ".join(f"{load:.1f}" for load in os.getloadavg())
            )
            print(
                f"server: gunicorn, {args.workers} sync workers, DEBUG off, PostgreSQL "
                f"({args.database}, CONN_MAX_AGE=60), sessions in the database; one forum with "
                f"{args.registrants:,} registrants (loaded through the registration service in "
                f"{loaded_in:.0f} s, then ANALYZE), 5 workshops"
            )
            devices = [Device(session) for session in dataset.sessions]
            page_times = [open_page(port, device) for device in devices]
            for _ in range(10):
                page_times.append(open_page(port, devices[0]))
            codes_times, size = [], 0
            for _ in range(10):
                answer = request(
                    "GET",
                    port,
                    f"/forums/{SLUG}/checkin/codes/",
                    headers={"Cookie": devices[0].cookie},
                )
                codes_times.append(answer.seconds)
                size = len(answer.body)
            print(f"\n{'':<44} {'count':>6}  {'latency':<36} {'err':>3}")
            print(line("check-in page GET", Timings(page_times)))
            print(line("codes list GET (offline answers)", Timings(codes_times), f"{size:,} bytes"))

            rng = random.Random(31)
            terms = search_terms(dataset.people, rng, 60)
            requests_per_typist = sum(len(typed(term)) for term in terms)
            print(
                f"\nsearch as you type: {len(terms)} names, companies and addresses, a request per "
                f"letter ({requests_per_typist} requests), each run back to back"
            )
            base_one = drive_baseline_typists(port, requests_per_typist, 1)
            one = drive_typists(port, devices, terms, 1)
            base_many = drive_baseline_typists(port, requests_per_typist, args.typists)
            many = drive_typists(port, devices, terms, args.typists)
            print(line("baseline /healthz, 1 client", base_one))
            print(line("search, 1 person typing", one))
            print(line(f"baseline /healthz, {args.typists} clients", base_many))
            print(line(f"search, {args.typists} people typing at once", many))

            print(
                f"\nscans: {args.devices} devices, {args.rate:.0f} scans/s in all, evenly paced, "
                f"for {args.seconds:.0f} s"
            )
            # One device sending one scan at a time: what a scan costs without waiting for another.
            alone_codes, paced_codes = dataset.codes[-60:], dataset.codes[:-60]
            base_alone = drive_paced(port, devices[:1], 4.0, 12.0, healthz_sender(port))
            alone = drive_paced(
                port,
                devices[:1],
                4.0,
                12.0,
                scan_sender(port, dataset, random.Random(4), alone_codes),
            )
            base_scans = drive_paced(port, devices, args.rate, args.seconds, healthz_sender(port))
            scans = drive_paced(
                port,
                devices,
                args.rate,
                args.seconds,
                scan_sender(port, dataset, random.Random(5), paced_codes),
            )
            print(line("baseline /healthz, 1 device at 4/s", base_alone))
            print(line("scan POST, 1 device at 4/s", alone))
            print(line(f"baseline /healthz at {args.rate:.0f}/s", base_scans))
            answers = ", ".join(f"{k} {v}" for k, v in sorted(scans.answers.items()))
            print(line(f"scan POST at {args.rate:.0f}/s", scans, answers))
            print(
                f"scans sent: {len(scans.times) + scans.errors} in {scans.seconds:.1f} s "
                f"({(len(scans.times) + scans.errors) / scans.seconds:.1f}/s)"
            )
            server.stop()
            server = None

            from attendance.models import CheckIn

            recorded = CheckIn.objects.filter(registration__forum__slug=SLUG).count()
            answered_ok = scans.answers.get("ok", 0) + alone.answers.get("ok", 0)
            print(f"\ndatabase: {recorded} check-ins recorded for {answered_ok} 'ok' answers")
            ratio = percentile(scans.times, 0.95) / max(percentile(base_scans.times, 0.95), 1e-6)
            print(f"scan p95 / baseline p95: {ratio:.1f}")


if __name__ == "__main__":
    main()
