"""What the import commands share (`import_registrations`, and feedback's `import_feedback`):
reading the file named on the command line, and reporting a refused import."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError, OutputWrapper

from registrations.imports import ImportRefused
from registrations.spreadsheets import Limits, SpreadsheetError, Table, check_size, read_table


def table_from_file(file: str) -> Table:
    """The first sheet of the CSV or XLSX file at `file`, within the upload limits; a
    CommandError that says what is wrong otherwise."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"{file}: no such file.")
    max_bytes = settings.MAX_UPLOAD_BYTES
    try:
        # The size is checked before the file is opened, and no more than the limit (and one
        # byte to tell) is read, should the file grow in between.
        check_size(path.stat().st_size, max_bytes)
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
        return read_table(
            data, filename=path.name, max_bytes=max_bytes, limits=Limits.from_settings()
        )
    except SpreadsheetError as error:
        raise CommandError(f"{path.name}: {error}") from error


def refused(error: ImportRefused, stderr: OutputWrapper) -> CommandError:
    """Write each problem of a refused import to `stderr`; the CommandError to raise."""
    for problem in error.errors:
        stderr.write(str(problem))
    return CommandError(
        f"{len(error.errors)} problem(s) found; nothing was imported. "
        "Correct the file and run the command again."
    )
