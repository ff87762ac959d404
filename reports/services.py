"""Every write of the reports app."""

from django.db import transaction

from audit.services import Actor, audit_record
from forums.models import Forum
from reports.models import NewsDraft


@transaction.atomic(durable=True)
def news_draft_save(*, forum: Forum, language: str, text: str, by: Actor) -> NewsDraft:
    """Keep the secretariat's edited text of a forum's news draft in `language`, replacing the
    text kept before. Records an audit entry. Sends nothing."""
    draft, _ = NewsDraft.objects.update_or_create(
        forum=forum,
        language=language,
        defaults={
            "text": text,
            "updated_by": by.user if by.user and by.user.is_authenticated else None,
        },
    )
    audit_record(by=by, action="news_draft_saved", subject=draft, data={"language": language})
    return draft


@transaction.atomic(durable=True)
def news_draft_reset(*, forum: Forum, language: str, by: Actor) -> None:
    """Drop the edited text of a forum's news draft in `language`, so that the page shows the
    draft written from the data again. Records an audit entry if there was one. Sends nothing."""
    draft = NewsDraft.objects.filter(forum=forum, language=language).first()
    if draft is None:
        return
    audit_record(by=by, action="news_draft_reset", subject=forum, data={"language": language})
    draft.delete()
