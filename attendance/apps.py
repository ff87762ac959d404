from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from attendance.services import on_attendance_imported
        from registrations.signals import attendance_imported

        # An imported "attended: yes" is a check-in like any other.
        attendance_imported.connect(on_attendance_imported, dispatch_uid="attendance_import")
