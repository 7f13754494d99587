"""Seeded, realistic portal data: the same seed and clock always give the same portal.

Users carry Latin and Cyrillic names; departments form a small tree with heads; tasks come
in every status 1..7 with creators, responsibles, co-executors, auditors, workgroups,
deadlines, tags, checklists and close dates. As on a working portal, about half the tasks
have task control on (every task awaiting control, status 4, has it: 8% of all), and most
completed tasks with a deadline are past it (reopened, they are overdue at once).
The calling user (config.user_id) is never a department head, so as a non-admin it sees
only tasks it takes part in: a few anchor tasks make sure it may renew some completed tasks
and may not renew many others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from b24desk.sandbox.model import (
    ChecklistItem,
    SandboxDepartment,
    SandboxGroup,
    SandboxTask,
    SandboxUser,
    Status,
)
from b24desk.sandbox.timefmt import DAY_S

LATIN_MALE = ("John", "Michael", "David", "Peter", "Thomas", "James", "Daniel", "Robert")
LATIN_FEMALE = ("Anna", "Maria", "Emily", "Sarah", "Laura", "Julia", "Helen", "Olivia")
LATIN_LAST = ("Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Clark", "Walker")
CYRILLIC_MALE = ("Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Михаил", "Павел", "Олег")
CYRILLIC_FEMALE = ("Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Юлия")
CYRILLIC_LAST = ("Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Попов", "Лебедев")
POSITIONS = (
    "Manager",
    "Accountant",
    "Developer",
    "Tester",
    "Designer",
    "Менеджер",
    "Бухгалтер",
    "Инженер",
    "",
)
DEPARTMENTS = (
    ("Sandbox Company", None),
    ("Sales", 1),
    ("Разработка", 1),
    ("Marketing", 1),
    ("Бухгалтерия", 1),
    ("Support", 3),
    ("Логистика", 3),
    ("Key accounts", 2),
)
GROUPS = (
    "Website relaunch",
    "Запуск CRM",
    "Q3 marketing",
    "Склад и логистика",
    "Mobile app",
    "Отчётность 2025",
    "Onboarding",
    "R&D «Альфа»",
    "Partners",
    "Тендеры",
    "Office move",
    "Качество",
)
TAGS = {
    11: "urgent",
    12: "клиент",
    13: "report",
    14: "бюджет",
    15: "Q3",
    16: "legal",
}
TITLE_TEMPLATES = (
    "Prepare quarterly report #{n}",
    "Call the client about invoice {n}",
    "Update the price list ({n})",
    "Подготовить договор №{n}",
    "Согласовать счёт {n} с бухгалтерией",  # noqa: RUF001 - Cyrillic on purpose
    "Проверить отгрузку «{n}»",
    "Fix the checkout bug {n}",
    "Review R&D <beta> notes {n}",
    "Обновить инструкцию для склада, шаг {n}",
    "Plan the team meeting & agenda {n}",
)
STATUS_WEIGHTS = {
    Status.NEW: 8,
    Status.PENDING: 14,
    Status.IN_PROGRESS: 12,
    Status.SUPPOSEDLY_COMPLETED: 8,
    Status.COMPLETED: 42,
    Status.DEFERRED: 8,
    Status.DECLINED: 8,
}


@dataclass
class PortalData:
    users: dict[int, SandboxUser]
    departments: dict[int, SandboxDepartment]
    groups: dict[int, SandboxGroup]
    tasks: dict[int, SandboxTask]
    next_comment_id: int = 3000  # the last comment id handed out


class _Generator:
    def __init__(self, seed: int, now: float, user_count: int, caller_id: int) -> None:
        self.rng = random.Random(seed)
        self.now = float(int(now))
        self.user_count = user_count
        self.caller_id = caller_id
        self.next_checklist_id = 101

    # --- people -------------------------------------------------------------------------

    def users(self, caller_admin: bool, heads: dict[int, int]) -> dict[int, SandboxUser]:
        head_of = {user: dept for dept, user in heads.items()}
        users: dict[int, SandboxUser] = {}
        for user_id in range(1, self.user_count + 1):
            cyrillic = user_id % 2 == 0
            female = self.rng.random() < 0.5
            first, last = self._name(cyrillic, female)
            if user_id in head_of:
                department = head_of[user_id]
            elif user_id == self.caller_id:
                department = 1
            else:
                department = self.rng.randint(2, len(DEPARTMENTS))
            registered = self.now - self.rng.uniform(200, 2000) * DAY_S
            users[user_id] = SandboxUser(
                id=user_id,
                name=first,
                last_name=last,
                email=f"user{user_id}@sandbox.invalid",
                work_position=self.rng.choice(POSITIONS),
                department_ids=[department],
                gender=self.rng.choice(("M", "F", "")),
                date_register=float(int(registered)),
                last_login=float(int(self.now - self.rng.uniform(0, 30) * DAY_S)),
                active=user_id == self.caller_id or self.rng.random() > 0.05,
                admin=caller_admin if user_id == self.caller_id else False,
            )
        return users

    def _name(self, cyrillic: bool, female: bool) -> tuple[str, str]:
        if cyrillic:
            first = self.rng.choice(CYRILLIC_FEMALE if female else CYRILLIC_MALE)
            feminine = "\u0430"  # Cyrillic "a": Иванов -> Иванова
            last = self.rng.choice(CYRILLIC_LAST) + (feminine if female else "")
            return first, last
        first = self.rng.choice(LATIN_FEMALE if female else LATIN_MALE)
        return first, self.rng.choice(LATIN_LAST)

    def department_heads(self) -> dict[int, int]:
        candidates = [u for u in range(2, self.user_count + 1) if u != self.caller_id]
        heads = self.rng.sample(candidates, len(DEPARTMENTS) - 1)
        # The root department has no head: whoever is above everyone is not modelled.
        return {dept: heads[dept - 2] for dept in range(2, len(DEPARTMENTS) + 1)}

    def departments(self, heads: dict[int, int]) -> dict[int, SandboxDepartment]:
        return {
            index: SandboxDepartment(
                id=index, name=name, sort=500, parent_id=parent, head_id=heads.get(index)
            )
            for index, (name, parent) in enumerate(DEPARTMENTS, start=1)
        }

    def groups(self) -> dict[int, SandboxGroup]:
        groups: dict[int, SandboxGroup] = {}
        for index, name in enumerate(GROUPS, start=1):
            members = self.rng.sample(range(1, self.user_count + 1), self.rng.randint(2, 12))
            groups[index * 2 + 1] = SandboxGroup(
                id=index * 2 + 1, name=name, opened=self.rng.random() < 0.5, member_ids=members
            )
        return groups

    # --- tasks --------------------------------------------------------------------------

    def tasks(self, count: int, group_ids: list[int]) -> dict[int, SandboxTask]:
        tasks: dict[int, SandboxTask] = {}
        task_id = 0
        for index in range(count):
            task_id += 1 if self.rng.random() < 0.8 else self.rng.randint(2, 4)
            task = self._task(task_id, index, group_ids, list(tasks))
            tasks[task_id] = task
        return tasks

    def _other_user(self, *excluded: int) -> int:
        while True:
            user = self.rng.randint(1, self.user_count)
            if user not in excluded:
                return user

    def _task(
        self, task_id: int, index: int, group_ids: list[int], earlier: list[int]
    ) -> SandboxTask:
        rng = self.rng
        status, creator, responsible, accomplices, auditors = self._roles(index)
        created = self.now - rng.uniform(1, 720) * DAY_S
        task = SandboxTask(
            id=task_id,
            title=rng.choice(TITLE_TEMPLATES).format(n=task_id),
            description=self._description(task_id),
            status=int(status),
            created_by=creator,
            responsible_id=responsible,
            accomplices=accomplices,
            auditors=auditors,
            created_date=float(int(created)),
            changed_date=float(int(created)),
            changed_by=creator,
            status_changed_date=float(int(created)),
            status_changed_by=creator,
            group_id=rng.choice(group_ids) if group_ids and rng.random() < 0.4 else 0,
            parent_id=rng.choice(earlier) if earlier and rng.random() < 0.1 else None,
            priority=rng.choices((0, 1, 2), weights=(1, 7, 2))[0],
            task_control=rng.random() < 0.5,
            require_result=rng.random() < 0.15,
            favorite=rng.random() < 0.1,
            comments_count=rng.randint(0, 40),
            service_comments_count=rng.randint(0, 25),
            time_estimate=rng.choice((0, 0, 3600, 7200, 28800)),
            outlook_version=rng.randint(1, 40),
            stage_id=rng.choice((0, 0, 0, 351)),
        )
        self._schedule(task, created)
        if task.status == Status.SUPPOSEDLY_COMPLETED:
            # Only task control makes a completed task wait for its creator's approval.
            task.task_control = True
        # Derived, not drawn: the random stream (and so every other field) stays as it was.
        task.allow_change_deadline = task_id % 5 != 0
        if rng.random() < 0.3:
            task.tags = {tag: TAGS[tag] for tag in rng.sample(sorted(TAGS), rng.randint(1, 2))}
        if rng.random() < 0.2:
            task.checklist = self._checklist(task.created_by)
        return task

    def _roles(self, index: int) -> tuple[Status, int, int, list[int], list[int]]:
        anchor = self._anchor_roles(index)
        if anchor is not None:
            return anchor
        rng = self.rng
        caller = self.caller_id
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        creator = caller if rng.random() < 0.06 else self._other_user(caller)
        if rng.random() < 0.15:
            responsible = creator
        else:
            responsible = caller if rng.random() < 0.07 else self._other_user(caller)
        accomplices = self._people(rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3)), responsible)
        if rng.random() < 0.03 and caller not in (creator, responsible):
            accomplices.append(caller)
        auditors = self._people(rng.choice((0, 0, 0, 0, 1, 2, 3)), responsible, *accomplices)
        if rng.random() < 0.04 and caller not in (creator, responsible, *accomplices):
            auditors.append(caller)
        return status, creator, responsible, accomplices, auditors

    def _anchor_roles(self, index: int) -> tuple[Status, int, int, list[int], list[int]] | None:
        """The first tasks pin down every status and the caller's interesting roles."""
        me = self.caller_id
        if index < len(Status):
            status = list(Status)[index]
            creator = self._other_user(me)
            return status, creator, me, [], []
        anchors: list[tuple[Status, str]] = [
            (Status.COMPLETED, "auditor"),  # visible, may not renew
            (Status.COMPLETED, "stranger"),  # invisible to a non-admin caller
            (Status.SUPPOSEDLY_COMPLETED, "creator"),  # creator approves, may not renew
            (Status.SUPPOSEDLY_COMPLETED, "accomplice"),  # co-executor, may renew
            (Status.DEFERRED, "creator"),
            (Status.COMPLETED, "accomplice"),
            (Status.COMPLETED, "creator"),
        ]
        position = index - len(Status)
        if position >= len(anchors):
            return None
        status, role = anchors[position]
        creator = me if role == "creator" else self._other_user(me)
        responsible = self._other_user(me, creator)
        accomplices = [me] if role == "accomplice" else self._people(1, responsible)
        auditors = [me] if role == "auditor" else []
        return status, creator, responsible, accomplices, auditors

    def _people(self, count: int, *excluded: int) -> list[int]:
        # The caller joins tasks only where _roles decides so, never by chance here.
        pool = [
            u for u in range(1, self.user_count + 1) if u not in excluded and u != self.caller_id
        ]
        return sorted(self.rng.sample(pool, min(count, len(pool))))

    def _description(self, task_id: int) -> str:
        if self.rng.random() < 0.2:
            return ""
        if self.rng.random() < 0.5:
            return f"Task {task_id}: check the [B]details[/B] and report back."
        return f"Задача {task_id}: уточнить детали и [I]отчитаться[/I]."

    def _schedule(self, task: SandboxTask, created: float) -> None:
        rng = self.rng
        age_days = (self.now - created) / DAY_S
        if rng.random() < 0.6:
            task.deadline = float(int(created + rng.uniform(1, 60) * DAY_S))
        if task.status >= Status.IN_PROGRESS:
            task.date_start = float(int(created + rng.uniform(0, min(age_days, 3)) * DAY_S))
        last_change = created
        if task.status in (Status.SUPPOSEDLY_COMPLETED, Status.COMPLETED):
            closed = created + rng.uniform(0.05, max(0.1, min(age_days, 120))) * DAY_S
            closed = min(closed, self.now - 60)
            task.closed_date = float(int(closed))
            if task.status == Status.COMPLETED and rng.random() < 0.3:
                task.closed_by = task.created_by
            else:
                task.closed_by = task.responsible_id
            task.mark = rng.choice(("", "", "P", "N"))
            last_change = closed
        elif task.status != Status.NEW:
            last_change = min(self.now - 60, created + rng.uniform(0, max(age_days, 0.01)) * DAY_S)
        actor = task.closed_by or task.responsible_id
        task.status_changed_date = float(int(last_change))
        task.status_changed_by = actor
        task.changed_date = float(int(min(self.now - 30, last_change + rng.uniform(0, 2) * 3600)))
        task.changed_by = actor
        task.not_viewed = task.status in (Status.NEW, Status.PENDING) and rng.random() < 0.3
        task.time_spent = rng.choice((0, 0, 600, 1800, 5400))

    def _checklist(self, author: int) -> list[ChecklistItem]:
        root = ChecklistItem(self.next_checklist_id, 0, "Checklist 1", 0, author)
        items = [root]
        self.next_checklist_id += 2
        for position in range(self.rng.randint(1, 3)):
            items.append(
                ChecklistItem(
                    id=self.next_checklist_id,
                    parent_id=root.id,
                    title=("First", "Second", "Третий пункт")[position],
                    sort_index=position,
                    created_by=author,
                    is_complete=self.rng.random() < 0.4,
                    is_important=self.rng.random() < 0.1,
                )
            )
            self.next_checklist_id += 2
        return items


def generate(
    *,
    seed: int,
    now: float,
    task_count: int,
    user_count: int,
    caller_id: int,
    caller_admin: bool,
) -> PortalData:
    generator = _Generator(seed, now, user_count, caller_id)
    heads = generator.department_heads()
    departments = generator.departments(heads)
    users = generator.users(caller_admin, heads)
    groups = generator.groups()
    tasks = generator.tasks(task_count, sorted(groups))
    return PortalData(users=users, departments=departments, groups=groups, tasks=tasks)
