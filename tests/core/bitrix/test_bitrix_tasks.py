from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import httpx
import pytest

from b24desk.core.bitrix import errors as e
from b24desk.core.bitrix.auth import WebhookAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.bitrix.tasks import (
    completed_filter,
    iter_completed_pages,
    iter_completed_tasks,
    parse_portal_datetime,
    read_tasks,
    task_from_api,
)
from b24desk.core.model import TaskFilter, TaskRecord

FAKE_CODE = "fakewebhookcode0000"


def test_completed_filter_maps_every_field() -> None:
    task_filter = TaskFilter(
        closed_after=date(2024, 3, 1),
        closed_before=date(2024, 3, 31),
        responsible_id=7,
        creator_id=0,
        group_id=12,
        search="  invoice ",
    )
    assert completed_filter(task_filter) == {
        "REAL_STATUS": 5,
        ">=CLOSED_DATE": "2024-03-01T00:00:00",
        "<CLOSED_DATE": "2024-04-01T00:00:00",  # the end day is included
        "RESPONSIBLE_ID": 7,
        "CREATED_BY": 0,
        "GROUP_ID": 12,
        "%TITLE": "invoice",
    }
    assert completed_filter(TaskFilter()) == {"REAL_STATUS": 5}


@pytest.mark.parametrize(
    ("task_filter", "message"),
    [
        (TaskFilter(responsible_id=-1), "RESPONSIBLE_ID must be a whole number"),
        (TaskFilter(group_id="5"), "GROUP_ID must be a whole number"),  # type: ignore[arg-type]
        (TaskFilter(creator_id=True), "CREATED_BY must be a whole number"),
    ],
)
def test_bad_filter_values_get_a_clear_message(task_filter: TaskFilter, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        completed_filter(task_filter)


def test_task_from_the_documented_list_answer(docs_fixtures: Path) -> None:
    page = json.loads((docs_fixtures / "tasks.task.list.response.json").read_text())
    record = task_from_api(page["result"]["tasks"][0])
    assert record == TaskRecord(
        id=8017,
        title="Task Example",
        status=2,
        responsible_id=547,
        responsible_name="Maria",
        group_name="",  # "group": [] is PHP's empty array
    )


def test_task_from_the_documented_get_answer(docs_fixtures: Path) -> None:
    answer = json.loads((docs_fixtures / "tasks.task.get.response.json").read_text())
    task = answer["result"]["task"]
    record = task_from_api(task)
    assert record.id == int(task["id"])
    assert record.creator_id == int(task["createdBy"])
    assert record.creator_name == task["creator"]["name"]


def test_task_with_names_dates_and_upper_case_keys() -> None:
    camel = {
        "id": "42",
        "title": "Close Q3",
        "status": "5",
        "responsibleId": "3",
        "createdBy": "4",
        "groupId": "9",
        "closedBy": "3",
        "closedDate": "2025-06-04T16:15:55+02:00",
        "responsible": {"id": "3", "name": "Ann Lee"},
        "creator": {"id": "4", "name": "Bob Stone"},
        "group": {"id": "9", "name": "Finance"},
    }
    record = task_from_api(camel)
    assert (record.responsible_name, record.creator_name, record.group_name) == (
        "Ann Lee",
        "Bob Stone",
        "Finance",
    )
    assert record.closed_date == datetime(2025, 6, 4, 14, 15, 55, tzinfo=UTC)
    assert record.closed_date is not None
    assert record.closed_date.utcoffset() == timedelta(hours=2)
    upper = {"ID": "42", "TITLE": "Close Q3", "REAL_STATUS": "5", "RESPONSIBLE_ID": "3"}
    assert task_from_api(upper) == TaskRecord(42, "Close Q3", 5, 3)


@pytest.mark.parametrize("data", [{}, {"id": "x"}, {"id": "0"}, {"title": "no id"}])
def test_a_task_without_an_id_is_an_unexpected_response(data: dict[str, Any]) -> None:
    with pytest.raises(e.UnexpectedResponse, match="without a valid id"):
        task_from_api(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2025-06-04T16:15:55+02:00",
            datetime(2025, 6, 4, 16, 15, 55, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2025-06-04T16:15:55", datetime(2025, 6, 4, 16, 15, 55, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("04.06.2025 garbage", None),
    ],
)
def test_portal_datetimes(text: str | None, expected: datetime | None) -> None:
    assert parse_portal_datetime(text) == expected


# --- paging against a scripted portal ---------------------------------------------------------


class ChainPortal:
    """tasks.task.list in a batch over a list of ids, with pluggable misbehaviour: `>ID`
    cursors (literal or chained), an optional `<=ID` bound, order by id either way, and
    `start=0` answering how many tasks match."""

    REFERENCE = re.compile(r"^\$result\[(p\d+)\]\[tasks\]\[49\]\[id\]$")

    def __init__(self, ids: list[int]) -> None:
        self.ids = sorted(ids)
        self.batches: list[list[str]] = []
        self.unresolved: Callable[[str], int] = lambda ref: 0  # "filter ignored"
        self.tamper: Callable[[str, list[int]], list[int] | e.ApiError] = lambda key, page: page

    def page_after(self, cursor: int, upper: int | None = None) -> list[int]:
        return [i for i in self.ids if i > cursor and (upper is None or i <= upper)][:50]

    def pages_read(self) -> int:
        """List calls that read tasks in order (the count and the highest id not counted)."""
        return sum(1 for batch in self.batches for key in batch if key not in ("top", "count"))

    def ranges(self) -> list[list[str]]:
        """The requests after the first three (first page, count, highest id)."""
        return [b for b in self.batches if b not in (["first"], ["count"], ["top"])]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        cmd: dict[str, str] = json.loads(request.content)["cmd"]
        self.batches.append(list(cmd))
        results: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        totals: dict[str, int] = {}
        for key, command in cmd.items():
            pairs = dict(
                (unquote_plus(k), unquote_plus(v))
                for k, _, v in (p.partition("=") for p in command.split("?", 1)[1].split("&"))
            )
            if pairs.get("order[ID]") == "desc":
                results[key] = {"tasks": [{"id": str(i)} for i in reversed(self.ids[-50:])]}
                continue
            if "filter[>ID]" not in pairs:  # the count
                results[key] = {"tasks": [{"id": str(i)} for i in self.ids[:50]]}
                totals[key] = len(self.ids)
                continue
            raw = pairs["filter[>ID]"]
            upper = int(pairs["filter[<=ID]"]) if "filter[<=ID]" in pairs else None
            match = self.REFERENCE.match(raw)
            if match:
                earlier = results.get(match.group(1), {}).get("tasks", [])
                cursor = int(earlier[49]["id"]) if len(earlier) == 50 else self.unresolved(raw)
            else:
                cursor = int(raw)
            page = self.tamper(key, self.page_after(cursor, upper))
            if isinstance(page, e.ApiError):
                errors[key] = {"error": page.code, "error_description": page.description}
                continue
            results[key] = {
                "tasks": [{"id": str(i), "title": f"T{i}", "status": "5"} for i in page]
            }
            if pairs.get("start") == "0":
                totals[key] = len([i for i in self.ids if i > cursor])
        body = {"result": results or [], "result_error": errors or [], "result_total": totals or []}
        return httpx.Response(200, json={"result": body, "time": {}})


def mock_client(handler: Any) -> BitrixClient:
    """A client on `handler` as its portal, with no pacing of its own."""
    return BitrixClient(
        WebhookAuth("https://example.bitrix24.com", 1, FAKE_CODE),
        transport=httpx.MockTransport(handler),
        rate_preset=None,
    )


async def list_ids(portal: ChainPortal, **kwargs: Any) -> tuple[list[int], BitrixClient]:
    client = mock_client(portal)
    async with client:
        ids = [
            r.id
            for page in [p async for p in iter_completed_tasks(client, TaskFilter(), **kwargs)]
            for r in page
        ]
    return ids, client


@pytest.mark.asyncio
@pytest.mark.parametrize("count", [0, 1, 49, 50, 51, 2499, 2500, 2501, 7777, 20_000])
async def test_paging_reads_no_page_past_the_end_and_splits_big_lists(count: int) -> None:
    portal = ChainPortal(list(range(3, 3 + 2 * count, 2)))
    ids, client = await list_ids(portal)
    assert ids == portal.ids  # every task once, in ascending order
    pages_needed = count // 50 + 1  # the last page is short (possibly empty)
    ranges = min(8, -(-(count - 50) // 50)) if count > 50 else 0
    # The first page, the count and the highest id, each a request of its own; then each
    # range once, its chain sized to its share of the count (a short page or two past it).
    assert len(portal.ranges()) == ranges
    assert client.http_requests <= 3 + ranges
    assert portal.pages_read() <= pages_needed + 2 * ranges
    if count <= 50:
        assert portal.pages_read() == 1  # the first page reached the highest id


@pytest.mark.asyncio
async def test_the_first_page_is_handed_over_before_the_count_is_in() -> None:
    portal = ChainPortal(list(range(1, 1001)))
    count_answered = asyncio.Event()
    inner = portal.__call__

    async def slow_count(request: httpx.Request) -> httpx.Response:
        if b'"count"' in request.content:
            await asyncio.sleep(0.05)
            count_answered.set()
        return inner(request)

    client = mock_client(slow_count)
    async with client:
        pages = iter_completed_tasks(client, TaskFilter())
        first = await anext(pages)
        assert [r.id for r in first] == list(range(1, 51))
        assert not count_answered.is_set()
        rest = [r.id async for page in pages for r in page]
    assert rest == list(range(51, 1001))


@pytest.mark.asyncio
async def test_big_lists_are_read_in_id_ranges_side_by_side() -> None:
    portal = ChainPortal(list(range(1, 10_001)))
    in_flight = 0
    most = 0
    inner = portal.__call__

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return inner(request)

    client = mock_client(slow)
    async with client:
        ids = [r.id async for page in iter_completed_tasks(client, TaskFilter()) for r in page]
    assert ids == list(range(1, 10_001))
    assert most == 8
    assert client.http_requests == 3 + 8


@pytest.mark.asyncio
@pytest.mark.parametrize("count", [30, 1000])
async def test_the_listing_tells_its_count_and_sizes_its_chains_from_it(count: int) -> None:
    portal = ChainPortal(list(range(1, count + 1)))
    heard: list[int | None] = []
    asked: list[int | None] = []

    def chain(total: int | None) -> int:
        asked.append(total)
        return 3

    client = mock_client(portal)
    async with client:
        ids = [
            int(task["id"])
            async for page in iter_completed_pages(
                client, TaskFilter(), pages_per_request=chain, parallel=2, on_count=heard.append
            )
            for task in page
        ]
    assert sorted(ids) == list(range(1, count + 1))
    assert heard == [count]  # once, from the listing's own requests
    assert ["count"] not in portal.batches[:1]  # the first page was not held up by a count
    if count > 50:
        assert asked == [count]
        assert max(len(batch) for batch in portal.ranges()) == 3
    else:
        assert asked == []  # one short page: nothing more to chain


@pytest.mark.asyncio
async def test_unordered_pages_come_as_each_range_answers() -> None:
    """For a table that sorts on its own: no page waits for an earlier range to finish."""
    portal = ChainPortal(list(range(1, 10_001)))
    inner = portal.__call__

    async def first_range_slow(request: httpx.Request) -> httpx.Response:
        # The range right after the first page answers last.
        if "filter[>ID]=50&" in unquote_plus(request.content.decode()):
            await asyncio.sleep(0.2)
        return inner(request)

    client = mock_client(first_range_slow)
    async with client:
        pages = [
            [task["id"] for task in page]
            async for page in iter_completed_pages(client, TaskFilter(), in_id_order=False)
        ]
    ids = [int(i) for page in pages for i in page]
    assert sorted(ids) == list(range(1, 10_001))  # each task once, none lost
    assert ids != sorted(ids)  # the slow first range did not hold the others back
    assert ids[:50] == list(range(1, 51))  # the first page still comes first


@pytest.mark.asyncio
@pytest.mark.parametrize("in_id_order", [False, True])
async def test_a_reader_that_stops_pulling_holds_unordered_reading_back(in_id_order: bool) -> None:
    """Pages handed over as they come wait at most one a range for the reader: a window
    that has not shown what it was given is not sent more to hold. (In id order, later
    ranges are read ahead on purpose: they wait for the earlier ones anyway.)"""
    portal = ChainPortal(list(range(1, 20_001)))
    client = mock_client(portal)
    async with client:
        pages = iter_completed_pages(
            client, TaskFilter(), pages_per_request=1, parallel=4, in_id_order=in_id_order
        )
        await anext(pages)  # the first page
        await anext(pages)
        for _ in range(50):  # the reader is busy; the loop turns many times meanwhile
            await asyncio.sleep(0)
        asked = len(portal.batches)
        rest = [page async for page in pages]
    # The first page, the count and the highest id, the page handed over, one a range
    # waiting, and one more a range read while its put waits.
    if in_id_order:
        assert asked > 3 + 1 + 4 + 4
    else:
        assert asked <= 3 + 1 + 4 + 4
    assert sum(len(p) for p in rest) == 20_000 - 100  # and nothing was lost


@pytest.mark.asyncio
@pytest.mark.parametrize("unresolved", [lambda ref: 0, lambda ref: 10**9, lambda ref: 75])
async def test_pages_after_a_short_page_are_ignored_whatever_the_portal_does(
    unresolved: Callable[[str], int],
) -> None:
    portal = ChainPortal(list(range(1, 121)))
    portal.unresolved = unresolved
    ids, _ = await list_ids(portal)
    assert ids == list(range(1, 121))


@pytest.mark.asyncio
async def test_a_page_that_does_not_continue_the_chain_switches_to_single_pages() -> None:
    portal = ChainPortal(list(range(1, 501)))
    portal.tamper = lambda key, page: [1, 2, 3, *page[3:]] if key == "p4" else page
    ids, _ = await list_ids(portal, parallel=1)
    assert ids == list(range(1, 501))
    # The first page, the count and the highest id; then a chain sized for the 450 left
    # (10 pages): 4 good pages, then the other 250 tasks one page per request, up to the
    # highest id (no empty page after it).
    assert [len(b) for b in portal.batches] == [1, 1, 1, 10] + [1] * 5


@pytest.mark.asyncio
async def test_a_refused_first_page_is_raised() -> None:
    portal = ChainPortal(list(range(1, 200)))
    portal.tamper = lambda key, page: e.ApiError("insufficient_scope", "")
    with pytest.raises(e.InsufficientScope):
        await list_ids(portal)


@pytest.mark.asyncio
async def test_an_out_of_order_first_page_is_raised() -> None:
    portal = ChainPortal(list(range(1, 200)))
    portal.tamper = lambda key, page: list(reversed(page))
    with pytest.raises(e.UnexpectedResponse, match="out of id order"):
        await list_ids(portal)


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_a_later_page_refused_by_the_rate_limit_resumes_from_the_last_good_one() -> None:
    portal = ChainPortal(list(range(1, 1001)))
    refused = {"p3"}

    def tamper(key: str, page: list[int]) -> list[int] | e.ApiError:
        if key in refused:
            refused.clear()
            return e.ApiError("QUERY_LIMIT_EXCEEDED", "Too many requests")
        return page

    portal.tamper = tamper
    ids, client = await list_ids(portal, pages_per_request=10, parallel=1)
    assert ids == list(range(1, 1001))
    assert client.stats.query_limit_hits == 1
    # The first page, the count and the highest id; then 10 pages of which p3 is refused
    # (3 good: 200 tasks so far); the same range goes on from there, 10 pages a request,
    # then the 7 its ids say are left, up to the highest id.
    assert [len(b) for b in portal.batches] == [1, 1, 1, 10, 10, 7]
    assert len(ids) == len(set(ids))


@pytest.mark.asyncio
async def test_pages_per_request_is_checked() -> None:
    with pytest.raises(ValueError, match="between 1 and 50"):
        await list_ids(ChainPortal([]), pages_per_request=51)


# --- read_tasks -----------------------------------------------------------------------------


def _page_ids(params: Any) -> list[int]:
    return [int(v) for v in params["filter"]["ID"]]


@pytest.mark.asyncio
async def test_read_tasks_maps_found_gone_and_unread(docs_fixtures: Path) -> None:
    """Found tasks come back as snapshots, ids the list leaves out as gone (None), and a
    page the portal refused leaves its ids out entirely (unknown, never guessed)."""
    sample = json.loads((docs_fixtures / "tasks.task.list.response.json").read_text())
    template = sample["result"]["tasks"][0]
    seen_pages: list[list[int]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        cmd = json.loads(request.content)["cmd"]
        results: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for key, command in cmd.items():
            method, _, query = command.partition("?")
            assert method == "tasks.task.list"
            ids = [int(x) for x in re.findall(r"filter\[ID\]\[\d+\]=(\d+)", query)]
            assert "start=-1" in query
            seen_pages.append(ids)
            if 150 in ids:
                errors[key] = {"error": "ERROR_CORE", "error_description": "boom"}
                continue
            results[key] = {
                "tasks": [
                    {
                        **template,
                        "id": str(i),
                        "status": "5",
                        "changedDate": f"2026-01-0{i % 9 + 1}",
                    }
                    for i in ids
                    if i % 10  # every tenth id is deleted or hidden
                ]
            }
        body = {"result": results, "result_error": errors, "result_total": []}
        return httpx.Response(200, json={"result": body})

    client = mock_client(handler)
    wanted = [*range(1, 201), 5]
    async with client:
        found = await read_tasks(client, wanted)
        assert await read_tasks(client, []) == {}
    assert client.http_requests == 1  # 200 tasks, 4 pages of 50 in one batch
    assert [len(page) for page in seen_pages] == [50, 50, 50, 50]
    refused = set(range(101, 151))
    assert set(found) == set(range(1, 201)) - refused
    for task_id, state in found.items():
        if task_id % 10 == 0:
            assert state is None
        else:
            assert state is not None
            assert (state.id, state.status, state.title) == (task_id, 5, template["title"])
            assert state.changed_date == f"2026-01-0{task_id % 9 + 1}"


@pytest.mark.asyncio
@pytest.mark.parametrize("bad", [0, -3, "7", True])
async def test_read_tasks_refuses_bad_ids(bad: Any) -> None:
    client = BitrixClient(
        WebhookAuth("https://example.bitrix24.com", 1, FAKE_CODE), rate_preset=None
    )
    async with client:
        with pytest.raises(ValueError, match="positive whole numbers"):
            await read_tasks(client, [1, bad])
