"""`tasks.task.list` filtering and ordering, as the legacy CTasks filter reads them.

Filter keys are UPPER_SNAKE field names with an optional operator prefix
(`!`, `<`, `<=`, `>`, `>=`, `=`, `!=`, `%`, `!%`, `><`, `!><`, `@`, `!@`); unknown keys are
ignored like on the server. Date values go through a strtotime-like parser; an unparsable
date becomes the epoch, as `DateTime::createFromTimestamp(strtotime(...))` would make it.
`::SUBFILTER-*` nests a filter; `::LOGIC => OR` turns a (sub)filter into a disjunction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from b24desk.sandbox import errors
from b24desk.sandbox.access import Caller, sub_status
from b24desk.sandbox.datagen import PortalData
from b24desk.sandbox.model import SandboxTask, Status
from b24desk.sandbox.phpquery import intval, truthy
from b24desk.sandbox.timefmt import parse_datetime

_OPERATOR = re.compile(r"^(!><|><|!%|!=|!@|>=|<=|!|=|%|<|>|@)?(.+)$", re.DOTALL)

NUMERIC_FIELDS: dict[str, Callable[[SandboxTask], int | None]] = {
    "ID": lambda t: t.id,
    "PARENT_ID": lambda t: t.parent_id,
    "GROUP_ID": lambda t: t.group_id,
    "CREATED_BY": lambda t: t.created_by,
    "RESPONSIBLE_ID": lambda t: t.responsible_id,
    "CHANGED_BY": lambda t: t.changed_by,
    "CLOSED_BY": lambda t: t.closed_by,
    "STATUS_CHANGED_BY": lambda t: t.status_changed_by,
    "PRIORITY": lambda t: t.priority,
    "REAL_STATUS": lambda t: t.status,
    "STAGE_ID": lambda t: t.stage_id,
    "FORUM_TOPIC_ID": lambda t: 1000 + t.id,
}
DATE_FIELDS: dict[str, Callable[[SandboxTask], float | None]] = {
    "CREATED_DATE": lambda t: t.created_date,
    "CHANGED_DATE": lambda t: t.changed_date,
    "CLOSED_DATE": lambda t: t.closed_date,
    "DEADLINE": lambda t: t.deadline,
    "DATE_START": lambda t: t.date_start,
    "ACTIVITY_DATE": lambda t: t.changed_date,
    "STATUS_CHANGED_DATE": lambda t: t.status_changed_date,
}
TEXT_FIELDS: dict[str, Callable[[SandboxTask], str]] = {
    "TITLE": lambda t: t.title,
    "DESCRIPTION": lambda t: t.description,
    "MARK": lambda t: t.mark,
    "SITE_ID": lambda t: "s1",
    "FAVORITE": lambda t: "Y" if t.favorite else "N",
    "ADD_IN_REPORT": lambda t: "N",
}
MULTI_FIELDS: dict[str, Callable[[SandboxTask], list[Any]]] = {
    "ACCOMPLICE": lambda t: list(t.accomplices),
    "AUDITOR": lambda t: list(t.auditors),
    "MEMBER": lambda t: sorted(t.participants()),
    "TAG": lambda t: [name.lower() for name in t.tags.values()],
}
# CTasks::getAvailableOrderFields (docs, tasks-task-list.md).
ORDER_FIELDS: dict[str, Callable[[SandboxTask, PortalData], Any]] = {
    "ID": lambda t, d: t.id,
    "TITLE": lambda t, d: t.title.casefold(),
    "TIME_SPENT_IN_LOGS": lambda t, d: t.time_spent,
    "DATE_START": lambda t, d: t.date_start,
    "CREATED_DATE": lambda t, d: t.created_date,
    "CHANGED_DATE": lambda t, d: t.changed_date,
    "CLOSED_DATE": lambda t, d: t.closed_date,
    "ACTIVITY_DATE": lambda t, d: t.changed_date,
    "START_DATE_PLAN": lambda t, d: None,
    "END_DATE_PLAN": lambda t, d: None,
    "DEADLINE": lambda t, d: t.deadline,
    "REAL_STATUS": lambda t, d: t.status,
    "STATUS_COMPLETE": lambda t, d: 2 if t.status >= Status.SUPPOSEDLY_COMPLETED else 1,
    "PRIORITY": lambda t, d: t.priority,
    "MARK": lambda t, d: t.mark,
    "CREATED_BY_LAST_NAME": lambda t, d: d.users[t.created_by].last_name.casefold(),
    "RESPONSIBLE_LAST_NAME": lambda t, d: d.users[t.responsible_id].last_name.casefold(),
    "GROUP_ID": lambda t, d: t.group_id,
    "TIME_ESTIMATE": lambda t, d: t.time_estimate,
    "ALLOW_CHANGE_DEADLINE": lambda t, d: "Y",
    "ALLOW_TIME_TRACKING": lambda t, d: "Y" if t.time_estimate else "N",
    "MATCH_WORK_TIME": lambda t, d: "N",
    "FAVORITE": lambda t, d: "Y" if t.favorite else "N",
    "SORTING": lambda t, d: None,
    "IS_PINNED": lambda t, d: "N",
    "IS_PINNED_IN_GROUP": lambda t, d: "N",
}

Predicate = Callable[[SandboxTask], bool]


@dataclass(frozen=True)
class FilterContext:
    caller: Caller
    now: float
    offset_minutes: int


def _like(pattern: str) -> re.Pattern[str]:
    """SQL LIKE (`%` any run, `_` one character), case-insensitive like MySQL collations."""
    parts = (".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE | re.DOTALL)


def _values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else [value]


def _compare(operator: str, actual: Any, wanted: Any) -> bool:
    if actual is None:
        return False
    if operator == ">":
        return bool(actual > wanted)
    if operator == ">=":
        return bool(actual >= wanted)
    if operator == "<":
        return bool(actual < wanted)
    return bool(actual <= wanted)


def _ordered(operator: str, value: Any, convert: Callable[[Any], Any], actual: Any) -> bool:
    if isinstance(value, dict | list):
        # e.g. a batch reference into a short page left a whole array here; the server's
        # behaviour is UNCONFIRMED (brief 2.4), the sandbox matches nothing.
        return False
    return _compare(operator, actual, convert(value))


def _scalar_condition(
    operator: str, value: Any, actual: Any, convert: Callable[[Any], Any]
) -> bool:
    if operator in (">", ">=", "<", "<="):
        return _ordered(operator, value, convert, actual)
    if operator in ("><", "!><"):
        bounds = _values(value)
        inside = len(bounds) == 2 and actual is not None
        if inside:
            inside = convert(bounds[0]) <= actual <= convert(bounds[1])
        return inside if operator == "><" else not inside
    wanted = [None if v in ("", None) else convert(v) for v in _values(value)]
    hit = actual in wanted
    return not hit if operator.startswith("!") else hit


class TaskFilter:
    def __init__(self, context: FilterContext) -> None:
        self.context = context

    def _date(self, value: Any) -> float:
        parsed = parse_datetime(
            str(value), offset_minutes=self.context.offset_minutes, now=self.context.now
        )
        return 0.0 if parsed is None else float(int(parsed))

    def compile(self, raw: Any) -> Predicate:
        if raw is None or raw == "":
            return lambda task: True
        if not isinstance(raw, dict):
            if isinstance(raw, list) and not raw:
                return lambda task: True
            raise errors.not_an_array("filter", raw)
        disjunction = str(raw.get("::LOGIC", "AND")).upper() == "OR"
        predicates = [
            predicate
            for key, value in raw.items()
            if (predicate := self._condition(str(key), value)) is not None
        ]
        if not predicates:
            return lambda task: True
        if disjunction:
            return lambda task: any(p(task) for p in predicates)
        return lambda task: all(p(task) for p in predicates)

    def _condition(self, key: str, value: Any) -> Predicate | None:
        if key.startswith("::SUBFILTER"):
            return self.compile(value) if isinstance(value, dict) else None
        match = _OPERATOR.match(key)
        if match is None:
            return None
        operator, field = match.group(1) or "", match.group(2)
        if operator == "=":
            operator = ""
        if operator == "!=":
            operator = "!"
        return self._field_condition(operator, field, value)

    def _field_condition(self, op: str, field: str, value: Any) -> Predicate | None:
        if field in NUMERIC_FIELDS:
            getter = NUMERIC_FIELDS[field]
            return lambda t: _scalar_condition(op.replace("@", ""), value, getter(t), intval)
        if field == "STATUS":
            caller, now = self.context.caller, self.context.now
            return lambda t: _scalar_condition(
                op.replace("@", ""), value, sub_status(t, caller, now), intval
            )
        if field in DATE_FIELDS:
            date_getter = DATE_FIELDS[field]
            return lambda t: _scalar_condition(
                op.replace("@", ""), value, date_getter(t), self._date
            )
        if field in TEXT_FIELDS:
            return self._text_condition(op, TEXT_FIELDS[field], value)
        if field in MULTI_FIELDS:
            members = MULTI_FIELDS[field]
            convert: Callable[[Any], Any] = (lambda v: str(v).lower()) if field == "TAG" else intval
            wanted = {convert(v) for v in _values(value)}
            negate = op.startswith("!")
            return lambda t: bool(wanted & set(members(t))) != negate
        if field == "ONLY_ROOT_TASKS":
            only_root = truthy(value) and str(value).upper() != "N"
            return lambda t: t.parent_id is None if only_root else True
        return None

    @staticmethod
    def _text_condition(op: str, getter: Callable[[SandboxTask], str], value: Any) -> Predicate:
        needles = [str(v) for v in _values(value)]
        if op in ("%", "!%"):
            lowered = [n.casefold() for n in needles]
            hit: Predicate = lambda t: any(n in getter(t).casefold() for n in lowered)  # noqa: E731
        else:
            patterns = [_like(n) for n in needles]
            hit = lambda t: any(p.match(getter(t)) for p in patterns)  # noqa: E731
        if op.startswith("!"):
            return lambda t: not hit(t)
        return hit


def parse_order(raw: Any) -> list[tuple[str, bool]]:
    """[(FIELD, descending)], or HTTP 400 "Invalid sorting key" like checkOrderKeys."""
    if raw is None or raw == "" or raw == []:
        return [("ID", True)]
    if not isinstance(raw, dict):
        raise errors.not_an_array("order", raw)
    order: list[tuple[str, bool]] = []
    for key, direction in raw.items():
        field = str(key).upper()
        if field not in ORDER_FIELDS:
            raise errors.invalid_sort_key()
        order.append((field, str(direction).upper() == "DESC"))
    return order


def sort_tasks(tasks: list[SandboxTask], order: list[tuple[str, bool]], data: PortalData) -> None:
    """Stable multi-key sort; NULL sorts first ascending, as in MySQL."""
    tasks.sort(key=lambda t: t.id)
    for field, descending in reversed(order):
        getter = ORDER_FIELDS[field]

        def key(
            task: SandboxTask, getter: Callable[[SandboxTask, PortalData], Any] = getter
        ) -> Any:
            value = getter(task, data)
            return (0, 0) if value is None else (1, value)

        tasks.sort(key=key, reverse=descending)
