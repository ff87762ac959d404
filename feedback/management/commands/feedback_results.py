import json

from django.core.management.base import BaseCommand, CommandError

from feedback.models import Survey
from feedback.selectors import (
    SMALL_N,
    Average,
    Share,
    SurveySummary,
    is_small_n,
    survey_results,
)
from forums.models import Forum


class Command(BaseCommand):
    help = (
        "Print a forum's feedback results: response rate (responses out of attendees), e-mail "
        "invitations, helpful share, overall rating, Net "
        "Promoter Score, averages per workshop and per facilitator. --json prints exact values "
        "(percentages from 0 to 100); the text rounds them as the results page does."
    )

    def add_arguments(self, parser):
        parser.add_argument("forum_slug")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

    def handle(self, *args, forum_slug, as_json=False, **options):
        forum = Forum.objects.filter(slug=forum_slug).first()
        if forum is None:
            raise CommandError(f"No forum has the slug '{forum_slug}'.")
        survey = Survey.objects.filter(forum=forum).select_related("forum").first()
        if survey is None:
            raise CommandError(
                f"The forum '{forum_slug}' has no feedback survey yet; create it in the admin."
            )
        results = survey_results(survey)
        if as_json:
            self.stdout.write(_dumps(results.as_json()))
            return
        self.stdout.write("\n".join(_summary(results)))


def _dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _summary(results) -> list[str]:
    survey = results.survey
    lines = [
        f"{survey.forum.title} ({survey.forum.slug}): survey {survey.status}"
        + (", anonymous" if survey.anonymous else ""),
        *_turnout(results.summary),
    ]
    if results.helpful is not None:
        helpful = results.helpful
        lines.append(f"Found it helpful: {_share(helpful)} ({helpful.count} of {helpful.n})")
    if results.overall is not None and results.overall.average is not None:
        overall = results.overall
        spread = ", ".join(f"{b.value}: {b.share.count}" for b in overall.distribution)
        lines.append(f"Overall rating: {_average(overall.average)} out of 5 ({spread})")
    if results.nps is not None:
        nps = results.nps
        lines.append(
            f"Net Promoter Score: {nps.display or '–'} (n={nps.n}; {nps.promoters} promoters, "
            f"{nps.passives} passives, {nps.detractors} detractors)" + _small(nps.n)
        )
    if results.workshops:
        lines.append("Workshops:")
        lines += [f"  {code}: {_average(a)}" for code, a in results.workshops.items()]
    if results.facilitators:
        lines.append("Facilitators:")
        lines += [f"  {key}: {_average(a)}" for key, a in results.facilitators.items()]
    lines.append(f"(Figures from fewer than {SMALL_N} answers are marked 'small n'.)")
    return lines


def _turnout(summary: SurveySummary) -> list[str]:
    """The response rate with what it is out of, and the e-mail invitations apart from it."""
    rate = summary.response_rate
    counted = f"{summary.responses} responses from {summary.attendees} attendees"
    if rate is None:
        line = (
            f"Response rate: not given ({counted}: {summary.beyond_attendees} more responses "
            "than people recorded as attending)"
        )
    elif not rate.n:
        line = f"Response rate: – ({counted})"
    else:
        line = f"Response rate: {rate.percent}% ({counted})" + _small(rate.n)
    return [
        line,
        f"Responses: {summary.online} online, {summary.paper} on paper; "
        f"invited by e-mail: {summary.invited_by_email}",
    ]


def _share(share: Share | None) -> str:
    if share is None or not share.n:
        return "–"
    return f"{share.percent}% (n={share.n})" + _small(share.n)


def _average(average: Average) -> str:
    return f"{average.display or '–'} (n={average.n})" + _small(average.n)


def _small(n: int) -> str:
    return ", small n" if is_small_n(n) else ""
