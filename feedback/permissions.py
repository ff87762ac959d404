"""Who may see a forum's feedback results, and how much of them.

- the secretariat members who run forums: everything, with respondents' names unless the
  survey is anonymous, and the export;
- the secretariat members who only read reports: the whole forum's results, never names, no
  export (it holds e-mail addresses);
- a member representative: the aggregated results of the forums its organisation sponsored,
  comments included, never names;
- a facilitator: the scores and comments of the workshops they facilitated, nothing of the
  forum as a whole, never names. A facilitator's account is tied to their workshops by its
  e-mail address: the Person listed among a workshop's facilitators with that address.
Facilitators and member representatives see only the comments the secretariat published, and no
figure from fewer answers than FEEDBACK_MIN_ANSWERS or a smaller share of the attendees than
FEEDBACK_MIN_SHARE; the secretariat sees everything, with each comment's review state.
Everyone else gets nothing (the pages answer 404, so they do not tell which forums have results).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accounts.permissions import can_read_reports, can_run_forums
from forums.models import Forum, Person
from workshops.models import Workshop

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


@dataclass(frozen=True)
class ResultsAccess:
    # None: the whole forum; otherwise only these workshops' questions and answers.
    workshop_ids: frozenset[int] | None
    names: bool
    export: bool
    # Only published comments, and figures held back below the minimum participation
    # (facilitators and sponsors); the secretariat sees everything.
    moderated: bool = False


def workshops_facilitated(user: "User | AnonymousUser", forum: Forum) -> QuerySet[Workshop]:
    """The workshops of `forum` that this facilitator's account leads (none for other roles)."""
    if not (user.is_authenticated and getattr(user, "is_facilitator", False)):
        return Workshop.objects.none()
    return Workshop.objects.filter(
        forum=forum, facilitators__in=Person.objects.with_email(user.email)
    ).distinct()


def results_access(user: "User | AnonymousUser", forum: Forum) -> ResultsAccess | None:
    if can_run_forums(user):
        return ResultsAccess(workshop_ids=None, names=True, export=True)
    if can_read_reports(user):
        return ResultsAccess(workshop_ids=None, names=False, export=False)
    if not (user.is_authenticated and user.is_active):
        return None
    organisation_id = getattr(user, "organisation_id", None)
    if (
        getattr(user, "is_member_representative", False)
        and organisation_id is not None
        and forum.sponsorships.filter(organisation_id=organisation_id).exists()
    ):
        return ResultsAccess(workshop_ids=None, names=False, export=False, moderated=True)
    workshop_ids = frozenset(workshops_facilitated(user, forum).values_list("pk", flat=True))
    if workshop_ids:
        return ResultsAccess(workshop_ids=workshop_ids, names=False, export=False, moderated=True)
    return None


def can_review_comments(user: "User | AnonymousUser") -> bool:
    """Who publishes, keeps private, hides and redacts free-text answers: the secretariat
    members who run forums (with their second factor)."""
    return can_run_forums(user)
