"""Who sees a task, who may renew or complete it, and where complete lands (brief 1.1, 1.3).

Visibility: admins see everything; others see tasks they created, are responsible for,
co-execute or audit, plus tasks of people in the departments they head (and below).
Edit rights beyond the task's own people: admins and those department heads.
"""

from __future__ import annotations

from dataclasses import dataclass

from b24desk.sandbox.datagen import PortalData
from b24desk.sandbox.model import SandboxTask, SandboxUser, Status
from b24desk.sandbox.timefmt import DAY_S


@dataclass(frozen=True)
class Caller:
    user: SandboxUser
    managed: frozenset[int]  # users in the departments this caller heads, transitively

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def admin(self) -> bool:
        return self.user.admin


def managed_users(data: PortalData, user_id: int) -> frozenset[int]:
    headed = {d.id for d in data.departments.values() if d.head_id == user_id}
    grew = True
    while grew:
        below = {d.id for d in data.departments.values() if d.parent_id in headed}
        grew = not below <= headed
        headed |= below
    return frozenset(
        u.id for u in data.users.values() if u.id != user_id and headed & set(u.department_ids)
    )


def caller_for(data: PortalData, user_id: int) -> Caller:
    return Caller(user=data.users[user_id], managed=managed_users(data, user_id))


def _is_boss_of_people(caller: Caller, *people: int) -> bool:
    return any(person in caller.managed for person in people)


def can_read(caller: Caller, task: SandboxTask) -> bool:
    if caller.admin or caller.id in task.participants():
        return True
    return _is_boss_of_people(caller, task.created_by, task.responsible_id, *task.accomplices)


def is_editor(caller: Caller, task: SandboxTask) -> bool:
    """Edit rights from position rather than role in the task."""
    return caller.admin or _is_boss_of_people(caller, task.created_by, task.responsible_id)


def renew_allowed(caller: Caller, task: SandboxTask) -> bool:
    """TaskRenewRule, for a task the caller can read."""
    if task.status in (Status.COMPLETED, Status.DEFERRED):
        return (
            caller.id in (task.created_by, task.responsible_id)
            or caller.id in task.accomplices
            or is_editor(caller, task)
        )
    if task.status == Status.SUPPOSEDLY_COMPLETED:
        # The creator approves or disapproves instead of renewing.
        return caller.id == task.responsible_id or (
            caller.id in task.accomplices and caller.id != task.created_by
        )
    return False


def _approves(caller: Caller, task: SandboxTask) -> bool:
    return (
        caller.id == task.created_by or caller.admin or _is_boss_of_people(caller, task.created_by)
    )


def complete_allowed(caller: Caller, task: SandboxTask) -> bool:
    if task.status == Status.SUPPOSEDLY_COMPLETED:
        return _approves(caller, task)
    if task.status in (Status.COMPLETED, Status.DECLINED):
        return False
    return (
        caller.id in (task.created_by, task.responsible_id)
        or caller.id in task.accomplices
        or is_editor(caller, task)
    )


def complete_target_status(caller: Caller, task: SandboxTask) -> Status:
    """5 when nobody has to approve the result, else 4 (awaiting control)."""
    if (
        caller.id == task.created_by
        or task.created_by == task.responsible_id
        or not task.task_control
        or (task.status == Status.SUPPOSEDLY_COMPLETED and _approves(caller, task))
    ):
        return Status.COMPLETED
    return Status.SUPPOSEDLY_COMPLETED


def sub_status(task: SandboxTask, caller: Caller, now: float) -> int:
    """STATUS "for sorting": the real status or a meta status -1/-2/-3."""
    active = task.status in (Status.NEW, Status.PENDING, Status.IN_PROGRESS)
    if active and task.deadline is not None:
        if task.deadline < now:
            return -1
        if task.deadline < now + DAY_S:
            return -3
    unviewed = task.status in (Status.NEW, Status.PENDING) and task.not_viewed
    if unviewed and caller.id != task.created_by:
        return -2
    return task.status


def allowed_actions(caller: Caller, task: SandboxTask) -> dict[str, bool]:
    """The task card's `action` map, consistent with the rules above."""
    participant = caller.id in (task.created_by, task.responsible_id, *task.accomplices)
    edit = caller.id == task.created_by or is_editor(caller, task)
    active = task.status in (Status.NEW, Status.PENDING, Status.IN_PROGRESS, Status.DEFERRED)
    favorite = task.favorite
    return {
        "accept": False,
        "decline": False,
        "complete": complete_allowed(caller, task) and task.status != 4,
        "approve": task.status == Status.SUPPOSEDLY_COMPLETED and _approves(caller, task),
        "disapprove": task.status == Status.SUPPOSEDLY_COMPLETED and _approves(caller, task),
        "start": active and task.status != Status.IN_PROGRESS and participant,
        "pause": task.status == Status.IN_PROGRESS and participant,
        "delegate": edit and active,
        "remove": edit,
        "edit": edit,
        "defer": active and task.status != Status.DEFERRED and participant,
        "renew": renew_allowed(caller, task),
        "create": True,
        "changeDeadline": edit,
        "checklistAddItems": participant or edit,
        "addFavorite": not favorite,
        "deleteFavorite": favorite,
        "rate": edit,
        "take": False,
        "edit.originator": caller.admin,
        "checklist.reorder": participant or edit,
        "elapsedtime.add": participant,
        "dayplan.timer.toggle": participant,
        "edit.plan": edit,
        "checklist.add": participant or edit,
        "favorite.add": not favorite,
        "favorite.delete": favorite,
    }
