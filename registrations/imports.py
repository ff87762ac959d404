"""Attendance and registration lists from spreadsheets, all or nothing.

Every row is checked before anything is written; if one is wrong, nothing is imported and every
problem is reported with its row number, column and reason. Then one transaction writes it all.
Importing the same file again finds everyone already there and changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext

from audit.services import Actor, audit_record
from companies.models import CompanyName, PossibleDuplicate
from companies.services import CompanyEntry, company_resolve_many
from forums.models import Forum, Organisation, Person, Sponsorship
from forums.text import text_problem
from registrations import seats
from registrations.enums import (
    ParticipantCategory,
    PlaceStatus,
    RegistrationSource,
    RegistrationStatus,
)
from registrations.enums import RegistrationEmailKind as EmailKind
from registrations.import_columns import (
    NO,
    REQUIRED,
    YES,
    column_named,
    country_code,
    expected_columns,
    is_known,
)
from registrations.models import Registration, WorkshopPlace
from registrations.notifications import email_queue
from registrations.services import notify_promotions
from registrations.signals import ListedAttendance, attendance_imported
from registrations.spreadsheets import Row, Table
from workshops.models import Workshop
from workshops.selectors import group_into_slots


def _length(model: type[models.Model], name: str) -> int:
    column = model._meta.get_field(name)
    assert isinstance(column, models.CharField) and column.max_length is not None
    return column.max_length


# The longest text each typed column may hold: what every database column it is written to takes.
MAX_LENGTHS = {
    "first_name": _length(Person, "first_name"),
    "last_name": _length(Person, "last_name"),
    "email": _length(Person, "email"),
    "company": min(_length(Organisation, "name"), _length(CompanyName, "name")),
    "job_title": min(_length(Person, "job_title"), _length(Registration, "job_title")),
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        return (
            f"{where}, column {self.column}: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported.")
        self.errors = errors


@dataclass
class ImportReport:
    rows: int = 0
    people_created: int = 0
    people_matched: int = 0
    companies_created: int = 0
    companies_matched: int = 0
    registrations_created: int = 0
    registrations_updated: int = 0
    registrations_unchanged: int = 0
    waitlisted: int = 0
    dry_run: bool = False
    # Per row number: "new", "update" or "skip" (unchanged), for the admin's preview.
    outcomes: dict[int, Literal["new", "update", "skip"]] = field(default_factory=dict)
    # Per row number, what the preview shows: the row's company (see RowCompany), the places
    # in the workshops it names (code, PlaceStatus) once seats are settled, and the attendance
    # recorded (None where none is: a forum not held yet).
    companies: dict[int, "RowCompany"] = field(default_factory=dict)
    places: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    attendance: dict[int, bool | None] = field(default_factory=dict)

    def lines(self) -> list[str]:
        prefix = "Dry run, nothing written. " if self.dry_run else ""
        return [
            f"{prefix}Rows read: {self.rows}",
            f"People: {self.people_created} created, {self.people_matched} matched",
            f"Companies: {self.companies_created} created, {self.companies_matched} matched",
            f"Registrations: {self.registrations_created} created, "
            f"{self.registrations_updated} updated, {self.registrations_unchanged} unchanged"
            + (f" ({self.waitlisted} on the waiting list)" if self.waitlisted else ""),
        ]


@dataclass(frozen=True)
class RowCompany:
    """How a row's company name was read: a company created for it ("new"), one created but
    possibly the same as another, listed for the secretariat to review ("unsure"), or a known
    company, `name`, it is a spelling of ("matched")."""

    outcome: Literal["new", "unsure", "matched"]
    name: str


@dataclass
class CleanRow:
    number: int
    first_name: str
    last_name: str
    email: str
    company: str
    country: str
    job_title: str
    attended: bool
    workshops: list[Workshop] = field(default_factory=list)
    invited_by: Sponsorship | None = None
    language: str = ""  # the site language to write to them in; "" when the list does not say
    category: str = ""  # a ParticipantCategory value; "" when the list does not say


def _category(value: str) -> str | None:
    """The ParticipantCategory of a cell, from its value or its English label in any case
    ("NGO", "ngo", "Civil society", "civil_society"); "" for an empty cell, None if unknown."""
    if not value:
        return ""
    wanted = " ".join(value.replace("_", " ").split()).lower()
    for code, label in ParticipantCategory.choices:
        if wanted in {code.replace("_", " "), str(label).lower()}:
            return code
    return None


def place_columns(table: Table) -> Table:
    """The table with its headers read as the import's columns ("E-mail", "Correo electrónico"
    -> "email"; see import_columns), leaving out the columns it ignores. Raises ImportRefused,
    naming them, for headers it cannot place, columns given twice and required ones missing."""
    errors: list[RowError] = []
    placed: dict[str, str] = {}  # the table's header -> the column's key
    unknown = [table.label(header) for header in table.headers if not is_known(header)]
    if unknown:
        errors.append(
            RowError(
                1,
                "",
                gettext(
                    "this import does not know the column(s) %(unknown)s. Rename or delete "
                    "them; the columns it reads are: %(expected)s"
                )
                % {
                    "unknown": ", ".join(f"'{label}'" for label in unknown),
                    "expected": expected_columns(),
                },
            )
        )
    for header in table.headers:
        column = column_named(header) if is_known(header) else None
        if column is None:
            continue
        earlier = next((h for h, key in placed.items() if key == column.key), None)
        if earlier is not None:
            errors.append(
                RowError(
                    1,
                    column.key,
                    gettext(
                        "the columns '%(first)s' and '%(second)s' are both %(column)s; keep one"
                    )
                    % {
                        "first": table.label(earlier),
                        "second": table.label(header),
                        "column": column.label,
                    },
                )
            )
            continue
        placed[header] = column.key
    errors += [
        RowError(1, column, f"the column '{column}' is missing from the header row")
        for column in REQUIRED
        if column not in placed.values()
    ]
    if errors:
        raise ImportRefused(errors)
    return Table(
        headers=list(placed.values()),
        rows=[
            Row(
                number=row.number,
                values={key: row.get(header) for header, key in placed.items()},
            )
            for row in table.rows
        ],
        encoding=table.encoding,
        format=table.format,
        labels=[table.label(header) for header in placed],
    )


def validate_table(forum: Forum, table: Table) -> list[CleanRow]:
    """Check every row; raise ImportRefused listing all problems, else return clean rows."""
    table = place_columns(table)
    if not table.rows:
        raise ImportRefused([RowError(0, "", "the file has a header row but no data rows")])
    workshops = {w.code.upper(): w for w in Workshop.objects.filter(forum=forum)}
    slot_of = {
        w.pk: slot.number for slot in group_into_slots(workshops.values()) for w in slot.workshops
    }
    sponsors = {
        s.organisation.name.lower(): s
        for s in Sponsorship.objects.filter(forum=forum).select_related("organisation")
    }
    errors: list[RowError] = []
    seen_emails: dict[str, int] = {}
    clean: list[CleanRow] = []
    for row in table.rows:
        n = row.number
        problems_before = len(errors)
        unacceptable = set()
        for column, max_length in MAX_LENGTHS.items():
            problem = text_problem(row.get(column), max_length=max_length)
            if problem:
                errors.append(RowError(n, column, problem))
                unacceptable.add(column)
        for column in ["first_name", "email", "company"]:
            if not row.get(column):
                errors.append(RowError(n, column, f"{column.replace('_', ' ')} is missing"))
        email = row.get("email").strip()
        if email and "email" not in unacceptable:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(RowError(n, "email", f"'{email}' is not a valid e-mail address"))
            else:
                earlier = seen_emails.get(email.lower())
                if earlier:
                    errors.append(RowError(n, "email", f"{email} already appears in row {earlier}"))
                seen_emails.setdefault(email.lower(), n)
        country = country_code(row.get("country"))
        if country is None:
            value = row.get("country")
            errors.append(
                RowError(
                    n,
                    "country",
                    f"unknown country '{value}': use an ISO code such as MY or an English "
                    "name such as Malaysia"
                    if value
                    else "country is missing",
                )
            )
        attended_text = row.get("attended").strip().lower()
        if attended_text not in YES | NO:
            errors.append(RowError(n, "attended", f"'{row.get('attended')}' is not yes or no"))
        chosen: list[Workshop] = []
        for code in [c.strip() for c in row.get("workshops").split(";") if c.strip()]:
            workshop = workshops.get(code.upper())
            if workshop is None:
                known = ", ".join(sorted(workshops)) or "none"
                errors.append(
                    RowError(
                        n,
                        "workshops",
                        f"unknown workshop code '{code}' (this forum's codes: {known})",
                    )
                )
                continue
            clash = next((w for w in chosen if slot_of[w.pk] == slot_of[workshop.pk]), None)
            if clash:
                errors.append(
                    RowError(
                        n,
                        "workshops",
                        f"{clash.code} and {workshop.code} take place at the same time; "
                        "keep one per time slot",
                    )
                )
                continue
            chosen.append(workshop)
        language = row.get("language").strip().lower()
        if language and language not in dict(settings.LANGUAGES):
            codes = ", ".join(code for code, _ in settings.LANGUAGES)
            errors.append(
                RowError(
                    n,
                    "language",
                    f"'{row.get('language')}' is not a language of the site ({codes})",
                )
            )
        category_text = row.get("category").strip()
        category = _category(category_text)
        if category is None:
            known = ", ".join(str(label) for _, label in ParticipantCategory.choices)
            errors.append(
                RowError(
                    n,
                    "category",
                    f"'{category_text[:50]}' is not a participant category ({known}); "
                    "leave it empty if unknown",
                )
            )
        invited_by = None
        member = row.get("invited_by").strip()
        if member:
            invited_by = sponsors.get(member.lower())
            if invited_by is None:
                names = ", ".join(s.organisation.name for s in sponsors.values()) or "none"
                errors.append(
                    RowError(
                        n,
                        "invited_by",
                        f"'{member}' is not a sponsor of this forum (sponsors: {names})",
                    )
                )
        if len(errors) == problems_before and country is not None:
            clean.append(
                CleanRow(
                    number=n,
                    first_name=row.get("first_name").strip(),
                    last_name=row.get("last_name").strip(),
                    email=email,
                    company=" ".join(row.get("company").split()),
                    country=country,
                    job_title=row.get("job_title").strip(),
                    attended=attended_text in YES,
                    workshops=sorted(chosen, key=lambda w: w.pk),
                    invited_by=invited_by,
                    language=language,
                    category=category or "",
                )
            )
    if errors:
        raise ImportRefused(errors)
    return clean


def import_registrations(
    *,
    forum: Forum,
    table: Table,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    by: Actor | None = None,
) -> ImportReport:
    """Import a list into a forum. Past forums take it as history (confirmed registrations, no
    seat limits; whether each came is sent as `attendance_imported`, which the attendance app
    records as check-ins in this transaction, marking the forum held); upcoming forums apply
    capacity and seat limits (waiting lists, in file order) and ignore the attended column.
    Existing people and registrations are matched by e-mail and updated; a registration whose
    attendance the list changes counts as updated. Raises ImportRefused, writing nothing, if any
    row is wrong; with dry_run, checks and counts without writing or sending. Records the import
    (who ran it, the counts) in the audit log.

    Into an upcoming forum, each new registrant is sent what the registration form sends (a
    confirmation with calendar file, or a waiting-list notice, with their manage link), and
    anyone already registered whom the list does not change but who moves into a seat it freed
    gets a 'promoted' e-mail; all are queued in the import's transaction and sent after it
    commits. Registrations the list changes are not told. History sends nothing."""
    rows = validate_table(forum, table)
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    history = forum.ends_at < timezone.now()
    try:
        with transaction.atomic():
            forum = seats.lock_forum(forum.pk)
            companies = _resolve_companies(rows, report)
            people = _upsert_people(rows, companies, report)
            new, changed, registrations = _upsert_registrations(
                forum, rows, companies, people, history, report, progress
            )
            if history:
                _record_attendance(forum, rows, registrations, report, by)
            audit_record(
                by=by or Actor.importer(),
                action="forum.list_imported",
                subject=forum,
                data={
                    "rows": report.rows,
                    "created": report.registrations_created,
                    "updated": report.registrations_updated,
                    "unchanged": report.registrations_unchanged,
                    "history": history,
                },
            )
            if history:
                _recount(forum)
            else:
                promotions = seats.settle(forum)
                if not dry_run:
                    _notify(new, changed, promotions)
            _describe_rows(rows, registrations, history, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _record_attendance(
    forum: Forum,
    rows: list[CleanRow],
    registrations: dict[int, Registration],
    report: ImportReport,
    by: Actor | None,
) -> None:
    """Have the list's attendance recorded (by the attendance app, as check-ins); a row whose
    registration was otherwise unchanged but whose attendance changed counts as updated."""
    if not attendance_imported.has_listeners():
        raise RuntimeError("No app records imported attendance: is attendance installed?")
    listed = [
        ListedAttendance(
            registration=registrations[row.number], attended=row.attended, workshops=row.workshops
        )
        for row in rows
    ]
    changed: set[int] = set()
    for _receiver, response in attendance_imported.send(
        sender=Registration, forum=forum, listed=listed, by=by or Actor.importer()
    ):
        changed |= cast(set[int], response)
    for row in rows:
        if report.outcomes[row.number] == "skip" and registrations[row.number].pk in changed:
            report.outcomes[row.number] = "update"
            report.registrations_unchanged -= 1
            report.registrations_updated += 1


def _notify(new: list[Registration], changed: set[int], promotions: seats.Promotions) -> None:
    """Queue each new registrant's confirmation or waiting-list e-mail, in file order, and the
    'promoted' e-mails of the registrants the list did not touch who moved into a seat."""
    new_ids = [registration.pk for registration in new]
    for start in range(0, len(new_ids), 500):
        for registration in (
            Registration.objects.filter(pk__in=new_ids[start : start + 500])
            .select_related("forum", "person")
            .order_by("pk")
        ):
            kind = (
                EmailKind.CONFIRMATION
                if registration.status == RegistrationStatus.CONFIRMED
                else EmailKind.WAITLISTED
            )
            email_queue(registration=registration, kind=kind)
    listed = set(new_ids) | changed
    others = seats.Promotions(
        registrations=[r for r in promotions.registrations if r.pk not in listed],
        places=[p for p in promotions.places if p.registration_id not in listed],
    )
    notify_promotions(others, except_registration=None)


def _describe_rows(
    rows: list[CleanRow],
    registrations: dict[int, Registration],
    history: bool,
    report: ImportReport,
) -> None:
    """Note, per row, its places in the workshops it names and the attendance recorded."""
    status = {
        (registration_id, workshop_id): place_status
        for registration_id, workshop_id, place_status in WorkshopPlace.objects.filter(
            registration__in=[registrations[row.number].pk for row in rows if row.workshops]
        ).values_list("registration_id", "workshop_id", "status")
    }
    for row in rows:
        registration = registrations[row.number]
        report.places[row.number] = [
            (workshop.code, status[registration.pk, workshop.pk]) for workshop in row.workshops
        ]
        report.attendance[row.number] = row.attended if history else None


def _resolve_companies(rows: list[CleanRow], report: ImportReport) -> dict[int, Organisation]:
    """Company per row number, every spelling remembered (see company_resolve_many)."""
    results = company_resolve_many(
        entries=[
            CompanyEntry(name=row.company, country=row.country, email=row.email) for row in rows
        ]
    )
    created_ids = [company.pk for company, created in results if created]
    # A company created beside an unsure candidate is listed as a possible duplicate of it.
    unsure = set(
        PossibleDuplicate.objects.filter(
            Q(first__in=created_ids) | Q(second__in=created_ids)
        ).values_list("first_id", "second_id")
    )
    listed = {pk for pair in unsure for pk in pair}
    companies: dict[int, Organisation] = {}
    for row, (company, created) in zip(rows, results, strict=True):
        companies[row.number] = company
        report.companies_created += created
        report.companies_matched += not created
        if not created:
            outcome: Literal["new", "unsure", "matched"] = "matched"
        else:
            outcome = "unsure" if company.pk in listed else "new"
        report.companies[row.number] = RowCompany(outcome=outcome, name=company.name)
    return companies


def _upsert_people(
    rows: list[CleanRow], companies: dict[int, Organisation], report: ImportReport
) -> dict[str, Person]:
    people: dict[str, Person] = {
        cast(str, p.email).lower(): p  # found by its address
        for p in Person.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[r.email.lower() for r in rows]
        )
    }
    new_people: list[Person] = []
    for row in rows:
        company = companies[row.number]
        person = people.get(row.email.lower())
        if person is None:
            person = Person(
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                job_title=row.job_title,
                country=row.country,
                organisation=company,
                language=row.language or settings.LANGUAGE_CODE,
            )
            new_people.append(person)
            people[row.email.lower()] = person
            report.people_created += 1
            continue
        report.people_matched += 1
        changed = False
        for name, value in [
            ("first_name", row.first_name),
            ("last_name", row.last_name),
            ("job_title", row.job_title),
            ("country", row.country),
            ("organisation_id", company.pk),
        ]:
            if value and getattr(person, name) != value:
                setattr(person, name, value)
                changed = True
        if changed:
            person.save()
    Person.objects.bulk_create(new_people, batch_size=500)
    return people


def _upsert_registrations(
    forum: Forum,
    rows: list[CleanRow],
    companies: dict[int, Organisation],
    people: dict[str, Person],
    history: bool,
    report: ImportReport,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[Registration], set[int], dict[int, Registration]]:
    """Create or update each row's registration; returns the new ones, the ids of those
    changed, and each row's registration by row number."""
    existing = {
        r.person_id: r
        for r in Registration.objects.filter(forum=forum).prefetch_related("workshop_places")
    }
    free = max(0, forum.capacity - forum.seats_taken)
    now = timezone.now()
    new_registrations: list[tuple[Registration, CleanRow]] = []
    changed: set[int] = set()
    by_row: dict[int, Registration] = {}
    for index, row in enumerate(rows, 1):
        if progress:
            progress(index, len(rows))
        person = people[row.email.lower()]
        company = companies[row.number]
        registration = existing.get(person.pk)
        if registration is not None:
            by_row[row.number] = registration
        if registration is None:
            registration = Registration(
                forum=forum,
                person=person,
                company=company,
                source=RegistrationSource.IMPORT,
                invited_by=row.invited_by,
                job_title=row.job_title,
                language=row.language or settings.LANGUAGE_CODE,
                category=row.category,
            )
            if history:
                # Whether they came is recorded as check-ins (_record_attendance).
                registration.status = RegistrationStatus.CONFIRMED
            elif free > 0:
                registration.status = RegistrationStatus.CONFIRMED
                free -= 1
            else:
                registration.status = RegistrationStatus.WAITLISTED
                # Keep the file's order on the waiting list.
                registration.waitlisted_at = now + timedelta(microseconds=len(new_registrations))
                report.waitlisted += 1
            new_registrations.append((registration, row))
            existing[person.pk] = registration
            by_row[row.number] = registration
            report.registrations_created += 1
            report.outcomes[row.number] = "new"
        elif _update_registration(registration, company, row, history):
            changed.add(registration.pk)
            report.registrations_updated += 1
            report.outcomes[row.number] = "update"
        else:
            report.registrations_unchanged += 1
            report.outcomes[row.number] = "skip"
    Registration.objects.bulk_create([r for r, _ in new_registrations], batch_size=500)
    confirmed = sum(r.status == RegistrationStatus.CONFIRMED for r, _ in new_registrations)
    # History is recounted as a whole afterwards (_recount); an upcoming forum takes its seats.
    if not history and not seats.take_forum_seats(forum.pk, confirmed):
        # The count above comes from the locked forum's free seats; this cannot happen.
        raise RuntimeError("The forum's free seats changed under its lock.")
    place_status = PlaceStatus.CONFIRMED if history else PlaceStatus.WAITLISTED
    WorkshopPlace.objects.bulk_create(
        [
            WorkshopPlace(registration=registration, workshop=workshop, status=place_status)
            for registration, row in new_registrations
            for workshop in row.workshops
        ],
        batch_size=500,
    )
    return [registration for registration, _ in new_registrations], changed, by_row


def _update_registration(
    registration: Registration, company: Organisation, row: CleanRow, history: bool
) -> bool:
    """Bring an existing registration in line with its row; True if anything changed."""
    changed = False
    for name, value in [
        ("company_id", company.pk),
        ("job_title", row.job_title),
        ("invited_by_id", row.invited_by.pk if row.invited_by else registration.invited_by_id),
        ("language", row.language or registration.language),
        ("category", row.category or registration.category),
    ]:
        if getattr(registration, name) != value:
            setattr(registration, name, value)
            changed = True
    if history and registration.status != RegistrationStatus.CONFIRMED:
        # The list says they had a place, whether or not they came.
        registration.status = RegistrationStatus.CONFIRMED
        changed = True
    wanted = {w.pk for w in row.workshops}
    current = {p.workshop_id for p in registration.workshop_places.all()}
    if history:
        # The list says they were there: a place still waiting from before becomes a seat.
        waiting = [
            p.pk
            for p in registration.workshop_places.all()
            if p.workshop_id in wanted and p.status != PlaceStatus.CONFIRMED
        ]
        if waiting:
            WorkshopPlace.objects.filter(pk__in=waiting).update(status=PlaceStatus.CONFIRMED)
            changed = True
    if row.workshops and current != wanted:
        for place in registration.workshop_places.all():
            if place.workshop_id not in wanted:
                if place.status == PlaceStatus.CONFIRMED and not history:
                    seats.release_workshop_seat(place.workshop_id)
                place.delete()
        WorkshopPlace.objects.bulk_create(
            WorkshopPlace(
                registration=registration,
                workshop_id=pk,
                status=PlaceStatus.CONFIRMED if history else PlaceStatus.WAITLISTED,
            )
            for pk in sorted(wanted - current)
        )
        changed = True
    if changed:
        registration.save()
    return changed


def _recount(forum: Forum) -> None:
    """History is imported as it happened: the counters follow what is there, or the import is
    refused (as a list of problems) when that is more than the forum or a workshop holds."""
    try:
        seats.recount(forum)
    except seats.SeatsExceeded as exceeded:
        raise ImportRefused(
            [RowError(0, "workshops" if what else "", text) for what, text in exceeded.problems]
        ) from exceeded
