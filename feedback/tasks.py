"""The feedback app's background work: queuing the invitation and reminder e-mails of a survey,
which may be hundreds, in batches, after the use case that asked for them has committed."""

from django_tasks import task

from feedback import notifications


@task()
def survey_invitations_send(survey_id: int) -> int:
    """Queue the invitation e-mail of every invitation of the survey not yet sent. Returns how
    many. Side effects as `notifications.invitations_queue`."""
    return notifications.invitations_queue(survey_id=survey_id)


@task()
def survey_reminders_send(survey_id: int) -> int:
    """Queue the reminder of every invitation of the survey not answered and not yet reminded.
    Returns how many. Side effects as `notifications.reminders_queue`."""
    return notifications.reminders_queue(survey_id=survey_id)
