import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html, format_html_join

from audit.models import AuditEntry

if TYPE_CHECKING:
    # The mixin below is only ever mixed into a ModelAdmin; this lets the checker follow super().
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


def utc_label(moment: datetime | None) -> str:
    """A time that belongs to no forum, in UTC and saying so: "2017-10-24 00:12 UTC"."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if moment else "-"


def utc_time(field: str, description: str):
    """An admin column or read-only field showing `field` as utc_label does, sorted by it."""

    @admin.display(description=description, ordering=field)
    def display(modeladmin, obj) -> str:
        return utc_label(getattr(obj, field))

    return display


def _when(entry: AuditEntry) -> str:
    return utc_label(entry.created_at)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["when", "actor_kind", "actor", "action", "content_type", "object_repr"]
    list_filter = ["actor_kind", "action", ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "action", "actor__email"]
    fields = readonly_fields = (
        "when",
        "actor_kind",
        "actor",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "data",
    )

    @admin.display(description="when (UTC)", ordering="created_at")
    def when(self, entry: AuditEntry) -> str:
        return _when(entry)


class AuditLogMixin(_ModelAdmin):
    """Adds the object's own audit log, newest first, to the foot of its change page."""

    audit_log_limit = 50

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "audit_log"]

    def get_fieldsets(self, request, obj=None):
        # Without declared fieldsets Django lists every read-only field in the first one.
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "audit_log"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Audit log", {"classes": ["collapse"], "fields": ["audit_log"]})]

    @admin.display(description="entries")
    def audit_log(self, obj) -> str:
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        ).select_related("actor")[: self.audit_log_limit]
        if not entries:
            return "No secretariat or system actions yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _when(entry),
                    entry.actor or entry.get_actor_kind_display(),
                    entry.action,
                    json.dumps(entry.data, ensure_ascii=False, sort_keys=True)
                    if entry.data
                    else "",
                )
                for entry in entries
            ),
        )
        return format_html(
            '<table class="audit-log"><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th>'
            "<th>Details</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )
