"""What each method costs the portal, and how much of its operating-time budget is left.

A real portal spends server time on every call (`time.processing` in each answer) and meters
it per method and per webhook or application: over a 10-minute window that starts at the
method's first call, calls of more than 0.1 s are summed, and once the sum is strictly over
the plan's limit (480 s in the docs' example) the method is refused with 429
OPERATION_TIME_LIMIT until `operating_reset_at`. Every answer says where the method stands
(`time.operating`, `time.operating_reset_at`).

`OperatingBudget` keeps those figures per method, learns how long one call of each method
takes, and lets a caller *reserve* the time a request will spend before sending it: when the
request would push the method over the limit, the caller waits for the window to reset
instead of being refused part-way through a batch.

The portal keeps the time in one-minute buckets, each opened by a call and dropped ten
minutes later; `operating_reset_at` is when the *oldest* drops, not when the sum goes back
to zero. So the budget also keeps its own calls in such buckets (from each answer's `time`):
once the portal's reset moment has passed, what is still in the window is what its later
buckets hold, not nothing. (Taking it for nothing, a run that spread its work over several
minutes sent a full window's worth at once and was refused part-way.)

Waits are announced (`Wait`) so that a window or a terminal can say "continuing at 10:32"
instead of looking stalled.

It uses the event loop's clock for waiting and the injectable wall clock only to turn the
portal's unix reset time into a delay.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from b24desk.core.bitrix._log import redacted_logger

__all__ = [
    "DEFAULT_CALL_S",
    "DEFAULT_LIMIT_S",
    "OperatingBudget",
    "Wait",
    "WaitKind",
    "WaitObserver",
]

logger = redacted_logger(__name__)

DEFAULT_LIMIT_S = 480.0
"""Seconds of recorded time per method per 10 minutes (the docs' example for cloud plans)."""
WINDOW_S = 600.0
"""A method's window: ten minutes, each minute's bucket dropped when it is that old (a
sandbox that runs faster has a shorter one, learned from its answers)."""
BUCKETS_PER_WINDOW = 10
UNRECORDED_S = 0.1
"""Calls this short are not recorded against the budget."""
DEFAULT_CALL_S: Mapping[str, float] = {
    # The docs' own examples (`time.processing`); other methods count as cheap until measured.
    "tasks.task.renew": 0.45,
    "task.item.renew": 0.45,
    "tasks.task.complete": 0.45,
    "task.item.complete": 0.45,
    "tasks.task.list": 0.35,
    "tasks.task.get": 0.16,
    "tasks.task.update": 0.73,
    "tasks.task.approve": 0.93,
    "tasks.task.disapprove": 0.93,
}
_CHEAP_S = 0.04
_SMOOTHING = 0.3
"""Weight of the newest measurement in a method's running average."""
MIN_ANNOUNCED_WAIT_S = 1.0
"""Shorter waits are not worth a message."""


class WaitKind(enum.StrEnum):
    OPERATING_LIMIT = "operating_limit"
    """The method's operating-time budget is spent until its window resets."""
    QUERY_LIMIT = "query_limit"
    """The portal's request bucket is full (503): backing off."""
    NETWORK = "network"
    """A request failed on the way; resending after a pause."""


@dataclass(frozen=True, slots=True)
class Wait:
    """The client is about to wait `seconds` (until `until`, unix time) before going on."""

    kind: WaitKind
    seconds: float
    until: float
    method: str = ""
    limit_s: float = DEFAULT_LIMIT_S
    """The budget the portal allows per 10 minutes (for OPERATING_LIMIT)."""


WaitObserver = Callable[[Wait], None]


@dataclass(slots=True)
class _MethodState:
    operating: float = 0.0
    reset_at: float | None = None
    """Unix time when the method's window ends (the portal's `operating_reset_at`)."""
    reserved: float = 0.0
    """Recorded time of requests sent and not answered yet."""
    call_s: float | None = None
    """Measured seconds one call takes (running average), None until measured."""
    buckets: list[list[float]] = field(default_factory=list)
    """Our own recorded calls as the portal keeps them: [opened at, seconds] a minute, by
    the portal's clock, oldest first."""


class OperatingBudget:
    """Per-method operating time: observed from answers, reserved before sending."""

    def __init__(
        self,
        *,
        limit_s: float = DEFAULT_LIMIT_S,
        wall_clock: Callable[[], float],
        margin_s: float = 10.0,
    ) -> None:
        if limit_s <= 0:
            raise ValueError("the operating-time limit must be positive")
        self.limit_s = limit_s
        self.margin_s = margin_s
        """Kept unspent: estimates are estimates."""
        self._wall_clock = wall_clock
        self._window_s: float | None = None
        """The window as the portal's answers show it (None: none seen yet)."""
        self._methods: dict[str, _MethodState] = {}
        self._observers: list[WaitObserver] = []

    # --- what the portal says ------------------------------------------------------------

    def observe(self, method: str, time: Mapping[str, Any] | None) -> None:
        """Take in one answer's `time` object for `method` (a single call or a sub-call)."""
        if not time:
            return
        state = self._state(method)
        processing = _number(time.get("processing"))
        if processing is None:
            processing = _number(time.get("duration"))
        if processing is not None and processing >= 0:
            state.call_s = (
                processing
                if state.call_s is None
                else (1 - _SMOOTHING) * state.call_s + _SMOOTHING * processing
            )
        operating = _number(time.get("operating"))
        reset_at = _number(time.get("operating_reset_at"))
        start = _number(time.get("start"))
        if start is not None and reset_at is not None and reset_at > start:
            # A call that opens a window is told "start + the window"; later calls less.
            self._window_s = max(self._window_s or 0.0, reset_at - start)
        if processing is not None and processing > UNRECORDED_S:
            # A sped-up sandbox reports server time in a real portal's seconds on a faster
            # clock: its window's length says by how much.
            pace = self.window_s / WINDOW_S
            at = start + processing * pace if start is not None else self._wall_clock()
            _record(state.buckets, at, processing, self.window_s / BUCKETS_PER_WINDOW)
        if operating is None:
            return
        if reset_at is not None and reset_at != state.reset_at:
            if state.reset_at is None or reset_at > state.reset_at:
                # a newer window (or the first news of this one)
                state.reset_at, state.operating = reset_at, operating
            return
        state.operating = max(state.operating, operating)

    def blocked(self, method: str, reset_at: float | None, operating: float | None) -> None:
        """The portal refused `method` (429): it is over the limit until `reset_at`."""
        state = self._state(method)
        if operating is not None and 0 < operating < self.limit_s:
            # The plan's limit is lower than we assumed: learn it.
            self.limit_s = max(operating, 1.0)
        state.operating = max(state.operating, self.limit_s)
        if reset_at is not None:
            state.reset_at = reset_at

    @property
    def window_s(self) -> float:
        """How long the portal keeps a method's time: ten minutes unless it showed less."""
        return self._window_s or WINDOW_S

    def call_seconds(self, method: str) -> float:
        """How long one call of `method` takes the portal (measured, else the docs' figure)."""
        state = self._methods.get(method)
        if state is not None and state.call_s is not None:
            return state.call_s
        return DEFAULT_CALL_S.get(method, _CHEAP_S)

    def measured(self, method: str) -> bool:
        state = self._methods.get(method)
        return state is not None and state.call_s is not None

    def recorded_cost(self, method: str, calls: int) -> float:
        """What `calls` calls of `method` add to its operating time."""
        each = self.call_seconds(method)
        return 0.0 if each <= UNRECORDED_S else each * calls

    def used(self, method: str) -> float:
        """Recorded plus reserved time of `method` in its current window."""
        state = self._methods.get(method)
        if state is None:
            return 0.0
        now = self._wall_clock()
        window = self.window_s
        state.buckets = [b for b in state.buckets if b[0] + window > now]
        own = sum(b[1] for b in state.buckets)
        if state.reset_at is not None and now >= state.reset_at:
            # The oldest bucket has dropped; our later ones are still counted.
            state.operating = own
            state.reset_at = state.buckets[0][0] + window if state.buckets else None
        return max(state.operating, own) + state.reserved

    def seconds_to_reset(self, method: str) -> float:
        state = self._methods.get(method)
        if state is None or state.reset_at is None:
            return 0.0
        return max(0.0, state.reset_at - self._wall_clock())

    # --- before and after sending --------------------------------------------------------

    def delay_for(self, costs: Mapping[str, float]) -> tuple[float, str]:
        """(seconds to wait, the method that binds) before `costs` fit in their windows.

        A cost larger than a whole budget fits an empty window (it will be refused part-way;
        the caller's batch size is the place to prevent that). When only our own bookings
        fill the window, the wait is a second: their answers will say where we stand.
        """
        worst, binding = 0.0, ""
        for method, cost in costs.items():
            used = self.used(method)
            if cost <= 0 or used <= 0 or used + cost <= self.limit_s - self.margin_s:
                continue
            delay = max(self.seconds_to_reset(method), 1.0)
            if delay > worst:
                worst, binding = delay, method
        return worst, binding

    async def reserve(self, costs: Mapping[str, float]) -> None:
        """Wait until each method has room for its cost in this window, then book it."""
        while True:
            delay, method = self.delay_for(costs)
            if delay <= 0:
                break
            await self.sleep(WaitKind.OPERATING_LIMIT, delay, method)
        for method, cost in costs.items():
            self._state(method).reserved += cost

    def seconds_for(self, method: str, calls: int, parallel: int, per_request: int) -> float:
        """A rough time for `calls` more calls of `method`: side by side in requests of
        `per_request`, `parallel` at a time, and no faster than the budget lets them."""
        if calls <= 0:
            return 0.0
        each = self.call_seconds(method)
        requests = -(-calls // max(1, per_request))
        waves = -(-requests // max(1, parallel))
        working = waves * min(calls, per_request) * each
        cost = self.recorded_cost(method, calls)
        room = max(0.0, self.limit_s - self.margin_s - self.used(method))
        if cost <= room:
            return working
        windows = -(-(cost - room) // (self.limit_s - self.margin_s))
        return self.seconds_to_reset(method) + (windows - 1) * self.window_s + working / windows

    def release(self, costs: Mapping[str, float]) -> None:
        for method, cost in costs.items():
            state = self._state(method)
            state.reserved = max(0.0, state.reserved - cost)

    # --- waiting, announced ----------------------------------------------------------------

    @contextmanager
    def watching(self, observer: WaitObserver) -> Iterator[None]:
        """Tell `observer` about every announced wait while the block runs."""
        self._observers.append(observer)
        try:
            yield
        finally:
            self._observers.remove(observer)

    def announce(self, kind: WaitKind, seconds: float, method: str = "") -> None:
        if seconds < MIN_ANNOUNCED_WAIT_S:
            return
        wait = Wait(kind, seconds, self._wall_clock() + seconds, method, self.limit_s)
        logger.info("waiting %.0f s (%s %s)", seconds, kind.value, method)
        for observer in list(self._observers):
            try:
                observer(wait)
            except Exception:  # an observer's bug must not stop the run
                logger.exception("a wait observer failed")

    async def sleep(self, kind: WaitKind, seconds: float, method: str = "") -> None:
        self.announce(kind, seconds, method)
        await asyncio.sleep(seconds)

    def _state(self, method: str) -> _MethodState:
        state = self._methods.get(method)
        if state is None:
            state = self._methods[method] = _MethodState()
        return state


def _record(buckets: list[list[float]], at: float, seconds: float, bucket_s: float) -> None:
    """Add a call recorded at `at` to the bucket it falls in, or open one there."""
    for bucket in buckets:
        if bucket[0] <= at < bucket[0] + bucket_s:
            bucket[1] += seconds
            return
    buckets.append([at, seconds])
    buckets.sort()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
