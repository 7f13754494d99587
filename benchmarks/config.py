"""What a benchmark run measures: the sizes, the portal's settings and the scenarios."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, get_args

Action = Literal["list", "renew"]
Tool = Literal["b24desk", "fast_bitrix24", "b24pysdk", "per-task"]
LimitsMode = Literal["standard", "enterprise", "off"]


@dataclass(frozen=True)
class Settings:
    """Sizes and portal settings shared by every scenario of one run."""

    seed: int = 7
    latency_ms: float = 20.0
    limits: LimitsMode = "standard"
    list_tasks: int = 10_000
    renew_tasks: int = 1_000
    blocked_every: int = 50
    """In the `renew-blocked` scenarios, one task in this many cannot be renewed."""
    retry_pause_s: float = 1.0
    """How long the one-call-per-task script sleeps after a 503 before trying again."""
    worker_timeout_s: float = 1800.0
    time_scale: float = 0.0
    """The sandbox's server time as wall time: 0 answers at once; 1 is a real portal's pace
    (renew 0.45 s, list 0.35 s, get 0.16 s per call, batch sub-calls one after another,
    the 60 s gateway cut, the operating budget); 0.1 the same ten times faster."""
    method_cost_s: tuple[tuple[str, float], ...] = ()
    """Server seconds per call for some methods (e.g. a slow portal's 1.5 s renews)."""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("invalid benchmark settings: " + "; ".join(problems))

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.list_tasks < 1:
            found.append(f"list_tasks must be at least 1, got {self.list_tasks}")
        if self.renew_tasks < 1:
            found.append(f"renew_tasks must be at least 1, got {self.renew_tasks}")
        if self.blocked_every < 2:
            found.append(f"blocked_every must be at least 2, got {self.blocked_every}")
        if self.latency_ms < 0:
            found.append(f"latency_ms must not be negative, got {self.latency_ms}")
        if self.retry_pause_s <= 0:
            found.append(f"retry_pause_s must be positive, got {self.retry_pause_s}")
        if self.worker_timeout_s <= 0:
            found.append(f"worker_timeout_s must be positive, got {self.worker_timeout_s}")
        if not 0 <= self.time_scale <= 10:
            found.append(f"time_scale must be within 0..10, got {self.time_scale}")
        if any(seconds < 0 for _, seconds in self.method_cost_s):
            found.append("method costs must not be negative")
        if self.limits not in get_args(LimitsMode):
            choices = ", ".join(get_args(LimitsMode))
            found.append(f"limits must be one of {choices}, got {self.limits!r}")
        return found

    def blocked_positions(self) -> list[int]:
        """Where the unrenewable tasks sit in the renew list: mid-way through each 50."""
        offset = self.blocked_every // 2
        return [i for i in range(self.renew_tasks) if i % self.blocked_every == offset]


FULL = Settings()
QUICK = Settings(list_tasks=500, renew_tasks=100)
REALISTIC_SCALE = 0.1
"""A real portal's server time, ten times faster: `replace(FULL, time_scale=REALISTIC_SCALE)`."""
SLOW_RENEW = (("tasks.task.renew", 1.5),)
"""The slow portal of issue 10: 1.5 s per renew (`method_cost_s=SLOW_RENEW`)."""


@dataclass(frozen=True)
class Scenario:
    name: str
    action: Action
    tool: Tool
    blocked: bool = False

    @property
    def family(self) -> str:
        return self.name.split("/", 1)[0]


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("list/b24desk", "list", "b24desk"),
    Scenario("list/fast_bitrix24", "list", "fast_bitrix24"),
    Scenario("list/b24pysdk", "list", "b24pysdk"),
    Scenario("renew/b24desk", "renew", "b24desk"),
    Scenario("renew/fast_bitrix24", "renew", "fast_bitrix24"),
    Scenario("renew/per-task", "renew", "per-task"),
    Scenario("renew-blocked/b24desk", "renew", "b24desk", blocked=True),
    Scenario("renew-blocked/fast_bitrix24", "renew", "fast_bitrix24", blocked=True),
    Scenario("renew-blocked/per-task", "renew", "per-task", blocked=True),
)


def select_scenarios(patterns: Sequence[str]) -> list[Scenario]:
    """The scenarios matching any of `patterns` (names or shell globs), in the usual order.

    No patterns means all. A pattern that matches nothing is an error naming the choices,
    so a typo never silently runs nothing.
    """
    if not patterns:
        return list(SCENARIOS)
    chosen: set[str] = set()
    for pattern in patterns:
        matched = {s.name for s in SCENARIOS if fnmatch.fnmatchcase(s.name, pattern.strip())}
        if not matched:
            names = ", ".join(s.name for s in SCENARIOS)
            raise ValueError(f"no scenario matches {pattern!r}; the scenarios are: {names}")
        chosen |= matched
    return [s for s in SCENARIOS if s.name in chosen]


# --- the realistic portal (issue 10 section 3) ---------------------------------------------

REAL_LATENCY_MS = 20.0
"""Network latency per request on a real portal's clock; shrunk with the time scale."""


@dataclass(frozen=True)
class RealisticCase:
    """One size of one action on the realistic sandbox, run by several tools in turn."""

    name: str
    action: Action
    size: int
    time_scale: float
    tools: tuple[Tool, ...]
    blocked: bool = False
    """One task in 50 is refused by the portal (an auditor's task)."""
    renew_cost_s: float | None = None
    """Server seconds per renew when not the docs' 0.45 s (the slow portal: 1.5 s)."""

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError(f"invalid realistic case {self.name!r}: size must be at least 1")
        if not 0 < self.time_scale <= 1:
            raise ValueError(
                f"invalid realistic case {self.name!r}: time_scale must be within (0, 1], "
                f"got {self.time_scale}"
            )

    def settings(self, base: Settings | None = None) -> Settings:
        start = base or FULL
        costs = (("tasks.task.renew", self.renew_cost_s),) if self.renew_cost_s else ()
        return replace(
            start,
            list_tasks=self.size if self.action == "list" else start.list_tasks,
            renew_tasks=self.size if self.action == "renew" else start.renew_tasks,
            time_scale=self.time_scale,
            latency_ms=REAL_LATENCY_MS * self.time_scale,
            method_cost_s=costs,
        )

    def scenarios(self) -> list[Scenario]:
        family = "renew-blocked" if self.blocked else self.action
        return [
            Scenario(f"{family}/{tool}", self.action, tool, self.blocked) for tool in self.tools
        ]


_ALL: tuple[Tool, ...] = ("b24desk", "fast_bitrix24", "per-task")
_BATCHERS: tuple[Tool, ...] = ("b24desk", "fast_bitrix24")
_SLOW = 1.5

REALISTIC_CASES: tuple[RealisticCase, ...] = (
    RealisticCase("list 1,000", "list", 1_000, 1.0, _BATCHERS),
    RealisticCase("list 10,000", "list", 10_000, 1.0, _BATCHERS),
    RealisticCase("list 100,000", "list", 100_000, 0.05, _BATCHERS),
    RealisticCase("renew 300", "renew", 300, 1.0, _ALL),
    RealisticCase("renew 1,000", "renew", 1_000, 1.0, _BATCHERS),
    RealisticCase("renew 5,000", "renew", 5_000, 0.05, _BATCHERS),
    RealisticCase("renew 300, 1 refused in 50", "renew", 300, 1.0, _BATCHERS, True),
    RealisticCase("renew 1,000, 1 refused in 50", "renew", 1_000, 1.0, _BATCHERS, True),
    RealisticCase("renew 300 at 1.5 s", "renew", 300, 1.0, _BATCHERS, False, _SLOW),
    RealisticCase("renew 1,000 at 1.5 s", "renew", 1_000, 0.05, _BATCHERS, False, _SLOW),
)
"""Issue 10 section 3. A case that takes a real portal a few minutes at most runs at full
scale, as on a real portal; the long ones (100,000 listed, 5,000 renewed: 12 and 41 minutes,
and 1,000 at 1.5 s) are shortened. What the client and the sandbox do on this machine
(parsing, journal writes) is not shrunk, so a small scale magnifies it by 1 / scale: a
client that does more of its own work looks slower there than it would be."""


def select_cases(
    patterns: Sequence[str], cases: Sequence[RealisticCase] = REALISTIC_CASES
) -> list[RealisticCase]:
    """The cases whose name matches any of `patterns` (shell globs); none given: all."""
    if not patterns:
        return list(cases)
    chosen: set[str] = set()
    for pattern in patterns:
        matched = {c.name for c in cases if fnmatch.fnmatchcase(c.name, pattern.strip())}
        if not matched:
            names = "; ".join(c.name for c in cases)
            raise ValueError(f"no case matches {pattern!r}; the cases are: {names}")
        chosen |= matched
    return [c for c in cases if c.name in chosen]
