"""Batch sizes of a wave, the run's request allowance, and the portal speeds kept between runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from b24desk.core.bitrix.budget import OperatingBudget
from b24desk.core.renew.pacing import (
    SpeedMemory,
    largest_batch,
    next_batch_size,
    write_allowance,
)

RENEW = "tasks.task.renew"


def budget() -> OperatingBudget:
    return OperatingBudget(wall_clock=lambda: 1_000_000.0)


def wave(queued: int, allowance: int, largest: int = 50, max_parallel: int = 24) -> list[int]:
    """The sizes `next_batch_size` gives when every batch is sent at once."""
    sizes: list[int] = []
    while queued:
        size = next_batch_size(
            queued=queued,
            in_flight=len(sizes),
            requests_left=allowance - len(sizes),
            largest=largest,
            max_parallel=max_parallel,
        )
        sizes.append(size)
        queued -= size
    return sizes


def test_the_allowance_is_one_request_per_fifty_and_two_more() -> None:
    assert write_allowance(1) == 3
    assert write_allowance(300) == 8
    assert write_allowance(1_000) == 22
    assert write_allowance(5_000) == 102
    # with the pre-check's reads (one per 2,500 and one spare): issue 10's cap exactly
    for n in (1, 49, 300, 1_000, 2_501, 5_000):
        reads = math.ceil(n / 2500) + 1
        assert reads + write_allowance(n) == math.ceil(n / 2500) + math.ceil(n / 50) + 3


def test_a_wave_shares_the_tasks_evenly_over_the_requests_left() -> None:
    # after a measuring batch of 3, a run of 300 has 7 write requests left
    assert wave(297, allowance=7) == [43, 43, 43, 42, 42, 42, 42]
    # a run of 1,000: 21 left, but 24 at once at most is no limit here
    sizes = wave(997, allowance=21)
    assert len(sizes) == 21
    assert max(sizes) - min(sizes) <= 1
    assert sum(sizes) == 997


def test_a_wave_is_as_wide_as_the_free_slots() -> None:
    assert wave(100, allowance=10, max_parallel=4) == [25, 25, 25, 25]
    # two batches still in flight: the other two slots share the queue
    two_free = next_batch_size(queued=60, in_flight=2, requests_left=10, largest=50, max_parallel=4)
    assert two_free == 30


def test_no_batch_is_larger_than_time_allows_even_past_the_allowance() -> None:
    # a slow portal (1.5 s a renew): 20 a batch, however few requests are left
    assert wave(97, allowance=3, largest=20) == [20, 20, 20, 20, 17]
    assert next_batch_size(queued=5, in_flight=0, requests_left=0, largest=20, max_parallel=4) == 5
    assert next_batch_size(queued=0, in_flight=0, requests_left=3, largest=20, max_parallel=4) == 0


def test_the_largest_batch_holds_thirty_seconds_of_the_portals_time() -> None:
    b = budget()
    assert largest_batch(b, [RENEW], 50) == 50  # 0.45 s: 66 would fit, 50 is the most
    b.observe(RENEW, {"processing": 1.5})
    assert largest_batch(b, [RENEW], 50) == 20
    assert largest_batch(b, [RENEW, "tasks.task.update"], 50) == int(30 // (1.5 + 0.73))
    assert largest_batch(b, [RENEW], 10) == 10


def test_speeds_are_remembered_per_portal_and_method(tmp_path: Path) -> None:
    memory = SpeedMemory(tmp_path / "journal.speeds.json")
    assert memory.recall("https://a.example") == {}

    memory.remember("https://a.example", {RENEW: 1.5})
    memory.remember("https://b.example", {RENEW: 0.5})

    again = SpeedMemory(tmp_path / "journal.speeds.json")  # the next run, a new process
    assert again.recall("https://a.example") == {RENEW: 1.5}
    assert again.recall("https://b.example") == {RENEW: 0.5}
    assert "webhook" not in (tmp_path / "journal.speeds.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content",
    ["", "not json", "[1, 2]", json.dumps({"https://a.example": {RENEW: "fast"}})],
)
def test_an_unusable_memory_is_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "journal.speeds.json"
    path.write_text(content, encoding="utf-8")
    memory = SpeedMemory(path)
    assert memory.recall("https://a.example") == {}
    memory.remember("https://a.example", {RENEW: 0.6})  # and it is written anew
    assert memory.recall("https://a.example") == {RENEW: 0.6}


def test_a_memory_that_cannot_be_written_does_not_stop_anything(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    memory = SpeedMemory(blocker / "journal.speeds.json")  # its folder is a file
    memory.remember("https://a.example", {RENEW: 0.6})
    assert memory.recall("https://a.example") == {}


def test_a_remembered_speed_counts_as_measured_never_faster_than_the_docs(
    tmp_path: Path,
) -> None:
    memory = SpeedMemory(tmp_path / "journal.speeds.json")
    memory.remember("https://fast.example", {RENEW: 0.1})
    memory.remember("https://slow.example", {RENEW: 1.5})

    fast, slow, new = budget(), budget(), budget()
    memory.seed(fast, memory.recall("https://fast.example"), [RENEW])
    memory.seed(slow, memory.recall("https://slow.example"), [RENEW])
    memory.seed(new, memory.recall("https://new.example"), [RENEW])

    assert fast.measured(RENEW)
    assert fast.call_seconds(RENEW) == 0.45
    assert slow.measured(RENEW)
    assert slow.call_seconds(RENEW) == 1.5
    assert not new.measured(RENEW)


def test_a_speed_measured_in_this_session_wins_over_the_memory(tmp_path: Path) -> None:
    memory = SpeedMemory(tmp_path / "journal.speeds.json")
    memory.remember("https://a.example", {RENEW: 1.5})
    b = budget()
    b.observe(RENEW, {"processing": 0.5})
    memory.seed(b, memory.recall("https://a.example"), [RENEW])
    assert b.call_seconds(RENEW) == 0.5
