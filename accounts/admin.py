from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext

from accounts.forms import InvitationSendForm
from accounts.models import User
from accounts.services import invitation_send
from audit.admin import utc_time
from audit.services import Actor
from config.params import read_id


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "organisation", "is_staff"]
    list_filter = ["role", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["organisation"]
    actions = ["send_invitation"]
    change_form_template = "admin/accounts/user/change_form.html"
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "role", "organisation"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login_utc", "date_joined_utc"]}),
    ]
    # Account times belong to no forum: shown in UTC, saying so, and not typed by hand.
    readonly_fields = ["last_login_utc", "date_joined_utc"]
    # Every field the model's checks speak of (organisation for a member representative, staff
    # status for the secretariat) is on the add form, so a refusal lands beside its field.
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
        ("Person", {"fields": ["first_name", "last_name", "role", "organisation", "is_staff"]}),
    ]

    last_login_utc = utc_time("last_login", "last login")
    date_joined_utc = utc_time("date_joined", "date joined")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="accounts_user_invite",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Send invitation", permissions=["change"])
    def send_invitation(self, request: HttpRequest, queryset) -> HttpResponse | None:
        """From the list: a page saying who will be e-mailed, then the invitations."""
        return self._invitations(request, list(queryset.order_by("email")), from_list=True)

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """From an account's page: the same confirmation, for that account."""
        pk = read_id(object_id)
        user = self.get_queryset(request).filter(pk=pk).first() if pk is not None else None
        if user is None:
            raise Http404("No such account.")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        response = self._invitations(request, [user], from_list=False)
        assert response is not None
        return response

    def _invitations(
        self, request: HttpRequest, users: list[User], *, from_list: bool
    ) -> HttpResponse | None:
        invited = [user for user in users if user.is_active]
        form = InvitationSendForm(request.POST if "confirm" in request.POST else None)
        if invited and form.is_valid():
            with transaction.atomic():
                for user in invited:
                    invitation_send(
                        user=user,
                        by=Actor.of(request.user),
                        language=form.cleaned_data["language"],
                    )
            self.message_user(
                request,
                ngettext(
                    "Sent an invitation to %(count)d account.",
                    "Sent invitations to %(count)d accounts.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
            if from_list:
                return None
            return redirect("admin:accounts_user_change", invited[0].pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Send invitation"),
            "opts": self.model._meta,
            "form": form,
            "invited": invited,
            "skipped": [user for user in users if not user.is_active],
            "from_list": from_list,
            "selected": [user.pk for user in users],
            "valid_days": settings.INVITATION_VALID_DAYS,
        }
        return TemplateResponse(request, "admin/accounts/user/invitation_confirm.html", context)
