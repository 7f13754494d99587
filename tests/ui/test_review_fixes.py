"""Review findings on the controller: the window never stays busy, connection changes
forget the old portal's state, failed runs settle their rows, plain journal messages."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.model import TaskOutcome
from b24desk.core.renew.journal import JournalError
from b24desk.core.renew.records import RunNotFound, TaskEvent
from b24desk.demo import DemoPortal, demo_config
from b24desk.ui.controller import Phase, error_text
from b24desk.ui.services import Services


@pytest.mark.allow_error_logs  # an OSError is logged with its traceback
@pytest.mark.asyncio
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
@pytest.mark.asyncio
async def test_a_raising_completion_callback_does_not_leave_the_window_checking(
    tmp_path, monkeypatch
):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile()
    try:
        await rig.start()
        await rig.load()

        def broken_ask(job: object, plan: object) -> None:
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


class Gate:
    """Holds the engine's next renew until `open()`: the window stays busy meanwhile."""

    def __init__(self, rig: Rig) -> None:
        session = rig.controller.session
        assert session is not None
        self.event = asyncio.Event()
        engine = session.engine
        original = engine.renew

        async def held(*args: Any, **kwargs: Any) -> Any:
            await self.event.wait()
            return await original(*args, **kwargs)

        engine.renew = held  # type: ignore[method-assign]

    def open(self) -> None:
        self.event.set()


async def renewed_once(rig: Rig) -> list[int]:
    """Connect, load and reopen three tasks; returns the rows' ids."""
    await rig.start()
    await rig.load()
    await rig.renew(rig.visible_completed_ids()[:3])
    assert rig.controller.undoable_runs
    return [r.id for r in rig.window.task_model.records()]


@pytest.mark.asyncio
async def test_setup_and_switching_are_disabled_while_busy_and_a_save_then_waits(tmp_path):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile("Main")
    rig.services.connections.add_webhook("Branch", rig.webhook_url)
    rig.services.settings.setValue("connection/last_profile", "Main")
    try:
        rows = await renewed_once(rig)
        dialog = rig.controller.open_setup()
        gate = Gate(rig)
        await rig.renew(rig.visible_completed_ids()[3:5], wait=False)
        await wait_until(lambda: rig.controller.phase is Phase.RENEWING)
        assert not rig.window.action_setup.isEnabled()
        assert not rig.window.profiles_menu.isEnabled()

        rig.controller.save_webhook("Third", rig.webhook_url)  # the dialog was open before
        await wait_until(lambda: "Saved the connection “Third”" in rig.status_message())
        assert rig.controller.setup_dialog is None or not dialog.isVisible()
        assert rig.controller.profile_name == "Main"
        rig.controller.switch_profile("Branch")
        assert rig.controller.profile_name == "Main"

        gate.open()
        await rig.idle()
        assert [r.id for r in rig.window.task_model.records()] == rows
        assert rig.window.action_undo.isEnabled()
        assert rig.controller.profile_name == "Main"
        assert rig.controller.session is not None
        assert rig.window.action_setup.isEnabled()
        assert rig.window.profiles_menu.isEnabled()
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_switching_forgets_the_old_portals_rows_problems_and_runs(tmp_path):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile("Main")
    rig.services.connections.add_webhook("Branch", rig.webhook_url)
    rig.services.settings.setValue("connection/last_profile", "Main")
    try:
        await renewed_once(rig)
        rig.window.add_error("Task 5 failed", code="X", task_id=5)
        assert rig.controller.last_run_id is not None
        await wait_until(lambda: rig.window.profile_names() == ["Main", "Branch"])
        rig.controller.switch_profile("Branch")
        await wait_until(lambda: rig.controller.profile_name == "Branch")
        await wait_until(lambda: rig.window.is_connected)
        await rig.idle()
        assert rig.window.task_model.rowCount() == 0
        assert rig.window.error_model.rowCount() == 0
        assert rig.controller.last_run_id is None
        assert rig.controller.undoable_runs == []
        assert not rig.window.action_undo.isEnabled()
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_undo_from_history_while_busy_explains_and_keeps_the_dialog_open(tmp_path):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile()
    try:
        first = rig.visible_completed_ids()[:3]
        await renewed_once(rig)
        run_id = rig.controller.undoable_runs[0]
        dialog = rig.controller.open_history()
        await wait_until(lambda: dialog.model.rowCount() == 1)
        gate = Gate(rig)
        await rig.renew(rig.visible_completed_ids()[3:5], wait=False)
        await wait_until(lambda: rig.controller.phase is Phase.RENEWING)
        dialog.undo_requested.emit(run_id)
        assert rig.controller.history_dialog is dialog
        assert dialog.isVisible()
        assert "Wait until the current operation has finished" in dialog.note.text()
        gate.open()
        await rig.idle()
        assert {rig.outcome(i) for i in first} == {TaskOutcome.RENEWED}  # not undone

        rig.controller._close_session()  # the connection is gone
        dialog.undo_requested.emit(run_id)
        assert dialog.isVisible()
        assert "Connect to the portal" in dialog.note.text()
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_cancelling_the_journal_read_of_an_undo_returns_to_idle(tmp_path):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile()
    try:
        await renewed_once(rig)
        handle = rig.controller.undo_last()
        assert handle is not None
        assert not rig.window.action_load.isEnabled()  # busy while reading
        handle.cancel()
        await rig.idle(3)
        assert rig.window.action_load.isEnabled()
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_a_run_that_fails_mid_way_settles_its_rows_and_says_why_plainly(tmp_path, caplog):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile()
    try:
        await rig.start()
        await rig.load()
        ids = rig.visible_completed_ids()[:4]
        session = rig.controller.session
        assert session is not None
        problem = (
            "The journal could not be written (No space left on device): nothing more is sent."
        )

        async def failing_renew(tasks: Any, *, listener: Any, **_: Any) -> Any:
            for task in tasks:
                listener.on_event(TaskEvent(task.id, TaskOutcome.QUEUED))
            listener.on_event(TaskEvent(ids[0], TaskOutcome.RENEWED))
            listener.on_event(TaskEvent(ids[1], TaskOutcome.RENEWING))
            raise JournalError(problem)

        session.engine.renew = failing_renew  # type: ignore[method-assign]
        caplog.set_level(logging.WARNING, logger="b24desk.ui.controller")
        await rig.renew(ids)

        assert rig.outcome(ids[0]) is TaskOutcome.RENEWED
        assert rig.outcome(ids[1]) is TaskOutcome.FAILED
        assert "reload to see its state" in rig.window.task_model.outcome_of(ids[1])[1]
        assert {rig.outcome(i) for i in ids[2:]} == {TaskOutcome.NOT_ATTEMPTED}
        entries = [
            rig.window.error_model.entry_at(r) for r in range(rig.window.error_model.rowCount())
        ]
        assert any(e.code == "JOURNAL" and e.reason == problem for e in entries)
        assert any(e.task_id == ids[1] for e in entries)
        assert rig.status_message() == problem
        journal_logs = [r for r in caplog.records if problem in r.getMessage()]
        assert journal_logs
        assert all(r.levelno == logging.WARNING for r in journal_logs)
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_a_cancelled_run_leaves_no_row_queued_or_renewing(tmp_path):
    rig = Rig(tmp_path, sandbox())
    rig.add_profile()
    try:
        await rig.start()
        await rig.load()
        ids = rig.visible_completed_ids()[:3]
        session = rig.controller.session
        assert session is not None
        started = asyncio.Event()

        async def stuck_renew(tasks: Any, *, listener: Any, **_: Any) -> Any:
            for task in tasks:
                listener.on_event(TaskEvent(task.id, TaskOutcome.QUEUED))
            listener.on_event(TaskEvent(ids[0], TaskOutcome.RENEWING))
            started.set()
            await asyncio.Event().wait()

        session.engine.renew = stuck_renew  # type: ignore[method-assign]
        await rig.renew(ids, wait=False)
        await wait_until(started.is_set)
        assert rig.controller.op is not None
        rig.controller.op.cancel()
        await rig.idle()
        assert rig.outcome(ids[0]) is TaskOutcome.FAILED
        assert {rig.outcome(i) for i in ids[1:]} == {TaskOutcome.NOT_ATTEMPTED}
    finally:
        await rig.close()


def test_the_engines_missing_run_is_said_plainly():
    message, code = error_text(RunNotFound("20240101-000000-abcdef"))
    assert (message, code) == ("That run is no longer in the journal.", "JOURNAL")
    message, code = error_text(KeyError("No run 'x' in the journal."))  # never matched on text
    assert "Something unexpected went wrong" in message
