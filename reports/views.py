"""The reports pages: forum overview, members, facilitators, the post-event PDF, the news draft
and the maturity report. Thin: permissions.py decides, dashboards.py, news.py and maturity.py
read.
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from attendance.selectors import forum_is_held
from audit.services import Actor
from feedback.selectors import SMALL_N
from forums.models import Forum
from registrations.enums import MaturityStage
from registrations.spreadsheets import write_csv, write_xlsx
from reports import charts, dashboards, permissions, services
from reports.facts import forum_news_facts
from reports.forms import AsOfForm, NewsDraftForm
from reports.maturity import forum_maturity
from reports.models import NewsDraft
from reports.news import LANGUAGES, news_draft
from reports.selectors import Figures, reach_totals
from reports.serialise import HEADERS, reach_rows


def _counts_svg(rows: list[dashboards.Tally], *, title: str, name: str) -> str:
    return charts.counts_svg([(row.label, row.count) for row in rows], title=title, name=name)


@require_GET
def forum_overview(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_overview(request.user):
        raise Http404("No overview at this address.")
    forum = get_object_or_404(Forum, slug=slug)
    overview = dashboards.forum_overview(forum)
    sections = [
        (name, title, heading, rows, _counts_svg(rows, title=title, name=name))
        for name, title, heading, rows in [
            ("status", gettext("By status"), gettext("Status"), overview.by_status),
            ("country", gettext("By country"), gettext("Country"), overview.by_country),
            ("category", gettext("By company category"), gettext("Category"), overview.by_category),
            ("sponsor", gettext("By inviting sponsor"), gettext("Sponsor"), overview.by_sponsor),
        ]
    ]
    days_svg = charts.counts_svg(
        [(f"{day:%d %b}", n) for day, n, _ in overview.by_day],
        title=gettext("Registrations by day"),
        name="days",
    )
    return render(
        request,
        "reports/overview.html",
        {
            "forum": forum,
            "overview": overview,
            "sections": sections,
            "days_svg": days_svg,
            # The news draft and the maturity report answer only for a held forum.
            "held": forum_is_held(forum),
        },
    )


@require_GET
def members(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_members_page(request.user):
        raise Http404("No members' page at this address.")
    asked = request.GET.get("member")
    member = permissions.member_for(request.user, asked)
    if member is None and (asked or not permissions.can_see_overview(request.user)):
        raise Http404("No such member.")
    context = {
        "member": member,
        "reach": dashboards.programme_reach(),
        "forums": dashboards.sponsored_forums(member) if member is not None else [],
        "members": dashboards.members_with_sponsorships() if member is None else [],
        "small_n": SMALL_N,
    }
    return render(request, "reports/members.html", context)


@require_GET
def facilitator(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_facilitator_page(request.user):
        raise Http404("No facilitator's page at this address.")
    workshops = dashboards.facilitated_workshops(request.user.email)
    return render(request, "reports/facilitator.html", {"workshops": workshops})


@require_GET
def forum_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from reports.pdf import forum_report_pdf as render_pdf

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum = get_object_or_404(Forum, slug=slug)
    if not permissions.can_download_report(request.user, forum):
        raise Http404("No report at this address.")
    content = render_pdf(dashboards.forum_report(forum))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{forum.slug}-report.pdf"'
    return response


def _held_forum(request: HttpRequest, slug: str) -> Forum:
    forum = get_object_or_404(Forum, slug=slug)
    if not forum_is_held(forum):
        raise Http404("The forum has not been held yet.")
    return forum


@require_http_methods(["GET", "POST"])
def news(request: HttpRequest, slug: str) -> HttpResponse:
    """The news draft of a held forum in one language (?language=es), which the secretariat can
    edit and save, or put back to the text written from the data."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_edit_news(request.user):
        raise Http404("No news draft at this address.")
    forum = _held_forum(request, slug)
    language = request.GET.get("language", "en")
    if language not in LANGUAGES:
        language = "en"
    saved = NewsDraft.objects.filter(forum=forum, language=language).first()
    by = Actor.of(request.user)
    if request.method == "POST":
        if "reset" in request.POST:
            services.news_draft_reset(forum=forum, language=language, by=by)
            messages.success(request, _("The draft is written from the data again."))
            return redirect(f"{request.path}?language={language}")
        form = NewsDraftForm(request.POST)
        if form.is_valid():
            services.news_draft_save(
                forum=forum, language=language, text=form.cleaned_data["text"], by=by
            )
            messages.success(request, _("Your text is saved."))
            return redirect(f"{request.path}?language={language}")
    else:
        text = saved.text if saved else news_draft(forum_news_facts(forum, language), language).text
        form = NewsDraftForm(initial={"text": text})
    return render(
        request,
        "reports/news.html",
        {
            "forum": forum,
            "form": form,
            "saved": saved,
            "language": language,
            "languages": [(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES],
        },
    )


@require_GET
def maturity(request: HttpRequest, slug: str) -> HttpResponse:
    """The Responsible Sourcing Journey maturity of the companies a held forum reached."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_maturity(request.user):
        raise Http404("No maturity report at this address.")
    forum = _held_forum(request, slug)
    return render(
        request,
        "reports/maturity.html",
        {"forum": forum, "maturity": forum_maturity(forum), "stages": list(MaturityStage)},
    )


FILE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _secretariat_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_reach(request.user):
        raise Http404("No report at this address.")
    return None


def _chart(figures: tuple[Figures, ...], *, title: str, name: str, columns: bool) -> str:
    rows = [(f.label or "—", f.companies) for f in figures]
    return charts.counts_svg(rows, title=title, name=name, columns=columns)


@require_GET
def reach(request: HttpRequest) -> HttpResponse:
    if (refused := _secretariat_only(request)) is not None:
        return refused
    form = AsOfForm(request.GET or None)
    as_of: date | None = form.cleaned_data["as_of"] if form.is_valid() else None
    figures = reach_totals(as_of=as_of)
    query = f"?as_of={as_of.isoformat()}" if as_of else ""
    return render(
        request,
        "reports/reach.html",
        {
            "form": form,
            "reach": figures,
            "by_year_chart": _chart(
                figures.by_year, title=_("Companies reached by year"), name="by-year", columns=True
            ),
            "by_country_chart": _chart(
                figures.by_country,
                title=_("Companies reached by country"),
                name="by-country",
                columns=False,
            ),
            "by_country_map": charts.counts_map_svg(
                {f.key: f.companies for f in figures.by_country},
                title=_("Map of the companies reached, by the country where the forum was held"),
                legend=_("Companies reached"),
                name="by-country-map",
            ),
            "export_query": query,
        },
    )


@require_GET
def reach_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if (refused := _secretariat_only(request)) is not None:
        return refused
    if file_format not in FILE_FORMATS:
        raise Http404("No export at this address.")
    form = AsOfForm(request.GET or None)
    if request.GET and not form.is_valid():
        # The page says what is wrong with the date.
        return redirect(f"{reverse('reports:reach')}?{request.GET.urlencode()}")
    as_of = form.cleaned_data["as_of"] if request.GET else None
    figures = reach_totals(as_of=as_of)
    if file_format == "xlsx":
        content = write_xlsx(HEADERS, reach_rows(figures), sheet_title="Reach")
    else:
        content = write_csv(HEADERS, reach_rows(figures))
    response = HttpResponse(content, content_type=FILE_FORMATS[file_format])
    day = (as_of or timezone.localdate()).isoformat()
    response["Content-Disposition"] = f'attachment; filename="reach-{day}.{file_format}"'
    return response
