"""The portal's state: users, departments, workgroups and tasks (plain mutable records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Status(IntEnum):
    """Classic task statuses (brief section 2.3)."""

    NEW = 1
    PENDING = 2
    IN_PROGRESS = 3
    SUPPOSEDLY_COMPLETED = 4
    COMPLETED = 5
    DEFERRED = 6
    DECLINED = 7


@dataclass
class SandboxUser:
    id: int
    name: str
    last_name: str
    email: str
    work_position: str
    department_ids: list[int]
    gender: str  # "M", "F" or "" as PERSONAL_GENDER
    date_register: float
    last_login: float
    active: bool = True
    admin: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.name} {self.last_name}".strip()


@dataclass
class SandboxDepartment:
    id: int
    name: str
    sort: int
    parent_id: int | None
    head_id: int | None


@dataclass
class SandboxGroup:
    id: int
    name: str
    opened: bool
    member_ids: list[int]


@dataclass
class ChecklistItem:
    id: int
    parent_id: int  # 0 for a checklist (root), else the checklist's item id
    title: str
    sort_index: int
    created_by: int
    is_complete: bool = False
    is_important: bool = False


@dataclass
class TaskComment:
    id: int
    author_id: int
    posted: float
    message: str


@dataclass
class SandboxTask:
    id: int
    title: str
    description: str
    status: int
    created_by: int
    responsible_id: int
    created_date: float
    changed_date: float
    changed_by: int
    status_changed_date: float
    status_changed_by: int
    accomplices: list[int] = field(default_factory=list)
    auditors: list[int] = field(default_factory=list)
    group_id: int = 0
    parent_id: int | None = None
    closed_date: float | None = None
    closed_by: int | None = None  # None: never closed; 0 after a renew (as the server prints)
    date_start: float | None = None
    deadline: float | None = None
    priority: int = 1
    mark: str = ""
    task_control: bool = False
    allow_change_deadline: bool = True
    not_viewed: bool = False
    require_result: bool = False
    favorite: bool = False
    tags: dict[int, str] = field(default_factory=dict)
    checklist: list[ChecklistItem] = field(default_factory=list)
    comments_count: int = 0
    service_comments_count: int = 0
    time_estimate: int = 0
    time_spent: int = 0
    outlook_version: int = 1
    stage_id: int = 0
    comments: list[TaskComment] = field(default_factory=list)
    """Comments added through the API (the generated ones are only counted)."""

    def participants(self) -> set[int]:
        return {self.created_by, self.responsible_id, *self.accomplices, *self.auditors}
