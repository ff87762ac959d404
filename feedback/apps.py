from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        from feedback.enums import FeedbackEmailKind
        from feedback.notifications import feedback_email_render
        from outbox.registry import email_kinds_register

        email_kinds_register(FeedbackEmailKind, renderer=feedback_email_render)
