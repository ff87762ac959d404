from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: settings, URLs, and the admin pages assembled from several apps."""

    name = "config"
    label = "site_config"
    verbose_name = "Forum Desk"
