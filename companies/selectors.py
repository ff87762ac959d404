"""Reads for company matching: which known company a typed name is, without writing anything.

`Matcher` reads what the database knows about a list of names once, in a number of queries that
does not grow with the list: the normalised names in one indexed query per 500 names and, for the
names not found that way, the known spellings sharing a blocking key with them in one indexed
query per 500 keys. The cost of a lookup therefore grows with the number of companies sharing a
key, not with the size of the table. `companies.services.company_resolve_many` decides a list's
names with it, one after another; `company_find` asks it about one name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from rapidfuzz import fuzz, process

from companies.models import CompanyKey, CompanyName
from companies.names import (
    Verdict,
    blocking_keys,
    compare_names,
    email_domain,
    normalise_company_name,
)
from forums.models import Organisation

# The lowest score (0-100) of any same-or-unsure pair in the matching tests is 83; candidates
# scoring under 75 on both measures of `prefilter` are not worth a full comparison.
PREFILTER_CUTOFF = 75

# A company decided on in this resolution (an Organisation, perhaps not saved yet) or the id of a
# stored one (perhaps merged into another since).
Owner = Organisation | int
Unsure = list[tuple[Owner, float, str]]


@dataclass
class Match:
    organisation: Organisation | None
    unsure: list[tuple[Organisation, float, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """A known spelling that shares a blocking key with the name being matched."""

    spelling: str
    domain: str
    owner: Owner


def live_organisation(organisation: Organisation) -> Organisation:
    """The record `organisation` stands for today: the end of its chain of merges."""
    seen = set()
    while organisation.merged_into_id and organisation.pk not in seen:
        seen.add(organisation.pk)
        organisation = cast(Organisation, organisation.merged_into)  # merged_into_id is set
    return organisation


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


def _compare_with(
    name: str, normalised: str, candidates: dict[str, Candidate], domain: str | None
) -> tuple[Owner | None, Unsure]:
    """The owner of the best SAME candidate (or None) and the UNSURE ones."""
    best: tuple[Owner, float] | None = None
    unsure: Unsure = []
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


class Matcher:
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

    def decide(self, name: str, normalised: str, domain: str | None) -> tuple[Owner | None, Unsure]:
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


class LiveOrganisations:
    """The company each owner stands for today (following merges): one query for the stored
    ones not already at hand."""

    def __init__(self, owners: list[Owner]):
        ids = {owner for owner in owners if isinstance(owner, int)}
        self._stored = Organisation.objects.in_bulk(ids) if ids else {}
        self._live: dict[int, Organisation] = {}

    def __call__(self, owner: Owner) -> Organisation:
        organisation = self._stored[owner] if isinstance(owner, int) else owner
        if organisation.pk not in self._live:
            self._live[organisation.pk] = live_organisation(organisation)
        return self._live[organisation.pk]


def company_find(*, name: str, email: str = "") -> Match:
    """Look a name up without writing anything: what `company_resolve_many` would decide for
    it, as the first name of a list."""
    name = " ".join(name.split())
    normalised = normalise_company_name(name)
    domain = email_domain(email) if email else None
    owner, unsure = Matcher([normalised]).decide(name, normalised, domain)
    live = LiveOrganisations([owner] if owner is not None else [o for o, _, _ in unsure])
    if owner is not None:
        return Match(organisation=live(owner))
    return Match(
        organisation=None, unsure=[(live(other), score, reason) for other, score, reason in unsure]
    )
