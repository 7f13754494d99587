"""batch: the five result maps, $result references, halt, length limit, nesting, encodings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from sandbox_support import Api

from b24desk.sandbox.phpquery import build_query

COMPLETED_PAGE = "tasks.task.list?filter[REAL_STATUS]=5&order[ID]=asc&select[]=ID&start=-1"


def batch(api: Api, cmd: Any, halt: Any = 0) -> dict[str, Any]:
    answer = api.ok("batch", halt=halt, cmd=cmd)
    assert set(answer) == {"result", "time"}
    return dict(answer["result"])


def completed_ids(api: Api) -> list[int]:
    return sorted(t.id for t in api.portal.tasks.values() if t.status == 5)


def page_ids(result: Any) -> list[int]:
    return [int(t["id"]) for t in result["tasks"]]


def test_successful_batch_fills_result_total_next_and_time(api: Api) -> None:
    out = batch(
        api,
        {
            "me": "user.current",
            "page": "tasks.task.list?filter[REAL_STATUS]=5&select[]=ID",
        },
    )
    assert set(out) == {"result", "result_error", "result_total", "result_next", "result_time"}
    assert out["result"]["me"]["ID"] == "1"
    assert len(out["result"]["page"]["tasks"]) == 50
    assert out["result_error"] == []
    assert out["result_total"] == {"page": len(completed_ids(api))}
    assert out["result_next"] == {"page": 50}
    assert set(out["result_time"]) == {"me", "page"}
    assert "operating" in out["result_time"]["page"]


def test_result_reference_with_nested_index_chains_pages(api: Api) -> None:
    second = COMPLETED_PAGE + "&filter[>ID]=$result[req_0][tasks][49][id]"
    third = COMPLETED_PAGE + "&filter[>ID]=$result[req_1][tasks][49][id]"
    out = batch(api, {"req_0": COMPLETED_PAGE, "req_1": second, "req_2": third})
    chained = [i for key in ("req_0", "req_1", "req_2") for i in page_ids(out["result"][key])]
    assert chained == completed_ids(api)[:150]


def test_reference_inside_a_longer_value_is_pasted_as_text(api: Api) -> None:
    task = next(t for t in api.portal.tasks.values() if t.title.endswith(f"invoice {t.id}"))
    out = batch(
        api,
        {
            "one": f"tasks.task.get?taskId={task.id}&select[]=ID",
            "same": "tasks.task.list?select[]=ID&filter[%TITLE]=invoice $result[one][task][id]",
        },
    )
    expected = sorted(t.id for t in api.portal.tasks.values() if f"invoice {task.id}" in t.title)
    assert sorted(page_ids(out["result"]["same"])) == expected


def test_total_and_next_can_be_referenced_too(api: Api) -> None:
    out = batch(
        api,
        {
            "page": "tasks.task.list?filter[REAL_STATUS]=5&select[]=ID&order[ID]=asc",
            "after": "tasks.task.list?filter[REAL_STATUS]=5&select[]=ID&order[ID]=asc"
            "&start=$next[page]",
        },
    )
    assert page_ids(out["result"]["after"]) == completed_ids(api)[50:100]


def test_reference_into_a_short_page_matches_nothing(api: Api) -> None:
    few = completed_ids(api)[:3]
    first = f"tasks.task.list?select[]=ID&filter[ID][]={few[0]}&filter[ID][]={few[1]}"
    out = batch(api, {"a": first, "b": COMPLETED_PAGE + "&filter[>ID]=$result[a][tasks][49][id]"})
    assert len(out["result"]["a"]["tasks"]) == 2
    assert out["result"]["b"]["tasks"] == []


def test_more_than_50_commands_each_extra_one_gets_an_error(api: Api) -> None:
    cmd = {f"c{i}": "server.time" for i in range(53)}
    response = api.call("batch", halt=0, cmd=cmd)
    assert response.status_code == 200
    out = response.json()["result"]
    assert len(out["result"]) == 50
    assert set(out["result_error"]) == {"c50", "c51", "c52"}
    assert out["result_error"]["c51"] == {
        "error": "ERROR_BATCH_LENGTH_EXCEEDED",
        "error_description": "Max batch length exceeded",
    }
    assert api.portal.method_calls["server.time"] == 50


def test_halt_0_runs_on_and_halt_1_stops_at_the_first_error(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(webhook_scopes=("task",))
    cmd = {
        "get_user": "user.current",
        "get_department": "department.get?ID=$result[get_user][UF_DEPARTMENT][0]",
    }
    scope_error = {"error": "insufficient_scope", "error_description": ""}
    halt0 = batch(api, cmd, halt=0)
    assert halt0 == {
        "result": [],
        "result_error": {"get_user": scope_error, "get_department": scope_error},
        "result_total": [],
        "result_next": [],
        "result_time": [],
    }
    halt1 = batch(api, cmd, halt=1)
    assert halt1["result_error"] == {"get_user": scope_error}


@pytest.mark.parametrize(("halt", "stops"), [("0", False), (True, True), ("false", True)])
def test_halt_is_read_as_php_truthiness(api: Api, halt: Any, stops: bool) -> None:
    out = batch(api, {"bad": "no.such.method", "good": "server.time"}, halt=halt)
    assert ("good" not in out["result"]) is stops


def test_command_list_gives_numbered_results(api: Api) -> None:
    out = batch(api, ["server.time", "profile"])
    assert isinstance(out["result"], list)
    assert out["result"][1]["ID"] == "1"


def test_nested_batch_and_unknown_methods_fail_inside(api: Api) -> None:
    out = batch(api, {"inner": "batch?cmd[x]=server.time", "nope": "tasks.task.nope"})
    assert out["result_error"]["inner"]["error"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"
    assert out["result_error"]["nope"]["error"] == "ERROR_METHOD_NOT_FOUND"
    assert "server.time" not in api.portal.method_calls


def test_renews_in_a_batch_report_each_refusal(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    completed = [t for t in api.portal.tasks.values() if t.status == 5]
    mine = next(t for t in completed if t.responsible_id == 1)
    other = next(t for t in completed if 1 not in t.participants())
    out = batch(
        api,
        {"ok": f"tasks.task.renew?taskId={mine.id}", "no": f"tasks.task.renew?taskId={other.id}"},
    )
    assert out["result"]["ok"]["task"]["status"] == "2"
    assert out["result_error"]["no"] == {
        "error": "1048582",
        "error_description": "Action on the task is not allowed",
    }
    assert (mine.status, other.status) == (2, 5)


def test_a_batch_is_one_http_request_and_many_method_calls(api: Api) -> None:
    batch(api, {f"t{i}": "server.time" for i in range(5)} | {"p": "profile"})
    assert api.portal.http_requests == 1
    assert api.portal.method_calls["server.time"] == 5
    assert api.portal.method_calls["profile"] == 1
    assert api.portal.method_calls["batch"] == 1


def test_batch_as_a_form_body(api: Api) -> None:
    body = build_query({"halt": 0, "cmd": {"a": COMPLETED_PAGE, "t": "server.time"}})
    response = api.http.post(
        api.url + "batch",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert page_ids(response.json()["result"]["result"]["a"]) == completed_ids(api)[:50]


def test_batch_in_a_get_query_string_is_double_encoded(api: Api) -> None:
    command = quote("tasks.task.list?" + "filter[%3EID]=100&select[]=ID&order[ID]=asc", safe="")
    response = api.http.get(api.url + "batch?halt=0&cmd[a]=" + command)
    assert response.status_code == 200
    found = page_ids(response.json()["result"]["result"]["a"])
    assert found == sorted(i for i in api.portal.tasks if i > 100)[:50]
