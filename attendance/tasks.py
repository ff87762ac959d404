"""Attendance's background work: badges and certificates for many people. The work itself is
in attendance/services.py."""

from django_tasks import task

from attendance import services


@task()
def render_pdf_run(run_id: int) -> int:
    """Make a queued run's PDF (`services.pdf_run_render`). Returns how many pages or badges
    it holds."""
    return services.pdf_run_render(run_id=run_id).done
