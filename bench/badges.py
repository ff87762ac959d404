"""Badge speed: 1,000 badges (names in several scripts, a company, two workshops, the QR code
drawn as vector modules) on A4 sheets, against a baseline measured in the same run: the naive
way, each QR code made as a PNG image by segno and placed with drawImage, for 100 badges.
Prints figures; never passes or fails.

    .venv/bin/python bench/badges.py
"""

import os
import secrets
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from attendance import pdf  # noqa: E402

FORUM = pdf.ForumHeading(
    "Responsible Sourcing Forum Kuala Lumpur", "11 March 2036", "Kuala Lumpur", "Malaysia"
)
NAMES = [
    ("Siti", "Rahman", "Kilang Sawit Maju Sdn Bhd"),
    ("José", "Nestlé Đặng", "Nestlé Malaysia Sdn Bhd"),
    ("राजेश", "कुमार", "Gurgaon Packaging Pvt Ltd"),
    ("สมชาย", "ใจดี", "Thai Union Group"),
    ("王芳", "", "上海食品有限公司"),
    ("محمد", "العلي", "شركة الأغذية"),
    ("Maximiliana Alexandrina", "von Hohenzollern-Sigmaringen", "PT Perkebunan Nusantara"),
]
WORKSHOPS = ("A1 · Migrant labour management", "B2 · Grievance mechanisms")


def holders(count: int) -> list[pdf.BadgeHolder]:
    return [
        pdf.BadgeHolder(
            first_name=f"{NAMES[n % len(NAMES)][0]}",
            last_name=f"{NAMES[n % len(NAMES)][1]}",
            company=f"{NAMES[n % len(NAMES)][2]} {n}",
            country="Malaysia",
            checkin_code=secrets.token_urlsafe(15),
            workshops=WORKSHOPS,
        )
        for n in range(count)
    ]


def naive_badges(people: list[pdf.BadgeHolder]) -> bytes:
    """The same badges with each QR code made as a PNG (segno's best mask, 10 px a module)
    and placed as an image: the approach the target is compared with."""
    import segno
    from reportlab.lib.utils import ImageReader

    vector_qr, matrix_of = pdf.draw_qr, pdf.qr_matrix

    def draw_png(canvas, code, x, y, size):
        png = BytesIO()
        segno.make_qr(code, error="m").save(png, kind="png", scale=10, border=0)
        canvas.drawImage(ImageReader(BytesIO(png.getvalue())), x, y, size, size)

    # The badge passes the code itself on, instead of its matrix, to the PNG drawing.
    pdf.draw_qr, pdf.qr_matrix = draw_png, lambda code: code
    try:
        return pdf.badges_pdf(FORUM, people)
    finally:
        pdf.draw_qr, pdf.qr_matrix = vector_qr, matrix_of


def timed(function, *args):
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    timed.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    return time.perf_counter() - started, result


def main() -> None:
    warm_up, _ = timed(pdf.badges_pdf, FORUM, holders(len(NAMES)))
    print(f"fonts loaded and first {len(NAMES)} badges: {warm_up:.2f} s (once per process)")

    people = holders(1000)
    pdf.fit.cache_clear()
    seconds, content = timed(pdf.badges_pdf, FORUM, people)
    print(
        f"vector QR: 1000 badges in {seconds:.2f} s = {1000 / seconds:.0f} badges/s "
        f"(CPU {timed.cpu:.2f} s; {len(content) / 1e6:.1f} MB, 125 A4 sheets)"
    )

    pdf.fit.cache_clear()
    baseline, content = timed(naive_badges, people[:100])
    print(
        f"baseline, QR as PNG image: 100 badges in {baseline:.2f} s = {100 / baseline:.0f} "
        f"badges/s (CPU {timed.cpu:.2f} s; {len(content) / 1e6:.1f} MB)"
    )
    print(
        f"load average: {' '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(f"vector QR is {(1000 / seconds) / (100 / baseline):.1f} times as fast")


if __name__ == "__main__":
    main()
