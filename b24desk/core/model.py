"""Plain records of a task, shared by the client, the renew engine, the CLI and the UI.

The records of a run (results, reports, the journal's view of a run) live beside the
engine, in `b24desk.core.renew.records`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

AWAITING_CONTROL = 4
"""`status` of a task its responsible finished that waits for the creator's approval."""

COMPLETED = 5
"""`status` of a completed task in the classic tasks API."""

PENDING = 2
"""`status` a renewed task lands on."""

STATUS_NAMES: dict[int, str] = {
    1: "New",
    2: "Pending",
    3: "In progress",
    4: "Awaiting control",
    5: "Completed",
    6: "Deferred",
    7: "Declined",
}


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One task as the tool knows it; names are resolved when the portal sends them."""

    id: int
    title: str
    status: int
    responsible_id: int
    responsible_name: str = ""
    creator_id: int = 0
    creator_name: str = ""
    group_id: int = 0
    group_name: str = ""
    closed_date: datetime | None = None
    closed_by: int = 0
    closed_by_name: str = ""


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """What the portal said about a task at one moment; dates are kept as the portal sent them.

    The renew engine compares these exactly (e.g. `changed_date` before and after), so they
    are never reparsed: a `TaskRecord` is the task as the table shows it, a snapshot the
    task as the journal remembers it.
    """

    id: int
    status: int
    closed_date: str | None = None
    closed_by: int = 0
    changed_date: str | None = None
    title: str = ""
    """Kept so that a run's results still name their tasks once the list is reloaded."""
    status_changed_date: str | None = None
    status_changed_by: int = 0
    """Who last changed the status, and when: tells our reopen from a colleague's."""
    deadline: str | None = None
    """The task's deadline as the portal sent it (None: none); undo puts it back."""


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """What the admin narrows the completed-task list to; None/empty means 'any'."""

    closed_after: date | None = None
    closed_before: date | None = None
    responsible_id: int | None = None
    creator_id: int | None = None
    group_id: int | None = None
    search: str = ""
    awaiting_control: bool = False
    """Also list tasks awaiting control (status 4: finished, not yet accepted by the creator)."""


class TaskOutcome(enum.Enum):
    """Where one task of a renew (or undo) run stands; all but the first two are final."""

    QUEUED = "queued"
    RENEWING = "renewing"
    RENEWED = "renewed"
    ALREADY_OPEN = "already_open"
    NOT_ALLOWED = "not_allowed"
    FAILED = "failed"
    NOT_ATTEMPTED = "not_attempted"
    SKIPPED = "skipped"
    """Left out on purpose: no longer completed at the pre-check, or changed since (undo)."""
    RECOMPLETED = "recompleted"
    """Undo put the task back to completed (or to 'awaiting control', see the reason)."""
    CAN_RENEW = "can_renew"
    """Not a run's outcome: "Check first" found that this user may reopen the task."""

    @property
    def is_final(self) -> bool:
        return self not in (TaskOutcome.QUEUED, TaskOutcome.RENEWING)
