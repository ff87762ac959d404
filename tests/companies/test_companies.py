from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from attendance.selectors import attended_forum
from companies.models import CompanyKey, CompanyMerge, CompanyName, PossibleDuplicate
from companies.names import normalise_company_name
from companies.services import (
    MergeRefused,
    company_for_name,
    company_merge,
    company_merge_undo,
    company_rename,
)
from forums.models import Organisation, Person
from registrations.enums import RegistrationSource, RegistrationStatus
from registrations.models import Registration


@pytest.fixture
def past_forum(make_forum):
    return make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")


@pytest.fixture
def unsure_pair(db):
    """Two records, one possible duplicate: 'Kilang Sawit Maju' / '... Trading'."""
    kept = company_for_name(name="Kilang Sawit Maju", country="MY")
    merged = company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    return kept, merged


@pytest.fixture
def merged_with_data(unsure_pair, past_forum, make_person):
    kept, merged = unsure_pair
    person = make_person(email="aminah@ksmtrading.example", organisation=merged)
    registration = Registration.objects.create(
        forum=past_forum,
        person=person,
        company=merged,
        status=RegistrationStatus.CONFIRMED,
        source=RegistrationSource.IMPORT,
    )
    CheckIn.objects.create(
        registration=registration,
        checked_in_at=past_forum.starts_at,
        nonce=f"migrated-{registration.pk}",
        source=CheckInSource.IMPORT,
    )
    return kept, merged, person, registration


def _snapshot():
    return {
        "registrations": sorted(Registration.objects.values_list("pk", "company_id")),
        "people": sorted(Person.objects.values_list("pk", "organisation_id")),
        "names": sorted(CompanyName.objects.values_list("pk", "organisation_id", "name")),
        "keys": sorted(CompanyKey.objects.values_list("pk", "company_name_id", "key")),
        "organisations": sorted(Organisation.objects.values_list("pk", "name", "merged_into_id")),
        "pairs": sorted(PossibleDuplicate.objects.values_list("first_id", "second_id", "status")),
        "checkins": sorted(CheckIn.objects.values_list("pk", "registration_id", "undone_at")),
    }


# --- matching -----------------------------------------------------------------------------------


def test_company_for_name_spellings_of_one_company_give_one_record(db):
    first = company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")
    second = company_for_name(name="KILANG SAWIT MAJU SDN. BHD.", country="MY")
    third = company_for_name(name="Kilang Sawit Maju", country="MY")

    assert second == first
    assert third == first
    assert Organisation.objects.count() == 1
    assert PossibleDuplicate.objects.count() == 0


def test_company_for_name_different_companies_give_two_records(db):
    hope = company_for_name(name="Golden Hope Plantations Berhad", country="MY")
    harvest = company_for_name(name="Golden Harvest Plantations Berhad", country="MY")

    assert hope != harvest
    assert Organisation.objects.count() == 2
    assert PossibleDuplicate.objects.count() == 0


def test_company_for_name_typo_matches_existing_company(db):
    hope = company_for_name(name="Golden Hope Plantations Berhad", country="MY")
    company_for_name(name="Golden Harvest Plantations Berhad", country="MY")

    typo = company_for_name(name="Golden Hope Platnations Bhd", country="MY")

    assert typo == hope
    assert Organisation.objects.count() == 2


def test_company_for_name_unsure_pair_gives_two_records_and_one_possible_duplicate(db):
    first = company_for_name(name="Kilang Sawit Maju", country="MY")
    second = company_for_name(name="Kilang Sawit Maju Trading", country="MY")

    assert first != second
    assert Organisation.objects.count() == 2
    pair = PossibleDuplicate.objects.get()
    assert (pair.first, pair.second) == (first, second)
    assert pair.status == PossibleDuplicate.Status.OPEN
    assert pair.reason == "one name has extra words: 'trading'"


def test_company_for_name_unsure_pair_is_listed_once_when_seen_again(db):
    company_for_name(name="Kilang Sawit Maju", country="MY")
    company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    company_for_name(name="Kilang Sawit Maju Trading", country="MY")

    assert Organisation.objects.count() == 2
    assert PossibleDuplicate.objects.count() == 1


def test_company_for_name_new_spelling_is_stored_as_alias(db):
    company = company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")
    company_for_name(name="KILANG SAWIT MAJU SDN. BHD.", country="MY")

    names = sorted(CompanyName.objects.filter(organisation=company).values_list("name", flat=True))
    assert names == ["KILANG SAWIT MAJU SDN. BHD.", "Kilang Sawit Maju Sdn Bhd"]
    assert CompanyName.objects.count() == 2


def test_company_for_name_same_spelling_twice_stores_one_name(db):
    company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")
    company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")

    assert CompanyName.objects.count() == 1


@pytest.mark.parametrize("companies", [1, 3])
def test_company_for_name_exact_spelling_query_count_is_constant(db, companies):
    names = ["Golden Hope Plantations Berhad", "Golden Agri Resources", "Golden Palm Oil Mills"]
    for name in names[:companies]:
        company_for_name(name=name, country="MY")
    expected = Organisation.objects.get(name="Golden Hope Plantations Berhad")

    with CaptureQueriesContext(connection) as queries:
        found = company_for_name(name="Golden Hope Plantations Berhad", country="MY")

    assert found == expected
    assert len(queries) == 2


# --- merge and undo -----------------------------------------------------------------------------


def test_company_merge_moves_registrations_people_and_names(merged_with_data, secretariat_user):
    kept, merged, person, registration = merged_with_data
    merged_name_pks = sorted(merged.known_names.values_list("pk", flat=True))

    merge = company_merge(kept=kept, merged=merged, by=secretariat_user)

    registration.refresh_from_db()
    person.refresh_from_db()
    merged.refresh_from_db()
    assert registration.company == kept
    # The registration keeps its attendance, which now counts for the kept company.
    assert attended_forum(registration) is True
    assert person.organisation == kept
    assert sorted(kept.known_names.values_list("name", flat=True)) == [
        "Kilang Sawit Maju",
        "Kilang Sawit Maju Trading",
    ]
    assert merged.known_names.count() == 0
    assert merged.merged_into == kept
    assert merge.kept == kept
    assert merge.merged == merged
    assert merge.merged_name == "Kilang Sawit Maju Trading"
    assert merge.by == secretariat_user
    assert merge.undone_at is None
    assert merge.moved == {
        "registrations.Registration.company": [registration.pk],
        "forums.Person.organisation": [person.pk],
        "companies.CompanyName.organisation": merged_name_pks,
    }
    assert CompanyMerge.objects.count() == 1
    assert PossibleDuplicate.objects.get().status == PossibleDuplicate.Status.MERGED


def test_company_merge_merged_name_then_matches_kept(unsure_pair):
    kept, merged = unsure_pair
    company_merge(kept=kept, merged=merged)

    assert company_for_name(name="Kilang Sawit Maju Trading", country="MY") == kept
    assert company_for_name(name="KILANG SAWIT MAJU TRADING SDN BHD", country="MY") == kept
    assert Organisation.objects.count() == 2
    assert PossibleDuplicate.objects.count() == 1


def test_company_merge_undo_restores_everything(merged_with_data):
    kept, merged, person, registration = merged_with_data
    before = _snapshot()
    merge = company_merge(kept=kept, merged=merged)

    undone = company_merge_undo(merge=merge)

    assert _snapshot() == before
    assert undone.undone_at is not None
    merge.refresh_from_db()
    assert merge.undone_at == undone.undone_at
    assert company_for_name(name="Kilang Sawit Maju Trading", country="MY") == merged


def test_company_merge_undo_twice_is_refused(merged_with_data):
    kept, merged, _, _ = merged_with_data
    merge = company_merge(kept=kept, merged=merged)
    company_merge_undo(merge=merge)
    after_first_undo = _snapshot()

    with pytest.raises(MergeRefused) as refused:
        company_merge_undo(merge=merge)

    assert str(refused.value) == "This merge has already been undone."
    assert _snapshot() == after_first_undo


def test_company_merge_member_with_sponsorships_is_refused(
    make_forum, make_member, sponsor, make_organisation
):
    forum = make_forum()
    member = make_member(name="Nestlé")
    sponsor(forum, member)
    supplier = make_organisation(name="Nestle Suppliers")
    before = _snapshot()

    with pytest.raises(MergeRefused) as refused:
        company_merge(kept=supplier, merged=member)

    assert str(refused.value) == (
        "Nestlé is a member of the association; merge the other way round."
    )
    assert _snapshot() == before
    assert CompanyMerge.objects.count() == 0


def test_company_merge_into_itself_is_refused(unsure_pair):
    kept, _ = unsure_pair

    with pytest.raises(MergeRefused) as refused:
        company_merge(kept=kept, merged=kept)

    assert str(refused.value) == "A company cannot be merged into itself."


def test_company_merge_already_merged_is_refused(unsure_pair):
    kept, merged = unsure_pair
    company_merge(kept=kept, merged=merged)

    with pytest.raises(MergeRefused) as refused:
        company_merge(kept=kept, merged=merged)

    assert str(refused.value) == "One of these companies has already been merged into another."
    assert CompanyMerge.objects.count() == 1


def test_company_rename_old_name_still_matches(db):
    company = company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")

    company_rename(organisation=company, name="  KSM   Palm Oil Mills ")

    company.refresh_from_db()
    assert company.name == "KSM Palm Oil Mills"
    assert company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY") == company
    assert company_for_name(name="KSM Palm Oil Mills Sdn Bhd", country="MY") == company
    assert Organisation.objects.count() == 1


def test_company_rename_to_empty_name_is_refused(db):
    company = company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")

    with pytest.raises(MergeRefused) as refused:
        company_rename(organisation=company, name="   ")

    assert str(refused.value) == "A company needs a name."
    company.refresh_from_db()
    assert company.name == "Kilang Sawit Maju Sdn Bhd"


# --- admin --------------------------------------------------------------------------------------


def test_admin_merge_button_as_secretariat_merges(client, secretariat_user, merged_with_data):
    kept, merged, person, registration = merged_with_data
    pair = PossibleDuplicate.objects.get()
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"]),
        {"keep": "first"},  # the pressed button's name and value
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:companies_possibleduplicate_changelist")
    merge = CompanyMerge.objects.get()
    assert (merge.kept, merge.merged, merge.by) == (kept, merged, secretariat_user)
    registration.refresh_from_db()
    assert registration.company == kept
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicate.Status.MERGED


def test_admin_merge_button_keep_second_merges_first(client, secretariat_user, unsure_pair):
    first, second = unsure_pair
    pair = PossibleDuplicate.objects.get()
    client.force_login(secretariat_user)

    client.post(
        reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "second"]),
        {"keep": "second"},
    )

    merge = CompanyMerge.objects.get()
    assert (merge.kept, merge.merged) == (second, first)


def test_admin_merge_button_get_does_not_merge(client, secretariat_user, unsure_pair):
    pair = PossibleDuplicate.objects.get()
    client.force_login(secretariat_user)

    response = client.get(
        reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"])
    )

    assert response.status_code == 302
    assert CompanyMerge.objects.count() == 0


def test_admin_merge_button_as_non_staff_is_refused(client, users, merged_with_data):
    pair = PossibleDuplicate.objects.get()
    client.force_login(users["supplier"])
    before = _snapshot()

    response = client.post(
        reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"])
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert CompanyMerge.objects.count() == 0
    assert _snapshot() == before


def test_admin_merge_button_anonymous_is_refused(client, unsure_pair):
    pair = PossibleDuplicate.objects.get()

    response = client.post(
        reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"])
    )

    assert response.status_code == 302
    assert CompanyMerge.objects.count() == 0


def test_admin_possible_duplicate_changelist_shows_merge_buttons(
    client, secretariat_user, unsure_pair
):
    pair = PossibleDuplicate.objects.get()
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:companies_possibleduplicate_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    url = reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"])
    assert url in content
    assert "Keep “Kilang Sawit Maju Trading”" in content


def test_admin_company_merge_undo_action_undoes(client, secretariat_user, merged_with_data):
    kept, merged, _, _ = merged_with_data
    before = _snapshot()
    merge = company_merge(kept=kept, merged=merged, by=secretariat_user)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:companies_companymerge_changelist"),
        {"action": "undo", "_selected_action": [merge.pk]},
    )

    assert response.status_code == 302
    assert _snapshot() == before
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_admin_company_merge_undo_action_twice_reports_error(
    client, secretariat_user, merged_with_data
):
    kept, merged, _, _ = merged_with_data
    merge = company_merge(kept=kept, merged=merged)
    company_merge_undo(merge=merge)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:companies_companymerge_changelist"),
        {"action": "undo", "_selected_action": [merge.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"{merge}: This merge has already been undone."]


def test_company_merge_undo_out_of_order_keeps_each_record_with_its_company(
    merged_with_data, make_organisation
):
    kept, merged, person, registration = merged_with_data
    before = _snapshot()
    third = make_organisation(name="Sawit Holdings")
    first_merge = company_merge(kept=kept, merged=merged)
    second_merge = company_merge(kept=third, merged=kept)

    company_merge_undo(merge=first_merge)
    company_merge_undo(merge=second_merge)

    registration.refresh_from_db()
    person.refresh_from_db()
    assert registration.company == merged
    assert person.organisation == merged
    assert {k: v for k, v in _snapshot().items() if k != "organisations"} == {
        k: v for k, v in before.items() if k != "organisations"
    }


def test_admin_rename_keeps_other_changes_and_old_name_matches(client, secretariat_user):
    company = company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")
    client.force_login(secretariat_user)
    response = client.post(
        reverse("admin:forums_organisation_change", args=[company.pk]),
        {
            "name": "KSM Palm Oil Berhad",
            "kind": "supplier",
            "country": "ID",
            "website": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.country.code) == ("KSM Palm Oil Berhad", "ID")
    assert company_for_name(name="KILANG SAWIT MAJU SDN. BHD.") == company
    assert company_for_name(name="KSM Palm Oil Bhd") == company


def test_company_resolve_many_remembers_each_spelling_with_its_domain(db):
    from companies.services import CompanyEntry, company_resolve_many

    results = company_resolve_many(
        entries=[
            CompanyEntry("Kilang Sawit Maju Sdn Bhd", "MY", "siti@ksm.com.my"),
            CompanyEntry("KILANG SAWIT MAJU SDN. BHD.", "MY", "ahmad@gmail.com"),
            CompanyEntry("Golden Hope Plantations Berhad", "MY", "budi@goldenhope.my"),
            CompanyEntry("Golden Harvest Plantations Berhad", "MY", "ana@goldenharvest.my"),
        ]
    )
    assert [created for _, created in results] == [True, False, True, True]
    assert results[0][0] == results[1][0]
    assert results[2][0] != results[3][0]
    assert sorted(CompanyName.objects.values_list("name", "domain")) == [
        ("Golden Harvest Plantations Berhad", "goldenharvest.my"),
        ("Golden Hope Plantations Berhad", "goldenhope.my"),
        ("KILANG SAWIT MAJU SDN. BHD.", ""),  # free-mail: no domain
        ("Kilang Sawit Maju Sdn Bhd", "ksm.com.my"),
    ]


def test_company_resolve_many_unsure_about_an_existing_company_lists_the_pair(db):
    from companies.services import CompanyEntry, company_resolve_many

    existing = company_for_name(name="Shree Packaging Pvt Ltd", country="IN")

    [(company, created)] = company_resolve_many(
        entries=[CompanyEntry("Shree Packaging Exports", "IN")]
    )

    assert created is True
    assert company != existing
    assert company.name == "Shree Packaging Exports"
    pair = PossibleDuplicate.objects.get()
    assert (pair.first, pair.second, pair.reason) == (
        existing,
        company,
        "one name has extra words: 'exports'",
    )


LONG_DOMAIN = ("x" * 60 + ".") * 3 + "y" * 50 + ".example"


@pytest.mark.parametrize(
    "name",
    ["😀" * 23, "中国食品包装有限公司" * 6, "\ufdfa" * 8, "\ufdfa" * 200],
    ids=["23 emoji", "60 CJK", "8 U+FDFA", "200 U+FDFA"],
)
def test_company_for_name_long_transliteration_is_stored_and_matched_again(db, name):
    first = company_for_name(name=name, email=f"ana@{LONG_DOMAIN}")
    second = company_for_name(name=name, email=f"ana@{LONG_DOMAIN}")

    assert second == first
    assert first.name == name
    known = CompanyName.objects.get()
    assert (known.name, known.normalised, known.domain) == (name, normalise_company_name(name), "")
    assert len(known.normalised) <= 200
    assert max(len(key) for key in known.keys.values_list("key", flat=True)) <= 14


def test_company_for_name_long_e_mail_domain_is_not_stored_but_accepted(db):
    company_for_name(name="Kilang Sawit Maju", email=f"ana@{LONG_DOMAIN}")

    assert len(LONG_DOMAIN) == 241
    assert CompanyName.objects.get().domain == ""
