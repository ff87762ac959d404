from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts.enums import AccountEmailKind
        from outbox.registry import email_kinds_register

        # Rendered when allauth sends them, with its request context: stored rendered.
        email_kinds_register(AccountEmailKind)
