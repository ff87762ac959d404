"""What reports adds to the forum admin (assembled in config/admin.py): links to the forum's
overview, news draft and maturity report."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from attendance.selectors import forum_is_held
from forums.models import Forum

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class ForumReports(_ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reports_links"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Reports", {"fields": ["reports_links"]})]

    @admin.display(description="Reports")
    def reports_links(self, forum: Forum) -> str:
        overview = format_html(
            '<a href="{}">Forum overview: registrations, seats, check-in and feedback</a>',
            reverse("reports:forum_overview", args=[forum.slug]),
        )
        # The news draft and the maturity report answer only for a held forum.
        if not forum_is_held(forum):
            return format_html(
                "{}<br>News draft and responsible sourcing maturity: once the forum is marked "
                "held.",
                overview,
            )
        return format_html(
            '{}<br><a href="{}">News draft</a><br><a href="{}">Responsible sourcing maturity</a>',
            overview,
            reverse("reports:news", args=[forum.slug]),
            reverse("reports:maturity", args=[forum.slug]),
        )
