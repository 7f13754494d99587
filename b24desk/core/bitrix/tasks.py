"""The Bitrix24 tasks API as b24desk uses it: one home for its method names, the task
parser, listing completed tasks, re-reading tasks by id, the method probe, the count and
the task's web address.

Listing uses the documented fast technique for big sets: `order ID asc`, a `>ID` cursor and
`start=-1` (no total count). Up to 50 such pages are chained inside one batch, each page's
cursor taken from the previous page's 50th task (`$result[p3][tasks][49][id]`), so N tasks
cost about ceil(N / 2500) HTTP requests.

What the portal does with a reference into a page that has fewer than 50 tasks is not
documented, so nothing after the first short page of a batch is trusted: a short page means
the end. Every page is also checked to continue strictly above the cursor; one that does not
ends the batch, and listing goes on one page per request from the last good cursor.

Re-reading tasks by id uses the same method, filtered by lists of 50 ids, 50 such pages in
one batch: 2,500 tasks per request, where one `tasks.task.get` per task would cost 50 calls
of server time per 50 tasks.

Consistency while tasks change: the cursor only moves forward over ids, so no task is listed
twice, and every task that stays completed from start to end of the listing is listed once.
Tasks completed or renewed meanwhile may or may not appear, as with any paged listing.

Why one file of about 970 lines: issue 13 asked for one home for the tasks API, and its
parts share the page helpers, the cursor checks and the task parser; a reader who wants to
know what b24desk sends a portal about tasks reads this file alone.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from b24desk.core.bitrix._log import redacted_logger
from b24desk.core.bitrix.budget import WaitKind
from b24desk.core.bitrix.client import MAX_BATCH, BatchCall, BatchItemResult, BitrixClient
from b24desk.core.bitrix.errors import (
    ApiError,
    B24Error,
    MethodNotFound,
    OperationTimeLimit,
    QueryLimitExceeded,
    ServerError,
    TLSError,
    TransportError,
    UnexpectedRedirect,
    UnexpectedResponse,
)
from b24desk.core.bitrix.ratelimit import backoff_delay
from b24desk.core.model import AWAITING_CONTROL, COMPLETED, TaskFilter, TaskRecord, TaskSnapshot

__all__ = [
    "APPROVE",
    "COMMENT_ADD",
    "COMPLETE",
    "DEADLINE_SELECT",
    "DISAPPROVE",
    "GET",
    "GETACCESS",
    "LEGACY_COMPLETE",
    "LEGACY_RENEW",
    "LIST",
    "PAGE_SIZE",
    "RENEW",
    "STATE_SELECT",
    "TASK_SELECT",
    "UPDATE",
    "MethodState",
    "TaskAccess",
    "TaskControl",
    "TaskStates",
    "comment_calls",
    "completed_filter",
    "deadline_calls",
    "iter_completed_pages",
    "iter_completed_tasks",
    "method_state",
    "read_access",
    "read_control",
    "read_tasks",
    "snapshot_from_api",
    "task_from_api",
    "task_url",
    "webhook_user",
    "write_calls",
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

# --- the methods ---------------------------------------------------------------------------

LIST = "tasks.task.list"
GET = "tasks.task.get"
RENEW = "tasks.task.renew"
LEGACY_RENEW = "task.item.renew"
"""Deprecated; old self-hosted portals have only this one (`method_state` tells)."""
COMPLETE = "tasks.task.complete"
LEGACY_COMPLETE = "task.item.complete"
APPROVE = "tasks.task.approve"
"""Accepts a task awaiting control (4 -> 5): its creator, an admin or the creator's boss."""
LEGACY_APPROVE = "task.item.approve"
DISAPPROVE = "tasks.task.disapprove"
""""Return for rework" (4 -> 2): the way back for a creator or admin, who may not renew a
task awaiting control (brief 12.1)."""
LEGACY_DISAPPROVE = "task.item.disapprove"
PROFILE = "profile"
UPDATE = "tasks.task.update"
"""Changes fields of a task; b24desk sets only DEADLINE (brief 12.1)."""
GETACCESS = "tasks.task.getaccess"
"""A dry run: which actions a user may take on a task, changing nothing (brief 12.5)."""
METHOD_GET = "method.get"

STATE_SELECT: tuple[str, ...] = (
    "ID",
    "TITLE",
    "STATUS",
    "CLOSED_DATE",
    "CLOSED_BY",
    "CHANGED_DATE",
    "STATUS_CHANGED_DATE",
    "STATUS_CHANGED_BY",
)
"""What a re-read asks for: enough to tell whether a write happened and whether undo is safe."""
DEADLINE_SELECT: tuple[str, ...] = (*STATE_SELECT, "DEADLINE")
"""A re-read before a renew: also each task's deadline (journaled, so undo can put it back)."""
_MAX_STALLS = 20
"""Rounds in a row without progress (limits, broken chains) before listing gives up."""
LIST_PARALLEL = 4
"""Requests of reads by id side by side: enough to use a real portal's parallelism, few
enough to leave its request bucket to everything else."""
LIST_RANGES = 8
"""Id ranges a listing reads side by side: each range's chain is an eighth of the pages, so
10,000 tasks take 25 pages of server time, not 50 (which a range of a quarter would need,
and any range just over 2,500 tasks a second request on top); eight requests at once stay
well within the portal's burst of 50."""


# --- filters and mapping ---------------------------------------------------------------------


def completed_filter(task_filter: TaskFilter) -> dict[str, Any]:
    """The `filter` for completed tasks matching `task_filter` (without the cursor).

    Dates are whole days, both ends included, in the portal's time zone: the datetimes are
    sent without an offset, which the portal reads as its own zone (as it prints close dates).
    """
    conditions: dict[str, Any] = {
        "REAL_STATUS": [COMPLETED, AWAITING_CONTROL] if task_filter.awaiting_control else COMPLETED
    }
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
    parallel: int = LIST_RANGES,
) -> AsyncIterator[list[TaskRecord]]:
    """Yield completed tasks in pages (ascending id) as they arrive from the portal
    (`iter_completed_pages`, each task parsed)."""
    async for page in iter_completed_pages(
        client, task_filter, pages_per_request=pages_per_request, parallel=parallel
    ):
        yield [task_from_api(task) for task in page]


RawTask = Mapping[str, Any]
"""One task as `tasks.task.list` sent it (parse it with `task_from_api`)."""


async def iter_completed_pages(
    client: BitrixClient,
    task_filter: TaskFilter,
    *,
    pages_per_request: int | Callable[[int | None], int] = MAX_BATCH,
    parallel: int = LIST_RANGES,
    in_id_order: bool = True,
    on_count: Callable[[int | None], None] | None = None,
) -> AsyncIterator[list[RawTask]]:
    """Yield completed tasks in pages (ascending id) as they arrive from the portal, as the
    portal sent them: a window parses them a few at a time, between paints.

    `in_id_order=False` hands each range's pages over as soon as they arrive instead of
    range by range: a table that sorts on its own then holds no page waiting for an earlier
    range (memory) and shows rows from every range at once. Then no more than one page per
    range waits for the caller: a caller that stops pulling holds the reading back (a
    window that has not shown the rows it was given yet does not get more to hold).

    The first page comes alone (`start=-1`: the portal stops at 50 instead of counting
    every match first), and is handed over as soon as it is in. Then two requests side by
    side ask how many tasks match and the highest id, and the rest is read in up to
    `parallel` id ranges side by side (a real portal runs separate requests at once, the
    pages of one request one after another), each chain only as long as its share of the
    count needs: no page is read past the end, and no range waits for a second request
    when its first one can hold it.

    `on_count` hears how many tasks match (None if the portal will not say) as soon as that
    is known, so a caller needs no count request of its own before the first rows; and
    `pages_per_request` may be a function of that count (a window asks small portals in
    shorter chains, so its progress moves).
    """
    if not callable(pages_per_request) and not 1 <= pages_per_request <= MAX_BATCH:
        raise ValueError(f"pages_per_request must be between 1 and {MAX_BATCH}")
    if parallel < 1:
        raise ValueError("parallel must be at least 1")
    conditions = completed_filter(task_filter)
    first = await _first_page(client, conditions)
    if len(first) < PAGE_SIZE:
        if on_count is not None:
            on_count(len(first))
        if first:
            yield first
        return
    extent = asyncio.ensure_future(_extent(client, conditions))
    try:
        yield first
        total, top = await extent
    finally:
        if not extent.done():
            extent.cancel()
        await asyncio.gather(extent, return_exceptions=True)
    if on_count is not None:
        on_count(total)
    chain = (
        max(1, min(MAX_BATCH, pages_per_request(total)))
        if callable(pages_per_request)
        else pages_per_request
    )
    cursor = _raw_id(first[-1])
    ranges = _plan(cursor, top, None if total is None else total - len(first), parallel)
    if not ranges:
        return
    if len(ranges) == 1:
        lo, hi, tasks = ranges[0]
        async for page in _range_pages(client, conditions, lo, hi, tasks, chain):
            yield page
        return
    # In id order each range has its own queue, read one after another; otherwise all
    # ranges share one, read as pages arrive. Each range ends its share with a None.
    Item = list[RawTask] | BaseException | None
    if in_id_order:
        queues: list[asyncio.Queue[Item]] = [asyncio.Queue() for _ in ranges]
        sources = [(queue, 1) for queue in queues]
    else:
        shared: asyncio.Queue[Item] = asyncio.Queue(maxsize=len(ranges))
        queues = [shared] * len(ranges)
        sources = [(shared, len(ranges))]

    async def produce(index: int, lo: int, hi: int | None, tasks: float | None) -> None:
        queue = queues[index]
        try:
            async for page in _range_pages(client, conditions, lo, hi, tasks, chain):
                await queue.put(page)
        except asyncio.CancelledError:
            raise  # the reader has gone
        except BaseException as error:  # handed to the reader, which raises it
            await queue.put(error)
            return
        await queue.put(None)

    workers = [asyncio.ensure_future(produce(index, *plan)) for index, plan in enumerate(ranges)]
    try:
        for queue, ends in sources:
            while ends:
                item = await queue.get()
                if item is None:
                    ends -= 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
                    # Pages read ahead are handed over at once: let a window paint (and
                    # move its progress bar) between them.
                    await asyncio.sleep(0)
    finally:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


def _first_params(conditions: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "order": {"ID": "asc"},
        "filter": {**conditions, ">ID": 0},
        "select": list(TASK_SELECT),
        "start": -1,  # no count: the portal stops at the first 50, as for every later page
    }


async def _first_page(client: BitrixClient, conditions: Mapping[str, Any]) -> list[RawTask]:
    """The first 50 matching tasks, in a request of their own (the first rows, soonest)."""
    (item,) = await client.batch(
        [BatchCall(LIST, _first_params(conditions), key="first")], idempotent=True
    )
    if item.error is not None:
        raise item.error
    page = _raw_tasks(item.result)
    if not _continues(page, 0):
        raise UnexpectedResponse("the portal returned tasks out of id order", http_status=200)
    return page


async def _extent(
    client: BitrixClient, conditions: Mapping[str, Any]
) -> tuple[int | None, int | None]:
    """(how many tasks match, the highest matching id), each asked in a request of its own
    while the first page is read; None for what the portal would not say."""
    count = BatchCall(
        LIST,
        {"order": {"ID": "asc"}, "filter": dict(conditions), "select": ["ID"], "start": 0},
        key="count",
    )
    top = BatchCall(
        LIST,
        {"order": {"ID": "desc"}, "filter": dict(conditions), "select": ["ID"], "start": -1},
        key="top",
    )

    async def ask(call: BatchCall) -> BatchItemResult | B24Error:
        try:
            (item,) = await client.batch([call], idempotent=True)
        except B24Error as error:
            return error
        return item

    counted, highest = await asyncio.gather(ask(count), ask(top))
    total: int | None = None
    if isinstance(counted, BatchItemResult) and counted.error is None:
        total = counted.total
    else:
        logger.info("the number of tasks is unknown (%s)", _problem(counted))
    top_id: int | None = None
    if isinstance(highest, BatchItemResult) and highest.error is None:
        try:
            ids = [_int(_field(t, "id", "ID")) for t in _raw_tasks(highest.result)]
        except UnexpectedResponse as error:
            logger.info("the highest task id is unknown (%s)", error)
        else:
            top_id = max(ids, default=None)
    else:
        logger.info("the highest task id is unknown (%s)", _problem(highest))
    return total, top_id


def _problem(answer: BatchItemResult | B24Error) -> object:
    return answer.error if isinstance(answer, BatchItemResult) else answer


RANGE_MARGIN = 0.05
"""Extra share of tasks a range's first chain is sized for: ids are not spread evenly."""


def _plan(
    cursor: int, top: int | None, left: int | None, parallel: int
) -> list[tuple[int, int | None, float | None]]:
    """Id ranges (after lo, up to hi) to read side by side, with the tasks expected in each.

    The ids after the first page, up to the highest one, are cut into `parallel` ranges of
    equal width (at most one a page left), each expected to hold its share of the count.
    The last range ends at the highest id: tasks completed after the listing started may
    or may not be listed, as with any paged listing. Without the highest id, one
    open-ended range is read, its chains sized as it goes.
    """
    if top is None:
        return [(cursor, None, None if left is None else max(0, left))]
    if top <= cursor:
        return []  # the first page reached the highest id
    if left is None or left <= 0:
        return [(cursor, top, None)]
    count = max(1, min(parallel, -(-left // PAGE_SIZE)))
    width = (top - cursor) / count
    bounds = [cursor + round(width * i) for i in range(count)] + [top]
    return [(lo, hi, left / count) for lo, hi in itertools.pairwise(bounds)]


def _chain_for(tasks: float, pages_per_request: int) -> int:
    """Pages to chain for `tasks` expected (with a margin), counting the short last page."""
    return max(1, min(pages_per_request, int(tasks * (1 + RANGE_MARGIN) // PAGE_SIZE) + 1))


async def _range_pages(
    client: BitrixClient,
    conditions: Mapping[str, Any],
    cursor: int,
    upper: int | None,
    expected: float | None,
    pages_per_request: int,
) -> AsyncIterator[list[RawTask]]:
    """The pages of ids in (cursor, upper], chained `pages_per_request` at most per request,
    each chain as long as the tasks expected there need (then as the ids seen so far say)."""
    bounded = dict(conditions) if upper is None else {**conditions, "<=ID": upper}
    start, read, stalls, broken = cursor, 0, 0, False
    chain = _chain_for(expected, pages_per_request) if expected is not None else 2
    while True:
        calls = _chained_pages(bounded, cursor, chain)
        items = await _list_request(client, calls)
        outcome = _read_pages(items, cursor)
        for page in outcome.pages:
            read += len(page)
            yield page
        if outcome.finished:
            return
        if outcome.pages:
            cursor, stalls = _raw_id(outcome.pages[-1][-1]), 0
            if upper is not None and cursor >= upper:
                return  # the range's last id is read: nothing can follow it
        else:
            stalls += 1
            if stalls > _MAX_STALLS:
                raise outcome.error or UnexpectedResponse(
                    "listing tasks made no progress", http_status=200
                )
        if outcome.chain_broken and not broken:
            logger.warning("the portal broke a chained task listing; continuing page by page")
            broken = True
        if broken:
            chain = 1
        elif upper is not None and read and cursor > start:
            # More than expected here: as many pages as the ids seen so far suggest are left.
            chain = _chain_for((upper - cursor) * read / (cursor - start), pages_per_request)
        await _respect_limit(client, outcome.error, stalls)
        # One answer read, the next request's encoding in a turn of its own: a window's
        # event loop gets to paint between the two.
        await asyncio.sleep(0)


LIST_ATTEMPTS = 4
"""Sends of one request of a listing's range before the listing gives up (the client itself
resends a lost answer twice; a long listing of a flaky portal deserves a little more)."""


async def _list_request(client: BitrixClient, calls: list[BatchCall]) -> list[BatchItemResult]:
    """One request of chained pages, sent again after a pause when no clear answer came:
    reading changes nothing, and one flaky request should not end a listing of 100,000."""
    for attempt in range(1, LIST_ATTEMPTS + 1):
        try:
            return await client.batch(calls, idempotent=True)
        except (TransportError, ServerError, UnexpectedResponse) as failed:
            lasting = isinstance(failed, TLSError | UnexpectedRedirect) or (
                isinstance(failed, UnexpectedResponse)
                and failed.looks_like_html
                and failed.http_status < 500
            )
            if lasting or attempt == LIST_ATTEMPTS:
                raise
            logger.info("a listing request failed (%s); sending it again", failed)
            await client.pacer.budget.sleep(
                WaitKind.NETWORK, backoff_delay(attempt, client.policy), LIST
            )
    raise AssertionError("unreachable")


@dataclass(slots=True)
class _Outcome:
    pages: list[list[RawTask]]
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
        calls.append(BatchCall(LIST, params, key=f"p{index}"))
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
        page = list(raw)
        if not _continues(page, cursor):
            if index == 0:
                raise UnexpectedResponse(
                    "the portal returned tasks out of id order", http_status=200
                )
            outcome.chain_broken = True
            return outcome
        if page:
            outcome.pages.append(page)
            cursor = _raw_id(page[-1])
        if len(raw) < PAGE_SIZE:
            outcome.finished = True
            return outcome
    return outcome


def _continues(page: Sequence[RawTask], cursor: int) -> bool:
    previous = cursor
    for task in page:
        task_id = _raw_id(task)
        if task_id <= previous:
            return False
        previous = task_id
    return True


def _raw_id(task: RawTask) -> int:
    task_id = _int(_field(task, "id", "ID"))
    if task_id <= 0:
        raise UnexpectedResponse(f"a task without a valid id: {_shape(task)}", http_status=200)
    return task_id


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
        client.pacer.block_method(LIST, error.reset_at)
    elif error is not None and error.call_did_not_run:
        await client.pacer.after_query_limit(max(stalls, 1))


# --- reading tasks by id ---------------------------------------------------------------------

TaskStates = dict[int, TaskSnapshot | None]
"""Each task's current state; None: deleted or hidden from the user; absent: no answer."""


def snapshot_from_api(data: Mapping[str, Any]) -> TaskSnapshot:
    """A snapshot from one task of tasks.task.list/get/renew/complete (dates kept verbatim)."""
    closed = _field(data, "closedDate", "CLOSED_DATE")
    changed = _field(data, "changedDate", "CHANGED_DATE")
    status_changed = _field(data, "statusChangedDate", "STATUS_CHANGED_DATE")
    deadline = _field(data, "deadline", "DEADLINE")
    return TaskSnapshot(
        id=_int(_field(data, "id", "ID")),
        status=_int(_field(data, "status", "REAL_STATUS", "STATUS")),
        closed_date=closed if isinstance(closed, str) and closed else None,
        closed_by=_int(_field(data, "closedBy", "CLOSED_BY")),
        changed_date=changed if isinstance(changed, str) and changed else None,
        title=str(_field(data, "title", "TITLE") or ""),
        status_changed_date=status_changed
        if isinstance(status_changed, str) and status_changed
        else None,
        status_changed_by=_int(_field(data, "statusChangedBy", "STATUS_CHANGED_BY")),
        deadline=deadline if isinstance(deadline, str) and deadline else None,
    )


async def read_tasks(
    client: BitrixClient, ids: Iterable[int], select: Sequence[str] = STATE_SELECT
) -> TaskStates:
    """The current state of each task, 2,500 tasks per request (`tasks.task.list` by ids),
    several requests side by side.

    A task the list does not return is deleted or hidden from the user (None). Reading
    changes nothing, so a request that got no clear answer is sent again (a few times, the
    waits announced); a page the portal still did not answer leaves its tasks out of the
    result: their state is unknown, and the caller decides (the engine never guesses).
    """
    raw = await _read_by_id(client, ids, select)
    return {i: None if task is None else snapshot_from_api(task) for i, task in raw.items()}


async def _read_by_id(
    client: BitrixClient, ids: Iterable[int], select: Sequence[str]
) -> dict[int, RawTask | None]:
    """Each task as `tasks.task.list` sends it (None: deleted or hidden; absent: unread),
    50 ids a page, up to 50 pages a request (more than 4 pages: spread over one request
    more than that needs, `SPARE_READS`), requests side by side, unclear answers sent again."""
    unique = list(dict.fromkeys(_task_id(i) for i in ids))
    pages = [unique[i : i + PAGE_SIZE] for i in range(0, len(unique), PAGE_SIZE)]
    spare = SPARE_READS if len(pages) > SHORT_READ_PAGES else 0
    requests = _spread(pages, -(-len(pages) // MAX_BATCH) + spare)
    gate = asyncio.Semaphore(LIST_PARALLEL)

    async def read(group: list[list[int]]) -> dict[int, RawTask | None]:
        async with gate:
            return await _read_pages_by_id(client, group, select)

    found: dict[int, RawTask | None] = {}
    for part in await asyncio.gather(*(read(group) for group in requests)):
        found.update(part)
    return found


SPARE_READS = 1
"""Requests a read by id may send beyond one per 50 pages: its pages run one after another
on the portal, so one more request side by side halves the wait (a renew's pre-check of
1,000 tasks: 3.5 s instead of 7 s of `tasks.task.list` time)."""
SHORT_READ_PAGES = 4
"""A read of this many pages or fewer (1.4 s of list time) is not worth a second request."""


def _spread(pages: list[list[int]], requests: int) -> list[list[list[int]]]:
    """`pages` in order, over at most `requests` requests of near-equal length."""
    count = max(1, min(requests, len(pages)))
    size, extra = divmod(len(pages), count)
    groups: list[list[list[int]]] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        groups.append(pages[start:end])
        start = end
    return [g for g in groups if g]


READ_ATTEMPTS = 4
"""Sends of one read request before its tasks count as unread."""


async def _read_pages_by_id(
    client: BitrixClient, pages: list[list[int]], select: Sequence[str]
) -> dict[int, RawTask | None]:
    states: dict[int, RawTask | None] = {}
    left = list(pages)
    for attempt in range(1, READ_ATTEMPTS + 1):
        calls = [
            BatchCall(
                LIST,
                {
                    "order": {"ID": "asc"},
                    "filter": {"ID": page},
                    "select": list(select),
                    "start": -1,
                },
                key=f"r{index}",
            )
            for index, page in enumerate(left)
        ]
        items: list[BatchItemResult | None]
        try:
            items = list(await client.batch(calls, idempotent=True))
        except (TransportError, ServerError, UnexpectedResponse, QueryLimitExceeded) as failed:
            logger.info("reading %d pages of tasks failed (%s)", len(left), failed)
            items = [None] * len(left)
        again: list[list[int]] = []
        for page, item in zip(left, items, strict=True):
            problem = item.error if item is not None else None
            unclear = isinstance(problem, TransportError | ServerError | UnexpectedResponse)
            if item is None or unclear:
                again.append(page)
                continue
            if isinstance(problem, ApiError) and problem.call_did_not_run:
                again.append(page)
                continue
            if problem is not None:
                logger.info("%d tasks could not be read: %s", len(page), problem)
                continue
            try:
                found = {_int(_field(t, "id", "ID")): t for t in _raw_tasks(item.result)}
            except UnexpectedResponse as bad:
                logger.info("%d tasks could not be read: %s", len(page), bad)
                continue
            for task_id in page:
                states[task_id] = found.get(task_id)
        if not again:
            break
        left = again
        if attempt < READ_ATTEMPTS:
            await client.pacer.budget.sleep(
                WaitKind.NETWORK, backoff_delay(attempt, client.policy), LIST
            )
    else:
        logger.info("%d pages of tasks stay unread", len(left))
    return states


@dataclass(frozen=True, slots=True)
class TaskControl:
    """Who decides whether `tasks.task.complete` lands on 5 or on 4 (awaiting control)."""

    creator_id: int
    responsible_id: int
    task_control: bool
    """The creator has to accept the result of this task (`TASK_CONTROL`)."""

    def completes_to_control(self, user_id: int | None) -> bool:
        """Does completing it as `user_id` leave it awaiting its creator's approval?

        Yes when the task has control on, its creator is not its responsible, and the caller
        is not its creator (brief 12.1); an unknown caller is assumed not to be.
        """
        return (
            self.task_control
            and self.creator_id != self.responsible_id
            and (user_id is None or user_id != self.creator_id)
        )


CONTROL_SELECT: tuple[str, ...] = ("ID", "CREATED_BY", "RESPONSIBLE_ID", "TASK_CONTROL")


async def read_control(client: BitrixClient, ids: Iterable[int]) -> dict[int, TaskControl]:
    """Creator, responsible and task control of each task (read like `read_tasks`).

    A task that is gone, hidden or not answered for is left out.
    """
    return {
        task_id: TaskControl(
            creator_id=_int(_field(data, "createdBy", "CREATED_BY")),
            responsible_id=_int(_field(data, "responsibleId", "RESPONSIBLE_ID")),
            task_control=_truthy(_field(data, "taskControl", "TASK_CONTROL")),
        )
        for task_id, data in (await _read_by_id(client, ids, CONTROL_SELECT)).items()
        if data is not None
    }


@dataclass(frozen=True, slots=True)
class TaskAccess:
    """What `tasks.task.getaccess` says one user may do to a task."""

    visible: bool
    """False: the portal answered `allowedActions: []`: the user cannot see the task."""
    renew: bool = False
    approve: bool = False
    disapprove: bool = False


async def read_access(
    client: BitrixClient, ids: Iterable[int], user_id: int | None
) -> dict[int, TaskAccess]:
    """Each task's allowed actions for `user_id` (the caller when None), one cheap
    `getaccess` per task, 50 to a request. A task the portal did not answer for is left out."""
    unique = list(dict.fromkeys(_task_id(i) for i in ids))
    calls = [
        BatchCall(
            GETACCESS,
            {"taskId": task_id, **({"users": [user_id]} if user_id is not None else {})},
            key=f"a{task_id}",
        )
        for task_id in unique
    ]
    found: dict[int, TaskAccess] = {}
    items = await client.batch(calls, idempotent=True) if calls else []
    for task_id, item in zip(unique, items, strict=True):
        if item.error is not None:
            logger.info("task %d: access could not be read: %s", task_id, item.error)
            continue
        result = item.result if isinstance(item.result, Mapping) else {}
        allowed = result.get("allowedActions")
        if isinstance(allowed, list) and not allowed:
            found[task_id] = TaskAccess(visible=False)
            continue
        if not isinstance(allowed, Mapping) or not allowed:
            logger.info("task %d: an access answer without allowedActions", task_id)
            continue
        key = str(user_id) if user_id is not None else next(iter(allowed))
        actions = allowed.get(key)
        if not isinstance(actions, Mapping):
            found[task_id] = TaskAccess(visible=False)
            continue
        flags = {str(k).upper(): _truthy(v) for k, v in actions.items()}
        found[task_id] = TaskAccess(
            visible=any(flags.values()),
            renew=flags.get("RENEW", False),
            approve=flags.get("APPROVE", False),
            disapprove=flags.get("DISAPPROVE", False),
        )
    return found


async def webhook_user(client: BitrixClient) -> tuple[int | None, bool]:
    """(id, is an administrator) of the user the client acts as (`profile`, a cheap call)."""
    answer = (await client.call(PROFILE)).result
    me = answer if isinstance(answer, Mapping) else {}
    raw_id = str(me.get("ID") or "").strip()
    return (int(raw_id) if raw_id.isdigit() else None), _truthy(me.get("ADMIN"))


def deadline_calls(deadlines: Mapping[int, str | None]) -> list[BatchCall]:
    """One `tasks.task.update` per task setting its DEADLINE (None or "": no deadline)."""
    return [
        BatchCall(UPDATE, {"taskId": i, "fields": {"DEADLINE": d or ""}}, key=f"d{i}")
        for i, d in deadlines.items()
    ]


COMMENT_ADD = "task.commentitem.add"
"""Adds a comment (positional TASKID, FIELDS); still works where comments live in the task
chat, where update, delete and list do not (brief 12.1)."""


def comment_calls(ids: Iterable[int], text: str) -> list[BatchCall]:
    """One comment with `text` on each task (the legacy method reads values by position)."""
    return [
        BatchCall(COMMENT_ADD, {"TASKID": i, "FIELDS": {"POST_MESSAGE": text}}, key=f"c{i}")
        for i in ids
    ]


def write_calls(method: str, ids: Iterable[int]) -> list[BatchCall]:
    """One call of a write method (renew, complete, ...) per task, keyed by the task's id."""
    # The deprecated task.item.* methods read parameters by position; TASKID is first.
    name = "TASKID" if method.startswith("task.item.") else "taskId"
    return [BatchCall(method, {name: task_id}, key=f"t{task_id}") for task_id in ids]


# --- what the portal offers ------------------------------------------------------------------


class MethodState(enum.Enum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    """The method exists, but the webhook or app was not granted its scope."""
    MISSING = "missing"
    """This portal version does not have it."""
    UNKNOWN = "unknown"
    """A portal older than `method.get` itself: only calling the method will tell."""


async def method_state(client: BitrixClient, method: str) -> MethodState:
    """Ask `method.get` about `method`; other errors (connection, sign-in) are raised."""
    try:
        answer = (await client.call(METHOD_GET, {"name": method})).result
    except MethodNotFound:
        return MethodState.UNKNOWN
    info = answer if isinstance(answer, Mapping) else {}
    if not _truthy(info.get("isExisting")):
        return MethodState.MISSING
    return (
        MethodState.AVAILABLE if _truthy(info.get("isAvailable", True)) else MethodState.UNAVAILABLE
    )


def task_url(portal_url: str, user_id: int, task_id: int) -> str:
    """The task's page on the portal, as Bitrix24 links it from a user's task list."""
    return f"{portal_url.rstrip('/')}/company/personal/user/{user_id}/tasks/task/view/{task_id}/"


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


def _truthy(value: Any) -> bool:
    """PHP-ish booleans: true, 1, "1", "Y", "true"."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "y", "yes", "true")
    return bool(value)


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
