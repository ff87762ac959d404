"""Recording who did what. Every service that changes data takes an `Actor` and records its
secretariat and system actions here, in the same transaction as the change."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.enums import ActorKind
from audit.models import AuditEntry

if TYPE_CHECKING:
    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user (the secretariat, a member…), the registrant through their link,
    the system, or an import (run by a user, or from the command line)."""

    kind: str
    user: "User | AnonymousUser | None" = None

    @classmethod
    def of(cls, user: "User | AnonymousUser") -> "Actor":
        """The logged-in person behind a request."""
        return cls(ActorKind.STAFF, user)

    @classmethod
    def registrant(cls) -> "Actor":
        return cls(ActorKind.REGISTRANT)

    @classmethod
    def system(cls) -> "Actor":
        return cls(ActorKind.SYSTEM)

    @classmethod
    def importer(cls, user: "User | AnonymousUser | None" = None) -> "Actor":
        return cls(ActorKind.IMPORT, user)

    def __str__(self) -> str:
        if self.user is not None:
            return f"{ActorKind(self.kind).label}: {self.user}"
        return str(ActorKind(self.kind).label)


def _stored_user(by: Actor) -> "User | None":
    """The account to link an entry to: none for the anonymous or a user not yet saved."""
    if by.user is None or isinstance(by.user, AnonymousUser) or not by.user.pk:
        return None
    return by.user


def audit_record(
    *, by: Actor, action: str, subject: models.Model, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that `by` did `action` to `subject`. Writes one AuditEntry; sends nothing."""
    return AuditEntry.objects.create(
        actor_kind=by.kind,
        actor=_stored_user(by),
        action=action,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
        object_repr=str(subject)[:200],
        data=data or {},
    )


def audit_record_many(
    *, by: Actor, action: str, subjects: Sequence[models.Model], data: dict[str, Any] | None = None
) -> None:
    """The same action on many objects (people moved in off a waiting list): one INSERT."""
    if not subjects:
        return
    content_type = ContentType.objects.get_for_model(subjects[0], for_concrete_model=False)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_kind=by.kind,
            actor=_stored_user(by),
            action=action,
            content_type=content_type,
            object_id=str(subject.pk),
            object_repr=str(subject)[:200],
            data=data or {},
        )
        for subject in subjects
    )
