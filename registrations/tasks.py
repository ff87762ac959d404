"""Registrations' background work: carrying out what the public registration form accepted.
The work itself is in registrations/services.py."""

from django_tasks import task

from registrations import services


@task()
def registration_submission_carry_out(submission_id: int) -> bool:
    """Carry out one submission of the public form, then queue again any submission whose task
    was lost. Returns whether this run carried it out. Side effects as
    `services.registration_submission_carry_out` and `services.registration_submissions_requeue`."""
    outcome = services.registration_submission_carry_out(submission_id=submission_id)
    services.registration_submissions_requeue()
    return outcome is not None
