"""Pages in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by
`make browser`; Playwright never downloads a browser of its own) against pytest-django's live
server, takes screenshots at a phone's and a desktop's size and runs axe-core on each page.

One browser and one tab serve the whole session. Playwright's synchronous API keeps an asyncio
loop running on the thread that started it, and Django refuses the ORM on a thread with a
running loop, so the browser lives on a thread of its own and every call to it is sent there
(`_Remote`): the tests' thread keeps the ORM.

Without Chromium or Playwright the tests skip, saying why; in CI (CI=true, or
FORUMDESK_BROWSER_TESTS=required) they fail instead, so that a missing browser cannot pass
unseen."""

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = (PHONE, DESKTOP)
# axe-core's impacts, from "minor" and "moderate" up; these two fail a test.
FAILING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000


def _browser_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("FORUMDESK_BROWSER_TESTS") == "required"
    )


def _unavailable(reason: str) -> None:
    if _browser_required():
        pytest.fail(f"{reason} (browser tests are required in CI)", pytrace=False)
    pytest.skip(reason)


class _Remote:
    """A Playwright object whose every attribute is read and every method called on the
    browser's thread; Playwright objects it returns come back wrapped the same way."""

    def __init__(self, run: Callable[..., Any], target: Any) -> None:
        self._run = run
        self._target = target

    def _wrap(self, value: Any) -> Any:
        if type(value).__module__.startswith("playwright."):
            return _Remote(self._run, value)
        return value

    def __getattr__(self, name: str) -> Any:
        value = self._run(getattr, self._target, name)
        if callable(value) and not isinstance(value, type):
            return lambda *args, **kwargs: self._wrap(self._run(value, *args, **kwargs))
        return self._wrap(value)


class _Browser:
    """Chromium on its own thread, with one context and one tab reused by every test."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self.run(self._start)

    def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name.startswith("playwright"):
            return function(*args, **kwargs)
        return self._thread.submit(function, *args, **kwargs).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"]
        )
        self._context = self._browser.new_context(viewport=DESKTOP, locale="en-GB")
        self._context.set_default_timeout(TIMEOUT_MS)
        self._page = self._context.new_page()

    def stop(self) -> None:
        def close() -> None:
            self._browser.close()
            self._playwright.stop()

        self.run(close)
        self._thread.shutdown()

    def fresh_tab(self) -> _Remote:
        """The tab, logged out, at desktop size, on an empty page."""

        def reset() -> None:
            self._context.clear_cookies()
            self._page.set_viewport_size(DESKTOP)
            self._page.goto("about:blank")

        self.run(reset)
        return _Remote(self.run, self._page)

    def add_cookie(self, *, name: str, value: str, url: str) -> None:
        self.run(self._context.add_cookies, [{"name": name, "value": value, "url": url}])


@pytest.fixture(scope="session")
def chromium() -> Iterator[_Browser]:
    """The session's browser."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        _unavailable(f"{error.name} is not installed: run `make install-dev`")
    browser = _Browser()
    yield browser
    browser.stop()


@pytest.fixture
def page(chromium, live_server, staff_require_mfa) -> _Remote:
    """The session's tab, logged out, at desktop size; staff pages ask for the second factor
    as in production. `page.goto(path)` takes a path on the live server and fails unless that
    very page answers 200."""
    tab = chromium.fresh_tab()
    base = live_server.url

    class Tab(_Remote):
        def goto(self, path: str, **kwargs: Any) -> Any:
            response = tab.goto(base + path, **kwargs)
            # Not sent elsewhere (to log in, or to set up the second factor) on the way.
            assert (tab.url, response.status) == (base + path, 200), f"GET {path}"
            return response

    return Tab(chromium.run, tab._target)


@pytest.fixture
def log_in(chromium, live_server) -> Callable[[Any], None]:
    """`log_in(user)`: the tab's session cookie becomes one of `user`'s sessions, made on the
    server as the test client's force_login makes them (no password, no login form). Staff
    users need their authenticator app (tests/conftest.py's `users` have it)."""

    def run(user: Any) -> None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        chromium.add_cookie(name=name, value=client.cookies[name].value, url=live_server.url)

    return run


def _screenshot_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shoot() -> Callable[[Any, str], list[Path]]:
    """`shoot(page, name)`: full-page screenshots at a phone's size and a desktop's, saved as
    var/screenshots/<name>-390.png and <name>-1280.png; the tab is left at desktop size. Fails,
    once both are saved, if the page is wider than the screen at either size (a page that
    scrolls sideways as a whole; a table may scroll inside its own box)."""

    def run(tab: Any, name: str) -> list[Path]:
        paths, too_wide = [], []
        for size in SIZES:
            tab.set_viewport_size(size)
            path = _screenshot_dir() / f"{name}-{size['width']}.png"
            tab.screenshot(path=str(path), full_page=True, animations="disabled")
            paths.append(path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                too_wide.append(f"{width}px wide on a {size['width']}px screen ({path.name})")
        assert too_wide == [], f"{name} scrolls sideways: " + "; ".join(too_wide)
        return paths

    return run


def _serious(tab: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = tab._run(Axe().run, tab._target)
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


@pytest.fixture
def axe() -> Callable[[Any], None]:
    """`axe(page)`: runs axe-core on the page at a phone's size and a desktop's and fails on
    any serious or critical violation, listing each with the elements it found."""

    def run(tab: Any) -> None:
        found = []
        for size in SIZES:
            tab.set_viewport_size(size)
            found += [f"{size['width']}px: {line}" for line in _serious(tab)]
        tab.set_viewport_size(DESKTOP)
        assert found == [], "axe found serious or critical violations:\n" + "\n".join(found)

    return run
