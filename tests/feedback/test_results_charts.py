import io
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from feedback import charts
from feedback.models import Question
from feedback.selectors import survey_results
from tests.feedback.results_fixture import SCRIPT, build_results_fixture

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def kl(make_forum):
    return build_results_fixture(make_forum)


def _texts(svg: str) -> list[str]:
    return [node.text for node in ET.fromstring(svg).iter(f"{SVG}text")]


def test_workshop_chart_labels_bars_as_the_table_rounds_them(kl):
    result = survey_results(kl.survey).result("workshop")

    svg = charts.to_svg(charts.question_chart(result), title="Workshops", name="q1")

    texts = _texts(svg)
    # The bars' values (drawn bottom up: B2, then A1), then the labels; 3.25 shows as 3.3, as
    # in the table beside (Python's formatting would show 3.2).
    assert [t for t in texts if t in {"A1", "B2", "3.3", "3.5", "3.2"}] == [
        "3.5",
        "3.3",
        "B2",
        "A1",
    ]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Workshops"
    assert svg.startswith("<svg ")
    assert 'id="q1-clip"' in svg


def test_topics_chart_escapes_its_labels_and_shows_shares(kl):
    Question.objects.filter(survey=kl.survey, key="topics").update(
        choices=[{"key": "environment", "en": SCRIPT, "es": SCRIPT}]
    )
    result = survey_results(kl.survey).result("topics")

    svg = charts.to_svg(charts.question_chart(result), title=SCRIPT, name="topics")

    assert "<script" not in svg
    texts = _texts(svg)
    # The one option offered (environment, 80%) first, then the keys no longer offered in
    # alphabetical order (business integrity 20%, health 20%, rights 40%); drawn bottom up.
    assert [t for t in texts if t.endswith("%")] == ["40%", "20%", "20%", "80%"]
    assert SCRIPT in texts
    assert ET.fromstring(svg).find(f"{SVG}title").text == SCRIPT


def test_chart_draws_into_a_pdf(kl):
    from reportlab.graphics import renderPDF

    drawing = charts.question_chart(survey_results(kl.survey).result("facilitator"))

    text = PdfReader(io.BytesIO(renderPDF.drawToString(drawing))).pages[0].extract_text()
    assert "A1:White" in text
    assert "4.7" in text
