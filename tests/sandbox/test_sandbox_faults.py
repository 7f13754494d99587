"""Seeded fault plans and every fault through the in-process transport."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable

import httpx
import pytest
from sandbox_support import BASE, Api

from b24desk.sandbox import FaultKind, FaultPlan, PortalConfig, SandboxPortal
from b24desk.sandbox.faults import ALL_TIMES, APPLIED_FAULTS, MethodFault

BRIEF_SPEC = (
    "seed=3,html500=0.01,badjson=0.01,reset=0.01,slow=0.01,lost=0.01,"
    "login302=0.005,overload=0.001,qle=0.02"
)


def test_parse_the_spec_from_the_brief() -> None:
    plan = FaultPlan.parse(BRIEF_SPEC)
    assert plan.seed == 3
    assert plan.rates[FaultKind.QLE] == 0.02
    assert plan.rates[FaultKind.LOGIN302] == 0.005
    assert len(plan.rates) == 8


def test_parse_forced_faults_and_slow_time() -> None:
    plan = FaultPlan.parse(
        "at:7=reset, on:tasks.task.renew=lost*2, on:batch=html500*all, slow_s=1.5"
    )
    assert plan.at_request == {7: FaultKind.RESET}
    assert plan.on_method["tasks.task.renew"] == MethodFault(FaultKind.LOST, 2)
    assert plan.on_method["batch"] == MethodFault(FaultKind.HTML500, ALL_TIMES)
    assert plan.slow_s == 1.5
    assert FaultPlan.parse("").is_empty
    assert FaultPlan.none().is_empty


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("boom=0.1", "unknown fault 'boom'"),
        ("html500=lots", "probability of html500 must be a number"),
        ("html500=1.5", "must be in 0..1"),
        ("html500=0.6,reset=0.6", "add up to more than 1"),
        ("at:0=reset", "request numbers start at 1"),
        ("at:x=reset", "request number must be an integer"),
        ("html500", "is not NAME=VALUE"),
        ("on:batch=lost*0", "repeat count must be at least 1"),
        ("on:=lost", "names no method"),
        ("seed=abc", "seed must be an integer"),
        ("slow_s=-1", "slow_s must not be negative"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultPlan.parse(spec)


def outcomes(plan: FaultPlan, count: int) -> list[str]:
    portal = SandboxPortal(PortalConfig(task_count=20, limits="off", faults=plan))
    api = Api(portal)
    seen: list[str] = []
    for _ in range(count):
        try:
            seen.append(str(api.call("server.time").status_code))
        except httpx.HTTPError as error:
            seen.append(type(error).__name__)
    api.close()
    return seen


def test_the_same_seed_gives_the_same_faults() -> None:
    plan = FaultPlan.parse("seed=5,html500=0.2,reset=0.2,slow=0.1")
    first = outcomes(plan, 60)
    assert first == outcomes(plan, 60)
    assert first != outcomes(FaultPlan.parse("seed=6,html500=0.2,reset=0.2,slow=0.1"), 60)
    assert {"200", "500", "ReadError", "ReadTimeout"} <= set(first)


def test_rates_are_probabilities_per_request() -> None:
    seen = outcomes(FaultPlan.parse("seed=1,html500=0.25"), 400)
    assert 60 <= seen.count("500") <= 140


def staged_renew(faults: str) -> tuple[Api, int]:
    portal = SandboxPortal(
        PortalConfig(task_count=50, limits="off", faults=FaultPlan.parse(faults))
    )
    task_id = next(t.id for t in portal.tasks.values() if t.status == 5)
    return Api(portal), task_id


@pytest.mark.parametrize(
    ("fault", "applied"),
    [
        ("html500", False),
        ("login302", False),
        ("overload", False),
        ("qle", False),
        ("badjson", True),
        ("srv500", True),
    ],
)
def test_faults_that_answer(fault: str, applied: bool) -> None:
    api, task_id = staged_renew(f"at:1={fault}")
    response = api.call("tasks.task.renew", taskId=task_id)
    assert (api.portal.tasks[task_id].status == 2) is applied
    if fault == "html500":
        assert response.status_code == 500
        assert response.headers["Content-Type"].startswith("text/html")
    elif fault == "login302":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/?backurl=%2Frest%2F1%2F")
        assert "<form" in response.text
    elif fault == "srv500":
        assert response.status_code == 500
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json() == {
            "error": "INTERNAL_SERVER_ERROR",
            "error_description": "Internal server error",
        }
    elif fault in ("overload", "qle"):
        expected = "OVERLOAD_LIMIT" if fault == "overload" else "QUERY_LIMIT_EXCEEDED"
        assert response.status_code == 503
        assert response.json()["error"] == expected
    else:
        assert response.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)
    api.close()


@pytest.mark.parametrize(
    ("fault", "error", "applied"),
    [
        ("reset", httpx.ReadError, False),
        ("slow", httpx.ReadTimeout, False),
        ("lost", httpx.ReadError, True),
        ("lostslow", httpx.ReadTimeout, True),
    ],
)
def test_faults_that_break_the_connection(
    fault: str, error: type[httpx.HTTPError], applied: bool
) -> None:
    api, task_id = staged_renew(f"at:1={fault}")
    with pytest.raises(error):
        api.call("tasks.task.renew", taskId=task_id)
    assert (api.portal.tasks[task_id].status == 2) is applied
    assert api.call("tasks.task.get", taskId=task_id).status_code == 200, "only one request"
    api.close()


def test_forced_fault_hits_only_the_nth_request() -> None:
    seen = outcomes(FaultPlan.parse("at:3=html500,at:5=reset"), 6)
    assert seen == ["200", "200", "500", "200", "ReadError", "200"]


def test_method_fault_hits_that_method_and_batches_calling_it() -> None:
    api, task_id = staged_renew("on:tasks.task.renew=html500*2")
    assert api.call("server.time").status_code == 200
    assert api.call("tasks.task.renew", taskId=task_id).status_code == 500
    batch = api.call("batch", cmd={"r": f"tasks.task.renew?taskId={task_id}"})
    assert batch.status_code == 500
    assert api.call("tasks.task.renew", taskId=task_id).status_code == 200
    assert api.portal.http_requests == 4
    api.close()


def test_method_fault_for_all_requests() -> None:
    api, task_id = staged_renew("on:TASKS.TASK.RENEW=qle*all")
    codes = [api.call("tasks.task.renew", taskId=task_id).status_code for _ in range(5)]
    assert codes == [503] * 5
    assert api.portal.tasks[task_id].status == 5
    api.close()


@pytest.mark.asyncio
async def test_faults_through_an_async_client(make_portal: Callable[..., SandboxPortal]) -> None:
    portal = make_portal(faults=FaultPlan.parse("at:1=lost,at:2=slow"))
    task_id = next(t.id for t in portal.tasks.values() if t.status == 5)
    url = portal.webhook_url(BASE) + "tasks.task.renew"
    async with httpx.AsyncClient(transport=portal.mock_transport(), base_url=BASE) as http:
        with pytest.raises(httpx.ReadError):
            await http.post(url, json={"taskId": task_id})
        with pytest.raises(httpx.ReadTimeout):
            await http.post(url, json={"taskId": task_id})
        answer = await http.post(url, json={"taskId": task_id})
    assert answer.status_code == 200
    assert portal.tasks[task_id].status == 2


@pytest.mark.asyncio
async def test_latency_is_awaited(
    make_portal: Callable[..., SandboxPortal], monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float) -> None:
        waits.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    portal = make_portal(latency_ms=250)
    async with httpx.AsyncClient(transport=portal.mock_transport(), base_url=BASE) as http:
        response = await http.post(portal.webhook_url(BASE) + "profile")
    assert response.json()["result"]["ID"] == "1"
    assert waits == [0.25]


def test_latency_sleeps_in_a_sync_client(
    make_portal: Callable[..., SandboxPortal], monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    api = Api(make_portal(latency_ms=40))
    assert api.ok("profile")["result"]["ID"] == "1"
    assert waits == [0.04]
    api.close()


@pytest.mark.parametrize("kind", list(FaultKind))
def test_applied_faults_are_exactly_the_documented_ones(kind: FaultKind) -> None:
    api, task_id = staged_renew(f"at:1={kind.value}")
    with contextlib.suppress(httpx.HTTPError):
        api.call("tasks.task.renew", taskId=task_id)
    assert (api.portal.tasks[task_id].status == 2) is (kind in APPLIED_FAULTS)
    api.close()


def test_srv500_in_a_batch_hides_the_applied_commands() -> None:
    api, task_id = staged_renew("on:tasks.task.renew=srv500")
    batch = api.call("batch", cmd={"r": f"tasks.task.renew?taskId={task_id}"})
    assert batch.status_code == 500
    assert batch.json()["error"] == "INTERNAL_SERVER_ERROR"
    assert api.portal.tasks[task_id].status == 2
    assert api.call("tasks.task.renew", taskId=task_id).status_code == 200, "only once"
    api.close()


def test_srv500_is_a_known_spec_kind() -> None:
    plan = FaultPlan.parse("srv500=0.5,on:task.item.complete=srv500*2")
    assert plan.rates[FaultKind.SRV500] == 0.5
    assert plan.on_method["task.item.complete"] == MethodFault(FaultKind.SRV500, 2)
