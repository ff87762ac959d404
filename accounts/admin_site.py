"""The admin site, with the secretariat's second factor demanded where the admin decides who may
enter it."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from accounts.permissions import require_second_factor


class SecretariatAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        allowed = super().has_permission(request)
        if allowed:
            require_second_factor(request.user)
        return allowed


class SecretariatAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SecretariatAdminSite"
