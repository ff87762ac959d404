import base64
import zoneinfo
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from config.params import read_id
from forums.forms import (
    BrandingForm,
    DuplicateForumForm,
    ForumZoneSplitDateTimeField,
    local_time_label,
    zone_note,
)
from forums.models import AgendaItem, Branding, Forum, Membership, Person, Sponsorship
from forums.services import forum_duplicate

if TYPE_CHECKING:
    # The mixins below are only ever mixed into these; this lets the checker follow super().
    _BaseModelAdmin = admin.options.BaseModelAdmin[Any]
    _ModelAdmin = admin.ModelAdmin[Any]
    _InlineModelAdmin = admin.options.InlineModelAdmin[Any, Any]
else:
    _BaseModelAdmin = _ModelAdmin = _InlineModelAdmin = object


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class OrganisationAdmin(admin.ModelAdmin):
    """The organisation pages' base. Registered by companies.admin, which adds what keeps a
    company's names matching (dependencies point one way: forums does not know companies)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    """The one Branding row: its list opens it, and it is neither added nor deleted."""

    form = BrandingForm
    fields = [
        "logo_preview",
        "logo_upload",
        "remove_logo",
        "signatory_name",
        "signatory_title",
        "signature_preview",
        "signature_upload",
        "remove_signature",
    ]
    readonly_fields = ["logo_preview", "signature_preview"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Only the form's buttons save: a POST without one shows the form again and writes
        # nothing (no change, no entry in the history).
        if request.method == "POST" and not {"_save", "_continue"} & set(request.POST):
            request.method = "GET"
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        branding = Branding.objects.get_or_create(pk=Branding.SINGLETON_PK)[0]
        return redirect("admin:forums_branding_change", branding.pk)

    @admin.display(description=_("Current logo"))
    def logo_preview(self, branding: Branding) -> str:
        return _image_preview(bytes(branding.logo))

    @admin.display(description=_("Current signature"))
    def signature_preview(self, branding: Branding) -> str:
        return _image_preview(bytes(branding.signature))


def _image_preview(png: bytes) -> str:
    """The re-encoded PNG inline (it came out of Pillow, so it is only pixels)."""
    if not png:
        return str(_("None"))
    return format_html(
        '<img src="data:image/png;base64,{}" alt="" style="max-height:5rem;max-width:20rem">',
        base64.b64encode(png).decode("ascii"),
    )


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


class NamedInputsTabularInline(admin.TabularInline):
    """A tabular inline whose inputs are named for screen readers: its column headings are not
    <label>s, so each input carries its column's name (and the delete box "Delete")."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class NamedInputsFormSet(formset):  # type: ignore[valid-type,misc]
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    # The input itself, inside the admin's wrapper that adds the "+" links.
                    widget = getattr(field.widget, "widget", field.widget)
                    if not widget.is_hidden:
                        widget.attrs.setdefault("aria-label", field.label)

        return NamedInputsFormSet


class SponsorshipInline(NamedInputsTabularInline):
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


def _zone_from(value: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone named `value`, if it is one; the form says so when it is not. Checked against
    the list first: ZoneInfo reads the name as a file path, and a 10,000-character name is an
    OSError."""
    if not value or value not in zoneinfo.available_timezones():
        return None
    return zoneinfo.ZoneInfo(value)


def forum_form_zone(request, forum: Forum | None) -> zoneinfo.ZoneInfo | None:
    """The zone of the times on a forum's admin page: the zone typed on the form being saved
    (times are read in the zone written above them), else the forum's; None for a new forum."""
    if request.method == "POST" and "time_zone" in request.POST:
        return _zone_from(request.POST["time_zone"])
    return forum.zone if forum else None


class ForumZoneFields(_BaseModelAdmin):
    """Date-times that belong to one forum are typed and shown in that forum's zone, which is
    named beside each input, or once on the page where `zone_beside_inputs` is false.
    Subclasses say which zone applies with `forum_zone`."""

    zone_beside_inputs = True

    def forum_zone(self, request, obj) -> zoneinfo.ZoneInfo | None:
        raise NotImplementedError

    def formfield_for_dbfield(self, db_field, request, zone=None, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs.update(
                form_class=ForumZoneSplitDateTimeField, zone=zone, note=self.zone_beside_inputs
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def zoned_fields(self, request, obj):
        return partial(
            self.formfield_for_dbfield, request=request, zone=self.forum_zone(request, obj)
        )


def rendered_in_zone(zone: zoneinfo.ZoneInfo | None, view, *args):
    """An admin view's response, rendered while `zone` (if any) is the active time zone."""
    if zone is None:
        return view(*args)
    with timezone.override(zone):
        response = view(*args)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
    return response


class ForumZoneHistory(_ModelAdmin):
    """An object's history page lists its changes in its forum's zone, which the page names
    (templates/admin/object_history.html)."""

    def forum_zone(self, request, obj) -> zoneinfo.ZoneInfo | None:
        raise NotImplementedError

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        zone = self.forum_zone(request, obj) if obj is not None else None
        return rendered_in_zone(zone, super().history_view, request, object_id, extra_context)


class ForumZoneAdmin(ForumZoneFields, ForumZoneHistory, admin.ModelAdmin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("formfield_callback", self.zoned_fields(request, obj))
        return super().get_form(request, obj, change=change, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        # Rendered while the forum's zone is active, so that the date pickers' "Now" and their
        # note on the difference from the server's time are in the forum's zone too.
        return rendered_in_zone(
            self.forum_zone(request, obj),
            super().changeform_view,
            request,
            object_id,
            form_url,
            extra_context,
        )


class ForumZoneInline(ForumZoneFields, _InlineModelAdmin):
    """An inline on a forum's page: its times are in that forum's zone, which the page names
    once, in its "When" section."""

    zone_beside_inputs = False

    def forum_zone(self, request, obj):
        return forum_form_zone(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("formfield_callback", self.zoned_fields(request, obj))
        return super().get_formset(request, obj, **kwargs)


class AgendaItemInline(ForumZoneInline, TranslationStackedInline):
    """Title and description in English and Spanish (forums/translation.py)."""

    model = AgendaItem
    extra = 0
    # Set once when the forum is planned; the forum's page is opened far more often after.
    classes = ["collapse"]
    autocomplete_fields = ["speakers", "presenting_organisations"]
    fields = [
        ("starts_at", "ends_at"),
        "title",
        "description",
        ("speakers", "presenting_organisations"),
    ]


class ForumWhenFilter(admin.SimpleListFilter):
    """Upcoming or past forums, or a year's: the year a forum starts in its own zone (New
    Year's Day in Auckland is still 31 December in UTC)."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).local_years()
        return [
            ("upcoming", "Upcoming"),
            ("past", "Past"),
            *((str(year), str(year)) for year in years),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "upcoming":
            return queryset.filter(ends_at__gte=timezone.now())
        if value == "past":
            return queryset.filter(ends_at__lt=timezone.now())
        # Strict: "²".isdigit() is true but int("²") raises.
        return queryset.in_local_year(read_id(value) or 0)


def when_note(zone: zoneinfo.ZoneInfo | None, forum: Forum | None) -> str:
    """The one note on a forum's page naming the zone of all its times."""
    if zone is None:
        return format_html(
            '<span class="time-zone">{}</span>',
            gettext("Every time on this page is in the forum's time zone, chosen under Where."),
        )
    return format_html(
        gettext("Every time on this page is in {zone}."),
        zone=zone_note(zone, forum.starts_at if forum else None),
    )


class ForumAdmin(ForumZoneAdmin, TranslationAdmin):
    """The forum admin's own part; config/admin.py adds the other apps' inlines and rules and
    registers it. The texts participants read are typed in English and Spanish
    (forums/translation.py)."""

    list_display = ["title", "city", "country", "local_start", "status", "capacity"]
    # Newest first: the forums being prepared come before the archive.
    ordering = ["-starts_at"]
    # No date_hierarchy: it groups by the date in UTC, not the forum's. The country filter
    # offers only the countries forums are held in, not all 250.
    list_filter = [ForumWhenFilter, "status", ("country", CountryFilter), "theme"]
    search_fields = ["title", "city", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["supporters"]
    inlines = [SponsorshipInline, AgendaItemInline]
    actions = ["duplicate_forum"]
    zone_beside_inputs = False

    def get_fieldsets(self, request, obj=None):
        """The form in short sections, the rarely changed ones collapsed. Every time on the
        page, the agenda's and the workshops' too, is in the zone the "When" section names.
        Texts participants read are given in English and Spanish (each field's two inputs)."""
        zone = self.forum_zone(request, obj)
        return self._patch_fieldsets(
            [
                (None, {"fields": ["title", "slug", ("status", "theme"), "summary"]}),
                (
                    _("Where"),
                    {
                        "fields": [
                            ("city", "country"),
                            ("venue", "venue_address"),
                            "venue_notes",
                            "time_zone",
                        ]
                    },
                ),
                (
                    _("When"),
                    {
                        "description": when_note(zone, obj),
                        "fields": [
                            ("starts_at", "ends_at"),
                            ("registration_opens_at", "registration_closes_at"),
                        ],
                    },
                ),
                (_("Supporters"), {"classes": ["collapse"], "fields": ["supporters"]}),
                (
                    _("Capacity and reminders"),
                    {"fields": [("capacity", "reminder_days_before")]},
                ),
                (
                    _("Certificate of attendance"),
                    {"classes": ["collapse"], "fields": ["certificate_wording"]},
                ),
            ]
        )

    @admin.display(description="Starts (local)", ordering="starts_at")
    def local_start(self, forum: Forum) -> str:
        return local_time_label(forum.starts_at, forum.zone)

    def forum_zone(self, request, obj):
        return forum_form_zone(request, obj)

    @admin.action(description="Duplicate forum (as a draft, on new dates)")
    def duplicate_forum(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Select exactly one forum to duplicate.", level=messages.ERROR
            )
            return None
        forum = queryset.get()
        form = DuplicateForumForm(request.POST if "apply" in request.POST else None, forum=forum)
        if form.is_bound and form.is_valid():
            starts_at: datetime = form.cleaned_data["starts_at"]
            copy = forum_duplicate(
                forum=forum,
                starts_at=starts_at,
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
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
