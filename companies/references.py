"""What a merge does with each relation that points at a company record (an Organisation).

The relations are read from the model graph, not listed by hand: every ForeignKey to
Organisation on any installed model, and every many-to-many to it (through the ForeignKey of its
table). A merge moves the merged record's rows of each relation to the kept record, and its undo
moves them back, unless the relation is declared otherwise:

* REFUSE: the merge is refused while the merged record has such a row (a member of the
  association is not merged into a supplier's record; merge the other way round);
* KEEP: the rows stay with the merged record, because they are about that record rather than the
  company (the merge chain itself, the pairs the secretariat reviewed, the merge log).

So a model added later that points at a company is merged with the rest without anyone having
to list it; an app that wants otherwise calls `declare_company_relation` from its
AppConfig.ready(). The system check `companies.E001` reports a declaration that names no
relation, and tests/companies/test_references.py pins the whole table.

A row is not moved when the record it would move to already has the same one (a unique
constraint over the foreign key and other columns: a spelling both records know, a forum both
support); it stays where it is."""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef

from forums.models import Organisation


class Handling(enum.StrEnum):
    MOVE = "move"
    REFUSE = "refuse"
    KEEP = "keep"


@dataclass(frozen=True)
class CompanyRelation:
    """One relation to the company record: `model.field` is a ForeignKey to Organisation (for a
    many-to-many, `model` is its table)."""

    label: str  # "registrations.Registration.company", or "forums.Forum.supporters"
    model: type[models.Model]
    field: str
    handling: Handling
    reason: str = ""  # for REFUSE, the message; "{name}" stands for the merged record's name

    def rows(self, organisation_ids: Iterable[int]) -> models.QuerySet:
        return self.model._base_manager.filter(**{f"{self.field}__in": list(organisation_ids)})

    def movable(self, rows: models.QuerySet, *, to: int) -> models.QuerySet:
        """`rows` without those the record `to` already has (by a unique constraint over this
        foreign key): those cannot move."""
        for others in _unique_with(self.model, self.field):
            same = self.model._base_manager.filter(
                **{self.field: to}, **{name: OuterRef(name) for name in others}
            )
            rows = rows.exclude(Exists(same))
        return rows


_declared: dict[str, tuple[Handling, str]] = {}


def declare_company_relation(label: str, handling: Handling, reason: str) -> None:
    """Say that the relation `label` ("app_label.Model.field") is not moved by a merge, and why.
    Call it from an AppConfig.ready()."""
    if handling == Handling.MOVE:
        raise ValueError("Relations are moved unless declared otherwise; declare REFUSE or KEEP.")
    _declared[label] = (handling, reason)
    _installed_relations.cache_clear()


def declared_labels() -> set[str]:
    return set(_declared)


def _unique_with(model: type[models.Model], field: str) -> list[tuple[str, ...]]:
    """For each unique constraint over `field`, its other columns."""
    sets = [tuple(names) for names in model._meta.unique_together]
    sets += [tuple(c.fields) for c in model._meta.total_unique_constraints]
    column = model._meta.get_field(field)
    if isinstance(column, models.Field) and column.unique:
        sets.append((field,))
    return [tuple(name for name in names if name != field) for names in sets if field in names]


def _label(model: type[models.Model], field: models.Field) -> str:
    """ "app_label.Model.field"; for the table of a many-to-many, the many-to-many's own name."""
    # The stubs say bool; for the table of a many-to-many it is the model that declares it.
    source: type[models.Model] | bool = model._meta.auto_created
    if isinstance(source, type):
        for m2m in source._meta.local_many_to_many:
            if m2m.remote_field.through is model:
                return f"{source._meta.label}.{m2m.name}"
    return f"{model._meta.label}.{field.name}"


def company_relations(
    installed: Iterable[type[models.Model]] | None = None,
) -> list[CompanyRelation]:
    """Every relation to Organisation among `installed` models (default: all installed models
    and many-to-many tables), with what a merge does with it, ordered by label."""
    if installed is None:
        return list(_installed_relations())
    found = []
    for model in installed:
        if model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is Organisation:
                label = _label(model, field)
                handling, reason = _declared.get(label, (Handling.MOVE, ""))
                found.append(CompanyRelation(label, model, field.name, handling, reason))
    return sorted(found, key=lambda relation: relation.label)


@functools.cache
def _installed_relations() -> tuple[CompanyRelation, ...]:
    return tuple(company_relations(apps.get_models(include_auto_created=True)))


# Forums' relations and this app's own: companies knows both, forums knows neither.
MEMBER_REFUSAL = "{name} is a member of the association; merge the other way round."

declare_company_relation("forums.Membership.organisation", Handling.REFUSE, MEMBER_REFUSAL)
declare_company_relation("forums.Sponsorship.organisation", Handling.REFUSE, MEMBER_REFUSAL)
declare_company_relation(
    "forums.Organisation.merged_into",
    Handling.KEEP,
    "the merge chain itself: records merged into this one earlier reach the kept record through it",
)
for _field in ("first", "second"):
    declare_company_relation(
        f"companies.PossibleDuplicate.{_field}",
        Handling.KEEP,
        "a pair names the two records that were compared; its status says it was merged",
    )
for _field in ("kept", "merged"):
    declare_company_relation(
        f"companies.CompanyMerge.{_field}", Handling.KEEP, "the merge log names both records"
    )
