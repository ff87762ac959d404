import zoneinfo
from datetime import date

from django.core.management import call_command

from forums.models import Forum, Organisation, Person
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop


def _counts():
    return (
        Organisation.objects.count(),
        Forum.objects.count(),
        Workshop.objects.count(),
        Person.objects.count(),
        Registration.objects.count(),
        WorkshopPlace.objects.count(),
    )


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Demo data: created 0 organisations, 0 forums, 0 workshops, 0 people, 0 registrations."
    )


def test_load_demo_has_the_seed_forums_with_local_dates_and_sponsors(db):
    call_command("load_demo")
    expected = {
        "gurgaon-2017": (
            date(2017, 9, 26),
            "Asia/Kolkata",
            ["Reckitt Benckiser", "The Coca-Cola Company", "Unilever"],
            230,
        ),
        "kuala-lumpur-2017": (
            date(2017, 10, 24),
            "Asia/Kuala_Lumpur",
            ["Ferrero", "Nestlé", "PepsiCo", "Unilever"],
            150,
        ),
        "mexico-city-2017": (
            date(2017, 11, 14),
            "America/Mexico_City",
            ["Kellogg", "Nestlé", "PepsiCo", "The Coca-Cola Company"],
            70,
        ),
    }
    for slug, (day, zone, sponsors, participants) in expected.items():
        forum = Forum.objects.get(slug=slug)
        assert forum.starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date() == day
        assert sorted(s.organisation.name for s in forum.sponsorships.all()) == sponsors
        assert forum.registrations.count() == participants
    kl = Forum.objects.get(slug="kuala-lumpur-2017")
    assert sorted(o.name for o in kl.supporters.all()) == ["CSR Asia", "The Consumer Goods Forum"]
    grievance = kl.workshops.get(title="Grievance mechanisms")
    assert sorted(p.full_name for p in grievance.facilitators.all()) == [
        "Khai Yau Chua",
        "Patrick McKeller",
    ]
    upcoming = Forum.objects.get(slug="bangkok-2027")
    assert upcoming.status == "registration_open"
    assert upcoming.registrations.count() == 0


def test_load_demo_forums_only_adds_no_participants(db):
    call_command("load_demo", "--forums-only")
    assert Registration.objects.count() == 0
    assert Forum.objects.count() == 4


def test_load_demo_respects_workshop_seat_limits(db):
    call_command("load_demo")
    for workshop in Workshop.objects.all():
        assert workshop.places.count() <= workshop.seat_limit


def test_load_demo_lists_close_supplier_spellings_for_review(db):
    from companies.models import PossibleDuplicate

    call_command("load_demo")
    pairs = sorted((p.first.name, p.second.name) for p in PossibleDuplicate.objects.all())
    assert pairs == [
        ("Kilang Sawit Maju Sdn Bhd", "Kilang Sawit Maju Trading Sdn Bhd"),
        ("Shree Packaging Pvt Ltd", "Shree Packaging Industries Pvt Ltd"),
    ]
    # The capitalised spelling is the same company, remembered as one of its names.
    ksm = Organisation.objects.get(name="Kilang Sawit Maju Sdn Bhd")
    assert "KILANG SAWIT MAJU SDN. BHD." in set(ksm.known_names.values_list("name", flat=True))
