"""Import speed: a 10,000-row attendance list with realistic company-name variants, through the
import command, against bulk_create of the same rows. Prints figures; never passes or fails.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forumdesk_bench .venv/bin/python bench/import.py

The database named by DATABASE_URL is emptied first: never point it at real data."""

import argparse
import csv
import io
import os
import random
import sys
import time
import zoneinfo
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

STEMS = [
    "Kilang Sawit",
    "Golden",
    "Sinar",
    "Perak",
    "Borneo",
    "Shree",
    "Agro",
    "Bharat",
    "Ganga",
    "Ingenio",
    "Azúcar",
    "Dulces",
    "Deccan",
    "Surya",
    "Pacific",
    "Mekong",
]
WORDS = [
    "Maju",
    "Hope",
    "Harvest",
    "Plantations",
    "Palm Oil",
    "Refinery",
    "Packaging",
    "Polymers",
    "Foods",
    "Spices",
    "del Pacífico",
    "San José",
    "Cocoa",
    "Dairy",
    "Trading",
]
FORMS = [
    "Sdn Bhd",
    "SDN. BHD.",
    "Sdn. Bhd.",
    "Bhd",
    "Pvt Ltd",
    "Private Limited",
    "Ltd",
    "S.A. de C.V.",
    "SA de CV",
    "",
]
COUNTRIES = ["MY", "IN", "MX", "TH", "ID"]


def variant(rng: random.Random, name: str) -> str:
    choice = rng.random()
    if choice < 0.2:
        return name.upper()
    if choice < 0.3:
        return name.lower()
    if choice < 0.4:
        return name.replace(" ", "  ")
    return name


def make_rows(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    companies = []
    for index in range(count // 5):
        base = f"{STEMS[index % len(STEMS)]} {WORDS[(index // len(STEMS)) % len(WORDS)]}"
        if index >= len(STEMS) * len(WORDS):
            base = f"{base} {index // (len(STEMS) * len(WORDS))}"
        companies.append(base)
    rows = []
    for number in range(count):
        base = companies[number % len(companies)]
        name = variant(rng, f"{base} {rng.choice(FORMS)}".strip())
        rows.append(
            {
                "first_name": rng.choice(["Siti", "Aarav", "María", "Wei Ling", "José"]),
                "last_name": rng.choice(["Rahman", "Sharma", "López", "Tan", "García"]),
                "email": f"person{number}@example{number % 997}.com",
                "company": name,
                "country": rng.choice(COUNTRIES),
                "job_title": "Sustainability Manager",
                "attended": rng.choice(["yes", "yes", "no"]),
            }
        )
    return rows


def forum(slug: str, capacity: int):
    from forums.models import Forum

    kl = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
    start = datetime(2017, 10, 24, 9, tzinfo=kl)
    return Forum.objects.create(
        title=slug,
        slug=slug,
        city="Kuala Lumpur",
        country="MY",
        time_zone="Asia/Kuala_Lumpur",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=capacity,
        status="held",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rows = make_rows(args.rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = ROOT / "var" / "bench-import.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    distinct_spellings = len({row["company"] for row in rows})

    forum("bench-import", capacity=args.rows)
    started = time.perf_counter()
    call_command("import_registrations", "bench-import", str(path), stdout=io.StringIO())
    import_seconds = time.perf_counter() - started
    again = io.StringIO()
    started = time.perf_counter()
    call_command("import_registrations", "bench-import", str(path), stdout=again)
    reimport_seconds = time.perf_counter() - started
    reimport_summary = again.getvalue().strip().splitlines()[-1]

    from forums.models import Organisation, Person
    from registrations.models import Registration

    companies_after = Organisation.objects.count()

    # Baseline: the same rows written with bulk_create, no checks, no matching.
    target = forum("bench-bulk", capacity=args.rows)
    started = time.perf_counter()
    people = Person.objects.bulk_create(
        Person(
            first_name=r["first_name"],
            last_name=r["last_name"],
            email=f"bulk-{r['email']}",
            job_title=r["job_title"],
            country=r["country"],
        )
        for r in rows
    )
    Registration.objects.bulk_create(
        Registration(forum=target, person=p, status="confirmed", source="import") for p in people
    )
    bulk_seconds = time.perf_counter() - started

    # Matching cost as the company table grows: time per new-name lookup now vs. with 10x
    # more companies (blocking keys keep the candidates per lookup bounded).
    from companies.selectors import company_find

    def lookup_ms() -> float:
        probes = [f"Probe Company {n} Sdn Bhd" for n in range(200)]
        started = time.perf_counter()
        for name in probes:
            company_find(name=name)
        return (time.perf_counter() - started) / len(probes) * 1000

    small = lookup_ms()
    from companies.services import company_name_add

    extra = [
        Organisation(name=f"Extra Supplier {n} Sdn Bhd", kind="supplier") for n in range(20_000)
    ]
    Organisation.objects.bulk_create(extra, batch_size=2000)
    for organisation in Organisation.objects.filter(name__startswith="Extra Supplier"):
        company_name_add(organisation=organisation, name=organisation.name)
    unanalysed = lookup_ms()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: refresh the planner's statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    large = lookup_ms()

    vendor = connection.vendor
    print(f"database: {vendor}")
    print(f"rows: {args.rows} ({distinct_spellings} distinct company spellings)")
    print(f"import command: {import_seconds:.2f} s = {args.rows / import_seconds:,.0f} rows/s")
    print(f"same file again: {reimport_seconds:.2f} s ({reimport_summary})")
    print(f"bulk_create baseline: {bulk_seconds:.2f} s = {args.rows / bulk_seconds:,.0f} rows/s")
    print(f"companies after import: {companies_after}")
    print(f"new-name lookup with {companies_after} companies: {small:.2f} ms")
    total = Organisation.objects.count()
    if connection.vendor == "postgresql":
        print(f"new-name lookup with {total} companies, before ANALYZE: {unanalysed:.2f} ms")
    print(f"new-name lookup with {total} companies: {large:.2f} ms")


if __name__ == "__main__":
    main()
