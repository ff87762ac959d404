"""The admin pages that several apps contribute to, assembled once: each app exports its part
(inlines, list columns, what happens after a save) and this module, above all apps, registers
the result. No app registers these models itself, so nothing is unregistered and re-registered."""

from django.contrib import admin

from audit.admin import AuditLogMixin
from feedback.admin import ForumSurvey
from forums.admin import ForumAdmin as ForumAdminBase
from forums.models import Forum
from registrations.admin import ForumSeats, WorkshopSeats
from workshops.admin import WorkshopAdmin as WorkshopAdminBase
from workshops.admin import WorkshopInline
from workshops.models import Workshop


@admin.register(Forum)
class ForumAdmin(AuditLogMixin, ForumSurvey, ForumSeats, ForumAdminBase):
    inlines = [*ForumAdminBase.inlines, WorkshopInline]


@admin.register(Workshop)
class WorkshopAdmin(AuditLogMixin, WorkshopSeats, WorkshopAdminBase):
    pass
