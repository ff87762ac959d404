from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPPLIER = "supplier", _("Supplier")
    NGO = "ngo", _("NGO")
    CONSULTANCY = "consultancy", _("Consultancy")
    LAW_FIRM = "law_firm", _("Law firm")
    INTERNATIONAL_BODY = "international_body", _("International body")
    GOVERNMENT = "government", _("Government")
    INDUSTRY_BODY = "industry_body", _("Industry body")
    OTHER = "other", _("Other")


class ForumStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    HELD = "held", _("Held")
    ARCHIVED = "archived", _("Archived")

    @classmethod
    def public(cls) -> list[str]:
        return [status for status in cls.values if status != cls.DRAFT]


class SponsorRole(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor")
    CO_HOST = "co_host", _("Co-host")


class Pillar(models.TextChoices):
    HUMAN_RIGHTS = "human_rights", _("Human rights and labour standards")
    HEALTH_SAFETY = "health_safety", _("Health and safety")
    ENVIRONMENT = "environment", _("Environment")
    BUSINESS_INTEGRITY = "business_integrity", _("Business integrity")


class RegistrationWindow(models.TextChoices):
    """Where a forum's registration stands now (Forum.registration_state)."""

    OPEN = "open", _("Open")
    NOT_YET = "not_yet", _("Not open yet")
    CLOSED = "closed", _("Closed")
