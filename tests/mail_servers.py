"""E-mail backends that stand in for a mail server in trouble. Settings name them by path
(EMAIL_BACKEND="tests.mail_servers.MailServerDown"), also in worker processes started by tests."""

import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class MailServerDown(BaseEmailBackend):
    """A server that refuses every connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection refused by mail.example")


class MailServerRefusesRecipient(BaseEmailBackend):
    """A server that refuses the recipient, naming the address in its error as servers do."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"5.1.1 No such user") for m in email_messages for address in m.to}
        )


class SlowMailServer(LocmemBackend):
    """A working server that takes a moment per message, so that two senders overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.3)
        return super().send_messages(email_messages)


class StuckMailServer(BaseEmailBackend):
    """A server that accepts the connection and then never answers. Leaves a file named
    `sending` in EMAIL_FILE_PATH when a message starts, so a test knows when to kill the worker."""

    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sending").touch()
        time.sleep(600)
        return 0
