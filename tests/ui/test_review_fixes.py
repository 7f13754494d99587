"""Review findings on the controller: the window never stays busy, connection changes
forget the old portal's state, failed runs settle their rows, plain journal messages."""

from __future__ import annotations

import pytest
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.renew.engine import Precheck
from b24desk.ui.controller import Phase
from b24desk.ui.demo import DemoPortal, demo_config
from b24desk.ui.services import Services

pytestmark = pytest.mark.asyncio


@pytest.mark.allow_error_logs  # an OSError is logged with its traceback
async def test_a_failed_demo_start_leaves_the_window_idle(tmp_path, monkeypatch):
    demo = DemoPortal(demo_config(task_count=50, latency_ms=0, faults=""))

    async def broken_start() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(demo, "start", broken_start)
    rig = Rig(tmp_path, None, services=Services.for_demo(demo))
    try:
        rig.window.show()
        rig.controller.start()
        await wait_until(lambda: rig.window.error_model.rowCount() > 0)
        await rig.idle(3)
        assert rig.window.action_load.isEnabled()
        assert "No space left on device" in rig.status_message()
    finally:
        await rig.close()


@pytest.mark.allow_error_logs
async def test_a_raising_completion_callback_does_not_leave_the_window_checking(
    tmp_path, monkeypatch
):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile()
    try:
        await rig.start()
        await rig.load()

        def broken_ask(records: object, precheck: Precheck) -> None:
            raise RuntimeError("a bug in a callback")

        monkeypatch.setattr(rig.controller, "_ask_renew", broken_ask)
        ids = rig.visible_completed_ids()[:3]
        await rig.renew(ids, wait=False)
        await rig.idle(5)
        assert rig.controller.phase is Phase.IDLE
        await rig.select(ids)
        assert rig.window.action_renew.isEnabled()
        assert rig.window.action_load.isEnabled()
    finally:
        await rig.close()
