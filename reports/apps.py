from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from reports.receivers import connect

        # The reach facts follow attendance, registrations, forums and company merges.
        connect()
