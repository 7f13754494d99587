"""How large, and how many, the renew engine's batches are on a portal that spends time.

A real portal spends server time on every call, runs the sub-calls of a batch one after
another, runs separate requests side by side and cuts any request at 60 s (brief 12.3). So
a run's writes go out as a *wave* of batches in flight at once, each sized:

- by time: no batch may take more than `TARGET_REQUEST_S` of the portal's time, half the
  gateway's cut, at the speed measured for its methods;
- to finish together: the tasks still queued are shared evenly over the batches that may
  still go out now (free slots, and the run's request allowance), so that no batch is left
  running alone at the end;
- by requests: a run sends at most one write request per `BATCH_SIZE` tasks plus
  `SPARE_REQUESTS` (issue 10: a clean run of N tasks costs at most ceil(N/2500) reads,
  one spare read, and ceil(N/50) + 2 writes, that is ceil(N/2500) + ceil(N/50) + 3).

On a portal whose speed is not known yet the first batch is a small measuring batch
(`PROBE_SIZE`), sent alone: a batch of 50 at an unknown speed could pass the 60 s cut. The
speed measured on a portal is remembered between runs (`SpeedMemory`), so later runs start
their main wave at once.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from b24desk.core.bitrix.budget import DEFAULT_CALL_S, OperatingBudget
from b24desk.core.redact import redacted_logger

__all__ = [
    "BATCH_SIZE",
    "MAX_PARALLEL",
    "PROBE_SIZE",
    "SPARE_REQUESTS",
    "TARGET_REQUEST_S",
    "SpeedMemory",
    "largest_batch",
    "next_batch_size",
    "write_allowance",
]

log = redacted_logger(__name__)

BATCH_SIZE = 50
PROBE_SIZE = 1
"""The first batch on a portal whose speed is not known yet: measured before the rest."""
TARGET_REQUEST_S = 30.0
"""Server time one request may take: well under the gateway's 60 s cut."""
MAX_PARALLEL = 24
"""Batches in flight at once: the portal runs separate requests side by side; this keeps
about half of its burst of 50 requests free for reading back."""
SPARE_REQUESTS = 2
"""Write requests a run may send beyond one per `BATCH_SIZE` tasks: the measuring batch,
and one more so that the main wave's batches share the tasks evenly."""


def write_allowance(tasks: int, batch_size: int = BATCH_SIZE) -> int:
    """Write requests a run of `tasks` may send when nothing goes wrong."""
    return math.ceil(tasks / max(1, batch_size)) + SPARE_REQUESTS


def largest_batch(budget: OperatingBudget, methods: Iterable[str], batch_size: int) -> int:
    """The most tasks one batch may hold so that it stays within `TARGET_REQUEST_S`, each
    task costing one call of every method in `methods` (the write and what follows it in
    the same slot: approve, a new deadline, a comment)."""
    per_task = sum(budget.call_seconds(m) for m in methods)
    by_time = int(TARGET_REQUEST_S // max(per_task, 0.01))
    return max(1, min(batch_size, by_time))


def next_batch_size(
    *,
    queued: int,
    in_flight: int,
    requests_left: int,
    largest: int,
    max_parallel: int,
) -> int:
    """The size of the next batch of a wave: the `queued` tasks shared evenly over the
    batches that may still go out now (free slots, requests left in the run's allowance),
    never more than `largest`. Once the allowance is spent (a slow portal needs smaller
    batches than 50), batches are as large as time allows."""
    if queued <= 0:
        return 0
    slots = max(1, max_parallel - in_flight)
    batches = max(1, min(slots, requests_left))
    return max(1, min(largest, queued, math.ceil(queued / batches)))


class SpeedMemory:
    """The seconds one call of each write method took on each portal, kept between runs
    (a small JSON file next to the journal), so that a run on a portal met before need not
    measure it with a batch sent alone.

    Only a portal's address, method names and seconds are kept. A file that cannot be read
    or written is ignored (logged): the run then measures, as on a new portal.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def recall(self, portal: str) -> dict[str, float]:
        """What was measured on `portal` ({} when nothing, or the file is unusable)."""
        entry = self._load().get(portal)
        if not isinstance(entry, Mapping):
            return {}
        return {
            str(m): float(s)
            for m, s in entry.items()
            if isinstance(s, int | float) and not isinstance(s, bool) and 0 < s < 3600
        }

    def remember(self, portal: str, seconds: Mapping[str, float]) -> None:
        if not seconds:
            return
        data = self._load()
        entry = data.get(portal)
        known = dict(entry) if isinstance(entry, Mapping) else {}
        known.update({m: round(s, 4) for m, s in seconds.items() if s > 0})
        data[portal] = known
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            log.info("could not remember the portal's speed in %s: %s", self.path, error)

    @staticmethod
    def seed(
        budget: OperatingBudget, recalled: Mapping[str, float], methods: Iterable[str]
    ) -> None:
        """Tell `budget` what `methods` cost on a portal last time (`recall`), where it has
        not measured them yet. Never faster than the docs' figure: the batch limit of 50
        binds below it anyway, and a portal may have got slower since."""
        for method in methods:
            if method in recalled and not budget.measured(method):
                floor = DEFAULT_CALL_S.get(method, 0.0)
                budget.observe(method, {"processing": max(recalled[method], floor)})

    def _load(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.info("the remembered portal speeds in %s are unusable: %s", self.path, error)
            return {}
        return data if isinstance(data, dict) else {}
