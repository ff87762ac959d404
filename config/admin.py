"""The admin pages that several apps contribute to, assembled once: each app exports its part
(inlines, list columns, what happens after a save) and this module, above all apps, registers
the result. No app registers these models itself, so nothing is unregistered and re-registered."""

from django.contrib import admin

from attendance.admin import ForumHeldActions, RegistrationAttendance, print_badges
from audit.admin import AuditLogMixin
from feedback.admin import ForumSurvey
from forums.admin import ForumAdmin as ForumAdminBase
from forums.models import Forum
from registrations.admin import ForumSeats, WorkshopSeats
from registrations.admin import RegistrationAdmin as RegistrationAdminBase
from registrations.models import Registration
from reports.admin import ForumReports
from workshops.admin import WorkshopAdmin as WorkshopAdminBase
from workshops.admin import WorkshopInline
from workshops.models import Workshop


@admin.register(Forum)
class ForumAdmin(
    AuditLogMixin, ForumReports, ForumSurvey, ForumHeldActions, ForumSeats, ForumAdminBase
):
    inlines = [*ForumAdminBase.inlines, WorkshopInline]
    actions = [*ForumAdminBase.actions, *ForumHeldActions.held_actions]


@admin.register(Workshop)
class WorkshopAdmin(AuditLogMixin, WorkshopSeats, WorkshopAdminBase):
    pass


# The stubs of ModelAdmin and of import-export's mixin disagree on change_list_template's type,
# as in registrations/admin.py.
@admin.register(Registration)
class RegistrationAdmin(RegistrationAttendance, RegistrationAdminBase):  # type: ignore[misc]
    actions = [*RegistrationAdminBase.actions, print_badges]
