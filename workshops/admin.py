from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from config.params import read_id
from forums.admin import ForumZoneAdmin, ForumZoneInline
from forums.forms import local_time_label
from forums.models import Forum
from workshops.models import Workshop


class WorkshopInline(ForumZoneInline, TranslationStackedInline):
    """Title and description in English and Spanish (workshops/translation.py)."""

    model = Workshop
    extra = 0
    # Workshops have their own pages too; on the forum's page they are opened when needed.
    classes = ["collapse"]
    autocomplete_fields = ["facilitators", "led_by"]
    fields = [
        ("code", "title"),
        "description",
        ("pillar", "room"),
        ("starts_at", "ends_at"),
        "seat_limit",
        ("facilitators", "led_by"),
    ]


def _forum_by_id(value: str | None) -> Forum | None:
    pk = read_id(value)
    if pk is None:
        return None
    return Forum.objects.filter(pk=pk).only("time_zone").first()


class WorkshopAdmin(ForumZoneAdmin, TranslationAdmin):
    """The workshop admin's own part; registered, with the seat rules, in config/admin.py.
    Title and description are typed in English and Spanish."""

    list_display = ["code", "title", "forum", "pillar", "local_start", "seat_limit"]
    list_filter = ["pillar", "forum"]
    list_select_related = ["forum"]
    search_fields = ["title", "code", "forum__title"]
    autocomplete_fields = ["facilitators", "led_by"]

    @admin.display(description="Starts (local)", ordering="starts_at")
    def local_start(self, workshop: Workshop) -> str:
        return local_time_label(workshop.starts_at, workshop.forum.zone)

    def forum_zone(self, request, obj):
        # The forum chosen on the form being saved, else the workshop's, else the one the add
        # page was opened for (?forum=…).
        source = request.POST if request.method == "POST" else request.GET
        forum = _forum_by_id(source.get("forum"))
        if forum is None and obj is not None:
            forum = obj.forum
        return forum.zone if forum else None
