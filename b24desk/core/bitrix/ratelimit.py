"""Pacing requests to what the portal accepts, and backing off when it says no.

Bitrix24 meters each portal (per source IP) with a leaky bucket: every request adds one, the
bucket drains at a fixed rate, and a request that would overflow it is refused with HTTP 503
QUERY_LIMIT_EXCEEDED without running. We keep our own bucket of the same size and rate
(aiolimiter's AsyncLimiter is exactly that) so we wait before sending instead of being
refused. Separately, each method has a server-time budget; once spent, that method alone is
refused with 429 OPERATION_TIME_LIMIT until `operating_reset_at`.

All waits use the event loop's clock (`asyncio.sleep`, `loop.time()`); the wall clock is only
read to turn the portal's unix `operating_reset_at` into a delay, and is injectable.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

from b24desk.core.bitrix._log import redacted_logger
from b24desk.core.bitrix.budget import OperatingBudget, WaitKind

__all__ = [
    "ENTERPRISE",
    "STANDARD",
    "Pacer",
    "PacerStats",
    "RatePreset",
    "RetryPolicy",
    "backoff_delay",
    "preset_for_license",
    "seconds_until_reset",
]

logger = redacted_logger(__name__)


@dataclass(frozen=True, slots=True)
class RatePreset:
    """A leaky bucket: `burst` requests at once, refilled at `per_second`."""

    name: str
    burst: int
    per_second: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_second <= 0:
            raise ValueError("a rate preset needs a burst of at least 1 and a positive rate")

    @property
    def time_period(self) -> float:
        """Seconds for a full bucket to drain: aiolimiter's `time_period`."""
        return self.burst / self.per_second


STANDARD = RatePreset("standard", burst=50, per_second=2.0)
ENTERPRISE = RatePreset("enterprise", burst=250, per_second=5.0)

# `LICENSE` looks like "de_ent10000", "en_pro100", "ent250"; `LICENSE_FAMILY` like "ent".
_ENTERPRISE_LICENSE = re.compile(r"(?:^|_)ent", re.IGNORECASE)


def preset_for_license(license_code: str | None) -> RatePreset:
    """The bucket of a plan, from the licence `app.info` reports; unknown means standard."""
    if license_code and _ENTERPRISE_LICENSE.search(license_code.strip()):
        return ENTERPRISE
    return STANDARD


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to insist when the portal refuses or the network fails."""

    query_limit_retries: int = 6
    """Resends after 503 QUERY_LIMIT_EXCEEDED (the call did not run)."""
    backoff_base: float = 1.0
    backoff_factor: float = 2.0
    backoff_cap: float = 30.0
    operation_limit_retries: int = 3
    """Resends after 429 OPERATION_TIME_LIMIT, each after waiting for the reset."""
    operation_limit_fallback: float = 60.0
    """Wait when the portal gives no reset time: its buckets are one minute long."""
    operation_limit_cap: float = 600.0
    """Never wait longer than the 10-minute window, whatever a skewed clock says."""
    transport_retries: int = 2
    """Resends after a lost connection, only where resending is harmless."""

    def __post_init__(self) -> None:
        counts = (self.query_limit_retries, self.operation_limit_retries, self.transport_retries)
        if min(counts) < 0:
            raise ValueError("retry counts must not be negative")
        if self.backoff_base <= 0 or self.backoff_factor < 1 or self.backoff_cap <= 0:
            raise ValueError("backoff needs a positive base and cap and a factor of at least 1")


def backoff_delay(attempt: int, policy: RetryPolicy) -> float:
    """Seconds to wait before resend number `attempt` (1-based): base * factor^(n-1), capped."""
    if attempt < 1:
        raise ValueError("attempt numbers start at 1")
    exponent = min(attempt - 1, 64)  # keeps the power finite; the cap applies long before
    return float(min(policy.backoff_cap, policy.backoff_base * policy.backoff_factor**exponent))


def seconds_until_reset(reset_at: float | None, now: float, policy: RetryPolicy) -> float:
    """How long a method blocked by the operating-time limit stays blocked.

    A reset time already past (clock skew) still waits a little, so we do not hammer the
    portal; a missing one waits for one of the portal's one-minute buckets.
    """
    if reset_at is None:
        return policy.operation_limit_fallback
    return min(max(reset_at - now, 1.0), policy.operation_limit_cap)


@dataclass(slots=True)
class PacerStats:
    sent: int = 0
    query_limit_hits: int = 0
    operation_limit_hits: int = 0
    waited_seconds: float = 0.0


class Pacer:
    """The client's gatekeeper: per-method blocks first, then the shared leaky bucket."""

    def __init__(
        self,
        preset: RatePreset | None,
        *,
        policy: RetryPolicy | None = None,
        wall_clock: Callable[[], float],
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.stats = PacerStats()
        self._wall_clock = wall_clock
        self._blocked_until: dict[str, float] = {}  # method -> loop time
        self._preset: RatePreset | None = None
        self._limiter: AsyncLimiter | None = None
        self.preset = preset
        self.budget = OperatingBudget(wall_clock=wall_clock)
        """Per-method server time: measured, booked before sending, waits announced."""

    @property
    def preset(self) -> RatePreset | None:
        return self._preset

    @preset.setter
    def preset(self, preset: RatePreset | None) -> None:
        if preset == self._preset and (preset is None or self._limiter is not None):
            return
        self._preset = preset
        self._limiter = None if preset is None else AsyncLimiter(preset.burst, preset.time_period)

    async def before_send(self, methods: Iterable[str]) -> None:
        """Wait until none of `methods` is blocked and the bucket has room for one request."""
        names = tuple(methods)
        loop = asyncio.get_running_loop()
        while True:
            until = max((self._blocked_until.get(m, 0.0) for m in names), default=0.0)
            delay = until - loop.time()
            if delay <= 0:
                break
            blocked = max(names, key=lambda m: self._blocked_until.get(m, 0.0))
            await self._sleep(delay, WaitKind.OPERATING_LIMIT, blocked)
        if self._limiter is not None:
            started = loop.time()
            await self._limiter.acquire()
            self.stats.waited_seconds += loop.time() - started
        self.stats.sent += 1

    async def after_query_limit(self, attempt: int) -> None:
        """The portal's bucket was full (503): wait longer each time, then resend."""
        self.stats.query_limit_hits += 1
        delay = backoff_delay(attempt, self.policy)
        logger.info("portal request limit reached; retrying in %.1f s", delay)
        await self._sleep(delay, WaitKind.QUERY_LIMIT)

    def block_method(
        self, method: str, reset_at: float | None, operating: float | None = None
    ) -> float:
        """Hold back `method` (only) until the portal's reset time; returns the delay."""
        self.stats.operation_limit_hits += 1
        self.budget.blocked(method, reset_at, operating)
        delay = seconds_until_reset(reset_at, self._wall_clock(), self.policy)
        until = asyncio.get_running_loop().time() + delay
        self._blocked_until[method] = max(self._blocked_until.get(method, 0.0), until)
        logger.info("%s is blocked by its operating-time limit for %.0f s", method, delay)
        return delay

    def blocked_for(self, method: str) -> float:
        """Seconds `method` is still held back (0 when it may be sent)."""
        until = self._blocked_until.get(method, 0.0)
        return max(0.0, until - asyncio.get_running_loop().time())

    async def _sleep(self, delay: float, kind: WaitKind, method: str = "") -> None:
        self.stats.waited_seconds += delay
        await self.budget.sleep(kind, delay, method)
