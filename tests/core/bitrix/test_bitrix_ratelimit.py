from __future__ import annotations

import asyncio

import pytest
from vtime import VirtualTimeLoop, wall_clock

from b24desk.core.bitrix.ratelimit import (
    ENTERPRISE,
    STANDARD,
    Pacer,
    RatePreset,
    RetryPolicy,
    backoff_delay,
    preset_for_license,
    seconds_until_reset,
)


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("de_ent10000", ENTERPRISE),
        ("ent250", ENTERPRISE),
        ("ent", ENTERPRISE),
        ("EN_ENT500", ENTERPRISE),
        ("en_pro100", STANDARD),
        ("ru_basic", STANDARD),
        ("en_demo", STANDARD),
        ("en_student", STANDARD),  # "ent" inside a word is not the Enterprise family
        ("", STANDARD),
        (None, STANDARD),
    ],
)
def test_preset_from_licence(licence: str | None, expected: RatePreset) -> None:
    assert preset_for_license(licence) is expected


def test_presets_match_the_portal_buckets() -> None:
    assert (STANDARD.burst, STANDARD.per_second, STANDARD.time_period) == (50, 2.0, 25.0)
    assert (ENTERPRISE.burst, ENTERPRISE.per_second, ENTERPRISE.time_period) == (250, 5.0, 50.0)


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_factor=2.0, backoff_cap=30.0)
    assert [backoff_delay(n, policy) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff_delay(10_000, policy) == 30.0


def test_seconds_until_reset() -> None:
    policy = RetryPolicy(operation_limit_fallback=60.0, operation_limit_cap=600.0)
    assert seconds_until_reset(1_000.0 + 42.5, 1_000.0, policy) == 42.5
    assert seconds_until_reset(None, 1_000.0, policy) == 60.0
    assert seconds_until_reset(900.0, 1_000.0, policy) == 1.0  # already past: skewed clocks
    assert seconds_until_reset(1_000.0 + 86_400, 1_000.0, policy) == 600.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query_limit_retries": -1}, "must not be negative"),
        ({"backoff_base": 0}, "positive base"),
        ({"backoff_factor": 0.5}, "factor of at least 1"),
    ],
)
def test_bad_retry_policy_is_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_bad_preset_and_attempt_are_refused() -> None:
    with pytest.raises(ValueError, match="burst of at least 1"):
        RatePreset("x", 0, 1.0)
    with pytest.raises(ValueError, match="attempt numbers start at 1"):
        backoff_delay(0, RetryPolicy())


async def send_times(pacer: Pacer, count: int, method: str = "tasks.task.list") -> list[float]:
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(count):
        await pacer.before_send([method])
        times.append(loop.time())
    return times


def bucket_level_never_exceeds(times: list[float], preset: RatePreset) -> float:
    """Replay the portal's leaky bucket over the send times; return the highest level."""
    level, last, peak = 0.0, 0.0, 0.0
    for t in times:
        level = max(0.0, level - (t - last) * preset.per_second) + 1
        last = t
        peak = max(peak, level)
    return peak


@pytest.mark.asyncio
@pytest.mark.virtual_time
@pytest.mark.parametrize("preset", [STANDARD, ENTERPRISE])
async def test_pacing_follows_the_leaky_bucket(preset: RatePreset) -> None:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, VirtualTimeLoop)
    pacer = Pacer(preset, wall_clock=wall_clock(loop))
    times = await send_times(pacer, preset.burst + 20)
    # The whole burst goes at once, then one request per 1/rate seconds.
    assert times[: preset.burst] == [0.0] * preset.burst
    assert times[-1] == pytest.approx(20 / preset.per_second, abs=1e-6)
    assert bucket_level_never_exceeds(times, preset) <= preset.burst + 1e-9
    assert pacer.stats.sent == preset.burst + 20


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_concurrent_senders_share_one_bucket() -> None:
    loop = asyncio.get_running_loop()
    pacer = Pacer(STANDARD, wall_clock=wall_clock(loop))
    per_task = await asyncio.gather(*(send_times(pacer, 20) for _ in range(5)))
    times = sorted(t for task_times in per_task for t in task_times)
    assert len(times) == 100
    assert bucket_level_never_exceeds(times, STANDARD) <= STANDARD.burst + 1e-9
    assert max(times) == pytest.approx(25.0, abs=1e-6)  # 50 at once, 50 more at 2/s


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_no_preset_means_no_pacing() -> None:
    loop = asyncio.get_running_loop()
    pacer = Pacer(None, wall_clock=wall_clock(loop))
    assert await send_times(pacer, 500) == [0.0] * 500


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_blocked_method_waits_until_reset_while_others_continue() -> None:
    loop = asyncio.get_running_loop()
    clock = wall_clock(loop)
    pacer = Pacer(None, wall_clock=clock)
    delay = pacer.block_method("tasks.task.list", reset_at=clock() + 90)
    assert delay == 90
    other = await send_times(pacer, 3, "tasks.task.renew")
    assert other == [0.0, 0.0, 0.0]
    assert pacer.blocked_for("tasks.task.list") == 90
    blocked = await send_times(pacer, 1, "tasks.task.list")
    assert blocked == [90.0]
    assert pacer.stats.operation_limit_hits == 1


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_a_batch_waits_for_every_blocked_method_it_carries() -> None:
    loop = asyncio.get_running_loop()
    clock = wall_clock(loop)
    pacer = Pacer(None, wall_clock=clock)
    pacer.block_method("tasks.task.get", reset_at=clock() + 30)
    pacer.block_method("tasks.task.renew", reset_at=clock() + 45)
    await pacer.before_send(["batch", "tasks.task.get", "tasks.task.renew"])
    assert loop.time() == 45


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_query_limit_backoff_waits_longer_each_time() -> None:
    loop = asyncio.get_running_loop()
    pacer = Pacer(None, wall_clock=wall_clock(loop))
    marks = []
    for attempt in range(1, 5):
        await pacer.after_query_limit(attempt)
        marks.append(loop.time())
    assert marks == [1.0, 3.0, 7.0, 15.0]
    assert pacer.stats.query_limit_hits == 4


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_changing_the_preset_takes_effect() -> None:
    loop = asyncio.get_running_loop()
    pacer = Pacer(STANDARD, wall_clock=wall_clock(loop))
    pacer.preset = ENTERPRISE
    times = await send_times(pacer, 250)
    assert times[-1] == 0.0
