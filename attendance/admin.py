from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy, ngettext

from attendance import services
from attendance.enums import AttendanceState, PdfKind
from attendance.models import CheckIn, DoorHelper
from attendance.permissions import can_mark_held
from attendance.selectors import AttendanceCounts, attendance_counts_by_forum, with_attendance
from attendance.services import PdfRunEmpty, pdf_run_start
from audit.services import Actor
from forums.models import Forum
from registrations.models import Registration

if TYPE_CHECKING:
    # The mixins below are only ever mixed into a ModelAdmin; this lets the checker follow super().
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Check-ins are looked at here; they are made and undone through the check-in services."""

    list_display = ["registration", "workshop", "checked_in_at", "by", "source", "undone_at"]
    list_filter = ["source", "registration__forum"]
    list_select_related = ["registration__person", "registration__forum", "workshop", "by"]
    readonly_fields = [
        "registration",
        "workshop",
        "checked_in_at",
        "by",
        "device",
        "nonce",
        "source",
        "undone_at",
        "undone_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CheckIn | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CheckIn | None = None) -> bool:
        return False


@admin.register(DoorHelper)
class DoorHelperAdmin(admin.ModelAdmin):
    list_display = ["user", "forum"]
    list_filter = ["forum"]
    list_select_related = ["user", "forum"]
    autocomplete_fields = ["user"]
    fields = ["user", "forum"]


# --- the registration admin's attendance column and filter ---------------------------------------


class AttendanceFilter(admin.SimpleListFilter):
    """Attended / no-show / not yet, as attendance.selectors.with_attendance derives them."""

    title = gettext_lazy("attendance")
    parameter_name = "attendance"

    def lookups(self, request, model_admin):
        return AttendanceState.choices

    def queryset(self, request, queryset):
        if self.value() in AttendanceState.values:
            return with_attendance(queryset).filter(Q(attendance=self.value()))
        return queryset


class RegistrationAttendance(_ModelAdmin):
    """What attendance adds to the registration admin: an "Attendance" column and filter, read
    from check-ins in the list's own query."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return with_attendance(super().get_queryset(request))

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        at = columns.index("status") + 1 if "status" in columns else len(columns)
        return [*columns[:at], "attendance", *columns[at:]]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        at = filters.index("status") + 1 if "status" in filters else len(filters)
        return [*filters[:at], AttendanceFilter, *filters[at:]]

    @admin.display(description=gettext_lazy("Attendance"), ordering="attendance")
    def attendance(self, registration: Registration) -> str:
        state = getattr(registration, "attendance", "")
        return str(AttendanceState(state).label) if state else self.get_empty_value_display()


# --- the forum admin's "held" actions ------------------------------------------------------------


class ForumHeldActions(_ModelAdmin):
    """What attendance adds to the forum admin: marking forums held (their no-shows counted)
    and reversing it, each after a page that says how many will be counted as no-shows."""

    held_actions = ["mark_held", "unmark_held"]

    def has_mark_held_permission(self, request: HttpRequest) -> bool:
        return can_mark_held(request.user)

    @admin.action(
        description=gettext_lazy("Mark held (count who did not come as no-shows)"),
        permissions=["mark_held"],
    )
    def mark_held(self, request: HttpRequest, queryset: QuerySet[Forum]):
        def done(result: services.HeldResult) -> str:
            return ngettext(
                "%(forum)s is held: %(attended)d attended, %(count)d no-show.",
                "%(forum)s is held: %(attended)d attended, %(count)d no-shows.",
                result.no_shows,
            ) % {"forum": result.forum.title, "attended": result.attended, "count": result.no_shows}

        return self._held_action(
            request,
            list(queryset.order_by("starts_at", "pk")),
            action="mark_held",
            title=gettext("Mark forums held?"),
            refusal=services.forum_mark_held_refusal,
            # Everyone holding a seat without a door check-in, once it is held.
            counted=lambda counts: counts.not_yet,
            perform=services.forum_mark_held,
            done=done,
        )

    @admin.action(
        description=gettext_lazy("Reverse “mark held” (no-shows become “not yet”)"),
        permissions=["mark_held"],
    )
    def unmark_held(self, request: HttpRequest, queryset: QuerySet[Forum]):
        def done(result: services.HeldResult) -> str:
            return ngettext(
                "%(forum)s is %(status)s again: %(count)d no-show is “not yet” again.",
                "%(forum)s is %(status)s again: %(count)d no-shows are “not yet” again.",
                result.no_shows,
            ) % {
                "forum": result.forum.title,
                "status": result.forum.get_status_display().lower(),
                "count": result.no_shows,
            }

        return self._held_action(
            request,
            list(queryset.select_related("held_marking").order_by("starts_at", "pk")),
            action="unmark_held",
            title=gettext("Reverse “mark held”?"),
            refusal=services.forum_unmark_held_refusal,
            counted=lambda counts: counts.no_shows,
            perform=services.forum_unmark_held,
            done=done,
        )

    def _held_action(
        self,
        request: HttpRequest,
        forums: list[Forum],
        *,
        action: str,
        title: str,
        refusal: Callable[[Forum], str | None],
        counted: Callable[[AttendanceCounts], int],
        perform: Callable[..., services.HeldResult],
        done: Callable[[services.HeldResult], str],
    ) -> TemplateResponse | None:
        """Without the page's "yes": the page, saying per forum how many attended and how many
        no-shows the action concerns (`counted`), or why it would be refused. With it: the
        action on each forum, and a message for each."""
        if request.POST.get("post") != "yes":
            by_forum = attendance_counts_by_forum(forums)
            rows = [
                {
                    "forum": forum,
                    "refusal": refusal(forum),
                    "attended": by_forum[forum.pk].attended,
                    "no_shows": counted(by_forum[forum.pk]),
                }
                for forum in forums
            ]
            return self._held_confirmation(request, rows, action=action, title=title)
        for forum in forums:
            try:
                result = perform(forum=forum, by=Actor.of(request.user))
            except services.HeldRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                continue
            self.message_user(request, done(result), messages.SUCCESS)
        return None

    def _held_confirmation(
        self, request: HttpRequest, rows: list[dict[str, Any]], *, action: str, title: str
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/attendance/held_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "subtitle": None,
                "opts": self.model._meta,
                "rows": rows,
                "action": action,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )


@admin.action(description="Print badges for the selected registrations")
def print_badges(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    """Badges for a selection of one forum's registrations, made in the background; the
    registrations that hold no seat are left out."""
    forums = list(Forum.objects.filter(registrations__in=queryset).distinct()[:2])
    if len(forums) != 1:
        modeladmin.message_user(
            request,
            "Select registrations of one forum at a time: each forum has its own badges.",
            messages.ERROR,
        )
        return None
    try:
        run = pdf_run_start(
            kind=PdfKind.BADGES,
            forum=forums[0],
            by=Actor.of(request.user),
            registration_ids=list(queryset.values_list("pk", flat=True)),
        )
    except PdfRunEmpty:
        modeladmin.message_user(
            request,
            "None of the selected registrations holds a seat, so there are no badges to print.",
            messages.ERROR,
        )
        return None
    return redirect("attendance:pdf_run", slug=forums[0].slug, run_id=run.pk)
