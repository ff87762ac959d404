from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Registrations"

    def ready(self) -> None:
        from forums.cache import connect_part_of_forum
        from registrations.models import Registration, WorkshopPlace

        # The forum page shows the seats left, in the forum and in each workshop.
        connect_part_of_forum(Registration)
        connect_part_of_forum(WorkshopPlace, forum_id_of=_forum_id_of_place)


def _forum_id_of_place(place) -> int | None:
    """Without a query: None if neither the registration nor the workshop is at hand."""
    from registrations.models import WorkshopPlace

    if WorkshopPlace.registration.is_cached(place):
        return place.registration.forum_id
    if WorkshopPlace.workshop.is_cached(place):
        return place.workshop.forum_id
    return None
