"""Badges, certificates and the check-in list, read back: the text a person sees (names in
every script, company, forum, workshops), the QR codes decoded, the layout's fitting."""

import pytest
import segno
from django.utils import timezone

from attendance import documents, fonts, pdf
from attendance.models import CheckIn
from forums.models import Forum, Organisation, Person
from tests.attendance.pdf_reading import (
    decoded_qr_codes,
    drawn_qr_matrices,
    page_count,
    page_sizes_mm,
    pdf_lines,
)
from workshops.models import Workshop

NAMES = [
    ("José", "Nestlé Đặng", "Nestlé Malaysia Sdn Bhd"),
    ("राजेश", "कुमार", "विजय सिंह Industries"),
    ("สมชาย", "ใจดี", "Thai Union"),
    ("王芳", "", "上海食品有限公司"),
    ("محمد", "العلي", "شركة الأغذية"),
]


@pytest.fixture
def everyone(forum, register, workshop):
    return [
        register(
            forum,
            first_name=first,
            last_name=last,
            company_name=company,
            workshops=[workshop("A1"), workshop("B2")],
        ).registration
        for first, last, company in NAMES
    ]


def check_in(registration, workshop=None):
    return CheckIn.objects.create(
        registration=registration,
        workshop=workshop,
        checked_in_at=timezone.now(),
        nonce=f"n-{registration.pk}-{workshop.pk if workshop else 0}",
        source="scan",
    )


def test_badges_read_back_names_in_every_script_with_company_forum_and_workshops(forum, everyone):
    content = documents.badges(forum)

    lines = pdf_lines(content)
    expected_names = [f"{first} {last}".strip() for first, last, _ in NAMES]
    assert sorted(line for line in lines if line in expected_names) == sorted(expected_names)
    assert sorted(line for line in lines if line in [c for *_, c in NAMES]) == sorted(
        c for *_, c in NAMES
    )
    assert lines.count("Responsible Sourcing Forum Kuala Lumpur") == 5
    assert lines.count("11 March 2036") == 5
    assert lines.count("A1 · Migrant labour") == 5
    assert lines.count("B2 · Anti-bribery") == 5
    assert lines.count("Malaysia") == 5
    assert page_sizes_mm(content) == [(210.0, 297.0)]


def test_badges_qr_codes_decode_to_each_check_in_code(forum, everyone):
    content = documents.badges(forum)

    assert decoded_qr_codes(content) == sorted(r.checkin_code for r in everyone)


def test_badges_qr_modules_drawn_are_segnos_matrix_for_the_code(forum, everyone):
    content = documents.badges(forum)

    drawn = drawn_qr_matrices(content)
    # By surname, as the badges are ordered: "" (王芳), Nestlé Đặng, العلي, कुमार, ใจดี.
    ordered = sorted(everyone, key=lambda r: (r.person.last_name, r.person.first_name))
    assert drawn == [
        tuple(
            tuple(row)
            for row in segno.make_qr(r.checkin_code, error="m", mask=0, boost_error=False).matrix
        )
        for r in ordered
    ]
    assert all(r.secret not in "\n".join(pdf_lines(content)) for r in everyone)


def test_badge_single_is_one_badge_sized_page(forum, everyone):
    content = documents.badge(everyone[1])

    assert page_sizes_mm(content) == [(105.0, 74.2)]
    lines = pdf_lines(content)
    assert lines[:3] == ["Responsible Sourcing Forum Kuala Lumpur", "11 March 2036", "राजेश कुमार"]
    assert decoded_qr_codes(content) == [everyone[1].checkin_code]


def test_badges_nine_people_fill_two_sheets(forum, register):
    for number in range(9):
        register(forum, first_name=f"Person{number}")

    content = documents.badges(forum)

    assert page_count(content) == 2
    assert len(drawn_qr_matrices(content, page=1)) == 8
    assert len(drawn_qr_matrices(content, page=2)) == 1


def test_fit_long_name_shrinks_to_fit_the_width():
    text = pdf.fit("Maximiliana Alexandrina", width=60 * pdf.MM, size=22, min_size=12, bold=True)

    assert len(text.lines) == 1
    assert text.size < 22
    assert fonts.runs_width(text.lines[0]) <= 60 * pdf.MM


def test_fit_very_long_name_wraps_at_the_minimum_size_onto_as_many_lines_as_it_takes():
    name = "Maximiliana Alexandrina von Hohenzollern-Sigmaringen-Wittelsbach " * 3

    text = pdf.fit(name, width=60 * pdf.MM, size=22, min_size=12, bold=True)

    assert text.size == 12
    assert all(fonts.runs_width(line) <= 60 * pdf.MM for line in text.lines)
    lines = ["".join(run.text for run in line) for line in text.lines]
    assert lines[:3] == ["Maximiliana Alexandrina", "von Hohenzollern-", "Sigmaringen-Wittelsbach"]
    # Every word, the hyphens kept where the line breaks after one.
    assert " ".join(lines).replace("- ", "-") == name.strip()


def test_split_runs_sets_each_script_in_a_font_that_has_it():
    runs = fonts.split_runs("José राजेश 王芳", bold=False, size=10)

    assert [(run.text, run.family.name) for run in runs] == [
        ("José ", "Sans"),
        ("राजेश ", "Deva"),
        ("王芳", "Hani"),
    ]


def test_split_runs_arabic_line_is_laid_out_right_to_left():
    runs = fonts.split_runs("محمد Ali", bold=False, size=10)

    assert [(run.text, run.family.name) for run in runs] == [("Ali", "Sans"), ("محمد ", "Arab")]


def test_split_runs_sets_emoji_in_the_fallback_font():
    runs = fonts.split_runs("Siti \U0001f334 (2)", bold=False, size=10)

    assert [(run.text, run.family.name, run.drawn) for run in runs] == [
        ("Siti ", "Sans", None),
        ("\U0001f334", "Symb", None),
        (" (2)", "Sans", None),
    ]


def test_split_runs_draws_the_substitute_for_characters_no_font_has():
    # U+1F972 (Unicode 13) is newer than Symbola; U+0378 is not assigned. The joiner, which
    # Noto Sans has, stays in its run.
    runs = fonts.split_runs("Siti \U0001f972\u0378 Rahman\u200d", bold=False, size=10)

    assert [(run.text, run.family.name, run.drawn) for run in runs] == [
        ("Siti ", "Sans", None),
        ("\U0001f972\u0378", "Sans", "\ufffd\ufffd"),
        (" Rahman\u200d", "Sans", None),
    ]
    assert runs[1].width > 0


def test_fonts_missing_names_the_files_and_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    monkeypatch.setattr(fonts, "_fc_list", lambda: {})
    fonts.font_paths.cache_clear()
    try:
        with pytest.raises(fonts.FontsMissing) as missing:
            fonts.check_fonts()
    finally:
        fonts.font_paths.cache_clear()

    assert str(missing.value) == (
        "The fonts for names in Latin, Devanagari, Thai, Arabic and Chinese are missing: "
        "NotoSans-Regular.ttf, NotoSansDevanagari-Regular.ttf, NotoSansThai-Regular.ttf, "
        "NotoSansArabic-Regular.ttf, DroidSansFallbackFull.ttf. " + fonts.INSTALL_HINT
    )


def test_certificates_only_for_attendees_with_workshops_facilitators_and_organisations(
    forum, everyone, workshop
):
    iom = Organisation.objects.create(name="IOM", kind="partner")
    lara = Person.objects.create(first_name="Lara", last_name="White", organisation=iom)
    workshop("A1").facilitators.add(lara)
    elevate = Organisation.objects.create(name="ELEVATE", kind="partner")
    workshop("B2").led_by.add(elevate)
    jose, rajesh = everyone[0], everyone[1]
    check_in(jose)
    check_in(jose, workshop("A1"))
    check_in(jose, workshop("B2"))
    check_in(rajesh)
    undone = check_in(rajesh, workshop("A1"))
    CheckIn.objects.filter(pk=undone.pk).update(undone_at=timezone.now())

    content = documents.certificates(forum)

    assert page_count(content) == 2
    first = pdf_lines(content, page=1)
    assert first == [
        "Certificate of attendance",
        "This is to certify that",
        "José Nestlé Đặng",
        "Nestlé Malaysia Sdn Bhd",
        "attended",
        "Responsible Sourcing Forum Kuala Lumpur",
        "11 March 2036, Kuala Lumpur, Malaysia",
        "and took part in these workshops:",
        "Migrant labour",
        "with Lara White (IOM)",
        "Anti-bribery",
        "with ELEVATE",
        "For the secretariat, AIM-PROGRESS",
    ]
    second = pdf_lines(content, page=2)
    assert second[2:4] == ["राजेश कुमार", "विजय सिंह Industries"]
    assert "and took part in these workshops:" not in second


def test_certificate_of_someone_not_checked_in_is_none(forum, everyone):
    assert documents.certificate(everyone[0]) is None
    check_in(everyone[0])
    assert pdf_lines(documents.certificate(everyone[0]))[2] == "José Nestlé Đặng"


def test_checkin_list_alphabetical_by_surname_with_forum_and_page_numbers(
    forum, register, workshop
):
    for first, last in [("Zoe", "Ng"), ("Ana", "Álvarez"), ("Bo", "baker")]:
        register(forum, first_name=first, last_name=last, workshops=[workshop("A1")])
    for number in range(30):
        register(forum, first_name=f"P{number:02}", last_name="Tan")

    content = documents.checkin_list(forum)

    assert page_count(content) == 2
    first, second = pdf_lines(content, page=1), pdf_lines(content, page=2)
    for number, page in enumerate([first, second], start=1):
        assert page[0] == "Responsible Sourcing Forum Kuala Lumpur"
        assert page[-1] == f"Page {number} of 2"
    surnames = [line for line in first + second if line in ("Álvarez", "baker", "Ng", "Tan")]
    assert surnames[:3] == ["Álvarez", "baker", "Ng"]
    assert surnames.count("Tan") == 30


def test_certificate_of_a_spanish_registrant_is_in_spanish(forum, register, workshop):
    Forum.objects.filter(pk=forum.pk).update(
        title_es="Foro de Abastecimiento Responsable", certificate_wording_es="participó en el"
    )
    Workshop.objects.filter(pk=workshop("A1").pk).update(title_es="Trabajo migrante")
    forum.refresh_from_db()
    spanish, english = (
        register(
            forum,
            first_name=first,
            last_name="Pérez",
            company_name="Azúcar del Sur SA",
            workshops=[workshop("A1"), workshop("B2")],
            language=language,
        ).registration
        for first, language in [("Ana", "es"), ("Bea", "en")]
    )
    for registration in (spanish, english):
        check_in(registration)
        check_in(registration, workshop("A1"))
        check_in(registration, workshop("B2"))

    one = documents.certificate(spanish)
    # Everyone's certificates at once: each page in its holder's language.
    both = documents.certificates(forum)

    expected = [
        "Certificado de asistencia",
        "Se certifica que",
        "Ana Pérez",
        "Azúcar del Sur SA",
        "participó en el",
        "Foro de Abastecimiento Responsable",
        "11 de marzo de 2036, Kuala Lumpur, Malasia",
        "y participó en estos talleres:",
        "Trabajo migrante",
        # No Spanish title: the English one.
        "Anti-bribery",
        "Por la secretaría, AIM-PROGRESS",  # settings.ASSOCIATION_NAME
    ]
    assert pdf_lines(one) == expected
    assert pdf_lines(both, page=1) == expected
    assert pdf_lines(both, page=2)[4:9] == [
        "attended",
        "Responsible Sourcing Forum Kuala Lumpur",
        "11 March 2036, Kuala Lumpur, Malaysia",
        "and took part in these workshops:",
        "Migrant labour",
    ]
