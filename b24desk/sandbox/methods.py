"""REST methods of the sandbox portal; each takes the call context and PHP-style params.

Shapes follow the doc examples in tests/fixtures/bitrix24-docs and the server code cited in
the API brief. Handlers mutate `PortalData` directly; the portal serializes calls.

Why one file of ~600 lines: one table of REST methods, each a short handler; reading them side
by side is how they are checked against the docs' examples.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from b24desk.sandbox import errors
from b24desk.sandbox.access import (
    Caller,
    access_map,
    approve_allowed,
    caller_for,
    can_read,
    complete_allowed,
    complete_target_status,
    renew_allowed,
    update_allowed,
)
from b24desk.sandbox.config import PORTAL_SCOPES, PortalConfig
from b24desk.sandbox.datagen import PortalData
from b24desk.sandbox.model import SandboxTask, SandboxUser, Status, TaskComment
from b24desk.sandbox.phpquery import intval, truthy
from b24desk.sandbox.tasklist import FilterContext, TaskFilter, parse_order, sort_tasks
from b24desk.sandbox.taskview import (
    FULL_SELECT,
    TaskView,
    ViewContext,
    parse_select,
    resolve_select,
)
from b24desk.sandbox.timefmt import iso, legacy_datetime, parse_datetime, site_datetime

PAGE_SIZE = 50
USER_SCOPES = ("user", "user_brief", "user_basic")
USER_BRIEF_FIELDS = frozenset(
    [
        "ID",
        "XML_ID",
        "ACTIVE",
        "NAME",
        "LAST_NAME",
        "SECOND_NAME",
        "TITLE",
        "IS_ONLINE",
        "TIME_ZONE",
        "PERSONAL_PHOTO",
        "TIMESTAMP_X",
        "DATE_REGISTER",
        "PERSONAL_PROFESSION",
        "PERSONAL_GENDER",
        "PERSONAL_BIRTHDAY",
        "PERSONAL_CITY",
        "PERSONAL_STATE",
        "PERSONAL_COUNTRY",
        "WORK_POSITION",
        "WORK_CITY",
        "WORK_STATE",
        "WORK_COUNTRY",
        "LAST_ACTIVITY_DATE",
        "UF_EMPLOYMENT_DATE",
        "UF_TIMEMAN",
        "UF_SKILLS",
        "UF_INTERESTS",
        "UF_DEPARTMENT",
        "UF_PHONE_INNER",
    ]
)
"""The fields `user_brief` opens in user.* answers: no contact details (docs
`api-reference/user/index.md`, REST 21.600.0)."""
USER_BASIC_FIELDS = USER_BRIEF_FIELDS | {
    "EMAIL",
    "PERSONAL_PHONE",
    "PERSONAL_MOBILE",
    "WORK_PHONE",
    "WORK_COMPANY",
    "WORK_DEPARTMENT",
}
"""`user_basic` adds the contact details (e-mail, phones) to what `user_brief` opens."""


@dataclass
class CallContext:
    caller: Caller
    scopes: tuple[str, ...]
    auth_kind: str  # "webhook" or "oauth"
    now: float
    in_batch: bool = False


@dataclass
class MethodResult:
    result: Any
    total: int | None = None
    next: int | None = None


Handler = Callable[[CallContext, dict[str, Any]], MethodResult]


@dataclass(frozen=True)
class MethodSpec:
    handler: Handler
    scopes: tuple[str, ...] = ()  # any one of these is enough; () means basic
    modern: bool = False  # missing on a legacy portal


def param(params: dict[str, Any], name: str, default: Any = None) -> Any:
    """Parameter names are matched case-insensitively, like most REST method bindings."""
    if name in params:
        return params[name]
    lowered = name.lower()
    for key, value in params.items():
        if key.lower() == lowered:
            return value
    return default


def page_of(items: list[Any], start_raw: Any) -> tuple[list[Any], int | None, int | None]:
    """Fixed pages of 50: `start` rounds down to a page, -1 turns the count off."""
    start = intval(start_raw) if start_raw is not None else 0
    if start == -1:
        return items[:PAGE_SIZE], None, None
    offset = max(0, start) // PAGE_SIZE * PAGE_SIZE
    page = items[offset : offset + PAGE_SIZE]
    following = offset + PAGE_SIZE
    return page, len(items), following if following < len(items) else None


def _is_id_cursor_page(order: list[tuple[str, bool]], start: Any) -> bool:
    return len(order) == 1 and order[0][0] == "ID" and start is not None and intval(start) == -1


def _id_bounds(raw_filter: Any) -> tuple[int | None, int | None]:
    """Inclusive id bounds implied by `>ID`/`>=ID`/`<ID`/`<=ID` (the filter still applies)."""
    lows: list[int] = []
    highs: list[int] = []
    if isinstance(raw_filter, dict):
        for key, value in raw_filter.items():
            name = str(key).replace(" ", "").upper()
            if isinstance(value, list | dict):
                continue
            bound = intval(value)
            if name == ">ID":
                lows.append(bound + 1)
            elif name == ">=ID":
                lows.append(bound)
            elif name == "<ID":
                highs.append(bound - 1)
            elif name == "<=ID":
                highs.append(bound)
    return (max(lows) if lows else None), (min(highs) if highs else None)


def task_id_of(params: dict[str, Any]) -> int:
    raw = param(params, "taskId")
    if raw is None:
        raise errors.missing_task_id()
    if isinstance(raw, bool):
        raise errors.wrong_task_id()
    if isinstance(raw, int) and raw > 0:
        return raw
    if isinstance(raw, str) and raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    raise errors.wrong_task_id()


@dataclass
class Methods:
    data: PortalData
    config: PortalConfig
    table: dict[str, MethodSpec] = field(init=False)
    _sorted_ids: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.table = {
            "profile": MethodSpec(self.profile),
            "scope": MethodSpec(self.scope),
            "method.get": MethodSpec(self.method_get),
            "server.time": MethodSpec(self.server_time),
            "app.info": MethodSpec(self.app_info),
            "user.current": MethodSpec(self.user_current, USER_SCOPES),
            "user.get": MethodSpec(self.user_get, USER_SCOPES),
            "department.get": MethodSpec(self.department_get, ("department",)),
            "tasks.task.list": MethodSpec(self.tasks_list, ("task",)),
            "tasks.task.get": MethodSpec(self.tasks_get, ("task",)),
            "tasks.task.renew": MethodSpec(self.tasks_renew, ("task",), modern=True),
            "tasks.task.complete": MethodSpec(self.tasks_complete, ("task",), modern=True),
            "task.item.renew": MethodSpec(self.task_item_renew, ("task",)),
            "task.item.complete": MethodSpec(self.task_item_complete, ("task",)),
            "tasks.task.update": MethodSpec(self.tasks_update, ("task",), modern=True),
            "tasks.task.approve": MethodSpec(self.tasks_approve, ("task",), modern=True),
            "tasks.task.disapprove": MethodSpec(self.tasks_disapprove, ("task",), modern=True),
            "tasks.task.getaccess": MethodSpec(self.tasks_getaccess, ("task",), modern=True),
            "task.commentitem.add": MethodSpec(self.task_commentitem_add, ("task",)),
        }

    def lookup(self, name: str) -> MethodSpec | None:
        spec = self.table.get(name.lower())
        if spec is None or (spec.modern and self.config.legacy):
            return None
        return spec

    def exists(self, name: str) -> bool:
        return name.lower() == "batch" or self.lookup(name) is not None

    def _view(self, ctx: CallContext) -> TaskView:
        return TaskView(ViewContext(self.data, ctx.caller, ctx.now, self.config.utc_offset_minutes))

    # --- global scope ---------------------------------------------------------------

    def profile(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        user = ctx.caller.user
        return MethodResult(
            {
                "ID": str(user.id),
                "ADMIN": user.admin,
                "NAME": user.name,
                "LAST_NAME": user.last_name,
                "PERSONAL_GENDER": user.gender,
                "TIME_ZONE": "",
                "TIME_ZONE_OFFSET": self.config.utc_offset_minutes * 60,
            }
        )

    def scope(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        if truthy(param(params, "full")):
            return MethodResult(list(PORTAL_SCOPES))
        return MethodResult(list(ctx.scopes))

    def method_get(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        name = str(params.get("name") or "")
        existing = bool(name) and self.exists(name)
        spec = self.lookup(name) if existing and name.lower() != "batch" else None
        available = existing and (
            spec is None or not spec.scopes or any(s in ctx.scopes for s in spec.scopes)
        )
        return MethodResult({"isExisting": existing, "isAvailable": available})

    def server_time(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        return MethodResult(iso(ctx.now, self.config.utc_offset_minutes))

    def app_info(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        license_name = self.config.rate_plan.license
        if ctx.auth_kind == "webhook":
            return MethodResult({"SCOPE": list(ctx.scopes), "LICENSE": license_name})
        license_type = license_name.split("_", 1)[1]
        return MethodResult(
            {
                "ID": 5,
                "CODE": self.config.client_id,
                "VERSION": 1,
                "STATUS": "L",
                "INSTALLED": True,
                "PAYMENT_EXPIRED": "N",
                "DAYS": None,
                "LANGUAGE_ID": self.config.language,
                "LICENSE": license_name,
                "LICENSE_TYPE": license_type,
                "LICENSE_FAMILY": license_type.rstrip("0123456789"),
            }
        )

    # --- users and departments ------------------------------------------------------

    def _user_record(
        self, user: SandboxUser, scopes: tuple[str, ...] = ("user",)
    ) -> dict[str, Any]:
        """A user as user.get / user.current answer it, with only the fields the caller's
        user scope opens (docs `api-reference/user/index.md`: `user_brief` has no e-mail)."""
        offset = self.config.utc_offset_minutes
        record = {
            "ID": str(user.id),
            "ACTIVE": user.active,
            "NAME": user.name,
            "LAST_NAME": user.last_name,
            "EMAIL": user.email,
            "LAST_LOGIN": iso(user.last_login, offset),
            "DATE_REGISTER": iso(user.date_register, offset),
            "IS_ONLINE": "N",
            "TIMESTAMP_X": site_datetime(user.last_login, offset),
            "LAST_ACTIVITY_DATE": legacy_datetime(user.last_login, offset),
            "PERSONAL_GENDER": user.gender,
            "PERSONAL_BIRTHDAY": "",
            "WORK_POSITION": user.work_position,
            "UF_EMPLOYMENT_DATE": "",
            "UF_DEPARTMENT": list(user.department_ids),
        }
        if "user" in scopes:
            return record
        allowed = USER_BASIC_FIELDS if "user_basic" in scopes else USER_BRIEF_FIELDS
        return {key: value for key, value in record.items() if key in allowed}

    def user_current(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        return MethodResult(self._user_record(ctx.caller.user, ctx.scopes))

    def user_get(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        raw_filter = param(params, "FILTER")
        conditions = raw_filter if isinstance(raw_filter, dict) else params
        users = [u for u in self.data.users.values() if _user_matches(u, conditions)]
        users.sort(key=lambda u: u.id)
        page, total, following = page_of(users, param(params, "start"))
        return MethodResult([self._user_record(u, ctx.scopes) for u in page], total, following)

    def department_get(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        departments = sorted(self.data.departments.values(), key=lambda d: d.id)
        if (wanted := param(params, "ID")) is not None:
            ids = {intval(v) for v in (wanted if isinstance(wanted, list) else [wanted])}
            departments = [d for d in departments if d.id in ids]
        if (parent := param(params, "PARENT")) is not None:
            departments = [d for d in departments if d.parent_id == intval(parent)]
        page, total, following = page_of(departments, param(params, "start"))
        rows: list[dict[str, Any]] = []
        for department in page:
            row: dict[str, Any] = {"ID": str(department.id), "NAME": department.name, "SORT": 500}
            if department.parent_id is not None:
                row["PARENT"] = str(department.parent_id)
            if department.head_id is not None:
                row["UF_HEAD"] = str(department.head_id)
            rows.append(row)
        return MethodResult(rows, total, following)

    # --- tasks ------------------------------------------------------------------------

    def tasks_list(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        order = parse_order(param(params, "order"))
        select = resolve_select(parse_select(param(params, "select")))
        extras = param(params, "params")
        extras = extras if isinstance(extras, dict) else {}
        context = FilterContext(ctx.caller, ctx.now, self.config.utc_offset_minutes)
        raw_filter = param(params, "filter")
        matches = TaskFilter(context).compile(raw_filter)
        start = param(params, "start")
        if _is_id_cursor_page(order, start):
            # The documented fast paging (ID order, start=-1): walk the ids from the cursor
            # and stop at a full page, as the portal's index does, instead of sorting all.
            walk = self._ids_from_cursor(order[0][1], raw_filter)
            tasks = []
            for task_id in walk:
                task = self.data.tasks[task_id]
                if can_read(ctx.caller, task) and matches(task):
                    tasks.append(task)
                    if len(tasks) == PAGE_SIZE:
                        break
        else:
            tasks = [t for t in self.data.tasks.values() if can_read(ctx.caller, t) and matches(t)]
            sort_tasks(tasks, order, self.data)
        page, total, following = page_of(tasks, start)
        view = self._view(ctx)
        rows = [view.list_row(task, select, extras) for task in page]
        return MethodResult({"tasks": rows}, total, following)

    def _ids_from_cursor(self, descending: bool, raw_filter: Any) -> Iterator[int]:
        if len(self._sorted_ids) != len(self.data.tasks):
            self._sorted_ids = sorted(self.data.tasks)
        ids = self._sorted_ids
        low, high = _id_bounds(raw_filter)
        first = bisect.bisect_left(ids, low) if low is not None else 0
        end = bisect.bisect_right(ids, high) if high is not None else len(ids)
        return reversed(ids[first:end]) if descending else iter(ids[first:end])

    def tasks_get(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        task_id = task_id_of(params)
        requested = parse_select(param(params, "select"))
        if requested:
            requested.append("FAVORITE")
        extras = param(params, "params")
        task = self.data.tasks.get(task_id)
        if task is None or not can_read(ctx.caller, task):
            # getAction swallows the TasksException and returns an empty array.
            return MethodResult([])
        card = self._view(ctx).card(
            task, resolve_select(requested), extras if isinstance(extras, dict) else {}
        )
        return MethodResult({"task": card})

    def _full_card(self, ctx: CallContext, task: SandboxTask) -> MethodResult:
        return MethodResult({"task": self._view(ctx).card(task, list(FULL_SELECT))})

    def _visible_task(self, ctx: CallContext, task_id: int, error_code: str) -> SandboxTask:
        task = self.data.tasks.get(task_id)
        if task is None or not can_read(ctx.caller, task):
            raise errors.action_not_allowed(error_code)
        return task

    def tasks_renew(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        code = str(errors.TASKS_ACTION_NOT_ALLOWED_CODE)
        task = self._visible_task(ctx, task_id_of(params), code)
        if task.status != Status.PENDING:
            if not renew_allowed(ctx.caller, task):
                raise errors.action_not_allowed(code)
            _renew(task, ctx)
        return self._full_card(ctx, task)

    def tasks_complete(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        # The complete page documents the older controller's code "0" for the same case.
        task = self._visible_task(ctx, task_id_of(params), "0")
        target = complete_target_status(ctx.caller, task)
        if target != task.status:
            if not complete_allowed(ctx.caller, task):
                raise errors.action_not_allowed("0")
            _complete(task, ctx, target)
        return self._full_card(ctx, task)

    def tasks_approve(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """4 -> 5 for the creator, an admin or the creator's boss (TaskApproveRule)."""
        code = str(errors.TASKS_ACTION_NOT_ALLOWED_CODE)
        task = self._visible_task(ctx, task_id_of(params), code)
        if task.status != Status.COMPLETED:
            if not approve_allowed(ctx.caller, task):
                raise errors.action_not_allowed(code)
            _complete(task, ctx, Status.COMPLETED)
        return self._full_card(ctx, task)

    def tasks_disapprove(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """ "Return for rework": 4 -> 2 for whoever may approve (brief 12.1)."""
        code = str(errors.TASKS_ACTION_NOT_ALLOWED_CODE)
        task = self._visible_task(ctx, task_id_of(params), code)
        if task.status != Status.PENDING:
            if not approve_allowed(ctx.caller, task):
                raise errors.action_not_allowed(code)
            _renew(task, ctx)
        return self._full_card(ctx, task)

    def tasks_update(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """Fields DEADLINE (a date or empty to clear), TITLE, PRIORITY; others are ignored."""
        task_id = task_id_of(params)
        fields = param(params, "fields")
        if not isinstance(fields, dict) or not fields:
            raise errors.missing_parameter("fields")
        changes = {str(key).upper(): value for key, value in fields.items()}
        task = self.data.tasks.get(task_id)
        if task is None or not can_read(ctx.caller, task):
            raise errors.action_not_allowed_internal()
        known = {name for name in changes if name in UPDATABLE}
        if not update_allowed(ctx.caller, task, known):
            raise errors.action_not_allowed_internal()
        if "DEADLINE" in changes:
            task.deadline = self._deadline(changes["DEADLINE"], ctx)
        if "TITLE" in changes and str(changes["TITLE"]).strip():
            task.title = str(changes["TITLE"])
        if "PRIORITY" in changes and intval(changes["PRIORITY"]) in (0, 1, 2):
            task.priority = intval(changes["PRIORITY"])
        if known:
            task.changed_date = ctx.now
            task.changed_by = ctx.caller.id
            task.outlook_version += 1
        return self._full_card(ctx, task)

    def _deadline(self, raw: Any, ctx: CallContext) -> float | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw is False:
            return None
        offset = self.config.utc_offset_minutes
        parsed = parse_datetime(str(raw), offset_minutes=offset, now=ctx.now)
        # What strtotime cannot read becomes the epoch, as everywhere on the server.
        return float(int(parsed)) if parsed is not None else 0.0

    def tasks_getaccess(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """A dry run: each user's allowed actions, UPPER_CASE names (brief 12.1, 12.5)."""
        task_id = task_id_of(params)
        raw_users = param(params, "users")
        if raw_users is None:
            users = [ctx.caller.id]
        elif isinstance(raw_users, dict | list):
            values = raw_users.values() if isinstance(raw_users, dict) else raw_users
            users = [intval(value) for value in values]
        else:
            raise errors.users_not_an_array()
        task = self.data.tasks.get(task_id)
        if task is None or not can_read(ctx.caller, task):
            return MethodResult({"allowedActions": []})
        allowed: dict[str, dict[str, bool]] = {}
        for user_id in users:
            if user_id == ctx.caller.id:
                who = ctx.caller
            elif user_id in self.data.users:
                who = caller_for(
                    self.data,
                    user_id,
                    heads_edit_responsible=self.config.heads_edit_responsible_tasks,
                )
            else:
                continue
            allowed[str(user_id)] = access_map(who, task)
        return MethodResult({"allowedActions": allowed if allowed else []})

    def task_commentitem_add(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """Legacy positional method (TASKID, FIELDS): the new comment's id."""
        positional = [value for key, value in params.items() if key.lower() != "auth"]
        where = "for method ctaskcommentitem::add()"
        if not positional:
            message = f"Param #0 (taskId) {where} is not set"
            raise errors.task_item_error(256, message, "WRONG_ARGUMENTS")
        raw = positional[0]
        if not (
            (isinstance(raw, int) and not isinstance(raw, bool))
            or (isinstance(raw, str) and raw.strip().lstrip("-").isdigit())
        ):
            raise errors.task_item_error(
                256,
                f'Param #0 (taskId) {where} expected to be of type "integer", but given '
                "something else.",
                "WRONG_ARGUMENTS",
            )
        fields = positional[1] if len(positional) > 1 else None
        fields = {str(k).upper(): v for k, v in fields.items()} if isinstance(fields, dict) else {}
        task = self.data.tasks.get(intval(raw))
        if task is None or not can_read(ctx.caller, task):
            raise errors.core_error(errors.NO_COMMENT_RIGHTS)
        text = fields.get("POST_MESSAGE")
        if not isinstance(text, str) or not text.strip():
            raise errors.core_error(errors.NO_COMMENT_TEXT)
        self.data.next_comment_id += 1
        comment_id = self.data.next_comment_id
        task.comments.append(TaskComment(comment_id, ctx.caller.id, ctx.now, text))
        task.comments_count += 1
        return MethodResult(comment_id)

    def task_item_renew(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """Deprecated: names are ignored, the first value (after auth) is the task id."""
        task = self._task_item_target(ctx, params, "renew")
        if task.status != Status.PENDING:
            if not renew_allowed(ctx.caller, task):
                raise _task_item_refused()
            _renew(task, ctx)
        return MethodResult(None)

    def task_item_complete(self, ctx: CallContext, params: dict[str, Any]) -> MethodResult:
        """Deprecated twin of tasks.task.complete: positional task id, lands on 4 or 5."""
        task = self._task_item_target(ctx, params, "complete")
        target = complete_target_status(ctx.caller, task)
        if target != task.status:
            if not complete_allowed(ctx.caller, task):
                raise _task_item_refused()
            _complete(task, ctx, target)
        return MethodResult(None)

    def _task_item_target(
        self, ctx: CallContext, params: dict[str, Any], action: str
    ) -> SandboxTask:
        """The task named by the first positional value of a `task.item.<action>` call."""
        positional = [value for key, value in params.items() if key.lower() != "auth"]
        where = f"Param #0 (taskId) for method ctaskitem::{action}()"
        if not positional:
            raise errors.task_item_error(256, f"{where} is not set", "WRONG_ARGUMENTS")
        raw = positional[0]
        valid = (isinstance(raw, int) and not isinstance(raw, bool)) or (
            isinstance(raw, str) and raw.strip().lstrip("-").isdigit()
        )
        if not valid:
            raise errors.task_item_error(
                256,
                f'{where} expected to be of type "integer", but given something else.',
                "WRONG_ARGUMENTS",
            )
        task = self.data.tasks.get(intval(raw))
        if task is None or not can_read(ctx.caller, task):
            raise _task_item_refused()
        return task


def _task_item_refused() -> errors.RestError:
    return errors.task_item_refused()


UPDATABLE = frozenset({"DEADLINE", "TITLE", "PRIORITY"})


def _touch(task: SandboxTask, ctx: CallContext) -> None:
    task.changed_date = task.status_changed_date = ctx.now
    task.changed_by = task.status_changed_by = ctx.caller.id
    task.outlook_version += 1
    task.service_comments_count += 1


def _renew(task: SandboxTask, ctx: CallContext) -> None:
    task.status = int(Status.PENDING)
    task.closed_by = 0
    task.closed_date = None
    _touch(task, ctx)


def _complete(task: SandboxTask, ctx: CallContext, target: Status) -> None:
    task.status = int(target)
    task.closed_by = ctx.caller.id
    task.closed_date = float(int(ctx.now))
    _touch(task, ctx)


def _user_matches(user: SandboxUser, conditions: dict[str, Any]) -> bool:
    for key, value in conditions.items():
        name = key.upper()
        if name in ("ID", "@ID") and isinstance(value, list | dict):
            # An array value (or the documented "@" prefix, IN) matches any of its ids.
            values = value.values() if isinstance(value, dict) else value
            if user.id not in {intval(v) for v in values}:
                return False
            continue
        if name in ("ID", "@ID") and intval(value) != user.id:
            return False
        if name == "ACTIVE":
            wanted = str(value).upper() not in ("N", "0", "", "FALSE")
            if wanted != user.active:
                return False
        if name == "UF_DEPARTMENT" and intval(value) not in user.department_ids:
            return False
        if name in ("NAME", "LAST_NAME", "EMAIL"):
            actual = {"NAME": user.name, "LAST_NAME": user.last_name, "EMAIL": user.email}[name]
            if str(value).casefold() != actual.casefold():
                return False
    return True
