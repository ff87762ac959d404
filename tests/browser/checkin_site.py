"""A throwaway site for checking the check-in page in a real browser (docs/checkin.md): migrates
the database named by DATABASE_URL (use a scratch SQLite file), adds a forum with six
registrants and a logged-in secretariat session, and writes OUTDIR/facts.json (the session,
the badge codes, the workshop ids) and OUTDIR/qr.y4m (a camera picture of one badge's QR code,
for Chromium's fake camera). Not collected by pytest.

    DEBUG=true VAR_DIR=/tmp/checkin-site .venv/bin/python tests/browser/checkin_site.py OUTDIR
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def badge_video(code: str, path: Path) -> None:
    """Ten frames of 640×480 (YUV 4:2:0) showing `code` as a QR code, 10 pixels a module."""
    import segno

    matrix = [list(row) for row in segno.make(code, error="m", micro=False).matrix]
    width, height, scale = 640, 480, 10
    modules = len(matrix) + 8  # with the quiet zone
    left, top = (width - modules * scale) // 2, (height - modules * scale) // 2
    luma = bytearray([235]) * (width * height)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + (r + 4) * scale + dy) * width + left + (c + 4) * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def main(out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from forums.models import Forum
    from registrations import services
    from registrations.models import Registration
    from tests.registrations.conftest import add_workshops
    from workshops.models import Workshop

    call_command("migrate", verbosity=0)
    starts = (timezone.now() + timedelta(days=20)).replace(
        hour=1, minute=0, second=0, microsecond=0
    )
    forum = Forum.objects.create(
        title="Responsible Sourcing Forum Kuala Lumpur",
        slug="kl",
        city="Kuala Lumpur",
        country="MY",
        time_zone="Asia/Kuala_Lumpur",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        capacity=100,
        status="registration_open",
        theme="Palm oil",
        registration_opens_at=timezone.now() - timedelta(days=1),
        registration_closes_at=starts - timedelta(days=1),
    )
    add_workshops(forum)
    workshops = {w.code: w for w in Workshop.objects.filter(forum=forum)}
    people = [
        ("José", "Martínez", "Azúcar del Norte S.A. de C.V.", ["A1", "B2"]),
        ("Đặng", "Văn An", "Saigon Pack", ["A2"]),
        ("Siti", "Rahman", "Kilang Sawit Maju Sdn Bhd", ["A1"]),
        ("王芳", "", "Golden Harvest Plantations", []),
        ("Venkataraghavan", "Ramaswamy Iyer", "Shree Packaging (India) Pvt Ltd", ["B1"]),
        ("Maria", "López", "Empaques del Bajío", []),
    ]
    codes = {}
    for number, (first, last, company, chosen) in enumerate(people):
        registration = services.registration_create(
            forum=forum,
            details=services.RegistrantDetails(
                first_name=first,
                last_name=last,
                email=f"p{number}@ex{number}.example",
                company_name=company,
                country="MY",
                job_title="Buyer",
            ),
            workshops=[workshops[code] for code in chosen],
            proven=True,
        ).registration
        codes[f"{first} {last}".strip()] = registration.checkin_code
    Registration.objects.filter(checkin_code=codes["Maria López"]).update(status="cancelled")
    Registration.objects.filter(checkin_code=codes["王芳"]).update(status="waitlisted")
    user = User.objects.create_user(
        email="desk@forumdesk.example", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    facts = {
        "session": client.cookies["sessionid"].value,
        "codes": codes,
        "workshops": {code: workshop.pk for code, workshop in workshops.items()},
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "facts.json").write_text(json.dumps(facts))
    badge_video(codes["Siti Rahman"], out / "qr.y4m")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
