"""The outbox's background work: sending one message, and the periodic sweep that queues lost
messages again. The work itself is in outbox/services.py."""

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
    """Queue again the lost messages, then schedule the next sweep. Returns how many."""
    requeued = services.outbox_requeue()
    services.outbox_sweep_schedule()
    return len(requeued)
