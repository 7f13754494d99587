"""Server time (brief 12.3): per-method costs, wall time at a scale, requests side by side,
sequential batch sub-calls, the operating budget on a scaled window, the gateway's 504.

Nothing here measures wall time: a `Gate` replaces the portal's sleep, records what it was
asked to sleep, and holds a call inside its server time until the test lets it go, so the
order of events is fixed by the test, not by the machine's speed.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sandbox_support import BASE, Api, FakeClock

from b24desk.sandbox import PortalConfig, SandboxPortal, serve
from b24desk.sandbox.config import DEFAULT_METHOD_COST_S, parse_costs

WAIT_S = 30.0  # only ever reached when something is broken


class Gate:
    """A sleep that parks each caller until the test releases it (or lets all through)."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.parked: queue.Queue[threading.Event] = queue.Queue()
        self.open = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.asked.append(seconds)
        if self.open.is_set():
            return
        release = threading.Event()
        self.parked.put(release)
        assert release.wait(WAIT_S), "a parked call was never released"

    def next_parked(self) -> threading.Event:
        return self.parked.get(timeout=WAIT_S)

    def release_next(self) -> None:
        self.next_parked().set()

    def open_all(self) -> None:
        self.open.set()
        while not self.parked.empty():
            self.parked.get_nowait().set()


def in_thread(function: Callable[[], Any]) -> tuple[threading.Thread, queue.Queue[Any]]:
    out: queue.Queue[Any] = queue.Queue()
    thread = threading.Thread(target=lambda: out.put(function()), daemon=True)
    thread.start()
    return thread, out


def completed(api: Api, count: int) -> list[int]:
    return [t.id for t in api.portal.tasks.values() if t.status == 5][:count]


@pytest.fixture
def gate() -> Iterator[Gate]:
    made = Gate()
    yield made
    made.open_all()


@pytest.fixture
def timed(make_api: Callable[..., Api], gate: Gate) -> Callable[..., Api]:
    """An API on a portal that spends server time (through the gate) at scale 0.01."""

    def make(**settings: Any) -> Api:
        api = make_api(**{"time_scale": 0.01, **settings})
        api.portal.sleep = gate
        return api

    return make


# --- what each call costs -------------------------------------------------------------


def test_defaults_are_the_docs_figures() -> None:
    assert DEFAULT_METHOD_COST_S["tasks.task.complete"] == 0.45
    assert DEFAULT_METHOD_COST_S["tasks.task.renew"] == 0.45
    assert DEFAULT_METHOD_COST_S["tasks.task.list"] == 0.35
    assert DEFAULT_METHOD_COST_S["tasks.task.get"] == 0.16
    config = PortalConfig()
    assert config.cost_of("profile") == 0.04
    assert config.time_scale == 0, "instant unless asked"


def test_time_block_reports_each_methods_server_time(api: Api) -> None:
    task_id = completed(api, 1)[0]
    assert api.ok("tasks.task.get", taskId=task_id)["time"]["processing"] == 0.16
    assert api.ok("tasks.task.list", select=["ID"])["time"]["processing"] == 0.35
    assert api.ok("profile")["time"]["processing"] == 0.04
    renewed = api.ok("tasks.task.renew", taskId=task_id)["time"]
    assert renewed["processing"] == 0.45
    assert renewed["duration"] >= renewed["processing"]


def test_a_batch_costs_the_sum_of_its_sub_calls(api: Api) -> None:
    ids = completed(api, 3)
    cmd = {f"r{i}": f"tasks.task.renew?taskId={task_id}" for i, task_id in enumerate(ids)}
    cmd["l"] = "tasks.task.list?select[]=ID"
    answer = api.ok("batch", cmd=cmd)
    times = answer["result"]["result_time"]
    assert [times[f"r{i}"]["processing"] for i in range(3)] == [0.45] * 3
    assert answer["time"]["processing"] == pytest.approx(3 * 0.45 + 0.35 + 0.001)


def test_a_refused_sub_call_still_spends_its_time(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    refused = next(t.id for t in api.portal.tasks.values() if t.status == 3)
    answer = api.ok("batch", cmd={"a": f"tasks.task.renew?taskId={refused}"})
    assert answer["result"]["result_error"]["a"]["error"] == "1048582"
    assert answer["time"]["processing"] == pytest.approx(0.45 + 0.001)


def test_costs_override_some_methods_and_keep_the_rest(make_api: Callable[..., Api]) -> None:
    api = make_api(method_cost_s={"TASKS.TASK.RENEW": 1.5})
    assert api.portal.config.cost_of("tasks.task.renew") == 1.5
    assert api.portal.config.cost_of("tasks.task.list") == 0.35
    task_id = completed(api, 1)[0]
    assert api.ok("tasks.task.renew", taskId=task_id)["time"]["processing"] == 1.5


def test_parse_costs() -> None:
    assert parse_costs("tasks.task.renew=1.5, tasks.task.list=0.2,") == {
        "tasks.task.renew": 1.5,
        "tasks.task.list": 0.2,
    }
    assert parse_costs("") == {}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("tasks.task.renew", "is not METHOD=SECONDS"),
        ("=1", "is not METHOD=SECONDS"),
        ("tasks.task.renew=fast", "must be a number, got 'fast'"),
        ("tasks.task.renew=-1", "must be a non-negative number"),
        ("tasks.task.renew=nan", "must be a non-negative number"),
    ],
)
def test_parse_costs_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_costs(spec)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"time_scale": -1}, "time_scale must be within 0..10"),
        ({"gateway_timeout_s": 0}, "gateway_timeout_s must be positive"),
        ({"language": "de"}, "language must be one of en, ru"),
        ({"method_cost_s": {"tasks.task.get": -0.1}}, "method costs must not be negative"),
    ],
)
def test_bad_time_settings_are_refused(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PortalConfig(**settings)


# --- wall time ------------------------------------------------------------------------


def test_wall_time_is_server_time_times_the_scale(timed: Callable[..., Api], gate: Gate) -> None:
    api = timed(time_scale=0.5)
    gate.open_all()
    ids = completed(api, 2)
    api.ok("batch", cmd={"a": f"tasks.task.renew?taskId={ids[0]}", "b": "profile"})
    api.ok("tasks.task.get", taskId=ids[1])
    assert gate.asked == pytest.approx([0.0005, 0.225, 0.02, 0.08])


def test_scale_zero_never_sleeps(api: Api) -> None:
    asked: list[float] = []
    api.portal.sleep = asked.append
    api.ok("tasks.task.list", select=["ID"])
    assert asked == []


def test_requests_run_side_by_side(timed: Callable[..., Api], gate: Gate) -> None:
    """A request inside its server time holds no lock: another one is answered meanwhile,
    and sees the state from before the first one's change lands."""
    api = timed()
    task_id = completed(api, 1)[0]
    slow, slow_out = in_thread(lambda: api.call("tasks.task.renew", taskId=task_id))
    parked_renew = gate.next_parked()  # the renew is now spending its 0.45 s
    _reader, reader_out = in_thread(lambda: api.call("tasks.task.get", taskId=task_id))
    gate.release_next()  # the get's own server time
    answer = reader_out.get(timeout=WAIT_S)
    assert answer.json()["result"]["task"]["status"] == "5", "the renew has not landed yet"
    assert slow.is_alive()
    parked_renew.set()
    assert slow_out.get(timeout=WAIT_S).status_code == 200
    assert api.portal.tasks[task_id].status == 2


def test_batch_sub_calls_land_one_after_another(timed: Callable[..., Api], gate: Gate) -> None:
    api = timed()
    ids = completed(api, 3)
    cmd = {f"r{i}": f"tasks.task.renew?taskId={task_id}" for i, task_id in enumerate(ids)}
    _batch, out = in_thread(lambda: api.call("batch", cmd=cmd))
    gate.release_next()  # the batch's own 0.001 s
    gate.release_next()  # r0's server time; then r0 lands
    seen = []
    for _ in range(2):
        parked = gate.next_parked()  # the next sub-call starts only after the last landed
        seen.append([api.portal.tasks[i].status for i in ids])
        parked.set()
    assert out.get(timeout=WAIT_S).status_code == 200
    assert seen == [[2, 5, 5], [2, 2, 5]]
    assert [api.portal.tasks[i].status for i in ids] == [2, 2, 2]


# --- the operating budget on a scaled window ---------------------------------------------


def test_operating_window_shrinks_with_the_scale(
    timed: Callable[..., Api], gate: Gate, clock: FakeClock
) -> None:
    """At scale 0.01 the 10-minute window lasts 6 s of the clock; the 480 s budget is the
    same number of portal seconds, so it is used up by as many calls as on a real portal."""
    api = timed(
        limits="standard", method_cost_s={"tasks.task.renew": 100.0}, gateway_timeout_s=None
    )
    gate.open_all()
    ids = completed(api, 7)
    started = clock.now
    for task_id in ids[:5]:
        answer = api.ok("tasks.task.renew", taskId=task_id)
    assert answer["time"]["operating"] == pytest.approx(500.0)
    assert answer["time"]["operating_reset_at"] == pytest.approx(started + 6.0)
    blocked = api.call("tasks.task.renew", taskId=ids[5])
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "OPERATION_TIME_LIMIT"
    out = api.ok("batch", cmd={"r": f"tasks.task.renew?taskId={ids[5]}"})["result"]
    assert out["result_error"]["r"]["error"] == "OPERATION_TIME_LIMIT"
    assert api.portal.tasks[ids[5]].status == 5
    clock.advance(5.9)
    assert api.call("tasks.task.renew", taskId=ids[5]).status_code == 429
    clock.advance(0.2)
    assert api.call("tasks.task.renew", taskId=ids[5]).status_code == 200


# --- the gateway's cut --------------------------------------------------------------------


def is_gateway_timeout(response: httpx.Response) -> bool:
    return (
        response.status_code == 504
        and response.headers["Content-Type"].startswith("text/html")
        and b"504 Gateway Time-out" in response.content
    )


def test_a_batch_past_60_s_answers_504_and_still_does_all_its_work(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(method_cost_s={"tasks.task.renew": 25.0})  # scale 0: all at once
    ids = completed(api, 3)
    cmd = {f"r{i}": f"tasks.task.renew?taskId={task_id}" for i, task_id in enumerate(ids)}
    assert is_gateway_timeout(api.call("batch", cmd=cmd))
    assert [api.portal.tasks[i].status for i in ids] == [2, 2, 2]
    assert api.portal.answers["504"] == 1


def test_the_504_comes_at_the_cut_while_the_work_goes_on(
    timed: Callable[..., Api], gate: Gate
) -> None:
    api = timed(method_cost_s={"tasks.task.renew": 25.0})
    ids = completed(api, 3)
    cmd = {f"r{i}": f"tasks.task.renew?taskId={task_id}" for i, task_id in enumerate(ids)}
    _client, out = in_thread(lambda: api.call("batch", cmd=cmd))
    for _ in range(4):  # the batch's own time, two renews, the third one up to the cut
        gate.release_next()
    parked_rest = gate.next_parked()  # the third renew's time after the cut
    assert is_gateway_timeout(out.get(timeout=WAIT_S))
    assert [api.portal.tasks[i].status for i in ids] == [2, 2, 5], "the work is not done yet"
    assert api.portal.requests_running == 1
    parked_rest.set()
    gate.open_all()
    # The portal finishes the batch on its own thread; wait for it (generously).
    finished = threading.Event()
    for _ in range(3000):
        if api.portal.requests_running == 0:
            finished.set()
            break
        finished.wait(0.01)
    assert finished.is_set()
    assert api.portal.tasks[ids[2]].status == 2
    assert gate.asked == pytest.approx([0.00001, 0.25, 0.25, 0.1, 0.15], abs=1e-4)


def test_a_batch_under_the_cut_is_answered(make_api: Callable[..., Api]) -> None:
    api = make_api(method_cost_s={"tasks.task.renew": 19.0})
    ids = completed(api, 3)
    cmd = {f"r{i}": f"tasks.task.renew?taskId={task_id}" for i, task_id in enumerate(ids)}
    assert api.call("batch", cmd=cmd).status_code == 200  # 57.001 s


def test_a_single_slow_call_is_cut_too(make_api: Callable[..., Api]) -> None:
    api = make_api(method_cost_s={"tasks.task.renew": 61.0})
    task_id = completed(api, 1)[0]
    assert is_gateway_timeout(api.call("tasks.task.renew", taskId=task_id))
    assert api.portal.tasks[task_id].status == 2


def test_the_cut_can_be_moved_or_switched_off(make_api: Callable[..., Api]) -> None:
    slow = {"tasks.task.renew": 61.0}
    task_ids = iter(completed(make_api(), 4))
    never = make_api(method_cost_s=slow, gateway_timeout_s=None)
    assert never.call("tasks.task.renew", taskId=next(task_ids)).status_code == 200
    early = make_api(gateway_timeout_s=0.3)
    assert is_gateway_timeout(early.call("tasks.task.renew", taskId=next(task_ids)))


def test_the_loopback_server_serves_side_by_side_and_cuts(gate: Gate) -> None:
    portal = SandboxPortal(
        PortalConfig(
            seed=7,
            task_count=200,
            limits="off",
            time_scale=0.01,
            method_cost_s={"tasks.task.renew": 70.0},
        )
    )
    portal.sleep = gate
    task_id = next(t.id for t in portal.tasks.values() if t.status == 5)
    with serve(portal) as base_url:
        url = portal.webhook_url(base_url)
        _renew, renew_out = in_thread(
            lambda: httpx.post(url + "tasks.task.renew", json={"taskId": task_id}, timeout=30)
        )
        parked_renew = gate.next_parked()  # up to the cut
        _profile, profile_out = in_thread(lambda: httpx.post(url + "profile", timeout=30))
        gate.release_next()
        assert profile_out.get(timeout=WAIT_S).status_code == 200
        parked_renew.set()
        assert is_gateway_timeout(renew_out.get(timeout=WAIT_S))
        gate.open_all()
    assert gate.asked[:1] == pytest.approx([0.6])


@pytest.mark.asyncio
async def test_the_async_transport_overlaps_requests(timed: Callable[..., Api], gate: Gate) -> None:
    api = timed()
    task_id = completed(api, 1)[0]
    async with httpx.AsyncClient(transport=api.portal.mock_transport(), base_url=BASE) as http:
        renew_call = http.post(api.url + "tasks.task.renew", json={"taskId": task_id})
        renew = asyncio.ensure_future(renew_call)
        parked = await asyncio.to_thread(gate.next_parked)
        profile = asyncio.ensure_future(http.post(api.url + "profile"))
        await asyncio.to_thread(gate.release_next)
        assert (await profile).status_code == 200
        assert not renew.done()
        parked.set()
        assert (await renew).status_code == 200
