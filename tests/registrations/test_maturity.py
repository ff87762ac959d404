import re

import pytest
from django.urls import reverse

from forums.enums import Pillar
from registrations.enums import MaturityStage, RsjModule
from registrations.maturity import STAGE_DESCRIPTIONS, weakest_module
from registrations.models import HeldRegistration, Registration
from registrations.services import registration_confirm_held
from registrations.tokens import manage_token
from tests.registrations.test_views import form_data, register_url

ANSWERS = {
    "rsj_setting_tone": "2",
    "rsj_due_diligence": "1",
    "rsj_monitoring": "0",
    "rsj_stakeholders": "",
}


def _stages(registration):
    return [getattr(registration, module.field_name) for module in RsjModule]


def test_register_form_asks_each_module_with_the_journeys_descriptions(client, forum):
    html = client.get(register_url(forum)).content.decode()
    legends = re.findall(r'<legend class="maturity-module">(.*?)</legend>', html)
    assert legends == [
        "Setting the tone",
        "Implementing due diligence, grievance mechanisms and remediation",
        "Monitoring and reporting progress",
        "Engaging stakeholders",
    ]
    labels = [label for _, label in client.get(register_url(forum)).context["form"].fields[
        "rsj_monitoring"].choices]  # fmt: skip
    assert [str(label) for label in labels] == [
        "I prefer not to say",
        "Not started – We do not yet report on our programme.",
        "Launched – We are reporting regularly on the basic activities of our program to "
        "relevant functions internally.",
        "Established – We monitor activities, outputs and outcomes.",
        "Integrated – We monitor activities and impacts.",
        "Leadership – We work with an independent third party to monitor all significant "
        "impacts, whether positive or negative, related to our business activities and "
        "business relationships.",
    ]
    assert html.count('type="radio" name="rsj_stakeholders"') == 6


def test_register_stores_the_self_assessment(client, forum):
    response = client.post(register_url(forum), form_data(**ANSWERS))
    assert response.status_code == 302
    assert _stages(Registration.objects.get()) == [2, 1, 0, None]


def test_register_without_answers_stores_none(client, forum):
    client.post(register_url(forum), form_data())
    assert _stages(Registration.objects.get()) == [None, None, None, None]


@pytest.mark.parametrize("value", ["5", "-1", "x", "1.5", "9" * 50])
def test_register_refuses_a_stage_that_is_not_offered(client, forum, value):
    response = client.post(register_url(forum), form_data(rsj_monitoring=value))
    assert response.status_code == 200
    assert response.context["form"].errors["rsj_monitoring"] == [
        f"Select a valid choice. {value} is not one of the available choices."
    ]
    assert Registration.objects.count() == 0


def test_held_registration_keeps_the_self_assessment_until_confirmed(client, forum, make_person):
    make_person(email="siti@supplier.example")
    client.post(register_url(forum), form_data(**ANSWERS))
    held = HeldRegistration.objects.get()
    assert held.details["maturity"] == {"setting_tone": 2, "due_diligence": 1, "monitoring": 0}
    assert not Registration.objects.exists()
    outcome = registration_confirm_held(held=held)
    assert outcome.registration == Registration.objects.get()
    assert _stages(Registration.objects.get()) == [2, 1, 0, None]


def test_changing_details_later_keeps_the_self_assessment(client, forum):
    client.post(register_url(forum), form_data(**ANSWERS))
    registration = Registration.objects.get()
    url = reverse("registrations:manage", args=[manage_token(registration)])
    client.post(url, {**form_data(job_title="Plant manager"), "action": "details"})
    registration.refresh_from_db()
    assert registration.job_title == "Plant manager"
    assert _stages(registration) == [2, 1, 0, None]


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ({}, None),
        ({"setting_tone": None, "monitoring": None}, None),
        ({"setting_tone": 4, "monitoring": 4}, None),
        ({"setting_tone": 2, "due_diligence": 1, "monitoring": 3}, "due_diligence"),
        # A tie goes to the module that comes first in the journey.
        ({"stakeholders": 0, "monitoring": 0}, "monitoring"),
    ],
)
def test_weakest_module(stages, expected):
    assert weakest_module(stages) == expected


def test_manage_page_suggests_the_workshops_of_the_weakest_module(client, forum, workshop):
    # conftest: A1 human rights, A2 health and safety, B1, B2 (see the pillars below).
    pillars = {code: workshop(code).pillar for code in ("A1", "A2", "B1", "B2")}
    client.post(register_url(forum), form_data(rsj_setting_tone="3", rsj_due_diligence="1"))
    registration = Registration.objects.get()
    html = client.get(
        reverse("registrations:manage", args=[manage_token(registration)])
    ).content.decode()
    (section,) = re.findall(r'<section class="message" id="suggested-workshops">(.*?)</section>',
                            html, re.S)  # fmt: skip
    wanted = {Pillar.HUMAN_RIGHTS, Pillar.HEALTH_SAFETY}
    expected = [
        f"{code} · {workshop(code).title}" for code, pillar in pillars.items() if pillar in wanted
    ]
    assert expected  # the fixture has workshops under these pillars
    assert re.findall(r"<li>(.*?)</li>", section) == expected


def test_manage_page_suggests_nothing_without_answers(client, forum):
    client.post(register_url(forum), form_data())
    registration = Registration.objects.get()
    html = client.get(
        reverse("registrations:manage", args=[manage_token(registration)])
    ).content.decode()
    assert 'id="suggested-workshops"' not in html


def test_every_stage_of_every_module_has_a_description():
    assert sorted(STAGE_DESCRIPTIONS) == sorted(
        (module.value, stage.value) for module in RsjModule for stage in MaturityStage
    )
