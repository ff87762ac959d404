"""The one place where a typed company name becomes a company record."""

from forums.enums import OrganisationKind
from forums.models import Organisation


def company_for_name(*, name: str, country: str = "", email: str = "") -> Organisation:
    """The organisation a registrant's company name refers to, created as a supplier when no
    existing record matches. Creates at most one Organisation; sends nothing."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).order_by("pk").first()
    if existing:
        return existing
    return Organisation.objects.create(
        name=name, kind=OrganisationKind.SUPPLIER, country=country or ""
    )
