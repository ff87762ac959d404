"""The audit log: secretariat and system actions are recorded with who, when, what and the
object, and shown per object and overall in the admin."""

import re

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.enums import ActorKind
from audit.models import AuditEntry
from audit.services import Actor
from forums.models import Forum
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.imports import import_registrations
from registrations.spreadsheets import read_table
from tests.html_forms import form_values
from tests.registrations.test_admin import workshop_change
from workshops.models import Workshop


def entries():
    return [
        (e.actor_kind, e.actor.email if e.actor else None, e.action, e.object_repr, e.data)
        for e in AuditEntry.objects.select_related("actor").order_by("id")
    ]


def test_cancel_by_the_secretariat_is_recorded_with_who(
    staff_client, secretariat_user, forum, workshop, register
):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    holder = register(forum, "holder@supplier.example", [workshop("A1")]).registration
    waiting = register(forum, "waiting@supplier.example").registration

    url = reverse("admin:registrations_registration_changelist")
    page = staff_client.post(
        url, {"action": "cancel_registrations", "_selected_action": [holder.pk]}
    )
    staff_client.post(url, form_values(page, "cancel_form"))

    assert entries() == [
        (
            ActorKind.STAFF,
            secretariat_user.email,
            "registration.cancelled",
            str(holder),
            {},
        ),
        (ActorKind.SYSTEM, None, "registration.moved_in", str(waiting), {}),
    ]
    entry = AuditEntry.objects.get(action="registration.cancelled")
    assert (entry.content_type, entry.object_id) == (
        ContentType.objects.get_for_model(holder),
        str(holder.pk),
    )


def test_what_a_registrant_does_to_their_own_registration_is_not_logged(client, forum, register):
    registration = register(forum, "siti@supplier.example").registration
    url = reverse("registrations:manage", args=[registration.secret])

    client.post(url, {"action": "cancel", "confirm": "yes"})

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert entries() == []


def test_seat_limit_change_is_recorded_from_and_to(staff_client, secretariat_user, workshop):
    workshop_change(staff_client, workshop("A1"), seat_limit=35)

    assert entries() == [
        (
            ActorKind.STAFF,
            secretariat_user.email,
            "workshop.seat_limit_changed",
            str(Workshop.objects.get(code="A1")),
            {"from": 20, "to": 35},
        )
    ]


def test_import_is_recorded_with_its_counts(forum):
    csv = (
        b"first_name,last_name,email,company,country,job_title\n"
        b"Siti,Rahman,siti@supplier.example,Acme Packaging,MY,Buyer\n"
    )

    import_registrations(forum=forum, table=read_table(csv, filename="list.csv"))
    import_registrations(forum=forum, table=read_table(csv, filename="list.csv"), dry_run=True)

    assert entries() == [
        (
            ActorKind.IMPORT,
            None,
            "forum.list_imported",
            str(forum),
            {"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "history": False},
        )
    ]


def test_change_page_shows_the_objects_own_log(staff_client, forum, workshop):
    workshop_change(staff_client, workshop("A1"), seat_limit=35)
    services.workshop_set_seat_limit(workshop=workshop("B1"), seat_limit=30, by=Actor.system())

    html = staff_client.get(
        reverse("admin:workshops_workshop_change", args=[workshop("A1").pk])
    ).content.decode()

    (table,) = re.findall(r'<table class="audit-log">(.*?)</table>', html, re.S)
    rows = [
        re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", table, re.S)
    ]
    assert [row[1:] for row in rows] == [
        [
            "staff@forumdesk.example",
            "workshop.seat_limit_changed",
            "{&quot;from&quot;: 20, &quot;to&quot;: 35}",
        ]
    ]
    assert rows[0][0].endswith(" UTC")


def test_audit_list_shows_every_entry_and_cannot_be_edited(staff_client, workshop):
    workshop_change(staff_client, workshop("A1"), seat_limit=35)
    entry = AuditEntry.objects.get()

    listing = staff_client.get(reverse("admin:audit_auditentry_changelist"))
    change = staff_client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {})

    assert [e.pk for e in listing.context["cl"].result_list] == [entry.pk]
    assert change.status_code == 403
    assert AuditEntry.objects.get().action == "workshop.seat_limit_changed"


def test_company_merge_and_undo_are_recorded_on_the_kept_company(secretariat_user):
    from companies.services import company_for_name, company_merge, company_merge_undo

    kept = company_for_name(name="Kilang Sawit Maju", country="MY")
    merged = company_for_name(name="Kilang Sawit Maju Trading", country="MY")

    merge = company_merge(kept=kept, merged=merged, by=secretariat_user)
    company_merge_undo(merge=merge, by=Actor.of(secretariat_user))

    assert [(kind, who, action, what) for kind, who, action, what, _ in entries()] == [
        (ActorKind.STAFF, secretariat_user.email, "company.merged", "Kilang Sawit Maju"),
        (ActorKind.STAFF, secretariat_user.email, "company.merge_undone", "Kilang Sawit Maju"),
    ]
    assert AuditEntry.objects.filter(action="company.merged").get().data["merged"] == (
        "Kilang Sawit Maju Trading"
    )
