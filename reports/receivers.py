"""Keep the reach facts (reports.models.ReachFact) true: every change to attendance, to an
attended registration, to a forum, to a workshop's pillar, to a sponsorship's organisation or to
a company's identity recomputes the facts it bears on, in the same transaction as the change."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from attendance.models import CheckIn
from attendance.selectors import attendees, workshop_checkins
from attendance.signals import checkins_changed
from forums.models import Forum, Organisation, Sponsorship
from registrations.models import Registration
from reports.services import (
    reach_facts_of,
    reach_facts_of_forum,
    reach_facts_of_registrations,
    reach_facts_refresh,
)
from workshops.models import Workshop

# The fields of a registration that the reach reads.
REACH_FIELDS = {"forum", "forum_id", "person", "person_id", "company", "company_id", "category"}
REACH_FIELDS |= {"invited_by", "invited_by_id"}
# A cancelled registration has not attended (attendance.selectors.has_attended).
REACH_FIELDS |= {"status"}
# Those of a forum.
FORUM_FIELDS = {"status", "starts_at", "time_zone", "country", "theme"}


def _concerns(update_fields: Any, fields: set[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


def on_checkin_saved(sender: Any, instance: CheckIn, **kwargs: Any) -> None:
    if not CheckIn.registration.is_cached(instance):
        reach_facts_of_registrations([instance.registration_id])
        return
    registration = instance.registration
    reach_facts_of([(registration.company_id, registration.person_id, registration.forum_id)])


def on_checkins_changed(sender: Any, registration_ids: set[int], **kwargs: Any) -> None:
    reach_facts_of_registrations(registration_ids)


def on_registration_saving(sender: Any, instance: Registration, **kwargs: Any) -> None:
    """Before an attended registration is saved, note the company, person and forum it counted
    for, which the save may change."""
    if instance.pk is None or not _concerns(kwargs.get("update_fields"), REACH_FIELDS):
        return
    instance._reach_before = (  # type: ignore[attr-defined]
        attendees()
        .filter(pk=instance.pk)
        .values_list("company_id", "person_id", "forum_id")
        .first()
    )


def on_registration_saved(sender: Any, instance: Registration, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_reach_before", None)
    if before is not None:
        reach_facts_of([before, (instance.company_id, instance.person_id, instance.forum_id)])


def on_registration_deleted(sender: Any, instance: Registration, **kwargs: Any) -> None:
    reach_facts_of([(instance.company_id, instance.person_id, instance.forum_id)])


def on_forum_saved(sender: Any, instance: Forum, created: bool, **kwargs: Any) -> None:
    if not created and _concerns(kwargs.get("update_fields"), FORUM_FIELDS):
        reach_facts_of_forum(instance.pk)


def _noting(field: str) -> Any:
    """A pre_save receiver that notes `field`'s stored value before a save that may change it."""

    def on_saving(sender: Any, instance: Any, **kwargs: Any) -> None:
        if instance.pk is not None and _concerns(kwargs.get("update_fields"), {field}):
            attname = sender._meta.get_field(field).attname
            instance._reach_noted = (
                sender.objects.filter(pk=instance.pk).values_list(attname, flat=True).first()
            )

    return on_saving


def _changed(instance: Any, field: str) -> bool:
    attname = type(instance)._meta.get_field(field).attname
    return instance.__dict__.pop("_reach_noted", getattr(instance, attname)) != getattr(
        instance, attname
    )


def on_workshop_saved(sender: Any, instance: Workshop, **kwargs: Any) -> None:
    """A workshop given another pillar: those checked in there count for the new one."""
    if _changed(instance, "pillar"):
        attended = workshop_checkins().filter(workshop=instance)
        reach_facts_of_registrations(set(attended.values_list("registration_id", flat=True)))


def on_organisation_saved(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """A company record merged into another, or no longer. A merge
    (companies.services.company_merge) and its undo move the registrations first, then save
    the merged record's `merged_into`: the refresh that follows sees both."""
    before = instance.__dict__.get("_reach_noted", instance.merged_into_id)
    if _changed(instance, "merged_into"):
        reach_facts_refresh(
            companies={c for c in (instance.pk, before, instance.merged_into_id) if c is not None}
        )


def on_sponsorship_saved(sender: Any, instance: Sponsorship, **kwargs: Any) -> None:
    """A sponsorship moved to another organisation: those it invited count for that one."""
    if _changed(instance, "organisation"):
        reach_facts_of_registrations(
            set(attendees().filter(invited_by=instance).values_list("pk", flat=True))
        )


def connect() -> None:
    post_save.connect(on_checkin_saved, sender=CheckIn, dispatch_uid="reach_checkin_saved")
    post_delete.connect(on_checkin_saved, sender=CheckIn, dispatch_uid="reach_checkin_deleted")
    checkins_changed.connect(on_checkins_changed, dispatch_uid="reach_checkins_changed")
    pre_save.connect(on_registration_saving, sender=Registration, dispatch_uid="reach_reg_pre")
    post_save.connect(on_registration_saved, sender=Registration, dispatch_uid="reach_reg_post")
    post_delete.connect(
        on_registration_deleted, sender=Registration, dispatch_uid="reach_reg_deleted"
    )
    post_save.connect(on_forum_saved, sender=Forum, dispatch_uid="reach_forum_saved")
    for model, field, on_saved in (
        (Organisation, "merged_into", on_organisation_saved),
        (Workshop, "pillar", on_workshop_saved),
        (Sponsorship, "organisation", on_sponsorship_saved),
    ):
        name = model._meta.label_lower
        pre_save.connect(_noting(field), sender=model, dispatch_uid=f"reach_{name}", weak=False)
        post_save.connect(on_saved, sender=model, dispatch_uid=f"reach_{name}_saved")
