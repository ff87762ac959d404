"""E-mails to registrants: rendered in the registrant's language and the forum's time zone when
the change happens, stored as OutgoingEmail, and sent by a background task after commit."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from registrations.ical import registration_calendar
from registrations.models import OutgoingEmail, Registration
from registrations.selectors import registration_overview
from registrations.tasks import outgoing_email_create
from registrations.tokens import manage_token

SUBJECTS = {
    "confirmation": "registrations/email/confirmation_subject.txt",
    "waitlisted": "registrations/email/waitlisted_subject.txt",
    "promoted": "registrations/email/promoted_subject.txt",
    "changed": "registrations/email/changed_subject.txt",
    "cancelled": "registrations/email/cancelled_subject.txt",
    "manage_link": "registrations/email/manage_link_subject.txt",
}
WITH_CALENDAR = {"confirmation", "promoted", "changed"}


def manage_url(registration: Registration) -> str:
    path = reverse("registrations:manage", kwargs={"token": manage_token(registration)})
    return f"{settings.SITE_URL}{path}"


def email_queue(*, registration: Registration, kind: str, promoted_workshops=()) -> OutgoingEmail:
    """Render and store one e-mail for a registrant; its sending is enqueued after commit."""
    with translation.override(registration.language), timezone.override(registration.forum.zone):
        context = {
            "registration": registration,
            "overview": registration_overview(registration),
            "forum": registration.forum,
            "person": registration.person,
            "manage_url": manage_url(registration),
            "forum_url": f"{settings.SITE_URL}{registration.forum.get_absolute_url()}",
            "promoted_workshops": list(promoted_workshops),
            "LANGUAGE_CODE": registration.language,
        }
        subject = " ".join(render_to_string(SUBJECTS[kind], context).split())
        body_text = render_to_string(f"registrations/email/{kind}.txt", context)
        body_html = render_to_string(f"registrations/email/{kind}.html", context)
    ics = ""
    if kind in WITH_CALENDAR:
        ics = registration_calendar(registration, site_url=settings.SITE_URL).decode()
    return outgoing_email_create(
        kind=kind,
        registration=registration,
        to=registration.person.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        ics=ics,
    )
