"""How a sandbox portal is set up: data size, the caller's rights, limits, faults, auth."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

from b24desk.sandbox.faults import FaultPlan

Clock = Callable[[], float]
LimitsMode = Literal["standard", "enterprise", "off"]
LIMITS_MODES: tuple[str, ...] = get_args(LimitsMode)


@dataclass(frozen=True)
class RatePlan:
    """Leaky bucket of the request-rate limit (brief section 4)."""

    burst: int
    drain_per_s: float
    license: str


RATE_PLANS: Mapping[str, RatePlan] = MappingProxyType(
    {
        "standard": RatePlan(burst=50, drain_per_s=2.0, license="en_pro100"),
        "enterprise": RatePlan(burst=250, drain_per_s=5.0, license="en_ent250"),
        # "off" never rejects; it still needs a licence to report.
        "off": RatePlan(burst=0, drain_per_s=0.0, license="en_ent250"),
    }
)

# Server time per call, in portal seconds (brief 12.3, 12.5): what `time.processing`
# reports, what the operating-time meter records and, times `time_scale`, the wall time the
# call takes. The figures are the docs' own examples; renew is taken to cost what complete
# does (it fires notifications and automation too).
DEFAULT_METHOD_COST_S: Mapping[str, float] = MappingProxyType(
    {
        "tasks.task.renew": 0.45,
        "tasks.task.complete": 0.45,
        "task.item.renew": 0.45,
        "task.item.complete": 0.45,
        "tasks.task.list": 0.35,
        "tasks.task.get": 0.16,
        "tasks.task.update": 0.73,
        "tasks.task.approve": 0.93,
        "tasks.task.disapprove": 0.92,
        "tasks.task.getaccess": 0.05,
        "task.commentitem.add": 0.27,
        "batch": 0.001,
    }
)
DEFAULT_COST_S = 0.04  # profile, user.current, scope...: 0.001-0.04 s in the docs
GATEWAY_TIMEOUT_S = 60.0  # the front gateway cuts a request after this much (brief 12.3)
OPERATING_MIN_RECORDED_S = 0.1  # calls this short are not recorded against the budget
LANGUAGES: tuple[str, ...] = ("en", "ru")

# Scopes that exist on the portal (`scope` with full=true).
PORTAL_SCOPES: tuple[str, ...] = (
    "basic",
    "bizproc",
    "calendar",
    "crm",
    "department",
    "disk",
    "entity",
    "im",
    "log",
    "placement",
    "sonet_group",
    "task",
    "user",
    "user_basic",
    "user_brief",
)
DEFAULT_SCOPES: tuple[str, ...] = ("department", "task", "user")


@dataclass(frozen=True)
class PortalConfig:
    seed: int = 7
    task_count: int = 3000
    user_count: int = 60
    limits: LimitsMode = "standard"
    admin: bool = True  # whether the calling user (webhook / OAuth user) is a portal admin
    legacy: bool = False  # an old portal: no tasks.task.renew / tasks.task.complete
    latency_ms: float = 0.0
    faults: FaultPlan = field(default_factory=FaultPlan.none)
    operating_budget_s: float = 480.0
    method_cost_s: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_METHOD_COST_S))
    """Portal seconds per call by method; given entries override the defaults, the rest stay."""
    default_cost_s: float = DEFAULT_COST_S
    user_id: int = 1  # the webhook's user, also the user who authorizes the OAuth app
    webhook_code: str | None = None  # None: derived from the seed, starts with "sandbox"
    webhook_scopes: tuple[str, ...] = DEFAULT_SCOPES
    app_scopes: tuple[str, ...] = DEFAULT_SCOPES
    client_id: str = "local.sandbox0000000000.00000000"
    client_secret: str = "sandboxclientsecretnotreal000000"
    access_token_lifetime_s: float = 3600.0
    refresh_token_lifetime_s: float = 180 * 86_400.0
    auth_code_lifetime_s: float = 30.0
    utc_offset_minutes: int = 180
    language: str = "en"  # "ru": task error descriptions in Russian, as live portals send
    time_scale: float = 0.0
    """Wall seconds per portal second: 0 answers at once (the clock alone drives time),
    1 spends the real server time, 0.01 a hundredth of it."""
    gateway_timeout_s: float | None = GATEWAY_TIMEOUT_S
    """Portal seconds after which the client gets an HTML 504 (the work goes on); None: off."""
    operating_min_recorded_s: float = OPERATING_MIN_RECORDED_S
    heads_edit_responsible_tasks: bool = False
    """Role setting: may a department head edit tasks where a subordinate is only the
    responsible person? (Tasks *created by* a subordinate are always editable.)"""

    def __post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise ValueError("invalid sandbox portal config: " + "; ".join(problems))
        costs = {**DEFAULT_METHOD_COST_S, **{k.lower(): v for k, v in self.method_cost_s.items()}}
        object.__setattr__(self, "method_cost_s", MappingProxyType(costs))

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if self.limits not in LIMITS_MODES:
            problems.append(f"limits must be one of {', '.join(LIMITS_MODES)}, got {self.limits!r}")
        if self.task_count < 0:
            problems.append(f"task_count must not be negative, got {self.task_count}")
        if self.user_count < 8:
            problems.append(f"user_count must be at least 8, got {self.user_count}")
        if not 1 <= self.user_id <= self.user_count:
            problems.append(f"user_id must be a generated user (1..{self.user_count})")
        if self.latency_ms < 0:
            problems.append(f"latency_ms must not be negative, got {self.latency_ms}")
        if self.operating_budget_s <= 0:
            problems.append("operating_budget_s must be positive")
        if any(cost < 0 for cost in self.method_cost_s.values()) or self.default_cost_s < 0:
            problems.append("method costs must not be negative")
        if not 0 <= self.time_scale <= 10:
            problems.append(f"time_scale must be within 0..10, got {self.time_scale}")
        if self.gateway_timeout_s is not None and self.gateway_timeout_s <= 0:
            problems.append("gateway_timeout_s must be positive (or None for no cut)")
        if self.operating_min_recorded_s < 0:
            problems.append("operating_min_recorded_s must not be negative")
        if self.language not in LANGUAGES:
            choices = ", ".join(LANGUAGES)
            problems.append(f"language must be one of {choices}, got {self.language!r}")
        if self.webhook_code is not None and not self.webhook_code.isalnum():
            problems.append("webhook_code must be letters and digits only")
        return problems

    @property
    def rate_plan(self) -> RatePlan:
        return RATE_PLANS[self.limits]

    def cost_of(self, method: str) -> float:
        return self.method_cost_s.get(method, self.default_cost_s)

    @property
    def window_scale(self) -> float:
        """How the operating-time window maps to the clock: scaled with the server time,
        except at scale 0, where no wall time passes and the clock alone moves it."""
        return self.time_scale if self.time_scale > 0 else 1.0


def parse_costs(spec: str) -> dict[str, float]:
    """`tasks.task.renew=1.5,tasks.task.list=0.2` -> {method: portal seconds}."""
    costs: dict[str, float] = {}
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        method, sep, value = item.partition("=")
        method = method.strip().lower()
        if not sep or not method or not value.strip():
            raise ValueError(f"cost item {item!r} is not METHOD=SECONDS")
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError(f"cost of {method} must be a number, got {value.strip()!r}") from None
        if not seconds >= 0 or seconds == float("inf"):
            raise ValueError(f"cost of {method} must be a non-negative number, got {seconds}")
        costs[method] = seconds
    return costs
