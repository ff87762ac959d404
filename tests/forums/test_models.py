from datetime import date

import pytest
from django.core.exceptions import ValidationError

from forums.models import Membership, Sponsorship


def test_sponsorship_member_on_forum_date_is_valid(make_forum, make_member):
    forum = make_forum(day=date(2017, 10, 24))
    member = make_member(name="Ferrero", joined_on=date(2017, 10, 24))
    Sponsorship(forum=forum, organisation=member).full_clean()


def test_sponsorship_before_joining_names_organisation_and_dates(make_forum, make_member):
    forum = make_forum(day=date(2016, 4, 12))
    bel = make_member(name="Bel Group", joined_on=date(2016, 4, 13))
    with pytest.raises(ValidationError) as error:
        Sponsorship(forum=forum, organisation=bel).full_clean()
    message = error.value.message_dict["organisation"][0]
    assert message == (
        "Bel Group was not a member on 2016-04-12, the date of the forum "
        "(membership: 2016-04-13 to now). Only members can sponsor a forum."
    )


def test_sponsorship_after_leaving_is_refused(make_forum, make_member):
    forum = make_forum(day=date(2019, 5, 2))
    member = make_member(name="Former Member", joined_on=date(2010, 1, 1), left_on=date(2019, 5, 1))
    with pytest.raises(ValidationError) as error:
        Sponsorship(forum=forum, organisation=member).full_clean()
    assert "2010-01-01 to 2019-05-01" in error.value.message_dict["organisation"][0]


def test_sponsorship_on_last_day_of_membership_is_valid(make_forum, make_member):
    forum = make_forum(day=date(2019, 5, 1))
    member = make_member(
        name="Leaving Member", joined_on=date(2010, 1, 1), left_on=date(2019, 5, 1)
    )
    Sponsorship(forum=forum, organisation=member).full_clean()


def test_sponsorship_uses_forum_local_date_not_utc(make_forum, make_member):
    # 08:00 in Kuala Lumpur on 13 April is still 12 April in UTC: the local date decides.
    forum = make_forum(day=date(2016, 4, 13), zone="Asia/Kuala_Lumpur")
    bel = make_member(name="Bel Group", joined_on=date(2016, 4, 13))
    Sponsorship(forum=forum, organisation=bel).full_clean()


def test_sponsorship_non_member_organisation_is_refused(make_forum, make_organisation):
    forum = make_forum()
    supplier = make_organisation(name="Kilang Sawit Maju Sdn Bhd")
    with pytest.raises(ValidationError) as error:
        Sponsorship(forum=forum, organisation=supplier).full_clean()
    assert "(membership: none recorded)" in error.value.message_dict["organisation"][0]


def test_membership_ending_before_start_is_refused(make_organisation):
    member = make_organisation(name="Kellogg", kind="member")
    with pytest.raises(ValidationError) as error:
        Membership(
            organisation=member, joined_on=date(2020, 1, 1), left_on=date(2019, 1, 1)
        ).full_clean()
    assert error.value.message_dict["left_on"] == ["A membership cannot end before it starts."]


def test_membership_overlapping_another_is_refused(make_member):
    member = make_member(name="Mars", joined_on=date(2010, 1, 1))
    with pytest.raises(ValidationError) as error:
        Membership(organisation=member, joined_on=date(2015, 1, 1)).full_clean()
    assert error.value.messages == ["Mars already has a membership covering these dates."]


def test_forum_ending_before_start_is_refused(make_forum):
    forum = make_forum()
    forum.ends_at = forum.starts_at
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert error.value.message_dict["ends_at"] == ["The forum must end after it starts."]


def test_forum_unknown_time_zone_is_refused(make_forum):
    forum = make_forum()
    forum.time_zone = "Asia/Atlantis"
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert error.value.message_dict["time_zone"] == [
        "Asia/Atlantis is not a time zone name; use one such as Asia/Kuala_Lumpur."
    ]


@pytest.mark.parametrize(
    "taken, message",
    [
        (
            1,
            "1 person already holds a seat; the capacity cannot be lower than that. "
            "Cancel registrations first.",
        ),
        (
            2,
            "2 people already hold a seat; the capacity cannot be lower than that. "
            "Cancel registrations first.",
        ),
    ],
)
def test_forum_capacity_below_seats_taken_says_how_many_in_plural_form(make_forum, taken, message):
    forum = make_forum(capacity=10)
    forum.seats_taken = taken
    forum.capacity = 0
    with pytest.raises(ValidationError) as caught:
        forum.clean()
    assert caught.value.message_dict["capacity"] == [message]


@pytest.mark.parametrize("taken, verb", [(1, "person already holds"), (3, "people already hold")])
def test_workshop_limit_below_seats_taken_says_how_many_in_plural_form(make_forum, taken, verb):
    from workshops.models import Workshop

    forum = make_forum()
    workshop = Workshop(
        forum=forum,
        code="A1",
        title="Migrant labour",
        starts_at=forum.starts_at,
        ends_at=forum.ends_at,
        seat_limit=0,
        seats_taken=taken,
    )
    with pytest.raises(ValidationError) as caught:
        workshop.clean()
    assert caught.value.message_dict["seat_limit"] == [
        f"{taken} {verb} a seat in A1; the limit cannot be lower than that. "
        "Move or cancel participants first."
    ]
