"""The default survey, in English and Spanish, that every forum's survey starts from. The
secretariat then edits the copy per forum (admin: Feedback › Surveys); this template itself
only changes with the code.

The question keys name the answers in imports and exports, and the results read them:
`helpful`, `overall`, `recommend`, `workshop`, `facilitator`, `workshop_comment`, `change`,
`topics`, `comments`."""

from dataclasses import dataclass, field
from typing import Any

from feedback.enums import QuestionKind, QuestionScope
from forums.enums import Pillar
from forums.models import Forum
from workshops.models import Workshop

Kind = QuestionKind
Scope = QuestionScope

SECTION_FORUM = ("About the forum", "Sobre el foro")
SECTION_WORKSHOPS = ("Your workshops", "Sus talleres")
SECTION_NEXT = ("Looking ahead", "De cara al futuro")

# The Spanish names of the pillars, for the topics question (stored in the survey, so that they
# do not depend on the language of whoever creates it).
PILLARS_ES = {
    Pillar.HUMAN_RIGHTS: "Derechos humanos y normas laborales",
    Pillar.HEALTH_SAFETY: "Salud y seguridad",
    Pillar.ENVIRONMENT: "Medio ambiente",
    Pillar.BUSINESS_INTEGRITY: "Integridad empresarial",
}
PILLARS_EN = {
    Pillar.HUMAN_RIGHTS: "Human rights and labour standards",
    Pillar.HEALTH_SAFETY: "Health and safety",
    Pillar.ENVIRONMENT: "Environment",
    Pillar.BUSINESS_INTEGRITY: "Business integrity",
}


@dataclass(frozen=True)
class QuestionTemplate:
    key: str
    kind: str
    text_en: str
    text_es: str
    section: tuple[str, str]
    scope: str = Scope.FORUM
    required: bool = False
    # Filled in per forum for the topics question.
    choices: list[dict[str, str]] = field(default_factory=list)


TEMPLATE: list[QuestionTemplate] = [
    QuestionTemplate(
        "helpful",
        Kind.YES_NO,
        "Was this event helpful for your work?",
        "¿Le resultó útil este evento para su trabajo?",
        SECTION_FORUM,
        required=True,
    ),
    QuestionTemplate(
        "overall",
        Kind.RATING,
        "How would you rate the forum overall?",
        "¿Cómo valora el foro en general?",
        SECTION_FORUM,
        required=True,
    ),
    QuestionTemplate(
        "recommend",
        Kind.RECOMMEND,
        "How likely are you to recommend this forum to a colleague?",
        "¿Qué probabilidad hay de que recomiende este foro a un colega?",
        SECTION_FORUM,
        required=True,
    ),
    QuestionTemplate(
        "workshop",
        Kind.RATING,
        "How would you rate this workshop?",
        "¿Cómo valora este taller?",
        SECTION_WORKSHOPS,
        scope=Scope.WORKSHOP,
    ),
    QuestionTemplate(
        "facilitator",
        Kind.RATING,
        "How would you rate this facilitator?",
        "¿Cómo valora a este facilitador?",
        SECTION_WORKSHOPS,
        scope=Scope.FACILITATOR,
    ),
    QuestionTemplate(
        "workshop_comment",
        Kind.TEXT,
        "Any comment on this workshop?",
        "¿Algún comentario sobre este taller?",
        SECTION_WORKSHOPS,
        scope=Scope.WORKSHOP,
    ),
    QuestionTemplate(
        "change",
        Kind.TEXT,
        "What will you do differently after today?",
        "¿Qué hará de forma diferente después de hoy?",
        SECTION_NEXT,
    ),
    QuestionTemplate(
        "topics",
        Kind.MULTIPLE,
        "Which topics should the next forum cover?",
        "¿Qué temas debería tratar el próximo foro?",
        SECTION_NEXT,
    ),
    QuestionTemplate(
        "comments",
        Kind.TEXT,
        "Any other comments?",
        "¿Algún otro comentario?",
        SECTION_NEXT,
    ),
]


def topic_choices(workshops: list[Workshop]) -> list[dict[str, str]]:
    """The four pillars, then the forum's workshops by their titles (keyed by workshop code)."""
    pillars = [
        {"key": pillar.value, "en": PILLARS_EN[pillar], "es": PILLARS_ES[pillar]}
        for pillar in Pillar
    ]
    titles = [{"key": w.code, "en": w.title, "es": w.title} for w in workshops]
    return pillars + titles


def default_questions(forum: Forum) -> list[dict[str, Any]]:
    """The template as the field values of a forum's questions, in order."""
    workshops = list(Workshop.objects.filter(forum=forum).order_by("starts_at", "code"))
    questions = []
    for position, template in enumerate(TEMPLATE, start=1):
        questions.append(
            {
                "key": template.key,
                "position": position * 10,
                "section_en": template.section[0],
                "section_es": template.section[1],
                "text_en": template.text_en,
                "text_es": template.text_es,
                "kind": template.kind,
                "scope": template.scope,
                "required": template.required,
                "choices": topic_choices(workshops) if template.key == "topics" else [],
            }
        )
    return questions
