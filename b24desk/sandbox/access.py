"""Who sees a task, who may do what to it, and where complete lands (brief 1.1, 1.3, 12.1).

Visibility: admins see everything; others see tasks they created, are responsible for,
co-execute or audit, plus tasks of people in the departments they head (and below).
Edit rights beyond the task's creator: admins and the heads of the creator's departments;
heads of the responsible person's departments only when the portal's role settings say so
(`PortalConfig.heads_edit_responsible_tasks`, brief 12.1 `taskeditrule.php`).
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
    heads_edit_responsible: bool = False  # the role setting described in the module text

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


def caller_for(data: PortalData, user_id: int, *, heads_edit_responsible: bool = False) -> Caller:
    return Caller(
        user=data.users[user_id],
        managed=managed_users(data, user_id),
        heads_edit_responsible=heads_edit_responsible,
    )


def _is_boss_of_people(caller: Caller, *people: int) -> bool:
    return any(person in caller.managed for person in people)


def can_read(caller: Caller, task: SandboxTask) -> bool:
    if caller.admin or caller.id in task.participants():
        return True
    return _is_boss_of_people(caller, task.created_by, task.responsible_id, *task.accomplices)


def is_editor(caller: Caller, task: SandboxTask) -> bool:
    """Edit rights from position rather than role in the task (TaskEditRule)."""
    if caller.admin or _is_boss_of_people(caller, task.created_by):
        return True
    return caller.heads_edit_responsible and _is_boss_of_people(caller, task.responsible_id)


def can_edit(caller: Caller, task: SandboxTask) -> bool:
    return caller.id == task.created_by or is_editor(caller, task)


def change_deadline_allowed(caller: Caller, task: SandboxTask) -> bool:
    """Editors, and the responsible person where the task allows changing the deadline."""
    if can_edit(caller, task):
        return True
    return caller.id == task.responsible_id and task.allow_change_deadline


def update_allowed(caller: Caller, task: SandboxTask, fields: set[str]) -> bool:
    if can_edit(caller, task):
        return True
    return fields <= {"DEADLINE"} and change_deadline_allowed(caller, task)


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
    """TaskApproveRule: the creator, an admin or the creator's boss."""
    return (
        caller.id == task.created_by or caller.admin or _is_boss_of_people(caller, task.created_by)
    )


def approve_allowed(caller: Caller, task: SandboxTask) -> bool:
    """approve (4 -> 5) and disapprove (4 -> 2) of a task awaiting control."""
    return task.status == Status.SUPPOSEDLY_COMPLETED and _approves(caller, task)


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
    """STATUS "for sorting": the real status or a meta status -1/-2/-3.

    Overdue (-1) and almost overdue (-3) mask statuses 1, 2, 3, 6 and 7 (7 except for its
    responsible person); 4 and 5 are never masked (brief 12.1).
    """
    masked = task.status in (Status.NEW, Status.PENDING, Status.IN_PROGRESS, Status.DEFERRED)
    if task.status == Status.DECLINED:
        masked = caller.id != task.responsible_id
    if masked and task.deadline is not None:
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
    edit = can_edit(caller, task)
    active = task.status in (Status.NEW, Status.PENDING, Status.IN_PROGRESS, Status.DEFERRED)
    favorite = task.favorite
    return {
        "accept": False,
        "decline": False,
        "complete": complete_allowed(caller, task) and task.status != 4,
        "approve": approve_allowed(caller, task),
        "disapprove": approve_allowed(caller, task),
        "start": active and task.status != Status.IN_PROGRESS and participant,
        "pause": task.status == Status.IN_PROGRESS and participant,
        "delegate": edit and active,
        "remove": edit,
        "edit": edit,
        "defer": active and task.status != Status.DEFERRED and participant,
        "renew": renew_allowed(caller, task),
        "create": True,
        "changeDeadline": change_deadline_allowed(caller, task),
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


def access_name(action: str) -> str:
    """`changeDeadline` -> `CHANGE_DEADLINE`, `edit.originator` -> `EDIT.ORIGINATOR`: the
    names tasks.task.getaccess uses for the same map (brief 12.5)."""
    return "".join(f"_{ch}" if ch.isupper() else ch.upper() for ch in action)


def access_map(caller: Caller, task: SandboxTask) -> dict[str, bool]:
    """One user's entry in `tasks.task.getaccess`: all false for a user who cannot see it."""
    actions = allowed_actions(caller, task)
    visible = can_read(caller, task)
    return {access_name(name): visible and allowed for name, allowed in actions.items()}
