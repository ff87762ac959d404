"""The admin site, with the secretariat's second factor demanded where the admin decides who may
enter it, and every admin class it registers reading its inputs strictly
(config/admin_inputs.py)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from accounts.permissions import require_second_factor
from config.admin_inputs import StrictInputs


def strict(admin_class):
    """`admin_class`, and its inlines, with StrictInputs mixed in."""
    if issubclass(admin_class, StrictInputs):
        return admin_class
    namespace = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    if getattr(admin_class, "inlines", None):
        namespace["inlines"] = [strict(inline) for inline in admin_class.inlines]
    return type(admin_class)(admin_class.__name__, (StrictInputs, admin_class), namespace)


class SecretariatAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        allowed = super().has_permission(request)
        if allowed:
            require_second_factor(request.user)
        return allowed

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, strict(admin_class or admin.ModelAdmin), **options)


class SecretariatAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SecretariatAdminSite"
