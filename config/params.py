"""One strict way to read ids, codes, text and JSON from a request.

Python's own readers are too lenient for input from strangers: ``int("٣")`` is 3, ``"²".isdigit()``
is true while ``int("²")`` raises, and ``json.loads`` of a body nested 100,000 levels deep raises
``RecursionError``. Every view reads URL parts, query strings and JSON bodies through these
functions, and answers what they refuse with a 4xx, never a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest
from django.utils.translation import gettext as _

# Ids are 1 to 18 ASCII digits: anything longer overflows a 64-bit column.
_ID = re.compile(r"[0-9]{1,18}")
# A JSON body is small: a badge scan or an undo is a few hundred bytes.
JSON_MAX_BYTES = 16 * 1024
JSON_MAX_DEPTH = 8


class BadInput(ValueError):
    """A value from a request that the site refuses; the message says why, for a person."""


def read_id(value: object) -> int | None:
    """The id in ``value`` (1 to 18 ASCII digits, or an int that fits), or None for anything else:
    Unicode digits, signs, spaces, NUL bytes, floats, booleans."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**18 else None
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


def read_text(value: object, *, max_length: int, required: bool = True) -> str:
    """``value`` as text of at most ``max_length`` characters with no NUL byte and no lone
    surrogate, stripped; raises BadInput otherwise."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise BadInput(_("Expected a text."))
    value = value.strip()
    if required and not value:
        raise BadInput(_("This value is required."))
    if len(value) > max_length:
        raise BadInput(_("This value is longer than %(max)s characters.") % {"max": max_length})
    if "\x00" in value:
        raise BadInput(_("This value contains a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(_("This value is not valid text.")) from None
    return value


def _depth(body: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in body:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def read_json_object(request: HttpRequest) -> dict[str, Any]:
    """The request's body as a JSON object; raises BadInput for a body that is too large, too
    deeply nested, not UTF-8, not JSON, not an object, or carries a NUL character anywhere."""
    body = request.body
    if len(body) > JSON_MAX_BYTES:
        raise BadInput(
            _("The request body is larger than %(max)s bytes.") % {"max": JSON_MAX_BYTES}
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(_("The request body must be UTF-8.")) from None
    if _depth(text) > JSON_MAX_DEPTH:
        raise BadInput(_("The request body is nested too deeply."))
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        raise BadInput(_("The request body must be a JSON object.")) from None
    if not isinstance(payload, dict):
        raise BadInput(_("The request body must be a JSON object."))
    if "\x00" in json.dumps(payload, ensure_ascii=False):
        raise BadInput(_("The request body contains a NUL character."))
    return payload


def _body_fits_in_memory(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or length <= limit


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").upper():
        return True
    for name, given in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in given):
            return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        if _body_fits_in_memory(request):
            # Parsing the form reads the body's stream; read into memory first, a view that
            # reads request.body afterwards (a JSON endpoint sent a form) still can.
            request.body  # noqa: B018
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False


class RefuseNulMiddleware:
    """A NUL character anywhere in a request's path, query string or form fields is refused with
    400 before any view runs: no database can store it, and no person types it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _has_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no field accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
