"""The asyncio/Qt bridge, on a real qasync loop (pattern B, see conftest.py)."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest
import qasync
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from b24desk.ui import bridge
from b24desk.ui.bridge import AsyncOp, ProgressReporter, ProgressUpdate, run_async


class Recorder:
    """Collects callback calls in order, as ("kind", payload)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def attach(self, op: AsyncOp) -> AsyncOp:
        return (
            op.on_success(lambda result: self.calls.append(("success", result)))
            .on_failure(lambda error: self.calls.append(("failure", error)))
            .on_progress(lambda update: self.calls.append(("progress", update)))
            .on_cancelled(lambda: self.calls.append(("cancelled", None)))
            .on_finished(lambda: self.calls.append(("finished", None)))
        )

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]


@pytest.mark.asyncio
async def test_tests_here_run_on_a_qasync_loop():
    assert isinstance(asyncio.get_running_loop(), qasync.QEventLoop)


@pytest.mark.asyncio
async def test_success_delivers_the_result_after_the_last_progress():
    recorder = Recorder()

    async def work(progress: ProgressReporter) -> str:
        for done in range(1, 101):
            progress.report(done, 100, "renewing")
            if done % 25 == 0:
                await asyncio.sleep(0)
        return "all done"

    handle = recorder.attach(AsyncOp(work, label="renew")).run()
    await handle
    assert handle.done()
    assert recorder.kinds()[-2:] == ["success", "finished"]
    assert recorder.calls[-2] == ("success", "all done")
    progress = [payload for kind, payload in recorder.calls if kind == "progress"]
    assert progress[-1] == ProgressUpdate(100, 100, "renewing")
    # 100 reports, but only one delivery per turn of the loop.
    assert 1 <= len(progress) <= 5
    assert [p.done for p in progress] == sorted(p.done for p in progress)


@pytest.mark.asyncio
async def test_failure_reaches_the_failure_callback_only():
    recorder = Recorder()

    async def work(_: ProgressReporter) -> None:
        await asyncio.sleep(0)
        raise ValueError("portal said no")

    await recorder.attach(AsyncOp(work)).run()
    assert recorder.kinds() == ["failure", "finished"]
    error = recorder.calls[0][1]
    assert isinstance(error, ValueError)
    assert str(error) == "portal said no"


@pytest.mark.asyncio
@pytest.mark.allow_error_logs
async def test_a_failure_nobody_handles_is_logged_not_swallowed(caplog):
    async def work(_: ProgressReporter) -> None:
        raise RuntimeError("nobody listens")

    await AsyncOp(work, label="orphan op").run()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["orphan op failed: nobody listens"]
    assert errors[0].exc_info is not None


@pytest.mark.asyncio
@pytest.mark.allow_error_logs
async def test_a_callback_that_raises_is_logged(caplog):
    async def work(_: ProgressReporter) -> int:
        return 1

    def broken(_: int) -> None:
        raise KeyError("widget gone")

    await AsyncOp(work, label="op").on_success(broken).run()
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert messages == ["The success callback of op raised"]


@pytest.mark.asyncio
async def test_cancel_reports_cancellation_not_failure():
    recorder = Recorder()
    started = asyncio.Event()

    async def work(_: ProgressReporter) -> None:
        started.set()
        await asyncio.sleep(30)

    handle = recorder.attach(AsyncOp(work)).run()
    await started.wait()
    assert handle.cancel()
    await handle
    assert recorder.kinds() == ["cancelled", "finished"]
    assert not handle.cancel(), "a finished op cannot be cancelled again"


@pytest.mark.asyncio
async def test_the_bridge_keeps_running_ops_alive():
    results: list[int] = []
    gate = asyncio.Event()

    async def work(_: ProgressReporter) -> int:
        await gate.wait()
        return 42

    AsyncOp(work).on_success(results.append).run()  # the handle is dropped at once
    gc.collect()
    assert len(bridge.running_ops()) == 1
    gate.set()
    ops = bridge.running_ops()
    await ops[0]
    assert results == [42]
    assert bridge.running_ops() == []


@pytest.mark.asyncio
async def test_destroying_the_parent_cancels_and_silences_the_op():
    parent = QObject()
    calls: list[str] = []
    started = asyncio.Event()

    async def work(_: ProgressReporter) -> None:
        started.set()
        await asyncio.sleep(30)

    handle = (
        AsyncOp(work, parent=parent)
        .on_cancelled(lambda: calls.append("cancelled"))
        .on_finished(lambda: calls.append("finished"))
        .run()
    )
    await started.wait()
    parent.deleteLater()
    del parent
    await handle
    assert handle.task.cancelled()
    assert calls == []


@pytest.mark.asyncio
async def test_cancel_all_stops_every_op():
    async def work(_: ProgressReporter) -> None:
        await asyncio.sleep(30)

    handles = [AsyncOp(work).run() for _ in range(3)]
    await asyncio.sleep(0)
    assert set(bridge.cancel_all()) == set(handles)
    for handle in handles:
        await handle
        assert handle.task.cancelled()


@pytest.mark.asyncio
async def test_run_async_shorthand():
    results: list[str] = []

    async def fetch() -> str:
        return "pong"

    await run_async(fetch, on_success=results.append)
    assert results == ["pong"]


class Fetcher(QWidget):
    """A widget that starts async work from a plain slot and only hears back via callbacks."""

    def __init__(self) -> None:
        super().__init__()
        self.button = QPushButton("Fetch")
        self.label = QLabel("idle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.button)
        layout.addWidget(self.label)
        self.button.clicked.connect(self.start_fetch)

    def start_fetch(self) -> None:
        async def work(progress: ProgressReporter) -> str:
            progress.report(0, 1, "fetching")
            await asyncio.sleep(0.01)
            return "fetched"

        AsyncOp(work, parent=self).on_progress(
            lambda update: self.label.setText(update.text)
        ).on_success(self.label.setText).run()


@pytest.mark.asyncio
async def test_a_plain_slot_starts_an_op_that_updates_the_widget(qtbot, wait_until):
    widget = Fetcher()
    qtbot.addWidget(widget)
    qtbot.mouseClick(widget.button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: widget.label.text() == "fetched")


def test_running_without_a_loop_says_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(bridge, "_installed_loop", None)

    async def work(_: ProgressReporter) -> None:
        return None

    with pytest.raises(RuntimeError, match="install_event_loop"):
        AsyncOp(work).run()


def test_install_event_loop_makes_a_current_qasync_loop(qapp: QApplication, monkeypatch):
    monkeypatch.setattr(bridge, "_installed_loop", None)
    loop = bridge.install_event_loop(qapp)
    try:
        assert isinstance(loop, qasync.QEventLoop)
        assert bridge._current_loop() is loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_progress_fraction():
    assert ProgressUpdate(5, 20).fraction == 0.25
    assert ProgressUpdate(5, None).fraction is None
    assert ProgressUpdate(30, 20).fraction == 1.0
