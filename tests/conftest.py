import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone, translation

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import FORUM_MANAGERS, REPORT_READERS
from forums.enums import ForumStatus, OrganisationKind
from forums.models import Forum, Membership, Organisation, Person, Sponsorship

# The permission tables' shared checks report their values when they fail.
pytest.register_assert_rewrite("tests.matrix", "tests.matrix_checks")

KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    cache.clear()  # rate limits and throttles count in the cache
    # Every test starts in English: a Spanish request earlier in the thread leaves Spanish
    # active, and a translated field written then (title=…) would be the Spanish one.
    translation.activate("en")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STAFF_REQUIRE_MFA = False
    settings.SITE_URL = "https://forums.example.org"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def make_organisation(db):
    def make(name="Acme Packaging Sdn Bhd", kind=OrganisationKind.SUPPLIER, country="MY", **kw):
        return Organisation.objects.create(name=name, kind=kind, country=country, **kw)

    return make


@pytest.fixture
def make_member(make_organisation):
    def make(name="Nestlé", joined_on=date(2010, 1, 1), left_on=None, country="CH"):
        member = make_organisation(name=name, kind=OrganisationKind.MEMBER, country=country)
        Membership.objects.create(organisation=member, joined_on=joined_on, left_on=left_on)
        return member

    return make


@pytest.fixture
def make_forum(db):
    counter = iter(range(1, 10_000))

    def make(
        *,
        title=None,
        slug=None,
        day=None,
        zone="Asia/Kuala_Lumpur",
        status=ForumStatus.REGISTRATION_OPEN,
        capacity=100,
        city="Kuala Lumpur",
        country="MY",
        theme="Palm oil",
        **kw,
    ):
        number = next(counter)
        tz = zoneinfo.ZoneInfo(zone)
        day = day or (timezone.now() + timedelta(days=30 + number)).astimezone(tz).date()
        starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=tz)
        kw.setdefault(
            "registration_opens_at",
            min(timezone.now() - timedelta(days=1), starts - timedelta(days=60)),
        )
        kw.setdefault("registration_closes_at", starts - timedelta(days=1))
        return Forum.objects.create(
            title=title or f"Forum {number}",
            slug=slug or f"forum-{number}",
            city=city,
            country=country,
            time_zone=zone,
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            capacity=capacity,
            status=status,
            theme=theme,
            **kw,
        )

    return make


@pytest.fixture
def sponsor(make_member):
    def add(forum, member=None, **kw):
        member = member or make_member(name=f"Member of {forum.slug}")
        sponsorship = Sponsorship(forum=forum, organisation=member, **kw)
        sponsorship.full_clean()
        sponsorship.save()
        return sponsorship

    return add


@pytest.fixture
def make_person(db):
    def make(first_name="Siti", last_name="Rahman", email="siti@example.com", **kw):
        return Person.objects.create(first_name=first_name, last_name=last_name, email=email, **kw)

    return make


def _user(email, role=Role.SUPPLIER, **kw):
    user = User.objects.create_user(email=email, password="correct horse battery", role=role, **kw)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _with_second_factor(user):
    """`user`, with an authenticator app set up (as allauth records one)."""
    # With a secret, as allauth stores one: its pages that check a code read it.
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    return user


def _in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def staff_require_mfa(settings):
    """Staff pages ask for the second factor, as in production (the other tests run without)."""
    settings.STAFF_REQUIRE_MFA = True


@pytest.fixture
def make_user(db):
    return _user


@pytest.fixture
def secretariat_user(db):
    return _user("staff@forumdesk.example", role=Role.SECRETARIAT, is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, secretariat_user):
    """The test client, logged in as the secretariat."""
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def users(db, make_member):
    """One user per role, keyed by role name, for permission tables (which add the secretariat
    without a second factor through `roles`). The secretariat has its authenticator app."""
    member = make_member(name="Unilever")
    other_member = make_member(name="Mars")
    return {
        "anonymous": None,
        "supplier": _user("supplier@example.com"),
        "other_supplier": _user("other-supplier@example.com"),
        "facilitator": _user("facilitator@example.com", role=Role.FACILITATOR),
        "member": _user("rep@unilever.example", role=Role.MEMBER, organisation=member),
        "other_member": _user("rep@mars.example", role=Role.MEMBER, organisation=other_member),
        # Granted forums by the permission tables' fixtures (attendance.models.DoorHelper).
        "door_helper": _user("door-helper@example.com"),
        "secretariat": _with_second_factor(
            _user(
                "secretariat@forumdesk.example",
                role=Role.SECRETARIAT,
                is_staff=True,
                is_superuser=True,
            )
        ),
    }


@pytest.fixture
def roles(users, staff_require_mfa):
    """The permission tables' users, one per role of tests.matrix.ROLES, with staff pages asking
    for the second factor: `users`, and a secretariat account that may do everything but has no
    authenticator app."""
    return {
        **users,
        "secretariat_no_mfa": _user(
            "no-second-factor@forumdesk.example",
            role=Role.SECRETARIAT,
            is_staff=True,
            is_superuser=True,
        ),
    }


@pytest.fixture
def report_reader(db):
    """A secretariat member who only reads reports (the group "Report readers"), not a
    superuser, with its second factor."""
    return _with_second_factor(
        _in_group(
            _user("reader@forumdesk.example", role=Role.SECRETARIAT, is_staff=True),
            REPORT_READERS,
        )
    )


@pytest.fixture
def forum_manager(db):
    """A secretariat member who runs forums (the group "Forum managers"), not a superuser, with
    its second factor."""
    return _with_second_factor(
        _in_group(
            _user("manager@forumdesk.example", role=Role.SECRETARIAT, is_staff=True),
            FORUM_MANAGERS,
        )
    )
