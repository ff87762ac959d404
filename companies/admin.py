"""The company pages of the admin: possible duplicates with their merge buttons, the merge log
with its undo action, and the organisation pages (forums' OrganisationAdmin, registered here
once, so that a rename goes through `company_rename` and the old name keeps matching)."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from audit.admin import AuditLogMixin, utc_time
from audit.services import Actor
from companies.models import CompanyMerge, PossibleDuplicate
from companies.services import (
    MergeRefused,
    company_duplicates_dismiss,
    company_merge,
    company_merge_undo,
    company_rename,
)
from forums.admin import OrganisationAdmin
from forums.models import Organisation


@admin.register(Organisation)
class CompanyAdmin(AuditLogMixin, OrganisationAdmin):
    def save_model(self, request, obj, form, change):
        name = obj.name
        if change and "name" in form.changed_data:
            obj.name = form.initial["name"]  # saved as it was; company_rename renames it
        super().save_model(request, obj, form, change)
        company_rename(organisation=obj, name=name)


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(admin.ModelAdmin):
    list_display = ["first_name", "second_name", "score", "reason", "status", "merge_links"]
    list_filter = ["status"]
    list_select_related = ["first", "second"]
    search_fields = ["first__name", "second__name"]
    actions = ["dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Company", ordering="first__name")
    def first_name(self, pair):
        return f"{pair.first.name} (#{pair.first.pk})"

    @admin.display(description="Possibly the same as", ordering="second__name")
    def second_name(self, pair):
        return f"{pair.second.name} (#{pair.second.pk})"

    @admin.display(description="Merge")
    def merge_links(self, pair):
        if pair.status != PossibleDuplicate.Status.OPEN:
            return "–"
        # The list sits inside the changelist's form, and a form cannot hold another: these
        # buttons send that form, with the page's own CSRF token, to the merge address.
        # The button's own name and value go with it, so that only a press merges.
        return format_html(
            '<button type="submit" name="keep" value="first" formaction="{}">Keep “{}”</button> '
            '<button type="submit" name="keep" value="second" formaction="{}">Keep “{}”</button>',
            reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"]),
            pair.first.name,
            reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "second"]),
            pair.second.name,
        )

    def get_urls(self):
        return [
            path(
                "<int:pair_id>/merge/<str:keep>/",
                self.admin_site.admin_view(self.merge_view),
                name="companies_possibleduplicate_merge",
            ),
            *super().get_urls(),
        ]

    def merge_view(self, request: HttpRequest, pair_id: int, keep: str) -> HttpResponse:
        if request.method != "POST" or keep not in {"first", "second"}:
            return redirect("admin:companies_possibleduplicate_changelist")
        if request.POST.get("keep") != keep:
            self.message_user(
                request,
                "Nothing was merged: press the “Keep …” button of the company to keep.",
                messages.ERROR,
            )
            return redirect("admin:companies_possibleduplicate_changelist")
        pair = get_object_or_404(PossibleDuplicate, pk=pair_id)
        kept, merged = (pair.first, pair.second) if keep == "first" else (pair.second, pair.first)
        try:
            # The admin's views are for a logged-in secretariat only: the user is never anonymous.
            by = request.user if request.user.is_authenticated else None
            company_merge(kept=kept, merged=merged, by=by)
        except MergeRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(
                request,
                f"Merged “{merged.name}” into “{kept.name}”. Undo it under Company merges.",
                messages.SUCCESS,
            )
        return redirect("admin:companies_possibleduplicate_changelist")

    @admin.action(description="Mark as different companies")
    def dismiss(self, request, queryset):
        updated = company_duplicates_dismiss(pairs=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d pair marked as different companies.",
                "%(count)d pairs marked as different companies.",
                updated,
            )
            % {"count": updated},
        )


@admin.register(CompanyMerge)
class CompanyMergeAdmin(admin.ModelAdmin):
    list_display = ["utc_created_at", "merged_name", "kept", "by", "utc_undone_at"]
    list_select_related = ["kept", "by"]
    readonly_fields = [
        "kept",
        "merged",
        "merged_name",
        "moved",
        "by",
        "utc_created_at",
        "utc_undone_at",
    ]
    actions = ["undo"]

    utc_created_at = utc_time("created_at", "Created at")
    utc_undone_at = utc_time("undone_at", "Undone at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: looked at, undone from the list

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Undo the selected merges")
    def undo(self, request, queryset):
        for merge in queryset.order_by("-created_at"):
            try:
                company_merge_undo(merge=merge, by=Actor.of(request.user))
            except MergeRefused as refused:
                self.message_user(request, f"{merge}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"Undone: {merge}.", messages.SUCCESS)
