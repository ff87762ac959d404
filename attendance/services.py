"""Every write of attendance: checking a registrant in, at the door or at a workshop, and undoing
a check-in."""

import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from attendance.enums import CheckInAnswer, CheckInSource, PdfKind, PdfRunStatus, RefusalReason
from attendance.models import CheckIn, HeldMarking, PdfRun, checkin_window
from attendance.permissions import can_record_after_the_day
from attendance.selectors import attendance_counts
from attendance.signals import checkins_changed
from audit.services import Actor, audit_record, audit_record_many
from forums.enums import ForumStatus
from forums.models import Forum
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration
from registrations.services import RegistrantDetails, WalkInOutcome, registration_walk_in
from registrations.signals import ListedAttendance
from workshops.models import Workshop

if TYPE_CHECKING:
    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User

# What registrations.models.new_checkin_code draws; anything else was never issued.
CHECKIN_CODE = re.compile(r"[A-Za-z0-9_-]{20}")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckInResult:
    """The answer to a check-in request. `checkin` is the new record (ok) or the one already
    there (already); `registration` is known unless the code was malformed or unknown."""

    answer: CheckInAnswer
    reason: RefusalReason | None = None
    registration: Registration | None = None
    checkin: CheckIn | None = None


def _user_of(by: Actor) -> "User | None":
    if by.user is None or isinstance(by.user, AnonymousUser) or not by.user.pk:
        return None
    return by.user


def _refused(reason: RefusalReason, registration: Registration | None = None) -> CheckInResult:
    return CheckInResult(CheckInAnswer.REFUSED, reason=reason, registration=registration)


def _local(moment: datetime, forum: Forum) -> str:
    # Day, month name (in the user's language) and time, in the forum's zone.
    return date_format(moment.astimezone(forum.zone), "FORUM_DAY_TIME")


def checkin_closed_message(forum: Forum, reason: RefusalReason) -> str:
    """Why check-in at `forum` is closed (`reason`: not_open_yet or forum_over), in words, with
    the forum's day and its zone."""
    window = checkin_window(forum)
    values = {
        "forum": forum.title,
        "day": date_format(forum.starts_at.astimezone(forum.zone), "FORUM_DAY"),
        "zone": forum.time_zone,
    }
    if reason == RefusalReason.NOT_OPEN_YET:
        return _("%(forum)s is on %(day)s (%(zone)s). Check-in opens at %(opens)s (%(zone)s).") % {
            **values,
            "opens": _local(window.opens_at, forum),
        }
    return _(
        "%(forum)s was on %(day)s (%(zone)s). Check-in closed at %(closes)s (%(zone)s); the "
        "secretariat can still record attendance after the day, with a reason."
    ) % {**values, "closes": _local(window.closes_at, forum)}


class CheckInClosed(Exception):
    """Check-in at a forum is closed now (before or after its window); nothing was written."""

    def __init__(self, forum: Forum, reason: RefusalReason) -> None:
        self.reason = reason
        self.message = checkin_closed_message(forum, reason)
        super().__init__(self.message)


def _refusal(
    registration: Registration, forum: Forum, workshop: Workshop | None
) -> RefusalReason | None:
    if registration.forum_id != forum.pk:
        return RefusalReason.OTHER_FORUM
    if registration.status == RegistrationStatus.CANCELLED:
        return RefusalReason.CANCELLED
    if registration.status == RegistrationStatus.WAITLISTED:
        return RefusalReason.WAITLISTED
    if (
        workshop is not None
        and not registration.workshop_places.filter(
            workshop=workshop, status=PlaceStatus.CONFIRMED
        ).exists()
    ):
        return RefusalReason.NOT_IN_WORKSHOP
    return None


@transaction.atomic(durable=True)
def checkin_perform(
    *,
    code: str,
    forum: Forum,
    workshop: Workshop | None,
    nonce: str,
    by: Actor,
    device: str = "",
    source: str = CheckInSource.SCAN,
) -> CheckInResult:
    """Check the holder of `code` in at `forum`'s door, or at `workshop` (one of `forum`'s).

    Outside the forum's check-in window (attendance.models.checkin_window: its day in its zone,
    widened by settings.CHECKIN_MARGIN_HOURS) everything is refused, "not_open_yet" or
    "forum_over"; after the day the secretariat uses checkins_record_after_the_day.

    Locks the registration's row, so that scans of one badge from several devices are answered
    one after the other. A nonce is the client's per forum and `device`: a request whose nonce
    this device already used at this forum for this registration and place gets the first
    answer again and changes nothing; for another registration or place it is refused
    ("nonce_reused"). Otherwise: a registrant already checked in there gets "already" with that
    check-in; a refusal carries its reason; both change nothing. On "ok": writes one CheckIn and
    one audit entry ("checked_in") on the registration. Sends nothing."""
    if workshop is not None and workshop.forum_id != forum.pk:
        raise ValueError("The workshop must be one of the forum's.")
    closed = checkin_window(forum).refusal()
    if closed is not None:
        return _refused(closed)
    if not CHECKIN_CODE.fullmatch(code):
        return _refused(RefusalReason.MALFORMED)
    device = device[:100]
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "company", "forum")
        .filter(checkin_code=code)
        .first()
    )
    if registration is None:
        return _refused(RefusalReason.UNKNOWN)

    earlier = (
        CheckIn.objects.select_related("by").filter(forum=forum, device=device, nonce=nonce).first()
    )
    if earlier is not None:
        # The same request again: its first answer, which told nothing a new scan would not.
        if earlier.registration_id != registration.pk or earlier.workshop_id != (
            workshop.pk if workshop else None
        ):
            return _refused(RefusalReason.NONCE_REUSED)
        return CheckInResult(CheckInAnswer.OK, registration=registration, checkin=earlier)

    reason = _refusal(registration, forum, workshop)
    if reason is not None:
        return _refused(reason, registration)

    present = (
        CheckIn.objects.select_related("by")
        .filter(registration=registration, workshop=workshop, undone_at__isnull=True)
        .first()
    )
    if present is not None:
        return CheckInResult(CheckInAnswer.ALREADY, registration=registration, checkin=present)

    try:
        # The same nonce sent at once from one device for two different badges: the second
        # loses.
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                registration=registration,
                forum=forum,
                workshop=workshop,
                checked_in_at=timezone.now(),
                by=_user_of(by),
                device=device,
                nonce=nonce,
                source=source,
            )
    except IntegrityError:
        return _refused(RefusalReason.NONCE_REUSED)
    audit_record(
        by=by,
        action="checked_in",
        subject=registration,
        data={
            "checkin": checkin.pk,
            "workshop": workshop.code if workshop else None,
            "device": checkin.device,
        },
    )
    return CheckInResult(CheckInAnswer.OK, registration=registration, checkin=checkin)


class AfterTheDayRefused(Exception):
    """Attendance cannot be recorded after the day as asked; the message says why, and nothing
    was written."""


# What a reason for recording attendance after the day may hold (kept on the check-in).
AFTER_THE_DAY_REASON_MAX_LENGTH = 300


@transaction.atomic(durable=True)
def checkins_record_after_the_day(
    *, forum: Forum, registrations: list[Registration], reason: str, by: Actor
) -> list[CheckIn]:
    """Record that `registrations` (of `forum`, confirmed) attended `forum`, once its check-in
    has closed: the secretariat's way to correct attendance after the day, with a `reason`.

    Locks the registrations' rows. For each one without a door check-in not undone, writes one
    CheckIn at the door (source "after_the_day", at the forum's start, by the user, with the
    reason and a random nonce) and one audit entry ("checked_in_after_the_day") on the
    registration with the reason; those already checked in are left as they are. Returns the
    check-ins written. Each can be undone with checkin_undo. Sends nothing.

    Raises AfterTheDayRefused, writing nothing, if `by` is not the secretariat, the forum's
    check-in has not closed yet, the reason is empty or too long, or a registration is not a
    confirmed one of this forum."""
    if not can_record_after_the_day(by.user or AnonymousUser()):
        raise AfterTheDayRefused(_("Only the secretariat records attendance after the day."))
    if checkin_window(forum).refusal() != RefusalReason.FORUM_OVER:
        raise AfterTheDayRefused(
            _("Check-in at %(forum)s has not closed yet: check people in at the door.")
            % {"forum": forum.title}
        )
    reason = reason.strip()
    if not reason:
        raise AfterTheDayRefused(_("Say why this attendance is recorded after the day."))
    if len(reason) > AFTER_THE_DAY_REASON_MAX_LENGTH or "\x00" in reason:
        raise AfterTheDayRefused(
            _("The reason must be text of at most %(max)s characters.")
            % {"max": AFTER_THE_DAY_REASON_MAX_LENGTH}
        )
    ids = sorted({registration.pk for registration in registrations})
    locked = list(
        Registration.objects.select_for_update()
        .filter(pk__in=ids, forum=forum, status=RegistrationStatus.CONFIRMED)
        .order_by("pk")
    )
    if not ids or len(locked) != len(ids):
        raise AfterTheDayRefused(_("Choose confirmed registrations of this forum."))
    present = set(
        CheckIn.objects.filter(
            registration__in=locked, workshop__isnull=True, undone_at__isnull=True
        ).values_list("registration_id", flat=True)
    )
    user = _user_of(by)
    written = []
    for registration in locked:
        if registration.pk in present:
            continue
        checkin = CheckIn.objects.create(
            registration=registration,
            forum=forum,
            checked_in_at=forum.starts_at,
            by=user,
            nonce=f"after-{secrets.token_hex(16)}",
            source=CheckInSource.AFTER_THE_DAY,
            reason=reason,
        )
        audit_record(
            by=by,
            action="checked_in_after_the_day",
            subject=registration,
            data={"checkin": checkin.pk, "reason": reason},
        )
        written.append(checkin)
    return written


@transaction.atomic(durable=True)
def checkin_undo(*, checkin: CheckIn, by: Actor) -> CheckIn:
    """Undo a check-in made by mistake: sets its `undone_at` and `undone_by` (the row stays) and
    writes one audit entry ("checkin_undone") on the registration. Undoing a check-in already
    undone changes nothing. Sends nothing."""
    Registration.objects.select_for_update().filter(pk=checkin.registration_id).first()
    checkin = CheckIn.objects.select_related("registration", "workshop").get(pk=checkin.pk)
    if checkin.undone_at is not None:
        return checkin
    checkin.undone_at = timezone.now()
    checkin.undone_by = _user_of(by)
    checkin.save(update_fields=["undone_at", "undone_by"])
    audit_record(
        by=by,
        action="checkin_undone",
        subject=checkin.registration,
        data={
            "checkin": checkin.pk,
            "workshop": checkin.workshop.code if checkin.workshop else None,
        },
    )
    return checkin


# --- after the day: a forum marked held --------------------------------------------------------


class HeldRefused(Exception):
    """A forum cannot be marked held, or unmarked, as it is; the message says why."""


@dataclass(frozen=True)
class HeldResult:
    forum: Forum
    attended: int
    no_shows: int


def _counts(forum: Forum) -> tuple[int, int]:
    counts = attendance_counts(forum)
    return counts.attended, counts.no_shows


def _mark_held(forum: Forum, by: Actor) -> HeldResult:
    """Mark the locked `forum` held in the caller's transaction (see forum_mark_held)."""
    previous = forum.status
    HeldMarking.objects.update_or_create(
        forum=forum,
        defaults={
            "previous_status": previous,
            "marked_at": timezone.now(),
            "marked_by": _user_of(by),
        },
    )
    forum.status = ForumStatus.HELD
    forum.save(update_fields=["status"])
    attended, no_shows = _counts(forum)
    audit_record(
        by=by,
        action="forum.marked_held",
        subject=forum,
        data={"previous_status": previous, "attended": attended, "no_shows": no_shows},
    )
    return HeldResult(forum=forum, attended=attended, no_shows=no_shows)


@transaction.atomic(durable=True)
def forum_mark_held(*, forum: Forum, by: Actor) -> HeldResult:
    """Mark `forum` held once it has taken place. From then on everyone holding a seat without
    a door check-in counts as a no-show (attendance.selectors.no_shows); a check-in recorded
    later still makes that person attended.

    Locks the forum's row. Sets its status to held and keeps the status it had in its
    HeldMarking (replacing an older one), so forum_unmark_held can put it back; writes one audit
    entry ("forum.marked_held") with the earlier status and how many attended and how many are
    no-shows. Sends nothing. Raises HeldRefused, changing nothing, if the forum has not started
    yet or is already held or archived."""
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    refusal = forum_mark_held_refusal(forum)
    if refusal is not None:
        raise HeldRefused(refusal)
    return _mark_held(forum, by)


def forum_mark_held_refusal(forum: Forum) -> str | None:
    """Why `forum` cannot be marked held now, or None if it can."""
    if forum.status in (ForumStatus.HELD, ForumStatus.ARCHIVED):
        return _("%(forum)s is already %(status)s.") % {
            "forum": forum.title,
            "status": forum.get_status_display().lower(),
        }
    if forum.starts_at > timezone.now():
        return _("%(forum)s has not started yet; mark it held once it has taken place.") % {
            "forum": forum.title
        }
    return None


@transaction.atomic(durable=True)
def forum_unmark_held(*, forum: Forum, by: Actor) -> HeldResult:
    """Reverse forum_mark_held: the forum's status goes back to the one it had before, so its
    no-shows are "not yet" again. Check-ins are not touched.

    Locks the forum's row. Sets the earlier status, deletes the HeldMarking and writes one audit
    entry ("forum.unmarked_held") with the status put back and how many attended and how many
    no-shows there were. Sends nothing. Raises HeldRefused, changing nothing, if the forum is
    not held, or was set to held on its own page rather than marked held (there is no earlier
    status to go back to)."""
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    refusal = forum_unmark_held_refusal(forum)
    if refusal is not None:
        raise HeldRefused(refusal)
    marking = HeldMarking.objects.get(forum=forum)
    attended, no_shows = _counts(forum)
    forum.status = marking.previous_status
    forum.save(update_fields=["status"])
    marking.delete()
    audit_record(
        by=by,
        action="forum.unmarked_held",
        subject=forum,
        data={"status": forum.status, "attended": attended, "no_shows": no_shows},
    )
    return HeldResult(forum=forum, attended=attended, no_shows=no_shows)


def forum_unmark_held_refusal(forum: Forum) -> str | None:
    """Why forum_unmark_held would refuse `forum` now, or None if it would not."""
    if forum.status != ForumStatus.HELD:
        return _("%(forum)s is not marked held; there is nothing to reverse.") % {
            "forum": forum.title
        }
    try:
        forum.held_marking  # noqa: B018 (read with select_related("held_marking") for many)
    except HeldMarking.DoesNotExist:
        return _(
            "%(forum)s was set to held on its own page, so there is no earlier status to go back "
            "to; change its status there."
        ) % {"forum": forum.title}
    return None


# --- attendance lists ---------------------------------------------------------------------------


def checkins_import(*, forum: Forum, listed: list[ListedAttendance], by: Actor) -> set[int]:
    """Record a past forum's attendance list as check-ins, in the caller's transaction (the
    import's: it stays all or nothing). Returns the ids of the registrations whose recorded
    attendance changed.

    A row that says attended gets a door check-in, and one at each workshop it lists, where it
    has none not undone: source "import", at the forum's start, by the importing user, with a
    random nonce that no one can guess or replay; a list imported again adds nothing, since
    places already checked in are skipped. Imported check-ins the list no longer supports are
    undone (recorded, not deleted): all of a row that says did not attend, and, when a row lists
    workshops, those at workshops it does not list. Check-ins recorded on the day (scans,
    searches, walk-ins) are never undone by a list. Writes one audit entry per registration
    checked in ("checked_in") and per check-in undone ("checkin_undone"), and marks the forum
    held if it is not held or archived yet (as _mark_held does), so those who did not attend
    count as no-shows. Sends nothing."""
    ids = [item.registration.pk for item in listed]
    live: dict[int, list[CheckIn]] = {pk: [] for pk in ids}
    for checkin in CheckIn.objects.filter(registration__forum=forum).only(
        "pk", "registration_id", "workshop_id", "source", "undone_at"
    ):
        if checkin.undone_at is None and checkin.registration_id in live:
            live[checkin.registration_id].append(checkin)

    wanted: list[tuple[int, int | None]] = []
    undo: list[CheckIn] = []
    for item in listed:
        registration_id = item.registration.pk
        present = {checkin.workshop_id: checkin for checkin in live[registration_id]}
        places: list[int | None] = (
            [None, *(workshop.pk for workshop in item.workshops)] if item.attended else []
        )
        wanted += [(registration_id, place) for place in places if place not in present]
        for place, checkin in present.items():
            if checkin.source != CheckInSource.IMPORT or place in places:
                continue
            if not item.attended or (place is not None and item.workshops):
                undo.append(checkin)

    user = _user_of(by)
    created = CheckIn.objects.bulk_create(
        [
            CheckIn(
                registration_id=registration_id,
                forum=forum,
                workshop_id=place,
                checked_in_at=forum.starts_at,
                by=user,
                nonce=f"import-{secrets.token_hex(16)}",
                source=CheckInSource.IMPORT,
            )
            for registration_id, place in wanted
        ],
        batch_size=500,
    )
    now = timezone.now()
    CheckIn.objects.filter(pk__in=[checkin.pk for checkin in undo]).update(
        undone_at=now, undone_by=user
    )
    registrations = {item.registration.pk: item.registration for item in listed}
    checked_in = sorted({checkin.registration_id for checkin in created})
    audit_record_many(
        by=by,
        action="checked_in",
        subjects=[registrations[pk] for pk in checked_in],
        data={"source": CheckInSource.IMPORT},
    )
    for checkin in undo:
        audit_record(
            by=by,
            action="checkin_undone",
            subject=registrations[checkin.registration_id],
            data={"checkin": checkin.pk, "workshop_id": checkin.workshop_id, "source": "import"},
        )
    changed = set(checked_in) | {checkin.registration_id for checkin in undo}
    if forum.status in (ForumStatus.HELD, ForumStatus.ARCHIVED):
        checkins_changed.send(sender=CheckIn, registration_ids=changed)
    else:
        # Saving the forum as held announces its whole attendance, these check-ins included.
        _mark_held(forum, by)
    return changed


def on_attendance_imported(
    sender: object, *, forum: Forum, listed: list[ListedAttendance], by: Actor, **kwargs: object
) -> set[int]:
    """The receiver of registrations.signals.attendance_imported."""
    return checkins_import(forum=forum, listed=listed, by=by)


@dataclass(frozen=True)
class WalkInResult:
    """A walk-in's outcome: the registration made (`outcome.created`) and its check-in at the
    door, or the registration the address already holds (`checkin` None: nothing changed)."""

    outcome: WalkInOutcome
    checkin: CheckInResult | None


def walk_in_register(
    *,
    forum: Forum,
    details: RegistrantDetails,
    workshops: list[Workshop],
    by: Actor,
    override_reason: str | None = None,
    device: str = "",
    offered: list[Workshop] | None = None,
) -> WalkInResult:
    """Register someone who came without registering, and check them in at the door.

    The registration is made by registrations.services.registration_walk_in (which says what
    it writes, refuses and sends: company matching, capacity and its override, the known
    address, the confirmation e-mail); then the person is checked in as a scan would be
    (checkin_perform, source "walk_in": one CheckIn and an audit entry "checked_in"). An
    address already registered for this forum gets its registration back and nothing is
    written: the door checks them in as anyone else.

    Raises CheckInClosed outside the forum's check-in window and RegistrationError (WalkInFull
    when a place is full), writing nothing. The two steps are two transactions: should the
    check-in fail after the registration was committed, the person is registered and is
    checked in from the check-in page."""
    closed = checkin_window(forum).refusal()
    if closed is not None:
        raise CheckInClosed(forum, closed)
    outcome = registration_walk_in(
        forum=forum,
        details=details,
        workshops=workshops,
        by=by,
        override_reason=override_reason,
        offered=offered,
    )
    if not outcome.created:
        return WalkInResult(outcome=outcome, checkin=None)
    checkin = checkin_perform(
        code=outcome.registration.checkin_code,
        forum=forum,
        workshop=None,
        nonce=f"walk-in-{uuid.uuid4().hex}",
        by=by,
        device=device,
        source=CheckInSource.WALK_IN,
    )
    return WalkInResult(outcome=outcome, checkin=checkin)


@transaction.atomic(durable=True)
def pdf_run_start(
    *, kind: str, forum: Forum, by: Actor, registration_ids: list[int] | None = None
) -> PdfRun:
    """Ask for `kind` (badges or certificates) of `forum`, for everyone it concerns (holding a
    seat; having attended) or for those of `registration_ids` among them, made in the
    background. Writes one PdfRun (queued, with its total) and queues its task after commit;
    sends nothing. Raises PdfRunEmpty, and writes nothing, when nobody is concerned."""
    from attendance import selectors, tasks

    if kind == PdfKind.BADGES:
        ids = list(
            selectors.badge_registrations(forum, registration_ids)
            .order_by()
            .values_list("pk", flat=True)
        )
    elif kind == PdfKind.CERTIFICATES:
        registrations = Registration.objects.filter(forum=forum)
        if registration_ids is not None:
            registrations = registrations.filter(pk__in=registration_ids)
        ids = sorted(selectors.attended_forum_among(registrations))
    else:
        raise ValueError(f"Unknown document: {kind}")
    if not ids:
        raise PdfRunEmpty(kind)
    run = PdfRun.objects.create(
        kind=kind,
        forum=forum,
        requested_by=_user_of(by),
        registration_ids=sorted(ids),
        total=len(ids),
    )
    transaction.on_commit(lambda: tasks.render_pdf_run.enqueue(run.pk))
    return run


class PdfRunEmpty(Exception):
    """Nobody is concerned: no one holds a seat (badges), or no one has attended
    (certificates)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


def pdf_run_render(*, run_id: int) -> PdfRun:
    """Make the PDF of a queued run: marks it running, counts its progress on the row as it
    goes (one UPDATE every few pages), then stores the PDF and marks it done, or failed with the
    error. A run already started by another worker is left alone. Sends nothing."""
    from attendance import documents

    started = PdfRun.objects.filter(pk=run_id, status=PdfRunStatus.QUEUED).update(
        status=PdfRunStatus.RUNNING
    )
    run = PdfRun.objects.select_related("forum").get(pk=run_id)
    if not started:
        return run

    def progress(done: int) -> None:
        PdfRun.objects.filter(pk=run_id).update(done=done)

    try:
        if run.kind == PdfKind.BADGES:
            content = documents.badges(run.forum, run.registration_ids, on_progress=progress)
        else:
            content = documents.certificates(run.forum, run.registration_ids, on_progress=progress)
    except Exception as error:
        # Kept on the row for the secretariat's page; the worker's log has the traceback.
        logger.exception("PDF run %s failed", run_id)
        PdfRun.objects.filter(pk=run_id).update(
            status=PdfRunStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    PdfRun.objects.filter(pk=run_id).update(
        status=PdfRunStatus.DONE, pdf=content, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
