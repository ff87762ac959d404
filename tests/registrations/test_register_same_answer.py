"""The public registration form answers every address the same: a new one, one the site knows
from another forum (held), one registered for this forum, and the same from a visitor logged
in with another address. The request does the same work for each; the worker does the rest."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from registrations.models import HeldRegistration, Registration, SubmittedRegistration
from registrations.tasks import registration_submission_carry_out
from registrations.views import SENT_TO

from .test_views import form_data, register_url, without_csrf

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ADDRESSES = ["new@supplier.example", "known@supplier.example", "registered@supplier.example"]


@pytest.fixture
def addresses(forum, make_forum, register):
    register(forum, "registered@supplier.example")
    register(make_forum(slug="other"), "known@supplier.example")
    return ADDRESSES


def answer(client, forum, email):
    """What a stranger can see of the answer: status, headers but Date, each cookie with its
    attributes and (signed cookies read back) value, the body, and the next page."""
    client.cookies.clear()
    response = client.post(register_url(forum), form_data(email=email))
    cookies = {}
    for name, morsel in response.cookies.items():
        salt = signing._cookie_signer_salt(name, name)  # as set_signed_cookie signs it
        value = signing.get_cookie_signer(salt=salt).unsign(morsel.value)
        # "expires" is the time of the answer plus max-age: compared through max-age.
        attributes = {key: morsel[key] for key in morsel if morsel[key] and key != "expires"}
        cookies[name] = (value.replace(email, "EMAIL"), attributes)
    headers = {k: v for k, v in response.headers.items() if k not in {"Date", "Set-Cookie"}}
    page = client.get(response["Location"]).content.decode()
    return (
        response.status_code,
        headers,
        cookies,
        response.content,
        without_csrf(page).replace(email, "EMAIL"),
    )


def test_register_every_address_gets_the_same_answer_and_cookies(client, forum, addresses):
    answers = {email: answer(client, forum, email) for email in addresses}

    assert answers["known@supplier.example"] == answers["new@supplier.example"]
    assert answers["registered@supplier.example"] == answers["new@supplier.example"]
    status, headers, cookies, body, _ = answers["new@supplier.example"]
    assert (status, headers["Location"], list(cookies), body) == (
        302,
        "/forums/kl-2036/register/sent/",
        [SENT_TO],
        b"",
    )
    # The worker did what each address called for.
    assert Registration.objects.filter(forum=forum).count() == 2
    assert HeldRegistration.objects.get().email == "known@supplier.example"


def test_register_logged_in_visitor_with_another_address_gets_the_same_answer(
    client, forum, addresses, make_user
):
    client.force_login(make_user("visitor@elsewhere.example"))
    answers = {}
    for email in addresses:
        session = client.cookies.get("sessionid")
        answers[email] = answer(client, forum, email)
        client.cookies["sessionid"] = session.value  # answer() clears the cookies
    assert answers["known@supplier.example"] == answers["new@supplier.example"]
    assert answers["registered@supplier.example"] == answers["new@supplier.example"]


def test_register_request_does_the_same_work_for_every_address(client, forum, addresses, settings):
    settings.TASKS = DATABASE_TASKS  # the worker, not the request, carries it out
    queries = {}
    for email in addresses:
        client.cookies.clear()
        with CaptureQueriesContext(connection) as captured:
            client.post(register_url(forum), form_data(email=email))
        queries[email] = [
            re.sub(r"\d+", "N", query["sql"].split(" WHERE ")[0][:40]) for query in captured
        ]

    assert queries["known@supplier.example"] == queries["new@supplier.example"]
    assert queries["registered@supplier.example"] == queries["new@supplier.example"]
    submissions = list(SubmittedRegistration.objects.order_by("pk"))
    assert [s.email for s in submissions] == addresses
    tasks = DBTaskResult.objects.order_by("enqueued_at", "pk")
    assert [(t.task_path, t.args_kwargs["args"]) for t in tasks] == [
        (registration_submission_carry_out.module_path, [s.pk]) for s in submissions
    ]
    # Nothing was registered in the request itself.
    assert Registration.objects.filter(forum=forum).count() == 1


def test_submission_lost_by_the_queue_is_carried_out_by_the_requeue(forum, settings):
    from datetime import timedelta

    from django.utils import timezone

    from registrations import services

    settings.TASKS = DATABASE_TASKS
    submission = services.registration_submit(
        forum=forum,
        details=services.RegistrantDetails(
            first_name="Ana",
            last_name="Lopez",
            email="ana@supplier.example",
            company_name="Azucar del Pacifico",
            country="MX",
        ),
        workshops=[],
    )
    DBTaskResult.objects.all().delete()  # the task is lost
    later = timezone.now() + services.SUBMISSION_LOST_AFTER

    assert services.registration_submissions_requeue(now=later - timedelta(seconds=1)) == []
    assert services.registration_submissions_requeue(now=later + timedelta(seconds=1)) == [
        submission.pk
    ]
    outcome = services.registration_submission_carry_out(submission_id=submission.pk)
    assert outcome is not None
    assert outcome.registration.person.email == "ana@supplier.example"
    assert services.registration_submission_carry_out(submission_id=submission.pk) is None
    submission.refresh_from_db()
    assert (submission.email, submission.details, submission.registration) == (
        "",
        {},
        outcome.registration,
    )


def _lost_submission(forum, settings) -> SubmittedRegistration:
    """A public-form submission stored 6 minutes ago whose task was lost (queued where no worker
    runs); tasks run at once afterwards."""
    from datetime import timedelta

    from registrations import services

    from .conftest import IMMEDIATE_TASKS

    settings.TASKS = DATABASE_TASKS
    submission = services.registration_submit(
        forum=forum,
        details=services.RegistrantDetails(
            first_name="Ana",
            last_name="Lopez",
            email="ana@supplier.example",
            company_name="Azucar del Pacifico",
            country="MX",
        ),
        workshops=[],
    )
    SubmittedRegistration.objects.filter(pk=submission.pk).update(
        submitted_at=submission.submitted_at - timedelta(minutes=6)
    )
    settings.TASKS = IMMEDIATE_TASKS
    return submission


def test_registration_submissions_requeue_command_carries_out_a_lost_submission(forum, settings):
    import io

    from django.core.management import call_command

    _lost_submission(forum, settings)
    out = io.StringIO()

    call_command("registration_submissions_requeue", stdout=out)

    assert out.getvalue() == "Queued again 1 submission(s).\n"
    assert Registration.objects.get().person.email == "ana@supplier.example"


@pytest.mark.django_db(transaction=True)
def test_worker_periodic_sweep_carries_out_a_lost_submission(forum, settings):
    """No command to remember: the sweep the worker runs every OUTBOX_SWEEP_SECONDS queues a
    lost submission again, and it is carried out once however many sweeps see it."""
    import time

    from outbox.sweep import PeriodicSweep

    submission = _lost_submission(forum, settings)
    sweep = PeriodicSweep(seconds=0.05)
    sweep.start()
    try:
        deadline = time.monotonic() + 20
        while not Registration.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # more sweeps: the submission is carried out already
    finally:
        sweep.stop()
        sweep.join(timeout=20)

    assert [r.person.email for r in Registration.objects.all()] == ["ana@supplier.example"]
    assert SubmittedRegistration.objects.get(pk=submission.pk).carried_out_at is not None
