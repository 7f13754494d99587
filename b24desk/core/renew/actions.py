"""What a renew or undo run writes to each task, and the words for its outcomes.

`Action` describes one kind of run: the write method (and its deprecated twin), how reading
the task back shows that the write happened, and what follows it (approve after an undo's
complete, a new deadline, a comment). The journal codes and the sentences about a task's
state are here too, shared by the engine, the jobs and the front ends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.model import AWAITING_CONTROL, COMPLETED, PENDING, TaskOutcome, TaskSnapshot
from b24desk.core.renew.records import RunKind

__all__ = [
    "AWAITING_APPROVAL",
    "COMPLETE_ACTION",
    "DEADLINE_SET",
    "RENEWABLE_STATUSES",
    "RENEW_ACTION",
    "RETURN_FOR_REWORK",
    "UNCONFIRMED",
    "UNKNOWN_STATUS",
    "Action",
    "action_for",
    "approved_reason",
    "awaiting_approval_reason",
    "gone",
    "returned_reason",
    "status_name",
]

RENEWABLE_STATUSES = frozenset({AWAITING_CONTROL, COMPLETED, 6})
UNKNOWN_STATUS = 0
"""`TaskSnapshot.status` when nobody read the task before the run (e.g. ids typed in)."""
DEADLINE_SET = "DEADLINE_SET"
"""Journal code of a task whose renew also set a new deadline: undo puts the old one back."""
UNCONFIRMED = "UNCONFIRMED"
"""Journal code of a task whose fate could not be read back from the portal."""
AWAITING_APPROVAL = "AWAITING_APPROVAL"
"""Journal code of a task an undo completed that waits for its creator's approval (status 4):
task control is on and this user may not accept it for the creator."""


def gone() -> str:
    return translate("Renew", "The task was deleted or you can no longer see it.")


# A task's status as it reads inside a sentence ("it is in progress"), as `STATUS_NAMES`.
_STATUS_WORDS = {
    1: QT_TRANSLATE_NOOP("Renew", "new"),
    2: QT_TRANSLATE_NOOP("Renew", "pending"),
    3: QT_TRANSLATE_NOOP("Renew", "in progress"),
    4: QT_TRANSLATE_NOOP("Renew", "awaiting control"),
    5: QT_TRANSLATE_NOOP("Renew", "completed"),
    6: QT_TRANSLATE_NOOP("Renew", "deferred"),
    7: QT_TRANSLATE_NOOP("Renew", "declined"),
}


def status_name(status: int) -> str:
    if status == UNKNOWN_STATUS:
        return translate("Renew", "in an unknown state")
    word = _STATUS_WORDS.get(status)
    return translate("Renew", word) if word else translate("Renew", "status {n}").format(n=status)


@dataclass(frozen=True)
class Action:
    """One kind of write the engine performs on each task of a run."""

    modern: str
    legacy: str
    done: Callable[[TaskSnapshot, TaskSnapshot], bool]
    """Does the task's current state (second) show the write happened, given its before?"""
    verified: TaskOutcome
    follow_up: str | None = None
    """Sent right after, to the tasks the write left awaiting control (undo: approve)."""
    follow_up_legacy: str | None = None
    via: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    """This run's tasks written with another method (modern, legacy) instead: a task
    awaiting control its creator or an admin returns for rework (disapprove)."""
    no_follow_up: frozenset[int] = frozenset()
    """This run's tasks the follow-up must leave alone: they were awaiting control before
    the run being undone, so that is where undo leaves them."""
    comment: str = ""
    """Added as a comment to every task this run reopens (issue 11 §5)."""
    deadlines: Mapping[int, str | None] = field(default_factory=dict)
    """This run's tasks whose deadline is set once written (None: no deadline): a new one
    with a renew, the old one back with an undo."""

    @property
    def completes(self) -> bool:
        return self.verified is TaskOutcome.RECOMPLETED

    def method_for(self, task_id: int, legacy: bool) -> str:
        modern, old = self.via.get(task_id, (self.modern, self.legacy))
        return old if legacy else modern


RENEW_ACTION = Action(
    tasks_api.RENEW,
    tasks_api.LEGACY_RENEW,
    done=lambda before, now: now.status == PENDING != before.status,
    verified=TaskOutcome.RENEWED,
)
COMPLETE_ACTION = Action(
    tasks_api.COMPLETE,
    tasks_api.LEGACY_COMPLETE,
    done=lambda before, now: now.status in (AWAITING_CONTROL, COMPLETED),
    verified=TaskOutcome.RECOMPLETED,
    follow_up=tasks_api.APPROVE,
    follow_up_legacy=tasks_api.LEGACY_APPROVE,
)


def awaiting_approval_reason() -> str:
    return translate(
        "Renew",
        "Completed, awaiting the creator's approval: the task has task control and your "
        "Bitrix24 user may not accept it for its creator.",
    )


def approved_reason() -> str:
    return translate(
        "Renew",
        "Completed again; b24desk also accepted it for its creator, as its task control asks.",
    )


RETURN_FOR_REWORK = (tasks_api.DISAPPROVE, tasks_api.LEGACY_DISAPPROVE)


def returned_reason() -> str:
    return translate(
        "Renew",
        "Returned for rework: it was awaiting its creator's approval, and Bitrix24 lets the "
        "creator or an administrator send it back rather than reopen it.",
    )


def action_for(kind: RunKind) -> Action:
    return RENEW_ACTION if kind.reopens else COMPLETE_ACTION
