"""The privacy tools' pages: a registrant downloads or erases their data from their manage link;
the secretariat (forum managers: accounts.permissions.can_run_forums) does the same for anyone,
and sees how much personal data each forum still holds. Everyone else gets 404."""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can_run_forums
from audit.services import Actor
from config.params import read_id
from forums.models import Person
from privacy.selectors import person_export, personal_data_by_forum
from privacy.services import person_erase
from registrations.views import registration_or_problem


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def manage_export(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own data, as a JSON file, from their manage link."""
    registration, problem = registration_or_problem(request, token)
    if problem:
        return problem
    return _json_download(person_export(registration.person), "my-data.json")


@require_http_methods(["GET", "POST"])
def manage_erase(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant erases their personal data: a confirmation page, then the erasure. A POST
    without confirm=yes shows the page again and changes nothing."""
    registration, problem = registration_or_problem(request, token)
    if problem:
        return problem
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            person_erase(person=registration.person, by=Actor.registrant())
            return render(request, "privacy/erased.html", {"forum": registration.forum})
        messages.error(request, _("Tick the box to confirm that you want your data erased."))
    return render(
        request, "privacy/manage_erase.html", {"registration": registration, "token": token}
    )


def _allowed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_run_forums(request.user):
        raise Http404("No page at this address.")
    return None


def _person(person_id: str) -> Person:
    pk = read_id(person_id)
    if pk is None:
        raise Http404("No person at this address.")
    return get_object_or_404(Person.objects.select_related("erasure"), pk=pk)


@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    """Per forum: the people, registrations and free-text answers that still hold personal
    data."""
    if (refused := _allowed(request)) is not None:
        return refused
    return render(request, "privacy/personal_data.html", {"rows": personal_data_by_forum()})


@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    """A person's page for the secretariat: download their data, or erase it (a POST with
    confirm=yes; without it the page is shown again and nothing changes)."""
    if (refused := _allowed(request)) is not None:
        return refused
    someone = _person(person_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        if person_erase(person=someone, by=Actor.of(request.user)):
            messages.success(request, _("This person's personal data has been erased."))
        return redirect("privacy:person", person_id=someone.pk)
    erasure = getattr(someone, "erasure", None)
    registrations = someone.registrations.select_related("forum").order_by("created_at", "pk")
    return render(
        request,
        "privacy/person.html",
        {"person": someone, "erasure": erasure, "registrations": registrations},
    )


@require_GET
def person_data(request: HttpRequest, person_id: str) -> HttpResponse:
    if (refused := _allowed(request)) is not None:
        return refused
    someone = _person(person_id)
    return _json_download(person_export(someone), f"person-{someone.pk}.json")
