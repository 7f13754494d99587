"""Loading the completed tasks (and, on request, those awaiting control) into the table.

The portal's pages go to the table as they arrive, through an `Inbox`, and the table parses
them between paints; the bar shows how many of how many. Stop keeps what came so far.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.model import TaskFilter
from b24desk.ui.bridge import AsyncOp, Inbox, OpHandle, ProgressReporter
from b24desk.ui.features.state import DeskState, Phase
from b24desk.ui.language import count_text
from b24desk.ui.widgets.main_window import Activity

FULL_GC_EVERY_WHILE_LOADING = 1_000
"""Middle-generation collections between two full ones while loading (Python's default: 10)."""
YIELD_EVERY_TASKS = 500
"""While loading, give the event loop a turn after about this many tasks."""
LOADING_STEPS = 8
"""A small portal's tasks come in about this many requests, so the bar moves as rows arrive."""
BACKLOG_TASKS = 3_000
"""Tasks given to the table but not rows yet beyond which the listing waits for it: pages
read far ahead of the table would only wait in memory (a portal that answers at once sends
tens of thousands of tasks in its first burst), and memory a load's answers took at their
peak is not all given back."""
BACKLOG_POLL_S = 0.02
WINDOW_PAGES_PER_REQUEST = 20
"""At most this many pages (1,000 tasks, ~0.4 MB) a request while the window loads: one
answer is decoded in one turn of the event loop, and 50 pages (~1 MB) take 10-45 ms."""


class Loading(QObject):
    loading_finished = Signal(int)
    """How many tasks the load delivered (also when stopped or failed part-way)."""
    setup_wanted = Signal()
    """Load was asked for with no connection: the setup dialog should open."""

    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state
        self.window = state.window
        self.awaiting_control = False
        """Load tasks awaiting control (status 4) too (Tasks menu, off by default)."""

    def include_awaiting_control(self, include: bool) -> OpHandle[Any] | None:
        """Also list tasks awaiting control (status 4); reloads when connected and idle."""
        if include == self.awaiting_control:
            return None
        self.awaiting_control = include
        return self.load() if self.state.session is not None and not self.state.busy else None

    def load(self) -> OpHandle[Any] | None:
        if self.state.busy:
            return None
        session = self.state.session
        if session is None:
            self.setup_wanted.emit()
            return None
        window = self.window
        window.clear_tasks()
        window.task_model.set_streaming(True)
        resume_gc = pause_gc()
        window.set_busy(Activity.LOADING)
        window.set_progress(0, None, self.tr("Loading completed tasks…"))
        loading_of = self.tr("Loading tasks… {done} of {total}")
        loading = self.tr("Loading tasks… {done}")
        # Pages as the portal sent them: the table parses them between paints.
        pages: Inbox[list[tasks_api.RawTask]] = Inbox(
            lambda batch: window.append_tasks(r for page in batch for r in page),
            label="task pages",
        )
        loaded = [0]
        model = window.task_model

        def backlog() -> int:
            return model.pending_count + tasks_api.PAGE_SIZE * pages.pending

        async def work(progress: ProgressReporter) -> int:
            listed = TaskFilter(awaiting_control=self.awaiting_control)
            total: int | None = None

            def counted(count: int | None) -> None:
                # Heard from the listing itself, after its first page: no count first.
                nonlocal total
                total = count

            async for page in tasks_api.iter_completed_pages(
                # The table sorts on its own: pages as they come, none held for id order.
                session.client,
                listed,
                pages_per_request=pages_per_request,
                in_id_order=False,
                on_count=counted,
            ):
                pages.put(page)
                loaded[0] += len(page)
                done = count_text(loaded[0])
                text = (
                    loading_of.format(done=done, total=count_text(total))
                    if total
                    else loading.format(done=done)
                )
                progress.report(loaded[0], total, text)
                if loaded[0] % YIELD_EVERY_TASKS < len(page):
                    # One answer holds up to 50 pages already read: let the window
                    # breathe between them, not only after all of them.
                    await asyncio.sleep(0)
                # The table takes rows in on Qt timers, a slice at a time: looking at its
                # count every 20 ms is simpler than a signal after every slice.
                while backlog() > BACKLOG_TASKS:  # noqa: ASYNC110
                    await asyncio.sleep(BACKLOG_POLL_S)
            return loaded[0]

        def done(count: int) -> None:
            pages.flush()
            window.set_loaded()
            text = self.tr("Loaded %Ln completed task(s).", "", count)
            if count:
                hint = self.tr(
                    "Select the ones to reopen (Ctrl+A selects all shown), then click "
                    "“Renew selected”."
                )
                text = f"{text} {hint}"
            window.show_message(text, 20000)

        def stopped() -> None:
            pages.flush()
            window.show_message(
                self.tr(
                    "Stopped loading: %Ln task(s) loaded; they stay in the table.", "", loaded[0]
                )
            )

        def failed(error: Exception) -> None:
            pages.flush()
            self.state.report_problem(error, what="loading")

        def finished() -> None:
            resume_gc()
            window.task_model.set_streaming(False)
            self.state.set_idle()
            self.loading_finished.emit(loaded[0])

        return self.state.start(
            Phase.LOADING,
            AsyncOp(work, parent=self, label="load tasks")
            .on_progress(self.state.show_progress)
            .on_success(done)
            .on_cancelled(stopped)
            .on_failure(failed)
            .on_finished(finished),
        )

    def stop(self) -> None:
        if self.state.phase is Phase.LOADING and self.state.op is not None:
            self.state.op.cancel()


def pages_per_request(total: int | None) -> int:
    """How many list pages to chain into one request while loading `total` tasks.

    One request can bring 50 pages (2,500 tasks), and its rows arrive together: a portal of
    2,000 tasks would sit at 0 % and then be done. Small portals are asked in about
    LOADING_STEPS requests instead (well within the portal's burst allowance, so no slower);
    large ones get WINDOW_PAGES_PER_REQUEST (not 50: see there), as does an unknown total.
    """
    if not total:
        return WINDOW_PAGES_PER_REQUEST
    pages = -(-total // tasks_api.PAGE_SIZE)
    return max(1, min(WINDOW_PAGES_PER_REQUEST, -(-pages // LOADING_STEPS)))


def pause_gc() -> Callable[[], None]:
    """Keep Python's full garbage collections away while rows pour in; returns how to resume.

    A full collection walks every live object, and a heap growing by 100,000 rows sets off
    several during one load, each a pause of 100-250 ms on the GUI thread. Young
    collections go on as usual; only the old generation waits. At the end everything
    alive is moved out of the collector's way (`gc.freeze`), so later full collections
    (while renewing, say) do not walk the rows either.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, max(old, FULL_GC_EVERY_WHILE_LOADING))

    def resume() -> None:
        gc.set_threshold(young, middle, old)
        # No full collection first: it would walk every row (50-100 ms on the GUI thread)
        # to free nothing, since the client unties httpx's response cycles as it reads
        # each answer. What is alive, the rows above all, is moved out of later
        # collections' way.
        gc.freeze()

    return resume
