from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Registrations"

    def ready(self) -> None:
        from outbox.registry import email_kinds_register
        from registrations.enums import RegistrationEmailKind
        from registrations.notifications import registration_email_render

        email_kinds_register(RegistrationEmailKind, renderer=registration_email_render)
