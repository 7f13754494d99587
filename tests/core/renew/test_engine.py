"""The renew engine against the sandbox portal: every outcome, fault, cancel, retry and undo."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from sandbox_harness import Harness, client_for

from b24desk.core.model import PENDING, TaskOutcome, TaskSnapshot
from b24desk.core.renew.engine import UNCONFIRMED, UNKNOWN_STATUS, CancelToken, RenewEngine
from b24desk.core.renew.jobs import RenewJob, UndoJob
from b24desk.core.renew.records import RunListener, RunNotFound, TaskEvent
from b24desk.sandbox import FaultPlan

pytestmark = pytest.mark.asyncio


def snapshots(h: Harness, ids: list[int]) -> list[TaskSnapshot]:
    return [TaskSnapshot(id=i, status=h.portal.tasks[i].status) for i in ids]


def outcomes(report_results: dict[int, object]) -> set[object]:
    return {r.outcome for r in report_results.values()}  # type: ignore[attr-defined]


async def test_renews_a_probe_batch_then_one_wave_within_the_request_allowance(
    harness: Harness,
) -> None:
    ids = harness.completed_ids(120)
    report = await harness.renew(snapshots(harness, ids))

    assert outcomes(report.results) == {TaskOutcome.RENEWED}
    assert all(harness.portal.tasks[i].status == PENDING for i in ids)
    assert harness.portal.method_calls["tasks.task.renew"] == 120
    # 1 first, to measure the portal's speed, then the other 119 shared over the batches
    # the run may still send side by side: ceil(120 / 50) + 2 write requests in all
    assert harness.client.http_requests == 1 + 4
    run = harness.journal.run(report.run_id)
    assert run is not None
    assert not run.crashed
    assert {i: run.outcome_of(i) for i in ids} == {i: TaskOutcome.RENEWED for i in ids}
    assert run.results[ids[0]].after is not None
    assert run.results[ids[0]].after.status == PENDING


async def test_every_task_goes_queued_renewing_then_final(harness: Harness) -> None:
    ids = harness.completed_ids(3)
    await harness.renew(snapshots(harness, ids))
    seen = [e.outcome for e in harness.events if e.task_id == ids[0]]
    assert seen == [TaskOutcome.QUEUED, TaskOutcome.RENEWING, TaskOutcome.RENEWED]


async def test_not_allowed_is_explained_per_task(make_harness) -> None:  # type: ignore[no-untyped-def]
    h: Harness = make_harness(admin=False)
    me = 1
    mine = h.completed_ids(2, where=lambda t: t.responsible_id == me)
    foreign = h.completed_ids(
        2,
        where=lambda t: (
            me not in (t.created_by, t.responsible_id)
            and me not in t.accomplices
            and me not in t.auditors
        ),
    )
    in_progress = sorted(
        t.id for t in h.portal.tasks.values() if t.status == 3 and t.responsible_id == me
    )[:1]
    assert in_progress, "the sandbox has no in-progress task of user 1"
    missing = [max(h.portal.tasks) + 1000]
    tasks = [
        *snapshots(h, mine + foreign),
        TaskSnapshot(in_progress[0], 5),
        TaskSnapshot(missing[0], 5),
    ]

    report = await h.renew(tasks)

    assert {i: report.results[i].outcome for i in mine} == {i: TaskOutcome.RENEWED for i in mine}
    for task_id in [*foreign, *missing]:
        result = report.results[task_id]
        assert result.outcome is TaskOutcome.NOT_ALLOWED
        assert result.code == "1048582"
        assert "deleted or you can no longer see it" in result.reason
    already = report.results[in_progress[0]]
    assert already.outcome is TaskOutcome.ALREADY_OPEN
    assert "in progress" in already.reason


async def test_falls_back_to_the_deprecated_method_on_old_portals(make_harness) -> None:  # type: ignore[no-untyped-def]
    h: Harness = make_harness(legacy=True)
    ids = h.completed_ids(60)
    report = await h.renew(snapshots(h, ids))
    assert outcomes(report.results) == {TaskOutcome.RENEWED}
    assert h.engine.legacy
    assert h.portal.method_calls["task.item.renew"] == 60
    assert all(h.portal.tasks[i].status == PENDING for i in ids)


@pytest.mark.parametrize("fault", ["lost", "slow", "reset", "html500", "badjson"])
async def test_a_batch_without_a_clear_answer_is_verified_not_guessed(
    make_harness,  # type: ignore[no-untyped-def]
    fault: str,
) -> None:
    h: Harness = make_harness(faults=FaultPlan.parse(f"on:tasks.task.renew={fault}"))
    ids = h.completed_ids(10)
    report = await h.renew(snapshots(h, ids))

    assert outcomes(report.results) == {TaskOutcome.RENEWED}
    assert all(h.portal.tasks[i].status == PENDING for i in ids)
    # Each task was renewed exactly once on the portal, whether the first answer got lost
    # after applying (lost) or the call never ran (slow, reset...).
    assert h.portal.method_calls["tasks.task.renew"] == 10
    assert h.portal.method_calls["tasks.task.list"] >= 1, "the tasks were not read back"


async def test_a_portal_that_keeps_failing_leaves_failed_tasks_with_reasons(make_harness) -> None:  # type: ignore[no-untyped-def]
    h: Harness = make_harness(faults=FaultPlan.parse("on:tasks.task.renew=html500*all"))
    ids = h.completed_ids(5)
    report = await h.renew(snapshots(h, ids))
    assert outcomes(report.results) == {TaskOutcome.FAILED}
    assert all(h.portal.tasks[i].status == 5 for i in ids)
    assert "error page" in report.results[ids[0]].reason


async def test_cancel_sends_nothing_more_after_the_first_batch(harness: Harness) -> None:
    ids = harness.completed_ids(150)
    token = CancelToken()

    def cancel_on_first_final(event: TaskEvent) -> None:
        if event.outcome is TaskOutcome.RENEWED:
            token.cancel()

    harness.listener = RunListener(on_event=cancel_on_first_final)
    report = await harness.renew(snapshots(harness, ids), token=token)

    assert report.cancelled
    counts = report.counts()
    # the first batch (1 task, measuring the portal's speed) ran alone and finished; the
    # other 149 were never sent
    assert counts[TaskOutcome.RENEWED] == 1
    assert counts[TaskOutcome.NOT_ATTEMPTED] == 149
    assert harness.portal.method_calls["tasks.task.renew"] == 1
    assert sum(harness.portal.tasks[i].status == PENDING for i in ids) == 1
    run = harness.journal.run(report.run_id)
    assert run is not None
    assert run.cancelled
    assert run.counts() == {TaskOutcome.RENEWED: 1, TaskOutcome.NOT_ATTEMPTED: 149}


async def test_retry_runs_only_the_failed_ones_again(make_harness) -> None:  # type: ignore[no-untyped-def]
    h: Harness = make_harness(faults=FaultPlan.parse("on:tasks.task.renew=html500*2"))
    first, second = h.completed_ids(100)[:50], h.completed_ids(100)[50:]
    h.engine.max_rounds = 1
    report = await h.renew(snapshots(h, first + second))
    failed = report.ids_with(TaskOutcome.FAILED)
    assert failed, "the fault plan should have failed a batch"

    retry = await h.retry(report.run_id)

    assert set(retry.results) == set(failed)
    assert outcomes(retry.results) == {TaskOutcome.RENEWED}
    assert all(h.portal.tasks[i].status == PENDING for i in first + second)
    assert h.journal.run(retry.run_id).parent == report.run_id  # type: ignore[union-attr]


async def test_precheck_tells_which_tasks_are_no_longer_completed(harness: Harness) -> None:
    ids = harness.completed_ids(6)
    harness.portal.tasks[ids[0]].status = 3
    gone = max(harness.portal.tasks) + 7
    check = await harness.precheck([*snapshots(harness, ids), TaskSnapshot(gone, 5)])
    assert [t.id for t in check.renewable] == ids[1:]
    assert [t.id for t in check.no_longer_completed] == [ids[0]]
    assert check.missing == [gone]
    reasons = check.skip_reasons()
    assert "in progress" in reasons[ids[0]]

    report = await harness.renew(snapshots(harness, ids), skip=reasons)
    assert report.results[ids[0]].outcome is TaskOutcome.SKIPPED
    assert harness.portal.method_calls["tasks.task.renew"] == 5


async def test_undo_completes_again_only_what_is_still_untouched(harness: Harness) -> None:
    def needs_approval(task_id: int) -> bool:
        # Completed by someone other than its creator, a controlled task awaits approval.
        task = harness.portal.tasks[task_id]
        return task.task_control and task.created_by not in (1, task.responsible_id)

    controlled = harness.completed_ids(2, where=lambda t: needs_approval(t.id))
    plain = harness.completed_ids(6, where=lambda t: not needs_approval(t.id))
    ids = plain + controlled
    report = await harness.renew(snapshots(harness, ids))
    touched, moved = plain[0], plain[1]
    harness.portal.tasks[touched].changed_date += 60  # someone edited it since
    harness.portal.tasks[moved].status = 3  # someone started working on it

    undo = await harness.undo(report.run_id)

    assert undo.results[touched].outcome is TaskOutcome.SKIPPED
    assert "changed the task" in undo.results[touched].reason
    assert undo.results[moved].outcome is TaskOutcome.SKIPPED
    assert "in progress" in undo.results[moved].reason
    assert harness.portal.tasks[moved].status == 3
    for task_id in plain[2:]:
        assert undo.results[task_id].outcome is TaskOutcome.RECOMPLETED
        assert harness.portal.tasks[task_id].status == 5
    for task_id in controlled:
        # complete left it awaiting control; the admin's approve put it back to completed
        assert undo.results[task_id].outcome is TaskOutcome.RECOMPLETED
        assert harness.portal.tasks[task_id].status == 5
        assert "accepted it for its creator" in undo.results[task_id].reason


async def test_undo_of_an_unknown_run_says_so(harness: Harness) -> None:
    with pytest.raises(RunNotFound) as caught:
        await harness.undo("19990101-000000-abcdef")
    assert caught.value.run_id == "19990101-000000-abcdef"


class StallOnSecondRenewBatch(httpx.AsyncBaseTransport):
    """Delivers the second renew batch to the portal, then never answers (a crash point)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.renew_batches = 0
        self.stalled = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if b"tasks.task.renew" in request.content:
            self.renew_batches += 1
            if self.renew_batches == 2:
                self.stalled.set()
                await asyncio.Event().wait()
        return response


async def test_a_run_killed_mid_batch_is_recovered_from_the_journal(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness()
    ids = h.completed_ids(150)
    wire = StallOnSecondRenewBatch(h.portal.mock_transport())
    # one batch of 50 at a time, so that "the second batch" is a clear crash point
    dying = RenewEngine(
        client_for(h.portal, wire), h.journal, portal="p", max_parallel=1, probe_size=50
    )
    run = asyncio.ensure_future(dying.renew(snapshots(h, ids)))
    await asyncio.wait_for(wire.stalled.wait(), 5)
    run.cancel()  # the process dies here: no results for batch 2, nothing after
    with pytest.raises(asyncio.CancelledError):
        await run
    await dying.client.aclose()

    (crashed,) = h.journal.runs()
    assert crashed.crashed
    assert crashed.in_flight == set(ids[50:100])
    assert {crashed.outcome_of(i) for i in ids[:50]} == {TaskOutcome.RENEWED}

    recovered = await h.engine.recover(crashed.run_id)

    assert not recovered.crashed
    assert {recovered.outcome_of(i) for i in ids[:100]} == {TaskOutcome.RENEWED}
    assert {recovered.outcome_of(i) for i in ids[100:]} == {TaskOutcome.NOT_ATTEMPTED}
    assert all(h.portal.tasks[i].status == PENDING for i in ids[:100])
    assert all(h.portal.tasks[i].status == 5 for i in ids[100:])


# --- review findings: each of these failed before the fix --------------------------------


async def test_an_already_open_task_of_unknown_state_is_not_called_renewed_nor_undone(
    harness: Harness,
) -> None:
    pending = sorted(t.id for t in harness.portal.tasks.values() if t.status == PENDING)[:2]
    completed = harness.completed_ids(2)
    harness.portal.clock = lambda: 2_000_000_000.0  # the run happens well after the data
    unknown = [TaskSnapshot(i, UNKNOWN_STATUS) for i in pending + completed]

    report = await harness.renew(unknown)

    assert {report.results[i].outcome for i in pending} == {TaskOutcome.ALREADY_OPEN}
    assert {report.results[i].outcome for i in completed} == {TaskOutcome.RENEWED}
    undo = await harness.undo(report.run_id)
    assert set(undo.results) == set(completed)
    assert all(harness.portal.tasks[i].status == PENDING for i in pending)


async def test_a_portal_that_refuses_the_whole_batch_ends_the_run_cleanly(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness(faults=FaultPlan.parse("on:tasks.task.renew=overload"))
    ids = h.completed_ids(120)
    report = await h.renew(snapshots(h, ids))

    assert report.stopped_by
    assert "support" in report.stopped_by
    assert report.counts() == {TaskOutcome.NOT_ATTEMPTED: 120}
    assert all(h.portal.tasks[i].status == 5 for i in ids)
    run = h.journal.run(report.run_id)
    assert run is not None
    assert not run.crashed
    assert run.counts() == {TaskOutcome.NOT_ATTEMPTED: 120}
    assert h.portal.method_calls["tasks.task.renew"] == 0


@pytest.mark.virtual_time
async def test_when_the_read_back_fails_too_nothing_is_sent_twice(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    # every renew answer is lost (each batch, the measuring one and those after it, since
    # a lost answer measures nothing) and no read-back is answered
    h: Harness = make_harness(
        faults=FaultPlan.parse("on:tasks.task.renew=lost*all,on:tasks.task.list=html500*all")
    )
    ids = h.completed_ids(4)
    report = await h.renew(snapshots(h, ids))

    assert h.portal.method_calls["tasks.task.renew"] == 4
    assert all(h.portal.tasks[i].status == PENDING for i in ids)
    for task_id in ids:
        assert report.results[task_id].outcome is TaskOutcome.FAILED
        assert report.results[task_id].code == UNCONFIRMED
        assert "check it on the portal" in report.results[task_id].reason


async def test_recovering_a_crashed_undo_run_reads_completion_not_renewal(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness()
    ids = h.completed_ids(3)
    renewed = await h.renew(snapshots(h, ids))
    wire = StallOnFirstBatchOf(h.portal.mock_transport(), b"tasks.task.complete")
    # probe_size=10: the three tasks go out in the one batch that stalls, so the crash
    # leaves every one of them in flight for the recovery to read back (with the default
    # measuring batch of 1, two of them would never have been sent)
    dying = RenewEngine(
        client_for(h.portal, wire), h.journal, portal=h.engine.portal, probe_size=10
    )
    run = asyncio.ensure_future(UndoJob(dying, [renewed.run_id]).run())
    await asyncio.wait_for(wire.stalled.wait(), 5)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    await dying.client.aclose()

    crashed = next(r for r in h.journal.runs() if r.kind == "undo")
    assert crashed.unsettled() == sorted(ids)
    recovered = await h.engine.recover(crashed.run_id)

    assert {recovered.outcome_of(i) for i in ids} == {TaskOutcome.RECOMPLETED}


async def test_duplicate_ids_are_sent_once(harness: Harness) -> None:
    ids = harness.completed_ids(3)
    report = await harness.renew(snapshots(harness, ids + ids[:2]))
    assert set(report.results) == set(ids)
    assert harness.portal.method_calls["tasks.task.renew"] == 3


async def test_the_legacy_method_is_used_only_when_the_portal_lacks_the_current_one(
    harness: Harness,
) -> None:
    """ERROR_METHOD_NOT_FOUND can also mean a missing permission: method.get decides."""
    wire = CommandsFail(harness.portal.mock_transport(), "tasks.task.renew")
    engine = RenewEngine(client_for(harness.portal, wire), harness.journal, portal="p")
    ids = harness.completed_ids(2)
    report = await harness.renew(snapshots(harness, ids), engine=engine)
    await engine.client.aclose()

    assert not engine.legacy
    assert harness.portal.method_calls["task.item.renew"] == 0
    assert {r.outcome for r in report.results.values()} == {TaskOutcome.FAILED}


async def test_legacy_renews_are_read_back_so_undo_can_check_them(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness(legacy=True)
    ids = h.completed_ids(3)
    report = await h.renew(snapshots(h, ids))
    assert all(report.results[i].after is not None for i in ids)
    h.portal.tasks[ids[0]].changed_date += 60

    undo = await h.undo(report.run_id)
    assert undo.results[ids[0]].outcome is TaskOutcome.SKIPPED


async def test_precheck_survives_tasks_the_portal_cannot_read(harness: Harness) -> None:
    wire = CommandsFail(harness.portal.mock_transport(), "tasks.task.list", "ERROR_CORE", "Oops")
    engine = RenewEngine(client_for(harness.portal, wire), harness.journal, portal="p")
    ids = harness.completed_ids(3)
    check = await harness.precheck(snapshots(harness, ids), engine=engine)
    await engine.client.aclose()
    assert check.unread == ids
    assert check.renewable == []
    assert check.missing == []


class StallOnFirstBatchOf(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, needle: bytes) -> None:
        self.inner = inner
        self.needle = needle
        self.stalled = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.needle in request.content and not self.stalled.is_set():
            self.stalled.set()
            await asyncio.Event().wait()
        return response


class CommandsFail(httpx.AsyncBaseTransport):
    """Answers every command of a batch of `method` calls with the given error."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        method: str,
        code: str = "ERROR_METHOD_NOT_FOUND",
        description: str = "Method not found!",
    ) -> None:
        self.inner = inner
        self.method = method
        self.error = {"error": code, "error_description": description}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        commands = body.get("cmd") if isinstance(body, dict) else None
        if isinstance(commands, dict) and all(
            str(c).startswith(self.method + "?") for c in commands.values()
        ):
            result = {
                "result": [],
                "result_error": {key: self.error for key in commands},
                "result_total": [],
                "result_next": [],
                "result_time": [],
            }
            return httpx.Response(200, json={"result": result, "time": {}})
        return await self.inner.handle_async_request(request)


async def test_the_journal_keeps_each_task_title_for_later_exports(harness: Harness) -> None:
    ids = harness.completed_ids(3)
    plan = await RenewJob(harness.engine, snapshots(harness, ids)).prepare()
    report = await harness.renew(plan.tasks, skip=plan.skip)

    run = harness.journal.run(report.run_id)
    assert run is not None
    assert {i: run.before[i].title for i in ids} == {i: harness.portal.tasks[i].title for i in ids}
