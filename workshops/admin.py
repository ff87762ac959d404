from django.contrib import admin

from forums.admin import ForumAdmin
from forums.models import Forum
from workshops.models import Workshop


class WorkshopInline(admin.StackedInline):
    model = Workshop
    extra = 0
    autocomplete_fields = ["facilitators", "led_by"]
    fields = [
        ("code", "title"),
        "description",
        ("pillar", "room"),
        ("starts_at", "ends_at"),
        "seat_limit",
        ("facilitators", "led_by"),
    ]


admin.site.unregister(Forum)


@admin.register(Forum)
class ForumWithWorkshopsAdmin(ForumAdmin):
    inlines = [*ForumAdmin.inlines, WorkshopInline]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "forum", "pillar", "starts_at", "seat_limit"]
    list_filter = ["pillar", "forum"]
    list_select_related = ["forum"]
    search_fields = ["title", "code", "forum__title"]
    autocomplete_fields = ["facilitators", "led_by"]
