from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from attendance.selectors import has_attended
        from attendance.services import on_attendance_imported
        from registrations.exports import attended_condition_set
        from registrations.signals import attendance_imported

        # An imported "attended: yes" is a check-in like any other.
        attendance_imported.connect(on_attendance_imported, dispatch_uid="attendance_import")
        # The registration export's "attended" column says what every other surface says.
        attended_condition_set(has_attended)
