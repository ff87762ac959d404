"""Registrations made before check-in codes existed each get one of their own, on SQLite and on
PostgreSQL (run with DATABASE_URL); the migration also goes back."""

from datetime import UTC, datetime

import pytest

from attendance.services import CHECKIN_CODE
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
