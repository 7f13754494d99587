"""A new deadline with the reopen (issue 11 §1): set or moved right after each renew,
journaled with the old one, put back by undo; and the words for them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sandbox_harness import Harness

from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.deadline import (
    DeadlineChange,
    DeadlineError,
    MoveUnit,
    parse_deadline,
    parse_move,
)
from b24desk.core.renew.jobs import RenewJob, UndoJob

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_the_choices_of_the_portals_bulk_action() -> None:
    past, future = "2026-06-10T18:00:00+03:00", "2027-01-10T18:00:00+03:00"
    at = DeadlineChange(at=parse_deadline("2026-12-20"))
    assert at.new_deadline(past, NOW) == "2026-12-20T18:00:00"
    assert at.new_deadline(None, NOW) == "2026-12-20T18:00:00"
    week = DeadlineChange(move=1, unit=MoveUnit.WEEKS)
    assert week.new_deadline(past, NOW) == "2026-06-17T18:00:00+03:00"
    assert week.new_deadline(None, NOW) is None  # nothing to move
    month = DeadlineChange(move=1, unit=MoveUnit.MONTHS)
    assert month.new_deadline("2026-01-31T10:00:00+03:00", NOW) == "2026-02-28T10:00:00+03:00"
    only = DeadlineChange(at=parse_deadline("2026-12-20T09:30"), only_overdue=True)
    assert only.new_deadline(past, NOW) == "2026-12-20T09:30:00"
    assert only.new_deadline(future, NOW) is None


@pytest.mark.parametrize("text", ["20.12.2026", "2026-13-01", "tomorrow", ""])
def test_a_bad_deadline_says_how_to_write_it(text: str) -> None:
    with pytest.raises(DeadlineError, match="2026-12-20T18:00"):
        parse_deadline(text)


@pytest.mark.parametrize("text", ["0d", "1000d", "7", "2y", "-1w"])
def test_a_bad_move_says_how_to_write_it(text: str) -> None:
    with pytest.raises(DeadlineError, match="7d, 2w or 1m"):
        parse_move(text)


def test_moves_read_as_the_portal_writes_them() -> None:
    assert parse_move("7d") == (7, MoveUnit.DAYS)
    assert parse_move(" 2W ") == (2, MoveUnit.WEEKS)
    assert parse_move("999m") == (999, MoveUnit.MONTHS)


@pytest.mark.asyncio
async def test_renew_sets_the_deadline_and_undo_puts_the_old_one_back(harness: Harness) -> None:
    ids = harness.completed_ids(4, where=lambda t: not t.task_control and t.deadline is not None)
    old = {i: harness.portal.tasks[i].deadline for i in ids}
    change = DeadlineChange(at=parse_deadline("2030-01-15T18:00"))
    job = RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in ids], deadline=change)
    plan = await job.prepare()
    assert set(plan.deadlines) == set(ids)
    assert plan.overdue == 0
    report = await job.run()

    for task_id in ids:
        result = report.results[task_id]
        assert result.outcome is TaskOutcome.RENEWED
        assert "New deadline: 2030-01-15 18:00." in result.reason
        assert harness.portal.tasks[task_id].deadline != old[task_id]
    assert harness.portal.method_calls["tasks.task.update"] == 4
    run = harness.journal.run(report.run_id)
    assert run is not None
    assert all(run.before[i].deadline is not None for i in ids)  # the old one, journaled

    (undo,) = await UndoJob(harness.engine, [report.run_id]).run()
    for task_id in ids:
        assert undo.results[task_id].outcome is TaskOutcome.RECOMPLETED
        assert "deadline is back" in undo.results[task_id].reason
        assert harness.portal.tasks[task_id].deadline == old[task_id]
        assert harness.portal.tasks[task_id].status == 5


@pytest.mark.asyncio
async def test_without_a_new_deadline_the_plan_counts_what_is_overdue_at_once(
    harness: Harness,
) -> None:
    now = harness.portal.clock()
    past = harness.completed_ids(3, where=lambda t: t.deadline is not None and t.deadline < now)
    plan = await RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in past]).prepare()
    assert plan.overdue == 3
    assert plan.deadlines == {}
    assert harness.portal.method_calls.get("tasks.task.update", 0) == 0
