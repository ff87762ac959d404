"""The reach figures on a large history, on PostgreSQL: 1,000 forums, 100,000 companies and
1,000,000 registrations, about 70% of them attended (door check-ins, a third of those also at a
workshop), 1% of the companies merged into another, a third of the registrations invited by a
sponsor. Builds the reach facts (`reports.services.reach_facts_rebuild`, as `manage.py reach
--rebuild` does), then times `reports.selectors.reach_totals` (every figure and breakdown) and
`reach_headline` and, as the baseline in the same run on the same database, one hand-written SQL
query over the registrations and check-ins computing the totals (forums, companies, people,
countries); prints them, their ratios, and the query count. Also times what one check-in adds
(recomputing the facts of one attended registration's company, person and forum) and what
marking the busiest forum held adds (the facts of everyone who came).

    .venv/bin/python bench/reach.py [--forums 1000] [--companies 100000]
                                    [--registrations 1000000] [--repeat 5]
                                    [--keep] [--work-mem 256MB]

The database (default forumdesk_bench_reach on 127.0.0.1) is dropped and created anew: never
point it at real data. The rows are written with INSERT … SELECT generate_series."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from register_load import recreate_database  # noqa: E402  (bench/register_load.py)

COUNTRIES = ["MY", "IN", "MX", "ID", "TH", "VN", "BR", "CN", "GB", "US", "KE", "GH", "CI", "PE"]
THEMES = ["Palm oil", "Sugar", "Cocoa", "Packaging", "Tea", ""]

HAND_WRITTEN = """
WITH held AS (
    SELECT id, country FROM forums_forum WHERE status IN ('held', 'archived')
), reached AS (
    SELECT r.person_id, COALESCE(o.merged_into_id, r.company_id) AS company
    FROM registrations_registration r
    JOIN held ON held.id = r.forum_id
    LEFT JOIN forums_organisation o ON o.id = r.company_id
    WHERE EXISTS (
        SELECT 1 FROM attendance_checkin c
        WHERE c.registration_id = r.id AND c.workshop_id IS NULL AND c.undone_at IS NULL
    )
)
SELECT (SELECT count(*) FROM held), count(DISTINCT company), count(DISTINCT person_id),
       (SELECT count(DISTINCT country) FROM held)
FROM reached
"""


def build(args) -> None:
    from datetime import UTC, datetime, timedelta

    from django.db import connection

    from forums.models import Forum, Organisation, Sponsorship
    from workshops.models import Workshop

    started = time.perf_counter()
    members = Organisation.objects.bulk_create(
        Organisation(name=f"Member {i}", kind="member") for i in range(20)
    )
    forums = Forum.objects.bulk_create(
        Forum(
            title=f"Forum {i}",
            slug=f"forum-{i}",
            city="City",
            country=COUNTRIES[i % len(COUNTRIES)],
            time_zone="UTC",
            starts_at=datetime(2005, 1, 1, 9, tzinfo=UTC) + timedelta(days=7 * i),
            ends_at=datetime(2005, 1, 1, 17, tzinfo=UTC) + timedelta(days=7 * i),
            theme=THEMES[i % len(THEMES)],
            capacity=5000,
            # One in fifty not held yet: its attendance must not count.
            status="registration_open" if i % 50 == 49 else "held",
        )
        for i in range(args.forums)
    )
    Sponsorship.objects.bulk_create(
        Sponsorship(forum=forum, organisation=members[i % len(members)], invitation_code=f"c{i}")
        for i, forum in enumerate(forums)
    )
    Workshop.objects.bulk_create(
        Workshop(
            forum=forum,
            code="A1",
            title="Workshop",
            pillar=["human_rights", "health_safety", "environment", "business_integrity"][i % 4],
            starts_at=forum.starts_at,
            ends_at=forum.ends_at,
            seat_limit=5000,
        )
        for i, forum in enumerate(forums)
    )
    first_forum = forums[0].pk
    people = args.registrations * 2 // 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM forums_sponsorship")
        first_sponsorship = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM workshops_workshop")
        first_workshop = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO forums_organisation (name, kind, country, website, created_at)
            SELECT 'Company ' || i, 'supplier', (%s::text[])[1 + i %% 14], '', now()
            FROM generate_series(1, %s) i
            """,
            [COUNTRIES, args.companies],
        )
        cursor.execute("SELECT min(id) FROM forums_organisation WHERE kind = 'supplier'")
        first_company = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO forums_person (first_name, last_name, email, job_title, organisation_id,
                                       phone, country, language, created_at)
            SELECT 'Person', 'No ' || p, NULL, '', %s + p %% %s, '', '', 'en', now()
            FROM generate_series(0, %s - 1) p
            """,
            [first_company, args.companies, people],
        )
        cursor.execute("SELECT min(id) FROM forums_person")
        first_person = cursor.fetchone()[0]
        # Registration i: person p = i mod P, its k-th forum (k = i div P) = (31p + 7k) mod F,
        # distinct for one person as long as k < F.
        cursor.execute(
            """
            INSERT INTO registrations_registration (
                forum_id, person_id, company_id, status, source, invited_by_id, job_title,
                dietary_needs, accessibility_needs, share_with_sponsors, language, created_at,
                updated_at, secret, checkin_code, calendar_sequence, calendar_workshops, category)
            SELECT %(forum)s + f, %(person)s + p, %(company)s + p %% %(companies)s, 'confirmed',
                   'import', CASE WHEN i %% 3 = 0 THEN %(sponsorship)s + f END, '', '', '',
                   false, 'en', now(), now(), md5(i::text) || md5((-i)::text), 'B' || i, 0,
                   '[]'::jsonb,
                   (ARRAY['supplier', 'grower', 'trader', 'ngo', '', '', ''])[1 + i %% 7]
            FROM (
                SELECT i, i %% %(people)s AS p, (31 * (i %% %(people)s) + 7 * (i / %(people)s))
                       %% %(forums)s AS f
                FROM generate_series(0, %(registrations)s - 1) i
            ) s
            """,
            {
                "forum": first_forum,
                "person": first_person,
                "company": first_company,
                "companies": args.companies,
                "sponsorship": first_sponsorship,
                "people": people,
                "forums": args.forums,
                "registrations": args.registrations,
            },
        )
        cursor.execute(
            """
            INSERT INTO attendance_checkin (registration_id, workshop_id, checked_in_at, device,
                                            nonce, source)
            SELECT r.id, NULL, f.starts_at, '', 'door-' || r.id, 'import'
            FROM registrations_registration r JOIN forums_forum f ON f.id = r.forum_id
            WHERE abs(hashtext(r.id::text)) %% 10 < 7
            """,
            [],
        )
        cursor.execute(
            """
            INSERT INTO attendance_checkin (registration_id, workshop_id, checked_in_at, device,
                                            nonce, source)
            SELECT r.id, %s + (r.forum_id - %s), f.starts_at, '', 'workshop-' || r.id, 'import'
            FROM registrations_registration r JOIN forums_forum f ON f.id = r.forum_id
            WHERE abs(hashtext(r.id::text)) %% 10 < 7 AND r.id %% 3 = 1
            """,
            [first_workshop, first_forum],
        )
        # 1% of the companies were found to be duplicates of the one before them.
        cursor.execute(
            "UPDATE forums_organisation SET merged_into_id = id - 1"
            " WHERE kind = 'supplier' AND id > %s AND id %% 100 = 0",
            [first_company],
        )
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="forumdesk_bench_reach")
    parser.add_argument("--forums", type=int, default=1000)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="Reuse the database as built.")
    parser.add_argument(
        "--work-mem",
        help="PostgreSQL work_mem for the session, e.g. 256MB (default: the server's).",
    )
    args = parser.parse_args()

    if not args.keep:
        recreate_database(args)
    os.environ["DATABASE_URL"] = f"{args.postgres}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import reach_headline, reach_totals
    from reports.services import (
        reach_facts_of_forum,
        reach_facts_of_registrations,
        reach_facts_rebuild,
    )

    call_command("migrate", verbosity=0)
    if not args.keep:
        build(args)
        started = time.perf_counter()
        facts = reach_facts_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_reachfact")
        print(f"reach facts built: {facts} in {time.perf_counter() - started:.1f} s")

    with connection.cursor() as cursor:
        if args.work_mem:
            cursor.execute("SELECT set_config('work_mem', %s, false)", [args.work_mem])
        cursor.execute("SHOW work_mem")
        print("work_mem:", cursor.fetchone()[0])

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN)
            return cursor.fetchone()

    def timed(function, repeat=None):
        function()  # warm the caches once
        times = []
        for _ in range(repeat or args.repeat):
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        return result, statistics.median(times)

    def refresh_one():
        # What a check-in adds at the door: the facts of one attended registration's company,
        # person and forum, recomputed (in a transaction rolled back, to leave the data as built).
        from django.db import transaction

        with transaction.atomic():
            reach_facts_of_registrations([next(sample)])
            transaction.set_rollback(True)

    def refresh_forum():
        # What marking a forum held adds: the facts of everyone who came, recomputed.
        from django.db import transaction

        with transaction.atomic():
            reach_facts_of_forum(busiest)
            transaction.set_rollback(True)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.forum_id FROM registrations_registration r JOIN attendance_checkin c"
            " ON c.registration_id = r.id AND c.workshop_id IS NULL"
            " GROUP BY r.forum_id ORDER BY count(*) DESC, r.forum_id LIMIT 1"
        )
        busiest = cursor.fetchone()[0]
        cursor.execute(
            "SELECT registration_id FROM attendance_checkin WHERE workshop_id IS NULL"
            " ORDER BY md5(id::text) LIMIT 200"
        )
        sample = iter([row[0] for row in cursor.fetchall()])

    baseline, baseline_time = timed(hand_written)
    headline, headline_time = timed(reach_headline)
    reach, reach_time = timed(reach_totals)
    _, refresh_time = timed(refresh_one, repeat=50)
    _, forum_time = timed(refresh_forum)
    from attendance.selectors import attendees

    attended = attendees().filter(forum_id=busiest).count()
    with CaptureQueriesContext(connection) as queries:
        reach_totals()
    totals = (reach.forums, reach.companies, reach.people, reach.countries)
    print(f"rows: {args.forums} forums, {args.companies} companies,", end=" ")
    print(f"{args.registrations} registrations")
    print(f"hand-written SQL (totals):        {baseline_time * 1000:8.0f} ms  {baseline}")
    print(
        f"reach_headline (totals):          {headline_time * 1000:8.0f} ms  "
        f"{(headline.forums, headline.companies, headline.people, headline.countries)}"
    )
    print(f"reach_totals (all figures):       {reach_time * 1000:8.0f} ms  {totals}")
    print(f"facts of one check-in (median/50): {refresh_time * 1000:7.1f} ms")
    print(f"facts of a forum marked held:     {forum_time * 1000:8.0f} ms  ({attended} who came)")
    print(f"ratio, totals: {headline_time / baseline_time:.2f}")
    print(f"ratio, all figures: {reach_time / baseline_time:.2f}   queries: {len(queries)}")
    print("same totals:", "yes" if tuple(baseline) == totals else "NO")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:110]}")


if __name__ == "__main__":
    main()
