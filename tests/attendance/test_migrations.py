"""Registrations made before check-in codes existed each get one of their own, on SQLite and on
PostgreSQL (run with DATABASE_URL); the migration also goes back."""

import re
from datetime import UTC, datetime

import pytest

from attendance.models import CheckIn, HeldMarking
from attendance.selectors import attendees, no_shows
from attendance.services import CHECKIN_CODE
from forums.models import Forum
from registrations.models import Registration
from tests.outbox.test_migrations import migrate

BEFORE = ("registrations", "0008_registration_reminded_at")


@pytest.mark.django_db(transaction=True)
def test_existing_registrations_get_distinct_checkin_codes():
    try:
        old_apps = migrate([BEFORE, ("attendance", None)])
        forum = old_apps.get_model("forums", "Forum").objects.create(
            title="Forum Kuala Lumpur",
            slug="kl",
            city="Kuala Lumpur",
            country="MY",
            time_zone="Asia/Kuala_Lumpur",
            starts_at=datetime(2036, 3, 11, 1, 0, tzinfo=UTC),
            ends_at=datetime(2036, 3, 11, 9, 0, tzinfo=UTC),
            capacity=100,
            status="registration_open",
        )
        person_model = old_apps.get_model("forums", "Person")
        registration_model = old_apps.get_model("registrations", "Registration")
        ids = [
            registration_model.objects.create(
                forum=forum,
                person=person_model.objects.create(first_name=name, email=f"{name}@x.example"),
                secret=name * 43,
            ).pk
            for name in ["a", "b", "c"]
        ]

        migrate(None)

        codes = [Registration.objects.get(pk=pk).checkin_code for pk in ids]
        assert [bool(CHECKIN_CODE.fullmatch(code)) for code in codes] == [True, True, True]
        assert len(set(codes)) == 3
        assert [Registration.objects.get(pk=pk).secret for pk in ids] == [
            "a" * 43,
            "b" * 43,
            "c" * 43,
        ]

        old_apps = migrate([BEFORE, ("attendance", None)])
        back = old_apps.get_model("registrations", "Registration").objects.order_by("pk")
        assert [r.pk for r in back] == ids
    finally:
        migrate(None)


BEFORE_CHECKINS = ("attendance", "0003_heldmarking")


@pytest.mark.django_db(transaction=True)
def test_attended_and_no_show_statuses_become_checkins_and_held_forums():
    try:
        old_apps = migrate([BEFORE_CHECKINS])
        forum_model = old_apps.get_model("forums", "Forum")
        person_model = old_apps.get_model("forums", "Person")
        registration_model = old_apps.get_model("registrations", "Registration")
        checkin_model = old_apps.get_model("attendance", "CheckIn")

        def forum(slug, status, day):
            return forum_model.objects.create(
                title=slug,
                slug=slug,
                city="Kuala Lumpur",
                country="MY",
                time_zone="Asia/Kuala_Lumpur",
                starts_at=datetime(*day, 1, 0, tzinfo=UTC),
                ends_at=datetime(*day, 9, 0, tzinfo=UTC),
                capacity=100,
                status=status,
            )

        kl = forum("kl", "registration_closed", (2017, 10, 24))
        mexico = forum("mexico", "archived", (2017, 11, 14))
        upcoming = forum("next", "registration_open", (2036, 3, 11))
        ids = {}
        for name, at, status in [
            ("came", kl, "attended"),
            ("absent", kl, "no_show"),
            ("confirmed", kl, "confirmed"),
            ("cancelled", kl, "cancelled"),
            ("scanned", kl, "attended"),
            ("delegate", mexico, "attended"),
            ("future", upcoming, "confirmed"),
        ]:
            ids[name] = registration_model.objects.create(
                forum=at,
                person=person_model.objects.create(first_name=name, email=f"{name}@x.example"),
                secret=f"{name:_<43}",
                checkin_code=f"{name:_<20}",
                status=status,
            ).pk
        # Checked in at the door already: no second door check-in is made for it.
        checkin_model.objects.create(
            registration_id=ids["scanned"],
            checked_in_at=datetime(2017, 10, 24, 1, 5, tzinfo=UTC),
            nonce="scan-1",
            source="scan",
        )

        migrate(None)

        statuses = dict(Registration.objects.values_list("person__first_name", "status"))
        assert statuses == {
            "came": "confirmed",
            "absent": "confirmed",
            "confirmed": "confirmed",
            "cancelled": "cancelled",
            "scanned": "confirmed",
            "delegate": "confirmed",
            "future": "confirmed",
        }
        # Their nonces were "migrated-<registration id>" until 0005 drew random ones, which no
        # one can guess and replay.
        nonces = dict(CheckIn.objects.values_list("registration__person__first_name", "nonce"))
        assert [
            bool(re.fullmatch(r"migrated-[0-9a-f]{32}", nonces[name]))
            for name in ["came", "delegate"]
        ] == [True, True]
        assert sorted(
            CheckIn.objects.values_list(
                "registration__person__first_name", "source", "checked_in_at", "workshop"
            )
        ) == [
            (
                "came",
                "import",
                datetime(2017, 10, 24, 1, 0, tzinfo=UTC),
                None,
            ),
            (
                "delegate",
                "import",
                datetime(2017, 11, 14, 1, 0, tzinfo=UTC),
                None,
            ),
            ("scanned", "scan", datetime(2017, 10, 24, 1, 5, tzinfo=UTC), None),
        ]
        assert nonces["scanned"] == "scan-1"
        assert CheckIn.objects.get(nonce="scan-1").forum == Forum.objects.get(slug="kl")
        assert dict(Forum.objects.values_list("slug", "status")) == {
            "kl": "held",
            "mexico": "archived",
            "next": "registration_open",
        }
        assert list(HeldMarking.objects.values_list("forum__slug", "previous_status")) == [
            ("kl", "registration_closed")
        ]
        kl_now = Forum.objects.get(slug="kl")
        assert sorted(no_shows(kl_now).values_list("person__first_name", flat=True)) == [
            "absent",
            "confirmed",
        ]
        assert sorted(attendees().values_list("person__first_name", flat=True)) == [
            "came",
            "delegate",
            "scanned",
        ]

        old_apps = migrate([BEFORE_CHECKINS])

        back = old_apps.get_model("registrations", "Registration").objects
        assert dict(back.values_list("person__first_name", "status")) == {
            "came": "attended",
            "absent": "no_show",
            # Confirmed at a held forum without a check-in reads as a no-show either way.
            "confirmed": "no_show",
            "cancelled": "cancelled",
            "scanned": "attended",
            "delegate": "attended",
            "future": "confirmed",
        }
        assert list(
            old_apps.get_model("attendance", "CheckIn").objects.values_list("nonce", flat=True)
        ) == ["scan-1"]
    finally:
        migrate(None)
