"""Undo restores what a run changed: complete, then approve where task control asks for it
(brief 12.1); the plan says beforehand how many will wait for their creator; a run is
undone once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sandbox_harness import Harness

from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.engine import AWAITING_APPROVAL
from b24desk.core.renew.jobs import UndoJob, UndoRefused, undo_refusal, undone
from b24desk.core.renew.records import RunListener, TaskEvent

pytestmark = pytest.mark.asyncio


def snapshots(h: Harness, ids: list[int]) -> list[TaskSnapshot]:
    return [TaskSnapshot(id=i, status=h.portal.tasks[i].status) for i in ids]


def lands_on_control(h: Harness) -> Callable[..., bool]:
    """Completing it as the webhook user (1) leaves it awaiting its creator's approval."""
    user = h.portal.config.user_id
    return lambda t: t.task_control and t.created_by not in (user, t.responsible_id)


async def test_an_admin_undo_approves_what_complete_left_awaiting_control(
    harness: Harness,
) -> None:
    controlled = harness.completed_ids(4, where=lands_on_control(harness))
    plain = harness.completed_ids(3, where=lambda t: not lands_on_control(harness)(t))
    run = await harness.renew(snapshots(harness, controlled + plain))

    job = UndoJob(harness.engine, [run.run_id])
    plan = await job.prepare()
    assert plan.controlled == 4
    assert plan.approver
    assert plan.may_wait == 0
    (report,) = await job.run()

    for task_id in controlled + plain:
        assert harness.portal.tasks[task_id].status == 5, task_id
        result = report.results[task_id]
        assert result.outcome is TaskOutcome.RECOMPLETED
        assert result.code != AWAITING_APPROVAL
        assert result.after is not None
        assert result.after.status == 5
    assert harness.portal.method_calls["tasks.task.approve"] == 4
    for task_id in plain:
        assert report.results[task_id].reason == ""


async def test_a_user_who_may_not_approve_is_told_before_and_after(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(admin=False)
    mine = lands_on_control(harness)
    # tasks user 1 may reopen and complete, but whose creator is someone else
    ids = harness.completed_ids(
        3,
        where=lambda t: mine(t) and t.responsible_id == 1,
    )
    run = await harness.renew(snapshots(harness, ids))
    assert sorted(run.ids_with(TaskOutcome.RENEWED)) == ids  # in the order answered

    job = UndoJob(harness.engine, [run.run_id])
    plan = await job.prepare()
    assert not plan.approver
    assert plan.may_wait == 3
    (report,) = await job.run()

    for task_id in ids:
        result = report.results[task_id]
        assert result.outcome is TaskOutcome.RECOMPLETED
        assert result.code == AWAITING_APPROVAL
        assert "awaiting the creator's approval" in result.reason
        assert harness.portal.tasks[task_id].status == 4
    # the journal remembers it, and History can say so
    runs = await harness.engine.runs()
    record = next(r for r in runs if r.run_id == run.run_id)
    info = undone(record, runs)
    assert info is not None
    assert (info.completed, info.awaiting_approval, info.left) == (3, 3, 0)


async def test_undo_batches_leave_room_for_the_approvals(harness: Harness) -> None:
    harness.engine.client.pacer.budget.observe(
        "tasks.task.complete", {"processing": 0.45, "operating": 0}
    )
    # complete 0.45 s + approve 0.93 s (the docs' figure) per task, 30 s a request
    from b24desk.core.renew.actions import COMPLETE_ACTION, RENEW_ACTION

    assert harness.engine._batch_size(COMPLETE_ACTION, True) == int(30 // (0.45 + 0.93))
    assert harness.engine._batch_size(RENEW_ACTION, True) == 50


async def test_a_run_is_undone_once_and_history_knows_when(harness: Harness) -> None:
    ids = harness.completed_ids(3, where=lambda t: not t.task_control)
    run = await harness.renew(snapshots(harness, ids))
    harness.portal.tasks[ids[0]].changed_date += 60  # someone edited it since
    (first,) = await UndoJob(harness.engine, [run.run_id]).run()
    assert first.results[ids[0]].outcome is TaskOutcome.SKIPPED
    assert sorted(first.ids_with(TaskOutcome.RECOMPLETED)) == ids[1:]  # in the order answered

    runs = await harness.engine.runs()
    record = next(r for r in runs if r.run_id == run.run_id)
    info = undone(record, runs)
    assert info is not None
    assert (info.completed, info.left) == (2, 1)
    assert info.at == next(r for r in runs if r.run_id == first.run_id).finished_at
    refusal = undo_refusal(record, runs, harness.engine.portal)
    assert refusal is not None
    assert refusal.nothing_to_do
    assert "already been undone" in refusal.message
    with pytest.raises(UndoRefused):
        await UndoJob(harness.engine, [run.run_id]).prepare()
    # the tasks the undo completed keep that outcome: nothing relabels them
    runs = await harness.engine.runs()
    undo_record = next(r for r in runs if r.run_id == first.run_id)
    assert undo_record.ids_with(TaskOutcome.RECOMPLETED) == ids[1:]


async def test_a_cancelled_undo_can_go_on_with_the_rest(harness: Harness) -> None:
    ids = harness.completed_ids(30, where=lambda t: not t.task_control)
    run = await harness.renew(snapshots(harness, ids))

    def stop_after_the_first(event: TaskEvent) -> None:
        if event.outcome is TaskOutcome.RECOMPLETED:
            job.cancel()

    job = UndoJob(harness.engine, [run.run_id], listener=RunListener(on_event=stop_after_the_first))
    (cancelled,) = await job.run()
    assert cancelled.cancelled
    assert 0 < len(cancelled.ids_with(TaskOutcome.RECOMPLETED)) < len(ids)
    runs = await harness.engine.runs()
    record = next(r for r in runs if r.run_id == run.run_id)
    assert undone(record, runs) is None
    assert undo_refusal(record, runs, harness.engine.portal) is None
    (rest,) = await UndoJob(harness.engine, [run.run_id]).run()
    done = cancelled.ids_with(TaskOutcome.RECOMPLETED)
    assert sorted(done + rest.ids_with(TaskOutcome.RECOMPLETED)) == ids
