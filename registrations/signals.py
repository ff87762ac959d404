"""What registrations tell the apps above them, which it may not import."""

from dataclasses import dataclass, field

from django.dispatch import Signal

from registrations.models import Registration
from workshops.models import Workshop


@dataclass(frozen=True)
class ListedAttendance:
    """One row of a past forum's attendance list: whether the registrant came, and the
    workshops the row lists (empty when the row names none)."""

    registration: Registration
    attended: bool
    workshops: list[Workshop] = field(default_factory=list)


# Sent by the import of a past forum's list, inside the import's transaction, with `forum`,
# `listed` (a list of ListedAttendance, one per row) and `by` (the importing Actor). The
# attendance app records it as check-ins and returns the set of registration ids whose
# recorded attendance it changed. An error in a receiver rolls the whole import back.
attendance_imported = Signal()
