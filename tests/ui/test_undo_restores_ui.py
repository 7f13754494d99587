"""Issue 11 §4 in the window: the undo confirmation says beforehand how many tasks will wait
for their creator's approval; rows say what undo achieved; History marks the run undone and
offers no second undo."""

from __future__ import annotations

import pytest
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.jobs import UndoPlan, _UndoStep
from b24desk.core.renew.records import RunKind, RunRecord
from b24desk.ui.dialogs.confirm import undo_confirmation
from b24desk.ui.models.runs import RunColumn


def _plan(count: int, controlled: int, *, approver: bool) -> UndoPlan:
    run = RunRecord("r1", RunKind.RENEW, "p", "2026-12-01T00:00:00+00:00", None, {})
    step = _UndoStep(run, [TaskSnapshot(id=i, status=2) for i in range(1, count + 1)], [])
    return UndoPlan([step], controlled, approver)


def test_the_undo_confirmation_counts_tasks_that_will_wait_for_their_creator() -> None:
    question = undo_confirmation(_plan(5, 3, approver=False)).question
    assert question == (
        "Complete again the 5 tasks this run reopened? 3 have task control and you are not "
        "their creator: they will wait for their creator's approval, unless your user may "
        "accept them for the creator."
    )
    admin = undo_confirmation(_plan(5, 1, approver=True)).question
    assert admin.endswith(
        "1 has task control: b24desk accepts it for its creator, so it ends completed as it was."
    )
    assert "task control" not in undo_confirmation(_plan(5, 0, approver=False)).question


@pytest.mark.asyncio
async def test_undo_from_the_window_reports_approval_and_history_marks_the_run(tmp_path):
    portal = sandbox(admin=False)
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        visible = rig.visible_completed_ids()
        controlled = [
            i
            for i in visible
            if portal.tasks[i].task_control
            and portal.tasks[i].responsible_id == 1
            and portal.tasks[i].created_by != 1
        ][:2]
        plain = [
            i
            for i in visible
            if not portal.tasks[i].task_control and portal.tasks[i].responsible_id == 1
        ][:2]
        assert len(controlled) == 2
        assert len(plain) == 2
        await rig.renew(controlled + plain)
        assert all(rig.outcome(i) is TaskOutcome.RENEWED for i in controlled + plain)

        await wait_until(lambda: rig.window.action_undo.isEnabled())
        rig.window.action_undo.trigger()
        await rig.idle()
        question = rig.confirm.asked[-1].question
        assert "2 have task control and you are not their creator" in question
        for task_id in controlled:
            assert portal.tasks[task_id].status == 4
            assert rig.outcome(task_id) is TaskOutcome.RECOMPLETED
            reason = rig.window.task_model.outcome_of(task_id)[1]
            assert reason.startswith("Completed, awaiting the creator's approval")
        for task_id in plain:
            assert portal.tasks[task_id].status == 5
            assert rig.outcome(task_id) is TaskOutcome.RECOMPLETED

        dialog = rig.controller.open_history()
        await wait_until(lambda: dialog.model.rowCount() == 2)
        assert dialog.select_run(rig.controller.last_run_id)
        row = next(
            r
            for r in range(dialog.model.rowCount())
            if dialog.model.run_at(r).run_id == rig.controller.last_run_id
        )
        state = dialog.model.index(row, RunColumn.STATE).data()
        assert state.startswith("Undone: 4 completed again, 2 awaiting approval (")
        assert state.endswith(")")
        assert not dialog.undo_button.isEnabled()
    finally:
        await rig.close()
