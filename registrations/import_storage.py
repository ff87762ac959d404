"""Where an uploaded attendance list waits between its preview and its confirmation.

The confirmation form posts the file's name back. django-import-export's temporary-folder storage
opens whatever name it is given (an absolute path included) and deletes it afterwards; this one
names the file itself, a random 32-hex-digit name in its own directory, and refuses any other
name with ImportUploadGone."""

import contextlib
import os
import re
import tempfile
from pathlib import Path
from uuid import uuid4

from import_export.tmp_storages import TempFolderStorage

UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")


class ImportUploadGone(Exception):
    """The name is not one this storage gave, or its file is no longer there."""


def upload_directory() -> Path:
    directory = Path(tempfile.gettempdir()) / "forumdesk-imports"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


class ImportUploadStorage(TempFolderStorage):
    def get_full_path(self) -> str:
        if not self.name:
            self.name = uuid4().hex
        if not isinstance(self.name, str) or not UPLOAD_NAME.fullmatch(self.name):
            raise ImportUploadGone
        return str(upload_directory() / self.name)

    def save(self, data) -> None:
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        with open(self.get_full_path(), "wb") as file:
            file.write(data)

    def _open(self, mode="r"):
        try:
            return open(self.get_full_path(), mode, encoding=self.encoding)
        except FileNotFoundError as gone:
            raise ImportUploadGone from gone

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.get_full_path())
