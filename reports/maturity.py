"""The Responsible Sourcing Journey maturity of the companies a forum reached, from the
self-assessments registrants gave (registrations.maturity).

- A company is reached when one of its people attended (attendance.selectors.attendees), and
  is counted once, as it is known today: a company merged into another counts as that one.
- Its stage at a forum is the latest assessment given by one of its people who attended that
  forum (the latest registration with at least one answer); modules left unanswered in that
  assessment count as "not answered".
- How stages moved: for each company assessed at this forum and at an earlier one, each module
  answered both times is compared with the company's latest earlier assessment: improved (a
  later stage), same, or declined.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from attendance.selectors import attendees
from forums.models import Forum, Organisation
from registrations.enums import MaturityStage, RsjModule

FIELDS = [module.field_name for module in RsjModule]


@dataclass(frozen=True)
class ModuleMaturity:
    module: RsjModule
    # Companies at each stage, in the journey's order (MaturityStage), then not answered.
    stages: tuple[tuple[MaturityStage, int], ...]
    not_answered: int


@dataclass(frozen=True)
class Movement:
    module: RsjModule
    improved: int
    same: int
    declined: int


@dataclass(frozen=True)
class ForumMaturity:
    companies: int  # reached at the forum
    assessed: int  # of which gave an assessment
    modules: tuple[ModuleMaturity, ...]
    compared: int  # of which were assessed at an earlier forum too
    movements: tuple[Movement, ...]


def _live_ids() -> dict[int, int]:
    """Merged company id → the id it stands for today (end of its chain of merges)."""
    merged = dict(
        Organisation.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    live = {}
    for pk in merged:
        seen, target = {pk}, merged[pk]
        while target in merged and target not in seen:
            seen.add(target)
            target = merged[target]
        live[pk] = target
    return live


def _answered(row: dict[str, Any]) -> bool:
    return any(row[name] is not None for name in FIELDS)


def _latest_by_company(
    rows: Iterable[dict[str, Any]], live: dict[int, int]
) -> dict[int, dict[str, Any]]:
    """The last answered row of each company (rows in time order)."""
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:
        if _answered(row):
            latest[live.get(row["company_id"], row["company_id"])] = row
    return latest


def forum_maturity(forum: Forum) -> ForumMaturity:
    """The maturity of the companies `forum` reached, and how the stages of those assessed at
    an earlier forum moved (see the module's docstring), in three queries."""
    live = _live_ids()
    rows = list(
        attendees(forum)
        .filter(company__isnull=False)
        .order_by("created_at", "pk")
        .values("company_id", *FIELDS)
    )
    reached = {live.get(row["company_id"], row["company_id"]) for row in rows}
    current = _latest_by_company(rows, live)

    modules = []
    for module in RsjModule:
        values = [row[module.field_name] for row in current.values()]
        modules.append(
            ModuleMaturity(
                module=module,
                stages=tuple((stage, values.count(stage.value)) for stage in MaturityStage),
                not_answered=values.count(None),
            )
        )

    ids = set(current) | {pk for pk, target in live.items() if target in current}
    earlier_rows = (
        attendees()
        .filter(company_id__in=ids, forum__starts_at__lt=forum.starts_at)
        .order_by("forum__starts_at", "created_at", "pk")
        .values("company_id", *FIELDS)
    )
    earlier = _latest_by_company(earlier_rows, live) if ids else {}
    movements = []
    for module in RsjModule:
        counts = {"improved": 0, "same": 0, "declined": 0}
        for company, before in earlier.items():
            old, new = before[module.field_name], current[company][module.field_name]
            if old is None or new is None:
                continue
            counts["improved" if new > old else "declined" if new < old else "same"] += 1
        movements.append(Movement(module=module, **counts))
    return ForumMaturity(
        companies=len(reached),
        assessed=len(current),
        modules=tuple(modules),
        compared=len(earlier),
        movements=tuple(movements),
    )
