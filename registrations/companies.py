"""Companies as real records: the one place where a typed company name becomes an Organisation.

Every path goes through `companies_resolve_many`: an import resolves its whole list, the
registration form and the admin a list of one (`company_resolve`). The names of a list are
decided one after another, in list order, and each decision (a new company, or a new spelling of
a known one) counts for the names after it, exactly as if each name had been typed on its own
after the ones before it; so a list and its names one by one cannot give different answers.

The database is read before the first decision, in a number of queries that does not grow with
the list: the normalised names in one indexed query per 500 names and, for the names not found
that way, the known spellings sharing a blocking key with them in one indexed query per 500
keys. The cost of a lookup therefore grows with the number of companies sharing a key, not with
the size of the table. A confident match is remembered as an alias; an unsure one creates a new
record and lists the pair for the secretariat."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

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

if TYPE_CHECKING:
    from accounts.models import User

# The lowest score (0-100) of any same-or-unsure pair in the matching tests is 83; candidates
# scoring under 75 on both measures of `prefilter` are not worth a full comparison.
PREFILTER_CUTOFF = 75
DOMAIN_MAX_LENGTH = cast(int, CompanyName._meta.get_field("domain").max_length)  # a CharField's

# A company decided on in this resolution (an Organisation, perhaps not saved yet) or the id of a
# stored one (perhaps merged into another since).
Owner = Organisation | int


class MergeRefused(Exception):
    pass


@dataclass
class Match:
    organisation: Organisation | None
    unsure: list[tuple[Organisation, float, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CompanyEntry:
    name: str
    country: str = ""
    email: str = ""


@dataclass(frozen=True)
class Candidate:
    """A known spelling that shares a blocking key with the name being matched."""

    spelling: str
    domain: str
    owner: Owner


def _live(organisation: Organisation) -> Organisation:
    seen = set()
    while organisation.merged_into_id and organisation.pk not in seen:
        seen.add(organisation.pk)
        organisation = cast(Organisation, organisation.merged_into)  # merged_into_id is set
    return organisation


def _stored_domain(domain: str | None) -> str:
    """The e-mail domain kept with a spelling. A domain may have 253 characters; one that does
    not fit the column is not kept, so it never counts as shared."""
    return domain if domain and len(domain) <= DOMAIN_MAX_LENGTH else ""


def company_name_add(*, organisation: Organisation, name: str, domain: str = "") -> CompanyName:
    """Remember a spelling of a company (and its blocking keys). Idempotent."""
    known, created = CompanyName.objects.get_or_create(
        organisation=organisation,
        name=name,
        defaults={"normalised": normalise_company_name(name), "domain": _stored_domain(domain)},
    )
    if created:
        CompanyKey.objects.bulk_create(_keys_for(known.pk, known.normalised))
    return known


def _keys_for(company_name_id: int, normalised: str) -> list[CompanyKey]:
    return [
        CompanyKey(company_name_id=company_name_id, key=key)
        for key in sorted(blocking_keys(normalised))
    ]


def company_names_add(spellings: list[tuple[Organisation, str, str]]) -> int:
    """Remember many (organisation, spelling, e-mail domain) at once (an import's aliases): a
    query per 500 spellings to skip those already known, then bulk inserts of the new ones and
    their keys. The first domain seen with a spelling is kept. A spelling stored at the same
    moment by another transaction is kept as that one wrote it. Returns how many were new."""
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


def _compare_with(
    name: str, normalised: str, candidates: dict[str, Candidate], domain: str | None
) -> tuple[Owner | None, list[tuple[Owner, float, str]]]:
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
    """Known spellings by blocking key, for these keys only: one indexed query per 500 keys.
    A normalised name stands for the first of its spellings (lowest company, then oldest)."""
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


class _Matcher:
    """What the database knows about a list's names, read once, and the decisions taken so far:
    each decided name is known to the names after it as a stored spelling would be."""

    def __init__(self, normalised_names: list[str]):
        wanted = sorted(set(normalised_names))
        self.owner_of: dict[str, Owner] = {}
        for start in range(0, len(wanted), 500):
            for known in (
                CompanyName.objects.filter(normalised__in=wanted[start : start + 500])
                .select_related("organisation__merged_into")
                .order_by("-organisation_id")
            ):
                self.owner_of[known.normalised] = known.organisation  # the lowest id wins
        self.keys_of = {n: sorted(blocking_keys(n)) for n in wanted if n not in self.owner_of}
        self.by_key = _candidates_sharing(
            sorted({key for keys in self.keys_of.values() for key in keys})
        )

    def decide(
        self, name: str, normalised: str, domain: str | None
    ) -> tuple[Owner | None, list[tuple[Owner, float, str]]]:
        """The company a name is surely, else None and the ones it may be."""
        if normalised in self.owner_of:
            return self.owner_of[normalised], []
        candidates: dict[str, Candidate] = {}
        for key in self.keys_of[normalised]:
            for known, candidate in self.by_key.get(key, {}).items():
                candidates.setdefault(known, candidate)
        return _compare_with(name, normalised, candidates, domain)

    def learn(self, name: str, normalised: str, domain: str, owner: Owner) -> None:
        if normalised in self.owner_of:
            return
        self.owner_of[normalised] = owner
        candidate = Candidate(name, domain, owner)
        for key in self.keys_of[normalised]:
            self.by_key.setdefault(key, {}).setdefault(normalised, candidate)


class _LiveOrganisations:
    """The company each owner stands for today (following merges): one query for the stored
    ones not already at hand."""

    def __init__(self, owners: list[Owner]):
        ids = {owner for owner in owners if isinstance(owner, int)}
        self._stored = Organisation.objects.in_bulk(ids) if ids else {}
        self._live: dict[int, Organisation] = {}

    def __call__(self, owner: Owner) -> Organisation:
        organisation = self._stored[owner] if isinstance(owner, int) else owner
        if organisation.pk not in self._live:
            self._live[organisation.pk] = _live(organisation)
        return self._live[organisation.pk]


def company_find(*, name: str, email: str = "") -> Match:
    """Look a name up without writing anything: what `companies_resolve_many` would decide for
    it, as the first name of a list."""
    name = " ".join(name.split())
    normalised = normalise_company_name(name)
    domain = email_domain(email) if email else None
    owner, unsure = _Matcher([normalised]).decide(name, normalised, domain)
    live = _LiveOrganisations([owner] if owner is not None else [o for o, _, _ in unsure])
    if owner is not None:
        return Match(organisation=live(owner))
    return Match(
        organisation=None, unsure=[(live(other), score, reason) for other, score, reason in unsure]
    )


def companies_resolve_many(
    entries: list[CompanyEntry], *, kind: str = OrganisationKind.SUPPLIER
) -> list[tuple[Organisation, bool]]:
    """The organisation each typed company name refers to, and whether it was created, deciding
    the names in list order as if each were typed alone after the ones before it.

    A name equal to a known one once normalised is that company; else it is compared with the
    known spellings (and the names before it in the list) sharing a blocking key with it. A sure
    match makes it a new spelling (alias) of that company; otherwise a company is created (with
    the entry's country and `kind`) and each unsure candidate is listed as a possible duplicate.
    Names are at most CompanyName.name's length; runs of spaces count as one.

    Writes, in bulk: the new organisations, every spelling not known yet with its e-mail domain
    (free-mail and over-long domains are not kept) and blocking keys, and the possible
    duplicates. Sends nothing. Returns (organisation, created) per entry; `created` is True for
    the first entry of a company created here."""
    names = [" ".join(entry.name.split()) for entry in entries]
    normalised_of = [normalise_company_name(name) for name in names]
    domains = [email_domain(entry.email) if entry.email else None for entry in entries]
    matcher = _Matcher(normalised_of)
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
    live = _LiveOrganisations(
        [owner for owner, _ in decisions] + [o for _, o, _, _ in unsure_pairs]
    )
    company_names_add(
        [
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


def company_resolve(
    *, name: str, country: str = "", email: str = "", kind: str = OrganisationKind.SUPPLIER
) -> tuple[Organisation, bool]:
    """The organisation a typed company name refers to, and whether it was created: a list of
    one for `companies_resolve_many`, which says what is written. Sends nothing."""
    return companies_resolve_many([CompanyEntry(name, country, email)], kind=kind)[0]


def company_for_name(
    *, name: str, country: str = "", email: str = "", kind: str = OrganisationKind.SUPPLIER
) -> Organisation:
    """See company_resolve. Sends nothing."""
    return company_resolve(name=name, country=country, email=email, kind=kind)[0]


@transaction.atomic
def company_merge(
    *, kept: Organisation, merged: Organisation, by: "User | None" = None
) -> CompanyMerge:
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
    chain: list[int] = []
    step: Organisation | None = merge.kept
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
