"""The two cloud limits (brief section 4), driven by the injected clock.

Leaky bucket: every HTTP request adds 1, the level drains at `drain_per_s`; a request that
would lift the level above `burst` is rejected (503 QUERY_LIMIT_EXCEEDED) and adds nothing.

Operating time (brief 12.3, rest `loadlimiter.php`): per credential and method, the server
time of each call longer than 0.1 s is kept in one-minute buckets that live ten minutes (the
sliding 10-minute window, opened by the first call). Once a method's sum is strictly greater
than the budget, further calls of that method get 429 OPERATION_TIME_LIMIT until the oldest
bucket drops out (`operating_reset_at`). Recorded times are portal seconds; the window's
length on the clock is scaled with the portal's time scale, so a sped-up portal keeps the
ratio of budget to window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

BUCKET_S = 60
WINDOW_BUCKETS = 10
WINDOW_S = BUCKET_S * WINDOW_BUCKETS


class LeakyBucket:
    def __init__(self, burst: int, drain_per_s: float, *, enabled: bool = True) -> None:
        self.burst = burst
        self.drain_per_s = drain_per_s
        self.enabled = enabled
        self.level = 0.0
        self._updated_at: float | None = None

    def _drain(self, now: float) -> None:
        if self._updated_at is not None and now > self._updated_at:
            self.level = max(0.0, self.level - (now - self._updated_at) * self.drain_per_s)
        if self._updated_at is None or now > self._updated_at:
            self._updated_at = now

    def admit(self, now: float) -> bool:
        """Count one request; False (and nothing counted) when it overflows the bucket."""
        if not self.enabled:
            return True
        self._drain(now)
        if self.level + 1 > self.burst + 1e-9:
            return False
        self.level += 1
        return True


@dataclass
class _Bucket:
    first_use: float
    seconds: float = 0.0


@dataclass
class _MethodMeter:
    buckets: list[_Bucket] = field(default_factory=list)

    def live(self, now: float, window_s: float) -> list[_Bucket]:
        self.buckets = [b for b in self.buckets if b.first_use + window_s > now]
        return self.buckets


@dataclass(frozen=True)
class OperatingState:
    operating: float
    reset_at: float  # an int on an unscaled portal


class OperatingTimeMeter:
    """Buckets start at their first call, not on wall-clock minutes: the doc examples show
    `operating_reset_at` = the first call's second + 600, never a whole minute."""

    def __init__(
        self,
        budget_s: float,
        *,
        enabled: bool = True,
        min_recorded_s: float = 0.0,
        window_scale: float = 1.0,
    ) -> None:
        self.budget_s = budget_s
        self.enabled = enabled
        self.min_recorded_s = min_recorded_s
        self.window_scale = window_scale
        self.bucket_s = BUCKET_S * window_scale
        self.window_s = WINDOW_S * window_scale
        self._meters: dict[tuple[str, str], _MethodMeter] = {}

    def _meter(self, principal: str, method: str) -> _MethodMeter:
        return self._meters.setdefault((principal, method), _MethodMeter())

    def state(self, principal: str, method: str, now: float) -> OperatingState:
        live = self._meter(principal, method).live(now, self.window_s)
        total = sum(b.seconds for b in live)
        # With nothing spent, reset_at is simply "now + 10 minutes" (doc examples).
        oldest = min((b.first_use for b in live), default=now)
        return OperatingState(operating=total, reset_at=self._reset_at(oldest))

    def _reset_at(self, first_use: float) -> float:
        if self.window_scale == 1.0:
            return int(first_use) + WINDOW_S  # whole seconds, as the server prints it
        # A shrunk window is too short for whole seconds; never name a moment too early.
        return math.ceil((first_use + self.window_s) * 1000) / 1000

    def blocked(self, principal: str, method: str, now: float) -> bool:
        """Strictly over the budget: a sum of exactly the budget still passes."""
        if not self.enabled:
            return False
        return self.state(principal, method, now).operating > self.budget_s + 1e-9

    def charge(self, principal: str, method: str, now: float, seconds: float) -> None:
        if seconds <= self.min_recorded_s:
            return  # short calls are not recorded at all
        meter = self._meter(principal, method)
        live = meter.live(now, self.window_s)
        if live and now < live[-1].first_use + self.bucket_s:
            live[-1].seconds += seconds
        else:
            meter.buckets.append(_Bucket(first_use=now, seconds=seconds))
