"""E-mails to registrants, in two steps.

Queued inside the use case's transaction, while the forum is locked, as a small outbox row: the
kind, the address, the registrant's language and what must stay as it was at that moment (the
manage link's secret, the calendar SEQUENCE, the workshops a place freed in, the programme
changes). Rendered later by the worker, right before the first send, by
`registration_email_render` (registered with the outbox in RegistrationsConfig.ready): in the
registrant's language, times in the forum's zone, showing what the registration holds then,
which is never older than what it held when the message was queued."""

import zoneinfo
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from forums.enums import RegistrationWindow
from outbox.models import OutgoingEmail
from outbox.registry import RenderedEmail
from outbox.services import outgoing_email_queue
from registrations.enums import PlaceStatus, RegistrationEmailKind, RegistrationStatus
from registrations.ical import held_workshop_ids, registration_invitation
from registrations.models import HeldRegistration, Registration
from registrations.selectors import registration_overview
from registrations.tokens import HELD_LINK_LIFETIME, manage_token
from workshops.models import Workshop

if TYPE_CHECKING:
    from registrations.services import ProgrammeChange

Kind = RegistrationEmailKind

# Kinds whose message brings the registrant's calendar up to date.
WITH_CALENDAR = frozenset(
    {Kind.CONFIRMATION, Kind.PROMOTED, Kind.CHANGED, Kind.CANCELLED, Kind.PROGRAMME_CHANGED}
)


def calendar_advance(registration: Registration, held: Iterable[int]) -> int:
    """Move the registration's calendar SEQUENCE on and remember the workshops (`held`) the next
    file will hold, so that a later file can cancel the ones dropped. In memory only: the caller
    saves. Done when the message is queued, in the use case's transaction, so that SEQUENCE
    follows the order of the changes."""
    registration.calendar_sequence += 1
    registration.calendar_workshops = sorted(set(registration.calendar_workshops or []) | set(held))
    return registration.calendar_sequence


def _calendar_sequence_next(registration: Registration) -> int:
    """calendar_advance for a saved registration, with its held workshops read and the result
    written."""
    calendar_advance(registration, held_workshop_ids(registration))
    Registration.objects.filter(pk=registration.pk).update(
        calendar_sequence=registration.calendar_sequence,
        calendar_workshops=registration.calendar_workshops,
    )
    return registration.calendar_sequence


def _json_value(value: datetime | str | None) -> dict[str, str] | str | None:
    return {"datetime": value.isoformat()} if isinstance(value, datetime) else value


def _from_json(value: dict[str, str] | str | None) -> datetime | str | None:
    return datetime.fromisoformat(value["datetime"]) if isinstance(value, dict) else value


def email_queue(
    *,
    registration: Registration,
    kind: RegistrationEmailKind | str,
    promoted_workshops: Iterable[Workshop] = (),
    changes: Iterable["ProgrammeChange"] = (),
    calendar_sequence: int | None = None,
) -> OutgoingEmail | None:
    """Queue one e-mail for a registrant; it is rendered and sent by the worker after commit.
    Messages that change what the registrant holds carry the calendar files that bring their
    calendar up to date. A registrant whose address the secretariat removed gets nothing.

    Side effects: creates an unrendered OutgoingEmail about the registration; for the kinds
    with a calendar, moves the registration's calendar SEQUENCE on and records the workshops
    sent. Renders nothing."""
    if not registration.person.email:
        return None
    kind = RegistrationEmailKind(kind)
    cancelled = registration.status == RegistrationStatus.CANCELLED
    params: dict[str, Any] = {
        "registration": registration.pk,
        # A cancelled registration's secret is replaced when it is revived: it gets no link.
        "manage_token": "" if cancelled else manage_token(registration),
    }
    if kind in WITH_CALENDAR:
        # A use case that has already moved the SEQUENCE on (and saved it) passes it in.
        params["calendar_sequence"] = calendar_sequence or _calendar_sequence_next(registration)
    if promoted_workshops:
        params["promoted_workshops"] = [workshop.pk for workshop in promoted_workshops]
    if changes:
        params["changes"] = [
            {
                "field": change.field,
                "old": _json_value(change.old),
                "new": _json_value(change.new),
                "workshop": change.workshop.pk if change.workshop is not None else None,
            }
            for change in changes
        ]
    return outgoing_email_queue(
        kind=kind,
        to=registration.person.email,
        language=registration.language,
        params=params,
        about=registration,
    )


def held_email_queue(*, held: HeldRegistration) -> OutgoingEmail:
    """Queue the e-mail that asks the owner of an address to confirm a registration made with
    it; rendered and sent by the worker after commit.

    Side effects: creates an unrendered OutgoingEmail about the held registration."""
    return outgoing_email_queue(
        kind=Kind.CONFIRM_REGISTRATION,
        to=held.email,
        language=held.language,
        params={"held": held.pk},
        about=held,
    )


# --- rendering, in the worker ------------------------------------------------------------------


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _render(
    kind: str, context: dict[str, Any], *, language: str, zone: zoneinfo.ZoneInfo
) -> tuple[str, str, str]:
    with translation.override(language), timezone.override(zone):
        context = {**context, "LANGUAGE_CODE": language}
        subject = render_to_string(f"registrations/email/{kind}_subject.txt", context)
        body_text = render_to_string(f"registrations/email/{kind}.txt", context)
        body_html = render_to_string(f"registrations/email/{kind}.html", context)
    return " ".join(subject.split()), body_text, body_html


def _changes(params: list[dict]) -> list["ProgrammeChange"]:
    # registrations.services imports this module: its ProgrammeChange is imported when used.
    from registrations.services import ProgrammeChange

    workshops = Workshop.objects.in_bulk([p["workshop"] for p in params if p["workshop"]])
    return [
        ProgrammeChange(
            field=p["field"],
            old=_from_json(p["old"]),
            new=_from_json(p["new"]),
            workshop=workshops.get(p["workshop"]) if p["workshop"] else None,
        )
        for p in params
    ]


def _registration_render(outgoing: OutgoingEmail, kind: RegistrationEmailKind) -> RenderedEmail:
    params = outgoing.params
    registration = Registration.objects.select_related("forum", "person").get(
        pk=params["registration"]
    )
    forum = registration.forum
    token = params["manage_token"]
    promoted = Workshop.objects.in_bulk(params.get("promoted_workshops", []))
    overview = registration_overview(registration)
    context = {
        "registration": registration,
        "overview": overview,
        "forum": forum,
        "person": registration.person,
        "manage_url": _url(reverse("registrations:manage", kwargs={"token": token}))
        if token
        else "",
        "forum_url": _url(forum.get_absolute_url()),
        # Queued for a cancelled registration: an invitation to register again, while open.
        "register_url": _url(reverse("registrations:register", args=[forum.slug]))
        if not token and forum.registration_state() == RegistrationWindow.OPEN
        else "",
        "promoted_workshops": [promoted[pk] for pk in params.get("promoted_workshops", [])],
        "changes": _changes(params.get("changes", [])),
    }
    if kind == Kind.REMINDER:
        context["agenda"] = list(forum.agenda_items.order_by("starts_at", "pk"))
        context["workshops"] = [
            place.workshop for place in overview.places if place.status == PlaceStatus.CONFIRMED
        ]
    subject, body_text, body_html = _render(
        kind, context, language=outgoing.language, zone=forum.zone
    )
    ics = ics_cancel = ""
    if kind in WITH_CALENDAR:
        registration.calendar_sequence = params["calendar_sequence"]
        ics, ics_cancel = registration_invitation(registration, site_url=settings.SITE_URL)
    return RenderedEmail(subject, body_text, body_html, ics=ics, ics_cancel=ics_cancel)


def _held_render(outgoing: OutgoingEmail) -> RenderedEmail:
    held = HeldRegistration.objects.select_related("forum").get(pk=outgoing.params["held"])
    forum = held.forum
    context = {
        "forum": forum,
        "held": held,
        "person": {"first_name": held.details.get("first_name", "")},
        "confirm_url": _url(reverse("registrations:confirm", kwargs={"token": held.secret})),
        "forum_url": _url(forum.get_absolute_url()),
        "valid_until": held.created_at + HELD_LINK_LIFETIME,
    }
    subject, body_text, body_html = _render(
        Kind.CONFIRM_REGISTRATION, context, language=outgoing.language, zone=forum.zone
    )
    return RenderedEmail(subject, body_text, body_html)


def registration_email_render(outgoing: OutgoingEmail) -> RenderedEmail:
    """Render an e-mail queued by `email_queue` or `held_email_queue`: the outbox calls this in
    the worker right before the first send. Reads the database; changes nothing."""
    kind = RegistrationEmailKind(outgoing.kind)
    if kind == Kind.CONFIRM_REGISTRATION:
        return _held_render(outgoing)
    return _registration_render(outgoing, kind)
