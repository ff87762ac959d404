from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums and organisations"

    def ready(self) -> None:
        from forums.cache import connect_receivers

        connect_receivers()
