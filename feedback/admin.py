"""The secretariat's side of surveys: a forum's survey with its questions, opening it, the
reminder, closing it, how far the e-mails have gone, and paper forms (typed in one by one, or
imported from a spreadsheet). The forum page links to its survey (`ForumSurvey`, assembled in
config/admin.py)."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from audit.admin import AuditLogMixin
from audit.services import Actor
from config.params import read_id
from feedback import selectors, services
from feedback.enums import SurveyStatus
from feedback.forms import (
    AnswerForm,
    ImportForm,
    PaperEntryForm,
    QuestionForm,
    QuestionFormSet,
    survey_items,
)
from feedback.imports import import_feedback
from feedback.models import Question, Survey
from forums.admin import ForumZoneAdmin
from forums.models import Forum, Person
from registrations.imports import ImportRefused
from registrations.models import Registration
from registrations.spreadsheets import Limits, SpreadsheetError, check_size, read_table

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    fieldsets = [
        (None, {"fields": [("position", "key", "kind", "scope", "required")]}),
        (None, {"fields": [("section_en", "section_es")]}),
        (None, {"fields": [("text_en", "text_es")]}),
        (None, {"fields": ["choices"]}),
    ]


@admin.register(Survey)
class SurveyAdmin(AuditLogMixin, ForumZoneAdmin):
    list_display = ["forum", "status", "anonymous", "invited", "answered"]
    list_filter = ["status", "anonymous"]
    list_select_related = ["forum"]
    search_fields = ["forum__title", "forum__slug"]
    autocomplete_fields = ["forum"]
    actions = ["open_survey", "invite_new_attendees", "send_reminder", "close_survey"]
    change_form_template = "admin/feedback/survey/change_form.html"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["forum"]})]
        return [
            (None, {"fields": ["forum", "status", "anonymous", "closes_at"]}),
            ("Introduction", {"fields": ["intro_en", "intro_es"]}),
            ("Invitations and answers", {"fields": ["progress"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "progress"]
        if obj is not None:
            fields.append("forum")
            if obj.status != SurveyStatus.DRAFT:
                # Who answered what is kept or not from the first answer on.
                fields.append("anonymous")
        return [*super().get_readonly_fields(request, obj), *fields]

    def has_delete_permission(self, request, obj=None):
        # A survey with answers is a record: close it instead.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.responses.exists())

    def get_inlines(self, request, obj):
        return [QuestionInline] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        forum = read_id(request.GET.get("forum"))
        if forum is not None:
            initial["forum"] = str(forum)
        return initial

    def forum_zone(self, request, obj):
        return obj.forum.zone if obj is not None else None

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        survey = services.survey_create(forum=obj.forum, by=Actor.of(request.user))
        obj.pk = obj.id = survey.pk
        obj.refresh_from_db()

    @admin.display(description="invited")
    def invited(self, survey: Survey) -> int:
        return survey.invitations.count()

    @admin.display(description="answered")
    def answered(self, survey: Survey) -> int:
        return survey.invitations.filter(responded_at__isnull=False).count()

    @admin.display(description="progress")
    def progress(self, survey: Survey) -> str:
        if not survey.pk:
            return "–"
        p = selectors.survey_progress(survey)
        # The rate is out of the attendees (selectors.survey_summaries), never out of the
        # invitations: paper forms make invitations of their own.
        summary = selectors.survey_summaries([survey])[survey.pk]
        rate = summary.response_rate
        responses = f"{summary.responses} of {summary.attendees} attendees" + (
            f" ({rate.percent}%)"
            if rate is not None and rate.n
            else ": more responses than attendees, no rate"
            if rate is None
            else ""
        )
        return format_html(
            "<dl class='survey-progress'>"
            "<dt>Invited (checked in at the door)</dt><dd id='progress-invited'>{}</dd>"
            "<dt>Invitation e-mails queued / sent / failed</dt>"
            "<dd id='progress-invitations'>{} / {} / {}</dd>"
            "<dt>Reminders queued / sent</dt><dd id='progress-reminders'>{} / {}</dd>"
            "<dt>Invitations answered</dt><dd id='progress-answered'>{}</dd>"
            "<dt>Responses (online and paper)</dt><dd id='progress-responses'>{}</dd>"
            "</dl>",
            p.invited,
            p.invitations_queued,
            p.invitations_sent,
            p.invitations_failed,
            p.reminders_queued,
            p.reminders_sent,
            p.answered,
            responses,
        )

    # --- actions ------------------------------------------------------------------------------

    def _each(self, request, queryset, run) -> None:
        for survey in queryset.select_related("forum"):
            try:
                message = run(survey)
            except services.FeedbackRefused as refused:
                self.message_user(request, f"{survey.forum}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{survey.forum}: {message}", messages.SUCCESS)

    def _confirm_first(self, request, queryset, action: str):
        """Actions that e-mail people go to the secretariat's confirmation page
        (desk.views.survey_action), which says how many people will be e-mailed and acts
        only when confirmed: one survey at a time."""
        surveys = list(queryset.select_related("forum")[:2])
        if len(surveys) != 1:
            self.message_user(
                request,
                "Choose one survey: the next page says how many people it will e-mail.",
                messages.ERROR,
            )
            return None
        return redirect("desk:survey_action", slug=surveys[0].forum.slug, action=action)

    @admin.action(description="Open and invite everyone checked in at the door…")
    def open_survey(self, request, queryset):
        return self._confirm_first(request, queryset, "open")

    @admin.action(description="Invite those checked in since the survey opened…")
    def invite_new_attendees(self, request, queryset):
        return self._confirm_first(request, queryset, "invite")

    @admin.action(description="Send the reminder to those who have not answered (once)…")
    def send_reminder(self, request, queryset):
        return self._confirm_first(request, queryset, "remind")

    @admin.action(description="Close (no more answers or changes)")
    def close_survey(self, request, queryset):
        def run(survey: Survey) -> str:
            services.survey_close(survey=survey, by=Actor.of(request.user))
            return "closed."

        self._each(request, queryset, run)

    # --- paper forms --------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/paper/", view(self.paper_view), name="feedback_survey_paper"),
            path("<path:object_id>/import/", view(self.import_view), name="feedback_survey_import"),
            *super().get_urls(),
        ]

    def _survey(self, request: HttpRequest, object_id: str) -> Survey:
        survey = self.get_object(request, unquote(object_id))
        if survey is None or not self.has_change_permission(request, survey):
            raise Http404
        return survey

    def _page(self, request, survey: Survey, template: str, context: dict) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": survey,
                "survey": survey,
                **context,
            },
        )

    def paper_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        survey = self._survey(request, object_id)
        items = survey_items(
            selectors.survey_questions(survey), selectors.forum_workshops(survey.forum)
        )
        data = request.POST if request.method == "POST" else None
        who = PaperEntryForm(data, survey=survey)
        answers = AnswerForm(data, items=items, enforce_required=False, prefix="answers")
        if request.method == "POST" and who.is_valid() and answers.is_valid():
            registration = None
            email = who.cleaned_data["email"]
            if email:
                registration = Registration.objects.filter(
                    forum=survey.forum, person__in=Person.objects.with_email(email)
                ).first()
                if registration is None:
                    who.add_error("email", "No registration for this forum has this address.")
            if not who.errors:
                try:
                    services.response_enter_paper(
                        survey=survey,
                        entry=services.PaperResponse(
                            registration=registration, values=answers.values()
                        ),
                        by=Actor.of(request.user),
                    )
                except services.FeedbackRefused as refused:
                    who.add_error("email", str(refused))
                else:
                    self.message_user(request, "The paper form was recorded.", messages.SUCCESS)
                    return redirect(request.path)
        return self._page(
            request,
            survey,
            "admin/feedback/survey/paper.html",
            {"title": f"Type in a paper form · {survey.forum}", "who": who, "answers": answers},
        )

    def import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        survey = self._survey(request, object_id)
        form = ImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        report_lines: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size, settings.MAX_UPLOAD_BYTES)
                table = read_table(
                    upload.read(settings.MAX_UPLOAD_BYTES + 1),
                    filename=upload.name,
                    max_bytes=settings.MAX_UPLOAD_BYTES,
                    limits=Limits.from_settings(),
                )
                report = import_feedback(
                    survey=survey,
                    table=table,
                    by=Actor.importer(request.user),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except SpreadsheetError as error:
                form.add_error("file", str(error))
            except ImportRefused as refused:
                problems = [str(error) for error in refused.errors]
            else:
                report_lines = report.lines()
                if not report.dry_run:
                    self.message_user(request, " · ".join(report_lines), messages.SUCCESS)
                    return redirect("admin:feedback_survey_change", survey.pk)
        return self._page(
            request,
            survey,
            "admin/feedback/survey/import.html",
            {
                "title": f"Import paper forms · {survey.forum}",
                "form": form,
                "problems": problems,
                "report_lines": report_lines,
            },
        )


class ForumSurvey(_ModelAdmin):
    """What feedback adds to the forum admin: a link to the forum's survey, or to make it."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "feedback_survey"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Feedback", {"fields": ["feedback_survey"]})]

    @admin.display(description="Feedback survey")
    def feedback_survey(self, forum: Forum) -> str:
        survey = Survey.objects.filter(forum=forum).first()
        if survey is None:
            return format_html(
                '<a href="{}?forum={}">Create the feedback survey from the default template</a>',
                reverse("admin:feedback_survey_add"),
                forum.pk,
            )
        return format_html(
            '<a href="{}">Feedback survey ({})</a>',
            reverse("admin:feedback_survey_change", args=[survey.pk]),
            survey.get_status_display(),
        )
