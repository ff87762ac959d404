from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from attendance.enums import PdfKind
from attendance.models import CheckIn, DoorHelper
from attendance.services import PdfRunEmpty, pdf_run_start
from audit.services import Actor
from forums.models import Forum
from registrations.models import Registration


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
    list_select_related = ["user", "forum"]
    autocomplete_fields = ["user"]
    fields = ["user", "forum"]


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


# The registration admin is the registrations app's; attendance adds its action to it.
registration_admin = admin.site.get_model_admin(Registration)
registration_admin.actions = [*(registration_admin.actions or []), print_badges]
