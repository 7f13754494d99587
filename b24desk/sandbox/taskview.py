"""Tasks as `tasks.task.*` print them: camelCase keys, string values, `[]` for empty maps.

The field set, order and companions follow the doc examples and the REST controller
(CORE `tasks/lib/rest/controllers/task.php`): `getAction`/`listAction` take a `select` of
UPPER_SNAKE field names and add companions (`creator` for CREATED_BY, `accomplicesData` for
ACCOMPLICES, `group` always, `action` in get, ...).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from b24desk.sandbox import errors
from b24desk.sandbox.access import Caller, allowed_actions, sub_status
from b24desk.sandbox.datagen import PortalData
from b24desk.sandbox.model import ChecklistItem, SandboxTask, SandboxUser
from b24desk.sandbox.phpquery import php_array
from b24desk.sandbox.timefmt import DAY_S, iso

UF_FIELDS = ("UF_CRM_TASK", "UF_TASK_WEBDAV_FILES", "UF_MAIL_MESSAGE")
DEFAULT_AVATAR = "/bitrix/images/tasks/default_avatar.png"
_CHECKLIST_ITEM_ACTIONS = {
    "modify": True,
    "remove": True,
    "toggle": True,
    "add": True,
    "addAccomplice": True,
}


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def _str_or_none(value: int | None) -> str | None:
    return None if value is None else str(value)


def camel_case(upper: str) -> str:
    head, *rest = upper.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class ViewContext:
    data: PortalData
    caller: Caller
    now: float
    offset_minutes: int

    def date(self, value: float | None) -> str | None:
        return None if value is None else iso(value, self.offset_minutes)


Getter = Callable[[SandboxTask, ViewContext], Any]

# The full record in the order the server prints it (renew/complete doc examples).
FIELDS: dict[str, Getter] = {
    "ID": lambda t, c: str(t.id),
    "PARENT_ID": lambda t, c: _str_or_none(t.parent_id),
    "TITLE": lambda t, c: t.title,
    "DESCRIPTION": lambda t, c: t.description,
    "MARK": lambda t, c: t.mark,
    "PRIORITY": lambda t, c: str(t.priority),
    "MULTITASK": lambda t, c: "N",
    "NOT_VIEWED": lambda t, c: _yn(t.not_viewed),
    "REPLICATE": lambda t, c: "N",
    "STAGE_ID": lambda t, c: str(t.stage_id),
    "SPRINT_ID": lambda t, c: None,
    "BACKLOG_ID": lambda t, c: str(t.group_id % 7 + 1) if t.group_id else None,
    "CREATED_BY": lambda t, c: str(t.created_by),
    "CREATED_DATE": lambda t, c: c.date(t.created_date),
    "RESPONSIBLE_ID": lambda t, c: str(t.responsible_id),
    "CHANGED_BY": lambda t, c: str(t.changed_by),
    "CHANGED_DATE": lambda t, c: c.date(t.changed_date),
    "STATUS_CHANGED_BY": lambda t, c: str(t.status_changed_by),
    "CLOSED_BY": lambda t, c: _str_or_none(t.closed_by),
    "CLOSED_DATE": lambda t, c: c.date(t.closed_date),
    "ACTIVITY_DATE": lambda t, c: c.date(t.changed_date),
    "DATE_START": lambda t, c: c.date(t.date_start),
    "DEADLINE": lambda t, c: c.date(t.deadline),
    "START_DATE_PLAN": lambda t, c: None,
    "END_DATE_PLAN": lambda t, c: None,
    "GUID": lambda t, c: "{" + str(uuid.UUID(int=t.id * 7919 + 104729)) + "}",
    "XML_ID": lambda t, c: None,
    "COMMENTS_COUNT": lambda t, c: str(t.comments_count),
    "SERVICE_COMMENTS_COUNT": lambda t, c: str(t.service_comments_count),
    "ALLOW_CHANGE_DEADLINE": lambda t, c: _yn(t.allow_change_deadline),
    "ALLOW_TIME_TRACKING": lambda t, c: _yn(t.time_estimate > 0),
    "TASK_CONTROL": lambda t, c: _yn(t.task_control),
    "ADD_IN_REPORT": lambda t, c: "N",
    "FORKED_BY_TEMPLATE_ID": lambda t, c: None,
    "TIME_ESTIMATE": lambda t, c: str(t.time_estimate),
    "TIME_SPENT_IN_LOGS": lambda t, c: str(t.time_spent),
    "MATCH_WORK_TIME": lambda t, c: "N",
    "FORUM_TOPIC_ID": lambda t, c: str(1000 + t.id),
    "FORUM_ID": lambda t, c: "11",
    "SITE_ID": lambda t, c: "s1",
    "SUBORDINATE": lambda t, c: _yn(t.responsible_id in c.caller.managed),
    "EXCHANGE_MODIFIED": lambda t, c: None,
    "EXCHANGE_ID": lambda t, c: None,
    "OUTLOOK_VERSION": lambda t, c: str(t.outlook_version),
    "VIEWED_DATE": lambda t, c: c.date(t.changed_date),
    "SORTING": lambda t, c: None,
    "DURATION_FACT": lambda t, c: str(t.time_spent // 60),
    "IS_MUTED": lambda t, c: "N",
    "IS_PINNED": lambda t, c: "N",
    "IS_PINNED_IN_GROUP": lambda t, c: "N",
    "FLOW_ID": lambda t, c: None,
    "DESCRIPTION_IN_BBCODE": lambda t, c: "Y",
    "STATUS": lambda t, c: str(t.status),
    "STATUS_CHANGED_DATE": lambda t, c: c.date(t.status_changed_date),
    "DURATION_PLAN": lambda t, c: "0",
    "DURATION_TYPE": lambda t, c: "days",
    "FAVORITE": lambda t, c: _yn(t.favorite),
    "GROUP_ID": lambda t, c: str(t.group_id),
    "AUDITORS": lambda t, c: [str(u) for u in t.auditors],
    "ACCOMPLICES": lambda t, c: [str(u) for u in t.accomplices],
    "CHECKLIST": lambda t, c: _checklist_map(t),
}
# Names a select may use besides the columns; the card prints them after its companions.
REAL_STATUS = "REAL_STATUS"
NEW_COMMENTS_COUNT = "NEW_COMMENTS_COUNT"
SELECT_EXTRAS = ("COUNTERS", "TAGS", REAL_STATUS, NEW_COMMENTS_COUNT)
VALID_SELECT = frozenset(FIELDS) | frozenset(UF_FIELDS) | frozenset(SELECT_EXTRAS)
FULL_SELECT: tuple[str, ...] = (*FIELDS, NEW_COMMENTS_COUNT)


def _uf_value(task: SandboxTask, name: str) -> Any:
    if name == "UF_CRM_TASK":
        return [f"C_{task.id % 700 + 1}", f"D_{task.id % 900 + 1}"] if task.id % 3 == 0 else False
    if name == "UF_TASK_WEBDAV_FILES":
        return [task.id * 10 + 5, task.id * 10 + 7] if task.id % 4 == 0 else False
    return None


def parse_select(raw: Any) -> list[str]:
    """A `select` parameter as the controller reads it: an array, or error 100."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw = list(raw.values())
    if not isinstance(raw, list):
        raise errors.not_an_array("select", raw)
    return [str(item) for item in raw if isinstance(item, str | int)]


def resolve_select(requested: list[str]) -> list[str]:
    """prepareSelect: `*` or nothing means every field; unknown names are dropped."""
    if not requested or "*" in requested:
        return list(FULL_SELECT)
    chosen = [name for name in requested if name in VALID_SELECT]
    if not any(name in FIELDS or name in UF_FIELDS for name in chosen):
        # Only extras such as COUNTERS: the record itself comes with every column.
        return [*FULL_SELECT, *chosen]
    if "DESCRIPTION" in chosen and "DESCRIPTION_IN_BBCODE" not in chosen:
        chosen.append("DESCRIPTION_IN_BBCODE")  # printed with it in both doc examples
    return chosen


class TaskView:
    def __init__(self, context: ViewContext) -> None:
        self.context = context

    # --- people and groups ------------------------------------------------------------

    def user_brief(self, user_id: int) -> dict[str, Any] | None:
        user: SandboxUser | None = self.context.data.users.get(user_id)
        if user is None:
            return None
        return {
            "id": str(user.id),
            "name": user.full_name,
            "link": f"/company/personal/user/{user.id}/",
            "icon": DEFAULT_AVATAR,
            "workPosition": user.work_position,
        }

    def _people_map(self, user_ids: list[int]) -> Any:
        items = [(str(u), brief) for u in user_ids if (brief := self.user_brief(u)) is not None]
        return php_array(items)

    def group_info(self, task: SandboxTask) -> Any:
        group = self.context.data.groups.get(task.group_id)
        if group is None:
            return []
        return {
            "id": str(group.id),
            "name": group.name,
            "opened": group.opened,
            "membersCount": len(group.member_ids),
            "image": "/bitrix/images/socialnetwork/workgroup/bag.png",
            "additionalData": [],
        }

    # --- records ----------------------------------------------------------------------

    def _columns(self, task: SandboxTask, select: list[str]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in FIELDS:
            if name in select:
                row[camel_case(name)] = FIELDS[name](task, self.context)
        if REAL_STATUS in select and "STATUS" not in select:
            row["realStatus"] = str(task.status)
        if any(name in select for name in UF_FIELDS):
            # The doc example prints all three system fields once any of them is selected.
            for name in UF_FIELDS:
                row[camel_case(name)] = _uf_value(task, name)
        return row

    def _companions(self, task: SandboxTask, select: list[str], row: dict[str, Any]) -> None:
        row["group"] = self.group_info(task)
        if "CREATED_BY" in select and (creator := self.user_brief(task.created_by)):
            row["creator"] = creator
        if "RESPONSIBLE_ID" in select and (responsible := self.user_brief(task.responsible_id)):
            row["responsible"] = responsible
        if "ACCOMPLICES" in select:
            row["accomplicesData"] = self._people_map(task.accomplices)
        if "AUDITORS" in select:
            row["auditorsData"] = self._people_map(task.auditors)

    def _params_extras(
        self, task: SandboxTask, select: list[str], params: dict[str, Any], row: dict[str, Any]
    ) -> None:
        if "WITH_RESULT_INFO" in params:
            row["taskRequireResult"] = _yn(task.require_result)
            row["taskHasOpenResult"] = "N"
            row["taskHasResult"] = _yn(task.require_result and task.status >= 4)
        if "WITH_TIMER_INFO" in params:
            row["timeElapsed"] = str(task.time_spent) if "TIME_SPENT_IN_LOGS" in select else None
            row["timerIsRunningForCurrentUser"] = "N"
        if "WITH_PARSED_DESCRIPTION" in params:
            row["parsedDescription"] = task.description if "DESCRIPTION" in select else ""
        if "COUNTERS" in select:
            row["counter"] = {
                "counters": {
                    "expired": 0,
                    "newComments": 0,
                    "projectExpired": 0,
                    "projectNewComments": 0,
                    "mutedExpired": 0,
                    "mutedNewComments": 0,
                },
                "color": "gray",
                "value": 0,
            }
        if "TAGS" in select:
            row["tags"] = php_array(
                [(str(k), {"id": k, "title": v}) for k, v in sorted(task.tags.items())]
            )

    def list_row(self, task: SandboxTask, select: list[str], params: dict[str, Any]) -> Any:
        row = self._columns(task, select)
        if "DEADLINE" in select and task.deadline is not None:
            length = max(1, round((task.deadline - task.created_date) / DAY_S))
            row["lengthDeadline"] = str(length)
        self._companions(task, select, row)
        self._params_extras(task, select, params, row)
        if "STATUS" in select:
            row["subStatus"] = str(sub_status(task, self.context.caller, self.context.now))
        return row

    def card(
        self, task: SandboxTask, select: list[str], params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """`tasks.task.get` (and renew/complete, which answer with the default select)."""
        params = params or {}
        row = self._columns(task, select)
        self._companions(task, select, row)
        self._params_extras(task, select, params, row)
        if NEW_COMMENTS_COUNT in select:
            row["newCommentsCount"] = 0
        row["action"] = allowed_actions(self.context.caller, task)
        if "CHECKLIST" in select:
            row["checkListTree"] = self._checklist_tree(task)
            row["checkListCanAdd"] = row["action"]["checklist.add"]
        return row

    def _checklist_tree(self, task: SandboxTask) -> dict[str, Any]:
        caller = self.context.caller.id
        roots = [item for item in task.checklist if item.parent_id == 0]
        counter = iter(range(1, 10_000))

        def node(item: ChecklistItem, display: str) -> dict[str, Any]:
            children = [c for c in task.checklist if c.parent_id == item.id]
            return {
                "nodeId": next(counter),
                "fields": _tree_fields(item, task.id, caller, display, children),
                "action": dict(_CHECKLIST_ITEM_ACTIONS),
                "descendants": [
                    node(child, str(position)) for position, child in enumerate(children, start=1)
                ],
            }

        return {
            "nodeId": 0,
            "fields": {
                "id": None,
                "copiedId": None,
                "entityId": None,
                "userId": caller,
                "createdBy": None,
                "parentId": None,
                "title": "",
                "sortIndex": None,
                "displaySortIndex": "",
                "isComplete": False,
                "isImportant": False,
                "completedCount": 0,
                "members": [],
                "attachments": [],
                "nodeId": None,
            },
            "action": [],
            "descendants": [node(root, "") for root in roots],
        }


def _tree_fields(
    item: ChecklistItem, task_id: int, caller: int, display: str, children: list[ChecklistItem]
) -> dict[str, Any]:
    return {
        "id": item.id,
        "copiedId": None,
        "entityId": task_id,
        "userId": caller,
        "createdBy": item.created_by,
        "parentId": item.parent_id,
        "title": item.title,
        "sortIndex": item.sort_index,
        "displaySortIndex": display,
        "isComplete": item.is_complete,
        "isImportant": item.is_important,
        "completedCount": sum(1 for child in children if child.is_complete),
        "members": [],
        "attachments": [],
        "nodeId": None,
    }


def _checklist_map(task: SandboxTask) -> Any:
    items: list[tuple[str, Any]] = []
    for item in task.checklist:
        items.append(
            (
                str(item.id),
                {
                    "id": str(item.id),
                    "taskId": str(task.id),
                    "createdBy": str(item.created_by),
                    # The server prints a checklist's own parent as the integer 0.
                    "parentId": 0 if item.parent_id == 0 else str(item.parent_id),
                    "title": item.title,
                    "sortIndex": str(item.sort_index),
                    "isComplete": _yn(item.is_complete),
                    "isImportant": _yn(item.is_important),
                    "toggledBy": None,
                    "toggledDate": None,
                    "ufChecklistFiles": False,
                    "members": [],
                    "attachments": [],
                    "entityId": str(task.id),
                    "action": dict(_CHECKLIST_ITEM_ACTIONS),
                },
            )
        )
    return php_array(items)
