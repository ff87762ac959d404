"""allauth's e-mails (address confirmation, password reset, notices of changes) go through the
outbox like every other e-mail: rendered at once in the visitor's language, stored, and sent by
the worker after commit, with retries. A mail server that is down does not break signup or
password reset. They are signed with SITE_NAME, not with the host the request came in on."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language, ngettext

from accounts.enums import AccountEmailKind
from outbox.services import outgoing_email_create


@dataclass(frozen=True)
class Site:
    """What allauth's templates call `current_site`."""

    name: str
    domain: str


def current_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


# What the e-mail columns (accounts, people, the outbox) hold.
EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Sign-up, added and changed addresses and password reset: an address longer than the
        database holds is refused on the form rather than failing when it is stored."""
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                ngettext(
                    "Enter an e-mail address of at most %(limit)d character (it has %(length)d).",
                    "Enter an e-mail address of at most %(limit)d characters (it has %(length)d).",
                    EMAIL_MAX_LENGTH,
                )
                % {"limit": EMAIL_MAX_LENGTH, "length": len(email)}
            )
        return super().clean_email(email)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def get_http_user_agent(self, request: HttpRequest) -> str:
        # Empty rather than allauth's untranslated "Unspecified": the notice says "unknown".
        return request.META.get("HTTP_USER_AGENT", "")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render one of allauth's messages and leave it in the outbox.

        Side effects: creates a rendered OutgoingEmail whose kind names the template
        ("account/email/password_reset_key" → AccountEmailKind.PASSWORD_RESET_KEY); after
        commit, enqueues its sending."""
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": allauth_context.request,
                "email": email,
                "current_site": current_site(),
                "site_url": settings.SITE_URL,
                **context,
            },
        )
        html = next(
            (body for body, mimetype in message.alternatives if mimetype == "text/html"), ""
        )
        outgoing_email_create(
            kind=AccountEmailKind(template_prefix.replace("/email/", "_")),
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=get_language() or settings.LANGUAGE_CODE,
        )
