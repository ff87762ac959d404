"""A manage link replaced when its registration was cancelled (or made again) says that it was
replaced (410), not that it never worked (404); only a hash of the old secret is kept."""

from audit.services import Actor
from registrations import services
from registrations.models import ReplacedLink, link_hash

from .test_views import manage_url


def _details():
    return services.RegistrantDetails(
        first_name="Siti",
        last_name="Rahman",
        email="siti@supplier.example",
        company_name="Acme",
        country="MY",
    )


def test_link_replaced_by_a_cancellation_says_so(client, forum, secretariat_user):
    registration = services.registration_create(
        forum=forum, details=_details(), workshops=[], proven=True
    ).registration
    old = manage_url(registration)
    old_secret = registration.secret
    services.registration_cancel(registration=registration, by=Actor.of(secretariat_user))

    response = client.get(old)
    assert response.status_code == 410
    assert "This link was replaced" in response.content.decode()
    kept = ReplacedLink.objects.get()
    assert (kept.registration_id, kept.secret_hash) == (registration.pk, link_hash(old_secret))
    assert old_secret not in str(list(ReplacedLink.objects.values_list()))


def test_link_replaced_by_registering_again_says_so_and_the_new_one_works(client, forum):
    first = services.registration_create(
        forum=forum, details=_details(), workshops=[], proven=True
    ).registration
    old = manage_url(first)
    services.registration_cancel(registration=first, by=Actor.registrant())
    again = services.registration_create(
        forum=forum, details=_details(), workshops=[], proven=True
    ).registration
    assert client.get(old).status_code == 410
    assert client.get(manage_url(again)).status_code == 200
    assert ReplacedLink.objects.count() == 2  # at the cancellation, and at the revival


def test_a_link_that_never_was_still_says_it_does_not_work(client, forum):
    response = client.get("/registration/" + "A" * 43 + "/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
