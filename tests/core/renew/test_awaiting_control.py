"""Tasks awaiting control (issue 11 §2, brief 12.1): listed only when asked for; reopened
with the method the portal allows this user (renew for the responsible, "return for rework"
for the creator or an admin); undo leaves them awaiting control, as they were."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sandbox_harness import Harness

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.model import TaskFilter, TaskOutcome, TaskSnapshot
from b24desk.core.renew.jobs import RenewJob, UndoJob

pytestmark = pytest.mark.asyncio


def awaiting(h: Harness, where: Callable[..., bool] = lambda t: True) -> list[int]:
    return sorted(t.id for t in h.portal.tasks.values() if t.status == 4 and where(t))


async def test_tasks_awaiting_control_are_listed_only_when_asked_for(harness: Harness) -> None:
    async def listed(task_filter: TaskFilter) -> set[int]:
        found: set[int] = set()
        async for page in tasks_api.iter_completed_tasks(harness.client, task_filter):
            found.update(t.id for t in page)
        return found

    waiting = set(awaiting(harness))
    assert waiting
    assert not waiting & await listed(TaskFilter())
    assert waiting <= await listed(TaskFilter(awaiting_control=True))


async def test_an_admin_returns_them_for_rework_and_undo_leaves_them_awaiting(
    harness: Harness,
) -> None:
    ids = awaiting(
        harness,
        lambda t: (
            1 not in (t.created_by, t.responsible_id, *t.accomplices)
            and t.created_by != t.responsible_id
        ),  # else completing it lands on 5, not 4
    )[:3]
    plain = harness.completed_ids(2, where=lambda t: not t.task_control)
    job = RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in ids + plain])
    plan = await job.prepare()
    assert plan.check is not None
    assert sorted(plan.check.return_for_rework) == ids
    report = await job.run()

    for task_id in ids:
        result = report.results[task_id]
        assert result.outcome is TaskOutcome.RENEWED
        assert result.reason.startswith("Returned for rework")
        assert harness.portal.tasks[task_id].status == 2
    assert harness.portal.method_calls["tasks.task.disapprove"] == 3
    assert harness.portal.method_calls["tasks.task.renew"] == 2

    (undo,) = await UndoJob(harness.engine, [report.run_id]).run()
    for task_id in ids:
        assert harness.portal.tasks[task_id].status == 4  # as it was, not approved
        assert "as it was before" in undo.results[task_id].reason
    assert all(harness.portal.tasks[i].status == 5 for i in plain)
    assert harness.portal.method_calls.get("tasks.task.approve", 0) == 0


async def test_their_responsible_renews_them(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(admin=False)
    ids = awaiting(harness, lambda t: t.responsible_id == 1 and t.created_by != 1)[:2]
    assert ids
    report = await RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in ids]).run()
    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids  # in the order answered
    assert all(report.results[i].reason == "" for i in ids)
    assert harness.portal.method_calls.get("tasks.task.disapprove", 0) == 0


async def test_a_user_who_may_do_neither_is_told_why(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(admin=False)
    ids = awaiting(
        harness,
        lambda t: 1 in t.auditors and 1 not in (t.created_by, t.responsible_id, *t.accomplices),
    )[:1]
    if not ids:
        pytest.skip("no such task in this sandbox")
    plan = await RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in ids]).prepare()
    assert plan.check is not None
    assert "only its responsible person can reopen it" in plan.check.not_allowed[ids[0]]
    assert plan.to_send == 0
