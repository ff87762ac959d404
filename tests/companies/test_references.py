"""Every relation to the company record is either moved by a merge (and back by its undo) or
declared as not moved, with a reason: none can be left behind, including one added later."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core import checks
from django.db import connection, models
from django.test.utils import isolate_apps

from accounts.models import User
from companies import references
from companies.models import CompanyMerge, CompanyName
from companies.references import Handling, company_relations, declare_company_relation
from companies.services import company_for_name, company_merge, company_merge_undo
from forums.models import AgendaItem, Forum, Organisation
from registrations.models import Registration
from workshops.models import Workshop

# What a merge does with each relation to the company record. A relation added to any model
# appears here only once someone has looked at it: a new one is moved unless declared otherwise
# (companies.references), and this table says which it is.
EXPECTED = {
    "accounts.User.organisation": Handling.MOVE,
    "companies.CompanyMerge.kept": Handling.KEEP,
    "companies.CompanyMerge.merged": Handling.KEEP,
    "companies.CompanyName.organisation": Handling.MOVE,
    "companies.PossibleDuplicate.first": Handling.KEEP,
    "companies.PossibleDuplicate.second": Handling.KEEP,
    "forums.AgendaItem.presenting_organisations": Handling.MOVE,
    "forums.Forum.supporters": Handling.MOVE,
    "forums.Membership.organisation": Handling.REFUSE,
    "forums.Organisation.merged_into": Handling.KEEP,
    "forums.Person.organisation": Handling.MOVE,
    "forums.Sponsorship.organisation": Handling.REFUSE,
    "registrations.Registration.company": Handling.MOVE,
    "workshops.Workshop.led_by": Handling.MOVE,
}


def relations_seen_from_the_company() -> set[str]:
    """Every relation to Organisation, found from Organisation's side of the model graph (its
    reverse relations and its own many-to-many fields), independently of companies.references."""
    labels = set()
    for field in Organisation._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete:  # a relation pointing here
            if field.related_model._meta.auto_created:
                continue  # a many-to-many's table: the many-to-many stands for it
            labels.add(f"{field.related_model._meta.label}.{field.field.name}")
        elif field.many_to_many or (field.is_relation and field.related_model is Organisation):
            labels.add(f"{field.model._meta.label}.{field.name}")
    return labels


def test_company_relations_cover_every_relation_to_the_company_record():
    assert {relation.label for relation in company_relations()} == relations_seen_from_the_company()


def test_company_relations_table_says_what_a_merge_does_with_each():
    assert {relation.label: relation.handling for relation in company_relations()} == EXPECTED


def test_company_relations_refusals_and_keeps_give_a_reason():
    reasons = {r.label: r.reason for r in company_relations() if r.handling != Handling.MOVE}
    assert reasons["forums.Sponsorship.organisation"] == (
        "{name} is a member of the association; merge the other way round."
    )
    assert sorted(label for label, reason in reasons.items() if not reason) == []


@isolate_apps("companies")
def test_company_relations_a_relation_added_later_is_seen_and_moved():
    class Pin(models.Model):  # noqa: DJ008 (a throwaway model)
        organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "companies"

    class Board(models.Model):  # noqa: DJ008 (a throwaway model)
        members = models.ManyToManyField(Organisation, related_name="+")

        class Meta:
            app_label = "companies"

    added = Pin._meta.apps.get_models(include_auto_created=True)
    relations = company_relations([*apps.get_models(include_auto_created=True), *added])
    table = {relation.label: relation.handling for relation in relations}

    # The table above no longer matches: the new relations must be looked at...
    assert {label: table[label] for label in set(table) - set(EXPECTED)} == {
        "companies.Pin.organisation": Handling.MOVE,
        "companies.Board.members": Handling.MOVE,
    }
    # ... and meanwhile a merge moves them with the rest.
    board = next(r for r in relations if r.label == "companies.Board.members")
    assert (board.model, board.field) == (Board.members.through, "organisation")


# --- merging every relation -------------------------------------------------------------------


@pytest.fixture
def forum(make_forum):
    return make_forum(slug="kl-2036", day=date(2036, 3, 11))


def relation_rows() -> dict[str, list[tuple[int, int]]]:
    """(row, company) of every row of every relation a merge moves."""
    return {
        relation.label: sorted(
            relation.model._base_manager.values_list("pk", relation.field + "_id")
        )
        for relation in company_relations()
        if relation.handling == Handling.MOVE
    }


@pytest.fixture
def held_everywhere(forum, make_person):
    """A record with a row in every relation a merge moves, and a record it is a duplicate of."""
    kept = company_for_name(name="Kilang Sawit Maju", country="MY")
    merged = company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    forum.supporters.add(merged)
    workshop = Workshop.objects.create(
        forum=forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        starts_at=forum.starts_at,
        ends_at=forum.starts_at + timedelta(hours=1),
        seat_limit=20,
    )
    workshop.led_by.add(merged)
    item = AgendaItem.objects.create(forum=forum, starts_at=forum.starts_at, title="Welcome")
    item.presenting_organisations.add(merged)
    user = User.objects.create_user(email="aminah@ksmtrading.example", organisation=merged)
    person = make_person(email="aminah@ksmtrading.example", organisation=merged)
    Registration.objects.create(forum=forum, person=person, company=merged)
    return kept, merged, workshop, item, user


def test_company_merge_moves_supporters_workshops_led_talks_and_users(held_everywhere, forum):
    kept, merged, workshop, item, user = held_everywhere
    through = {
        label: m2m.through.objects.get(organisation=merged).pk
        for label, m2m in [
            ("forums.Forum.supporters", Forum.supporters),
            ("workshops.Workshop.led_by", Workshop.led_by),
            ("forums.AgendaItem.presenting_organisations", AgendaItem.presenting_organisations),
        ]
    }

    merge = company_merge(kept=kept, merged=merged)

    user.refresh_from_db()
    assert list(forum.supporters.all()) == [kept]
    assert list(workshop.led_by.all()) == [kept]
    assert list(item.presenting_organisations.all()) == [kept]
    assert user.organisation == kept
    assert {label: pks for label, pks in merge.moved.items() if label in through} == {
        label: [pk] for label, pk in through.items()
    }
    assert merge.moved["accounts.User.organisation"] == [user.pk]
    assert sorted(merge.moved) == sorted(
        label for label, handling in EXPECTED.items() if handling == Handling.MOVE
    )


def test_company_merge_undo_restores_every_relation(held_everywhere):
    kept, merged, *_ = held_everywhere
    before = relation_rows()

    merge = company_merge(kept=kept, merged=merged)
    assert relation_rows() != before
    company_merge_undo(merge=merge)

    assert relation_rows() == before


def test_company_merge_row_the_kept_record_already_has_stays_with_the_merged_one(
    held_everywhere, forum
):
    kept, merged, workshop, *_ = held_everywhere
    forum.supporters.add(kept)
    before = relation_rows()

    merge = company_merge(kept=kept, merged=merged)

    assert sorted(forum.supporters.values_list("name", flat=True)) == [
        "Kilang Sawit Maju",
        "Kilang Sawit Maju Trading",
    ]
    assert "forums.Forum.supporters" not in merge.moved
    assert list(workshop.led_by.all()) == [kept]
    company_merge_undo(merge=merge)
    assert relation_rows() == before


def test_company_merge_undo_out_of_order_restores_every_relation(held_everywhere):
    kept, merged, *_ = held_everywhere
    third = company_for_name(name="Sawit Holdings", country="MY")
    before = relation_rows()
    first_merge = company_merge(kept=kept, merged=merged)
    second_merge = company_merge(kept=third, merged=kept)

    company_merge_undo(merge=first_merge)
    company_merge_undo(merge=second_merge)

    assert relation_rows() == before


@pytest.mark.django_db(transaction=True)
def test_company_merge_moves_a_relation_of_a_model_added_later(monkeypatch):
    """A model no code in companies knows, with a table of its own, is merged and unmerged."""
    with isolate_apps("companies"):

        class Pin(models.Model):  # noqa: DJ008 (a throwaway model)
            organisation = models.ForeignKey(
                Organisation, on_delete=models.CASCADE, related_name="+"
            )

            class Meta:
                app_label = "companies"

    installed = [*apps.get_models(include_auto_created=True), Pin]
    monkeypatch.setattr(
        "companies.services.company_relations", lambda: company_relations(installed)
    )
    with connection.schema_editor() as editor:
        editor.create_model(Pin)
    try:
        kept = company_for_name(name="Kilang Sawit Maju", country="MY")
        merged = company_for_name(name="Kilang Sawit Maju Trading", country="MY")
        pin = Pin.objects.create(organisation=merged)

        merge = company_merge(kept=kept, merged=merged)
        pin.refresh_from_db()
        assert (pin.organisation, merge.moved["companies.Pin.organisation"]) == (kept, [pin.pk])

        company_merge_undo(merge=merge)
        pin.refresh_from_db()
        assert pin.organisation == merged
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Pin)


# --- declarations -------------------------------------------------------------------------------


def test_declare_company_relation_that_names_nothing_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(references, "_declared", dict(references._declared))
    declare_company_relation("forums.Person.employer", Handling.KEEP, "renamed since")
    try:
        errors = checks.run_checks(tags=[checks.Tags.models])
    finally:
        references._installed_relations.cache_clear()

    assert [(e.id, e.msg) for e in errors if e.id.startswith("companies.")] == [
        (
            "companies.E001",
            "forums.Person.employer is declared as a company relation that merges do not "
            "move, but no such relation to forums.Organisation exists.",
        )
    ]


def test_declare_company_relation_as_moved_is_refused():
    with pytest.raises(ValueError) as refused:
        declare_company_relation("forums.Person.organisation", Handling.MOVE, "")

    assert str(refused.value) == (
        "Relations are moved unless declared otherwise; declare REFUSE or KEEP."
    )


def test_company_relations_of_the_installed_models_pass_the_system_check():
    errors = checks.run_checks(tags=[checks.Tags.models])
    assert [e.id for e in errors if e.id.startswith("companies.")] == []


# --- merges recorded before relations were named -----------------------------------------------


def test_merge_recorded_with_the_old_names_is_undone_after_the_upgrade(db, make_person):
    import importlib

    migration = importlib.import_module("companies.migrations.0002_companymerge_moved_by_relation")
    kept = company_for_name(name="Kilang Sawit Maju", country="MY")
    merged = company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    person = make_person(email="aminah@ksmtrading.example", organisation=merged)
    merge = company_merge(kept=kept, merged=merged)
    name = CompanyName.objects.get(name="Kilang Sawit Maju Trading")
    CompanyMerge.objects.filter(pk=merge.pk).update(
        moved={"registrations": [], "people": [person.pk], "names": [name.pk]}
    )

    migration.forwards(apps, None)

    merge.refresh_from_db()
    assert merge.moved == {
        "forums.Person.organisation": [person.pk],
        "companies.CompanyName.organisation": [name.pk],
    }
    company_merge_undo(merge=merge)
    person.refresh_from_db()
    name.refresh_from_db()
    assert (person.organisation, name.organisation) == (merged, merged)
