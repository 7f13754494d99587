""" "Check first" in the window (issue 11 §3): rows say "Can reopen" or "Not allowed: …",
nothing changes; the renew confirmation counts what the user may not reopen and leaves it
out."""

from __future__ import annotations

import pytest
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.jobs import Precheck, RenewPlan
from b24desk.core.renew.records import RunKind
from b24desk.sandbox.access import caller_for, renew_allowed
from b24desk.ui.dialogs.confirm import renew_confirmation


def test_the_renew_confirmation_counts_and_leaves_out_what_may_not_be_reopened() -> None:
    may = [TaskSnapshot(i, 5) for i in range(1, 38)]
    refused = {100 + i: "Not allowed: only its creator …" for i in range(12)}
    check = Precheck(may, [], [], [], refused, rights_checked=True)
    tasks = may + [TaskSnapshot(i, 5) for i in refused]
    plan = RenewPlan(RunKind.RENEW, None, tasks, check.skip_reasons(), check)
    confirmation = renew_confirmation(plan, admin=False)
    assert confirmation.question == (
        "Reopen 37 tasks? You may not reopen 12 of these; they will be left out."
    )
    assert confirmation.accept_text == "Reopen 37 tasks"
    assert "Not allowed: tasks 100, 101" in confirmation.details
    # issue 11 §5: what Bitrix24 will do besides, in one line
    assert "Bitrix24 notifies each task's members that it was reopened" in confirmation.details
    nothing = Precheck([], [], [], [], {1: "no"}, rights_checked=True)
    none = renew_confirmation(
        RenewPlan(RunKind.RENEW, None, [TaskSnapshot(1, 5)], nothing.skip_reasons(), nothing)
    )
    assert not none.can_proceed
    assert "you may not reopen 1 of them" in none.question


@pytest.mark.asyncio
async def test_check_first_marks_rows_and_renew_leaves_them_out(tmp_path):
    portal = sandbox(admin=False)
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        caller = caller_for(portal.data, 1)
        shown = rig.visible_completed_ids()
        may = [i for i in shown if renew_allowed(caller, portal.tasks[i])][:3]
        may_not = [i for i in shown if not renew_allowed(caller, portal.tasks[i])][:2]
        assert len(may) == 3
        assert len(may_not) == 2
        await rig.select(may + may_not)
        assert rig.window.action_check.isEnabled()
        rig.window.action_check.trigger()
        await rig.idle()
        await wait_until(lambda: rig.outcome(may[0]) is TaskOutcome.CAN_RENEW)
        assert all(rig.outcome(i) is TaskOutcome.CAN_RENEW for i in may)
        for task_id in may_not:
            assert rig.outcome(task_id) is TaskOutcome.NOT_ALLOWED
            assert rig.window.task_model.outcome_of(task_id)[1].startswith("Only its creator")
        assert "you may reopen 3" in rig.status_message()
        assert "Nothing was changed" in rig.status_message()
        assert all(portal.tasks[i].status == 5 for i in may + may_not)
        assert not rig.confirm.asked

        await rig.renew(may + may_not)
        question = rig.confirm.asked[-1].question
        assert question == "Reopen 3 tasks? You may not reopen 2 of these; they will be left out."
        assert all(portal.tasks[i].status == 2 for i in may)
        assert all(portal.tasks[i].status == 5 for i in may_not)
    finally:
        await rig.close()
