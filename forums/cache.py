"""The public pages (the home page and the forum pages) as rendered for a visitor who is not
logged in, kept in the shared cache per language and thrown away when what they show changes.

A page is kept with the versions of what it shows, read *before* the database is:
- "all": anything the home page or several forum pages show (forums, sponsors, organisations,
  people), set anew on every such change;
- the forum's own, under its slug: its seats, workshops, agenda and supporters, set anew on
  every change to those. A change knows the forum's id, not its slug: the slug is recorded
  under the id with the "all" version it was read with (a slug changes only with the forum,
  which sets "all" anew), and read from the database when that record is missing or older.

Every change sets the version after its transaction has committed, so a page rendered from
older rows is never served again. Pages also change with the clock (registration opens or
closes, a forum ends): a page is kept until the next such moment, and never longer than
PAGE_SECONDS.

Only pages for visitors without a session or messages cookie and without a query string are
kept: they hold nothing personal. The CSRF token of the language switcher is rendered as a
placeholder and filled in for each request. With PUBLIC_PAGE_CACHE off, nothing is kept."""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

from forums.models import Forum

# The longest a page is kept, changed or not: a bound on how long a change made without a
# signal (a queryset update that forgot forum_page_changed) can go unseen.
PAGE_SECONDS = 60

ALL = "forums:pages:all"


def _forum_version_key(slug: str) -> str:
    return f"forums:pages:forum:{slug}"


def _slug_key(forum_id: int) -> str:
    return f"forums:pages:slug-of:{forum_id}"


def _page_key(name: str, language: str) -> str:
    return f"forums:page:{name}:{language}"


def _new_version() -> str:
    return secrets.token_hex(8)


# --- changes -------------------------------------------------------------------------------------


def public_pages_changed() -> None:
    """Every public page is rendered anew once the current transaction commits (at once outside
    a transaction)."""
    transaction.on_commit(_set_all)


def forum_page_changed(*, forum_id: int) -> None:
    """The forum's page (its seats, workshops, agenda, supporters) is rendered anew once the
    current transaction commits (at once outside a transaction). Every use case that takes or
    frees seats locks the forum through registrations.seats.lock_forum, which calls it."""
    transaction.on_commit(partial(_set_forum, forum_id))


def _set_all() -> None:
    cache.set(ALL, _new_version(), timeout=None)


def _set_forum(forum_id: int) -> None:
    found = cache.get_many([ALL, _slug_key(forum_id)])
    version = found.get(ALL)
    recorded = found.get(_slug_key(forum_id))
    if version is None:
        # No page is kept without this version; setting it stops a page being rendered now
        # from being kept with a first one.
        _set_all()
        return
    if recorded is not None and recorded[0] == version:
        slug = recorded[1]
    else:
        slug = Forum.objects.filter(pk=forum_id).values_list("slug", flat=True).first()
        if slug is None:
            _set_all()
            return
        cache.set(_slug_key(forum_id), (version, slug), timeout=None)
    cache.set(_forum_version_key(slug), _new_version(), timeout=None)


def _forum_saved(forum_id: int, slug: str) -> None:
    version = _new_version()
    cache.set_many({ALL: version, _slug_key(forum_id): (version, slug)}, timeout=None)


def _on_forum_saved(sender, instance: Forum, **kwargs) -> None:
    transaction.on_commit(partial(_forum_saved, instance.pk, instance.slug))


def _on_shown_everywhere(sender, **kwargs) -> None:
    public_pages_changed()


def _on_named_saved(sender, created: bool, **kwargs) -> None:
    # A new person or organisation is on no page until it is linked to one (a sponsorship, a
    # talk, a workshop), and that link is a change of its own. Registrations create both.
    if not created:
        public_pages_changed()


class _PartOfForum(Protocol):
    """A row shown on one forum's page (an agenda item, a sponsorship, a workshop)."""

    forum_id: int


def _on_part_of_forum(sender, instance: _PartOfForum, **kwargs) -> None:
    forum_page_changed(forum_id=instance.forum_id)


def _on_links_changed(sender, instance: Model, action: str, reverse: bool, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse or not hasattr(instance, "forum_id"):
        public_pages_changed()
    else:
        forum_page_changed(forum_id=instance.forum_id)


def _on_forum_links_changed(sender, instance: Model, action: str, reverse: bool, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        if reverse:
            public_pages_changed()
        else:
            forum_page_changed(forum_id=instance.pk)


def connect_part_of_forum(model: type[Model]) -> None:
    """Render the forum's page anew whenever a row of `model` (which has a `forum_id`) is saved
    or deleted."""
    receiver = _on_part_of_forum
    uid = f"forums.cache:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:delete")


def connect_links_of_forum_part(through: type[Model]) -> None:
    """Render the forum's page anew when links through `through` (a many-to-many table from a
    model with a `forum_id`) are added or removed."""
    m2m_changed.connect(
        _on_links_changed, sender=through, dispatch_uid=f"forums.cache:{through._meta.label}"
    )


def connect_receivers() -> None:
    """The forums app's own models; other apps connect theirs with connect_part_of_forum."""
    from forums.models import AgendaItem, Organisation, Person, Sponsorship

    post_save.connect(_on_forum_saved, sender=Forum, dispatch_uid="forums.cache:forum:save")
    post_delete.connect(
        _on_shown_everywhere, sender=Forum, dispatch_uid="forums.cache:forum:delete"
    )
    for model in [Organisation, Person]:
        label = model._meta.label
        post_save.connect(_on_named_saved, sender=model, dispatch_uid=f"forums.cache:{label}:save")
        post_delete.connect(
            _on_shown_everywhere, sender=model, dispatch_uid=f"forums.cache:{label}:delete"
        )
    post_save.connect(
        _on_shown_everywhere, sender=Sponsorship, dispatch_uid="forums.cache:sponsorship:save"
    )
    post_delete.connect(
        _on_shown_everywhere, sender=Sponsorship, dispatch_uid="forums.cache:sponsorship:delete"
    )
    connect_part_of_forum(AgendaItem)
    connect_links_of_forum_part(AgendaItem.speakers.through)
    connect_links_of_forum_part(AgendaItem.presenting_organisations.through)
    m2m_changed.connect(
        _on_forum_links_changed,
        sender=Forum.supporters.through,
        dispatch_uid="forums.cache:forum-supporters",
    )


# --- pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A page as its view rendered it."""

    response: HttpResponse
    # The forum whose page this is: its own version is kept under its slug.
    forum: Forum | None = None
    # When the page changes by the clock alone (registration opens, closes, the forum ends).
    changes_at: datetime | None = None


def forum_changes_at(forum: Forum, now: datetime) -> datetime | None:
    """The next moment the forum's page changes by the clock alone."""
    moments = [forum.registration_opens_at, forum.registration_closes_at, forum.ends_at]
    return min((moment for moment in moments if moment and moment > now), default=None)


def _keepable(request: HttpRequest) -> bool:
    return not (
        request.GET
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def _with_token(request: HttpRequest, response: HttpResponse, html: bytes, marker: str) -> None:
    response.content = html.replace(marker.encode(), get_token(request).encode())
    patch_vary_headers(response, ["Cookie"])


def public_page(
    request: HttpRequest,
    *,
    name: str,
    slug: str | None = None,
    render: Callable[[dict], Rendered],
) -> HttpResponse:
    """The page `name` (for a forum's page, of the forum at `slug`), from the cache if it holds
    it at the current versions, else from `render`, called with the context to add to the
    template's. Stores what it rendered, if it may be kept."""
    if not (settings.PUBLIC_PAGE_CACHE and _keepable(request)):
        return render({}).response
    key = _page_key(name, translation.get_language() or settings.LANGUAGE_CODE)
    version_keys = [ALL] if slug is None else [ALL, _forum_version_key(slug)]
    found = cache.get_many([*version_keys, key])
    versions = tuple(found.get(version_key) for version_key in version_keys)
    kept = found.get(key)
    if (
        kept
        and None not in versions
        and kept["versions"] == versions
        and time.time() < kept["until"]
    ):
        response = HttpResponse()
        _with_token(request, response, kept["html"], kept["marker"])
        return response

    marker = secrets.token_urlsafe(24)
    rendered = render({"csrf_token": marker})
    response = rendered.response
    html = response.content
    _with_token(request, response, html, marker)
    if response.status_code != 200:
        return response
    until = time.time() + PAGE_SECONDS
    if rendered.changes_at is not None:
        until = min(until, rendered.changes_at.timestamp())
    if until - time.time() < 1:
        return response
    versions = tuple(
        version if version is not None else _establish(version_key)
        for version_key, version in zip(version_keys, versions, strict=True)
    )
    if None in versions:
        return response  # changed while rendering
    if rendered.forum is not None:
        cache.set(_slug_key(rendered.forum.pk), (versions[0], rendered.forum.slug), timeout=None)
    cache.set(
        key,
        {"versions": versions, "html": html, "marker": marker, "until": until},
        timeout=int(until - time.time()),
    )
    return response


def _establish(version_key: str) -> str | None:
    """A first version for a page rendered without one; None if a change set one meanwhile."""
    version = _new_version()
    return version if cache.add(version_key, version, timeout=None) else None
