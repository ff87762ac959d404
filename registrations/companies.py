"""Companies as real records: the one place where a typed company name becomes an Organisation.

Registration, import and the admin all call `company_for_name`. A name is first looked up by its
normalised form (one indexed query); failing that, only the names sharing a blocking key with it
are compared (one more indexed query), so the cost of a lookup grows with the number of
companies sharing a key, not with the size of the table. A confident match is remembered as an
alias; an unsure one creates a new record and lists the pair for the secretariat."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz, process

from forums.enums import OrganisationKind
from forums.models import Organisation, Person
from registrations.models import (
    CompanyKey,
    CompanyMerge,
    CompanyName,
    PossibleDuplicate,
    Registration,
)
from registrations.names import (
    Verdict,
    blocking_keys,
    compare_names,
    email_domain,
    normalise_company_name,
)

# The lowest score (0-100) of any same-or-unsure pair in the matching tests is 83; candidates
# scoring under 75 on both measures of `prefilter` are not worth a full comparison.
PREFILTER_CUTOFF = 75


class MergeRefused(Exception):
    pass


@dataclass
class Match:
    organisation: Organisation | None
    unsure: list[tuple[Organisation, float, str]] = field(default_factory=list)


def _live(organisation: Organisation) -> Organisation:
    seen = set()
    while organisation.merged_into_id and organisation.pk not in seen:
        seen.add(organisation.pk)
        organisation = organisation.merged_into
    return organisation


def company_name_add(*, organisation: Organisation, name: str, domain: str = "") -> CompanyName:
    """Remember a spelling of a company (and its blocking keys). Idempotent."""
    normalised = normalise_company_name(name)
    known, created = CompanyName.objects.get_or_create(
        organisation=organisation,
        name=name,
        defaults={"normalised": normalised, "domain": domain or ""},
    )
    if created:
        CompanyKey.objects.bulk_create(_keys_for(known))
    return known


def _keys_for(company_name: CompanyName) -> list[CompanyKey]:
    return [
        CompanyKey(company_name_id=company_name.pk, key=key[:60])
        for key in sorted(blocking_keys(company_name.normalised))
    ]


def company_names_add(spellings: list[tuple[Organisation, str, str]]) -> int:
    """Remember many (organisation, spelling, e-mail domain) at once (an import's aliases): a
    query per 500 spellings and two bulk inserts. Skips spellings already known; the first
    domain seen with a spelling is kept. Returns how many were new."""
    domain_of: dict[tuple[int, str], str] = {}
    for organisation, name, domain in spellings:
        domain_of.setdefault((organisation.pk, name), domain or "")
    wanted = set(domain_of)
    if not wanted:
        return 0
    known = set()
    names = sorted({name for _, name in wanted})
    for start in range(0, len(names), 500):
        known.update(
            CompanyName.objects.filter(name__in=names[start : start + 500]).values_list(
                "organisation_id", "name"
            )
        )
    new = [
        CompanyName(
            organisation_id=pk,
            name=name,
            normalised=normalise_company_name(name),
            domain=domain_of[(pk, name)],
        )
        for pk, name in sorted(wanted - known)
    ]
    # PostgreSQL and SQLite (3.35+) return the new ids from a bulk insert; the keys need them.
    CompanyName.objects.bulk_create(new, batch_size=500)
    CompanyKey.objects.bulk_create(
        [key for company_name in new for key in _keys_for(company_name)], batch_size=1000
    )
    return len(new)


@dataclass(frozen=True)
class Candidate:
    """A known spelling that shares a blocking key with the name being matched."""

    spelling: str
    domain: str
    owner: object  # an organisation id, or an Organisation not yet saved (batch matching)


def _compare_with(
    name: str, normalised: str, candidates: dict[str, Candidate], domain: str | None
) -> tuple[object | None, list[tuple[object, float, str]]]:
    """The owner of the best SAME candidate (or None) and the UNSURE ones."""
    best = None
    unsure = []
    for known in prefilter(normalised, list(candidates)):
        candidate = candidates[known]
        comparison = compare_names(
            name, candidate.spelling, domain_a=domain, domain_b=candidate.domain or None
        )
        if comparison.verdict == Verdict.SAME:
            if best is None or comparison.score > best[1]:
                best = (candidate.owner, comparison.score)
        elif comparison.verdict == Verdict.UNSURE:
            unsure.append((candidate.owner, comparison.score, comparison.reason))
    return (best[0] if best else None), unsure


def _candidates_sharing(keys: list[str]) -> dict[str, dict[str, Candidate]]:
    """Known spellings by blocking key, for these keys only: one indexed query per 500 keys."""
    by_key: dict[str, dict[str, Candidate]] = {}
    for start in range(0, len(keys), 500):
        for key, known, spelling, domain, organisation_id in (
            CompanyKey.objects.filter(key__in=keys[start : start + 500])
            .values_list(
                "key",
                "company_name__normalised",
                "company_name__name",
                "company_name__domain",
                "company_name__organisation_id",
            )
            .order_by("company_name__organisation_id", "company_name_id")
        ):
            by_key.setdefault(key, {}).setdefault(
                known, Candidate(spelling, domain, organisation_id)
            )
    return by_key


def company_find(*, name: str, email: str = "") -> Match:
    """Look a name up without writing anything: an indexed lookup of the normalised name, else
    the fuzzy comparison of the spellings that share a blocking key with it. A fast C-level
    similarity (rapidfuzz, see `prefilter`) first drops candidates far below anything
    compare_names could call the same or unsure, so compare_names runs on a handful of names."""
    normalised = normalise_company_name(name)
    exact = (
        CompanyName.objects.filter(normalised=normalised)
        .select_related("organisation__merged_into")
        .order_by("organisation_id")
        .first()
    )
    if exact:
        return Match(organisation=_live(exact.organisation))
    candidates: dict[str, Candidate] = {}
    for by_normalised in _candidates_sharing(sorted(blocking_keys(normalised))).values():
        for known, candidate in by_normalised.items():
            candidates.setdefault(known, candidate)
    if not candidates:
        return Match(organisation=None)
    domain = email_domain(email) if email else None
    best, unsure = _compare_with(name, normalised, candidates, domain)
    if best is not None:
        return Match(organisation=_live(Organisation.objects.get(pk=best)))
    organisations = Organisation.objects.in_bulk({pk for pk, _, _ in unsure})
    return Match(
        organisation=None,
        unsure=[(_live(organisations[pk]), score, reason) for pk, score, reason in unsure],
    )


@dataclass(frozen=True)
class CompanyEntry:
    name: str
    country: str = ""
    email: str = ""


def companies_resolve_many(
    entries: list[CompanyEntry], *, kind: str = OrganisationKind.SUPPLIER
) -> list[tuple[Organisation, bool]]:
    """`company_resolve` for a whole list at once (an import), with the same decisions, in a
    number of queries that does not grow with the list: exact matches in one query per 500
    names, candidates in one query per 500 keys, then the comparisons in memory, where the
    companies created earlier in the same list are candidates too. Writes the new companies,
    every spelling and the unsure pairs in bulk. Returns (organisation, created) per entry."""
    normalised_of = [normalise_company_name(entry.name) for entry in entries]
    first_entry: dict[str, CompanyEntry] = {}
    for entry, normalised in zip(entries, normalised_of, strict=True):
        first_entry.setdefault(normalised, entry)

    exact: dict[str, int] = {}
    names = list(first_entry)
    for start in range(0, len(names), 500):
        for normalised, organisation_id in (
            CompanyName.objects.filter(normalised__in=names[start : start + 500])
            .values_list("normalised", "organisation_id")
            .order_by("-organisation_id")
        ):
            exact[normalised] = organisation_id  # the lowest id wins, as in company_find

    pending = [n for n in first_entry if n not in exact]
    keys_of = {n: sorted(blocking_keys(n)) for n in pending}
    index = _candidates_sharing(sorted({k for keys in keys_of.values() for k in keys}))
    owner_of: dict[str, object] = dict(exact)
    created: list[Organisation] = []
    unsure_pairs: list[tuple[Organisation, object, float, str]] = []
    for normalised in pending:
        entry = first_entry[normalised]
        candidates: dict[str, Candidate] = {}
        for key in keys_of[normalised]:
            for known, candidate in index.get(key, {}).items():
                candidates.setdefault(known, candidate)
        domain = email_domain(entry.email) if entry.email else None
        best, unsure = _compare_with(entry.name, normalised, candidates, domain)
        if best is not None:
            owner_of[normalised] = best
            continue
        organisation = Organisation(
            name=" ".join(entry.name.split()), kind=kind, country=entry.country or ""
        )
        created.append(organisation)
        owner_of[normalised] = organisation
        unsure_pairs.extend((organisation, other, score, reason) for other, score, reason in unsure)
        for key in keys_of[normalised]:
            index.setdefault(key, {}).setdefault(
                normalised, Candidate(entry.name, domain or "", organisation)
            )

    Organisation.objects.bulk_create(created, batch_size=500)
    ids = {o if isinstance(o, int) else o.pk for o in owner_of.values()}
    ids.update(o.pk for o, other, _, _ in unsure_pairs)
    live = {pk: _live(o) for pk, o in Organisation.objects.in_bulk(ids).items()}

    def organisation_for(owner) -> Organisation:
        return live[owner if isinstance(owner, int) else owner.pk]

    company_names_add(
        [
            (organisation_for(owner_of[n]), e.name, email_domain(e.email) if e.email else "")
            for e, n in zip(entries, normalised_of, strict=True)
        ]
    )
    pairs = []
    for organisation, other, score, reason in unsure_pairs:
        first, second = sorted([organisation, organisation_for(other)], key=lambda o: o.pk)
        if first.pk != second.pk:
            pairs.append(PossibleDuplicate(first=first, second=second, score=score, reason=reason))
    PossibleDuplicate.objects.bulk_create(pairs, ignore_conflicts=True)

    new_ids = {o.pk for o in created}
    seen_new: set[int] = set()
    results = []
    for normalised in normalised_of:
        organisation = organisation_for(owner_of[normalised])
        is_new = organisation.pk in new_ids and organisation.pk not in seen_new
        seen_new.add(organisation.pk)
        results.append((organisation, is_new))
    return results


def _without_spaces(text: str) -> str:
    return text.replace(" ", "")


def prefilter(normalised: str, choices: list[str]) -> list[str]:
    """The normalised names worth a full comparison: close by token set ("kilang sawit maju"
    within "kilang sawit maju trading") or close once spaces are removed ("agro pack" /
    "agropack"). Runs in rapidfuzz's C code, so thousands of choices cost little."""
    close = {
        match[0]
        for match in process.extract(
            normalised,
            choices,
            scorer=fuzz.token_set_ratio,
            score_cutoff=PREFILTER_CUTOFF,
            limit=None,
        )
    }
    close.update(
        match[0]
        for match in process.extract(
            normalised,
            choices,
            scorer=fuzz.ratio,
            processor=_without_spaces,
            score_cutoff=PREFILTER_CUTOFF,
            limit=None,
        )
    )
    return sorted(close)


def _pair_record(a: Organisation, b: Organisation, score: float, reason: str) -> None:
    if a.pk == b.pk:
        return
    first, second = sorted([a, b], key=lambda o: o.pk)
    PossibleDuplicate.objects.get_or_create(
        first=first, second=second, defaults={"score": score, "reason": reason}
    )


def company_resolve(
    *, name: str, country: str = "", email: str = "", kind: str = OrganisationKind.SUPPLIER
) -> tuple[Organisation, bool]:
    """The organisation a typed company name refers to, and whether it was created. Creates a
    record (with its name and keys) when nothing matches for sure, and lists unsure pairs as
    possible duplicates. Remembers a new spelling of a matched company as an alias."""
    name = " ".join(name.split())
    domain = (email_domain(email) or "") if email else ""
    match = company_find(name=name, email=email)
    if match.organisation is not None:
        company_name_add(organisation=match.organisation, name=name, domain=domain)
        return match.organisation, False
    organisation = Organisation.objects.create(name=name, kind=kind, country=country or "")
    company_name_add(organisation=organisation, name=name, domain=domain)
    for other, score, reason in match.unsure:
        _pair_record(organisation, other, score, reason)
    return organisation, True


def company_for_name(
    *, name: str, country: str = "", email: str = "", kind: str = OrganisationKind.SUPPLIER
) -> Organisation:
    """See company_resolve. Sends nothing."""
    return company_resolve(name=name, country=country, email=email, kind=kind)[0]


@transaction.atomic
def company_merge(*, kept: Organisation, merged: Organisation, by=None) -> CompanyMerge:
    """Merge `merged` into `kept`: its registrations, people and known names move to `kept`,
    so its name matches `kept` from now on; `merged` stays as a record pointing at `kept`.
    Writes an audit entry that `company_merge_undo` reverses. Sends nothing."""
    kept = Organisation.objects.select_for_update().get(pk=kept.pk)
    merged = Organisation.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise MergeRefused("A company cannot be merged into itself.")
    if merged.merged_into_id or kept.merged_into_id:
        raise MergeRefused("One of these companies has already been merged into another.")
    if merged.memberships.exists() or merged.sponsorships.exists():
        raise MergeRefused(
            f"{merged.name} is a member of the association; merge the other way round."
        )
    moved = {
        "registrations": list(merged.registrations.values_list("pk", flat=True)),
        "people": list(merged.people.values_list("pk", flat=True)),
        "names": list(merged.known_names.values_list("pk", flat=True)),
    }
    Registration.objects.filter(pk__in=moved["registrations"]).update(company=kept)
    Person.objects.filter(pk__in=moved["people"]).update(organisation=kept)
    CompanyName.objects.filter(pk__in=moved["names"]).exclude(
        name__in=kept.known_names.values("name")
    ).update(organisation=kept)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    first, second = sorted([kept, merged], key=lambda o: o.pk)
    PossibleDuplicate.objects.filter(first=first, second=second).update(
        status=PossibleDuplicate.Status.MERGED
    )
    return CompanyMerge.objects.create(
        kept=kept, merged=merged, merged_name=merged.name, moved=moved, by=by
    )


@transaction.atomic
def company_merge_undo(*, merge: CompanyMerge) -> CompanyMerge:
    """Reverse a merge: the moved registrations, people and names go back to the merged
    record, which becomes a company of its own again. Refused if already undone."""
    merge = CompanyMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeRefused("This merge has already been undone.")
    merged = merge.merged
    # What the merge moved went to `kept`, and on from there if `kept` was itself merged
    # later: take it back from anywhere along that chain, but not from elsewhere (a record that
    # the undo of another merge has already returned to its own company stays there).
    chain, step = [], merge.kept
    while step is not None and step.pk not in chain:
        chain.append(step.pk)
        step = step.merged_into
    Registration.objects.filter(
        pk__in=merge.moved.get("registrations", []), company_id__in=chain
    ).update(company=merged)
    Person.objects.filter(pk__in=merge.moved.get("people", []), organisation_id__in=chain).update(
        organisation=merged
    )
    CompanyName.objects.filter(
        pk__in=merge.moved.get("names", []), organisation_id__in=chain
    ).update(organisation=merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    first, second = sorted([merge.kept, merged], key=lambda o: o.pk)
    PossibleDuplicate.objects.filter(first=first, second=second).update(
        status=PossibleDuplicate.Status.OPEN
    )
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    return merge


@transaction.atomic
def company_rename(*, organisation: Organisation, name: str) -> Organisation:
    """Rename a company; the old name stays known so that it still matches."""
    name = " ".join(name.split())
    if not name:
        raise MergeRefused("A company needs a name.")
    company_name_add(organisation=organisation, name=organisation.name)
    organisation.name = name
    organisation.save(update_fields=["name"])
    company_name_add(organisation=organisation, name=name)
    return organisation
