from functools import partial

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forums import permissions, selectors
from forums.cache import Rendered, public_page
from forums.forms import ForumFilterForm
from forums.ical import calendar_bytes, forum_event
from forums.models import Forum


@require_GET
def home(request):
    return public_page(request, name="home", render=partial(_render_home, request))


def _render_home(request, extra_context: dict) -> Rendered:
    options = selectors.forum_filter_options()
    form = ForumFilterForm(request.GET or None, options=options)
    filters = selectors.ForumFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.ForumFilters(
            country=form.cleaned_data["country"],
            year=form.cleaned_data["year"],
            theme=form.cleaned_data["theme"],
        )
    upcoming, past = selectors.forum_list(filters=filters)
    response = render(
        request,
        "forums/home.html",
        {
            "form": form,
            "upcoming": upcoming,
            "past": past,
            "filtered": filters != selectors.ForumFilters(),
            **extra_context,
        },
    )
    # An upcoming forum moves to the past ones when it ends.
    return Rendered(response, changes_at=min((f.ends_at for f in upcoming), default=None))


def visible_forum(request, slug: str, *, programme: bool = False) -> Forum:
    """The forum at `slug` if this visitor may see it, else 404. With `programme`, with
    everything its public page shows (sponsors, agenda, speakers, supporters)."""
    forum = selectors.forum_for_page(slug=slug) if programme else selectors.forum_by_slug(slug=slug)
    if forum is None or not permissions.can_view_forum(request.user, forum):
        raise Http404("No forum at this address.")
    return forum


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def forum_calendar(request, slug: str):
    forum = visible_forum(request, slug)
    content = calendar_bytes([forum_event(forum, site_url=settings.SITE_URL)], name=forum.title)
    return _ics_response(content, f"{forum.slug}.ics")


@require_GET
def calendar_feed(request):
    forums = Forum.objects.public().order_by("starts_at")
    content = calendar_bytes(forum_event(forum, site_url=settings.SITE_URL) for forum in forums)
    return _ics_response(content, "forums.ics")


@require_GET
def member_area(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_use_member_area(request.user):
        raise PermissionDenied("The members area is for member representatives.")
    organisation = request.user.organisation if request.user.is_member_representative else None
    forums = (
        selectors.member_forums(organisation=organisation)
        if organisation
        else Forum.objects.order_by("-starts_at").prefetch_related("sponsorships__organisation")
    )
    # A member sees its own invitation link; the secretariat sees every sponsor's.
    rows = [
        (
            forum,
            [
                s
                for s in forum.sponsorships.all()
                if organisation is None or s.organisation_id == organisation.pk
            ],
        )
        for forum in forums
    ]
    return render(
        request,
        "forums/member_area.html",
        {
            "organisation": organisation,
            "forums": forums,
            "rows": rows,
            "site_url": settings.SITE_URL,
        },
    )
