"""People imported into an upcoming forum get the e-mail the form would have sent them (with
their manage link), after the import commits; history, dry runs and unchanged rows send nothing."""

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import resolve

from outbox.models import OutgoingEmail
from outbox.tasks import send_email
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.imports import import_registrations
from registrations.models import Registration, WorkshopPlace
from registrations.spreadsheets import read_table
from registrations.tokens import registration_from_token

from .conftest import add_workshops

HEADER = "first_name,last_name,email,company,country,job_title,workshops\r\n"
ROWS = (
    "Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Manager,A1\r\n"
    "Ahmad,Ismail,ahmad@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Engineer,\r\n"
    "Budi,Santoso,budi@goldenhope.example,Golden Hope Plantations Berhad,ID,Director,\r\n"
)


@pytest.fixture
def upcoming(make_forum):
    forum = make_forum(title="KL Forum 2036", slug="kl-2036", capacity=2)
    add_workshops(forum, seat_limit=1)
    return forum


@pytest.fixture
def imported(django_capture_on_commit_callbacks):
    """Import a CSV text and let the after-commit work (sending) happen; returns the outbox."""

    def run(forum, text, dry_run=False):
        mail.outbox.clear()
        table = read_table((HEADER + text).encode(), filename="list.csv")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            report = import_registrations(forum=forum, table=table, dry_run=dry_run)
        return report, callbacks

    return run


def manage_link_of(message) -> Registration:
    path = re.search(r"https?://[^/\s]+(/registration/[^\s]+/)", message.body).group(1)
    return registration_from_token(resolve(path).kwargs["token"])


def test_import_into_upcoming_forum_sends_each_new_registrant_their_e_mail(upcoming, imported):
    report, callbacks = imported(upcoming, ROWS)

    assert (report.registrations_created, report.waitlisted) == (3, 1)
    assert [callback.func for callback in callbacks].count(send_email.enqueue) == 3
    assert sorted((m.to, m.subject) for m in mail.outbox) == [
        (["ahmad@ksm.example"], "Registration confirmed: KL Forum 2036"),
        (["budi@goldenhope.example"], "Waiting list: KL Forum 2036"),
        (["siti@ksm.example"], "Registration confirmed: KL Forum 2036"),
    ]
    for message in mail.outbox:
        assert manage_link_of(message).person.email == message.to[0]
    siti = next(m for m in mail.outbox if m.to == ["siti@ksm.example"])
    assert siti.attachments[0][0] == "forum.ics"
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 3


def test_import_same_file_again_sends_nothing(upcoming, imported):
    imported(upcoming, ROWS)

    report, callbacks = imported(upcoming, ROWS)

    assert report.registrations_unchanged == 3
    sends = [c for c in callbacks if getattr(c, "func", None) == send_email.enqueue]
    assert (sends, mail.outbox) == ([], [])
    assert OutgoingEmail.objects.count() == 3


def test_import_only_new_rows_of_a_longer_file_send(upcoming, imported):
    imported(upcoming, ROWS.splitlines(keepends=True)[0])

    imported(upcoming, ROWS)

    assert sorted(m.to[0] for m in mail.outbox) == ["ahmad@ksm.example", "budi@goldenhope.example"]


def test_import_dry_run_sends_nothing(upcoming, imported):
    report, callbacks = imported(upcoming, ROWS, dry_run=True)

    assert report.registrations_created == 3
    sends = [c for c in callbacks if getattr(c, "func", None) == send_email.enqueue]
    assert (sends, mail.outbox) == ([], [])
    assert OutgoingEmail.objects.count() == 0


def test_import_into_past_forum_sends_nothing(make_forum, imported):
    past = make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")
    add_workshops(past)

    report, callbacks = imported(past, ROWS)

    assert report.registrations_created == 3
    sends = [c for c in callbacks if getattr(c, "func", None) == send_email.enqueue]
    assert (sends, mail.outbox) == ([], [])
    assert OutgoingEmail.objects.count() == 0


def test_import_refused_sends_nothing(upcoming, imported):
    from registrations.imports import ImportRefused

    with pytest.raises(ImportRefused):
        imported(upcoming, ROWS + "Cy,Tan,not-an-address,Acme,MY,Manager,\r\n")

    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0


def test_import_that_frees_a_workshop_seat_tells_the_person_moved_in(upcoming, imported):
    imported(upcoming, ROWS.splitlines(keepends=True)[0])  # Siti takes A1's only seat
    ahmad = "Ahmad,Ismail,ahmad@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Engineer,A1\r\n"
    imported(upcoming, ahmad)  # Ahmad waits for A1
    assert WorkshopPlace.objects.get(registration__person__email="ahmad@ksm.example").status == (
        PlaceStatus.WAITLISTED
    )

    # The list now has Siti in A2: her A1 seat goes to Ahmad, who is told.
    imported(upcoming, "Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Manager,A2\r\n")

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ahmad@ksm.example"], "A place is yours: KL Forum 2036")
    ]
    registration = Registration.objects.get(person__email="ahmad@ksm.example")
    assert registration.status == RegistrationStatus.CONFIRMED
