"""Who may see which dashboard and report.

- a forum's overview: the secretariat members who read reports (accounts.permissions);
- the members page: a member representative, for its own organisation; the secretariat members
  who read reports, for any member they pick;
- the facilitator page: a facilitator's account, for the workshops it leads;
- a forum's post-event report: the secretariat members who read reports, and the
  representatives of that forum's sponsors;
- a forum's maturity report and the programme's reach (its export included: figures, no
  names): the secretariat members who read reports;
- a forum's news draft, which they edit: the secretariat members who run forums.
Everyone else gets 404, so that an address tells nothing.
"""

from typing import TYPE_CHECKING

from accounts.permissions import can_read_reports, can_run_forums
from config.params import read_id
from forums.enums import OrganisationKind
from forums.models import Forum, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import _User as User


def can_see_overview(user: "User | AnonymousUser") -> bool:
    return can_read_reports(user)


def can_see_members_page(user: "User | AnonymousUser") -> bool:
    return bool(getattr(user, "is_member_representative", False)) or can_read_reports(user)


def member_for(user: "User | AnonymousUser", member_id: str | None) -> Organisation | None:
    """The member whose page this user asked for: a representative's own organisation (asking
    for another answers None, as an unknown one does); for the secretariat, the member named by
    `member_id`, or None when it names none or no member."""
    if getattr(user, "is_member_representative", False) and not can_read_reports(user):
        own = user.organisation  # type: ignore[union-attr]
        assert own is not None
        if member_id in (None, "", str(own.pk)):
            return own
        return None
    pk = read_id(member_id)
    if pk is None:
        return None
    return Organisation.objects.filter(pk=pk, kind=OrganisationKind.MEMBER).first()


def can_see_facilitator_page(user: "User | AnonymousUser") -> bool:
    return bool(user.is_authenticated and getattr(user, "is_facilitator", False))


def can_download_report(user: "User | AnonymousUser", forum: Forum) -> bool:
    if can_read_reports(user):
        return True
    organisation_id = getattr(user, "organisation_id", None)
    return bool(
        getattr(user, "is_member_representative", False)
        and organisation_id is not None
        and forum.sponsorships.filter(organisation_id=organisation_id).exists()
    )


if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def can_edit_news(user: "User | AnonymousUser") -> bool:
    return can_run_forums(user)


def can_view_maturity(user: "User | AnonymousUser") -> bool:
    return can_read_reports(user)


if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def can_see_reach(user: "User | AnonymousUser") -> bool:
    return can_read_reports(user)
