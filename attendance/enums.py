from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckInSource(models.TextChoices):
    """How a check-in came to be recorded."""

    SCAN = "scan", _("Badge scanned")
    SEARCH = "search", _("Found by search")
    IMPORT = "import", _("Imported list")
    WALK_IN = "walk_in", _("Walk-in")
    AFTER_THE_DAY = "after_the_day", _("Recorded after the day")


class CheckInAnswer(models.TextChoices):
    """What a check-in request is answered."""

    OK = "ok", _("Checked in")
    ALREADY = "already", _("Already checked in")
    REFUSED = "refused", _("Refused")


class RefusalReason(models.TextChoices):
    """Why a check-in is refused; nothing is changed."""

    MALFORMED = "malformed", _("This is not a check-in code.")
    UNKNOWN = "unknown", _("No registration has this code.")
    OTHER_FORUM = "other_forum", _("This badge is for another forum.")
    CANCELLED = "cancelled", _("This registration is cancelled.")
    WAITLISTED = "waitlisted", _("This person is on the waiting list, not registered.")
    NOT_IN_WORKSHOP = "not_in_workshop", _("This person has no place in this workshop.")
    NONCE_REUSED = "nonce_reused", _("This nonce was already used for another check-in.")
    NOT_OPEN_YET = "not_open_yet", _("Check-in for this forum is not open yet.")
    FORUM_OVER = "forum_over", _("This forum is over: check-in is closed.")


class AttendanceState(models.TextChoices):
    """Where a registrant stands, derived from check-ins and the forum's status
    (attendance.selectors.attendance_state)."""

    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    NOT_YET = "not_yet", _("Not yet")


class PdfKind(models.TextChoices):
    """The documents printed for many people at once."""

    BADGES = "badges", _("Badges")
    CERTIFICATES = "certificates", _("Certificates of attendance")


class PdfRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
