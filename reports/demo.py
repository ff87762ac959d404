"""Demo data: the members, partner organisations and the three 2017 forums described in the
association's news pages, plus one upcoming forum and synthetic participants sized to the seeds.
The demo loader lives in `reports` because it is the one app allowed to import all the others.

Everything is keyed (organisation names, forum slugs, workshop codes, e-mail addresses), so
loading twice changes nothing."""

import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from companies.services import company_for_name, company_name_add
from forums.enums import ForumStatus, OrganisationKind, Pillar, SponsorRole
from forums.models import AgendaItem, Forum, Membership, Organisation, Person, Sponsorship
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop

# Bel Group's date is the one the seeds give; the others' are not in the seeds, so they get the
# association's founding-era date to make their 2017 sponsorships valid.
MEMBERS = {
    "Nestlé": ("CH", date(2007, 1, 1)),
    "Unilever": ("GB", date(2007, 1, 1)),
    "PepsiCo": ("US", date(2007, 1, 1)),
    "Ferrero": ("IT", date(2007, 1, 1)),
    "The Coca-Cola Company": ("US", date(2007, 1, 1)),
    "Reckitt Benckiser": ("GB", date(2007, 1, 1)),
    "Kellogg": ("US", date(2007, 1, 1)),
    "Mars": ("US", date(2007, 1, 1)),
    "Bel Group": ("FR", date(2016, 4, 13)),
}

PARTNERS = {
    "Verité": (OrganisationKind.NGO, "US"),
    "International Organization for Migration": (OrganisationKind.INTERNATIONAL_BODY, "CH"),
    "TFT": (OrganisationKind.NGO, "CH"),
    "ELEVATE": (OrganisationKind.CONSULTANCY, "US"),
    "Responsible Business Alliance": (OrganisationKind.INDUSTRY_BODY, "US"),
    "Sentio Advisory Group": (OrganisationKind.CONSULTANCY, "IN"),
    "Impactt": (OrganisationKind.CONSULTANCY, "GB"),
    "PwC": (OrganisationKind.CONSULTANCY, "MX"),
    "World Vision": (OrganisationKind.NGO, "MX"),
    "ABC": (OrganisationKind.OTHER, "MX"),
    "Cyril Shroff": (OrganisationKind.LAW_FIRM, "IN"),
    "The Consumer Goods Forum": (OrganisationKind.INDUSTRY_BODY, "FR"),
    "CSR Asia": (OrganisationKind.CONSULTANCY, "MY"),
    "Ingenio San Antonio": (OrganisationKind.SUPPLIER, "NI"),
}

PEOPLE = {
    "Melizel Asuncion": "Verité",
    "Lara White": "International Organization for Migration",
    "Dejan Lewis": "TFT",
    "Hannah Timmins": "TFT",
    "Quek Karl Yen": "TFT",
    "Patrick McKeller": "ELEVATE",
    "Khai Yau Chua": "Responsible Business Alliance",
}


@dataclass(frozen=True)
class Talk:
    start: str
    end: str
    title: str
    speakers: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Session:
    code: str
    title: str
    pillar: str
    start: str
    end: str
    seats: int
    room: str = ""
    facilitators: tuple[str, ...] = ()
    led_by: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ForumSeed:
    slug: str
    title: str
    city: str
    country: str
    zone: str
    day: date
    venue: str
    theme: str
    capacity: int
    participants: int
    status: str
    summary: str
    sponsors: tuple[str, ...]
    sponsor_role: str = SponsorRole.SPONSOR
    supporters: tuple[str, ...] = ()
    agenda: tuple[Talk, ...] = ()
    workshops: tuple[Session, ...] = ()


FORUMS = [
    ForumSeed(
        slug="gurgaon-2017",
        title="Supplier Forum Gurgaon",
        city="Gurgaon",
        country="IN",
        zone="Asia/Kolkata",
        day=date(2017, 9, 26),
        venue="",
        theme="Responsible sourcing",
        capacity=250,
        participants=230,
        status=ForumStatus.HELD,
        summary=(
            "A day-long supplier forum on responsible sourcing requirements, with workshops on "
            "anti-bribery and corruption, health and safety, contract labour management, and "
            "wages and working hours."
        ),
        sponsors=("The Coca-Cola Company", "Reckitt Benckiser", "Unilever"),
        agenda=(
            Talk("09:00", "09:30", "Welcome and overview of AIM-PROGRESS"),
            Talk(
                "09:30",
                "10:30",
                "Member programmes on responsible sourcing",
                organisations=("The Coca-Cola Company", "Reckitt Benckiser", "Unilever"),
            ),
            Talk("10:45", "11:30", "Update on SMETA 6.0"),
            Talk(
                "11:30",
                "12:30",
                "Corruption as a global issue: Indian legislation, enforcement trends and "
                "collective action",
                organisations=("Cyril Shroff",),
            ),
        ),
        workshops=(
            Session(
                "A1",
                "Anti-bribery and corruption",
                Pillar.BUSINESS_INTEGRITY,
                "13:30",
                "15:00",
                60,
                "Hall 1",
                led_by=("Cyril Shroff",),
            ),
            Session(
                "A2",
                "Health and safety in manufacturing facilities",
                Pillar.HEALTH_SAFETY,
                "13:30",
                "15:00",
                70,
                "Hall 2",
                led_by=("Sentio Advisory Group",),
            ),
            Session(
                "B1",
                "Contract labour management",
                Pillar.HUMAN_RIGHTS,
                "15:15",
                "16:45",
                70,
                "Hall 1",
                led_by=("Impactt",),
            ),
            Session(
                "B2",
                "Wages and working hours",
                Pillar.HUMAN_RIGHTS,
                "15:15",
                "16:45",
                70,
                "Hall 2",
                led_by=("Impactt",),
            ),
        ),
    ),
    ForumSeed(
        slug="kuala-lumpur-2017",
        title="Responsible Sourcing Forum Kuala Lumpur",
        city="Kuala Lumpur",
        country="MY",
        zone="Asia/Kuala_Lumpur",
        day=date(2017, 10, 24),
        venue="",
        theme="Labour rights in Southeast Asia",
        capacity=160,
        participants=150,
        status=ForumStatus.HELD,
        summary=(
            "Common challenges around responsible sourcing in Malaysia and Southeast Asia, "
            "including forced labour, with practical workshops on migrant labour management, "
            "grievance mechanisms and sustainable land use."
        ),
        sponsors=("Ferrero", "Nestlé", "PepsiCo", "Unilever"),
        sponsor_role=SponsorRole.CO_HOST,
        supporters=("The Consumer Goods Forum", "CSR Asia"),
        agenda=(
            Talk("09:00", "09:30", "Introduction to AIM-PROGRESS"),
            Talk(
                "09:30",
                "10:45",
                "Co-hosts' commitments and progress on responsible sourcing",
                organisations=("Ferrero", "Nestlé", "PepsiCo", "Unilever"),
            ),
            Talk(
                "11:00",
                "12:00",
                "Local context, forced labour and debt bondage before recruitment",
                speakers=("Melizel Asuncion",),
            ),
        ),
        workshops=(
            Session(
                "A1",
                "Migrant labour management",
                Pillar.HUMAN_RIGHTS,
                "13:30",
                "15:30",
                60,
                "Room Melati",
                facilitators=("Lara White",),
            ),
            Session(
                "A2",
                "Sustainable land use",
                Pillar.ENVIRONMENT,
                "13:30",
                "15:30",
                50,
                "Room Cempaka",
                facilitators=("Dejan Lewis", "Hannah Timmins", "Quek Karl Yen"),
            ),
            Session(
                "A3",
                "Grievance mechanisms",
                Pillar.HUMAN_RIGHTS,
                "13:30",
                "15:30",
                50,
                "Room Kenanga",
                facilitators=("Patrick McKeller", "Khai Yau Chua"),
            ),
        ),
    ),
    ForumSeed(
        slug="mexico-city-2017",
        title="Industry Awareness Workshop on Sugar, Mexico City",
        city="Mexico City",
        country="MX",
        zone="America/Mexico_City",
        day=date(2017, 11, 14),
        venue="",
        theme="Sugar",
        capacity=80,
        participants=70,
        status=ForumStatus.HELD,
        summary=(
            "Growers, sugar corporations, traders and refiners, NGOs, civil society and "
            "government on working conditions in the Mexican sugar industry."
        ),
        sponsors=("The Coca-Cola Company", "Kellogg", "Nestlé", "PepsiCo"),
        agenda=(
            Talk(
                "09:00",
                "09:45",
                "The UN Sustainable Development Goals and business risk",
                organisations=("PwC",),
            ),
            Talk(
                "09:45",
                "10:30",
                "Hydration, shade and rest programmes for cane workers",
                organisations=("Ingenio San Antonio",),
            ),
            Talk(
                "10:45",
                "11:45",
                "Improving shelters and preventing child labour",
                organisations=("ABC", "World Vision"),
            ),
        ),
        workshops=(
            Session("A1", "Shelters", Pillar.HEALTH_SAFETY, "14:00", "16:00", 25, "Sala 1"),
            Session(
                "A2",
                "Rest, shade and hydration",
                Pillar.HEALTH_SAFETY,
                "14:00",
                "16:00",
                25,
                "Sala 2",
            ),
            Session("A3", "Child labour", Pillar.HUMAN_RIGHTS, "14:00", "16:00", 25, "Sala 3"),
        ),
    ),
    ForumSeed(
        slug="bangkok-2027",
        title="Responsible Sourcing Forum Bangkok",
        city="Bangkok",
        country="TH",
        zone="Asia/Bangkok",
        day=date(2027, 3, 16),
        venue="Queen Sirikit National Convention Center",
        theme="Migrant workers",
        capacity=120,
        participants=0,
        status=ForumStatus.REGISTRATION_OPEN,
        summary=(
            "Suppliers from Thailand and the Mekong region on responsible recruitment, "
            "grievance mechanisms and working hours."
        ),
        sponsors=("Nestlé", "Unilever", "Mars"),
        supporters=("The Consumer Goods Forum",),
        agenda=(
            Talk("09:00", "09:30", "Welcome and the Responsible Sourcing Journey"),
            Talk(
                "09:30",
                "10:30",
                "Members' expectations of their suppliers",
                organisations=("Nestlé", "Unilever", "Mars"),
            ),
        ),
        workshops=(
            Session(
                "A1",
                "Responsible recruitment of migrant workers",
                Pillar.HUMAN_RIGHTS,
                "11:00",
                "12:30",
                40,
                "Room 1",
                facilitators=("Lara White",),
            ),
            Session(
                "A2",
                "Health and safety walk-through",
                Pillar.HEALTH_SAFETY,
                "11:00",
                "12:30",
                30,
                "Room 2",
                led_by=("Sentio Advisory Group",),
            ),
            Session(
                "B1",
                "Grievance mechanisms that workers use",
                Pillar.HUMAN_RIGHTS,
                "14:00",
                "15:30",
                40,
                "Room 1",
                facilitators=("Patrick McKeller",),
            ),
            Session(
                "B2",
                "Anti-bribery and corruption",
                Pillar.BUSINESS_INTEGRITY,
                "14:00",
                "15:30",
                30,
                "Room 2",
            ),
        ),
    ),
]

FIRST_NAMES = {
    "IN": ["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Neha", "Arjun", "Kavita", "Sanjay"],
    "MY": ["Ahmad", "Nurul", "Wei Ling", "Siti", "Raj", "Mei Hua", "Hafiz", "Aisyah", "Kumar"],
    "MX": ["José", "María", "Luis", "Guadalupe", "Carlos", "Ana", "Jorge", "Sofía", "Miguel"],
}
LAST_NAMES = {
    "IN": ["Sharma", "Patel", "Singh", "Gupta", "Iyer", "Reddy", "Nair", "Mehta", "Kapoor"],
    "MY": ["Abdullah", "Tan", "Lim", "Rahman", "Wong", "Ismail", "Chong", "Ibrahim", "Lee"],
    "MX": ["Hernández", "García", "López", "Martínez", "González", "Pérez", "Ramírez", "Cruz"],
}
COMPANY_STEMS = {
    "IN": (
        ["Shree", "Agro", "Bharat", "Ganga", "Deccan", "Surya", "Kaveri", "Himalaya"],
        ["Packaging", "Foods", "Spices", "Polymers", "Dairy", "Chemicals", "Agritech"],
        "Pvt Ltd",
    ),
    "MY": (
        ["Kilang Sawit", "Golden", "Sinar", "Perak", "Borneo", "Selangor", "Johor", "Pahang"],
        ["Maju", "Plantations", "Palm Oil", "Refinery", "Cocoa", "Packaging", "Agro"],
        "Sdn Bhd",
    ),
    "MX": (
        ["Ingenio", "Azúcar", "Agroindustrias", "Ingenio El", "Cañeros", "Dulces"],
        ["del Pacífico", "San José", "La Gloria", "Veracruz", "Potrero", "Huasteca"],
        "S.A. de C.V.",
    ),
}
JOB_TITLES = [
    "Sustainability Manager",
    "HR Manager",
    "Compliance Officer",
    "Plant Manager",
    "Managing Director",
    "Procurement Lead",
    "Health and Safety Officer",
    "CSR Executive",
]


DEMO_SPELLINGS = [
    ("KILANG SAWIT MAJU SDN. BHD.", "MY"),
    ("Kilang Sawit Maju Trading Sdn Bhd", "MY"),
    ("Golden Plantation Berhad", "MY"),
    ("Shree Packaging Industries Pvt Ltd", "IN"),
]


@dataclass
class DemoSummary:
    organisations: int = 0
    forums: int = 0
    workshops: int = 0
    people: int = 0
    registrations: int = 0


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
            "title": seed.title,
            "city": seed.city,
            "country": seed.country,
            "venue": seed.venue,
            "time_zone": seed.zone,
            "starts_at": _aware(seed.day, "08:30", seed.zone),
            "ends_at": _aware(seed.day, "17:30", seed.zone),
            "theme": seed.theme,
            "summary": seed.summary,
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
            title=talk.title,
        )
        item.speakers.set([people[name] for name in talk.speakers])
        item.presenting_organisations.set([orgs[name] for name in talk.organisations])
    for session in seed.workshops:
        workshop = Workshop.objects.create(
            forum=forum,
            code=session.code,
            title=session.title,
            pillar=session.pillar,
            room=session.room,
            starts_at=_aware(seed.day, session.start, seed.zone),
            ends_at=_aware(seed.day, session.end, seed.zone),
            seat_limit=session.seats,
            description=session.description,
        )
        workshop.facilitators.set([people[name] for name in session.facilitators])
        workshop.led_by.set([orgs[name] for name in session.led_by])
        summary.workshops += 1
    return forum


def _participants(forum: Forum, seed: ForumSeed, summary: DemoSummary) -> None:
    """Synthetic attendance for a past forum: deterministic, so a second run finds it all."""
    rng = random.Random(seed.slug)
    country = seed.country
    firsts, lasts = FIRST_NAMES[country], LAST_NAMES[country]
    stems, products, legal_form = COMPANY_STEMS[country]
    companies = []
    for index in range(max(1, seed.participants // 2)):
        name = f"{stems[index % len(stems)]} {products[(index // len(stems)) % len(products)]}"
        if index >= len(stems) * len(products):
            name = f"{name} {index}"
        companies.append(
            _organisation(f"{name} {legal_form}", OrganisationKind.SUPPLIER, country, summary)
        )
    slots: dict[datetime, list[Workshop]] = {}
    for workshop in forum.workshops.order_by("starts_at", "code"):
        slots.setdefault(workshop.starts_at, []).append(workshop)
    taken = {workshop.pk: 0 for group in slots.values() for workshop in group}
    sponsorships = list(forum.sponsorships.all())
    for number in range(seed.participants):
        first, last = rng.choice(firsts), rng.choice(lasts)
        company = companies[number % len(companies)]
        domain = "".join(ch for ch in company.name.lower() if ch.isalnum())[:20]
        email = f"participant{number + 1}.{seed.slug}@{domain}.example"
        person, created = Person.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "job_title": rng.choice(JOB_TITLES),
                "organisation": company,
                "country": country,
                "language": "es" if country == "MX" else "en",
            },
        )
        summary.people += created
        registration, created = Registration.objects.get_or_create(
            forum=forum,
            person=person,
            defaults={
                "company": company,
                "status": RegistrationStatus.ATTENDED
                if rng.random() < 0.9
                else RegistrationStatus.NO_SHOW,
                "source": RegistrationSource.IMPORT,
                "invited_by": rng.choice(sponsorships) if sponsorships else None,
                "job_title": person.job_title,
                "consent_given_at": forum.registration_opens_at,
                "language": person.language,
            },
        )
        summary.registrations += created
        if not created:
            continue
        for group in slots.values():
            open_workshops = [w for w in group if taken[w.pk] < w.seat_limit]
            if open_workshops:
                workshop = rng.choice(open_workshops)
                taken[workshop.pk] += 1
                WorkshopPlace.objects.create(
                    registration=registration, workshop=workshop, status=PlaceStatus.CONFIRMED
                )
    # History is loaded directly, not through the registration services: keep the seat counters
    # the services rely on in step with it.
    forum.seats_taken = forum.registrations.filter(
        status__in=RegistrationStatus.holding_a_seat()
    ).count()
    forum.save(update_fields=["seats_taken"])
    for workshop in forum.workshops.all():
        workshop.seats_taken = workshop.places.filter(status=PlaceStatus.CONFIRMED).count()
        workshop.save(update_fields=["seats_taken"])


@transaction.atomic
def demo_load(*, forums_only: bool = False) -> DemoSummary:
    """Create whatever of the demo data is missing; never changes what exists. Sends nothing."""
    summary = DemoSummary()
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
    for seed in FORUMS:
        forum = _load_forum(seed, orgs, people, summary)
        if not forums_only and seed.participants:
            _participants(forum, seed, summary)
    if not forums_only:
        # Spellings as suppliers type them: one is recognised as a known company, the others
        # are close enough to be listed under "Possible duplicates" for the secretariat.
        for name, country in DEMO_SPELLINGS:
            company_for_name(name=name, country=country)
    return summary
