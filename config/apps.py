from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: settings, URLs, and the admin pages assembled from several apps."""

    name = "config"
    label = "site_config"
    verbose_name = "Forum Desk"

    def ready(self) -> None:
        from config.admin_inputs import register_lookups

        register_lookups()
