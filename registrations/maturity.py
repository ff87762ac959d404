"""The short self-assessment on the Responsible Sourcing Journey that a registrant may answer:
for each module, the stage their company has reached. The one-line descriptions are the
journey's own, first line of each stage in its overview."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from forums.enums import Pillar
from registrations.enums import MaturityStage, RsjModule
from workshops.models import Workshop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from registrations.models import Registration

M, S = RsjModule, MaturityStage

STAGE_DESCRIPTIONS: dict[tuple[str, int], "StrOrPromise"] = {
    (M.SETTING_TONE, S.NOT_STARTED): _("We have no responsible sourcing policy yet."),
    (M.SETTING_TONE, S.LAUNCHED): _(
        "We have a responsible sourcing policy and/or code of conduct setting minimum "
        "expectations for our suppliers."
    ),
    (M.SETTING_TONE, S.ESTABLISHED): _(
        "We have a responsible sourcing policy that integrates the UN Guiding Principles and "
        "has been communicated externally."
    ),
    (M.SETTING_TONE, S.INTEGRATED): _(
        "Our responsible sourcing approach is linked to the Sustainable Development Goals."
    ),
    (M.SETTING_TONE, S.LEADERSHIP): _(
        "We have a strategy to contribute to the Sustainable Development Goals by integrating "
        "sustainability measurements and/or goals across the value chain."
    ),
    (M.DUE_DILIGENCE, S.NOT_STARTED): _("We have not yet assessed the risks in our supply chain."),
    (M.DUE_DILIGENCE, S.LAUNCHED): _(
        "We have visibility of Tier 1 vendors. We have defined assessment processes."
    ),
    (M.DUE_DILIGENCE, S.ESTABLISHED): _(
        "We have identified the most salient human rights issues in our supply chain and are "
        "providing remediation."
    ),
    (M.DUE_DILIGENCE, S.INTEGRATED): _(
        "We have visibility of our highest risk supply chains all the way back to raw materials."
    ),
    (M.DUE_DILIGENCE, S.LEADERSHIP): _(
        "We have full traceability on the high impact/high risk supply chains."
    ),
    (M.MONITORING, S.NOT_STARTED): _("We do not yet report on our programme."),
    (M.MONITORING, S.LAUNCHED): _(
        "We are reporting regularly on the basic activities of our program to relevant "
        "functions internally."
    ),
    (M.MONITORING, S.ESTABLISHED): _("We monitor activities, outputs and outcomes."),
    (M.MONITORING, S.INTEGRATED): _("We monitor activities and impacts."),
    (M.MONITORING, S.LEADERSHIP): _(
        "We work with an independent third party to monitor all significant impacts, whether "
        "positive or negative, related to our business activities and business relationships."
    ),
    (M.STAKEHOLDERS, S.NOT_STARTED): _("We do not yet engage our suppliers on these topics."),
    (M.STAKEHOLDERS, S.LAUNCHED): _("We engage with our Tier 1 suppliers."),
    (M.STAKEHOLDERS, S.ESTABLISHED): _("We are engaged with suppliers beyond Tier 1."),
    (M.STAKEHOLDERS, S.INTEGRATED): _(
        "We engage with external stakeholders to define SDG priorities."
    ),
    (M.STAKEHOLDERS, S.LEADERSHIP): _(
        "We are collaborating widely with governments, suppliers, civil society organizations "
        "and industry peers."
    ),
}

# The workshops that help most in each module, by pillar: the policy and governance of the
# first module are business integrity; due diligence and remedy are about workers' rights and
# safety; monitoring covers impacts on people and the environment; engaging stakeholders is
# worker voice and the multi-stakeholder work on land and environment.
MODULE_PILLARS: dict[str, tuple[str, ...]] = {
    M.SETTING_TONE: (Pillar.BUSINESS_INTEGRITY,),
    M.DUE_DILIGENCE: (Pillar.HUMAN_RIGHTS, Pillar.HEALTH_SAFETY),
    M.MONITORING: (Pillar.HEALTH_SAFETY, Pillar.ENVIRONMENT),
    M.STAKEHOLDERS: (Pillar.HUMAN_RIGHTS, Pillar.ENVIRONMENT),
}


def weakest_module(stages: dict[str, int | None]) -> str | None:
    """The module at the lowest stage among those answered (the first in the journey's order
    on a tie), or None if nothing was answered or every answer is Leadership."""
    answered = [(stage, list(RsjModule).index(RsjModule(m)), m) for m, stage in stages.items()
                if stage is not None]  # fmt: skip
    if not answered:
        return None
    stage, _index, module = min(answered)
    return None if stage == MaturityStage.LEADERSHIP else module


def registration_stages(registration: "Registration") -> dict[str, int | None]:
    """The registration's self-assessment, stage by module (None where not answered)."""
    return {module.value: getattr(registration, module.field_name) for module in RsjModule}


def suggested_workshops(registration: "Registration") -> list["Workshop"]:
    """The forum's workshops under the pillars of the registrant's weakest module (see
    MODULE_PILLARS), in programme order; none without an answer below Leadership."""
    module = weakest_module(registration_stages(registration))
    if module is None:
        return []
    return list(
        Workshop.objects.filter(forum_id=registration.forum_id, pillar__in=MODULE_PILLARS[module])
    )
