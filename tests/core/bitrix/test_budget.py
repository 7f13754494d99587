"""The operating-time budget: learned from answers, booked before sending, waits announced."""

from __future__ import annotations

import asyncio

import pytest
from vtime import wall_clock

from b24desk.core.bitrix.budget import DEFAULT_CALL_S, OperatingBudget, Wait, WaitKind

pytestmark = [pytest.mark.asyncio, pytest.mark.virtual_time]

RENEW = "tasks.task.renew"


def budget_now(limit_s: float = 480.0) -> tuple[OperatingBudget, asyncio.AbstractEventLoop]:
    loop = asyncio.get_running_loop()
    return OperatingBudget(limit_s=limit_s, wall_clock=wall_clock(loop), margin_s=0), loop


async def test_call_time_is_the_docs_figure_until_measured_then_a_running_average() -> None:
    budget, _ = budget_now()
    assert budget.call_seconds(RENEW) == DEFAULT_CALL_S[RENEW]
    assert not budget.measured(RENEW)
    budget.observe(RENEW, {"processing": 1.5, "duration": 1.6})
    assert budget.call_seconds(RENEW) == 1.5
    budget.observe(RENEW, {"processing": 0.5})
    assert 0.5 < budget.call_seconds(RENEW) < 1.5
    assert budget.measured(RENEW)
    # short calls are not recorded against the budget at all
    assert budget.recorded_cost("profile", 100) == 0.0
    assert budget.recorded_cost(RENEW, 10) == pytest.approx(10 * budget.call_seconds(RENEW))


async def test_a_request_that_would_go_over_waits_for_the_reset_and_says_so() -> None:
    budget, loop = budget_now(limit_s=100)
    clock = wall_clock(loop)
    budget.observe(RENEW, {"operating": 90.0, "operating_reset_at": clock() + 240})
    waits: list[Wait] = []
    with budget.watching(waits.append):
        await budget.reserve({RENEW: 5.0})  # fits: 95 <= 100
        assert loop.time() == 0
        await budget.reserve({RENEW: 10.0})  # 105 > 100: wait for the window to reset
    assert loop.time() == pytest.approx(240)
    assert [(w.kind, w.method) for w in waits] == [(WaitKind.OPERATING_LIMIT, RENEW)]
    assert waits[0].until == pytest.approx(clock())
    assert waits[0].limit_s == 100
    budget.release({RENEW: 5.0})
    assert budget.used(RENEW) == pytest.approx(10.0)  # the new window holds only the booking


async def test_answers_of_an_older_window_do_not_undo_a_reset() -> None:
    budget, loop = budget_now()
    clock = wall_clock(loop)
    budget.observe(RENEW, {"operating": 50.0, "operating_reset_at": clock() + 600})
    budget.observe(RENEW, {"operating": 20.0, "operating_reset_at": clock() + 600})  # late answer
    assert budget.used(RENEW) == 50.0
    budget.observe(RENEW, {"operating": 3.0, "operating_reset_at": clock() + 1200})  # new window
    assert budget.used(RENEW) == 3.0
    budget.observe(RENEW, {"operating": "junk", "operating_reset_at": None})
    assert budget.used(RENEW) == 3.0


async def test_a_refusal_below_our_limit_teaches_the_plans_real_limit() -> None:
    budget, loop = budget_now()
    budget.blocked(RENEW, wall_clock(loop)() + 60, operating=300.0)
    assert budget.limit_s == 300.0
    assert budget.used(RENEW) >= 300.0
    assert budget.seconds_to_reset(RENEW) == pytest.approx(60)


@pytest.mark.allow_error_logs
async def test_an_observer_that_raises_does_not_stop_the_wait() -> None:
    budget, loop = budget_now()

    def broken(_: Wait) -> None:
        raise RuntimeError("bug")

    with budget.watching(broken):
        await budget.sleep(WaitKind.NETWORK, 5.0, "batch")
    assert loop.time() == 5.0
    seen: list[Wait] = []
    with budget.watching(seen.append):
        await budget.sleep(WaitKind.QUERY_LIMIT, 0.2)  # too short to announce
    assert seen == []


async def test_after_the_reset_the_later_minutes_still_count() -> None:
    """The portal drops a method's time a minute-bucket at a time: at `operating_reset_at`
    only the oldest minute goes, and what was spent later stays in the window."""
    budget, loop = budget_now(limit_s=480)
    clock = wall_clock(loop)
    start = clock()
    spent = 0.0

    def calls(first: float, count: int) -> None:
        # Each answer's `operating` is the sum before its own call, as the portal says it.
        nonlocal spent
        for number in range(count):
            at = start + first + number * 0.1
            budget.observe(
                RENEW,
                {
                    "start": at,
                    "processing": 0.5,
                    "operating": spent,
                    "operating_reset_at": start + 600,
                },
            )
            spent += 0.5

    calls(0.0, 500)  # 250 s in the first minute
    calls(100.0, 400)  # 200 s in a minute of their own, from 100 s on
    assert budget.used(RENEW) == pytest.approx(450.0)  # the last call's own time included
    await asyncio.sleep(601)
    # The first minute has dropped; the one opened at 100.5 s has not.
    assert budget.used(RENEW) == pytest.approx(200.0)
    assert budget.seconds_to_reset(RENEW) == pytest.approx(100.5 - 1)
    waits: list[Wait] = []
    with budget.watching(waits.append):
        await budget.reserve({RENEW: 400.0})  # 600 > 480: wait for that minute to drop
    assert clock() - start == pytest.approx(700.5)
    assert [w.kind for w in waits] == [WaitKind.OPERATING_LIMIT]
    assert budget.used(RENEW) == pytest.approx(400.0)  # only the booking is left


async def test_calls_too_short_to_record_are_not_kept() -> None:
    budget, loop = budget_now()
    for _ in range(100):
        budget.observe("profile", {"start": wall_clock(loop)(), "processing": 0.05})
    assert budget.used("profile") == 0.0


async def test_a_faster_portals_shorter_window_is_learned_from_its_answers() -> None:
    """A sandbox that runs 20 times faster keeps a method's time 30 s, not 10 minutes: its
    first answer says so (`operating_reset_at` = the call's start + the window)."""
    budget, loop = budget_now(limit_s=480)
    clock = wall_clock(loop)
    start = clock()
    budget.observe(
        RENEW,
        {
            "start": start,
            "processing": 0.45,
            "operating": 0.0,
            "operating_reset_at": start + 30,
        },
    )
    assert budget.window_s == pytest.approx(30)
    assert budget.used(RENEW) == pytest.approx(0.45)
    await asyncio.sleep(31)
    assert budget.used(RENEW) == 0.0
