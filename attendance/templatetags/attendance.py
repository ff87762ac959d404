"""Attendance shown on other apps' pages, so that their Python need not know of attendance."""

from collections.abc import Iterable
from typing import Any

from django import template

from attendance.selectors import attended_forum, attended_forum_among
from registrations.models import Registration

register = template.Library()


@register.simple_tag
def attended_among(rows: Iterable[Any]) -> set[int]:
    """The ids of the registrations among `rows` (registrations, or tuples that start with
    one) whose holder attended the forum, in one query:
    `{% attended_among rows as attended %}` then `{% if registration.pk in attended %}`."""
    registrations = [row if isinstance(row, Registration) else row[0] for row in rows]
    return attended_forum_among(registrations)


@register.filter
def attended(registration: Registration) -> bool:
    """Whether the registration's holder attended the forum (one query)."""
    return attended_forum(registration)
