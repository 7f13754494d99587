"""Tasks awaiting control in the window (issue 11 §2): off by default; Tasks > Include tasks
awaiting control reloads with them; an admin's renew returns them for rework and says so."""

from __future__ import annotations

import pytest
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.model import TaskOutcome

pytestmark = pytest.mark.asyncio


async def test_include_awaiting_control_then_return_them_for_rework(tmp_path):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        waiting = sorted(
            t.id
            for t in portal.tasks.values()
            if t.status == 4 and 1 not in (t.created_by, t.responsible_id, *t.accomplices)
        )[:2]
        assert len(waiting) == 2
        assert all(rig.window.task_model.row_of(i) is None for i in waiting)
        assert not rig.window.action_awaiting.isChecked()

        rig.window.action_awaiting.setChecked(True)
        await wait_until(lambda: rig.window.task_model.row_of(waiting[0]) is not None, 20)
        await rig.idle()
        rig.window.task_model.flush()

        await rig.renew(waiting)
        question = rig.confirm.asked[-1].question
        assert "2 are awaiting their creator's approval: they will be returned for rework" in (
            question
        )
        for task_id in waiting:
            assert rig.outcome(task_id) is TaskOutcome.RENEWED
            assert rig.window.task_model.outcome_of(task_id)[1].startswith("Returned for rework")
            assert portal.tasks[task_id].status == 2
    finally:
        await rig.close()
