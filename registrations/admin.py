from django.contrib import admin, messages
from django.db.models import Count, Q

from forums.admin import ForumAdmin
from registrations import services
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import OutgoingEmail, Registration, WorkshopPlace
from registrations.tasks import email_deliver
from workshops.admin import WorkshopAdmin
from workshops.models import Workshop


class WorkshopPlaceInline(admin.TabularInline):
    model = WorkshopPlace
    extra = 0
    fields = ["workshop", "status", "joined_at"]
    readonly_fields = ["workshop", "status", "joined_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "email", "company", "forum", "status", "invited_by", "created_at"]
    list_filter = [
        "status",
        "forum",
        ("workshop_places__workshop", admin.RelatedOnlyFieldListFilter),
        "person__country",
        ("invited_by__organisation", admin.RelatedOnlyFieldListFilter),
        "source",
    ]
    search_fields = ["person__first_name", "person__last_name", "person__email", "company__name"]
    list_select_related = ["person", "company", "forum", "invited_by__organisation"]
    readonly_fields = [
        "forum",
        "person",
        "status",
        "source",
        "invited_by",
        "consent_given_at",
        "created_at",
        "updated_at",
        "waitlisted_at",
        "cancelled_at",
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
        "consent_given_at",
        "created_at",
        "updated_at",
        "waitlisted_at",
        "cancelled_at",
    ]
    autocomplete_fields = ["company"]
    inlines = [WorkshopPlaceInline]
    actions = ["cancel_registrations", "resend_confirmation"]

    @admin.display(description="E-mail", ordering="person__email")
    def email(self, registration):
        return registration.person.email

    def has_add_permission(self, request):
        return False  # registrations come through the form or an import, which keep seats right

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: deleting would free seats without promoting anyone

    @admin.action(description="Cancel selected registrations (moves waiting people in)")
    def cancel_registrations(self, request, queryset):
        count = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
            services.registration_cancel(registration=registration)
            count += 1
        self.message_user(request, f"Cancelled {count} registration(s).", messages.SUCCESS)

    @admin.action(description="Resend confirmation e-mail")
    def resend_confirmation(self, request, queryset):
        count = 0
        for registration in queryset.select_related("forum", "person"):
            services.registration_resend(registration=registration)
            count += 1
        self.message_user(request, f"Queued {count} e-mail(s).", messages.SUCCESS)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry sending now")
    def retry_now(self, request, queryset):
        sent = 0
        for outgoing in queryset.exclude(status=OutgoingEmail.Status.SENT):
            outgoing.status = OutgoingEmail.Status.PENDING
            sent += email_deliver(outgoing)
        self.message_user(request, f"Sent {sent} of {queryset.count()} selected message(s).")


class SeatLimitWorkshopAdmin(WorkshopAdmin):
    list_display = [
        "code",
        "title",
        "forum",
        "pillar",
        "starts_at",
        "seat_limit",
        "seats_taken",
        "seats_free",
        "waiting",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                waiting_count=Count(
                    "places",
                    filter=Q(
                        places__status=PlaceStatus.WAITLISTED,
                        places__registration__status=RegistrationStatus.CONFIRMED,
                    ),
                )
            )
        )

    @admin.display(description="Free")
    def seats_free(self, workshop):
        return workshop.seats_left

    @admin.display(description="Waiting", ordering="waiting_count")
    def waiting(self, workshop):
        return workshop.waiting_count

    def save_model(self, request, obj, form, change):
        if change and "seat_limit" in form.changed_data:
            new_limit = obj.seat_limit
            obj.seat_limit = Workshop.objects.get(pk=obj.pk).seat_limit
            super().save_model(request, obj, form, change)
            services.workshop_set_seat_limit(workshop=obj, seat_limit=new_limit)
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)


admin.site.unregister(Workshop)
admin.site.register(Workshop, SeatLimitWorkshopAdmin)


def _settle_after_save(self, request, form, formsets, change):
    # A raised capacity or workshop seat limit (typed on the forum's page) moves waiting people in.
    super(ForumAdmin, self).save_related(request, form, formsets, change)
    if change:
        services.forum_settle_after_change(forum=form.instance)


ForumAdmin.save_related = _settle_after_save
ForumAdmin.readonly_fields = [*ForumAdmin.readonly_fields, "seats_taken"]
