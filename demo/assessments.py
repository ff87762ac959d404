"""The demo's self-assessments on the Responsible Sourcing Journey (registrations.maturity).

About three registrants in five answer it. What a company answers depends only on the company
and the day: each company starts the programme's first year at its own stage in each module and
climbs a stage every few years at its own pace, up to Leadership. A company assessed at two
forums has therefore moved forward in the modules where enough time has passed, and stayed where
it was in the others. No randomness changes between runs: every draw is seeded with the
company's name or the registrant's e-mail address."""

import random
from datetime import date
from functools import cache

from registrations.enums import MaturityStage, RsjModule

ASSESSED_SHARE = 0.6
# One in eight assessments leaves the last two modules unanswered.
PARTIAL_SHARE = 0.125
JOURNEY_START = date(2009, 1, 1)
# Where companies stood at the start, from many at the beginning to a few far along.
START_STAGES = [
    MaturityStage.NOT_STARTED,
    MaturityStage.NOT_STARTED,
    MaturityStage.NOT_STARTED,
    MaturityStage.LAUNCHED,
    MaturityStage.LAUNCHED,
    MaturityStage.LAUNCHED,
    MaturityStage.ESTABLISHED,
]
# Years a company takes to climb one stage, per module.
PACES = [4, 5, 6, 8, 10]


@cache
def _journey(company: str) -> tuple[tuple[int, float, float], ...]:
    """(stage at the start, years per stage, years already on the way to the next stage) for
    each module, in the journey's order."""
    rng = random.Random(f"rsj {company}")
    journey = []
    for _ in RsjModule:
        pace = rng.choice(PACES)
        journey.append((rng.choice(START_STAGES), pace, rng.uniform(0, pace)))
    return tuple(journey)


def company_stages(company: str, day: date) -> dict[str, int]:
    """The stage `company` would give in each module on `day`, by Registration field name."""
    years = (day - JOURNEY_START).days / 365.25
    return {
        module.field_name: min(int(MaturityStage.LEADERSHIP), start + int((years + on) / pace))
        for module, (start, pace, on) in zip(RsjModule, _journey(company), strict=True)
    }


def registrant_assessment(email: str, company: str, day: date) -> dict[str, int | None]:
    """The self-assessment a registrant gives when registering for a forum on `day`: empty for
    about two in five (they skipped the questions), else their company's stages, the last two
    modules left unanswered in one in eight."""
    rng = random.Random(f"rsj {email}")
    if rng.random() >= ASSESSED_SHARE:
        return {}
    stages: dict[str, int | None] = dict(company_stages(company, day))
    if rng.random() < PARTIAL_SHARE:
        stages[RsjModule.MONITORING.field_name] = None
        stages[RsjModule.STAKEHOLDERS.field_name] = None
    return stages
