"""Work run in real threads at the same moment, each with its own database connection: for the
tests of what two devices, workers or runs do at once."""

import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

JOIN_TIMEOUT = 60  # seconds for all threads together; a hang fails instead of blocking CI


def at_once(
    work: Callable[[Any], Any], items: Sequence[Any], *, timeout: float = JOIN_TIMEOUT
) -> tuple[list[Any], list[str]]:
    """Call work(item) for each item, each in its own thread, all released together by a
    barrier; each thread closes its database connection when done. Returns what the calls
    returned, in the order they finished, and the tracebacks of those that raised. Fails if a
    thread is still running after `timeout` seconds."""
    barrier = threading.Barrier(len(items), timeout=timeout)
    results: list[Any] = []
    errors: list[str] = []

    def run(item: Any) -> None:
        try:
            barrier.wait()
            results.append(work(item))
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,), daemon=True) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert [thread.name for thread in threads if thread.is_alive()] == []
    return results, errors
