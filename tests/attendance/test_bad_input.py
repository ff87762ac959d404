"""Input that answered 500 with DEBUG off: each now answers a 4xx and leaves the data as it was.
The NUL cases are tried with RefuseNulMiddleware on and off, so the views refuse them too."""

import json

import pytest
from django.urls import reverse

from attendance.models import CheckIn
from registrations.models import Registration

pytestmark = pytest.mark.usefixtures("on_the_day")

NUL_MIDDLEWARE = "config.params.RefuseNulMiddleware"


@pytest.fixture
def desk(client, secretariat, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(secretariat)
    return client


@pytest.fixture(params=["with the middleware", "without it"])
def nul_layers(request, settings):
    if request.param == "without it":
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != NUL_MIDDLEWARE]
    return request.param


@pytest.fixture
def registrant(forum, register):
    return register(forum).registration


def state():
    return (Registration.objects.count(), list(CheckIn.objects.values_list("pk", "undone_at")))


def test_walk_in_registration_not_an_id_is_404(desk, forum, registrant):
    before = state()

    shown = desk.get(reverse("attendance:walk_in", args=[forum.slug]) + "?registration=%C2%B2")
    posted = desk.post(reverse("attendance:walk_in", args=[forum.slug]), {"check_in": "²"})

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert state() == before


def test_walk_in_nonce_with_a_nul_is_400(desk, forum, registrant, nul_layers):
    before = state()

    response = desk.post(
        reverse("attendance:walk_in", args=[forum.slug]),
        {"check_in": str(registrant.pk), "nonce": "n\x001"},
    )

    assert response.status_code == 400
    assert response.content.decode() == (
        "The request contains a NUL character, which no field accepts."
        if nul_layers == "with the middleware"
        else "This value contains a NUL character."
    )
    assert state() == before


def test_badge_of_an_id_that_is_no_id_is_404(desk, forum, registrant):
    response = desk.get(f"/forums/{forum.slug}/checkin/badge/%C2%B2.pdf")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["attendance:checkin_api", "attendance:checkin_undo"])
def test_json_nested_100000_deep_is_400(desk, forum, registrant, name):
    before = state()

    response = desk.post(
        reverse(name, args=[forum.slug]),
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"error": "The request body is larger than 16384 bytes."},
    )
    small = desk.post(
        reverse(name, args=[forum.slug]),
        data='{"a":' * 1_000 + "1" + "}" * 1_000,
        content_type="application/json",
    )
    assert (small.status_code, small.json()) == (
        400,
        {"error": "The request body is nested too deeply."},
    )
    assert state() == before


def test_checkin_api_nul_in_nonce_with_a_known_code_is_400(desk, forum, registrant):
    response = desk.post(
        reverse("attendance:checkin_api", args=[forum.slug]),
        data=json.dumps({"code": registrant.checkin_code, "nonce": "n\x001"}),
        content_type="application/json",
    )

    # read_json_object lets the escaped NUL through (json.dumps writes it as \u0000); the
    # form's read_text refuses it.
    assert (response.status_code, response.json()) == (
        400,
        {"error": "“nonce” is required: a text of 1 to 64 characters, new per scan."},
    )
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "body, error",
    [
        ({"code": "²", "nonce": "n-1", "workshop": "²"}, "“workshop” must be a workshop's id"),
        ({"code": ["x"], "nonce": "n-1"}, "“code” is required: the text of the badge's QR code."),
        ({"code": "x", "nonce": 5}, "“nonce” is required: a text of 1 to 64 characters"),
        ({"code": "x", "nonce": "n", "device": "d" * 101}, "“device” must be a text of at most"),
    ],
)
def test_checkin_api_fields_of_the_wrong_kind_are_400(desk, forum, registrant, body, error):
    response = desk.post(
        reverse("attendance:checkin_api", args=[forum.slug]),
        data=json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    assert CheckIn.objects.count() == 0


def test_checkin_api_posted_as_a_form_is_400(desk, forum, registrant):
    """A form's body has been read by the NUL middleware; the raw body is gone (was a 500)."""
    response = desk.post(reverse("attendance:checkin_api", args=[forum.slug]), {"code": "x"})

    assert (response.status_code, response.json()) == (
        400,
        {"error": "The request body must be a JSON object."},
    )
