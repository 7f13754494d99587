"""Listing completed tasks fast, and re-reading tasks by id.

Listing uses the documented fast technique for big sets: `order ID asc`, a `>ID` cursor and
`start=-1` (no total count). Up to 50 such pages are chained inside one batch, each page's
cursor taken from the previous page's 50th task (`$result[p3][tasks][49][id]`), so N tasks
cost about ceil(N / 2500) HTTP requests.

What the portal does with a reference into a page that has fewer than 50 tasks is not
documented, so nothing after the first short page of a batch is trusted: a short page means
the end. Every page is also checked to continue strictly above the cursor; one that does not
ends the batch, and listing goes on one page per request from the last good cursor.

Consistency while tasks change: the cursor only moves forward over ids, so no task is listed
twice, and every task that stays completed from start to end of the listing is listed once.
Tasks completed or renewed meanwhile may or may not appear, as with any paged listing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from b24desk.core.bitrix._log import redacted_logger
from b24desk.core.bitrix.client import MAX_BATCH, BatchCall, BatchItemResult, BitrixClient
from b24desk.core.bitrix.errors import (
    ActionNotAllowed,
    ApiError,
    B24Error,
    OperationTimeLimit,
    UnexpectedResponse,
)
from b24desk.core.model import COMPLETED, TaskFilter, TaskRecord

__all__ = [
    "PAGE_SIZE",
    "TASK_SELECT",
    "TaskLookup",
    "completed_filter",
    "get_tasks",
    "iter_completed_tasks",
    "task_from_api",
]

logger = redacted_logger(__name__)

PAGE_SIZE = 50
"""tasks.task.list always answers 50 tasks per page (there is no limit parameter)."""

TASK_SELECT: tuple[str, ...] = (
    "ID",
    "TITLE",
    "STATUS",
    "RESPONSIBLE_ID",
    "CREATED_BY",
    "GROUP_ID",
    "CLOSED_DATE",
    "CLOSED_BY",
)

_LIST = "tasks.task.list"
_GET = "tasks.task.get"
_MAX_STALLS = 20
"""Rounds in a row without progress (limits, broken chains) before listing gives up."""


# --- filters and mapping ---------------------------------------------------------------------


def completed_filter(task_filter: TaskFilter) -> dict[str, Any]:
    """The `filter` for completed tasks matching `task_filter` (without the cursor).

    Dates are whole days, both ends included, in the portal's time zone: the datetimes are
    sent without an offset, which the portal reads as its own zone (as it prints close dates).
    """
    conditions: dict[str, Any] = {"REAL_STATUS": COMPLETED}
    if task_filter.closed_after is not None:
        conditions[">=CLOSED_DATE"] = _day_start(task_filter.closed_after)
    if task_filter.closed_before is not None:
        conditions["<CLOSED_DATE"] = _day_start(task_filter.closed_before + timedelta(days=1))
    for key, value in (
        ("RESPONSIBLE_ID", task_filter.responsible_id),
        ("CREATED_BY", task_filter.creator_id),
        ("GROUP_ID", task_filter.group_id),
    ):
        if value is not None:
            conditions[key] = _positive_or_zero(value, key)
    search = task_filter.search.strip()
    if search:
        conditions["%TITLE"] = search
    return conditions


def task_from_api(data: Mapping[str, Any]) -> TaskRecord:
    """A TaskRecord from one task of tasks.task.list/get (camelCase; UPPER_CASE also read)."""
    task_id = _int(_field(data, "id", "ID"))
    if task_id <= 0:
        raise UnexpectedResponse(f"a task without a valid id: {_shape(data)}", http_status=200)
    return TaskRecord(
        id=task_id,
        title=str(_field(data, "title", "TITLE") or ""),
        status=_int(_field(data, "status", "REAL_STATUS", "STATUS")),
        responsible_id=_int(_field(data, "responsibleId", "RESPONSIBLE_ID")),
        responsible_name=_name(data.get("responsible")),
        creator_id=_int(_field(data, "createdBy", "CREATED_BY")),
        creator_name=_name(data.get("creator")),
        group_id=_int(_field(data, "groupId", "GROUP_ID")),
        group_name=_name(data.get("group")),
        closed_date=parse_portal_datetime(_field(data, "closedDate", "CLOSED_DATE")),
        closed_by=_int(_field(data, "closedBy", "CLOSED_BY")),
    )


def parse_portal_datetime(value: Any) -> datetime | None:
    """`2025-06-04T16:15:55+02:00` as an aware datetime; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        logger.debug("unreadable task date %r", value)
        return None
    # The portal always sends an offset; should one be missing, UTC beats a naive value.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- listing ---------------------------------------------------------------------------------


async def iter_completed_tasks(
    client: BitrixClient,
    task_filter: TaskFilter,
    *,
    pages_per_request: int = MAX_BATCH,
) -> AsyncIterator[list[TaskRecord]]:
    """Yield completed tasks in pages (ascending id) as they arrive from the portal."""
    if not 1 <= pages_per_request <= MAX_BATCH:
        raise ValueError(f"pages_per_request must be between 1 and {MAX_BATCH}")
    conditions = completed_filter(task_filter)
    cursor, stalls, chain = 0, 0, pages_per_request
    while True:
        calls = _chained_pages(conditions, cursor, chain)
        items = await client.batch(calls, idempotent=True)
        outcome = _read_pages(items, cursor)
        for page in outcome.pages:
            yield page
        if outcome.finished:
            return
        if outcome.pages:
            cursor, stalls = outcome.pages[-1][-1].id, 0
        else:
            stalls += 1
            if stalls > _MAX_STALLS:
                raise outcome.error or UnexpectedResponse(
                    "listing tasks made no progress", http_status=200
                )
        if outcome.chain_broken and chain > 1:
            logger.warning("the portal broke a chained task listing; continuing page by page")
            chain = 1
        await _respect_limit(client, outcome.error, stalls)


@dataclass(slots=True)
class _Outcome:
    pages: list[list[TaskRecord]]
    finished: bool = False
    chain_broken: bool = False
    error: ApiError | None = None


def _chained_pages(conditions: Mapping[str, Any], cursor: int, count: int) -> list[BatchCall]:
    calls = []
    for index in range(count):
        after: int | str = cursor if index == 0 else f"$result[p{index - 1}][tasks][49][id]"
        params = {
            "order": {"ID": "asc"},
            "filter": {**conditions, ">ID": after},
            "select": list(TASK_SELECT),
            "start": -1,
        }
        calls.append(BatchCall(_LIST, params, key=f"p{index}"))
    return calls


def _read_pages(items: Sequence[BatchItemResult], cursor: int) -> _Outcome:
    """The trustworthy prefix of a batch of chained pages."""
    outcome = _Outcome(pages=[])
    for index, item in enumerate(items):
        if item.error is not None:
            limited = isinstance(item.error, ApiError) and item.error.call_did_not_run
            if index == 0 and not limited:
                raise item.error  # the first page has a literal cursor: a real refusal
            # Later pages may fail only because their reference did not resolve.
            outcome.chain_broken = not limited
            outcome.error = item.error if isinstance(item.error, ApiError) else None
            return outcome
        raw = _raw_tasks(item.result)
        page = [task_from_api(task) for task in raw]
        if not _continues(page, cursor):
            if index == 0:
                raise UnexpectedResponse(
                    "the portal returned tasks out of id order", http_status=200
                )
            outcome.chain_broken = True
            return outcome
        if page:
            outcome.pages.append(page)
            cursor = page[-1].id
        if len(raw) < PAGE_SIZE:
            outcome.finished = True
            return outcome
    return outcome


def _continues(page: list[TaskRecord], cursor: int) -> bool:
    previous = cursor
    for record in page:
        if record.id <= previous:
            return False
        previous = record.id
    return True


def _raw_tasks(result: Any) -> list[Mapping[str, Any]]:
    if isinstance(result, list) and not result:
        return []  # PHP's empty array
    tasks = result.get("tasks") if isinstance(result, Mapping) else None
    if isinstance(tasks, Mapping):
        tasks = list(tasks.values())  # a PHP array with non-sequential keys
    if not isinstance(tasks, list) or not all(isinstance(t, Mapping) for t in tasks):
        raise UnexpectedResponse(
            f"tasks.task.list answer has no task list: {_shape(result)}", http_status=200
        )
    return tasks


async def _respect_limit(client: BitrixClient, error: ApiError | None, stalls: int) -> None:
    """A page refused by a limit: the client did not resend it (it is chained); wait here."""
    if isinstance(error, OperationTimeLimit):
        client.pacer.block_method(_LIST, error.reset_at)
    elif error is not None and error.call_did_not_run:
        await client.pacer.after_query_limit(max(stalls, 1))


# --- reading tasks by id ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskLookup:
    """One task re-read by id: the record, or None when the portal does not show it."""

    task_id: int
    record: TaskRecord | None = None
    error: B24Error | None = None

    @property
    def found(self) -> bool:
        return self.record is not None


async def get_tasks(client: BitrixClient, ids: Iterable[int]) -> dict[int, TaskLookup]:
    """Current state of each task (batched `tasks.task.get`), keyed by id in input order.

    A task that is deleted or that the user may not see comes back as not found (the portal
    answers an empty result or "action not allowed" for both); other failures are kept
    per task in `error`.
    """
    unique = list(dict.fromkeys(_task_id(i) for i in ids))
    calls = [
        BatchCall(_GET, {"taskId": task_id, "select": list(TASK_SELECT)}, key=f"t{task_id}")
        for task_id in unique
    ]
    items = await client.batch(calls, idempotent=True) if calls else []
    return {task_id: _lookup(task_id, item) for task_id, item in zip(unique, items, strict=True)}


def _lookup(task_id: int, item: BatchItemResult) -> TaskLookup:
    if isinstance(item.error, ActionNotAllowed):
        return TaskLookup(task_id)
    if item.error is not None:
        return TaskLookup(task_id, error=item.error)
    result = item.result
    task = result.get("task") if isinstance(result, Mapping) else None
    if not task:
        return TaskLookup(task_id)  # `[]`: not found or no access
    if not isinstance(task, Mapping):
        error = UnexpectedResponse(f"tasks.task.get answer: {_shape(result)}", http_status=200)
        return TaskLookup(task_id, error=error)
    try:
        return TaskLookup(task_id, record=task_from_api(task))
    except UnexpectedResponse as error:
        return TaskLookup(task_id, error=error)


# --- small helpers ---------------------------------------------------------------------------


def _day_start(day: date) -> str:
    return datetime.combine(day, time.min).isoformat()


def _positive_or_zero(value: int, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} must be a whole number of at least 0, not {value!r}")
    return value


def _task_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"task ids must be positive whole numbers, not {value!r}")
    return value


def _field(data: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in data:
            return data[name]
    return None


def _int(value: Any) -> int:
    if isinstance(value, bool) or value is None or value == "":
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _name(person: Any) -> str:
    if isinstance(person, Mapping):
        return str(person.get("name") or "").strip()
    return ""


def _shape(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
