"""The one place where asyncio meets Qt.

The core is asyncio code; the window is Qt. qasync runs both on the GUI thread: its
`QEventLoop` is an asyncio loop whose `run_forever` is Qt's own event loop. On top of that,
`AsyncOp` runs a coroutine for the UI the way Anki's `aqt.operations` runs collection ops:

    AsyncOp(lambda progress: engine.renew(ids, progress.report), parent=window) \\
        .on_progress(window.set_progress_update) \\
        .on_success(window.show_run_result) \\
        .on_failure(window.show_run_error) \\
        .run()

* The coroutine never touches a widget; widgets only hear back through the callbacks, which
  run on the GUI thread from the loop, never from inside the coroutine's own frames.
* A reference to every running op is kept here, so a task cannot be garbage-collected
  mid-flight just because the slot that started it returned.
* `OpHandle.cancel()` cancels the task; cancellation is reported apart from failure.
* Exceptions are never swallowed: they go to the failure callback, or, when there is none,
  to the log at ERROR level with their traceback. A callback that raises is logged the same way.
* Progress reports are coalesced: the coroutine may report 100,000 times, the UI sees at most
  one update per turn of the loop (the latest), and always before the final callback.

Start ops from a plain slot (`button.clicked.connect(self.start_renew)`), not from
qasync's `@asyncSlot`, which is broken for free functions and for slots with arguments in
qasync 0.28.0 (qasync#177).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject

if TYPE_CHECKING:
    import qasync

logger = logging.getLogger(__name__)

T = TypeVar("T")

_installed_loop: asyncio.AbstractEventLoop | None = None
_running: set[OpHandle[Any]] = set()


def install_event_loop(app: QCoreApplication) -> qasync.QEventLoop:
    """Make a qasync loop over `app` the current asyncio loop and return it.

    Call once at start-up, after the QApplication exists; then run the app with
    `with loop: loop.run_forever()` (or `loop.run_until_complete(main())`).
    """
    global _installed_loop
    # Imported here so that PySide6 is already loaded: qasync picks the first Qt binding
    # it finds in sys.modules.
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    _installed_loop = loop
    return loop


def _current_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    if _installed_loop is not None and not _installed_loop.is_closed():
        return _installed_loop
    raise RuntimeError(
        "No asyncio event loop for the UI: call b24desk.ui.bridge.install_event_loop(app) "
        "once at start-up, before starting any background operation."
    )


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """How far an op has got; `total` is None while it is unknown."""

    done: int
    total: int | None = None
    text: str = ""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, max(0.0, self.done / self.total))


class ProgressReporter:
    """Handed to the coroutine. `report()` is cheap: it stores the latest update and asks
    the loop to deliver it once, so a tight loop of reports cannot flood the UI."""

    def __init__(self, loop: asyncio.AbstractEventLoop, deliver: Callable[[ProgressUpdate], None]):
        self._loop = loop
        self._deliver = deliver
        self._latest: ProgressUpdate | None = None
        self._scheduled = False
        self._closed = False

    def report(self, done: int, total: int | None = None, text: str = "") -> None:
        if self._closed:
            return
        self._latest = ProgressUpdate(done, total, text)
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self.flush)

    def flush(self) -> None:
        """Deliver the pending update now, if any."""
        self._scheduled = False
        update, self._latest = self._latest, None
        if update is not None and not self._closed:
            self._deliver(update)

    def close(self) -> None:
        self._closed = True
        self._latest = None


class Inbox(Generic[T]):
    """Hands items made inside a coroutine to the GUI, in order, a batch per loop turn.

    The core reports through plain callbacks called from inside its coroutines (engine
    events, pages of tasks). Those callbacks `put` into an inbox; the inbox delivers
    everything that arrived so far in one call on the next turn of the loop, outside the
    coroutine's frames, so widgets are never touched from core code and 10,000 events
    cost a handful of deliveries. `flush()` delivers at once (e.g. before a final result).
    """

    def __init__(
        self,
        deliver: Callable[[list[T]], None],
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        label: str = "inbox",
    ) -> None:
        self._deliver = deliver
        self._loop = loop
        self._label = label
        self._items: list[T] = []
        self._scheduled = False
        self._closed = False

    def put(self, item: T) -> None:
        if self._closed:
            return
        self._items.append(item)
        if not self._scheduled:
            self._scheduled = True
            (self._loop or _current_loop()).call_soon(self.flush)

    def put_many(self, items: Iterable[T]) -> None:
        for item in items:
            self.put(item)

    def flush(self) -> None:
        """Deliver what is waiting now, if anything."""
        self._scheduled = False
        items, self._items = self._items, []
        if not items or self._closed:
            return
        try:
            self._deliver(items)
        except Exception:
            logger.exception("delivering %d items of %s raised", len(items), self._label)

    def close(self) -> None:
        """Drop what is waiting and ignore later items (e.g. the window is gone)."""
        self._closed = True
        self._items = []

    @property
    def pending(self) -> int:
        return len(self._items)


Work = Callable[[ProgressReporter], Coroutine[Any, Any, T]]


class AsyncOp(Generic[T]):
    """A coroutine to run for the UI, with callbacks for its outcome.

    `work` receives a `ProgressReporter` and returns a coroutine. `parent`, when given, ties
    the op to a QObject: if the parent is destroyed, the op is cancelled and no callback runs.
    """

    def __init__(self, work: Work[T], *, parent: QObject | None = None, label: str = "") -> None:
        self._work = work
        self._parent = parent
        self._label = label or getattr(work, "__qualname__", "operation")
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None
        self._on_progress: Callable[[ProgressUpdate], None] | None = None
        self._on_cancelled: Callable[[], None] | None = None
        self._on_finished: Callable[[], None] | None = None

    def on_success(self, callback: Callable[[T], None]) -> AsyncOp[T]:
        self._on_success = callback
        return self

    def on_failure(self, callback: Callable[[Exception], None]) -> AsyncOp[T]:
        self._on_failure = callback
        return self

    def on_progress(self, callback: Callable[[ProgressUpdate], None]) -> AsyncOp[T]:
        self._on_progress = callback
        return self

    def on_cancelled(self, callback: Callable[[], None]) -> AsyncOp[T]:
        self._on_cancelled = callback
        return self

    def on_finished(self, callback: Callable[[], None]) -> AsyncOp[T]:
        """Runs last, whatever the outcome (success, failure or cancellation)."""
        self._on_finished = callback
        return self

    def run(self) -> OpHandle[T]:
        """Schedule the coroutine on the UI's asyncio loop and return its handle."""
        return OpHandle(self, _current_loop())


class OpHandle(Generic[T]):
    """A running `AsyncOp`. Await it to wait until its callbacks have run."""

    def __init__(self, op: AsyncOp[T], loop: asyncio.AbstractEventLoop) -> None:
        self._op = op
        self.label = op._label
        self._parent_gone = False
        self._settled: asyncio.Future[None] = loop.create_future()
        self.progress = ProgressReporter(loop, self._deliver_progress)
        self.task: asyncio.Task[T] = loop.create_task(
            self._call_work(), name=f"b24desk-op:{self.label}"
        )
        _running.add(self)
        if op._parent is not None:
            op._parent.destroyed.connect(self._on_parent_destroyed)
        self.task.add_done_callback(self._task_done)

    async def _call_work(self) -> T:
        return await self._op._work(self.progress)

    def cancel(self) -> bool:
        """Ask the coroutine to stop; returns False if it had already finished."""
        return self.task.cancel()

    def done(self) -> bool:
        return self._settled.done()

    def __await__(self) -> Any:
        return asyncio.shield(self._settled).__await__()

    def _on_parent_destroyed(self, *_: object) -> None:
        self._parent_gone = True
        self.cancel()

    def _parent_alive(self) -> bool:
        parent = self._op._parent
        return not self._parent_gone and (parent is None or shiboken6.isValid(parent))

    def _deliver_progress(self, update: ProgressUpdate) -> None:
        if self._op._on_progress is not None and self._parent_alive():
            self._guarded("progress", self._op._on_progress, update)

    def _task_done(self, task: asyncio.Task[T]) -> None:
        try:
            self._dispatch(task)
        finally:
            _running.discard(self)
            self._disconnect_parent()
            if not self._settled.done():
                self._settled.set_result(None)

    def _dispatch(self, task: asyncio.Task[T]) -> None:
        op = self._op
        if task.cancelled():
            self.progress.close()
            if self._parent_alive() and op._on_cancelled is not None:
                self._guarded("cancelled", op._on_cancelled)
        else:
            error = task.exception()
            # Progress reported just before the end belongs before the outcome.
            self.progress.flush()
            self.progress.close()
            if error is None:
                self._settle_success(task.result())
            elif isinstance(error, Exception):
                self._settle_failure(error)
            else:  # KeyboardInterrupt, SystemExit: not ours to handle.
                raise error
        if self._parent_alive() and op._on_finished is not None:
            self._guarded("finished", op._on_finished)

    def _settle_success(self, result: T) -> None:
        if self._parent_alive() and self._op._on_success is not None:
            self._guarded("success", self._op._on_success, result)

    def _settle_failure(self, error: Exception) -> None:
        if not self._parent_alive():
            logger.warning(
                "%s failed after its window closed: %s", self.label, error, exc_info=error
            )
        elif self._op._on_failure is not None:
            self._guarded("failure", self._op._on_failure, error)
        else:
            logger.error("%s failed: %s", self.label, error, exc_info=error)

    def _guarded(self, name: str, callback: Callable[..., None], *args: Any) -> None:
        try:
            callback(*args)
        except Exception:
            logger.exception("The %s callback of %s raised", name, self.label)

    def _disconnect_parent(self) -> None:
        parent = self._op._parent
        if parent is not None and not self._parent_gone and shiboken6.isValid(parent):
            parent.destroyed.disconnect(self._on_parent_destroyed)


def running_ops() -> list[OpHandle[Any]]:
    """Ops started through the bridge that have not settled yet."""
    return list(_running)


def cancel_all() -> list[OpHandle[Any]]:
    """Cancel every running op (e.g. when the window closes); returns them for awaiting."""
    handles = running_ops()
    for handle in handles:
        handle.cancel()
    return handles


def run_async(
    coroutine_factory: Callable[[], Awaitable[T]],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[Exception], None] | None = None,
    parent: QObject | None = None,
    label: str = "",
) -> OpHandle[T]:
    """Shorthand for an op that reports no progress."""

    async def work(_: ProgressReporter) -> T:
        return await coroutine_factory()

    op: AsyncOp[T] = AsyncOp(work, parent=parent, label=label or _name_of(coroutine_factory))
    if on_success is not None:
        op.on_success(on_success)
    if on_failure is not None:
        op.on_failure(on_failure)
    return op.run()


def _name_of(factory: object) -> str:
    return str(getattr(factory, "__qualname__", "operation"))
