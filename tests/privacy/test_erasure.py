import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from attendance.models import CheckIn
from attendance.selectors import attendance_counts_by_forum
from audit.models import AuditEntry
from audit.services import Actor
from feedback.models import Response, Survey
from feedback.selectors import survey_results
from forums.models import Forum, Person
from outbox.models import OutgoingEmail
from privacy.models import Erasure
from privacy.services import person_erase
from registrations.models import (
    HeldRegistration,
    Registration,
    RegistrationAnswer,
    SubmittedRegistration,
)
from reports.selectors import reach_totals
from tests.feedback.results_fixture import build_results_fixture


def _erased_fields(someone) -> dict:
    person = Person.objects.get(pk=someone.person.pk)
    registration = Registration.objects.get(pk=someone.registration.pk)
    email = OutgoingEmail.objects.get(pk=someone.email.pk)
    return {
        "person": (
            person.first_name,
            person.last_name,
            person.email,
            person.job_title,
            person.phone,
        ),
        "registration": (
            registration.job_title,
            registration.dietary_needs,
            registration.accessibility_needs,
            registration.share_with_sponsors,
        ),
        "answer": RegistrationAnswer.objects.get(pk=someone.answer.pk).text,
        "checkin": CheckIn.objects.get(pk=someone.checkin.pk).reason,
        "feedback": Response.objects.get(pk=someone.feedback.response_id).invitation_id,
        "email": (
            email.to,
            email.subject,
            email.body_text,
            email.body_html,
            email.ics,
            email.ics_cancel,
            email.params,
        ),
        "held": HeldRegistration.objects.filter(details__first_name=person.first_name).count(),
    }


def test_person_erase_blanks_every_personal_field_and_keeps_the_rows(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    ravi = make_someone("Ravi", "Kumar", "ravi@mill.example")
    old_secret = siti.registration.secret
    ravi_before = _erased_fields(ravi)

    assert person_erase(person=siti.person, by=Actor.registrant()) is True

    assert _erased_fields(siti) == {
        "person": ("", "", None, "", ""),
        "registration": ("", "", "", False),
        "answer": "",
        "checkin": "",
        "feedback": None,
        "email": ("", "", "", "", "", "", {}),
        "held": 0,
    }
    assert HeldRegistration.objects.filter(email__iexact="siti@supplier.example").count() == 0
    assert SubmittedRegistration.objects.filter(email="siti@supplier.example").count() == 0
    registration = Registration.objects.get(pk=siti.registration.pk)
    assert registration.secret != old_secret
    assert (registration.forum_id, registration.status) == (
        siti.registration.forum_id,
        siti.registration.status,
    )
    assert CheckIn.objects.filter(registration=registration, undone_at=None).count() == 1
    assert Erasure.objects.get(person=siti.person).actor_kind == "registrant"
    # The other person is untouched.
    assert _erased_fields(ravi) == ravi_before
    assert HeldRegistration.objects.filter(email="RAVI@MILL.EXAMPLE").count() == 1
    assert SubmittedRegistration.objects.filter(email="ravi@mill.example").count() == 1


def test_person_erase_drops_e_mails_not_yet_sent(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    pending = OutgoingEmail.objects.create(
        kind="manage_link", to="Siti@Supplier.example", subject="Your link", status="pending"
    )
    person_erase(person=siti.person, by=Actor.system())
    assert OutgoingEmail.objects.filter(pk=pending.pk).exists() is False
    assert OutgoingEmail.objects.filter(pk=siti.email.pk).exists() is True


def test_person_erase_audits_the_person_id_only(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    before = AuditEntry.objects.count()
    person_erase(person=siti.person, by=Actor.system())
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action="person.erased")
    assert (entry.object_id, entry.object_repr, entry.data) == (
        str(siti.person.pk),
        "",
        {"person": siti.person.pk},
    )
    stored = json.dumps(list(AuditEntry.objects.values()), default=str)
    for personal in ("Siti", "Rahman", "siti@supplier.example"):
        assert personal not in stored


def test_person_erase_twice_does_nothing_the_second_time(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    assert person_erase(person=siti.person, by=Actor.system()) is True
    assert person_erase(person=siti.person, by=Actor.system()) is False
    assert AuditEntry.objects.filter(action="person.erased").count() == 1


def _figures(survey: Survey, forums) -> tuple:
    results = survey_results(survey)
    numbers = [
        (r.question.key, r.answered, r.average, r.share, r.nps, r.options, r.workshops)
        for r in results.questions
    ]
    return results.summary, numbers, attendance_counts_by_forum(forums)


def test_person_erase_keeps_attendance_and_survey_figures(make_forum):
    kl = build_results_fixture(make_forum)
    forums = list(Forum.objects.all())
    before = _figures(kl.survey, forums)
    for invitee in kl.respondents[:3]:
        person_erase(person=invitee, by=Actor.system())
    assert _figures(kl.survey, forums) == before


@pytest.mark.django_db(transaction=False)
def test_erasing_on_the_demo_keeps_the_reach_figures():
    """Test this on the demo: erase a quarter of the participants who attended."""
    call_command("load_demo", stdout=StringIO())
    attended = list(
        Person.objects.filter(registrations__checkins__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(attended) > 100
    forums = list(Forum.objects.all())
    reach_before = reach_totals()
    printed_before = StringIO()
    call_command("reach", "--json", stdout=printed_before)
    attendance_before = attendance_counts_by_forum(forums)

    for person in Person.objects.filter(pk__in=attended[::4]):
        person_erase(person=person, by=Actor.system())

    assert Erasure.objects.count() == len(attended[::4])
    assert reach_totals() == reach_before
    printed_after = StringIO()
    call_command("reach", "--json", stdout=printed_after)
    assert json.loads(printed_after.getvalue()) == json.loads(printed_before.getvalue())
    assert attendance_counts_by_forum(forums) == attendance_before
    # Rebuilt from the attendance itself, the reach is still the same.
    rebuilt = StringIO()
    call_command("reach", "--rebuild", "--json", stdout=rebuilt)
    assert json.loads(rebuilt.getvalue()) == json.loads(printed_before.getvalue())


def test_manage_erase_without_confirmation_changes_nothing(client, make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    url = reverse("privacy:manage_erase", args=[siti.registration.secret])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200
    assert Person.objects.get(pk=siti.person.pk).email == "siti@supplier.example"
    assert Erasure.objects.count() == 0


def test_manage_erase_confirmed_erases_and_the_link_stops_working(client, make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    secret = siti.registration.secret
    response = client.post(reverse("privacy:manage_erase", args=[secret]), {"confirm": "yes"})
    assert response.status_code == 200
    assert Person.objects.get(pk=siti.person.pk).email is None
    assert Erasure.objects.get().actor_kind == "registrant"
    assert client.get(reverse("registrations:manage", args=[secret])).status_code == 404


def test_desk_person_erase_needs_confirm(client, make_someone, forum_manager):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    client.force_login(forum_manager)
    url = reverse("privacy:person", args=[siti.person.pk])
    assert client.post(url).status_code == 200
    assert Erasure.objects.count() == 0
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    erasure = Erasure.objects.get()
    assert (erasure.person_id, erasure.actor_kind) == (siti.person.pk, "staff")
    entry = AuditEntry.objects.get(action="person.erased")
    assert entry.actor == forum_manager


def test_erase_person_command_needs_yes(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    with pytest.raises(CommandError):
        call_command("erase_person", "siti@supplier.example")
    assert Erasure.objects.count() == 0
    out = StringIO()
    call_command("erase_person", "siti@supplier.example", "--yes", stdout=out)
    assert out.getvalue() == f"Person {siti.person.pk} erased.\n"
    assert Person.objects.get(pk=siti.person.pk).first_name == ""
