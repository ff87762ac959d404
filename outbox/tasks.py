"""The outbox's background work: sending one message. The work itself is in outbox/services.py;
the periodic sweep runs in each worker process (outbox/sweep.py), not through the queue."""

from django_tasks import task

from outbox import services


@task()
def send_email(outgoing_id: int) -> bool:
    """Render if need be and send a pending message whose time has come, unless another worker
    is sending it. Returns whether this run sent it. Side effects as
    `services.email_send_due`."""
    return services.email_send_due(outgoing_id=outgoing_id)


@task()
def outbox_sweep() -> int:
    """Queue again the lost messages, once. Returns how many.

    Nothing enqueues it any more: it is kept so that a sweep waiting in a database queue from
    before `manage.py worker` runs once (it used to schedule the next one itself) instead of
    failing to import."""
    return len(services.outbox_requeue())
