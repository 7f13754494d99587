"""tasks.task.list and tasks.task.get: filters, order, select, paging, visibility."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sandbox_support import Api

from b24desk.sandbox.access import caller_for, sub_status
from b24desk.sandbox.model import SandboxTask

PORTAL_TZ = timezone(timedelta(hours=3))
TIME_KEYS = {
    "start",
    "finish",
    "duration",
    "processing",
    "date_start",
    "date_finish",
    "operating_reset_at",
    "operating",
}


def ids(answer: dict[str, Any]) -> list[int]:
    return [int(task["id"]) for task in answer["result"]["tasks"]]


def list_all(api: Api, flt: dict[str, Any], order: dict[str, str] | None = None) -> list[int]:
    """Page through with `start`, the way the docs describe it."""
    found: list[int] = []
    start: int | None = 0
    while start is not None:
        answer = api.ok(
            "tasks.task.list",
            filter=flt,
            order=order or {"ID": "asc"},
            select=["ID"],
            start=start,
        )
        found += ids(answer)
        start = answer.get("next")
    return found


def expected(api: Api, keep: Callable[[SandboxTask], bool]) -> list[int]:
    return sorted(t.id for t in api.portal.tasks.values() if keep(t))


def test_envelope_has_total_next_and_time_beside_result(api: Api) -> None:
    answer = api.ok("tasks.task.list", filter={"REAL_STATUS": 5}, select=["ID", "TITLE"])
    assert set(answer) == {"result", "total", "next", "time"}
    assert answer["total"] == sum(t.status == 5 for t in api.portal.tasks.values())
    assert answer["next"] == 50
    assert len(answer["result"]["tasks"]) == 50
    assert set(answer["time"]) == TIME_KEYS
    first = answer["result"]["tasks"][0]
    assert isinstance(first["id"], str)
    assert isinstance(first["title"], str)


def test_default_order_is_id_descending(api: Api) -> None:
    answer = api.ok("tasks.task.list", select=["ID"])
    assert ids(answer) == sorted(api.portal.tasks, reverse=True)[:50]


def test_paging_with_start_visits_every_match_once(api: Api) -> None:
    found = list_all(api, {"REAL_STATUS": 5})
    assert found == expected(api, lambda t: t.status == 5)


def test_last_page_has_no_next_and_start_rounds_down_to_a_page(api: Api) -> None:
    total = sum(t.status == 5 for t in api.portal.tasks.values())
    last_start = (total - 1) // 50 * 50
    last = api.ok("tasks.task.list", filter={"REAL_STATUS": 5}, select=["ID"], start=last_start)
    assert "next" not in last
    assert last["total"] == total
    assert len(last["result"]["tasks"]) == total - last_start
    odd = api.ok("tasks.task.list", filter={"REAL_STATUS": 5}, select=["ID"], start=57)
    page_two = api.ok("tasks.task.list", filter={"REAL_STATUS": 5}, select=["ID"], start=50)
    assert ids(odd) == ids(page_two)


def test_start_minus_one_gives_no_total_and_no_next(api: Api) -> None:
    answer = api.ok("tasks.task.list", filter={"REAL_STATUS": 5}, select=["ID"], start=-1)
    assert "total" not in answer
    assert "next" not in answer
    assert len(answer["result"]["tasks"]) == 50


def test_cursor_paging_by_id_collects_the_same_tasks(api: Api) -> None:
    found: list[int] = []
    last = 0
    while True:
        answer = api.ok(
            "tasks.task.list",
            filter={"REAL_STATUS": 5, ">ID": last},
            order={"ID": "asc"},
            select=["ID"],
            start=-1,
        )
        page = ids(answer)
        found += page
        if len(page) < 50:
            break
        last = page[-1]
    assert found == expected(api, lambda t: t.status == 5)


@pytest.mark.parametrize(
    ("key", "keep"),
    [
        (">ID", lambda t, x: t.id > x),
        (">=ID", lambda t, x: t.id >= x),
        ("<ID", lambda t, x: t.id < x),
        ("<=ID", lambda t, x: t.id <= x),
        ("!ID", lambda t, x: t.id != x),
        ("ID", lambda t, x: t.id == x),
        ("=ID", lambda t, x: t.id == x),
        ("!=ID", lambda t, x: t.id != x),
    ],
)
def test_id_operators(api: Api, key: str, keep: Callable[[SandboxTask, int], bool]) -> None:
    pivot = sorted(api.portal.tasks)[len(api.portal.tasks) // 2]
    assert list_all(api, {key: pivot}) == expected(api, lambda t: keep(t, pivot))


def test_id_list_means_in_and_negated_list_means_not_in(api: Api) -> None:
    some = sorted(api.portal.tasks)[10:13]
    assert list_all(api, {"ID": some}) == some
    assert list_all(api, {"!ID": some}) == expected(api, lambda t: t.id not in some)


def test_string_values_work_like_numbers(api: Api) -> None:
    pivot = sorted(api.portal.tasks)[100]
    assert list_all(api, {">ID": str(pivot)}) == expected(api, lambda t: t.id > pivot)


@pytest.mark.parametrize("status", [1, 2, 3, 4, 5, 6, 7])
def test_real_status(api: Api, status: int) -> None:
    assert list_all(api, {"REAL_STATUS": status}) == expected(api, lambda t: t.status == status)


def test_real_status_list_and_negation(api: Api) -> None:
    assert list_all(api, {"REAL_STATUS": [4, 5]}) == expected(api, lambda t: t.status in (4, 5))
    assert list_all(api, {"!REAL_STATUS": 5}) == expected(api, lambda t: t.status != 5)


@pytest.mark.parametrize("meta", [-1, -2, -3, 5])
def test_status_filter_uses_the_sorting_status_with_meta_values(api: Api, meta: int) -> None:
    me = caller_for(api.portal.data, 1)
    now = api.portal.clock()
    wanted = expected(api, lambda t: sub_status(t, me, now) == meta)
    assert wanted, f"no task with sub-status {meta} in the sample"
    assert list_all(api, {"STATUS": meta}) == wanted


def test_overdue_meta_status_means_deadline_passed_on_a_task_not_done(api: Api) -> None:
    """-1 masks 1, 2, 3, 6 and 7 (7 except for its responsible person), never 4 or 5."""
    now = api.portal.clock()
    overdue = list_all(api, {"STATUS": -1})
    seen = set()
    for task_id in overdue:
        task = api.portal.tasks[task_id]
        assert task.deadline is not None
        assert task.deadline < now
        assert task.status in (1, 2, 3, 6, 7)
        assert not (task.status == 7 and task.responsible_id == 1)
        seen.add(task.status)
    assert {6, 7} <= seen, "the sample has overdue deferred and declined tasks"
    past_done = expected(
        api, lambda t: t.status in (4, 5) and t.deadline is not None and t.deadline < now
    )
    assert past_done, "the sample has completed tasks past their deadline"
    assert not set(past_done) & set(overdue)


def test_a_declined_task_is_not_overdue_for_its_responsible(api: Api) -> None:
    task = next(t for t in api.portal.tasks.values() if t.status == 7 and t.responsible_id == 1)
    task.deadline = api.portal.clock() - 86_400
    me = caller_for(api.portal.data, 1)
    assert sub_status(task, me, api.portal.clock()) == 7
    other = caller_for(api.portal.data, task.created_by)
    assert sub_status(task, other, api.portal.clock()) == -1


def test_sub_status_is_printed_beside_status(api: Api) -> None:
    answer = api.ok("tasks.task.list", filter={"STATUS": -1}, select=["ID", "STATUS"])
    assert {t["subStatus"] for t in answer["result"]["tasks"]} == {"-1"}
    assert {t["status"] for t in answer["result"]["tasks"]} <= {"1", "2", "3", "6", "7"}


@pytest.mark.parametrize(
    ("key", "attribute"),
    [("RESPONSIBLE_ID", "responsible_id"), ("CREATED_BY", "created_by"), ("GROUP_ID", "group_id")],
)
def test_people_and_group_filters(api: Api, key: str, attribute: str) -> None:
    values = [getattr(t, attribute) for t in api.portal.tasks.values()]
    common = max(set(values) - {0}, key=values.count)
    wanted = expected(api, lambda t: getattr(t, attribute) == common)
    assert list_all(api, {key: common}) == wanted


def test_accomplice_and_auditor_filters(api: Api) -> None:
    assert list_all(api, {"ACCOMPLICE": 1}) == expected(api, lambda t: 1 in t.accomplices)
    assert list_all(api, {"AUDITOR": 1}) == expected(api, lambda t: 1 in t.auditors)


def _ts(text: str) -> float:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PORTAL_TZ)
    return moment.timestamp()


@pytest.mark.parametrize(
    ("flt", "keep"),
    [
        ({">=CLOSED_DATE": "2025-01-01"}, lambda c: c >= _ts("2025-01-01")),
        ({"<CLOSED_DATE": "2025-01-01"}, lambda c: c < _ts("2025-01-01")),
        (
            {">=CLOSED_DATE": "2025-03-01T00:00:00+00:00", "<=CLOSED_DATE": "2025-06-30 23:59:59"},
            lambda c: _ts("2025-03-01T00:00:00+00:00") <= c <= _ts("2025-06-30 23:59:59"),
        ),
        ({">CLOSED_DATE": "01.08.2025"}, lambda c: c > _ts("2025-08-01")),
        ({">=CLOSED_DATE": "2025-09-01T10:00:00Z"}, lambda c: c >= _ts("2025-09-01T10:00:00Z")),
    ],
)
def test_closed_date_ranges_accept_iso_dates_and_datetimes(
    api: Api, flt: dict[str, str], keep: Callable[[float], bool]
) -> None:
    wanted = expected(api, lambda t: t.closed_date is not None and keep(t.closed_date))
    assert wanted
    assert list_all(api, {"REAL_STATUS": 5, **flt}) == [
        i for i in wanted if api.portal.tasks[i].status == 5
    ]


def test_empty_date_means_no_date(api: Api) -> None:
    assert list_all(api, {"DEADLINE": ""}) == expected(api, lambda t: t.deadline is None)
    assert list_all(api, {"!DEADLINE": ""}) == expected(api, lambda t: t.deadline is not None)


def test_title_substring_is_case_insensitive_also_in_cyrillic(api: Api) -> None:
    assert list_all(api, {"%TITLE": "ДОГОВОР"}) == expected(api, lambda t: "договор" in t.title)
    assert list_all(api, {"%TITLE": "Report"}) == expected(
        api, lambda t: "report" in t.title.lower()
    )
    assert list_all(api, {"!%TITLE": "report"}) == expected(
        api, lambda t: "report" not in t.title.lower()
    )


def test_title_patterns_use_like_wildcards(api: Api) -> None:
    assert list_all(api, {"TITLE": "Prepare%"}) == expected(
        api, lambda t: t.title.startswith("Prepare")
    )
    exact = api.portal.tasks[sorted(api.portal.tasks)[3]].title
    assert list_all(api, {"TITLE": exact}) == expected(api, lambda t: t.title == exact)
    assert list_all(api, {"TITLE": "Fix the checkout bug _"}) == expected(
        api, lambda t: t.title.startswith("Fix the checkout bug ") and len(t.title) == 22
    )


def test_order_by_title_and_closed_date(api: Api) -> None:
    by_title = api.ok("tasks.task.list", order={"TITLE": "asc", "ID": "asc"}, select=["TITLE"])
    titles = [t["title"].casefold() for t in by_title["result"]["tasks"]]
    assert titles == sorted(titles)
    latest = api.ok(
        "tasks.task.list",
        filter={"REAL_STATUS": 5},
        order={"closed_date": "DESC"},
        select=["ID", "CLOSED_DATE"],
    )
    dates = [_ts(t["closedDate"]) for t in latest["result"]["tasks"]]
    assert dates == sorted(dates, reverse=True)
    newest = max(t.closed_date or 0 for t in api.portal.tasks.values() if t.status == 5)
    assert dates[0] == newest


def test_invalid_sort_key_is_the_documented_error(api: Api) -> None:
    response = api.call("tasks.task.list", order={"NOPE": "asc"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "0",
        "error_description": "Invalid sorting key (internal error)",
    }


def test_select_limits_fields_and_adds_companions(api: Api) -> None:
    task = next(t for t in api.portal.tasks.values() if t.accomplices and t.group_id)
    answer = api.ok(
        "tasks.task.list",
        filter={"ID": task.id},
        select=["ID", "RESPONSIBLE_ID", "ACCOMPLICES", "AUDITORS", "STATUS"],
    )
    row = answer["result"]["tasks"][0]
    assert set(row) == {
        "id",
        "responsibleId",
        "accomplices",
        "auditors",
        "status",
        "subStatus",
        "group",
        "responsible",
        "accomplicesData",
        "auditorsData",
    }
    assert row["accomplices"] == [str(u) for u in task.accomplices]
    assert sorted(row["accomplicesData"]) == sorted(str(u) for u in task.accomplices)
    assert row["group"]["id"] == str(task.group_id)
    if not task.auditors:
        assert row["auditorsData"] == []


def test_select_star_gives_the_full_record(api: Api) -> None:
    row = api.ok("tasks.task.list", select=["*"])["result"]["tasks"][0]
    for key in ("closedDate", "closedBy", "createdBy", "changedDate", "groupId", "checklist"):
        assert key in row


def test_select_that_is_not_an_array_is_error_100(api: Api) -> None:
    response = api.call("tasks.task.list", select="ID")
    assert response.status_code == 400
    assert response.json()["error"] == "100"
    assert "{select}" in response.json()["error_description"]


def test_non_admin_sees_only_tasks_it_takes_part_in(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    mine = expected(api, lambda t: 1 in t.participants())
    assert list_all(api, {}) == mine
    assert len(mine) < len(api.portal.tasks) / 3


def test_get_returns_the_card_of_a_visible_task(api: Api) -> None:
    task_id = sorted(api.portal.tasks)[0]
    answer = api.ok("tasks.task.get", taskId=task_id, select=["ID", "TITLE"])
    card = answer["result"]["task"]
    assert card["id"] == str(task_id)
    assert card["favorite"] in ("Y", "N")
    assert "action" in card
    assert "group" in card


def test_get_of_an_invisible_or_missing_task_is_an_empty_result(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(admin=False)
    hidden = next(t.id for t in api.portal.tasks.values() if 1 not in t.participants())
    assert api.ok("tasks.task.get", taskId=hidden)["result"] == []
    assert api.ok("tasks.task.get", taskId=max(api.portal.tasks) + 5)["result"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [({}, "100"), ({"taskId": "abc"}, "0"), ({"taskId": [1]}, "0"), ({"taskId": -4}, "0")],
)
def test_get_with_a_bad_task_id(api: Api, params: dict[str, Any], code: str) -> None:
    response = api.call("tasks.task.get", params or {"select": ["ID"]})
    assert response.status_code == 400
    assert response.json()["error"] == code


def test_no_next_when_the_last_page_is_exactly_full(api: Api) -> None:
    hundred = sorted(api.portal.tasks)[:100]
    first = api.ok("tasks.task.list", filter={"ID": hundred}, order={"ID": "asc"}, select=["ID"])
    assert (first["total"], first["next"]) == (100, 50)
    last = api.ok(
        "tasks.task.list", filter={"ID": hundred}, order={"ID": "asc"}, select=["ID"], start=50
    )
    assert ids(last) == hundred[50:]
    assert "next" not in last


@pytest.mark.parametrize("admin", [True, False])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_cursor_pages_equal_the_first_counted_page(
    make_api: Callable[..., Api], admin: bool, direction: str
) -> None:
    """`start=-1` with ID order walks from the cursor; it must match a full sort-and-filter."""
    api = make_api(admin=admin)
    all_ids = sorted(api.portal.tasks)
    cursors = [None, all_ids[0] - 1, all_ids[len(all_ids) // 3], all_ids[-60], all_ids[-1]]
    filters: list[dict[str, Any]] = [{}, {"REAL_STATUS": 5}, {"REAL_STATUS": [2, 5], "%TITLE": "a"}]
    for cursor in cursors:
        for base in filters:
            for key in (">ID", ">=ID", "<ID", "<=ID"):
                flt = dict(base)
                if cursor is not None:
                    flt[key] = cursor
                common = {"filter": flt, "order": {"ID": direction}, "select": ["ID"]}
                fast = api.ok("tasks.task.list", start=-1, **common)
                counted = api.ok("tasks.task.list", start=0, **common)
                assert ids(fast) == ids(counted), (flt, direction)
                assert "total" not in fast
