"""Request-rate leaky bucket and per-method operating time, on the fake clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sandbox_support import BASE, Api, FakeClock

QLE = {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}


def burst(api: Api, count: int, method: str = "server.time") -> list[int]:
    return [api.call(method).status_code for _ in range(count)]


@pytest.mark.parametrize(
    ("limits", "size", "rate"), [("standard", 50, 2.0), ("enterprise", 250, 5.0)]
)
def test_leaky_bucket_burst_then_drain(
    make_api: Callable[..., Api], clock: FakeClock, limits: str, size: int, rate: float
) -> None:
    api = make_api(limits=limits)
    assert burst(api, size) == [200] * size
    rejected = api.call("server.time")
    assert rejected.status_code == 503
    assert rejected.json() == QLE
    clock.advance(1 / rate)
    assert burst(api, 2) == [200, 503]
    clock.advance(10)
    allowed = int(10 * rate)
    assert burst(api, allowed + 1) == [200] * allowed + [503]


def test_limits_off_never_rejects(make_api: Callable[..., Api]) -> None:
    api = make_api(limits="off")
    assert set(burst(api, 400)) == {200}


def test_a_rejected_call_does_nothing(make_api: Callable[..., Api]) -> None:
    api = make_api(limits="standard")
    task = next(t for t in api.portal.tasks.values() if t.status == 5)
    burst(api, 50)
    response = api.call("tasks.task.renew", taskId=task.id)
    assert response.status_code == 503
    assert task.status == 5
    assert api.portal.method_calls["tasks.task.renew"] == 0


def test_a_batch_counts_once_for_the_bucket(make_api: Callable[..., Api]) -> None:
    api = make_api(limits="standard")
    cmd = {f"c{i}": "server.time" for i in range(50)}
    codes = [api.call("batch", cmd=cmd).status_code for _ in range(51)]
    assert codes == [200] * 50 + [503]
    assert api.portal.method_calls["server.time"] == 2500


def test_the_bucket_is_per_portal_whatever_the_credential(make_api: Callable[..., Api]) -> None:
    api = make_api(limits="standard")
    token = api.portal.issue_oauth_tokens().access_token
    burst(api, 50)
    response = api.http.post(f"{BASE}/rest/server.time", json={"auth": token})
    assert response.status_code == 503


# --- operating time --------------------------------------------------------------------


def costly(make_api: Callable[..., Api], budget_s: float = 25.0) -> Api:
    """Renew costs 10 s of operating time; after three of them (30 s > 25 s) it is blocked."""
    return make_api(
        limits="standard", method_cost_s={"tasks.task.renew": 10.0}, operating_budget_s=budget_s
    )


def renewable(api: Api, count: int) -> list[int]:
    return [t.id for t in api.portal.tasks.values() if t.status == 5][:count]


def test_operating_time_blocks_one_method_until_the_window_slides(
    make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = costly(make_api)
    ids = renewable(api, 5)
    for task_id in ids[:3]:
        clock.advance(1)
        answer = api.ok("tasks.task.renew", taskId=task_id)
    assert answer["time"]["operating"] == pytest.approx(30.0)
    first_use = int(answer["time"]["operating_reset_at"])
    assert first_use == int(clock.now - 2) + 600

    blocked = api.call("tasks.task.renew", taskId=ids[3])
    assert blocked.status_code == 429
    body = blocked.json()
    assert body["error"] == "OPERATION_TIME_LIMIT"
    assert body["error_description"] == "Method is blocked due to operation time limit."
    assert body["time"]["operating_reset_at"] == first_use
    assert api.portal.tasks[ids[3]].status == 5, "a blocked call does nothing"

    assert api.call("tasks.task.get", taskId=ids[3]).status_code == 200, "others keep working"

    clock.now = first_use - 1
    assert api.call("tasks.task.renew", taskId=ids[3]).status_code == 429
    clock.now = first_use + 60
    assert api.call("tasks.task.renew", taskId=ids[3]).status_code == 200
    assert api.portal.tasks[ids[3]].status == 2


def test_a_total_of_exactly_the_budget_is_not_blocked(make_api: Callable[..., Api]) -> None:
    api = costly(make_api, budget_s=30.0)
    ids = renewable(api, 5)
    for task_id in ids[:3]:
        api.ok("tasks.task.renew", taskId=task_id)
    answer = api.ok("tasks.task.renew", taskId=ids[3])  # 30 s recorded: not *over* 30 s
    assert answer["time"]["operating"] == pytest.approx(40.0)
    assert api.call("tasks.task.renew", taskId=ids[4]).status_code == 429


def test_calls_of_a_tenth_of_a_second_or_less_are_not_recorded(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(
        limits="standard",
        method_cost_s={"tasks.task.get": 0.1, "tasks.task.list": 0.11},
        operating_budget_s=0.5,
    )
    for _ in range(20):
        answer = api.ok("tasks.task.get", taskId=1)
    assert answer["time"]["operating"] == 0
    assert answer["time"]["processing"] == pytest.approx(0.1)
    listed = [api.call("tasks.task.list", select=["ID"]).status_code for _ in range(7)]
    assert listed == [200] * 5 + [429] * 2, "0.55 s > 0.5 s after five lists"


def test_batch_itself_is_not_recorded_but_its_sub_calls_are(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(limits="standard", method_cost_s={"batch": 5.0})
    out = api.ok("batch", cmd={"a": "tasks.task.list?select[]=ID", "b": "profile"})
    assert out["time"]["operating"] == 0
    assert out["result"]["result_time"]["a"]["operating"] == pytest.approx(0.35)
    assert out["result"]["result_time"]["b"]["operating"] == 0, "0.04 s: not recorded"
    again = api.ok("tasks.task.list", select=["ID"])
    assert again["time"]["operating"] == pytest.approx(0.7)


def test_operating_time_counts_batch_sub_calls(
    make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = costly(make_api)
    ids = renewable(api, 5)
    cmd = {f"r{i}": f"tasks.task.renew?taskId={task_id}" for i, task_id in enumerate(ids)}
    cmd["t"] = "server.time"
    out = api.ok("batch", cmd=cmd)["result"]
    assert set(out["result"]) == {"r0", "r1", "r2", "t"}
    assert out["result_error"]["r3"]["error"] == "OPERATION_TIME_LIMIT"
    assert out["result_time"]["r2"]["operating"] == pytest.approx(30.0)
    assert [api.portal.tasks[i].status for i in ids] == [2, 2, 2, 5, 5]


def test_operating_time_is_kept_per_credential(
    make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = costly(make_api)
    ids = renewable(api, 4)
    for task_id in ids[:3]:
        api.ok("tasks.task.renew", taskId=task_id)
    token = api.portal.issue_oauth_tokens().access_token
    response = api.http.post(
        f"{BASE}/rest/tasks.task.renew", json={"taskId": ids[3], "auth": token}
    )
    assert response.status_code == 200


def test_every_answer_reports_operating_time(api: Api, clock: FakeClock) -> None:
    first = api.ok("tasks.task.list", select=["ID"])["time"]
    clock.advance(61)
    second = api.ok("tasks.task.list", select=["ID"])["time"]
    assert second["operating"] == pytest.approx(2 * first["processing"])
    assert second["operating_reset_at"] == first["operating_reset_at"]
    assert first["operating_reset_at"] == int(first["start"]) + 600
    assert second["date_start"] == "2025-10-09T11:54:21+03:00"


def test_limits_off_never_blocks_on_operating_time(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(
        limits="off",
        method_cost_s={"server.time": 100.0},
        operating_budget_s=30.0,
        gateway_timeout_s=None,
    )
    assert set(burst(api, 5)) == {200}
    assert api.ok("server.time")["time"]["operating"] == pytest.approx(600.0)


def test_the_window_slides_one_bucket_at_a_time(
    make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = costly(make_api)
    ids = renewable(api, 5)
    started = clock.now
    for task_id in ids[:3]:
        api.ok("tasks.task.renew", taskId=task_id)
        clock.advance(120)
    blocked = api.call("tasks.task.renew", taskId=ids[3]).json()
    assert blocked["time"]["operating"] == pytest.approx(30.0)
    assert blocked["time"]["operating_reset_at"] == int(started) + 600
    clock.now = started + 600
    answer = api.ok("tasks.task.renew", taskId=ids[3])
    assert answer["time"]["operating"] == pytest.approx(30.0), "20 left + 10 for this call"
    assert answer["time"]["operating_reset_at"] == int(started) + 120 + 600
    assert api.call("tasks.task.renew", taskId=ids[4]).status_code == 429
