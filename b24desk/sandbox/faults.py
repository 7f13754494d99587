"""Seeded transport faults: what a real portal and the network between do to a client.

A plan gives each fault a probability per HTTP request and can force a fault on the Nth
request (1-based, every HTTP request the portal receives counts) or on the next K requests
that call a given method (a batch counts as calling each method of its commands).

Spec syntax for `FaultPlan.parse` and `--faults`, comma-separated:
    seed=3                 seed of the fault dice (independent of the data seed)
    html500=0.01           probability per request of each fault kind (see FaultKind)
    srv500=0.01            ... e.g. a JSON 500 after the call has been applied
    slow_s=5               how long a slow answer stalls on the real server
    at:7=reset             force a fault on HTTP request number 7
    on:tasks.task.renew=lost      force it on the next request calling that method
    on:batch=html500*3     ... on the next three such requests (`*all`: on every one)
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class FaultKind(StrEnum):
    HTML500 = "html500"  # HTML error page with status 500; the call does not run
    BADJSON = "badjson"  # 200 with a truncated JSON body; the call ran
    RESET = "reset"  # connection reset before an answer; the call does not run
    SLOW = "slow"  # the answer stalls past a client timeout (see Effect docs)
    LOST = "lost"  # the call ran, then the connection was reset: the answer is lost
    LOSTSLOW = "lostslow"  # the call ran, then the answer never came (timeout)
    LOGIN302 = "login302"  # 302 to the login page, HTML body; the call does not run
    OVERLOAD = "overload"  # 503 OVERLOAD_LIMIT; the call does not run
    QLE = "qle"  # an extra 503 QUERY_LIMIT_EXCEEDED; the call does not run
    # A PHP fatal error after the method ran (half-run): 500 INTERNAL_SERVER_ERROR as JSON.
    SRV500 = "srv500"


# Faults after which the call has been applied, though the client saw a failure. (On the
# loopback server a "slow" call is applied too, once its stall is over.)
APPLIED_FAULTS = frozenset(
    {FaultKind.BADJSON, FaultKind.LOST, FaultKind.LOSTSLOW, FaultKind.SRV500}
)
ALL_TIMES = -1


@dataclass(frozen=True)
class MethodFault:
    kind: FaultKind
    times: int = 1  # ALL_TIMES for every matching request


@dataclass(frozen=True)
class FaultPlan:
    seed: int = 0
    rates: Mapping[FaultKind, float] = field(default_factory=dict)
    at_request: Mapping[int, FaultKind] = field(default_factory=dict)
    on_method: Mapping[str, MethodFault] = field(default_factory=dict)
    slow_s: float = 3.0

    def __post_init__(self) -> None:
        rates = {FaultKind(k): float(v) for k, v in self.rates.items()}
        for kind, rate in rates.items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault probability for {kind} must be in 0..1, got {rate}")
        if sum(rates.values()) > 1.0:
            raise ValueError("fault probabilities add up to more than 1")
        for number in self.at_request:
            if number < 1:
                raise ValueError(f"request numbers start at 1, got at:{number}")
        if self.slow_s < 0:
            raise ValueError(f"slow_s must not be negative, got {self.slow_s}")
        object.__setattr__(self, "rates", MappingProxyType(rates))
        object.__setattr__(
            self,
            "at_request",
            MappingProxyType({int(k): FaultKind(v) for k, v in self.at_request.items()}),
        )
        object.__setattr__(
            self,
            "on_method",
            MappingProxyType({k.lower(): v for k, v in self.on_method.items()}),
        )

    @classmethod
    def none(cls) -> FaultPlan:
        return cls()

    @property
    def is_empty(self) -> bool:
        return not (any(self.rates.values()) or self.at_request or self.on_method)

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """Build a plan from `seed=3,html500=0.01,at:7=reset,on:batch=lost*2,slow_s=5`."""
        seed = 0
        slow_s = 3.0
        rates: dict[FaultKind, float] = {}
        at_request: dict[int, FaultKind] = {}
        on_method: dict[str, MethodFault] = {}
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            name, sep, value = item.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not value:
                raise ValueError(f"fault spec item {item!r} is not NAME=VALUE")
            if name == "seed":
                seed = _parse_int(value, "seed")
            elif name == "slow_s":
                slow_s = _parse_float(value, "slow_s")
            elif name.startswith("at:"):
                at_request[_parse_int(name[3:], "request number")] = _parse_kind(value)
            elif name.startswith("on:"):
                method = name[3:].strip()
                if not method:
                    raise ValueError(f"fault spec item {item!r} names no method")
                on_method[method] = _parse_method_fault(value)
            else:
                rates[_parse_kind(name)] = _parse_float(value, f"probability of {name}")
        return cls(
            seed=seed, rates=rates, at_request=at_request, on_method=on_method, slow_s=slow_s
        )


def _known() -> str:
    return ", ".join(kind.value for kind in FaultKind)


def _parse_kind(text: str) -> FaultKind:
    try:
        return FaultKind(text)
    except ValueError:
        raise ValueError(f"unknown fault {text!r} (known: {_known()})") from None


def _parse_int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{what} must be an integer, got {text!r}") from None


def _parse_float(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {text!r}") from None


def _parse_method_fault(text: str) -> MethodFault:
    kind_text, star, times_text = text.partition("*")
    if not star:
        return MethodFault(_parse_kind(kind_text))
    if times_text == "all":
        return MethodFault(_parse_kind(kind_text), ALL_TIMES)
    times = _parse_int(times_text, "repeat count")
    if times < 1:
        raise ValueError(f"repeat count must be at least 1 or 'all', got {times}")
    return MethodFault(_parse_kind(kind_text), times)


class FaultDice:
    """The mutable side of a plan: the seeded dice and what is left of forced faults."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._random = random.Random(plan.seed)
        self._left = {
            method: fault.times for method, fault in plan.on_method.items() if fault.times
        }

    def draw(self, request_number: int, methods: Iterable[str]) -> FaultKind | None:
        forced = self.plan.at_request.get(request_number)
        if forced is not None:
            return forced
        for method in methods:
            fault = self.plan.on_method.get(method.lower())
            left = self._left.get(method.lower(), 0)
            if fault is not None and left != 0:
                if left > 0:
                    self._left[method.lower()] = left - 1
                return fault.kind
        if not self.plan.rates:
            return None
        # One roll per request keeps the sequence reproducible whatever the rates are.
        roll = self._random.random()
        edge = 0.0
        for kind in FaultKind:
            edge += self.plan.rates.get(kind, 0.0)
            if roll < edge:
                return kind
        return None
