"""The outbox in the admin: every field of a message shown, times in UTC and named, what a
message is about linked to its own page, and "Retry sending now"."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from outbox.admin import OutgoingEmailAdmin
from outbox.models import OutgoingEmail
from tests.html_forms import links, texts_of_class


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def admin_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def sent_email(db):
    email = OutgoingEmail.objects.create(
        kind="manage_link", to="siti@supplier.example", subject="Link", body_text="Hello"
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=utc(2036, 2, 1, 0, 12),
        next_attempt_at=utc(2036, 2, 1, 0, 17),
        sent_at=utc(2036, 2, 1, 0, 18),
        status=OutgoingEmail.Status.SENT,
    )
    return email


def test_outgoing_email_changelist_names_utc(staff_client, sent_email):
    page = staff_client.get(reverse("admin:outbox_outgoingemail_changelist"))

    assert texts_of_class(page, "field-utc_created_at") == ["2036-02-01 00:12 UTC"]
    assert texts_of_class(page, "field-utc_next_attempt_at") == ["2036-02-01 00:17 UTC"]


def test_outgoing_email_change_page_names_utc(staff_client, sent_email):
    page = staff_client.get(reverse("admin:outbox_outgoingemail_change", args=[sent_email.pk]))

    assert [
        texts_of_class(page, f"field-{name}")
        for name in ["utc_created_at", "utc_next_attempt_at", "utc_claimed_until", "utc_sent_at"]
    ] == [
        ["Created at: 2036-02-01 00:12 UTC"],
        ["Next attempt at: 2036-02-01 00:17 UTC"],
        ["Claimed until: -"],
        ["Sent at: 2036-02-01 00:18 UTC"],
    ]
    assert texts_of_class(page, "field-created_at") == []


def test_outgoing_email_admin_shows_every_field_and_each_time_in_utc():
    shown = OutgoingEmailAdmin.readonly_fields
    # The generic reference's two columns are shown as one: what the message is about.
    expected = {
        "about"
        if field.name in {"about_type", "about_id"}
        else f"utc_{field.name}"
        if field.get_internal_type() == "DateTimeField"
        else field.name
        for field in OutgoingEmail._meta.fields
        if not field.primary_key
    }
    assert sorted(shown) == sorted(expected)


def test_outgoing_email_history_names_utc(staff_client, secretariat_user, sent_email):
    entry = LogEntry.objects.create(
        user=secretariat_user,
        content_type=ContentType.objects.get_for_model(sent_email),
        object_id=str(sent_email.pk),
        object_repr=str(sent_email)[:200],
        action_flag=CHANGE,
        change_message="Changed job title.",
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=utc(2036, 2, 1, 3, 12))

    page = staff_client.get(reverse("admin:outbox_outgoingemail_history", args=[sent_email.pk]))

    assert texts_of_class(page, "action-time") == ["Date/time (UTC)", "2036-02-01 03:12"]


def test_outgoing_email_retry_now_says_how_many_were_sent(staff_client, db):
    pending = [
        OutgoingEmail.objects.create(
            kind="manage_link", to=f"p{n}@supplier.example", subject="Link", body_text="Hello"
        )
        for n in range(2)
    ]
    mail.outbox.clear()

    response = staff_client.post(
        reverse("admin:outbox_outgoingemail_changelist"),
        {"action": "retry_now", "_selected_action": [pending[0].pk]},
        follow=True,
    )

    assert admin_messages(response) == ["Sent 1 of 1 selected message."]
    assert [m.to for m in mail.outbox] == [["p0@supplier.example"]]


def test_outgoing_email_change_page_links_what_it_is_about(staff_client, make_forum):
    forum = make_forum(title="Forum Kuala Lumpur")
    email = OutgoingEmail.objects.create(
        kind="manage_link",
        to="siti@supplier.example",
        subject="Link",
        body_text="Hello",
        about_type=ContentType.objects.get_for_model(forum),
        about_id=forum.pk,
    )

    page = staff_client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk]))

    forum_page = reverse("admin:forums_forum_change", args=[forum.pk])
    assert texts_of_class(page, "field-about") == ["About: Forum: Forum Kuala Lumpur"]
    assert [link["text"] for link in links(page) if link["href"] == forum_page] == [
        "Forum Kuala Lumpur"
    ]


def test_outgoing_email_about_nothing_shows_a_dash(staff_client, sent_email):
    page = staff_client.get(reverse("admin:outbox_outgoingemail_change", args=[sent_email.pk]))

    assert texts_of_class(page, "field-about") == ["About: -"]
