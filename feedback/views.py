from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from feedback import charts, exports, permissions, selectors
from feedback.models import Survey
from forums.models import Forum


def _results_access(request: HttpRequest, slug: str) -> tuple[Forum, permissions.ResultsAccess]:
    """The forum and what this user may see of its results; 404 for those who may see none."""
    forum = get_object_or_404(Forum, slug=slug)
    access = permissions.results_access(request.user, forum)
    if access is None:
        raise Http404("No results at this address.")
    return forum, access


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum, access = _results_access(request, slug)
    survey = Survey.objects.filter(forum=forum).first()
    context = {"forum": forum, "access": access, "survey": survey, "results": None}
    if survey is not None:
        results = selectors.survey_results(
            survey, workshop_ids=access.workshop_ids, names=access.names
        )
        rows = []
        for result in results.questions:
            drawing = charts.question_chart(result)
            svg = (
                charts.to_svg(drawing, title=result.question.text, name=f"q{result.question.pk}")
                if drawing
                else ""
            )
            rows.append((result, svg))
        context.update(results=results, rows=rows, small_n=selectors.SMALL_N)
    return render(request, "feedback/results.html", context)


@require_GET
def results_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum, access = _results_access(request, slug)
    survey = Survey.objects.filter(forum=forum).first()
    if not access.export or survey is None or file_format not in exports.FILE_FORMATS:
        raise Http404("No export at this address.")
    content = exports.export_results(survey, file_format=file_format, with_emails=access.names)
    content_type = (
        "text/csv; charset=utf-8"
        if file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    filename = exports.export_filename(forum_slug=forum.slug, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
