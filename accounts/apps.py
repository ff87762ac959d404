from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts.enums import AccountEmailKind, InvitationEmailKind
        from outbox.registry import email_kinds_register

        # Rendered when allauth sends them, with its request context: stored rendered.
        email_kinds_register(AccountEmailKind)
        # Rendered when the secretariat sends it, with the link's token that is kept nowhere else.
        email_kinds_register(InvitationEmailKind)
