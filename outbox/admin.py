from datetime import UTC

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from outbox.enums import EmailStatus
from outbox.models import OutgoingEmail
from outbox.services import email_deliver


def utc_time(field: str, description: str):
    """A date-time that belongs to no forum, in UTC and saying so: "2017-10-24 00:12 UTC",
    sorted by the field itself."""

    @admin.display(description=description, ordering=field)
    def display(modeladmin, obj) -> str:
        moment = getattr(obj, field)
        if moment is None:
            return modeladmin.get_empty_value_display()
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"

    return display


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "utc_created_at",
        "to",
        "subject",
        "kind",
        "status",
        "attempts",
        "utc_next_attempt_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    fields = readonly_fields = (
        "kind",
        "about",
        "to",
        "language",
        "params",
        "rendered",
        "subject",
        "body_text",
        "body_html",
        "ics",
        "ics_cancel",
        "status",
        "attempts",
        "last_error",
        "utc_created_at",
        "utc_next_attempt_at",
        "utc_claimed_until",
        "utc_sent_at",
    )
    actions = ["retry_now"]

    utc_created_at = utc_time("created_at", "Created at")
    utc_next_attempt_at = utc_time("next_attempt_at", "Next attempt at")
    utc_claimed_until = utc_time("claimed_until", "Claimed until")
    utc_sent_at = utc_time("sent_at", "Sent at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record of what was sent: looked at, retried from the list

    @admin.display(description="About")
    def about(self, obj: OutgoingEmail) -> str:
        """What the message is about, linked to its admin page when it has one."""
        about = obj.about
        if about is None:
            return self.get_empty_value_display()
        meta = about._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[about.pk])
        except NoReverseMatch:
            return f"{meta.verbose_name.capitalize()}: {about}"
        return format_html('{}: <a href="{}">{}</a>', meta.verbose_name.capitalize(), url, about)

    @admin.action(description="Retry sending now")
    def retry_now(self, request, queryset):
        sent = 0
        for outgoing in queryset.exclude(status=EmailStatus.SENT):
            outgoing.status = EmailStatus.PENDING
            sent += email_deliver(outgoing)
        selected = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Sent %(sent)d of %(count)d selected message.",
                "Sent %(sent)d of %(count)d selected messages.",
                selected,
            )
            % {"sent": sent, "count": selected},
        )
