"""Background tasks run at once here too, as in tests/registrations, so that an e-mail whose
sending is enqueued lands in mail.outbox."""

from tests.registrations.conftest import immediate_tasks  # noqa: F401
