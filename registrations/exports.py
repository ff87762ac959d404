"""Registrations as spreadsheet rows. Every cell goes through the formula escaping of
`spreadsheets`, so no cell can run as a formula, whichever path (admin or command) wrote it."""

from collections.abc import Callable, Iterator
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone

from registrations.models import (
    QuestionChoice,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    WorkshopPlace,
)
from registrations.spreadsheets import write_csv, write_xlsx

HEADERS = [
    "email",
    "first_name",
    "last_name",
    "company_id",
    "company",
    "country",
    "job_title",
    "status",
    "attended",
    "workshops",
    "invited_by",
    "registered_at",
    "phone",
    "dietary_needs",
    "accessibility_needs",
    "share_with_sponsors",
    "language",
    "category",
]


# Who attended is the attendance app's to say, and that app sits above this one: when it is
# ready it hands over its one definition (attendance.selectors.has_attended) through
# attended_condition_set, so that the export reads it without importing upwards.
_attended_condition: list[Callable[[], Q]] = []


def attended_condition_set(condition: Callable[[], Q]) -> None:
    """Make `condition` (a function giving a filter on registrations) what the export's
    "attended" column says."""
    _attended_condition[:] = [condition]


def _attended() -> ExpressionWrapper:
    if not _attended_condition:
        raise ImproperlyConfigured("The attendance app has not said who attended.")
    return ExpressionWrapper(_attended_condition[0](), output_field=BooleanField())


def export_questions(registrations: QuerySet[Registration]) -> list[RegistrationQuestion]:
    """The questions of these registrations' forums, hidden ones included (their answers are
    kept): one column each, after HEADERS, by forum and then in the forum's order."""
    return list(
        RegistrationQuestion.objects.filter(
            forum__in=registrations.order_by().values("forum_id")
        ).order_by("forum_id", "order", "pk")
    )


def question_header(question: RegistrationQuestion) -> str:
    """`question:12:Which commodity do you supply?`: the id tells apart two forums' questions
    that read the same."""
    return f"question:{question.pk}:{question.label_en}"


def export_queryset(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    places = WorkshopPlace.objects.select_related("workshop").order_by("workshop__code")
    answers = RegistrationAnswer.objects.prefetch_related(
        Prefetch("choices", queryset=QuestionChoice.objects.order_by("order", "pk"))
    ).select_related("question")
    return (
        registrations.select_related("person", "company", "invited_by__organisation")
        .prefetch_related(
            Prefetch("workshop_places", queryset=places), Prefetch("answers", queryset=answers)
        )
        .annotate(attended=_attended())
        .order_by("created_at", "pk")
    )


def export_rows(
    registrations: QuerySet[Registration],
    questions: list[RegistrationQuestion] | None = None,
) -> Iterator[list]:
    """One row per registration: HEADERS' cells, then the answer to each of `questions`
    (choices by their English labels, "yes"/"no"), empty where not answered."""
    for registration in export_queryset(registrations).iterator(chunk_size=1000):
        person = registration.person
        answered = {answer.question_id: answer for answer in registration.answers.all()}
        answer_cells = [
            answered[question.pk].shown(english=True) if question.pk in answered else ""
            for question in questions or []
        ]
        yield [
            person.email or "",
            person.first_name,
            person.last_name,
            registration.company_id or "",
            registration.company.name if registration.company else "",
            person.country.code if person.country else "",
            registration.job_title or person.job_title,
            registration.status,
            # Annotated by export_queryset.
            "yes" if registration.attended else "no",  # type: ignore[attr-defined]
            ";".join(
                p.workshop.code + ("" if p.status == "confirmed" else " (waiting)")
                for p in registration.workshop_places.all()
            ),
            registration.invited_by.organisation.name if registration.invited_by else "",
            registration.created_at.isoformat(timespec="seconds"),
            person.phone,
            registration.dietary_needs,
            registration.accessibility_needs,
            "yes" if registration.share_with_sponsors else "no",
            registration.language,
            registration.category,
            *answer_cells,
        ]


def forum_slugs(registrations: QuerySet[Registration]) -> list[str]:
    """The slugs of the forums these registrations belong to, in order (one query)."""
    return list(
        registrations.order_by("forum__slug").values_list("forum__slug", flat=True).distinct()
    )


def export_filename(*, forum_slugs: list[str], file_format: str, today: date | None = None) -> str:
    """`kuala-lumpur-2017-registrations-2026-11-25.csv` for one forum's registrations,
    `registrations-3-forums-2026-11-25.csv` for several; dated today (the site's date)."""
    today = today or timezone.localdate()
    if len(forum_slugs) == 1:
        stem = f"{forum_slugs[0]}-registrations"
    elif forum_slugs:
        stem = f"registrations-{len(forum_slugs)}-forums"
    else:
        stem = "registrations"
    return f"{stem}-{today.isoformat()}.{file_format}"


def export_registrations(registrations: QuerySet[Registration], *, file_format: str) -> bytes:
    questions = export_questions(registrations)
    headers = [*HEADERS, *(question_header(question) for question in questions)]
    rows = export_rows(registrations, questions)
    if file_format == "xlsx":
        return write_xlsx(headers, rows, sheet_title="Registrations")
    return write_csv(headers, rows)


def export_response(
    registrations: QuerySet[Registration], *, file_format: str, slugs: list[str] | None = None
) -> HttpResponse:
    """`registrations` as a spreadsheet download ("csv" or "xlsx"), named by export_filename;
    the admin's export action and the secretariat's forum page both answer with this."""
    content = export_registrations(registrations, file_format=file_format)
    response = HttpResponse(
        content,
        content_type="text/csv; charset=utf-8"
        if file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    slugs = forum_slugs(registrations) if slugs is None else slugs
    filename = export_filename(forum_slugs=slugs, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
