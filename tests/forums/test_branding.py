"""The association's branding in the admin: the logo and signature uploads are checked and
re-encoded, and bad files are refused with a message beside the field, changing nothing."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forums import images
from forums.models import Branding

CHANGE = reverse("admin:forums_branding_change", args=[1])


def png(width=40, height=20, colour=(200, 30, 30), **save) -> bytes:
    output = BytesIO()
    Image.new("RGB", (width, height), colour).save(output, format="PNG", **save)
    return output.getvalue()


def jpeg_with_exif() -> bytes:
    output = BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    Image.new("RGB", (30, 30), (0, 90, 160)).save(output, format="JPEG", exif=exif)
    return output.getvalue()


def huge_png(width=6000, height=6000) -> bytes:
    """A small file that claims a huge picture: a PNG header and a tiny compressed stream."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 10)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def post(client, **files):
    data = {
        "signatory_name": "Ana Pérez",
        "signatory_title": "Programme Director",
        "_save": "Save",
        **files,
    }
    return client.post(CHANGE, data)


def field_errors(response, field):
    return response.context["adminform"].form.errors.get(field)


def test_branding_row_exists_after_migrating(db):
    assert list(Branding.objects.values_list("pk", flat=True)) == [1]


def test_branding_list_opens_the_one_row(staff_client):
    response = staff_client.get(reverse("admin:forums_branding_changelist"))
    assert (response.status_code, response["Location"]) == (302, CHANGE)


def test_logo_upload_is_reencoded_as_png_without_metadata(staff_client):
    response = post(staff_client, logo_upload=SimpleUploadedFile("logo.jpg", jpeg_with_exif()))

    assert response.status_code == 302
    branding = Branding.objects.get()
    stored = bytes(branding.logo)
    assert stored[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (30, 30))
        assert image.getexif() == {}
        assert image.info.get("exif") is None
    assert (branding.signatory_name, branding.signatory_title) == (
        "Ana Pérez",
        "Programme Director",
    )


def test_image_reencoded_drops_text_chunks_and_trailing_bytes():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    upload = BytesIO(png(pnginfo=info) + b"<html><script>alert(2)</script></html>")

    stored = images.image_reencoded(upload)

    assert b"script" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert (image.size, image.text) == ((40, 20), {})


def test_large_logo_is_scaled_down_to_the_longest_side():
    stored = images.image_reencoded(BytesIO(png(2400, 600)))
    with Image.open(BytesIO(stored)) as image:
        assert image.size == (images.MAX_SIDE, 300)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            SVG,
            "SVG images are not accepted (they can contain scripts). Upload a PNG or JPEG.",
        ),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        ("logo.png", b"%PDF-1.4 not an image at all", "This file is not a PNG or JPEG image."),
        (
            "logo.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            "This file is not a PNG or JPEG image.",
        ),
        (
            "logo.png",
            huge_png(),
            "The image is 6000 × 6000 pixels; at most 25 million pixels are accepted. "
            "Upload a smaller image.",
        ),
        (
            "logo.png",
            b"\x89PNG" + b"\0" * (images.MAX_IMAGE_BYTES + 1),
            "The image is larger than 2 MB. Upload a smaller PNG or JPEG.",
        ),
    ],
    ids=["svg", "svg-named-png", "not-an-image", "gif", "huge-picture", "huge-file"],
)
@pytest.mark.parametrize("field", ["logo_upload", "signature_upload"])
def test_bad_image_is_refused_with_a_form_error_and_changes_nothing(
    staff_client, field, name, content, message
):
    Branding.objects.filter(pk=1).update(logo=png(), signature=png(), signatory_name="Kept")
    before = Branding.objects.values_list("logo", "signature", "signatory_name").get()

    response = post(staff_client, **{field: SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    expected = message or (
        "SVG images are not accepted (they can contain scripts). Upload a PNG or JPEG."
    )
    assert field_errors(response, field) == [expected]
    after = Branding.objects.values_list("logo", "signature", "signatory_name").get()
    assert [bytes(after[0]), bytes(after[1]), after[2]] == [
        bytes(before[0]),
        bytes(before[1]),
        "Kept",
    ]


def test_remove_logo_empties_it(staff_client):
    Branding.objects.filter(pk=1).update(logo=png(), signature=png())
    response = post(staff_client, remove_logo="on")
    assert response.status_code == 302
    branding = Branding.objects.get()
    assert (bytes(branding.logo), bytes(branding.signature)[:4]) == (b"", b"\x89PNG")


def test_branding_is_neither_added_nor_deleted(staff_client):
    assert staff_client.get(reverse("admin:forums_branding_add")).status_code == 403
    assert staff_client.post(reverse("admin:forums_branding_delete", args=[1])).status_code == 403
    assert Branding.objects.count() == 1


def test_forum_managers_may_change_branding(client, forum_manager):
    client.force_login(forum_manager)
    response = client.post(
        CHANGE, {"signatory_name": "Lee", "signatory_title": "", "_save": "Save"}
    )
    assert response.status_code == 302
    assert Branding.objects.get().signatory_name == "Lee"


def test_report_readers_may_not_change_branding(client, report_reader):
    client.force_login(report_reader)
    assert client.post(CHANGE, {"signatory_name": "Lee", "_save": "Save"}).status_code == 403
    assert Branding.objects.get().signatory_name == ""
