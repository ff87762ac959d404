"""The admin site, with the secretariat's second factor demanded where the admin decides who may
enter it, and every admin class it registers reading its inputs strictly
(config/admin_inputs.py)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_read_reports, require_second_factor
from config.admin_inputs import StrictInputs

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def strict(admin_class):
    """`admin_class`, and its inlines, with StrictInputs mixed in."""
    if issubclass(admin_class, StrictInputs):
        return admin_class
    namespace = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    if getattr(admin_class, "inlines", None):
        namespace["inlines"] = [strict(inline) for inline in admin_class.inlines]
    return type(admin_class)(admin_class.__name__, (StrictInputs, admin_class), namespace)


@dataclass(frozen=True)
class Section:
    """A heading of the admin's index and navigation, with its models ("app_label.Model") in
    the order the secretariat uses them. `superusers_only` models are shown to superusers
    alone: the others have no use for them."""

    slug: str
    name: "StrOrPromise"
    models: tuple[str, ...]
    superusers_only: frozenset[str] = frozenset()


# By what the secretariat does, not by which app holds a model. A model registered in the admin
# but named here nowhere goes under Settings (tests/accounts/test_admin_index.py lists them all).
SECTIONS = (
    Section(
        "forums",
        _("Forums"),
        (
            "forums.Forum",
            "workshops.Workshop",
            "registrations.Registration",
            "registrations.RegistrationQuestion",
            "attendance.CheckIn",
            "attendance.DoorHelper",
            "feedback.Survey",
        ),
    ),
    Section(
        "people",
        _("Organisations and people"),
        (
            "forums.Organisation",
            "forums.Membership",
            "forums.Person",
            "accounts.User",
            "account.EmailAddress",
            "companies.PossibleDuplicate",
            "companies.CompanyMerge",
        ),
    ),
    Section("reports", _("Reports"), ()),
    Section(
        "settings",
        _("Settings"),
        (
            "forums.Branding",
            "outbox.OutgoingEmail",
            "audit.AuditEntry",
            "django_tasks_database.DBTaskResult",
            "auth.Group",
            "mfa.Authenticator",
        ),
        superusers_only=frozenset(
            {"django_tasks_database.DBTaskResult", "auth.Group", "mfa.Authenticator"}
        ),
    ),
)

# The reports are pages of their own (reports/urls.py), not models: their names and URL names.
REPORT_PAGES = (
    (_("Reach"), "reports:reach"),
    (_("Members' forums"), "reports:members"),
)


class SecretariatAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        """The index's and the navigation's sections (SECTIONS), each listing what this user
        may see; an empty section is left out. An app's own page (`app_label`) stays Django's."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        entries = {
            f"{app['app_label']}.{model['object_name']}": model
            for app in self._build_app_dict(request).values()
            for model in app["models"]
        }
        placed = {name for section in SECTIONS for name in section.models}
        index_url = reverse("admin:index", current_app=self.name)
        app_list = []
        for section in SECTIONS:
            names = list(section.models)
            if section.slug == "settings":
                names += sorted(name for name in entries if name not in placed)
            models = [
                entries[name]
                for name in names
                if name in entries
                and (request.user.is_superuser or name not in section.superusers_only)
            ]
            if section.slug == "reports" and can_read_reports(request.user):
                models = [self._report_entry(name, url_name) for name, url_name in REPORT_PAGES]
            if models:
                app_list.append(
                    {
                        "name": section.name,
                        "app_label": section.slug,
                        # A fragment, not an app page: the navigation marks a section current
                        # when this address is part of the page's path.
                        "app_url": f"{index_url}#{section.slug}",
                        "has_module_perms": True,
                        "models": models,
                    }
                )
        return app_list

    @staticmethod
    def _report_entry(name, url_name: str) -> dict:
        return {
            "name": name,
            "object_name": url_name.rpartition(":")[2],
            "perms": {"view": True},
            "admin_url": reverse(url_name),
            "add_url": None,
            "view_only": True,
        }

    def has_permission(self, request: HttpRequest) -> bool:
        allowed = super().has_permission(request)
        if allowed:
            require_second_factor(request.user)
        return allowed

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, strict(admin_class or admin.ModelAdmin), **options)


class SecretariatAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SecretariatAdminSite"
