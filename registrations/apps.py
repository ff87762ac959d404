from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Registrations"

    def ready(self) -> None:
        from forums.signals import forum_duplicated
        from outbox.registry import email_kinds_register
        from registrations.enums import RegistrationEmailKind
        from registrations.notifications import registration_email_render
        from registrations.services import questions_copy_on_duplicate

        email_kinds_register(RegistrationEmailKind, renderer=registration_email_render)
        forum_duplicated.connect(questions_copy_on_duplicate, dispatch_uid="questions_copy")
