"""Virtual time for the client's tests: waits of minutes take no wall time.

`VirtualTimeLoop`'s clock stands still while anything is ready to run and jumps to the next
timer when nothing is. aiolimiter, `asyncio.sleep` and the client all read `loop.time()`, so
pacing and back-off are exercised exactly, just without sleeping. Only for tests without real
sockets (mock transports). The `virtual_time` marker (tests/conftest.py) selects it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

WALL_EPOCH = 1_800_000_000.0
"""Unix time at virtual zero: wall clocks in these tests read WALL_EPOCH + loop.time()."""


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 0.0

    def time(self) -> float:
        return self._virtual_now

    def _run_once(self) -> None:
        ready: object = getattr(self, "_ready")  # noqa: B009 - private asyncio state
        scheduled: list[asyncio.TimerHandle] = getattr(self, "_scheduled")  # noqa: B009
        if not ready and scheduled:
            pending = [h.when() for h in scheduled if not h.cancelled()]
            if pending:
                self._virtual_now = max(self._virtual_now, min(pending))
        super()._run_once()  # type: ignore[misc]


def wall_clock(loop: asyncio.AbstractEventLoop) -> Callable[[], float]:
    """A unix clock that moves with `loop`'s (virtual) time."""
    return lambda: WALL_EPOCH + loop.time()
