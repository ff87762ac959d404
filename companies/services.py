"""Companies as real records: the one place where a typed company name becomes an Organisation,
and where records found to be one company are merged (and the merge undone).

Every path goes through `company_resolve_many`: an import resolves its whole list, the
registration form and the admin a list of one (`company_resolve`). The names of a list are
decided one after another, in list order, and each decision (a new company, or a new spelling of
a known one) counts for the names after it, exactly as if each name had been typed on its own
after the ones before it; so a list and its names one by one cannot give different answers.
The database is read before the first decision (see companies.selectors.Matcher). A confident
match is remembered as an alias; an unsure one creates a new record and lists the pair for the
secretariat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db import models, transaction
from django.utils import timezone

from audit.services import Actor, audit_record
from companies.models import CompanyKey, CompanyMerge, CompanyName, PossibleDuplicate
from companies.names import blocking_keys, email_domain, normalise_company_name
from companies.references import CompanyRelation, Handling, company_relations
from companies.selectors import LiveOrganisations, Matcher, Owner
from forums.enums import OrganisationKind
from forums.models import Organisation

if TYPE_CHECKING:
    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User

DOMAIN_MAX_LENGTH = cast(int, CompanyName._meta.get_field("domain").max_length)  # a CharField's


class MergeRefused(Exception):
    pass


@dataclass(frozen=True)
class CompanyEntry:
    name: str
    country: str = ""
    email: str = ""


def _stored_domain(domain: str | None) -> str:
    """The e-mail domain kept with a spelling. A domain may have 253 characters; one that does
    not fit the column is not kept, so it never counts as shared."""
    return domain if domain and len(domain) <= DOMAIN_MAX_LENGTH else ""


def _keys_for(company_name_id: int, normalised: str) -> list[CompanyKey]:
    return [
        CompanyKey(company_name_id=company_name_id, key=key)
        for key in sorted(blocking_keys(normalised))
    ]


def company_name_add(*, organisation: Organisation, name: str, domain: str = "") -> CompanyName:
    """Remember a spelling of a company. Idempotent.

    Writes the CompanyName (with the domain, if it fits) and its CompanyKeys when the spelling
    is new. Sends nothing."""
    known, created = CompanyName.objects.get_or_create(
        organisation=organisation,
        name=name,
        defaults={"normalised": normalise_company_name(name), "domain": _stored_domain(domain)},
    )
    if created:
        CompanyKey.objects.bulk_create(_keys_for(known.pk, known.normalised))
    return known


def company_names_add(*, spellings: list[tuple[Organisation, str, str]]) -> int:
    """Remember many (organisation, spelling, e-mail domain) at once (an import's aliases).

    Reads a query per 500 spellings to skip those already known, then bulk-inserts the new
    CompanyNames and their CompanyKeys. The first domain seen with a spelling is kept. A
    spelling stored at the same moment by another transaction is kept as that one wrote it.
    Sends nothing. Returns how many were new."""
    domain_of: dict[tuple[int, str], str] = {}
    for organisation, name, domain in spellings:
        domain_of.setdefault((organisation.pk, name), _stored_domain(domain))
    if not domain_of:
        return 0
    names = sorted({name for _, name in domain_of})
    known: set[tuple[int, str]] = set()
    for start in range(0, len(names), 500):
        known.update(
            CompanyName.objects.filter(name__in=names[start : start + 500]).values_list(
                "organisation_id", "name"
            )
        )
    new = sorted(set(domain_of) - known)
    if not new:
        return 0
    CompanyName.objects.bulk_create(
        [
            CompanyName(
                organisation_id=pk,
                name=name,
                normalised=normalise_company_name(name),
                domain=domain_of[(pk, name)],
            )
            for pk, name in new
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    wanted = set(new)
    new_names = sorted({name for _, name in new})
    keys = []
    for start in range(0, len(new_names), 500):
        for pk, organisation_id, name, normalised in CompanyName.objects.filter(
            name__in=new_names[start : start + 500]
        ).values_list("pk", "organisation_id", "name", "normalised"):
            if (organisation_id, name) in wanted:
                keys += _keys_for(pk, normalised)
    CompanyKey.objects.bulk_create(keys, batch_size=1000, ignore_conflicts=True)
    return len(new)


def company_resolve_many(
    *, entries: list[CompanyEntry], kind: str = OrganisationKind.SUPPLIER
) -> list[tuple[Organisation, bool]]:
    """The organisation each typed company name refers to, and whether it was created, deciding
    the names in list order as if each were typed alone after the ones before it.

    A name equal to a known one once normalised is that company; else it is compared with the
    known spellings (and the names before it in the list) sharing a blocking key with it. A sure
    match makes it a new spelling (alias) of that company; otherwise a company is created (with
    the entry's country and `kind`) and each unsure candidate is listed as a possible duplicate.
    Names are at most CompanyName.name's length; runs of spaces count as one.

    Writes, in bulk: the new Organisations, every spelling not known yet with its e-mail domain
    (free-mail and over-long domains are not kept) and blocking keys, and the PossibleDuplicates.
    Sends nothing. Returns (organisation, created) per entry; `created` is True for the first
    entry of a company created here."""
    names = [" ".join(entry.name.split()) for entry in entries]
    normalised_of = [normalise_company_name(name) for name in names]
    domains = [email_domain(entry.email) if entry.email else None for entry in entries]
    matcher = Matcher(normalised_of)
    decisions: list[tuple[Owner, bool]] = []
    created: list[Organisation] = []
    unsure_pairs: list[tuple[Organisation, Owner, float, str]] = []
    for entry, name, normalised, domain in zip(entries, names, normalised_of, domains, strict=True):
        owner, unsure = matcher.decide(name, normalised, domain)
        if owner is None:
            owner = Organisation(name=name, kind=kind, country=entry.country or "")
            created.append(owner)
            unsure_pairs += [(owner, other, score, reason) for other, score, reason in unsure]
            decisions.append((owner, True))
        else:
            decisions.append((owner, False))
        matcher.learn(name, normalised, _stored_domain(domain), owner)

    Organisation.objects.bulk_create(created, batch_size=500)
    live = LiveOrganisations([owner for owner, _ in decisions] + [o for _, o, _, _ in unsure_pairs])
    company_names_add(
        spellings=[
            (live(owner), name, _stored_domain(domain))
            for (owner, _), name, domain in zip(decisions, names, domains, strict=True)
        ]
    )
    pairs: dict[tuple[int, int], PossibleDuplicate] = {}
    for organisation, other, score, reason in unsure_pairs:
        first, second = sorted([organisation, live(other)], key=lambda o: o.pk)
        if first.pk != second.pk:
            pairs.setdefault(
                (first.pk, second.pk),
                PossibleDuplicate(first=first, second=second, score=score, reason=reason),
            )
    PossibleDuplicate.objects.bulk_create(pairs.values(), ignore_conflicts=True)
    return [(live(owner), is_new) for owner, is_new in decisions]


def company_resolve(
    *, name: str, country: str = "", email: str = "", kind: str = OrganisationKind.SUPPLIER
) -> tuple[Organisation, bool]:
    """The organisation a typed company name refers to, and whether it was created: a list of
    one for `company_resolve_many`, which says what is written. Sends nothing."""
    entry = CompanyEntry(name, country, email)
    return company_resolve_many(entries=[entry], kind=kind)[0]


def company_for_name(
    *, name: str, country: str = "", email: str = "", kind: str = OrganisationKind.SUPPLIER
) -> Organisation:
    """See company_resolve. Sends nothing."""
    return company_resolve(name=name, country=country, email=email, kind=kind)[0]


def _move(relation: CompanyRelation, rows: models.QuerySet, *, to: Organisation) -> list[int]:
    """Point `rows` of `relation` at `to`, but those `to` already has; their primary keys."""
    pks = sorted(relation.movable(rows, to=to.pk).values_list("pk", flat=True))
    if pks:
        relation.model._base_manager.filter(pk__in=pks).update(**{relation.field: to})
    return pks


@transaction.atomic
def company_merge(
    *, kept: Organisation, merged: Organisation, by: User | None = None
) -> CompanyMerge:
    """Merge `merged` into `kept`: from now on the two are one company, `kept`.

    Refused (MergeRefused, nothing written) for a record merged into itself, a record already
    merged, or when `merged` has rows of a relation declared REFUSE (a member of the
    association). Locks both Organisation rows. Moves to `kept` every row of every other
    relation to the company record (companies.references: registrations, people, users, known
    names, forums supported, workshops led, agenda items presented, ...) but those `kept`
    already has, so `merged`'s names match `kept` from now on; sets `merged.merged_into`; marks
    the pair's PossibleDuplicate merged; writes a CompanyMerge recording `by` and what moved,
    which `company_merge_undo` reverses, and an audit entry on `kept`. Sends nothing."""
    kept = Organisation.objects.select_for_update().get(pk=kept.pk)
    merged = Organisation.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise MergeRefused("A company cannot be merged into itself.")
    if merged.merged_into_id or kept.merged_into_id:
        raise MergeRefused("One of these companies has already been merged into another.")
    relations = company_relations()
    for relation in relations:
        if relation.handling == Handling.REFUSE and relation.rows([merged.pk]).exists():
            raise MergeRefused(relation.reason.format(name=merged.name))
    moved = {}
    for relation in relations:
        if relation.handling == Handling.MOVE:
            pks = _move(relation, relation.rows([merged.pk]), to=kept)
            if pks:
                moved[relation.label] = pks
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    first, second = sorted([kept, merged], key=lambda o: o.pk)
    PossibleDuplicate.objects.filter(first=first, second=second).update(
        status=PossibleDuplicate.Status.MERGED
    )
    merge = CompanyMerge.objects.create(
        kept=kept, merged=merged, merged_name=merged.name, moved=moved, by=by
    )
    audit_record(
        by=Actor.of(by) if by is not None else Actor.system(),
        action="company.merged",
        subject=kept,
        data={"merged": merged.name, "merged_id": merged.pk, "moved": moved},
    )
    return merge


@transaction.atomic
def company_merge_undo(*, merge: CompanyMerge, by: Actor | None = None) -> CompanyMerge:
    """Reverse a merge: the merged record becomes a company of its own again.

    Refused (MergeRefused) if already undone. Moves every row the merge moved back to the
    merged record, from `kept` or from a record `kept` was merged into later, but not from
    elsewhere (a row that the undo of another merge has already returned stays there, and so
    does one the merged record has meanwhile been given again); clears `merged_into`; reopens
    the pair's PossibleDuplicate; sets the CompanyMerge's `undone_at`; records the undo in the
    audit log (on the kept record). Sends nothing."""
    merge = CompanyMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeRefused("This merge has already been undone.")
    merged = merge.merged
    chain: list[int] = []
    step: Organisation | None = merge.kept
    while step is not None and step.pk not in chain:
        chain.append(step.pk)
        step = step.merged_into
    for relation in company_relations():
        pks = merge.moved.get(relation.label)
        if pks:
            _move(relation, relation.rows(chain).filter(pk__in=pks), to=merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    first, second = sorted([merge.kept, merged], key=lambda o: o.pk)
    PossibleDuplicate.objects.filter(first=first, second=second).update(
        status=PossibleDuplicate.Status.OPEN
    )
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    audit_record(
        by=by or Actor.system(),
        action="company.merge_undone",
        subject=merge.kept,
        data={"merged": merge.merged_name, "merged_id": merge.merged_id},
    )
    return merge


@transaction.atomic
def company_rename(*, organisation: Organisation, name: str) -> Organisation:
    """Rename a company; the old name stays known so that it still matches.

    Refused (MergeRefused) for a name of only spaces. Writes a CompanyName for the old name and
    for the new one (runs of spaces count as one) if not known yet, and the Organisation's
    name. Sends nothing."""
    name = " ".join(name.split())
    if not name:
        raise MergeRefused("A company needs a name.")
    company_name_add(organisation=organisation, name=organisation.name)
    organisation.name = name
    organisation.save(update_fields=["name"])
    company_name_add(organisation=organisation, name=name)
    return organisation


def company_duplicates_dismiss(*, pairs: models.QuerySet[PossibleDuplicate]) -> int:
    """Mark `pairs` as different companies: their status becomes DISMISSED. Sends nothing.
    Returns how many pairs were marked."""
    return pairs.update(status=PossibleDuplicate.Status.DISMISSED)
