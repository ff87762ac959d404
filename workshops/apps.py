from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from forums.signals import forum_duplicated
        from workshops.services import workshops_copy_on_duplicate

        forum_duplicated.connect(workshops_copy_on_duplicate, dispatch_uid="workshops_copy")
