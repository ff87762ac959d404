from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from feedback import charts
from registrations.spreadsheets import write_csv, write_xlsx
from reports import permissions
from reports.forms import AsOfForm
from reports.selectors import Figures, reach_totals
from reports.serialise import HEADERS, reach_rows

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
    bars = [(f.label or "—", f.companies, str(f.companies)) for f in figures]
    if not bars:
        return ""
    value_max = max(f.companies for f in figures)
    draw = charts.column_chart if columns else charts.bar_chart
    return charts.to_svg(draw(bars, value_max=value_max), title=title, name=name)


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
