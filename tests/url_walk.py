"""Every URL pattern of the project, filled from one set of fixtures, and which roles reach it:
what the fuzz test (tests/test_fuzz.py) and the Cache-Control test (tests/test_cache_control.py)
walk. A pattern that `fill` cannot fill raises Unfillable, and the tests fail on it."""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from attendance.models import CheckIn, DoorHelper, PdfRun
from audit.services import Actor, audit_record
from companies.models import PossibleDuplicate
from companies.services import company_for_name, company_merge
from feedback.models import SurveyInvitation
from forums.enums import ForumStatus
from forums.models import Forum, Person
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import QuestionKind
from registrations.models import (
    AnswerChoice,
    QuestionChoice,
    RegistrationAnswer,
    RegistrationQuestion,
)
from tests.feedback.results_fixture import build_results_fixture


@dataclass(frozen=True)
class Route:
    # The pattern as written, prefixes included ("forums/<slug:slug>/checkin/").
    route: str
    # "namespace:name", or the route for a pattern without a name.
    name: str
    # The names of its arguments, in order.
    arguments: tuple[str, ...]

    @property
    def group(self) -> str:
        """Routes are tested in groups, one database per group: the admin's by app, the rest by
        their first path segment."""
        parts = self.route.lstrip("^").split("/")
        if parts[0] == "admin" and len(parts) > 2 and "<" not in parts[1] and "(" not in parts[1]:
            return f"admin/{parts[1]}"
        return parts[0] or "home"


_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>")


def _arguments(route: str) -> tuple[str, ...]:
    return tuple(m["name"] or m["regex_name"] for m in _ARGUMENT.finditer(route))


def routes() -> list[Route]:
    """Every URL pattern of the project, allauth's and the admin's included."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                assert isinstance(pattern, URLPattern)
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                else:
                    name = route
                found.append(Route(route=route, name=name, arguments=_arguments(route)))

    walk(get_resolver().url_patterns, "", "")
    return found


class Unfillable(Exception):
    pass


@pytest.fixture
def site(make_forum, sponsor, roles, make_person):
    """One of everything a URL can name: forums open, held and draft, registrations with their
    links, a survey with invitations, check-ins, documents, and a row of every admin model."""
    kl = build_results_fixture(make_forum)
    forum = kl.forum
    sponsor(forum, roles["member"].organisation)
    DoorHelper.objects.create(user=roles["door_helper"], forum=forum)
    Person.objects.create(first_name="Fa", last_name="Cilitator", email="facilitator@example.com")
    held = make_forum(slug="held-forum", day=date(2017, 10, 24), status=ForumStatus.HELD)
    sponsor(held, roles["member"].organisation)
    draft = make_forum(slug="draft-forum", status=ForumStatus.DRAFT)
    details = services.RegistrantDetails(
        first_name="Siti", last_name="Rahman", email="siti@supplier.example", company_name="Acme"
    )
    registration = services.registration_create(
        forum=forum, details=details, workshops=[]
    ).registration
    held_registration = services.registration_create(
        forum=make_forum(slug="another-open-forum"), details=details, workshops=[], proven=False
    ).held
    question = RegistrationQuestion.objects.create(
        forum=forum, kind=QuestionKind.ONE_CHOICE, label_en="Which commodity do you supply?"
    )
    sugar = QuestionChoice.objects.create(question=question, label_en="Sugar")
    answer = RegistrationAnswer.objects.create(registration=registration, question=question)
    AnswerChoice.objects.create(answer=answer, choice=sugar)
    CheckIn.objects.create(
        registration=registration, checked_in_at=timezone.now(), nonce="n-1", source="scan"
    )
    run = PdfRun.objects.create(
        kind="badges", forum=forum, total=1, done=1, status="done", pdf=b"%PDF-1.4"
    )
    OutgoingEmail.objects.create(
        kind="manage_link", to="siti@supplier.example", subject="Your link", body_text="Hello"
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="outbox.tasks.send_email",
        backend_name="default",
        enqueued_at=timezone.now(),
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    audit_record(by=Actor.system(), action="forum.capacity_changed", subject=forum)
    company_for_name(name="Kilang Sawit Maju", country="MY")
    company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    company_merge(
        kept=company_for_name(name="Borneo Oils Bhd", country="MY"),
        merged=company_for_name(name="Sabah Rubber Sdn Bhd", country="MY"),
        by=roles["secretariat"],
    )
    Group.objects.get_or_create(name="Door helpers")
    return {
        "forum": forum,
        "held": held,
        "draft": draft,
        "registration": registration,
        "held_registration": held_registration,
        "invitation": SurveyInvitation.objects.filter(survey__forum=forum).first(),
        "run": run,
        "pair": PossibleDuplicate.objects.first(),
    }


def _admin_model(route: str):
    parts = route.split("/")
    return apps.get_model(parts[1], parts[2])


def argument_value(route: Route, argument: str, site: dict) -> str:
    """A value that names something that exists, for `argument` of `route`."""
    name = route.name
    if argument == "slug":
        if name.startswith(("reports:forum_", "reports:news", "reports:maturity")):
            return site["held"].slug
        return site["forum"].slug
    if argument == "token" and name == "accounts:invitation":
        return "A" * 43  # the shape of a token; no invitation has it
    if argument == "token":
        if name == "registrations:confirm":
            return site["held_registration"].secret
        return site["registration"].secret
    if argument == "secret":
        return site["invitation"].secret
    if argument == "ref":
        return site["registration"].checkin_code
    if argument == "run_id":
        return str(site["run"].pk)
    if argument == "file_format":
        return "csv"
    if argument == "app_label":
        return "forums"
    if argument == "url":  # the admin's page for addresses it does not know
        return "no-such-page/"
    if argument == "content_type_id":
        return str(ContentType.objects.get_for_model(Forum).pk)
    if argument == "object_id" and name == "admin:view_on_site":
        return str(site["forum"].pk)
    if argument in ("object_id", "id") and route.route.startswith("admin/"):
        model = _admin_model(route.route)
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            raise Unfillable(f"{route.route}: no {model._meta.label} in the fixtures")
        return str(pk)
    if argument == "pk" and name.startswith("desk:"):
        return str(site["registration"].pk)
    if argument == "action" and name == "desk:survey_action":
        return "open"
    if argument == "person_id":
        return str(site["registration"].person_id)
    if argument == "pair_id":
        return str(site["pair"].pk)
    if argument == "keep":
        return "first"
    if argument == "key" and name == "account_confirm_email":
        return "no-such-key"
    if argument == "uidb36":
        return "1"
    if argument == "key":
        return "no-such-key"
    raise Unfillable(f"{route.route}: no value for <{argument}>")


# Put in place of one argument, then replaced by the value under test.
MARKER = "zq7marker7qz"
INT_MARKER = "987654321"


def _int_argument(route: str, argument: str) -> bool:
    return f"<int:{argument}>" in route


def url_for(route: Route, site: dict, replace: str | None = None) -> str:
    """The path of `route`, its arguments filled from `site`; `replace` names one argument to
    fill with a marker instead (MARKER, or INT_MARKER for an int converter)."""
    path = route.route
    for argument in route.arguments:
        if argument == replace:
            value = INT_MARKER if _int_argument(route.route, argument) else MARKER
        else:
            value = argument_value(route, argument, site)
        path = re.sub(
            rf"<(?:\w+:)?{argument}>|\(\?P<{argument}>(?:[^()]|\([^()]*\))*\)", value, path, count=1
        )
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


def reaches(response) -> bool:
    """Whether an answer to a plain request shows that the role got to the page: not sent to
    log in or to set up a second factor, not refused, not told it does not exist."""
    if response.status_code in (401, 403, 404):
        return False
    if response.status_code in (301, 302):
        location = response.get("Location", "")
        return not any(
            place in location for place in ("/accounts/login/", "/admin/login/", "/2fa/")
        )
    return True


def plain(client, user, url: str):
    """A GET of `url` as `user`; a POST without data where the page takes only POST."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response
