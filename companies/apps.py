from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Companies"

    def ready(self) -> None:
        from companies import checks  # noqa: F401  (registers the system check)
