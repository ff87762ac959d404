"""Load the demo: the seeds' organisations and forums, and the 2017 forums' attendance.

The attendance of a past forum is history, written the way the secretariat writes it: as an
attendance list (a CSV file made in memory) read and imported by the registration import, which
creates the people, recognises their companies and keeps the seat counters. The demo only decides
who the synthetic participants are, whether each came and which workshops each attended; the
import records that as check-ins, as for any past forum's list.

Everything is keyed (organisation names, forum slugs, workshop codes, e-mail addresses), so
loading twice changes nothing."""

import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from companies.services import company_name_add, company_resolve
from demo.assessments import registrant_assessment
from demo.feedback import demo_feedback_load
from demo.history import HistorySummary, demo_history_load
from demo.seeds import (
    DEMO_SPELLINGS,
    FACILITATOR_EMAILS,
    FIRST_NAMES,
    FORUMS,
    JOB_TITLES,
    LAST_NAMES,
    MEMBERS,
    PARTNERS,
    PEOPLE,
    ForumSeed,
    supplier_names,
)
from forums.enums import ForumStatus, OrganisationKind
from forums.models import AgendaItem, Forum, Membership, Organisation, Person, Sponsorship
from registrations.enums import RsjModule
from registrations.imports import ImportReport, import_registrations
from registrations.models import Registration
from registrations.spreadsheets import Limits, read_table, write_csv
from reports.services import reach_facts_rebuild
from workshops.models import Workshop

ATTENDANCE_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "company",
    "country",
    "job_title",
    "attended",
    "workshops",
    "invited_by",
    "language",
]
RSJ_FIELDS = [module.field_name for module in RsjModule]


@dataclass
class DemoSummary:
    organisations: int = 0
    forums: int = 0
    workshops: int = 0
    people: int = 0
    accounts: int = 0
    registrations: int = 0
    # Feedback responses recorded for the seed forums (demo.feedback).
    responses: int = 0
    history: HistorySummary | None = None


def _aware(day: date, clock: str, zone: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zoneinfo.ZoneInfo(zone))


def _organisation(name: str, kind: str, country: str, summary: DemoSummary) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "country": country}
    )
    if created:
        company_name_add(organisation=organisation, name=name)
    summary.organisations += created
    return organisation


def _load_forum(
    seed: ForumSeed, orgs: dict[str, Organisation], people: dict[str, Person], summary: DemoSummary
) -> Forum:
    if seed.status == ForumStatus.REGISTRATION_OPEN:
        opens = timezone.now().replace(microsecond=0) - timedelta(days=1)
        closes = _aware(seed.day - timedelta(days=7), "23:59", seed.zone)
    else:
        opens = _aware(seed.day - timedelta(days=60), "09:00", seed.zone)
        closes = _aware(seed.day - timedelta(days=3), "23:59", seed.zone)
    forum, created = Forum.objects.get_or_create(
        slug=seed.slug,
        defaults={
            "title_en": seed.title,
            "title_es": seed.title_es or None,
            "city": seed.city,
            "country": seed.country,
            "venue": seed.venue,
            "time_zone": seed.zone,
            "starts_at": _aware(seed.day, "08:30", seed.zone),
            "ends_at": _aware(seed.day, "17:30", seed.zone),
            "theme": seed.theme,
            "summary_en": seed.summary,
            "summary_es": seed.summary_es or None,
            "venue_notes_en": seed.venue_notes,
            "venue_notes_es": seed.venue_notes_es or None,
            "certificate_wording_en": seed.certificate_wording,
            "certificate_wording_es": seed.certificate_wording_es or None,
            "capacity": seed.capacity,
            "registration_opens_at": opens,
            "registration_closes_at": closes,
            "status": seed.status,
        },
    )
    summary.forums += created
    if not created:
        return forum
    forum.supporters.set([orgs[name] for name in seed.supporters])
    for name in seed.sponsors:
        sponsorship = Sponsorship(forum=forum, organisation=orgs[name], role=seed.sponsor_role)
        sponsorship.full_clean()
        sponsorship.save()
    for talk in seed.agenda:
        item = AgendaItem.objects.create(
            forum=forum,
            starts_at=_aware(seed.day, talk.start, seed.zone),
            ends_at=_aware(seed.day, talk.end, seed.zone),
            title_en=talk.title,
            title_es=talk.title_es or None,
        )
        item.speakers.set([people[name] for name in talk.speakers])
        item.presenting_organisations.set([orgs[name] for name in talk.organisations])
    for session in seed.workshops:
        workshop = Workshop.objects.create(
            forum=forum,
            code=session.code,
            title_en=session.title,
            title_es=session.title_es or None,
            pillar=session.pillar,
            room=session.room,
            starts_at=_aware(seed.day, session.start, seed.zone),
            ends_at=_aware(seed.day, session.end, seed.zone),
            seat_limit=session.seats,
            description_en=session.description,
            description_es=session.description_es or None,
        )
        workshop.facilitators.set([people[name] for name in session.facilitators])
        workshop.led_by.set([orgs[name] for name in session.led_by])
        summary.workshops += 1
    return forum


def attendance_rows(forum: Forum, seed: ForumSeed) -> list[list[str]]:
    """The synthetic attendance list of a past forum, one row per participant in the columns of
    ATTENDANCE_COLUMNS. Deterministic (seeded with the forum's slug), so every run makes the same
    list. `seed.attended` of them came, the figure the seed's article gives; each has a
    workshop in every time slot, among those with a seat left, so no workshop is over its
    limit."""
    rng = random.Random(seed.slug)
    came = set(rng.sample(range(seed.participants), seed.attended))
    firsts, lasts = FIRST_NAMES[seed.country], LAST_NAMES[seed.country]
    companies = supplier_names(seed)
    slots: dict[datetime, list[Workshop]] = {}
    for workshop in forum.workshops.order_by("starts_at", "code"):
        slots.setdefault(workshop.starts_at, []).append(workshop)
    taken = {workshop.pk: 0 for group in slots.values() for workshop in group}
    sponsors = [s.organisation.name for s in forum.sponsorships.select_related("organisation")]
    rows = []
    for number in range(seed.participants):
        first, last = rng.choice(firsts), rng.choice(lasts)
        company = companies[number % len(companies)]
        domain = "".join(ch for ch in company.lower() if ch.isalnum())[:20]
        job_title = rng.choice(JOB_TITLES)
        invited_by = rng.choice(sponsors) if sponsors else ""
        codes = []
        for group in slots.values():
            open_workshops = [w for w in group if taken[w.pk] < w.seat_limit]
            if open_workshops:
                workshop = rng.choice(open_workshops)
                taken[workshop.pk] += 1
                codes.append(workshop.code)
        rows.append(
            [
                first,
                last,
                f"participant{number + 1}.{seed.slug}@{domain}.example",
                company,
                seed.country,
                job_title,
                "yes" if number in came else "no",
                ";".join(codes),
                invited_by,
                # Mexico City's delegates read their e-mails in Spanish.
                "es" if seed.country == "MX" else "en",
            ]
        )
    return rows


def _import_attendance(forum: Forum, seed: ForumSeed) -> ImportReport | None:
    """Import the forum's attendance list, as the secretariat would, and give its registrants'
    self-assessments, unless the forum already has registrations: a forum's history is then
    there, and is left as it is."""
    if forum.registrations.exists():
        return None
    table = read_table(
        write_csv(ATTENDANCE_COLUMNS, attendance_rows(forum, seed)),
        filename=f"{seed.slug}-attendance.csv",
        limits=Limits.from_settings(),
    )
    with transaction.atomic():
        report = import_registrations(forum=forum, table=table)
        _assess(forum, seed)
    return report


def _assess(forum: Forum, seed: ForumSeed) -> None:
    """Record the self-assessments the forum's registrants gave (demo.assessments)."""
    assessed = []
    registrations = forum.registrations.select_related("person", "company").order_by("pk")
    for registration in registrations:
        if registration.company is None or not registration.person.email:
            continue
        stages = registrant_assessment(
            registration.person.email, registration.company.name, seed.day
        )
        for name, stage in stages.items():
            setattr(registration, name, stage)
        if stages:
            assessed.append(registration)
    Registration.objects.bulk_update(assessed, RSJ_FIELDS, batch_size=500)


@transaction.atomic
def _load_forums(summary: DemoSummary) -> list[tuple[ForumSeed, Forum]]:
    orgs: dict[str, Organisation] = {}
    for name, (country, joined) in MEMBERS.items():
        orgs[name] = _organisation(name, OrganisationKind.MEMBER, country, summary)
        Membership.objects.get_or_create(organisation=orgs[name], defaults={"joined_on": joined})
    for name, (kind, country) in PARTNERS.items():
        orgs[name] = _organisation(name, kind, country, summary)
    people: dict[str, Person] = {}
    for full_name, organisation in PEOPLE.items():
        first, _, last = full_name.rpartition(" ")
        people[full_name], created = Person.objects.get_or_create(
            first_name=first, last_name=last, defaults={"organisation": orgs[organisation]}
        )
        summary.people += created
    for full_name, email in FACILITATOR_EMAILS.items():
        _facilitator_account(people[full_name], email, summary)
    return [(seed, _load_forum(seed, orgs, people, summary)) for seed in FORUMS]


def _facilitators_password_set(password: str) -> None:
    for user in User.objects.filter(email__in=FACILITATOR_EMAILS.values()):
        user.set_password(password)
        user.save(update_fields=["password"])


def _facilitator_account(person: Person, email: str, summary: DemoSummary) -> None:
    """Give a seed facilitator their address and a facilitator account with it (its address
    verified, no password: they are sent an invitation, or --facilitator-password gives one)."""
    if person.email is None:
        person.email = email
        person.save(update_fields=["email"])
    if User.objects.filter(email__iexact=person.email).exists():
        return
    user = User.objects.create_user(
        email=person.email,
        role=Role.FACILITATOR,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    summary.accounts += 1


def demo_load(*, forums_only: bool = False, facilitator_password: str | None = None) -> DemoSummary:
    """Create whatever of the demo data is missing; never changes what exists.

    Writes the members (with their memberships), partner organisations, speakers and facilitators
    (each facilitator with an address and a facilitator account with that address verified and no
    password), and the seed forums with sponsors, supporters, agenda and workshops, in one
    transaction. Unless `forums_only`, then imports each past forum's synthetic attendance list
    through the registration import (people, companies and their spellings, registrations,
    workshop places, seat counters, and who came as check-ins from the import, at the door and
    in their workshops; their feedback survey with paper forms from about two in three who
    came, through the feedback services (demo.feedback); and about three in five registrants'
    self-assessments on the Responsible
    Sourcing Journey, from demo.assessments; each forum in its own transaction), then the
    synthetic earlier forums (demo.history), and resolves a few misspelt
    company names, which records them as spellings or as possible duplicates for the
    secretariat. Sends nothing: history sends no e-mail, and the
    upcoming forum gets no registrations.

    A past forum that has registrations already keeps them as they are. Raises ImportRefused if
    an attendance list does not fit its forum as it is now (its capacity lowered in the admin
    before the participants were loaded), having written the forums. With
    `facilitator_password`, sets it as the password of every seed facilitator's account."""
    summary = DemoSummary()
    loaded = _load_forums(summary)
    if facilitator_password:
        _facilitators_password_set(facilitator_password)
    if forums_only:
        return summary
    for seed, forum in loaded:
        if seed.status != ForumStatus.HELD or not seed.participants:
            continue
        report = _import_attendance(forum, seed)
        if report is not None:
            summary.organisations += report.companies_created
            summary.people += report.people_created
            summary.registrations += report.registrations_created
        summary.responses += demo_feedback_load(forum)
    history = demo_history_load()
    summary.history = history
    with transaction.atomic():
        for name, country in DEMO_SPELLINGS:
            _, created = company_resolve(name=name, country=country)
            summary.organisations += created
    # The history is written in bulk, past the receivers that keep the reach facts.
    reach_facts_rebuild()
    return summary
