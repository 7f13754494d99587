"""UI tests: pytest-qt for widgets, and async tests on a qasync loop (stack-notes, pattern B).

The `pytest_asyncio_loop_factories` hook below only applies to tests in this directory:
every `@pytest.mark.asyncio` test here runs on a fresh `qasync.QEventLoop` over the one
QApplication. Rules that keep this stable (see shared/stack-notes.md, section 3):

* never call `qtbot.waitUntil` / `qtbot.waitSignal` inside a coroutine: use `wait_until`;
* never hand-run a loop (`loop.run_until_complete`) in a test of this process (pattern A);
* start async work from plain slots through `b24desk.ui.bridge`, not `@asyncSlot`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from b24desk.core.model import COMPLETED, TaskRecord

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    import qasync
    from PySide6.QtWidgets import QApplication

    def qasync_loop() -> asyncio.AbstractEventLoop:
        app = QApplication.instance() or QApplication([])
        # Closing a test's last window must not quit the app: that would stop the loop
        # under the test (the real app does the same, see b24desk.ui.app.run).
        app.setQuitOnLastWindowClosed(False)
        loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)
        return loop

    return {"qasync": qasync_loop}


@pytest.fixture(autouse=True)
def english_ui(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The window in English, as the app starts it on an English system (tests that want
    Russian switch and are switched back); a Russian desktop must not change the texts."""
    from PySide6.QtWidgets import QApplication

    from b24desk.ui import language

    monkeypatch.delenv("B24DESK_LANG", raising=False)
    QApplication.instance() or QApplication([])
    if language.generation() == 0 or language.current_language() != "en":
        language.apply_language("en")
    yield
    if language.current_language() != "en":
        language.apply_language("en")


async def wait_until(condition: Callable[[], bool], within: float = 3.0) -> None:
    """The coroutine-friendly `qtbot.waitUntil`: yields to the (qasync) loop while waiting."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


PEOPLE = [
    (1, "Anna Smith"),
    (2, "Иван Петров"),
    (3, "Olga Кузнецова"),
    (4, ""),  # a user whose name the portal did not send
]
GROUPS = [(0, ""), (10, "Website relaunch"), (11, "Отдел продаж")]
BASE_DAY = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def make_record(task_id: int, **changes: Any) -> TaskRecord:
    """A completed task whose fields vary predictably with its id."""
    responsible_id, responsible_name = PEOPLE[task_id % len(PEOPLE)]
    creator_id, creator_name = PEOPLE[(task_id + 1) % len(PEOPLE)]
    group_id, group_name = GROUPS[task_id % len(GROUPS)]
    fields: dict[str, Any] = {
        "id": task_id,
        "title": f"Task {task_id}: prepare report",
        "status": COMPLETED,
        "responsible_id": responsible_id,
        "responsible_name": responsible_name,
        "creator_id": creator_id,
        "creator_name": creator_name,
        "group_id": group_id,
        "group_name": group_name,
        "closed_date": BASE_DAY + timedelta(days=task_id % 30, hours=task_id % 7),
        "closed_by": creator_id,
        "closed_by_name": creator_name,
    }
    fields.update(changes)
    return TaskRecord(**fields)


@pytest.fixture
def records() -> list[TaskRecord]:
    return [make_record(task_id) for task_id in range(1, 61)]


@pytest.fixture(name="make_record")
def make_record_fixture() -> Callable[..., TaskRecord]:
    return make_record


@pytest.fixture(name="wait_until")
def wait_until_fixture() -> Callable[..., Any]:
    return wait_until
