"""Registration pages × every role → the status each must answer (rows in the style of
test_permissions.py). A manage link stands for its registrant, whoever is logged in."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from attendance.models import CheckIn, DoorHelper, PdfRun
from forums.enums import ForumStatus
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import QuestionKind
from registrations.models import (
    HeldRegistration,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
)
from registrations.tokens import manage_token
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_registration_table,
    project_url_names,
    rows_missing,
    url_names_of,
)
from workshops.models import Workshop

MATRIX = [
    row("forum_open", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("forum_open POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("register_open", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # An empty form comes back with its errors; nothing is registered.
    row("register_open POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("register_closed", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("register_closed POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("register_draft", 404, 404, 404, 404, 404, 404, 404, 200, 302),
    row("register_draft POST", 404, 404, 404, 404, 404, 404, 404, 200, 302),
    row("register_sent", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("register_sent POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("register_sent_draft", 404, 404, 404, 404, 404, 404, 404, 200, 302),
    row("register_sent_draft POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("confirm_held", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # Only the button (confirm=yes) confirms; a POST without it shows the page again.
    row("confirm_held POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("confirm_held_tampered", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("confirm_held_tampered POST", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("confirm_held_expired", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("confirm_held_expired POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # A POST without an action changes nothing and shows the page.
    row("manage POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage_calendar", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage_calendar POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("manage_tampered", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("manage_tampered POST", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("manage_expired", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage_expired POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("resend_link_get", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("resend_link_get POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("my_forums", 302, 200, 200, 200, 200, 200, 200, 200, 200),
    row("my_forums POST", 302, 405, 405, 405, 405, 405, 405, 405, 405),
    row("admin_registrations", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_registration", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_outgoing_emails", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshops", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_import", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # The import's templates are downloaded, never posted to.
    row("admin_import_template", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_import_template POST", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    row("admin_import_template_xlsx", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_import_template_xlsx POST", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    # Non-staff go to the admin's login. For the secretariat: a list posted without an action
    # and a selection shows the list; a form posted empty comes back with its errors; a delete
    # page posted without its confirmation asks again. Registrations and e-mails are never
    # added by hand, registrations never deleted (cancel instead).
    row("admin_registrations POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_registration POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_registration_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_registration_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_registration_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_registration_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_registration_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_registration_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_import POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # The import's second step is only ever posted (from the preview).
    row("admin_process_import", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    # Without the name of an upload this site kept, the confirmation is refused: 400.
    row("admin_process_import POST", 302, 302, 302, 302, 302, 302, 302, 400, 302),
    row("admin_outgoing_emails POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # An e-mail is looked at, not edited: its page has no form to post.
    row("admin_outgoing_email", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_outgoing_email POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_outgoing_email_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_outgoing_email_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_outgoing_email_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_outgoing_email_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_outgoing_email_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_outgoing_email_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshops POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_workshop_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # The check-in endpoint is only posted to; a body that is not JSON is a 400 for those who
    # may check people in: the secretariat, and the door helper given this forum.
    row("checkin_api", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_api POST", 403, 403, 403, 403, 403, 403, 400, 400, 302),
    # A forum's registration questions: an empty form comes back with its errors; an answered
    # question's delete page sends back to the question, deleting nothing.
    row("admin_questions", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_questions POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_question", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_question POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_question_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_question_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_question_delete", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_question_delete POST", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_question_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_question_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_checkins", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_checkins POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Check-ins are made and undone by the check-in services only: the admin just shows them.
    row("admin_checkin", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_checkin POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_checkin_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_checkin_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_checkin_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_checkin_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_checkin_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_checkin_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helpers", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helpers POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_door_helper_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # The walk-in page: anonymous people are sent to log in; only the secretariat and the door
    # helper given this forum may use it (403 for everyone else, as at the check-in endpoint).
    # An empty form comes back with its errors; nothing is registered.
    row("walk_in", 302, 403, 403, 403, 403, 403, 200, 200, 302),
    row("walk_in POST", 302, 403, 403, 403, 403, 403, 200, 200, 302),
    # Badges and the paper list: the secretariat and the forum's door helpers.
    row("badge", 403, 403, 403, 403, 403, 403, 200, 200, 302),
    row("badge POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_list", 403, 403, 403, 403, 403, 403, 200, 200, 302),
    row("checkin_list POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Runs of badges and certificates: the secretariat only. An empty POST shows the form's
    # errors and starts nothing.
    row("pdf_runs", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("pdf_runs POST", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("pdf_run", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("pdf_run POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("pdf_run_download", 403, 403, 403, 403, 403, 403, 403, 200, 302),
    row("pdf_run_download POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A certificate through the manage link's secret stands for its registrant.
    row("certificate", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("certificate POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("certificate_tampered", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("certificate_tampered POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The check-in page and the endpoints it reads: the secretariat, and the door helper given
    # the forum. A visitor is sent to log in first; any other account gets 403, as from the
    # scan endpoint, except a door helper of another forum: that desk is another's, so 404.
    # Undo is only posted to; a body that is not JSON is a 400.
    row("checkin", 302, 403, 403, 403, 403, 403, 200, 200, 302),
    row("checkin POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_elsewhere", 302, 403, 403, 403, 403, 403, 404, 200, 302),
    row("checkin_elsewhere POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_search", 403, 403, 403, 403, 403, 403, 200, 200, 302),
    row("checkin_search POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_search_elsewhere", 403, 403, 403, 403, 403, 403, 404, 200, 302),
    row("checkin_search_elsewhere POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_codes", 403, 403, 403, 403, 403, 403, 200, 200, 302),
    row("checkin_codes POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_codes_elsewhere", 403, 403, 403, 403, 403, 403, 404, 200, 302),
    row("checkin_codes_elsewhere POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_counts", 403, 403, 403, 403, 403, 403, 200, 200, 302),
    row("checkin_counts POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_counts_elsewhere", 403, 403, 403, 403, 403, 403, 404, 200, 302),
    row("checkin_counts_elsewhere POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_undo", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_undo POST", 403, 403, 403, 403, 403, 403, 400, 400, 302),
    row("checkin_undo_elsewhere", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_undo_elsewhere POST", 403, 403, 403, 403, 403, 403, 404, 400, 302),
    row("checkin_unknown_forum", 302, 404, 404, 404, 404, 404, 404, 404, 404),
    row("checkin_unknown_forum POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A forum that is over: the door helper's grant to it has ended (403); the secretariat sees
    # the page saying check-in is closed, and the scan endpoint reads the body first (400).
    row("checkin_past", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("checkin_past POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_api_past", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("checkin_api_past POST", 403, 403, 403, 403, 403, 403, 403, 400, 302),
    row("walk_in_past", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("walk_in_past POST", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    # Attendance recorded after the day: the secretariat only, never a door helper. Before the
    # forum is over the page says so; an empty form comes back with its errors.
    row("after_the_day", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("after_the_day POST", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("after_the_day_past", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    row("after_the_day_past POST", 302, 403, 403, 403, 403, 403, 403, 200, 302),
]

# A POST to a held registration's link carries it out: that is its button's whole job, and it
# would make the other roles' answers depend on who came first.
GET_ONLY: set[str] = set()


def _details(email):
    return services.RegistrantDetails(
        first_name="Siti", last_name="Rahman", email=email, company_name="Acme"
    )


@pytest.fixture
def urls(make_forum, users):
    open_forum = make_forum(slug="open-forum")
    DoorHelper.objects.create(user=users["door_helper"], forum=open_forum)
    closed = make_forum(slug="closed-forum", status=ForumStatus.REGISTRATION_CLOSED)
    draft = make_forum(slug="draft-forum", status=ForumStatus.DRAFT)
    past = make_forum(slug="past-forum", day=date(2020, 5, 5))
    registration = services.registration_create(
        forum=open_forum, details=_details("siti@supplier.example"), workshops=[]
    ).registration
    past_registration = services.registration_create(
        forum=past,
        details=_details("siti@supplier.example"),
        workshops=[],
        proven=True,
        now=past.starts_at - timedelta(days=2),  # while its registration was open
    ).registration
    token = manage_token(registration)
    # Answered, so that its delete page refuses (a POST with no data would confirm otherwise).
    question = RegistrationQuestion.objects.create(
        forum=open_forum, kind=QuestionKind.TEXT, label_en="Which commodity do you supply?"
    )
    RegistrationAnswer.objects.create(registration=registration, question=question, text="Sugar")
    # A grant to a forum that is over has ended with it.
    DoorHelper.objects.create(user=users["door_helper"], forum=past)
    workshop = Workshop.objects.create(
        forum=open_forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        starts_at=open_forum.starts_at,
        ends_at=open_forum.ends_at,
        seat_limit=20,
    )
    email = OutgoingEmail.objects.create(
        kind="manage_link", to="siti@supplier.example", subject="Your link", body_text="Hello"
    )
    held = services.registration_create(
        forum=make_forum(slug="third-open-forum"),
        details=_details("siti@SUPPLIER.example"),
        workshops=[],
        proven=False,
    ).held
    held_other = services.registration_create(
        forum=make_forum(slug="second-open-forum"),
        details=_details("siti@supplier.example"),
        workshops=[],
        proven=False,
    ).held
    checkin = CheckIn.objects.create(
        registration=registration, checked_in_at=timezone.now(), nonce="n-1", source="scan"
    )
    door_helper = DoorHelper.objects.create(
        user=User.objects.create_user(email="door@forumdesk.example"), forum=open_forum
    )
    pdf_run = PdfRun.objects.create(
        kind="badges", forum=open_forum, total=1, done=1, status="done", pdf=b"%PDF-1.4"
    )
    HeldRegistration.objects.filter(pk=held_other.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    return {
        "forum_open": reverse("forum", args=[open_forum.slug]),
        "register_open": reverse("registrations:register", args=[open_forum.slug]),
        "register_closed": reverse("registrations:register", args=[closed.slug]),
        "register_draft": reverse("registrations:register", args=[draft.slug]),
        "register_sent": reverse("registrations:sent", args=[open_forum.slug]),
        "register_sent_draft": reverse("registrations:sent", args=[draft.slug]),
        "confirm_held": reverse("registrations:confirm", args=[held.secret]),
        "confirm_held_tampered": reverse("registrations:confirm", args=[held.secret[:-2] + "xx"]),
        "confirm_held_expired": reverse("registrations:confirm", args=[held_other.secret]),
        "manage": reverse("registrations:manage", args=[token]),
        "manage_calendar": reverse("registrations:calendar", args=[token]),
        "manage_tampered": reverse("registrations:manage", args=[token[:-2] + "xx"]),
        "manage_expired": reverse("registrations:manage", args=[manage_token(past_registration)]),
        "resend_link_get": reverse("registrations:resend_link"),
        "my_forums": reverse("registrations:my_forums"),
        "admin_registrations": reverse("admin:registrations_registration_changelist"),
        "admin_import": reverse("admin:registrations_registration_import"),
        "admin_import_template": reverse(
            "admin:registrations_registration_import_template", args=["csv"]
        ),
        "admin_import_template_xlsx": reverse(
            "admin:registrations_registration_import_template", args=["xlsx"]
        ),
        "admin_registration": reverse(
            "admin:registrations_registration_change", args=[registration.pk]
        ),
        "admin_outgoing_emails": reverse("admin:outbox_outgoingemail_changelist"),
        "admin_workshops": reverse("admin:workshops_workshop_changelist"),
        "admin_registration_add": reverse("admin:registrations_registration_add"),
        "admin_registration_delete": reverse(
            "admin:registrations_registration_delete", args=[registration.pk]
        ),
        "admin_registration_history": reverse(
            "admin:registrations_registration_history", args=[registration.pk]
        ),
        "admin_process_import": reverse("admin:registrations_registration_process_import"),
        "admin_questions": reverse("admin:registrations_registrationquestion_changelist"),
        **admin_pages("question", "registrations_registrationquestion", question),
        **admin_pages("outgoing_email", "outbox_outgoingemail", email),
        **admin_pages("workshop", "workshops_workshop", workshop),
        "checkin_api": reverse("attendance:checkin_api", args=[open_forum.slug]),
        "admin_checkins": reverse("admin:attendance_checkin_changelist"),
        **admin_pages("checkin", "attendance_checkin", checkin),
        "admin_door_helpers": reverse("admin:attendance_doorhelper_changelist"),
        **admin_pages("door_helper", "attendance_doorhelper", door_helper),
        "walk_in": reverse("attendance:walk_in", args=[open_forum.slug]),
        "badge": reverse("attendance:badge", args=[open_forum.slug, registration.checkin_code]),
        "checkin_list": reverse("attendance:checkin_list", args=[open_forum.slug]),
        "pdf_runs": reverse("attendance:pdf_runs", args=[open_forum.slug]),
        "pdf_run": reverse("attendance:pdf_run", args=[open_forum.slug, pdf_run.pk]),
        "pdf_run_download": reverse(
            "attendance:pdf_run_download", args=[open_forum.slug, pdf_run.pk]
        ),
        "certificate": reverse("attendance:certificate", args=[token]),
        "certificate_tampered": reverse("attendance:certificate", args=[token[:-2] + "xx"]),
        **checkin_pages(open_forum.slug, closed.slug),
        "checkin_past": reverse("attendance:checkin", args=[past.slug]),
        "checkin_api_past": reverse("attendance:checkin_api", args=[past.slug]),
        "walk_in_past": reverse("attendance:walk_in", args=[past.slug]),
        "after_the_day": reverse("attendance:after_the_day", args=[open_forum.slug]),
        "after_the_day_past": reverse("attendance:after_the_day", args=[past.slug]),
    }


def checkin_pages(slug: str, elsewhere: str) -> dict[str, str]:
    """The check-in page and its endpoints at the door helper's forum, and at another forum."""
    pages = {}
    for name in ["checkin", "checkin_search", "checkin_codes", "checkin_counts", "checkin_undo"]:
        pages[name] = reverse(f"attendance:{name}", args=[slug])
        pages[f"{name}_elsewhere"] = reverse(f"attendance:{name}", args=[elsewhere])
    pages["checkin_unknown_forum"] = reverse("attendance:checkin", args=["no-such-forum"])
    return pages


def admin_pages(key: str, model: str, obj) -> dict[str, str]:
    """A model admin's add, change, delete and history pages (lists have rows of their own)."""
    return {
        f"admin_{key}_add": reverse(f"admin:{model}_add"),
        f"admin_{key}": reverse(f"admin:{model}_change", args=[obj.pk]),
        f"admin_{key}_delete": reverse(f"admin:{model}_delete", args=[obj.pk]),
        f"admin_{key}_history": reverse(f"admin:{model}_history", args=[obj.pk]),
    }


def test_every_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_registration_table(name)}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls, get_only=GET_ONLY) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_registrations(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    # Nothing is written by a request without data, whoever sends it.
    assert database_state() == before


def test_my_forums_shows_each_user_only_their_own(client, users, make_forum):
    forum = make_forum(title="Forum Jakarta")
    services.registration_create(
        forum=forum, details=_details("supplier@example.com"), workshops=[]
    )
    client.force_login(users["other_supplier"])

    response = client.get(reverse("registrations:my_forums"))

    assert list(response.context["rows"]) == []
    assert "Forum Jakarta" not in response.content.decode()
    client.force_login(users["supplier"])
    rows = client.get(reverse("registrations:my_forums")).context["rows"]
    assert [registration.forum.title for registration, _ in rows] == ["Forum Jakarta"]


def test_register_draft_forum_secretariat_sees_it_is_not_open(client, users, make_forum):
    draft = make_forum(status=ForumStatus.DRAFT)
    client.force_login(users["secretariat"])
    url = reverse("registrations:register", args=[draft.slug])

    response = client.post(
        url,
        {
            "first_name": "Siti",
            "last_name": "Rahman",
            "email": "siti@supplier.example",
            "job_title": "Buyer",
            "company_name": "Acme",
            "country": "MY",
            "consent": "on",
        },
    )

    assert response.status_code == 200
    assert "Registration opens on" in response.content.decode()
    assert Registration.objects.count() == 0


def test_admin_registrations_refuses_logged_in_non_staff(client, users):
    client.force_login(users["supplier"])
    response = client.get(reverse("admin:registrations_registration_changelist"), follow=True)
    assert response.status_code == 403
