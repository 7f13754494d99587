"""The records of a run: what each task came to, the run as the journal remembers it, the
report a finished run hands back, and the events a running one sends.

A task itself (as listed, as snapshotted) is in `b24desk.core.model`; this module is about
runs. The journal (`journal.py`) is the only place that turns these into file lines and back.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from b24desk.core.bitrix.budget import Wait
from b24desk.core.model import TaskOutcome, TaskSnapshot

__all__ = [
    "Progress",
    "RunKind",
    "RunListener",
    "RunNotFound",
    "RunRecord",
    "RunReport",
    "TaskEvent",
    "TaskResult",
]


class RunKind(enum.StrEnum):
    """What a run did; the value is what the journal stores."""

    RENEW = "renew"
    RETRY = "retry"
    """A renew of the tasks an earlier run (its parent) did not reopen."""
    UNDO = "undo"
    """Completing again what its parent run reopened."""

    @property
    def reopens(self) -> bool:
        return self is not RunKind.UNDO


class RunNotFound(LookupError):
    """The journal has no run with this id."""

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.run_id = run_id


@dataclass(frozen=True, slots=True)
class TaskResult:
    id: int
    outcome: TaskOutcome
    reason: str = ""
    code: str = ""
    after: TaskSnapshot | None = None


@dataclass(slots=True)
class RunRecord:
    """A run as rebuilt from the journal."""

    run_id: str
    kind: RunKind
    portal: str
    started_at: str
    parent: str | None
    """The run this one retries or undoes."""
    before: dict[int, TaskSnapshot]
    results: dict[int, TaskResult] = field(default_factory=dict)
    result_at: dict[int, str] = field(default_factory=dict)
    """When each result was written (ISO, UTC)."""
    in_flight: set[int] = field(default_factory=set)
    finished_at: str | None = None
    cancelled: bool = False

    @property
    def crashed(self) -> bool:
        return self.finished_at is None

    def outcome_of(self, task_id: int) -> TaskOutcome:
        if task_id in self.results:
            return self.results[task_id].outcome
        # In flight when the run stopped: the portal may or may not have applied it.
        if task_id in self.in_flight:
            return TaskOutcome.RENEWING
        return TaskOutcome.NOT_ATTEMPTED

    def counts(self) -> dict[TaskOutcome, int]:
        counts: dict[TaskOutcome, int] = {}
        for task_id in self.before:
            outcome = self.outcome_of(task_id)
            counts[outcome] = counts.get(outcome, 0) + 1
        return counts

    def ids_with(self, *outcomes: TaskOutcome) -> list[int]:
        """The run's tasks (in its order) whose outcome is one of `outcomes`."""
        return [i for i in self.before if self.outcome_of(i) in outcomes]

    def unsettled(self) -> list[int]:
        """Tasks of a stopped run that were sent but got no answer: only the portal knows."""
        return sorted(i for i in self.before if i in self.in_flight and i not in self.results)


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """A task's state changed during a run (queued, being sent, settled)."""

    task_id: int
    outcome: TaskOutcome
    reason: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    counts: Mapping[TaskOutcome, int]
    eta_s: float | None = None
    """Roughly how many seconds are left (None before the portal's speed is known)."""


@dataclass(frozen=True, slots=True)
class RunListener:
    """Who hears about one run as it goes; both callbacks run on the event loop's thread."""

    on_event: Callable[[TaskEvent], None] | None = None
    on_progress: Callable[[Progress], None] | None = None
    on_wait: Callable[[Wait], None] | None = None
    """The run waits for the portal (its time budget, a busy portal, the network)."""


@dataclass(slots=True)
class RunReport:
    """What a finished (or cancelled, or stopped) run did to each of its tasks."""

    run_id: str
    kind: RunKind
    results: dict[int, TaskResult] = field(default_factory=dict)
    cancelled: bool = False
    stopped_by: str = ""
    """Why the run stopped early (the portal refused to go on), in plain words."""
    _counts: Counter[TaskOutcome] = field(default_factory=Counter)

    def record(self, result: TaskResult) -> None:
        previous = self.results.get(result.id)
        if previous is not None:
            self._counts[previous.outcome] -= 1
        self.results[result.id] = result
        self._counts[result.outcome] += 1

    def counts(self) -> Counter[TaskOutcome]:
        return +self._counts

    def ids_with(self, *outcomes: TaskOutcome) -> list[int]:
        return [i for i, r in self.results.items() if r.outcome in outcomes]
