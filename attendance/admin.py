from django.contrib import admin
from django.http import HttpRequest

from attendance.models import CheckIn, DoorHelper


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
