"""The pages and files of badges, certificates and the check-in list: who gets them, what they
answer, the background runs and their query counts."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from attendance.models import CheckIn, DoorHelper, PdfRun
from tests.attendance.pdf_reading import decoded_qr_codes, page_count, pdf_lines
from workshops.models import Workshop


@pytest.fixture
def registrant(forum, register, workshop):
    return register(
        forum,
        first_name="Siti",
        last_name="Rahman",
        company_name="Nestlé Malaysia",
        workshops=[workshop("A1"), workshop("B1")],
    ).registration


def check_in(registration, workshop=None):
    return CheckIn.objects.create(
        registration=registration,
        workshop=workshop,
        checked_in_at=timezone.now(),
        nonce=f"n-{registration.pk}-{workshop.pk if workshop else 0}",
        source="scan",
    )


def badge_url(forum, ref):
    return reverse("attendance:badge", args=[forum.slug, ref])


@pytest.mark.parametrize("by", ["code", "id"])
def test_badge_pdf_door_helper_gets_the_badge_by_code_or_id(
    client, forum, door_helper, registrant, by
):
    client.force_login(door_helper)
    ref = registrant.checkin_code if by == "code" else str(registrant.pk)

    response = client.get(badge_url(forum, ref))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf_lines(content)[2:4] == ["Siti Rahman", "Nestlé Malaysia"]
    assert decoded_qr_codes(content) == [registrant.checkin_code]


def test_badge_pdf_registration_of_another_forum_is_404(
    client, make_forum, forum, door_helper, register, secretariat
):
    other = register(make_forum(slug="jakarta"), first_name="Budi").registration
    client.force_login(secretariat)

    assert client.get(badge_url(forum, other.checkin_code)).status_code == 404
    assert client.get(badge_url(forum, str(other.pk))).status_code == 404
    assert client.get(badge_url(forum, "not-a-code")).status_code == 404


def test_badge_pdf_cancelled_registration_is_404(client, forum, secretariat, registrant):
    from audit.services import Actor
    from registrations.services import registration_cancel

    registration_cancel(registration=registrant, by=Actor.system())
    client.force_login(secretariat)

    assert client.get(badge_url(forum, str(registrant.pk))).status_code == 404


def test_badge_pdf_door_helper_of_another_forum_is_refused(client, make_forum, forum, registrant):
    helper = User.objects.create_user(email="elsewhere@forumdesk.example")
    DoorHelper.objects.create(user=helper, forum=make_forum(slug="jakarta"))
    client.force_login(helper)

    # This forum's desk is another door helper's: 404, as another owner's object.
    assert client.get(badge_url(forum, registrant.checkin_code)).status_code == 404
    assert client.get(reverse("attendance:checkin_list", args=[forum.slug])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_badge_pdf_query_count_does_not_grow_with_workshops(
    client, forum, door_helper, register, count, django_assert_num_queries
):
    workshops = list(Workshop.objects.filter(forum=forum, code__in=["A1", "B1"])[:count])
    if count == 3:  # a third slot
        third = Workshop.objects.get(forum=forum, code="A2")
        third.pk = None
        third.code = "C1"
        third.starts_at = third.starts_at.replace(hour=16)
        third.ends_at = third.starts_at.replace(hour=17)
        third.save()
        workshops = [*Workshop.objects.filter(forum=forum, code__in=["A1", "B1"]), third]
    registration = register(forum, workshops=workshops).registration
    client.force_login(door_helper)

    # One of them reads the association's logo (forums.models.Branding).
    with django_assert_num_queries(7):
        response = client.get(badge_url(forum, registration.checkin_code))

    assert len([line for line in pdf_lines(response.content) if " · " in line]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_checkin_list_query_count_does_not_grow_with_registrations(
    client, forum, secretariat, register, workshop, count, django_assert_num_queries
):
    for _ in range(count):
        register(forum, workshops=[workshop("A1")])
    client.force_login(secretariat)

    with django_assert_num_queries(5):
        response = client.get(reverse("attendance:checkin_list", args=[forum.slug]))

    assert response.status_code == 200
    assert pdf_lines(response.content).count("A1") == count


def test_pdf_runs_post_badges_runs_in_the_background_and_downloads(
    client, forum, secretariat, registrant, register, django_capture_on_commit_callbacks
):
    register(forum, first_name="Ahmad", last_name="Aziz")
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("attendance:pdf_runs", args=[forum.slug]), {"kind": "badges"}
        )

    run = PdfRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:pdf_run", args=[forum.slug, run.pk])
    assert (run.kind, run.status, run.total, run.done) == ("badges", "done", 2, 2)
    assert run.requested_by == secretariat
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "2 of 2" in page
    download = client.get(reverse("attendance:pdf_run_download", args=[forum.slug, run.pk]))
    assert download.status_code == 200
    names = [line for line in pdf_lines(download.content) if line in ("Ahmad Aziz", "Siti Rahman")]
    assert names == ["Ahmad Aziz", "Siti Rahman"]


def test_pdf_runs_unfinished_run_page_refreshes_itself(client, forum, secretariat, registrant):
    run = PdfRun.objects.create(kind="badges", forum=forum, total=300, done=50, status="running")
    client.force_login(secretariat)

    response = client.get(reverse("attendance:pdf_run", args=[forum.slug, run.pk]))

    assert response.context["refresh"] is True
    assert '<meta http-equiv="refresh" content="2">' in response.content.decode()
    assert '<progress max="300" value="50"' in response.content.decode()
    download = reverse("attendance:pdf_run_download", args=[forum.slug, run.pk])
    assert client.get(download).status_code == 404


def test_pdf_runs_certificates_with_nobody_checked_in_says_so_and_makes_nothing(
    client, forum, secretariat, registrant
):
    client.force_login(secretariat)

    response = client.post(
        reverse("attendance:pdf_runs", args=[forum.slug]), {"kind": "certificates"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["Nobody has been checked in at this forum, so there are no certificates."]
    }
    assert PdfRun.objects.count() == 0


def test_pdf_runs_certificates_for_those_checked_in(
    client, forum, secretariat, registrant, register, django_capture_on_commit_callbacks
):
    register(forum, first_name="Ahmad", last_name="Aziz")
    check_in(registrant)
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("attendance:pdf_runs", args=[forum.slug]), {"kind": "certificates"})

    run = PdfRun.objects.get()
    assert (run.status, run.total, run.registration_ids) == ("done", 1, [registrant.pk])
    assert pdf_lines(bytes(run.pdf))[2] == "Siti Rahman"


def test_pdf_run_of_another_forum_is_404(client, make_forum, forum, secretariat):
    other = make_forum(slug="jakarta")
    run = PdfRun.objects.create(kind="badges", forum=other, total=1, status="done", pdf=b"%PDF")
    client.force_login(secretariat)

    assert client.get(reverse("attendance:pdf_run", args=[forum.slug, run.pk])).status_code == 404
    download = reverse("attendance:pdf_run_download", args=[forum.slug, run.pk])
    assert client.get(download).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_pdf_runs_page_query_count_does_not_grow_with_runs(
    client, forum, secretariat, count, django_assert_num_queries
):
    for _ in range(count):
        PdfRun.objects.create(
            kind="badges", forum=forum, total=10, done=10, status="done", requested_by=secretariat
        )
    client.force_login(secretariat)

    with django_assert_num_queries(4):
        response = client.get(reverse("attendance:pdf_runs", args=[forum.slug]))

    assert len(response.context["runs"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_pdf_run_page_query_count(client, forum, secretariat, count, django_assert_num_queries):
    runs = [
        PdfRun.objects.create(kind="badges", forum=forum, total=count, status="queued")
        for _ in range(count)
    ]
    client.force_login(secretariat)

    with django_assert_num_queries(4):
        response = client.get(reverse("attendance:pdf_run", args=[forum.slug, runs[-1].pk]))

    assert response.context["run"] == runs[-1]


def test_admin_action_prints_badges_for_the_selection(
    client, forum, secretariat, register, django_capture_on_commit_callbacks
):
    chosen = [register(forum, first_name=name).registration for name in ("Ana", "Bo")]
    register(forum, first_name="Left")
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:registrations_registration_changelist"),
            {
                "action": "print_badges",
                helpers.ACTION_CHECKBOX_NAME: [str(r.pk) for r in chosen],
            },
        )

    run = PdfRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:pdf_run", args=[forum.slug, run.pk])
    assert (run.registration_ids, run.status) == (sorted(r.pk for r in chosen), "done")
    assert page_count(bytes(run.pdf)) == 1
    names = [line for line in pdf_lines(bytes(run.pdf)) if line.endswith(" Rahman")]
    assert names == ["Ana Rahman", "Bo Rahman"]


def test_admin_action_refuses_registrations_of_two_forums(
    client, make_forum, forum, secretariat, register
):
    chosen = [
        register(forum).registration,
        register(make_forum(slug="jakarta")).registration,
    ]
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "print_badges", helpers.ACTION_CHECKBOX_NAME: [str(r.pk) for r in chosen]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Select registrations of one forum at a time: each forum has its own badges."
    ]
    assert PdfRun.objects.count() == 0


def certificate_url(registration):
    return reverse("attendance:certificate", args=[registration.secret])


def test_certificate_by_manage_secret_when_attended(client, forum, registrant, workshop):
    check_in(registrant)
    check_in(registrant, workshop("B1"))

    response = client.get(certificate_url(registrant))

    assert response.status_code == 200
    lines = pdf_lines(response.content)
    assert lines[2:4] == ["Siti Rahman", "Nestlé Malaysia"]
    assert lines[lines.index("and took part in these workshops:") + 1] == "Water stewardship"


def test_certificate_not_attended_says_so(client, forum, registrant):
    response = client.get(certificate_url(registrant))

    assert response.status_code == 200
    assert response.templates[0].name == "attendance/certificate_unavailable.html"
    assert "nobody was checked in with it" in response.content.decode()


def test_certificate_wrong_secret_is_404(client, forum, registrant):
    check_in(registrant)

    tampered = reverse("attendance:certificate", args=[registrant.secret[:-2] + "xx"])
    assert client.get(tampered).status_code == 404
    assert client.get(reverse("attendance:certificate", args=["x"])).status_code == 404


def test_certificate_still_available_after_the_forum(client, forum, registrant):
    check_in(registrant)
    forum.__class__.objects.filter(pk=forum.pk).update(
        starts_at=timezone.now() - timezone.timedelta(days=3),
        ends_at=timezone.now() - timezone.timedelta(days=3) + timezone.timedelta(hours=8),
    )

    assert client.get(certificate_url(registrant)).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_certificate_query_count_does_not_grow_with_workshops(
    client, forum, register, workshop, count, django_assert_num_queries
):
    codes = ["A1", "B1", "A2"][:count]
    registration = register(forum, workshops=[workshop(c) for c in codes[:2]]).registration
    check_in(registration)
    for code in codes:
        check_in(registration, workshop(code))

    # One of them reads the signatory and the logo (forums.models.Branding).
    with django_assert_num_queries(6):
        response = client.get(certificate_url(registration))

    lines = pdf_lines(response.content)
    start = lines.index("and took part in these workshops:")
    assert len(lines[start + 1 : -1]) == count


def test_manage_page_links_the_certificate_only_when_attended(client, forum, registrant):
    url = reverse("registrations:manage", args=[registrant.secret])
    assert certificate_url(registrant) not in client.get(url).content.decode()

    check_in(registrant)

    assert certificate_url(registrant) in client.get(url).content.decode()


def test_my_forums_links_the_certificate_only_when_attended(
    client, make_forum, forum, register, make_user
):
    user = make_user("siti@supplier.example")
    came = register(forum, email="siti@supplier.example").registration
    stayed_away = register(make_forum(), email="siti@supplier.example").registration
    check_in(came)
    client.force_login(user)

    page = client.get(reverse("registrations:my_forums")).content.decode()

    assert page.count('class="certificate"') == 1
    assert certificate_url(came) in page
    assert certificate_url(stayed_away) not in page
