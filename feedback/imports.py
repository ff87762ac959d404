"""Paper feedback forms from a spreadsheet, all or nothing: one row per form.

Columns (header names in any letter case and order): `email` (the address the person
registered with; optional in an anonymous survey), one column per question asked once, named
by its key (`helpful`, `overall`, `recommend`, `change`, `topics`, `comments`…), and per workshop
`workshop:<code>`, `workshop_comment:<code>` and `facilitator:<code>:<surname>`. Yes/no as
yes/no/sí/si/1/0; several choices as their keys separated by `;`. Every row is checked with the
same form as the answering page (a question left blank on paper stays blank); if one is wrong,
nothing is imported and every problem is reported with its row and column."""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.http import QueryDict

from audit.services import Actor
from feedback import services
from feedback.enums import QuestionKind
from feedback.forms import YES, AnswerForm, Item, column_name, survey_items
from feedback.models import Survey
from feedback.selectors import forum_workshops, survey_questions
from forums.models import Person
from registrations.imports import ImportRefused, RowError
from registrations.models import Registration
from registrations.spreadsheets import Table

YES_WORDS = {"yes", "y", "sí", "si", "1", "true"}
NO_WORDS = {"no", "n", "0", "false"}


@dataclass
class FeedbackImportReport:
    rows: int
    named: int
    dry_run: bool

    def lines(self) -> list[str]:
        prefix = "Dry run, nothing written. " if self.dry_run else ""
        return [
            f"{prefix}Rows read: {self.rows}",
            f"Responses: {self.rows} ({self.named} with an e-mail address, "
            f"{self.rows - self.named} without)",
        ]


def _cell_value(kind: str, cell: str) -> str | list[str]:
    """A cell as the form expects it (radio values, choice keys)."""
    if kind == QuestionKind.YES_NO:
        word = cell.strip().lower()
        if word in YES_WORDS:
            return YES
        if word in NO_WORDS:
            return "0"
        return cell
    if kind == QuestionKind.MULTIPLE:
        return [part.strip() for part in cell.split(";") if part.strip()]
    return cell.strip()


def _choice_keys(kind: str, choices: list[dict[str, str]], value: str | list[str]):
    """Choice keys in the question's own letter case, so "Environment" finds "environment"."""
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return value
    by_lower = {c["key"].lower(): c["key"] for c in choices}
    if isinstance(value, list):
        return [by_lower.get(v.lower(), v) for v in value]
    return by_lower.get(value.lower(), value)


def validate_feedback_table(survey: Survey, table: Table) -> list[services.PaperResponse]:
    """Check every row; raise ImportRefused listing every problem, else return the responses."""
    workshops = forum_workshops(survey.forum)
    items = survey_items(survey_questions(survey), workshops)
    by_column = {item.column: item for item in items}
    errors: list[RowError] = []
    known = set(by_column) | {"email"}
    for header in table.headers:
        if header in known:
            continue
        key, _, rest = header.partition(":")
        if rest and key in {i.question.key for i in items if i.workshop is not None}:
            code = rest.split(":")[0]
            if code not in {column_name(w.code) for w in workshops}:
                errors.append(
                    RowError(
                        1,
                        header,
                        f"no workshop of this forum has the code '{code}'. The codes are: "
                        + ", ".join(w.code for w in workshops),
                    )
                )
                continue
            if header.count(":") == 2:
                errors.append(
                    RowError(
                        1,
                        header,
                        "this workshop has no facilitator with this surname. Its facilitators: "
                        + (
                            ", ".join(
                                p.last_name
                                for w in workshops
                                if column_name(w.code) == code
                                for p in w.facilitators.all()
                            )
                            or "none"
                        ),
                    )
                )
                continue
        errors.append(
            RowError(
                1,
                header,
                "unknown column. Use email, the question keys ("
                + ", ".join(sorted({i.question.key for i in items if i.workshop is None}))
                + "), workshop:<code>, workshop_comment:<code> or facilitator:<code>:<surname>",
            )
        )
    if errors:
        raise ImportRefused(errors)
    if not table.rows:
        raise ImportRefused([RowError(0, "", "the file has a header row but no data rows")])
    if not survey.anonymous and "email" not in table.headers:
        raise ImportRefused(
            [RowError(1, "email", "the column 'email' is missing: this survey is not anonymous")]
        )

    emails = [row.get("email").strip().lower() for row in table.rows]
    repeated = {e for e, n in Counter(emails).items() if e and n > 1}
    people = {
        person.email.lower(): person
        for person in Person.objects.alias(email_lower=Lower("email")).filter(
            email_lower__in={e for e in emails if e}
        )
        if person.email
    }
    registrations = {
        r.person_id: r
        for r in Registration.objects.filter(forum=survey.forum, person__in=list(people.values()))
    }
    entries: list[services.PaperResponse] = []
    for row, email in zip(table.rows, emails, strict=True):
        row_errors: list[RowError] = []
        registration = None
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_errors.append(
                    RowError(row.number, "email", f"'{email}' is not an e-mail address")
                )
            else:
                person = people.get(email)
                registration = registrations.get(person.pk) if person else None
                if email in repeated:
                    row_errors.append(
                        RowError(row.number, "email", f"{email} appears on more than one row")
                    )
                if registration is None:
                    row_errors.append(
                        RowError(
                            row.number,
                            "email",
                            f"no registration for this forum has the address {email}",
                        )
                    )
                else:
                    refusal = services.paper_refusal(survey, registration)
                    if refusal:
                        row_errors.append(RowError(row.number, "email", refusal))
        elif not survey.anonymous:
            row_errors.append(
                RowError(
                    row.number, "email", "the e-mail address is needed: the survey is not anonymous"
                )
            )
        data: dict[str, str | list[str]] = {}
        for column, item in by_column.items():
            cell = row.get(column)
            if cell:
                value = _cell_value(item.question.kind, cell)
                data[item.name] = _choice_keys(item.question.kind, item.question.choices, value)
        form = _row_form(items, data)
        if not form.is_valid():
            column_of = {item.name: item.column for item in items}
            for name, messages in form.errors.items():
                for message in messages:
                    row_errors.append(
                        RowError(
                            row.number,
                            column_of.get(name, ""),
                            f"{message} (it says '{row.get(column_of.get(name, ''))}')",
                        )
                    )
        errors += row_errors
        if not row_errors:
            entries.append(services.PaperResponse(registration=registration, values=form.values()))
    if errors:
        raise ImportRefused(errors)
    return entries


def _row_form(items: list[Item], data: dict[str, str | list[str]]) -> AnswerForm:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    return AnswerForm(query, items=items, enforce_required=False)


def import_feedback(
    *, survey: Survey, table: Table, by: Actor, dry_run: bool = False
) -> FeedbackImportReport:
    """Check the table and, unless `dry_run`, record every row as a response in one
    transaction (feedback.services.responses_import). Raises ImportRefused, writing nothing,
    if any row is wrong."""
    entries = validate_feedback_table(survey, table)
    report = FeedbackImportReport(
        rows=len(entries),
        named=sum(1 for e in entries if e.registration is not None),
        dry_run=dry_run,
    )
    if not dry_run:
        try:
            services.responses_import(survey=survey, entries=entries, by=by)
        except services.FeedbackRefused as refused:
            raise ImportRefused([RowError(0, "email", str(refused))]) from refused
    return report
