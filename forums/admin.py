import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone

from forums.forms import DuplicateForumForm
from forums.models import AgendaItem, Forum, Membership, Organisation, Person, Sponsorship
from forums.services import forum_duplicate


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "joined_on", "left_on"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    search_fields = ["organisation__name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "job_title", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "invitation_link"]
    readonly_fields = ["invitation_link"]

    @admin.display(description="Invitation link for the sponsor's suppliers")
    def invitation_link(self, sponsorship: Sponsorship) -> str:
        if not sponsorship.pk:
            return "(appears once saved)"
        return f"{settings.SITE_URL}{sponsorship.invitation_path}"


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["speakers", "presenting_organisations"]


def _zone_from(value: str | None):
    try:
        return zoneinfo.ZoneInfo(value) if value else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "country", "local_start", "status", "capacity"]
    list_filter = ["status", "country", "theme"]
    search_fields = ["title", "city", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["supporters"]
    inlines = [SponsorshipInline, AgendaItemInline]
    actions = ["duplicate_forum"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "theme", "summary"]}),
        ("Where", {"fields": ["city", "country", "venue", "venue_address", "time_zone"]}),
        (
            "When (in the forum's time zone)",
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "registration_opens_at",
                    "registration_closes_at",
                    "capacity",
                ]
            },
        ),
        ("Supporters", {"fields": ["supporters"]}),
    ]

    @admin.display(description="Starts (local)", ordering="starts_at")
    def local_start(self, forum: Forum) -> str:
        return forum.local(forum.starts_at).strftime("%Y-%m-%d %H:%M %Z")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Times are typed and shown in the forum's own zone, not the server's UTC.
        zone = _zone_from(request.POST.get("time_zone"))
        if zone is None and object_id:
            forum = Forum.objects.filter(pk=object_id).only("time_zone").first()
            zone = _zone_from(forum.time_zone) if forum else None
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(zone):
            return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description="Duplicate forum (as a draft, on new dates)")
    def duplicate_forum(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Select exactly one forum to duplicate.", level=messages.ERROR
            )
            return None
        forum = queryset.get()
        with timezone.override(forum.zone):
            form = DuplicateForumForm(request.POST if "apply" in request.POST else None)
            if form.is_bound and form.is_valid():
                local_start: datetime = form.cleaned_data["starts_at"]
                copy = forum_duplicate(
                    forum=forum,
                    starts_at=local_start,
                    title=form.cleaned_data["title"] or None,
                    slug=form.cleaned_data["slug"] or None,
                )
                self.message_user(
                    request, f"Created the draft “{copy.title}” ({copy.slug}).", messages.SUCCESS
                )
                return redirect("admin:forums_forum_change", copy.pk)
        return render(
            request,
            "admin/forums/duplicate_forum.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Duplicate {forum.title}",
                "forum": forum,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
