"""A survey's responses as spreadsheet rows, one row per response, in the columns of the paper
forms' import: `email` (only for the secretariat, and never for an anonymous survey), the keys
of the questions asked once, `workshop:<code>` / `workshop_comment:<code>` (any question asked
per workshop: `<key>:<code>`) and `facilitator:<code>:<surname>`. Cells go through the formula
escaping of registrations' exports, so no comment can run as a formula."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from feedback.enums import QuestionKind, QuestionScope
from feedback.models import Answer, Question, Survey
from feedback.selectors import facilitator_keys, survey_workshops
from registrations.spreadsheets import write_csv, write_xlsx
from workshops.models import Workshop

FILE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    header: str
    question: Question
    workshop_id: int | None = None
    facilitator_id: int | None = None


def export_columns(questions: list[Question], workshops: list[Workshop]) -> list[Column]:
    keys = facilitator_keys(workshops)
    columns: list[Column] = []
    for question in questions:
        if question.scope == QuestionScope.WORKSHOP:
            columns += [Column(f"{question.key}:{w.code}", question, w.pk) for w in workshops]
        elif question.scope == QuestionScope.FACILITATOR:
            columns += [
                Column(f"{question.key}:{key}", question, workshop_id, person_id)
                for (workshop_id, person_id), key in keys.items()
            ]
        else:
            columns.append(Column(question.key, question))
    return columns


def cell(question: Question, answer: Answer | None) -> Any:
    """An answer as the import reads it: yes/no, a number, choice keys separated by ";", text."""
    if answer is None:
        return None
    if question.kind == QuestionKind.YES_NO:
        return {1: "yes", 0: "no"}.get(answer.number) if answer.number is not None else None
    if question.kind in (QuestionKind.RATING, QuestionKind.RECOMMEND):
        return answer.number
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return ";".join(str(c) for c in answer.choices) if isinstance(answer.choices, list) else ""
    return answer.text


def export_table(survey: Survey, *, with_emails: bool) -> tuple[list[str], Iterator[list[Any]]]:
    with_emails = with_emails and not survey.anonymous
    columns = export_columns(list(survey.questions.all()), survey_workshops(survey))
    headers = (["email"] if with_emails else []) + [c.header for c in columns]
    responses = survey.responses.order_by("submitted_at", "pk").prefetch_related("answers")
    if with_emails:
        responses = responses.select_related("invitation__registration__person")

    def rows() -> Iterator[list[Any]]:
        for response in responses:
            answers = {
                (a.question_id, a.workshop_id, a.facilitator_id): a for a in response.answers.all()
            }
            row: list[Any] = []
            if with_emails:
                person = response.invitation.registration.person if response.invitation else None
                row.append(person.email if person and person.email else "")
            row += [
                cell(c.question, answers.get((c.question.pk, c.workshop_id, c.facilitator_id)))
                for c in columns
            ]
            yield row

    return headers, rows()


def export_results(survey: Survey, *, file_format: str, with_emails: bool) -> bytes:
    headers, rows = export_table(survey, with_emails=with_emails)
    if file_format == "xlsx":
        return write_xlsx(headers, rows, sheet_title="Feedback")
    return write_csv(headers, rows)


def export_filename(*, forum_slug: str, file_format: str, today: date | None = None) -> str:
    """`kuala-lumpur-2017-feedback-2026-11-25.csv`, dated today (the site's date)."""
    today = today or timezone.localdate()
    return f"{forum_slug}-feedback-{today.isoformat()}.{file_format}"
