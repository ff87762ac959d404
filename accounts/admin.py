from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User
from audit.admin import utc_time


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "organisation", "is_staff"]
    list_filter = ["role", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["organisation"]
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
