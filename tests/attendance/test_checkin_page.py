"""The check-in page and the endpoints it reads: search, the list of codes for offline answers,
counts, undo, the scan endpoint's source, and the offline queue replayed through the JSON
contract."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from attendance import selectors
from attendance.models import CheckIn, DoorHelper
from attendance.selectors import search_fold
from audit.models import AuditEntry
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.registrations.conftest import FORUM_DAY, add_workshops
from workshops.models import Workshop

# Check-in is open on the forum's day only: these tests run with the clock there.
pytestmark = pytest.mark.usefixtures("on_the_day")


@pytest.fixture(autouse=True)
def _fresh_search_index():
    # Ids are used again from one test to the next: forget the indexes of earlier tests.
    selectors._search_indexes.clear()


@pytest.fixture
def as_secretariat(client, secretariat):
    client.force_login(secretariat)


@pytest.fixture
def people(forum, register, workshop):
    """Four registrants: two with workshops, one waiting for a seat, one cancelled."""
    jose = register(
        forum,
        email="jm4@cvsa.example",
        workshops=[workshop("A1"), workshop("B2")],
        first_name="José",
        last_name="Martínez",
        company_name="Azúcar del Norte S.A. de C.V.",
    ).registration
    dang = register(
        forum,
        email="an.d@sgp.example",
        workshops=[workshop("A2")],
        first_name="Đặng",
        last_name="Văn An",
        company_name="Saigon Pack",
    ).registration
    wang = register(
        forum,
        email="fang@goldenharvest.example",
        first_name="王芳",
        last_name="",
        company_name="Golden Harvest",
    ).registration
    siti = register(
        forum,
        email="siti@kilang.example",
        first_name="Siti",
        last_name="Rahman",
        company_name="Kilang Sawit Maju",
    ).registration
    Registration.objects.filter(pk=wang.pk).update(status=RegistrationStatus.WAITLISTED)
    Registration.objects.filter(pk=siti.pk).update(status=RegistrationStatus.CANCELLED)
    return {"jose": jose, "dang": dang, "wang": wang, "siti": siti}


def search(client, forum, q, **params):
    return client.get(reverse("attendance:checkin_search", args=[forum.slug]), {"q": q, **params})


def names(response):
    return [hit["name"] for hit in response.json()["results"]]


def config_of(response):
    match = re.search(
        r'<script id="checkin-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def count_in_page(response, element_id):
    match = re.search(rf'id="{element_id}">(\d+)<', response.content.decode())
    return int(match.group(1))


# --- search ---


def test_search_fold_drops_accents_and_case_and_keeps_other_scripts():
    assert search_fold("Đặng Văn AN, Nestlé, Łódź, Straße") == "dang van an, nestle, lodz, strasse"
    assert search_fold("王芳") == "王芳"


def test_checkin_search_answers_the_person_with_workshops_and_status(
    as_secretariat, client, forum, people, workshop
):
    response = search(client, forum, "jose")

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "code": people["jose"].checkin_code,
                "name": "José Martínez",
                "company": "Azúcar del Norte S.A. de C.V.",
                "status": "confirmed",
                "workshops": [
                    {"id": workshop("A1").pk, "code": "A1", "title": "Migrant labour"},
                    {"id": workshop("B2").pk, "code": "B2", "title": "Anti-bribery"},
                ],
                "checked_in_at": None,
                "checked_in_by": None,
            }
        ],
        "more": False,
        "time_zone": "Asia/Kuala_Lumpur",
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("MARTINEZ", ["José Martínez"]),
        ("martínez", ["José Martínez"]),
        ("dang", ["Đặng Văn An"]),
        ("van an", ["Đặng Văn An"]),
        ("azucar norte", ["José Martínez"]),
        ("AN.D@SGP", ["Đặng Văn An"]),
        ("dang@", []),
        ("王", ["王芳"]),
        ("golden", ["王芳"]),
        ("kilang", ["Siti Rahman"]),
        ("nobody-like-this", []),
        ("   ", []),
    ],
)
def test_checkin_search_matches_name_email_company_without_accents(
    as_secretariat, client, forum, people, query, expected
):
    assert names(search(client, forum, query)) == expected


def test_checkin_search_puts_names_starting_with_the_query_first(
    as_secretariat, client, forum, register
):
    register(forum, first_name="Ana", last_name="Zamora", company_name="Maria Foods")
    register(forum, first_name="María", last_name="López", company_name="Acme")
    register(forum, first_name="Mario", last_name="Bianchi", company_name="Acme")

    assert names(search(client, forum, "mari")) == ["Mario Bianchi", "María López", "Ana Zamora"]


def test_checkin_search_finds_a_badge_code_exactly_and_no_part_of_it(
    as_secretariat, client, forum, people
):
    code = people["dang"].checkin_code

    assert names(search(client, forum, code)) == ["Đặng Văn An"]
    assert names(search(client, forum, code[:-1] + ("A" if code[-1] != "A" else "B"))) == []


def test_checkin_search_status_and_checkin_time_in_forum_zone(
    as_secretariat, client, forum, people, post_checkin, workshop
):
    post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-1"})
    checkin = CheckIn.objects.get()

    at_door = search(client, forum, "jose").json()["results"][0]
    at_a1 = search(client, forum, "jose", workshop=workshop("A1").pk).json()["results"][0]
    statuses = {
        hit["name"]: hit["status"] for hit in search(client, forum, "example").json()["results"]
    }

    assert (at_door["checked_in_at"], at_door["checked_in_by"]) == (
        checkin.checked_in_at.astimezone(forum.zone).isoformat(),
        "desk@forumdesk.example",
    )
    assert at_door["checked_in_at"].endswith("+08:00")
    assert (at_a1["checked_in_at"], at_a1["checked_in_by"]) == (None, None)
    assert statuses == {
        "José Martínez": "confirmed",
        "Đặng Văn An": "confirmed",
        "王芳": "waitlisted",
        "Siti Rahman": "cancelled",
    }


def test_checkin_search_index_follows_new_registrations_and_renames(
    as_secretariat, client, forum, people, register, monkeypatch
):
    assert names(search(client, forum, "lakshmi")) == []
    register(forum, first_name="Lakshmi", last_name="Iyer")
    assert names(search(client, forum, "lakshmi")) == ["Lakshmi Iyer"]

    people["siti"].person.__class__.objects.filter(pk=people["siti"].person_id).update(
        last_name="Rahmat"
    )
    # Matched on the name the index holds, shown with the name the database holds now.
    assert names(search(client, forum, "rahman")) == ["Siti Rahmat"]
    monkeypatch.setattr(selectors, "SEARCH_INDEX_SECONDS", 0)
    assert names(search(client, forum, "rahman")) == []
    assert names(search(client, forum, "rahmat")) == ["Siti Rahmat"]


def test_checkin_search_shows_at_most_20_and_says_there_are_more(
    as_secretariat, client, forum, register
):
    for _ in range(21):
        register(forum)

    answer = search(client, forum, "rahman").json()
    fewer = search(client, forum, "siti1").json()

    assert (len(answer["results"]), answer["more"]) == (20, True)
    # Siti1 and Siti10–Siti19.
    assert (len(fewer["results"]), fewer["more"]) == (11, False)


def test_checkin_search_only_this_forums_registrations(
    as_secretariat, client, forum, people, make_forum, register
):
    other = make_forum()
    register(other, first_name="José", last_name="Other")

    assert names(search(client, forum, "jose")) == ["José Martínez"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "x" * 101}, "Type at most 100 characters to search."),
        ({"q": "jose", "workshop": "A1"}, "This forum has no workshop with id A1."),
        ({"q": "jose", "workshop": "999999"}, "This forum has no workshop with id 999999."),
        ({"q": "jose", "workshop": "9" * 5000}, f"This forum has no workshop with id {'9' * 20}."),
        ({"q": "jose", "workshop": "١٢"}, "This forum has no workshop with id ١٢."),
    ],
)
def test_checkin_search_bad_request(as_secretariat, client, forum, people, params, message):
    response = client.get(reverse("attendance:checkin_search", args=[forum.slug]), params)

    assert (response.status_code, response.json()) == (400, {"error": message})


def test_checkin_search_emoji_and_long_text_never_fail(as_secretariat, client, forum, people):
    assert search(client, forum, "😀 ✈️ \u202e").json()["results"] == []
    assert search(client, forum, "x" * 100).status_code == 200


def test_checkin_search_workshop_of_another_forum_is_400(
    as_secretariat, client, forum, people, make_forum
):
    other = make_forum()
    add_workshops(other)
    elsewhere = other.workshops.get(code="A1")

    response = search(client, forum, "jose", workshop=elsewhere.pk)

    assert response.json() == {"error": f"This forum has no workshop with id {elsewhere.pk}."}


# --- tapping a search result: the scan endpoint with source "search" ---


def test_checkin_api_records_the_source_search(as_secretariat, post_checkin, forum, people):
    answer = post_checkin(
        forum, {"code": people["jose"].checkin_code, "nonce": "n-1", "source": "search"}
    ).json()

    checkin = CheckIn.objects.get()
    assert (answer["result"], answer["checkin"], checkin.source) == ("ok", checkin.pk, "search")


def test_checkin_api_source_defaults_to_scan(as_secretariat, post_checkin, forum, people):
    post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-1"})

    assert CheckIn.objects.get().source == "scan"


@pytest.mark.parametrize("source", ["import", "walk_in", "", 3, ["scan"]])
def test_checkin_api_other_sources_are_400(as_secretariat, post_checkin, forum, people, source):
    response = post_checkin(
        forum, {"code": people["jose"].checkin_code, "nonce": "n-1", "source": source}
    )

    assert (response.status_code, response.json()) == (
        400,
        {"error": "“source” must be “scan” or “search”, or absent."},
    )
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "who, reason, message",
    [
        ("siti", "cancelled", "This registration is cancelled."),
        ("wang", "waitlisted", "This person is on the waiting list, not registered."),
        ("elsewhere", "other_forum", "This badge is for another forum."),
        ("forged", "malformed", "This is not a check-in code."),
        ("unknown", "unknown", "No registration has this code."),
    ],
)
def test_checkin_refusals_through_the_page_change_nothing(
    as_secretariat, client, post_checkin, forum, people, make_forum, register, who, reason, message
):
    codes = {
        **{key: registration.checkin_code for key, registration in people.items()},
        "elsewhere": register(make_forum()).registration.checkin_code,
        "forged": "https://evil.example/?code=1' OR 1=1",
        "unknown": "A" * 20,
    }
    before = AuditEntry.objects.count()

    answer = post_checkin(forum, {"code": codes[who], "nonce": "n-1", "source": "search"}).json()

    assert (answer["result"], answer["reason"], answer["message"], answer["person"]) == (
        "refused",
        reason,
        message,
        None,
    )
    assert CheckIn.objects.count() == 0
    assert AuditEntry.objects.count() == before


# --- the offline queue, replayed ---


def test_offline_queue_replayed_counts_each_scan_once_with_identical_answers(
    as_secretariat, client, post_checkin, forum, people, workshop
):
    """What the page sends when the network returns: its stored scans, in order, with the
    nonces chosen when they were made. A second run (the first answers were lost) must give
    the same answers and change nothing."""
    queue = [
        {"code": people["jose"].checkin_code, "nonce": "dev1-1", "workshop": None},
        {"code": people["dang"].checkin_code, "nonce": "dev1-2", "workshop": None},
        {"code": people["jose"].checkin_code, "nonce": "dev1-3", "workshop": workshop("A1").pk},
        {"code": people["siti"].checkin_code, "nonce": "dev1-4", "workshop": None},
        # The same badge scanned twice on the device while offline.
        {"code": people["dang"].checkin_code, "nonce": "dev1-5", "workshop": None},
    ]

    first = [post_checkin(forum, scan).json() for scan in queue]
    again = [post_checkin(forum, scan).json() for scan in queue]

    assert again == first
    assert [answer["result"] for answer in first] == ["ok", "ok", "ok", "refused", "already"]
    assert first[4]["checked_in_at"] == first[1]["checked_in_at"]
    assert CheckIn.objects.count() == 3
    assert AuditEntry.objects.filter(action="checked_in").count() == 3
    counts = client.get(reverse("attendance:checkin_counts", args=[forum.slug])).json()
    assert (counts["checked_in"], counts["workshops"][0]["checked_in"]) == (2, 1)


def test_offline_two_devices_admit_one_badge_the_server_keeps_the_first(
    client, door_helper, secretariat, post_checkin, forum, people
):
    """Two devices offline both admitted the same badge; when they sync, the first to reach
    the server is kept and the second is told "already", with the first one's time and
    scanner."""
    code = people["jose"].checkin_code
    client.force_login(door_helper)
    first = post_checkin(forum, {"code": code, "nonce": "door-1", "device": "door"}).json()
    client.force_login(secretariat)
    second = post_checkin(forum, {"code": code, "nonce": "desk-1", "device": "desk"}).json()

    assert (first["result"], second["result"]) == ("ok", "already")
    assert (second["checked_in_at"], second["checked_in_by"]) == (
        first["checked_in_at"],
        "door@forumdesk.example",
    )
    assert list(CheckIn.objects.values_list("device", flat=True)) == ["door"]


# --- the list of codes for offline answers ---


def test_checkin_codes_lists_every_registration_for_offline_answers(
    as_secretariat, client, post_checkin, forum, people, workshop
):
    post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-1"})
    post_checkin(
        forum,
        {"code": people["dang"].checkin_code, "nonce": "n-2", "workshop": workshop("A2").pk},
    )

    response = client.get(reverse("attendance:checkin_codes", args=[forum.slug]))

    answer = response.json()
    assert answer["codes"] == {
        people["jose"].checkin_code: {
            "name": "José Martínez",
            "company": "Azúcar del Norte S.A. de C.V.",
            "status": "confirmed",
            "workshops": sorted([workshop("A1").pk, workshop("B2").pk]),
            "checked_in": True,
            "workshops_checked_in": [],
        },
        people["dang"].checkin_code: {
            "name": "Đặng Văn An",
            "company": "Saigon Pack",
            "status": "confirmed",
            "workshops": [workshop("A2").pk],
            "checked_in": False,
            "workshops_checked_in": [workshop("A2").pk],
        },
        people["wang"].checkin_code: {
            "name": "王芳",
            "company": "Golden Harvest",
            "status": "waitlisted",
            "workshops": [],
            "checked_in": False,
            "workshops_checked_in": [],
        },
        people["siti"].checkin_code: {
            "name": "Siti Rahman",
            "company": "Kilang Sawit Maju",
            "status": "cancelled",
            "workshops": [],
            "checked_in": False,
            "workshops_checked_in": [],
        },
    }
    assert answer["time_zone"] == "Asia/Kuala_Lumpur"
    assert answer["generated_at"].endswith("+08:00")


def test_checkin_codes_refused_to_others(client, users, forum, people):
    client.force_login(users["supplier"])

    response = client.get(reverse("attendance:checkin_codes", args=[forum.slug]))

    assert (response.status_code, response.json()) == (
        403,
        {"error": "You may not check people in at this forum."},
    )


# --- counts ---


def test_checkin_counts_registered_checked_in_and_per_workshop(
    as_secretariat, client, post_checkin, forum, people, workshop
):
    post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-1"})
    post_checkin(
        forum,
        {"code": people["jose"].checkin_code, "nonce": "n-2", "workshop": workshop("A1").pk},
    )
    post_checkin(forum, {"code": people["siti"].checkin_code, "nonce": "n-3"})  # refused

    response = client.get(reverse("attendance:checkin_counts", args=[forum.slug]))

    def row(code, title, registered, checked_in):
        return {
            "id": workshop(code).pk,
            "code": code,
            "title": title,
            "registered": registered,
            "checked_in": checked_in,
        }

    assert response.json() == {
        "registered": 2,
        "checked_in": 1,
        "workshops": [
            row("A1", "Migrant labour", 1, 1),
            row("A2", "Health and safety on site", 1, 0),
            row("B1", "Water stewardship", 0, 0),
            row("B2", "Anti-bribery", 1, 0),
        ],
    }


# --- undo ---


def undo(client, forum, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        reverse("attendance:checkin_undo", args=[forum.slug]),
        data=data,
        content_type="application/json",
    )


def test_checkin_undo_marks_the_checkin_undone_and_counts_drop(
    as_secretariat, client, post_checkin, forum, people, secretariat
):
    made = post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-1"}).json()

    response = undo(client, forum, {"checkin": made["checkin"]})
    again = undo(client, forum, {"checkin": made["checkin"]})

    checkin = CheckIn.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "checkin": checkin.pk,
        "undone_at": checkin.undone_at.astimezone(forum.zone).isoformat(),
        "time_zone": "Asia/Kuala_Lumpur",
    }
    assert again.json() == response.json()
    assert checkin.undone_by == secretariat
    assert AuditEntry.objects.filter(action="checkin_undone").count() == 1
    counts = client.get(reverse("attendance:checkin_counts", args=[forum.slug])).json()
    assert counts["checked_in"] == 0
    # Checked in again after the undo: a new scan, a new record.
    rescan = post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-2"}).json()
    assert rescan["result"] == "ok"
    assert CheckIn.objects.filter(undone_at__isnull=True).count() == 1


def test_checkin_undo_of_another_forums_checkin_is_404(
    as_secretariat, client, post_checkin, forum, people, make_forum, register
):
    other = make_forum(day=FORUM_DAY)
    elsewhere = register(other).registration
    made = post_checkin(other, {"code": elsewhere.checkin_code, "nonce": "n-1"}).json()

    response = undo(client, forum, {"checkin": made["checkin"]})

    assert (response.status_code, response.json()) == (
        404,
        {"error": "This forum has no such check-in."},
    )
    assert CheckIn.objects.get().undone_at is None


def test_checkin_undo_door_helper_of_another_forum_is_404(
    client, door_helper, post_checkin, forum, people, make_forum, register, secretariat
):
    """That forum's desk is another door helper's: it answers 404, as another owner's object."""
    other = make_forum(day=FORUM_DAY)
    elsewhere = register(other).registration
    client.force_login(secretariat)
    made = post_checkin(other, {"code": elsewhere.checkin_code, "nonce": "n-1"}).json()
    client.force_login(door_helper)

    response = undo(client, other, {"checkin": made["checkin"]})

    assert (response.status_code, response.json()) == (404, {"error": "There is no such forum."})
    assert CheckIn.objects.get().undone_at is None


@pytest.mark.parametrize(
    "body", ["{not json", "[1]", "{}", '{"checkin": "1"}', '{"checkin": true}']
)
def test_checkin_undo_bad_body_is_400(as_secretariat, client, forum, people, body):
    response = undo(client, forum, body)

    assert response.status_code == 400
    assert response.json()["error"] in {
        "The request body must be a JSON object.",
        "“checkin” is required: the id of the check-in to undo.",
    }


# --- the page ---


def test_checkin_page_shows_counts_workshops_and_endpoints(
    as_secretariat, client, post_checkin, forum, people, workshop
):
    post_checkin(forum, {"code": people["jose"].checkin_code, "nonce": "n-1"})

    response = client.get(reverse("attendance:checkin", args=[forum.slug]))

    assert response.status_code == 200
    assert (
        count_in_page(response, "count-checked-in"),
        count_in_page(response, "count-registered"),
    ) == (1, 2)
    options = re.findall(r'<option value="(\d*)"', response.content.decode())
    assert options == ["", *[str(workshop(code).pk) for code in ["A1", "A2", "B1", "B2"]]]
    config = config_of(response)
    assert config["urls"] == {
        "checkin": f"/forums/{forum.slug}/checkin/api/",
        "undo": f"/forums/{forum.slug}/checkin/undo/",
        "search": f"/forums/{forum.slug}/checkin/search/",
        "codes": f"/forums/{forum.slug}/checkin/codes/",
        "counts": f"/forums/{forum.slug}/checkin/counts/",
        "jsqr": "/static/attendance/vendor/jsQR.js",
    }
    assert (config["forum"], config["timeZone"]) == (forum.slug, "Asia/Kuala_Lumpur")
    assert config["text"]["reasons"]["cancelled"] == "This registration is cancelled."


def test_checkin_page_preselects_the_workshop_of_the_address(
    as_secretariat, client, forum, workshop
):
    b1 = workshop("B1")

    page = client.get(reverse("attendance:checkin", args=[forum.slug]), {"workshop": b1.pk})
    bad = client.get(reverse("attendance:checkin", args=[forum.slug]), {"workshop": "x"})

    assert re.findall(r'<option value="(\d+)" selected>', page.content.decode()) == [str(b1.pk)]
    assert re.findall(r'<option value="(\d+)" selected>', bad.content.decode()) == []


def test_checkin_page_sends_visitors_to_log_in_and_refuses_others(
    client, users, door_helper, forum, make_forum
):
    url = reverse("attendance:checkin", args=[forum.slug])
    other = make_forum()

    anonymous = client.get(url)
    client.force_login(users["supplier"])
    supplier = client.get(url)
    client.force_login(door_helper)
    own = client.get(url)
    elsewhere = client.get(reverse("attendance:checkin", args=[other.slug]))

    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        f"/accounts/login/?next=/forums/{forum.slug}/checkin/",
    )
    # A door helper of this forum only: another forum's page is another's, so 404.
    assert (supplier.status_code, own.status_code, elsewhere.status_code) == (403, 200, 404)
    assert DoorHelper.objects.count() == 1


def test_checkin_page_links_to_walk_in_and_the_printable_list(as_secretariat, client, forum):
    page = client.get(reverse("attendance:checkin", args=[forum.slug])).content.decode()

    links = re.compile(r'<a class="button secondary" href="([^"]+)">')
    assert links.findall(page) == [
        f"/forums/{forum.slug}/checkin/walk-in/",
        f"/forums/{forum.slug}/checkin/list.pdf",
    ]


# --- query counts ---


def _more_workshops(forum, count):
    a1 = Workshop.objects.get(forum=forum, code="A1")
    for number in range(count):
        Workshop.objects.create(
            forum=forum,
            code=f"C{number}",
            title="Traceability",
            pillar="environment",
            starts_at=a1.starts_at + timedelta(hours=5 + 2 * number),
            ends_at=a1.ends_at + timedelta(hours=5 + 2 * number),
            seat_limit=20,
        )
    return list(Workshop.objects.filter(forum=forum, code__startswith="C"))


@pytest.mark.parametrize("size", [1, 3])
def test_checkin_page_query_count(
    as_secretariat, client, post_checkin, forum, register, django_assert_num_queries, size
):
    extra = _more_workshops(forum, size)
    for _ in range(size):
        registrant = register(forum, workshops=extra).registration
        post_checkin(forum, {"code": registrant.checkin_code, "nonce": f"n-{registrant.pk}"})

    with django_assert_num_queries(7):
        response = client.get(reverse("attendance:checkin", args=[forum.slug]))

    assert count_in_page(response, "count-checked-in") == size


@pytest.mark.parametrize("size", [1, 3])
def test_checkin_search_query_count(
    as_secretariat, client, post_checkin, forum, register, django_assert_num_queries, size
):
    extra = _more_workshops(forum, size)
    for _ in range(size):
        registrant = register(forum, workshops=extra).registration
        post_checkin(forum, {"code": registrant.checkin_code, "nonce": f"n-{registrant.pk}"})

    search(client, forum, "rah")  # the first letters typed make the forum's index

    with django_assert_num_queries(7):
        response = search(client, forum, "rahman")

    results = response.json()["results"]
    assert [len(hit["workshops"]) for hit in results] == [size] * size
    assert all(hit["checked_in_at"] for hit in results)


@pytest.mark.parametrize("size", [1, 3])
def test_checkin_api_from_search_query_count(
    as_secretariat, post_checkin, forum, register, django_assert_num_queries, size
):
    extra = _more_workshops(forum, size)
    registrant = register(forum, workshops=extra).registration
    for _ in range(size - 1):
        register(forum, workshops=extra)

    # 13, and 6 to keep the reach facts true (reports.receivers): the lock, merged records,
    # delete, the company's and person's attended rows (none: the forum is not held yet, so no
    # pillars are read), the forum's groups and pillars.
    with django_assert_num_queries(19):
        answer = post_checkin(
            forum, {"code": registrant.checkin_code, "nonce": "n-1", "source": "search"}
        ).json()

    assert (answer["result"], len(answer["person"]["workshops"])) == ("ok", size)


@pytest.mark.parametrize("size", [1, 3])
def test_checkin_codes_and_counts_query_count(
    as_secretariat, client, post_checkin, forum, register, django_assert_num_queries, size
):
    extra = _more_workshops(forum, size)
    for _ in range(size):
        registrant = register(forum, workshops=extra).registration
        post_checkin(forum, {"code": registrant.checkin_code, "nonce": f"n-{registrant.pk}"})

    with django_assert_num_queries(6):
        codes = client.get(reverse("attendance:checkin_codes", args=[forum.slug])).json()
    with django_assert_num_queries(7):
        counts = client.get(reverse("attendance:checkin_counts", args=[forum.slug])).json()

    assert len(codes["codes"]) == size
    assert counts["checked_in"] == size


def test_checkin_undo_id_out_of_any_range_is_404(as_secretariat, client, forum, people):
    response = undo(client, forum, '{"checkin": 1000000000000000000000000000000}')

    assert (response.status_code, response.json()) == (
        404,
        {"error": "This forum has no such check-in."},
    )
