""" "Check first" (issue 11 §3): the portal is asked, per task, whether this user may reopen
it (`tasks.task.getaccess`), nothing is changed, and a renew leaves out what it may not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sandbox_harness import Harness

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.jobs import RenewJob
from b24desk.sandbox.access import caller_for, renew_allowed

pytestmark = pytest.mark.asyncio


def split(h: Harness, count: int) -> tuple[list[int], list[int]]:
    """Completed tasks user 1 (not an admin) may reopen, and visible ones it may not."""
    caller = caller_for(h.portal.data, 1)
    visible = [
        t for t in h.portal.tasks.values() if t.status == 5 and caller.id in t.participants()
    ]
    may = sorted(t.id for t in visible if renew_allowed(caller, t))[:count]
    may_not = sorted(t.id for t in visible if not renew_allowed(caller, t))[:count]
    assert len(may) == count
    assert len(may_not) == count
    return may, may_not


async def test_check_first_asks_the_portal_and_changes_nothing(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(admin=False)
    may, may_not = split(harness, 3)
    hidden = next(
        t.id
        for t in harness.portal.tasks.values()
        if t.status == 5 and 1 not in t.participants() and t.id not in may + may_not
    )
    ids = may + may_not + [hidden]
    changed = {i: harness.portal.tasks[i].changed_date for i in ids}

    plan = await RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in ids], rights=True).prepare()

    check = plan.check
    assert check is not None
    assert check.rights_checked
    assert [t.id for t in check.renewable] == may
    assert sorted(check.not_allowed) == may_not
    assert all(check.not_allowed[i].startswith("Only its creator") for i in may_not)
    assert all(plan.skip[i].startswith("Not allowed: Only its creator") for i in may_not)
    assert plan.to_send == 3
    assert harness.portal.method_calls["tasks.task.getaccess"] == 6
    # a task the user cannot see is "deleted or hidden" already from the read
    assert hidden in check.missing
    assert {i: harness.portal.tasks[i].changed_date for i in ids} == changed
    assert harness.portal.method_calls.get("tasks.task.renew", 0) == 0


async def test_a_renew_leaves_out_what_the_user_may_not_reopen(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(admin=False)
    may, may_not = split(harness, 2)
    job = RenewJob(harness.engine, [TaskSnapshot(i, 0) for i in may + may_not], rights=True)
    report = await job.run()

    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == may
    for task_id in may_not:
        assert report.results[task_id].outcome is TaskOutcome.SKIPPED
        assert report.results[task_id].reason.startswith("Not allowed:")
        assert harness.portal.tasks[task_id].status == 5
    assert harness.portal.method_calls["tasks.task.renew"] == 2


async def test_read_access_reads_the_docs_answer_shapes(harness: Harness) -> None:
    task_id = harness.completed_ids(1)[0]
    access = await tasks_api.read_access(harness.client, [task_id], 1)
    assert access[task_id].visible
    assert access[task_id].renew
    assert not access[task_id].approve  # only a task awaiting control can be approved
