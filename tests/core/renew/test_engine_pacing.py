"""The engine on a portal that spends time: batches side by side, sized by the portal's
measured speed, paced by the operating-time budget, and a cancel that never waits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from sandbox_harness import Harness, client_for
from vtime import wall_clock

from b24desk.core.bitrix.budget import Wait, WaitKind
from b24desk.core.model import COMPLETED, PENDING, TaskOutcome, TaskSnapshot
from b24desk.core.renew.engine import CancelToken, RenewEngine
from b24desk.core.renew.jobs import RenewJob
from b24desk.core.renew.journal import Journal, JournalError
from b24desk.core.renew.records import Progress, RunListener, TaskResult

pytestmark = pytest.mark.asyncio

RENEW = "tasks.task.renew"


def snapshots(h: Harness, ids: list[int]) -> list[TaskSnapshot]:
    return [TaskSnapshot(id=i, status=h.portal.tasks[i].status) for i in ids]


class SlowRenews(httpx.AsyncBaseTransport):
    """Renew batches take a while on the wire; records their sizes, how many overlap, and
    whether each went alone (no other renew batch in flight at any time while it was).
    With `processing`, the portal says each renew took that long."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, seconds: float = 0.05, processing: float = 0.0
    ) -> None:
        self.inner = inner
        self.seconds = seconds
        self.processing = processing
        self.now = 0
        self.most = 0
        self.sizes: list[int] = []
        self.alone: list[bool] = []
        self._open: set[int] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if RENEW.encode() not in request.content:
            return await self.inner.handle_async_request(request)
        index = len(self.sizes)
        self.sizes.append(request.content.count(RENEW.encode()))
        self.alone.append(not self._open)
        for other in self._open:
            self.alone[other] = False
        self._open.add(index)
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(self.seconds)
            response = await self.inner.handle_async_request(request)
        finally:
            self.now -= 1
            self._open.discard(index)
        if not self.processing:
            return response
        await response.aread()
        body = json.loads(response.content)
        for timing in body["result"]["result_time"].values():
            timing["processing"] = self.processing
        return httpx.Response(response.status_code, json=body)


async def test_batches_go_side_by_side_after_a_first_measuring_batch(harness: Harness) -> None:
    ids = harness.completed_ids(300)
    wire = SlowRenews(harness.portal.mock_transport())
    engine = RenewEngine(client_for(harness.portal, wire), harness.journal, portal="p")
    progress: list[Progress] = []
    harness.listener = RunListener(on_progress=progress.append)

    report = await harness.renew(snapshots(harness, ids), engine=engine)
    await engine.client.aclose()

    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids
    # 1 measures the speed; the other 299 are shared evenly over the 7 write requests the
    # run has left (ceil(300 / 50) + 2 = 8 in all), so that they finish together
    assert wire.sizes == [1, 43, 43, 43, 43, 43, 42, 42]
    assert wire.most == 7  # everything after the first batch was in flight at once
    assert progress[0].eta_s is not None  # the speed is known once the first batch is back
    assert progress[-1].eta_s == 0


async def test_batches_are_sized_to_stay_well_under_the_gateway_cut(harness: Harness) -> None:
    ids = harness.completed_ids(100)
    wire = SlowRenews(harness.portal.mock_transport(), seconds=0, processing=1.5)
    engine = RenewEngine(client_for(harness.portal, wire), harness.journal, portal="p")

    report = await harness.renew(snapshots(harness, ids), engine=engine)
    await engine.client.aclose()

    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids
    # the first one measures 1.5 s a renew: then 20 x 1.5 s = 30 s a request, not 75 s
    assert wire.sizes == [1, 20, 20, 20, 20, 19]


@pytest.mark.parametrize(
    ("processing", "wave"),
    [
        # fast: 50 would fit in 30 s; the 59 left are shared over the 3 requests left
        # (ceil(60 / 50) + 2 = 4 in all)
        (0.0, [20, 20, 19]),
        # 3 s a renew: 10 x 3 s = 30 s a request; more requests than the allowance
        (3.0, [10, 10, 10, 10, 10, 9]),
    ],
)
async def test_a_first_run_measures_with_one_task_then_sizes_the_wave_from_it(
    harness: Harness, processing: float, wave: list[int]
) -> None:
    """The default: on a portal of unknown speed, the first batch is 1 task sent alone;
    the batches after it are sized by the speed that one task measured."""
    ids = harness.completed_ids(60)
    wire = SlowRenews(harness.portal.mock_transport(), processing=processing)
    engine = RenewEngine(client_for(harness.portal, wire), harness.journal, portal="new")
    assert engine.probe_size == 1

    report = await harness.renew(snapshots(harness, ids), engine=engine)
    await engine.client.aclose()

    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids
    assert wire.sizes == [1, *wave]
    assert wire.alone[0]  # nothing else in flight while it measured
    assert wire.most == len(wave)  # then the whole wave at once


@pytest.mark.virtual_time
async def test_a_spent_budget_is_waited_for_announced_then_the_run_goes_on(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness(limits="off")
    clock = wall_clock(asyncio.get_running_loop())
    budget = h.client.pacer.budget
    budget._wall_clock = clock  # the harness client reads the real clock otherwise
    budget.observe(
        RENEW, {"processing": 0.45, "operating": 475.0, "operating_reset_at": clock() + 300}
    )
    waits: list[Wait] = []
    h.listener = RunListener(on_wait=waits.append)
    ids = h.completed_ids(20)

    report = await h.renew(snapshots(h, ids))

    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids
    assert [(w.kind, w.method) for w in waits] == [(WaitKind.OPERATING_LIMIT, RENEW)]
    assert waits[0].seconds == pytest.approx(300)
    assert asyncio.get_running_loop().time() >= 300


@pytest.mark.virtual_time
async def test_cancel_ends_a_wait_for_the_budget_at_once(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness(limits="off")
    clock = wall_clock(asyncio.get_running_loop())
    budget = h.client.pacer.budget
    budget._wall_clock = clock
    budget.observe(
        RENEW, {"processing": 0.45, "operating": 475.0, "operating_reset_at": clock() + 500}
    )
    token = CancelToken()
    h.listener = RunListener(on_wait=lambda _: token.cancel())
    ids = h.completed_ids(20)

    report = await h.renew(snapshots(h, ids), token=token)

    assert report.cancelled
    assert report.counts() == {TaskOutcome.NOT_ATTEMPTED: 20}
    assert asyncio.get_running_loop().time() < 5
    assert h.portal.method_calls[RENEW] == 0


class HoldRenewAnswers(httpx.AsyncBaseTransport):
    """Delivers renew batches to the portal but never answers them (a stuck gateway)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, reads_too: bool = False) -> None:
        self.inner = inner
        self.reads_too = reads_too
        self.held = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        stuck = RENEW.encode() in request.content or (
            self.reads_too and self.held.is_set() and b"tasks.task.list" in request.content
        )
        if stuck:
            self.held.set()
            await asyncio.Event().wait()
        return response


async def test_cancel_with_a_batch_in_flight_returns_at_once_and_reads_it_back(
    harness: Harness,
) -> None:
    ids = harness.completed_ids(5)
    wire = HoldRenewAnswers(harness.portal.mock_transport())
    # probe_size=10: the five tasks go out as the one batch held in flight, so reading back
    # has a whole batch to account for (the default measuring batch holds only 1 task)
    engine = RenewEngine(
        client_for(harness.portal, wire), harness.journal, portal="p", probe_size=10
    )
    token = CancelToken()
    run = asyncio.ensure_future(harness.renew(snapshots(harness, ids), engine=engine, token=token))
    await asyncio.wait_for(wire.held.wait(), 5)

    token.cancel()
    report = await asyncio.wait_for(run, 5)
    await engine.client.aclose()

    assert report.cancelled
    # the portal did apply the batch: reading back says so
    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids
    assert all(harness.portal.tasks[i].status == PENDING for i in ids)


async def test_what_cannot_be_read_back_after_a_cancel_is_settled_by_the_next_job(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness()
    ids = h.completed_ids(5)
    wire = HoldRenewAnswers(h.portal.mock_transport(), reads_too=True)
    # probe_size=10: the five tasks go out as the one batch held in flight (the default
    # measuring batch holds only 1 task; the other 4 would never be sent)
    engine = RenewEngine(
        client_for(h.portal, wire), h.journal, portal=h.engine.portal, probe_size=10
    )
    engine.read_back_on_cancel_s = 0.2
    token = CancelToken()
    run = asyncio.ensure_future(h.renew(snapshots(h, ids), engine=engine, token=token))
    await asyncio.wait_for(wire.held.wait(), 5)

    token.cancel()
    report = await run
    assert report.cancelled
    # nothing claimed: the portal could not be asked, so the report says "in flight"
    assert report.counts() == {TaskOutcome.RENEWING: 5}
    assert "before the next run" in report.results[ids[0]].reason
    (stopped,) = h.journal.runs()
    assert not stopped.crashed
    assert stopped.unsettled() == ids

    await RenewJob(h.engine, [TaskSnapshot(i, COMPLETED) for i in ids]).prepare()

    settled = h.journal.require(stopped.run_id)
    assert settled.unsettled() == []
    assert {settled.outcome_of(i) for i in ids} == {TaskOutcome.RENEWED}


async def test_a_webhook_without_the_tasks_permission_stops_at_the_first_batch(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    allowed: Harness = make_harness()
    ids = allowed.completed_ids(300)
    h: Harness = make_harness(webhook_scopes=("user",))

    report = await h.renew(snapshots(allowed, ids))

    assert h.portal.method_calls[RENEW] == 0
    assert h.client.http_requests == 1  # one refused batch, not six
    assert report.stopped_by
    assert report.counts() == {TaskOutcome.NOT_ATTEMPTED: 300}
    assert {r.reason for r in report.results.values()} == {report.stopped_by}


class FillsUp(Journal):
    """A journal whose disk fills up after `ok` result records."""

    def __init__(self, path: Path, ok: int) -> None:
        super().__init__(path)
        self.ok = ok

    def record_results(self, run_id: str, results: Sequence[TaskResult]) -> None:
        if self.ok <= 0:
            raise JournalError("The journal could not be written (No space left on device).")
        self.ok -= 1
        super().record_results(run_id, results)


async def test_a_full_disk_mid_run_still_says_which_tasks_were_reopened(
    harness: Harness, tmp_path: Path
) -> None:
    ids = harness.completed_ids(60)
    journal = FillsUp(tmp_path / "full.jsonl", ok=1)  # the first batch is recorded, no more
    engine = RenewEngine(harness.client, journal, portal="p", max_parallel=1)
    seen: dict[int, TaskOutcome] = {}
    listener = RunListener(on_event=lambda e: seen.__setitem__(e.task_id, e.outcome))

    with pytest.raises(JournalError) as stopped:
        await engine.renew(snapshots(harness, ids), listener=listener)

    partial = stopped.value.partial_report
    assert partial is not None
    reopened = sorted(partial.ids_with(TaskOutcome.RENEWED))
    # the measuring batch (1, recorded) and the next batch (50, not recorded): both
    # reopened on the portal, and the report says so
    assert reopened == ids[:51]
    assert all(harness.portal.tasks[i].status == PENDING for i in reopened)
    assert {seen[i] for i in reopened} == {TaskOutcome.RENEWED}  # the window shows them
    # the run stopped there: the last 9 were never sent
    assert all(harness.portal.tasks[i].status == COMPLETED for i in ids[51:])


async def test_a_portal_met_before_needs_no_measuring_batch(harness: Harness) -> None:
    ids = harness.completed_ids(300)
    await harness.renew(snapshots(harness, ids[:100]))  # measures the portal's speed
    portal = harness.engine.portal

    # the next run, in a new process: a client that has measured nothing yet
    wire = SlowRenews(harness.portal.mock_transport())
    engine = RenewEngine(client_for(harness.portal, wire), harness.journal, portal=portal)
    report = await harness.renew(snapshots(harness, ids[100:200]), engine=engine)
    await engine.client.aclose()

    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids[100:200]
    # the speed remembered from the run before: the whole wave at once, ceil(100 / 50) + 2
    assert wire.sizes == [25, 25, 25, 25]
    assert wire.most == 4

    # another portal on the same computer is measured first, by a batch of 1 sent alone
    wire = SlowRenews(harness.portal.mock_transport())
    other = RenewEngine(client_for(harness.portal, wire), harness.journal, portal="other")
    await harness.renew(snapshots(harness, ids[200:]), engine=other)
    await other.client.aclose()
    assert wire.sizes[0] == 1
    assert wire.alone[0]
