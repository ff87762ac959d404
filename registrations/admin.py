from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_countries import countries
from import_export.admin import ImportMixin

from audit.admin import AuditLogMixin
from audit.services import Actor, audit_record
from forums.admin import ForumZoneHistory
from forums.forms import local_time_label
from forums.models import Forum
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.exports import export_response
from registrations.forms import AttendanceConfirmForm, AttendanceImportForm
from registrations.import_columns import (
    COLUMNS,
    EXPORT_ONLY,
    ROW_NUMBERS,
    accepts,
    also_recognised,
)
from registrations.import_storage import UPLOAD_NAME, ImportUploadGone, ImportUploadStorage
from registrations.models import (
    QuestionChoice,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    WorkshopPlace,
)
from registrations.permissions import can_manage_registrations
from registrations.resources import AttendanceListResource, SpreadsheetCSV, SpreadsheetXLSX
from registrations.selectors import with_registration_counts, with_waiting_count
from registrations.spreadsheets import SpreadsheetError, write_csv, write_xlsx
from workshops.models import Workshop

TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export_action(file_format: str):
    def action(modeladmin, request, queryset):
        return export_response(queryset, file_format=file_format)

    action.__name__ = f"export_{file_format}"
    return admin.action(description=f"Export selected registrations ({file_format.upper()})")(
        action
    )


class CountryFilter(admin.SimpleListFilter):
    """Only the countries registrants come from, not all 250."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            # Without the model's ordering, which DISTINCT would otherwise count in.
            .order_by()
            .exclude(person__country="")
            .values_list("person__country", flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(person__country=self.value()) if self.value() else queryset


def time_display(field: str, description: str, label: Callable[[object, datetime], str]):
    """An admin column or read-only field showing an object's date-time `field` as
    `label(obj, moment)` says, sorted by the field itself."""

    @admin.display(description=description, ordering=field)
    def display(modeladmin, obj) -> str:
        moment = getattr(obj, field)
        if moment is None:
            return modeladmin.get_empty_value_display()
        return label(obj, moment)

    return display


def forum_time(
    field: str, description: str, forum: Callable[[object], Forum] = attrgetter("forum")
):
    """A date-time in the zone of the object's forum, named: "2017-10-24 08:12
    Asia/Kuala_Lumpur (+08)"."""
    return time_display(
        field, description, lambda obj, moment: local_time_label(moment, forum(obj).zone)
    )


def utc_time(field: str, description: str):
    """A date-time that belongs to no forum, in UTC and saying so: "2017-10-24 00:12 UTC"."""
    return time_display(
        field, description, lambda obj, moment: f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    )


class WorkshopPlaceInline(admin.TabularInline):
    model = WorkshopPlace
    extra = 0
    fields = ["workshop", "status", "local_joined_at"]
    readonly_fields = ["workshop", "status", "local_joined_at"]
    can_delete = False

    local_joined_at = forum_time("joined_at", "Joined at", forum=attrgetter("workshop.forum"))

    def get_queryset(self, request):
        # Each row names its place (person, workshop code), links its workshop and shows a
        # time in the forum's zone.
        return (
            super().get_queryset(request).select_related("registration__person", "workshop__forum")
        )

    def has_add_permission(self, request, obj=None):
        return False


# The stubs of ModelAdmin and of import-export's mixin disagree on change_list_template's type
# (ClassVar[str | None] against str); at run time ImportMixin's value comes first. Registered,
# with attendance's column and filter, in config/admin.py.
class RegistrationAdmin(  # type: ignore[misc]
    AuditLogMixin, ForumZoneHistory, ImportMixin, admin.ModelAdmin
):
    list_display = [
        "person",
        "email",
        "company",
        "forum",
        "status",
        "invited_by",
        "local_registered_at",
    ]
    list_filter = [
        "status",
        "forum",
        ("workshop_places__workshop", admin.RelatedOnlyFieldListFilter),
        CountryFilter,
        "category",
        ("invited_by__organisation", admin.RelatedOnlyFieldListFilter),
        "source",
    ]
    search_fields = ["person__first_name", "person__last_name", "person__email", "company__name"]
    list_select_related = [
        "person",
        "company",
        "forum",
        "invited_by__organisation",
        "invited_by__forum",
    ]
    readonly_fields = [
        "forum",
        "person",
        "status",
        "source",
        "invited_by",
        "local_consent_given_at",
        "local_registered_at",
        "local_updated_at",
        "local_waitlisted_at",
        "local_cancelled_at",
        "answers",
    ]
    fields = [
        "forum",
        "person",
        "company",
        "status",
        "source",
        "invited_by",
        "job_title",
        "dietary_needs",
        "accessibility_needs",
        "share_with_sponsors",
        "language",
        "local_consent_given_at",
        "local_registered_at",
        "local_updated_at",
        "local_waitlisted_at",
        "local_cancelled_at",
        "answers",
    ]
    autocomplete_fields = ["company"]
    inlines = [WorkshopPlaceInline]

    def view_on_site(self, registration):
        # The admin's "View on site" button: the desk's page for acting for the registrant.
        return reverse("desk:registration", args=[registration.pk])

    actions = [
        "cancel_registrations",
        "resend_confirmation",
        _export_action("csv"),
        _export_action("xlsx"),
    ]
    # Import through django-import-export's upload → preview → confirm screens; the reading,
    # checks and writing are those of registrations.imports (see registrations.resources).
    resource_classes = [AttendanceListResource]
    import_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    import_form_class = AttendanceImportForm
    confirm_form_class = AttendanceConfirmForm
    tmp_storage_class = ImportUploadStorage
    skip_admin_log = True

    import_template_name = "admin/registrations/registration/import.html"

    def has_import_permission(self, request):
        return can_manage_registrations(request.user)

    def get_urls(self):
        template = path(
            "import/template/<str:file_format>/",
            self.admin_site.admin_view(self.import_template_view),
            name="registrations_registration_import_template",
        )
        return [template, *super().get_urls()]

    def get_import_context_data(self, **kwargs):
        return {
            **super().get_import_context_data(**kwargs),
            "import_columns": [
                {
                    "label": column.label,
                    "required": column.required,
                    "accepts": accepts(column),
                    "also": also_recognised(column),
                }
                for column in COLUMNS
            ],
            "import_export_only": EXPORT_ONLY,
            "import_row_numbers": ROW_NUMBERS,
        }

    @method_decorator(require_GET)
    def import_template_view(self, request, file_format: str):
        """An empty list with the columns' headers, in the reader's language, to fill in."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if file_format not in TEMPLATE_TYPES:
            raise Http404
        headers = [str(column.label) for column in COLUMNS]
        content = (
            write_csv(headers, [])
            if file_format == "csv"
            else write_xlsx(headers, [], sheet_title=gettext("Attendance list"))
        )
        response = HttpResponse(content, content_type=TEMPLATE_TYPES[file_format])
        response["Content-Disposition"] = (
            f'attachment; filename="attendance-list-template.{file_format}"'
        )
        return response

    def process_import(self, request, **kwargs):
        """The confirmation step, refused with 400 and a message when the form does not name an
        upload this site kept (a made-up or expired file name) or one of the offered formats."""
        if request.method == "POST":
            name = request.POST.get("import_file_name", "")
            chosen = request.POST.get("format", "")
            offered = len(self.get_import_formats())
            if not (
                UPLOAD_NAME.fullmatch(name)
                and chosen.isascii()
                and chosen.isdigit()
                and int(chosen) < offered
            ):
                return self._upload_gone(request)
            try:
                return super().process_import(request, **kwargs)
            except ImportUploadGone:
                return self._upload_gone(request)
        return super().process_import(request, **kwargs)

    def _upload_gone(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import"),
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/registrations/registration/import_gone.html", context, status=400
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        return {
            "forum": getattr(form, "cleaned_data", {}).get("forum"),
            "by": Actor.importer(request.user),
        }

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["forum"] = import_form.cleaned_data["forum"].pk
        return initial

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    # Each in the registration's forum's zone.
    local_consent_given_at = forum_time("consent_given_at", "Consent given at")
    local_registered_at = forum_time("created_at", "Registered at")
    local_updated_at = forum_time("updated_at", "Updated at")
    local_waitlisted_at = forum_time("waitlisted_at", "Waitlisted at")
    local_cancelled_at = forum_time("cancelled_at", "Cancelled at")

    def forum_zone(self, request, registration):
        return registration.forum.zone

    @admin.display(description="Answers to the forum's questions")
    def answers(self, registration):
        answers = (
            RegistrationAnswer.objects.filter(registration=registration)
            .select_related("question")
            .prefetch_related(
                Prefetch("choices", queryset=QuestionChoice.objects.order_by("order", "pk"))
            )
            .order_by("question__order", "question_id")
        )
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}{}</th><td class="answer">{}</td></tr>',
            (
                (
                    answer.question.label_en,
                    " (hidden)" if answer.question.hidden else "",
                    answer.shown(english=True),
                )
                for answer in answers
            ),
        )
        return format_html("<table>{}</table>", rows) if rows else "–"

    @admin.display(description="E-mail", ordering="person__email")
    def email(self, registration):
        return registration.person.email

    def has_add_permission(self, request):
        return False  # registrations come through the form or an import, which keep seats right

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: deleting would free seats without promoting anyone

    @admin.action(description="Cancel selected registrations (moves waiting people in)")
    def cancel_registrations(self, request, queryset):
        registrations = list(
            queryset.exclude(status=RegistrationStatus.CANCELLED)
            .select_related("person", "forum")
            .order_by("pk")
        )
        if not registrations:
            self.message_user(
                request,
                "The selected registrations are cancelled already; nothing was changed.",
                messages.WARNING,
            )
            return None
        if request.POST.get("post") != "yes":
            # Everyone cancelled is e-mailed: ask first, as Django does before deleting.
            return self.cancel_confirmation(request, registrations, selected=queryset.count())
        for registration in registrations:
            services.registration_cancel(registration=registration, by=Actor.of(request.user))
        count = len(registrations)
        self.message_user(
            request,
            ngettext(
                "Cancelled %(count)d registration.", "Cancelled %(count)d registrations.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None

    def cancel_confirmation(self, request, registrations: list[Registration], *, selected: int):
        count = len(registrations)
        people = len({r.person_id for r in registrations if r.person.email})
        already = selected - count
        summary = [
            ngettext(
                "%(count)d registration will be cancelled.",
                "%(count)d registrations will be cancelled.",
                count,
            )
            % {"count": count},
            ngettext(
                "%(count)d person will be e-mailed that their registration is cancelled;",
                "%(count)d people will be e-mailed that their registration is cancelled;",
                people,
            )
            % {"count": people},
            gettext("anyone moved in from a waiting list is e-mailed too."),
        ]
        if already:
            summary.append(
                ngettext(
                    "%(count)d of the selected registrations is already cancelled and stays as "
                    "it is.",
                    "%(count)d of the selected registrations are already cancelled and stay as "
                    "they are.",
                    already,
                )
                % {"count": already}
            )
        return self._emailing_confirmation(
            request,
            registrations,
            title=gettext("Cancel registrations?"),
            summary=" ".join(summary),
            action_name="cancel_registrations",
            confirm_label=gettext("Yes, cancel them"),
        )

    def _emailing_confirmation(
        self,
        request,
        registrations: list[Registration],
        *,
        title: str,
        summary: str,
        action_name: str,
        confirm_label: str,
    ) -> TemplateResponse:
        """The page an action that e-mails people shows first: what it will do and to whom;
        its button posts the action again with post=yes."""
        opts = self.model._meta
        return TemplateResponse(
            request,
            "admin/registrations/registration/cancel_selected_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "subtitle": None,
                "opts": opts,
                "registrations": registrations,
                "summary": summary,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "action_name": action_name,
                "confirm_label": confirm_label,
                "changelist_url": add_preserved_filters(
                    {"preserved_filters": self.get_preserved_filters(request), "opts": opts},
                    reverse("admin:registrations_registration_changelist"),
                ),
            },
        )

    @admin.action(description="Resend confirmation e-mail…")
    def resend_confirmation(self, request, queryset):
        registrations = list(queryset.select_related("forum", "person").order_by("pk"))
        if request.POST.get("post") != "yes":
            # Everyone selected is e-mailed: say how many first.
            people = len({r.person_id for r in registrations if r.person.email})
            return self._emailing_confirmation(
                request,
                registrations,
                title=gettext("Resend confirmations?"),
                summary=ngettext(
                    "%(count)d person will be e-mailed their confirmation (or waiting-list "
                    "notice) again, with their link.",
                    "%(count)d people will be e-mailed their confirmation (or waiting-list "
                    "notice) again, with their link.",
                    people,
                )
                % {"count": people},
                action_name="resend_confirmation",
                confirm_label=gettext("Yes, e-mail them"),
            )
        for registration in registrations:
            services.registration_resend(registration=registration)
            audit_record(
                by=Actor.of(request.user), action="registration.resent", subject=registration
            )
        count = len(registrations)
        self.message_user(
            request,
            ngettext("Queued %(count)d e-mail.", "Queued %(count)d e-mails.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None


# What registrants are told about when it moves.
FORUM_PROGRAMME = ["starts_at", "ends_at", "venue", "venue_address", "city"]
WORKSHOP_PROGRAMME = ["starts_at", "ends_at", "room"]


def programme_changes(
    form, fields: list[str], workshop: Workshop | None = None
) -> list[services.ProgrammeChange]:
    """What a saved change form moved: each of `fields` whose value differs from the one the
    form was opened with."""
    return [
        services.ProgrammeChange(
            field=name, old=form.initial[name], new=getattr(form.instance, name), workshop=workshop
        )
        for name in fields
        if name in form.initial and form.initial[name] != getattr(form.instance, name)
    ]


if TYPE_CHECKING:
    # The mixins below are only ever mixed into a ModelAdmin; this lets the checker follow super().
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class WorkshopSeats(_ModelAdmin):
    """What registrations adds to the workshop admin: seats taken, free and waiting, and saving
    through the seat rules."""

    seat_columns = ["seat_limit", "seats_taken", "seats_free", "waiting"]

    def get_list_display(self, request):
        columns = [c for c in super().get_list_display(request) if c != "seat_limit"]
        return [*columns, *self.seat_columns]

    def get_queryset(self, request):
        return with_waiting_count(super().get_queryset(request))

    @admin.display(description="Free")
    def seats_free(self, workshop):
        return workshop.seats_left

    @admin.display(description="Waiting", ordering="waiting_count")
    def waiting(self, workshop):
        return workshop.waiting_count

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        services.workshop_update(workshop=obj, changed=form.changed_data, by=Actor.of(request.user))
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.forum_programme_changed(
                forum=form.instance.forum,
                changes=programme_changes(form, WORKSHOP_PROGRAMME, workshop=form.instance),
            )


class ForumSeats(_ModelAdmin):
    """What registrations adds to the forum admin: its seat counter, and after a save, people
    moved in by a raised capacity or seat limit and told of a moved time or place."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "registered", "waiting"]

    def get_queryset(self, request):
        return with_registration_counts(super().get_queryset(request))

    @admin.display(description=_("Registered"), ordering="registered_count")
    def registered(self, forum):
        return forum.registered_count

    @admin.display(description=_("Waiting list"), ordering="waiting_count")
    def waiting(self, forum):
        return forum.waiting_count

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "seats_taken"]

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), ("Seats", {"fields": ["seats_taken"]})]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.forum_settle_after_change(
                forum=form.instance,
                by=Actor.of(request.user),
                capacity_from=form.initial.get("capacity"),
            )
            changes = programme_changes(form, FORUM_PROGRAMME)
            for formset in formsets:
                if formset.model is Workshop:
                    for workshop_form in formset.initial_forms:
                        if workshop_form not in formset.deleted_forms:
                            changes += programme_changes(
                                workshop_form, WORKSHOP_PROGRAMME, workshop=workshop_form.instance
                            )
            services.forum_programme_changed(forum=form.instance, changes=changes)


# --- import and export -------------------------------------------------------------------------


# --- the forums' own registration questions ------------------------------------------------------


class QuestionChoiceInline(admin.TabularInline):
    # Django's inline formset refuses to delete a choice someone chose (PROTECT), by name.
    model = QuestionChoice
    fields = ["label_en", "label_es", "order"]
    extra = 3


class RegistrationQuestionForm(forms.ModelForm):
    class Meta:
        model = RegistrationQuestion
        fields = ["forum", "kind", "label_en", "label_es", "required", "order", "hidden"]

    def clean(self):
        cleaned = super().clean()
        question = self.instance
        if (
            question.pk
            and "kind" in self.changed_data
            and RegistrationAnswer.objects.filter(question=question).exists()
        ):
            self.add_error(
                "kind",
                "This question has been answered: its kind cannot change. Hide it and ask a new "
                "question instead.",
            )
        return cleaned


@admin.register(RegistrationQuestion)
class RegistrationQuestionAdmin(admin.ModelAdmin):
    """A forum's own questions on its registration form. Choices are edited below the
    question; a question someone answered is hidden, not deleted."""

    form = RegistrationQuestionForm
    list_display = ["label_en", "forum", "kind", "required", "hidden", "order"]
    list_filter = [("forum", admin.RelatedOnlyFieldListFilter), "kind", "hidden"]
    list_select_related = ["forum"]
    search_fields = ["label_en", "label_es"]
    ordering = ["forum", "order", "pk"]
    autocomplete_fields = ["forum"]
    inlines = [QuestionChoiceInline]
    actions: list = []  # deletion one question at a time, where an answered one is refused

    def delete_view(self, request, object_id, extra_context=None):
        question = self.get_object(request, object_id)
        if question is not None and RegistrationAnswer.objects.filter(question=question).exists():
            messages.error(
                request,
                f"“{question.label_en}” has been answered, so it cannot be deleted: its answers "
                "are kept. Tick “hidden” to stop asking it.",
            )
            return redirect(
                reverse("admin:registrations_registrationquestion_change", args=[question.pk])
            )
        return super().delete_view(request, object_id, extra_context)
