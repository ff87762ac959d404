"""Which kinds of e-mail exist, and who renders them.

The outbox knows no other app. Each app that sends mail declares its kinds as a TextChoices in
its enums.py and registers them in its AppConfig.ready(), with the function that renders a
message of those kinds from the parameters stored when it was queued:

    email_kinds_register(RegistrationEmailKind, renderer=registration_email_render)

A kind registered without a renderer can only be stored already rendered
(`outgoing_email_create`); one with a renderer can be queued as a small row and rendered by the
worker right before its first send (`outgoing_email_queue`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise

if TYPE_CHECKING:
    from outbox.models import OutgoingEmail


@dataclass(frozen=True)
class RenderedEmail:
    """What a renderer gives back: the message as it will be sent, every retry alike."""

    subject: str
    body_text: str
    body_html: str = ""
    # Calendar objects to attach: METHOD:REQUEST, and METHOD:CANCEL for events to drop.
    ics: str = ""
    ics_cancel: str = ""


Renderer = Callable[["OutgoingEmail"], RenderedEmail]


@dataclass(frozen=True)
class _Kind:
    label: str | Promise
    declared_by: type[models.TextChoices]
    renderer: Renderer | None


_KINDS: dict[str, _Kind] = {}


class KindNotRegistered(LookupError):
    """No app has registered this kind of e-mail (or a renderer for it)."""


def email_kinds_register(
    kinds: type[models.TextChoices], *, renderer: Renderer | None = None
) -> None:
    """Declare an app's kinds of e-mail and, optionally, the function that renders them.

    Side effects: adds the kinds to this process's registry (registering the same TextChoices
    again replaces its renderer). Raises ImproperlyConfigured if another TextChoices already
    declared one of the values."""
    for kind in kinds:
        known = _KINDS.get(kind.value)
        if known is not None and known.declared_by is not kinds:
            raise ImproperlyConfigured(
                f"E-mail kind {kind.value!r} of {kinds.__qualname__} is already declared by "
                f"{known.declared_by.__qualname__}; give it another value."
            )
    for kind in kinds:
        _KINDS[kind.value] = _Kind(label=kind.label, declared_by=kinds, renderer=renderer)


def email_kind_choices() -> list[tuple[str, str | Promise]]:
    """Every registered kind as (value, label): the choices of OutgoingEmail.kind."""
    return [(value, kind.label) for value, kind in _KINDS.items()]


def email_kind_check(kind: str, *, rendered_later: bool) -> None:
    """Raise KindNotRegistered unless the kind is registered (with a renderer, if the message is
    to be rendered later)."""
    value = str(kind)
    known = _KINDS.get(value)
    if known is None:
        raise KindNotRegistered(f"No app has registered the e-mail kind {value!r}.")
    if rendered_later and known.renderer is None:
        raise KindNotRegistered(
            f"E-mails of kind {value!r} are stored rendered: {known.declared_by.__qualname__} "
            "was registered without a renderer."
        )


def email_renderer(kind: str) -> Renderer:
    """The function that renders e-mails of this kind."""
    email_kind_check(kind, rendered_later=True)
    renderer = _KINDS[str(kind)].renderer
    assert renderer is not None
    return renderer
