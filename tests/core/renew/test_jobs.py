"""The renew and undo jobs: prepare (recover, read, plan), then run; one undo rule."""

from __future__ import annotations

import pytest
from sandbox_harness import Harness

from b24desk.core.model import COMPLETED, PENDING, TaskOutcome, TaskSnapshot
from b24desk.core.renew.jobs import RenewJob, UndoJob, UndoRefused, still_to_undo, undo_refusal
from b24desk.core.renew.records import RunKind, RunListener, RunNotFound, TaskEvent
from b24desk.sandbox import FaultPlan

pytestmark = pytest.mark.asyncio


def snapshots(h: Harness, ids: list[int]) -> list[TaskSnapshot]:
    return [TaskSnapshot(id=i, status=h.portal.tasks[i].status) for i in ids]


def plain_ids(h: Harness, count: int) -> list[int]:
    """Completed tasks an undo can complete straight back to 5 (no task control in the way)."""
    return h.completed_ids(count, where=lambda t: not t.task_control)


async def test_prepare_reads_the_tasks_and_plans_what_is_sent(harness: Harness) -> None:
    ids = harness.completed_ids(5)
    harness.portal.tasks[ids[0]].status = 3  # a colleague took it back in the meantime
    gone = max(harness.portal.tasks) + 3
    job = RenewJob(harness.engine, [*snapshots(harness, ids), TaskSnapshot(gone, COMPLETED)])

    plan = await job.prepare()

    assert plan.selected == 6
    assert plan.to_send == 4
    assert set(plan.skip) == {ids[0], gone}
    assert harness.portal.method_calls["tasks.task.renew"] == 0  # preparing changes nothing
    report = await job.run()
    assert report.results[ids[0]].outcome is TaskOutcome.SKIPPED
    assert report.results[gone].outcome is TaskOutcome.SKIPPED
    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids[1:]  # in the order answered


async def test_a_job_cancelled_before_it_runs_sends_nothing(harness: Harness) -> None:
    ids = harness.completed_ids(3)
    job = RenewJob(harness.engine, snapshots(harness, ids))
    await job.prepare()
    job.cancel()

    report = await job.run()

    assert report.cancelled
    assert report.counts() == {TaskOutcome.NOT_ATTEMPTED: 3}
    assert harness.portal.method_calls["tasks.task.renew"] == 0
    assert all(harness.portal.tasks[i].status == COMPLETED for i in ids)


async def test_each_job_has_its_own_listener(harness: Harness) -> None:
    first: list[TaskEvent] = []
    second: list[TaskEvent] = []
    a, b = harness.completed_ids(4)[:2], harness.completed_ids(4)[2:]
    await RenewJob(harness.engine, snapshots(harness, a), listener=RunListener(first.append)).run()
    await RenewJob(harness.engine, snapshots(harness, b), listener=RunListener(second.append)).run()
    assert {e.task_id for e in first} == set(a)
    assert {e.task_id for e in second} == set(b)


async def test_retry_of_sends_only_what_the_run_did_not_reopen(harness: Harness) -> None:
    ids = harness.completed_ids(4)
    first = await harness.renew(snapshots(harness, ids[:2]))
    stopped = RenewJob(harness.engine, snapshots(harness, ids[2:]))
    stopped.cancel()
    await stopped.run()
    runs = await harness.engine.runs()
    # a run with two renewed tasks has nothing to retry; the cancelled one has two
    assert not (await (await RenewJob.retry_of(harness.engine, first.run_id)).prepare()).tasks
    job = await RenewJob.retry_of(harness.engine, runs[-1].run_id)

    plan = await job.prepare()

    assert plan.kind is RunKind.RETRY
    assert plan.parent == runs[-1].run_id
    assert [t.id for t in plan.tasks] == ids[2:]
    report = await job.run()
    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids[2:]  # in the order answered
    with pytest.raises(RunNotFound):
        await RenewJob.retry_of(harness.engine, "no-such-run")


async def test_undo_plan_counts_what_it_completes_and_what_it_leaves(harness: Harness) -> None:
    ids = plain_ids(harness, 4)
    run = await harness.renew(snapshots(harness, ids))
    harness.portal.tasks[ids[0]].status = 3  # moved on since
    job = UndoJob(harness.engine, [run.run_id])

    plan = await job.prepare()

    assert plan.run_ids == [run.run_id]
    assert (plan.reopened, plan.to_complete, plan.left) == (4, 3, 1)
    assert [r.id for r in plan.left_results()] == [ids[0]]
    assert harness.portal.method_calls["tasks.task.complete"] == 0
    (report,) = await job.run()
    assert sorted(report.ids_with(TaskOutcome.RECOMPLETED)) == ids[1:]  # in the order answered
    assert harness.portal.tasks[ids[0]].status == 3


async def test_an_undone_run_cannot_be_undone_twice(harness: Harness) -> None:
    """Issue 11 §4: once an undo ran to its end, the run is undone; a task it left as it
    was (changed since) is not offered again, even when it later looks untouched."""
    ids = plain_ids(harness, 3)
    run = await harness.renew(snapshots(harness, ids))
    harness.portal.tasks[ids[0]].status = 3
    await harness.undo(run.run_id)  # completes ids[1:], leaves ids[0]
    harness.portal.tasks[ids[0]].status = PENDING  # back as the run left it

    runs = await harness.engine.runs()
    record = next(r for r in runs if r.run_id == run.run_id)
    assert still_to_undo(record, runs) == [ids[0]]
    refusal = undo_refusal(record, runs, harness.engine.portal)
    assert refusal is not None
    assert refusal.nothing_to_do
    assert "already been undone" in refusal.message
    with pytest.raises(UndoRefused):
        await UndoJob(harness.engine, [run.run_id]).prepare()
    assert harness.portal.tasks[ids[0]].status == PENDING


async def test_the_undo_rule_refuses_undos_other_portals_and_empty_runs(harness: Harness) -> None:
    ids = plain_ids(harness, 2)
    run = await harness.renew(snapshots(harness, ids))
    (undo,) = await UndoJob(harness.engine, [run.run_id]).run()
    harness.portal.tasks[ids[0]].status = 3
    empty = await harness.renew([TaskSnapshot(ids[0], COMPLETED)], skip={ids[0]: "not now"})
    runs = await harness.engine.runs()
    by_id = {r.run_id: r for r in runs}

    of_undo = undo_refusal(by_id[undo.run_id], runs)
    assert of_undo is not None
    assert not of_undo.nothing_to_do
    assert "itself an undo" in of_undo.message
    elsewhere = undo_refusal(by_id[run.run_id], runs, "https://other.example")
    assert elsewhere is not None
    assert "https://other.example" not in elsewhere.message
    assert harness.engine.portal in elsewhere.message
    nothing = undo_refusal(by_id[empty.run_id], runs, harness.engine.portal)
    assert nothing is not None
    assert nothing.nothing_to_do
    assert "reopened no tasks" in nothing.message
    with pytest.raises(RunNotFound):
        await UndoJob(harness.engine, ["no-such-run"]).prepare()
    with pytest.raises(ValueError, match="at least one run"):
        UndoJob(harness.engine, [])


# --- "renewed by us" is decided by what the portal says changed (issue 15 #3) ---------------


def reopen_as_a_colleague(h: Harness, task_id: int, seconds_ago: float = 30) -> None:
    task = h.portal.tasks[task_id]
    colleague = next(u for u in h.portal.users if u not in (1, task.created_by))
    task.status = PENDING
    task.closed_date = None
    task.changed_date = task.status_changed_date = h.portal.clock() - seconds_ago
    task.changed_by = task.status_changed_by = colleague


async def test_a_task_a_colleague_reopened_after_the_check_is_not_claimed(
    harness: Harness,
) -> None:
    ids = plain_ids(harness, 3)
    job = RenewJob(harness.engine, snapshots(harness, ids))
    plan = await job.prepare()
    assert plan.to_send == 3  # all completed when checked
    reopen_as_a_colleague(harness, ids[0])

    report = await job.run()

    assert report.results[ids[0]].outcome is TaskOutcome.ALREADY_OPEN
    assert "before this run got to it" in report.results[ids[0]].reason
    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids[1:]  # in the order answered
    # and an undo leaves the colleague's reopen alone
    (undo,) = await UndoJob(harness.engine, [report.run_id]).run()
    assert ids[0] not in undo.results or undo.results[ids[0]].outcome is not (
        TaskOutcome.RECOMPLETED
    )
    assert harness.portal.tasks[ids[0]].status == PENDING


async def test_two_runs_over_the_same_tasks_claim_each_task_once(harness: Harness) -> None:
    ids = plain_ids(harness, 4)
    stale = snapshots(harness, ids)  # both runs read "completed"
    first = await harness.renew(stale)
    for task_id in ids:  # the second run comes a little later (the portal stamps seconds)
        harness.portal.tasks[task_id].status_changed_date -= 5
        harness.portal.tasks[task_id].changed_date -= 5
    second = await harness.renew(stale)

    assert sorted(first.ids_with(TaskOutcome.RENEWED)) == ids  # in the order answered
    assert second.ids_with(TaskOutcome.RENEWED) == []
    assert sorted(second.ids_with(TaskOutcome.ALREADY_OPEN)) == ids  # in the order answered
    runs = await harness.engine.runs()
    refusal = undo_refusal(next(r for r in runs if r.run_id == second.run_id), runs)
    assert refusal is not None
    assert refusal.nothing_to_do


# --- reading before a run survives a flaky portal (issue 15, "also weak") -------------------


@pytest.mark.virtual_time
async def test_the_check_reads_again_when_the_portal_fails_for_a_while(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness(faults=FaultPlan.parse("on:tasks.task.list=html500*4"))
    ids = h.completed_ids(30)

    plan = await RenewJob(h.engine, snapshots(h, ids)).prepare()

    assert plan.check is not None
    assert plan.check.unread == []
    assert [t.id for t in plan.check.renewable] == ids


@pytest.mark.virtual_time
async def test_a_check_the_portal_never_answers_sends_the_tasks_as_unread(
    make_harness,  # type: ignore[no-untyped-def]
) -> None:
    h: Harness = make_harness(faults=FaultPlan.parse("on:tasks.task.list=html500*all"))
    ids = h.completed_ids(5)

    plan = await RenewJob(h.engine, snapshots(h, ids)).prepare()

    assert plan.check is not None
    assert plan.check.unread == ids  # nothing lost: sent and verified after
    assert plan.to_send == 5
