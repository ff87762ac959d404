"""Each printed document of a forum, from the database to PDF bytes: the selectors say what it
shows, attendance.pdf draws it. Used by the views, the background task and the commands."""

from collections.abc import Callable, Iterable

from django.utils import translation

from attendance import pdf, selectors
from forums.models import Forum
from registrations.models import Registration

Progress = Callable[[int], None]


def badges(
    forum: Forum,
    ids: Iterable[int] | None = None,
    *,
    sheets: bool = True,
    on_progress: Progress | None = None,
) -> bytes:
    """Badges of everyone holding a seat at `forum` (or of `ids` among them), by surname."""
    holders = (
        selectors.badge_holder(registration)
        for registration in selectors.badge_registrations(forum, ids).iterator(chunk_size=500)
    )
    return pdf.badges_pdf(
        selectors.forum_heading(forum),
        holders,
        sheets=sheets,
        letterhead=selectors.letterhead(),
        on_progress=on_progress,
    )


def badge(registration: Registration) -> bytes:
    """One badge on a page of its own size, to print at the door, in the registrant's
    language."""
    with translation.override(selectors.reader_language(registration.language)):
        return pdf.badges_pdf(
            selectors.forum_heading(registration.forum),
            [selectors.badge_holder(registration)],
            sheets=False,
            letterhead=selectors.letterhead(),
        )


def certificates(
    forum: Forum, ids: Iterable[int] | None = None, *, on_progress: Progress | None = None
) -> bytes:
    """Certificates of everyone who attended `forum` (or of `ids` among them), by surname, each
    in its holder's language."""
    holders = [holder for _, holder in selectors.certificate_holders(forum, ids)]
    return pdf.certificates_pdf(
        selectors.forum_heading(forum),
        holders,
        letterhead=selectors.letterhead(),
        on_progress=on_progress,
    )


def certificate(registration: Registration) -> bytes | None:
    """One person's certificate in their language, or None if they did not attend."""
    holder = selectors.certificate_holder(registration)
    if holder is None:
        return None
    return pdf.certificates_pdf(
        selectors.forum_heading(registration.forum), [holder], letterhead=selectors.letterhead()
    )


def checkin_list(forum: Forum) -> bytes:
    return pdf.checkin_list_pdf(selectors.forum_heading(forum), selectors.checkin_list_rows(forum))
