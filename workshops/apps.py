from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from forums.cache import connect_links_of_forum_part, connect_part_of_forum
        from forums.signals import forum_duplicated
        from workshops.models import Workshop
        from workshops.services import workshops_copy_on_duplicate

        forum_duplicated.connect(workshops_copy_on_duplicate, dispatch_uid="workshops_copy")
        # The forum page shows each workshop with its leaders and seats left.
        connect_part_of_forum(Workshop)
        connect_links_of_forum_part(Workshop.facilitators.through)
        connect_links_of_forum_part(Workshop.led_by.through)
