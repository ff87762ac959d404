"""Certificates and badges carry the association's branding: its name (settings), the logo,
the signature and the signatory's name and title (forums.models.Branding), read back from the
PDF as text and as a picture."""

from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from attendance import documents, pdf
from attendance.models import CheckIn
from forums.models import Branding
from tests.attendance.pdf_reading import page_picture, pdf_lines

MM = 72 / 25.4
RED, BLUE = (220, 20, 20), (20, 40, 200)


def solid_png(colour, size=(200, 80)) -> bytes:
    output = BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def branded(settings, db):
    settings.ASSOCIATION_NAME = "Example Association"
    Branding.objects.filter(pk=1).update(
        logo=solid_png(RED),
        signature=solid_png(BLUE, (300, 100)),
        signatory_name="Ana Pérez",
        signatory_title="Programme Director",
    )


@pytest.fixture
def attendee(forum, register):
    registration = register(forum, first_name="José", last_name="Đặng").registration
    CheckIn.objects.create(
        registration=registration, checked_in_at=timezone.now(), nonce="n-1", source="scan"
    )
    return registration


def near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_certificate_is_signed_by_the_signatory_for_the_association(branded, attendee):
    content = documents.certificate(attendee)

    assert pdf_lines(content)[-3:] == [
        "Ana Pérez",
        "Programme Director",
        "For the secretariat, Example Association",
    ]


def test_certificate_shows_the_logo_top_left_and_the_signature_on_the_line(branded, attendee):
    picture = page_picture(documents.certificate(attendee))
    height = picture.height
    # The logo: 45 × 18 mm at most, its shape kept (200 × 80 is 45 × 18), top left at 18 mm.
    logo_centre = (round(18 * MM + 22.5 * MM), round(18 * MM + 9 * MM))
    assert near(picture.getpixel(logo_centre), RED)
    # The signature: over the middle of the 80 mm line that ends 25 mm from the right edge,
    # its foot 0.5 mm above the line (34 mm from the bottom).
    line_middle = picture.width - round(25 * MM + 40 * MM)
    assert near(picture.getpixel((line_middle, height - round(40 * MM))), BLUE)
    # Nothing drawn there without images.
    Branding.objects.filter(pk=1).update(logo=b"", signature=b"")
    bare = page_picture(documents.certificate(attendee))
    assert bare.getpixel(logo_centre) == (255, 255, 255)
    assert bare.getpixel((line_middle, height - round(40 * MM))) == (255, 255, 255)


def test_certificate_without_signatory_names_only_the_association(settings, attendee):
    settings.ASSOCIATION_NAME = "Example Association"
    assert pdf_lines(documents.certificate(attendee))[-1] == (
        "For the secretariat, Example Association"
    )
    assert "Programme Director" not in pdf_lines(documents.certificate(attendee))


def test_badge_shows_the_logo_in_its_top_right_corner(branded, attendee):
    picture = page_picture(documents.badge(attendee))
    width, height = pdf.BADGE_LOGO
    # 200 × 80 pixels in at most 20 × 7 mm: 17.5 × 7 mm, right-aligned inside the padding.
    centre = (
        round(pdf.BADGE_WIDTH - pdf.BADGE_PADDING - 17.5 * MM / 2),
        round(pdf.BADGE_PADDING + 2.5 * MM + height / 2),
    )
    assert near(picture.getpixel(centre), RED)
    Branding.objects.filter(pk=1).update(logo=b"")
    assert page_picture(documents.badge(attendee)).getpixel(centre) == (255, 255, 255)
