from dataclasses import dataclass

import pytest
from django.utils import timezone

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from feedback.models import Answer, Response, SurveyInvitation
from forums.models import Person
from outbox.models import OutgoingEmail
from registrations.enums import QuestionKind
from registrations.models import (
    HeldRegistration,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    SubmittedRegistration,
    WorkshopPlace,
)
from tests.feedback.results_fixture import add_workshop, build_survey


@dataclass
class Someone:
    person: Person
    registration: Registration
    answer: RegistrationAnswer
    checkin: CheckIn
    feedback: Answer
    email: OutgoingEmail


@pytest.fixture
def make_someone(make_forum):
    """A participant with one of everything the privacy tools know about, at `forum`."""
    forum = make_forum(slug="kl", title="Responsible Sourcing Forum KL")
    workshop = add_workshop(forum, "A1", [])
    question = RegistrationQuestion.objects.create(
        forum=forum, kind=QuestionKind.TEXT, label_en="Which commodity do you supply?"
    )
    survey, questions = build_survey(forum)

    def make(first: str, last: str, address: str) -> Someone:
        person = Person.objects.create(
            first_name=first, last_name=last, email=address, job_title="Buyer", phone="+60 3 1234"
        )
        registration = Registration.objects.create(
            forum=forum,
            person=person,
            job_title="Sustainability lead",
            dietary_needs="Halal",
            accessibility_needs="Wheelchair",
            share_with_sponsors=True,
        )
        WorkshopPlace.objects.create(
            registration=registration, workshop=workshop, status="confirmed"
        )
        answer = RegistrationAnswer.objects.create(
            registration=registration, question=question, text=f"Palm oil from {last}"
        )
        checkin = CheckIn.objects.create(
            registration=registration,
            checked_in_at=forum.starts_at,
            nonce=f"n-{registration.pk}",
            source=CheckInSource.AFTER_THE_DAY,
            reason=f"{first} signed the paper list",
        )
        invitation = SurveyInvitation.objects.create(
            survey=survey, registration=registration, responded_at=forum.starts_at
        )
        response = Response.objects.create(
            survey=survey, invitation=invitation, submitted_at=forum.starts_at
        )
        Answer.objects.create(response=response, question=questions["overall"], number=4)
        feedback = Answer.objects.create(
            response=response, question=questions["comments"], text=f"Thanks, {first}"
        )
        email = OutgoingEmail.objects.create(
            kind="manage_link",
            to=address,
            about=registration,
            subject=f"Your link, {first}",
            body_text=f"Hello {first}",
            body_html=f"<p>Hello {first}</p>",
            status="sent",
            sent_at=timezone.now(),
        )
        HeldRegistration.objects.create(
            forum=forum, email=address.upper(), details={"first_name": first}
        )
        SubmittedRegistration.objects.create(
            forum=forum, email=address, details={"first_name": first}, submitted_at=timezone.now()
        )
        return Someone(person, registration, answer, checkin, feedback, email)

    return make
