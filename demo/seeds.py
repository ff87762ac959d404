"""The demo's data: the members, partner organisations and the three 2017 forums described in the
association's news pages, one upcoming forum, and what the synthetic participants are made of."""

from dataclasses import dataclass
from datetime import date

from forums.enums import ForumStatus, OrganisationKind, Pillar, SponsorRole

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

# The facilitators' addresses (made up, on .example domains): each has an account with the same
# address, which is how the facilitator's page finds the workshops they lead.
FACILITATOR_EMAILS = {
    "Lara White": "lara.white@iom.example",
    "Dejan Lewis": "dejan.lewis@tft.example",
    "Hannah Timmins": "hannah.timmins@tft.example",
    "Quek Karl Yen": "quek.karlyen@tft.example",
    "Patrick McKeller": "patrick.mckeller@elevate.example",
    "Khai Yau Chua": "khai.chua@rba.example",
}


@dataclass(frozen=True)
class Talk:
    start: str
    end: str
    title: str
    speakers: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    # Spanish; empty: Spanish readers see the English.
    title_es: str = ""


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
    title_es: str = ""
    description_es: str = ""


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
    # Registered, and of those how many came: the figure the seed's news article gives.
    participants: int
    attended: int
    status: str
    summary: str
    sponsors: tuple[str, ...]
    sponsor_role: str = SponsorRole.SPONSOR
    supporters: tuple[str, ...] = ()
    agenda: tuple[Talk, ...] = ()
    workshops: tuple[Session, ...] = ()
    venue_notes: str = ""
    certificate_wording: str = ""
    # The same texts in Spanish; empty: Spanish readers see the English.
    title_es: str = ""
    summary_es: str = ""
    venue_notes_es: str = ""
    certificate_wording_es: str = ""


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
        capacity=260,
        # "attended by over 230 supplier representatives"
        participants=255,
        attended=234,
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
        capacity=180,
        # "more than 150 participants attended"
        participants=170,
        attended=155,
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
        # "gathering 70 delegates"
        participants=75,
        attended=70,
        status=ForumStatus.HELD,
        summary=(
            "Growers, sugar corporations, traders and refiners, NGOs, civil society and "
            "government on working conditions in the Mexican sugar industry."
        ),
        title_es="Taller de sensibilización de la industria del azúcar",
        summary_es=(
            "Productores, corporativos azucareros, comercializadores y refinadores, ONG, "
            "sociedad civil y gobierno sobre las condiciones de trabajo en la industria "
            "azucarera mexicana."
        ),
        venue_notes="Bring photo identification for the building's reception.",
        venue_notes_es="Traiga una identificación con fotografía para la recepción del edificio.",
        certificate_wording="took part in the",
        certificate_wording_es="participó en el",
        sponsors=("The Coca-Cola Company", "Kellogg", "Nestlé", "PepsiCo"),
        agenda=(
            Talk(
                "09:00",
                "09:45",
                "The UN Sustainable Development Goals and business risk",
                organisations=("PwC",),
                title_es="Los Objetivos de Desarrollo Sostenible de la ONU y el riesgo empresarial",
            ),
            Talk(
                "09:45",
                "10:30",
                "Hydration, shade and rest programmes for cane workers",
                organisations=("Ingenio San Antonio",),
                title_es="Programas de hidratación, sombra y descanso para los cortadores de caña",
            ),
            Talk(
                "10:45",
                "11:45",
                "Improving shelters and preventing child labour",
                organisations=("ABC", "World Vision"),
                title_es="Mejores albergues y prevención del trabajo infantil",
            ),
        ),
        workshops=(
            Session(
                "A1",
                "Shelters",
                Pillar.HEALTH_SAFETY,
                "14:00",
                "16:00",
                25,
                "Sala 1",
                title_es="Albergues",
            ),
            Session(
                "A2",
                "Rest, shade and hydration",
                Pillar.HEALTH_SAFETY,
                "14:00",
                "16:00",
                25,
                "Sala 2",
                title_es="Descanso, sombra e hidratación",
            ),
            Session(
                "A3",
                "Child labour",
                Pillar.HUMAN_RIGHTS,
                "14:00",
                "16:00",
                25,
                "Sala 3",
                title_es="Trabajo infantil",
            ),
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
        attended=0,
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
# Supplier names: every stem with every product, and the country's legal form. The grids hold a
# company for every two participants, and no two names are close enough to be taken for one
# company ("Ingenio" and "Ingenio El" would be).
COMPANY_STEMS = {
    "IN": (
        ["Shree", "Agro", "Bharat", "Ganga", "Deccan", "Surya", "Kaveri", "Himalaya", "Narmada",
         "Konkan", "Malabar", "Vindhya"],
        ["Packaging", "Foods", "Spices", "Polymers", "Dairy", "Chemicals", "Agritech", "Textiles",
         "Beverages", "Castings"],
        "Pvt Ltd",
    ),
    "MY": (
        ["Kilang Sawit", "Golden", "Sinar", "Perak", "Borneo", "Selangor", "Johor", "Pahang",
         "Kedah", "Sabah"],
        ["Maju", "Plantations", "Palm Oil", "Refinery", "Cocoa", "Packaging", "Agro", "Rubber"],
        "Sdn Bhd",
    ),
    "MX": (
        ["Ingenio", "Azúcar", "Agroindustrias", "Central", "Cañeros", "Dulces"],
        ["del Pacífico", "San José", "La Gloria", "Veracruz", "Potrero", "Huasteca"],
        "S.A. de C.V.",
    ),
}  # fmt: skip
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


def supplier_names(seed: ForumSeed) -> list[str]:
    """The companies of a forum's participants: one for every two participants (fewer if the
    grid of names is smaller), every stem with every product and the country's legal form."""
    stems, products, legal_form = COMPANY_STEMS[seed.country]
    names = [f"{stem} {product} {legal_form}" for product in products for stem in stems]
    return names[: max(1, seed.participants // 2)]


# Spellings as suppliers type them: the first is a known company written otherwise, two are close
# enough to a known company to be listed under "Possible duplicates" for the secretariat.
DEMO_SPELLINGS = [
    ("KILANG SAWIT MAJU SDN. BHD.", "MY"),
    ("Kilang Sawit Maju Trading Sdn Bhd", "MY"),
    ("Golden Plantation Berhad", "MY"),
    ("Shree Packaging Industries Pvt Ltd", "IN"),
]
