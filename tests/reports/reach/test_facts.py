"""The reach facts follow every change that bears on the reach, in the change's own
transaction: after each change below, the facts kept up to date equal the facts rebuilt from
scratch, and the reach moved by exactly what the change means (conftest.py's history)."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import ProtectedError

from attendance.models import CheckIn
from attendance.services import (
    checkin_perform,
    checkin_undo,
    checkins_import,
    forum_mark_held,
    forum_unmark_held,
)
from audit.services import Actor
from companies.models import CompanyMerge
from companies.services import company_merge, company_merge_undo
from forums.enums import ForumStatus
from registrations.models import Registration
from registrations.signals import ListedAttendance
from reports.models import ReachFact
from reports.selectors import reach_totals
from reports.services import reach_facts_rebuild

FIELDS = ("kind", "entity", "dimension", "group", "first_forum_id", "first_at", "second_at")


def kept():
    return sorted(ReachFact.objects.values_list(*FIELDS))


def assert_facts_true():
    """The facts as kept equal the facts computed from scratch."""
    before = kept()
    reach_facts_rebuild()
    assert before == kept()


def figures():
    reach = reach_totals()
    return reach.forums, reach.companies, reach.people


def test_the_history_is_kept_from_the_start(history):
    assert ReachFact.objects.count() > 0
    assert_facts_true()
    assert figures() == (3, 4, 4)


def test_a_scan_at_the_door_and_its_undo(history):
    forums, _, people = history
    raj_at_kl = Registration.objects.get(person=people["raj"], forum=forums["kl"])
    # Scanned on the forum's day: check-in is open then only.
    with time_machine.travel(forums["kl"].starts_at + timedelta(hours=1)):
        result = checkin_perform(
            code=raj_at_kl.checkin_code,
            forum=forums["kl"],
            workshop=None,
            nonce="n-1",
            by=Actor.system(),
        )
    assert result.checkin is not None
    assert_facts_true()
    # Raj (Tata) was reached at Gurgaon already: no new person or company, but Kuala Lumpur
    # now has Tata as a returning company.
    assert figures() == (3, 4, 4)
    kl = next(f for f in reach_totals().per_forum if f.slug == "kl")
    assert (kl.people, kl.companies, kl.new_companies, kl.returning_companies) == (3, 3, 1, 2)
    checkin_undo(checkin=result.checkin, by=Actor.system())
    assert_facts_true()
    kl = next(f for f in reach_totals().per_forum if f.slug == "kl")
    assert (kl.people, kl.companies) == (2, 2)


def test_an_imported_list_and_a_later_no(history):
    forums, _, people = history
    raj_at_kl = Registration.objects.get(person=people["raj"], forum=forums["kl"])
    checkins_import(
        forum=forums["kl"],
        listed=[ListedAttendance(registration=raj_at_kl, attended=True)],
        by=Actor.system(),
    )
    assert_facts_true()
    assert next(f for f in reach_totals().per_forum if f.slug == "kl").people == 3
    siti_at_gurgaon = Registration.objects.get(person=people["siti"], forum=forums["gurgaon"])
    checkins_import(
        forum=forums["gurgaon"],
        listed=[ListedAttendance(registration=siti_at_gurgaon, attended=False)],
        by=Actor.system(),
    )
    assert_facts_true()
    gurgaon = next(f for f in reach_totals().per_forum if f.slug == "gurgaon")
    assert (gurgaon.people, gurgaon.companies) == (1, 1)
    # Kilang was new at Gurgaon; now it is first reached at Kuala Lumpur, beside Dup, while
    # Tata (Raj, at Gurgaon) returns.
    kl = next(f for f in reach_totals().per_forum if f.slug == "kl")
    assert (kl.new_companies, kl.returning_companies) == (2, 1)


def test_editing_an_attended_registration(history):
    forums, companies, people = history
    ana = Registration.objects.get(person=people["ana"])
    ana.category = "trader"
    ana.company = companies["tata"]
    ana.save()
    assert_facts_true()
    reach = reach_totals()
    assert {f.key: f.people for f in reach.by_category}.get("ngo") is None
    assert {f.key: f.people for f in reach.by_category}["trader"] == 1
    # Ingenio is no longer reached; Tata is, in Mexico too.
    assert (reach.companies, {f.key: f.companies for f in reach.by_country}["MX"]) == (3, 1)
    ana.save(update_fields=["job_title"])  # no field the reach reads: nothing to do
    assert_facts_true()


def test_a_merge_and_its_undo(history):
    _, companies, _ = history
    company_merge(kept=companies["kilang"], merged=companies["dup"])
    assert_facts_true()
    assert figures() == (3, 3, 4)
    company_merge_undo(merge=CompanyMerge.objects.get(), by=Actor.system())
    assert_facts_true()
    assert figures() == (3, 4, 4)


def test_a_record_marked_merged_without_moving_its_registrations(history):
    _, companies, _ = history
    companies["dup"].merged_into = companies["kilang"]
    companies["dup"].save()
    assert_facts_true()
    assert figures() == (3, 3, 4)
    companies["dup"].merged_into = None
    companies["dup"].save(update_fields=["merged_into"])
    assert_facts_true()
    assert figures() == (3, 4, 4)


def test_marking_a_forum_held_and_back(history):
    forums, _, _ = history
    future = forums["future"]
    future.starts_at = forums["mexico"].starts_at + timedelta(days=30)
    future.ends_at = future.starts_at + timedelta(hours=8)
    future.status = ForumStatus.REGISTRATION_CLOSED
    future.save()
    forum_mark_held(forum=future, by=Actor.system())
    assert_facts_true()
    # "later" (Kilang) now counts: one more person, Kilang already reached.
    assert figures() == (4, 4, 5)
    forum_unmark_held(forum=future, by=Actor.system())
    assert_facts_true()
    assert figures() == (3, 4, 4)


def test_moving_a_forum_changes_its_year(history):
    forums, _, _ = history
    forums["mexico"].starts_at = forums["mexico"].starts_at.replace(year=2018)
    forums["mexico"].ends_at = forums["mexico"].ends_at.replace(year=2018)
    forums["mexico"].save()
    assert_facts_true()
    by_year = {f.key: (f.forums, f.companies, f.people) for f in reach_totals().by_year}
    assert by_year == {"2016": (1, 2, 2), "2017": (1, 2, 2), "2018": (1, 1, 1)}


def test_deleting_a_registration(history):
    # An attended registration cannot be deleted (its check-ins protect it); another can.
    forums, _, people = history
    with pytest.raises(ProtectedError):
        Registration.objects.get(person=people["ahmad"]).delete()
    Registration.objects.get(person=people["raj"], forum=forums["kl"]).delete()
    assert_facts_true()
    assert figures() == (3, 4, 4)


def test_a_workshop_check_in_counts_for_its_pillar(history):
    forums, _, people = history
    siti_at_kl = Registration.objects.get(person=people["siti"], forum=forums["kl"])
    workshop = forums["kl"].workshops.create(
        code="A1",
        title="Labour",
        pillar="human_rights",
        starts_at=forums["kl"].starts_at,
        ends_at=forums["kl"].ends_at,
        seat_limit=10,
    )
    CheckIn.objects.create(
        registration=siti_at_kl,
        workshop=workshop,
        checked_in_at=forums["kl"].starts_at,
        nonce="w-1",
        source="import",
    )
    assert_facts_true()
    assert {f.key: (f.forums, f.companies, f.people) for f in reach_totals().by_pillar} == {
        "environment": (1, 1, 1),
        "human_rights": (1, 1, 1),
    }


@pytest.mark.django_db(transaction=True)
def test_rebuild_from_nothing(history):
    facts = kept()
    ReachFact.objects.all().delete()
    assert figures() == (3, 0, 0)
    assert reach_facts_rebuild() == len(facts)
    assert kept() == facts


def test_a_workshop_given_another_pillar(history):
    forums, _, _ = history
    workshop = forums["mexico"].workshops.get(code="B1")
    workshop.pillar = "business_integrity"
    workshop.save()
    assert_facts_true()
    assert {f.key: (f.forums, f.companies, f.people) for f in reach_totals().by_pillar} == {
        "business_integrity": (1, 1, 1)
    }


def test_a_sponsorship_moved_to_another_member(history, make_member):
    forums, _, _ = history
    sponsorship = forums["mexico"].sponsorships.get()
    sponsorship.organisation = make_member(name="Unilever")
    sponsorship.save()
    assert_facts_true()
    assert {f.key: (f.forums, f.companies, f.people) for f in reach_totals().by_sponsor} == {
        "Unilever": (1, 1, 1)
    }


def test_an_imported_list_marks_a_past_forum_held(history):
    forums, companies, people = history
    past = forums["future"]
    past.starts_at = forums["mexico"].starts_at + timedelta(days=30)
    past.ends_at = past.starts_at + timedelta(hours=8)
    past.status = ForumStatus.REGISTRATION_CLOSED
    past.save()
    raj = Registration.objects.create(forum=past, person=people["raj"], company=companies["tata"])
    checkins_import(
        forum=past, listed=[ListedAttendance(registration=raj, attended=True)], by=Actor.system()
    )
    past.refresh_from_db()
    assert past.status == ForumStatus.HELD
    assert_facts_true()
    # "later" (checked in there before) and Raj now count; both companies were reached before.
    assert figures() == (4, 4, 5)
    per_forum = {f.slug: (f.people, f.companies, f.new_companies) for f in reach_totals().per_forum}
    assert per_forum["future"] == (2, 2, 0)
