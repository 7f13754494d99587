"""Where the window's requests meet the core: the wiring of the window's features.

The features (`b24desk.ui.features`) each answer some of the window's `*_requested`
signals, over one shared `DeskState` (services, session, the one operation running now):

    connecting  start-up, connect, switch and remove profiles, try the demo
    loading     list the completed tasks into the table; stop
    runs        renew, retry failed, check first, undo, cancel
    history     the history dialog, CSV export, undo a run from there
    setup       the setup dialog: test and save a webhook, OAuth sign-in
    report      the diagnostic report
    task_link   open a task in the browser

They never call each other: a feature that needs another says so with a signal, and this
module connects it (a saved profile is used by `connecting`, an undo asked for in History is
run by `runs`, ...). Only the language menu and the close guard live here. The controller
keeps a thin public face (`start`, `load`, `renew`, `session`, `phase`, ...) for `app.py`,
the tests, the benchmarks and the screenshot script.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.connection import ConnectionVerdict
from b24desk.core.session import ConnectionTarget, PortalSession
from b24desk.ui.bridge import OpHandle
from b24desk.ui.dialogs.history import HistoryDialog
from b24desk.ui.dialogs.setup import SetupDialog
from b24desk.ui.features.connecting import Connecting
from b24desk.ui.features.history import RunHistory
from b24desk.ui.features.loading import Loading
from b24desk.ui.features.people import People
from b24desk.ui.features.report import DiagnosticReport
from b24desk.ui.features.runs import Runs
from b24desk.ui.features.setup import Setup
from b24desk.ui.features.state import DeskState, Phase
from b24desk.ui.features.task_link import TaskLinks
from b24desk.ui.language import apply_language, language_from_choice, save_choice, saved_choice
from b24desk.ui.services import Services
from b24desk.ui.settings import WindowSettings
from b24desk.ui.widgets.main_window import MainWindow


class Controller(QObject):
    """Connects one `MainWindow` to the core through `Services`."""

    connected = Signal(object)
    """The `ConnectionVerdict` of a connection that is now in use."""
    loading_finished = Signal(int)
    """How many tasks the load delivered (also when stopped or failed part-way)."""
    run_finished = Signal(object)
    """The `RunReport` of a renew, retry (or a list of them for undo)."""
    idle = Signal()
    """No operation is running any more."""

    def __init__(self, window: MainWindow, services: Services) -> None:
        super().__init__(window)
        self.window = window
        self.state = DeskState(window, services)
        self.connecting = Connecting(self.state)
        self.connecting.connected.connect(self.connected)
        self.report = DiagnosticReport(self.state)
        self.task_links = TaskLinks(self.state)
        self.people = People(self.state)
        self.loading = Loading(self.state)
        self.loading.loading_finished.connect(self.loading_finished)
        self.runs = Runs(self.state)
        self.runs.run_finished.connect(self.run_finished)
        self.connecting.portal_changed.connect(self.runs.forget_portal)
        self.connecting.load_wanted.connect(self.loading.load)
        self.setup = Setup(self.state)
        self.loading.setup_wanted.connect(self.setup.open)
        self.connecting.setup_wanted.connect(self.setup.open)
        self.connecting.leaving_for_demo.connect(self.setup.close)
        self.setup.profile_saved.connect(self.connecting.use_saved_profile)
        self.setup.demo_wanted.connect(self.connecting.try_demo)
        self.history = RunHistory(self.state)
        self.history.undo_wanted.connect(self.runs.undo)
        self.state.idle.connect(self.idle)
        self._connect_window()

    # -- wiring ---------------------------------------------------------------------------

    def _connect_window(self) -> None:
        w = self.window
        w.load_requested.connect(self.loading.load)
        w.awaiting_control_toggled.connect(self.loading.include_awaiting_control)
        w.stop_requested.connect(self.loading.stop)
        w.renew_requested.connect(self.runs.renew)
        w.check_requested.connect(self.runs.check_rights)
        w.cancel_requested.connect(self.runs.cancel)
        w.retry_failed_requested.connect(self.runs.retry_failed)
        w.undo_requested.connect(self.runs.undo_last)
        w.open_task_requested.connect(self.task_links.open_task)
        w.setup_requested.connect(self.setup.open)
        w.history_requested.connect(self.history.open)
        w.profile_requested.connect(self.connecting.switch_profile)
        w.remove_profile_requested.connect(self.connecting.remove_profile)
        w.language_requested.connect(self.set_language)
        w.diagnose_requested.connect(self.report.save)
        w.user_details_wanted.connect(self.people.tell_namesakes_apart)
        w.close_guard = self._may_close

    # -- the shared state, as the tests, app.py and the benchmarks know it -------------------

    @property
    def services(self) -> Services:
        return self.state.services

    @property
    def settings(self) -> WindowSettings:
        return self.state.settings

    @property
    def session(self) -> PortalSession | None:
        return self.state.session

    @session.setter
    def session(self, session: PortalSession | None) -> None:
        self.state.session = session

    @property
    def verdict(self) -> ConnectionVerdict | None:
        return self.state.verdict

    @verdict.setter
    def verdict(self, verdict: ConnectionVerdict | None) -> None:
        self.state.verdict = verdict

    @property
    def profile_name(self) -> str | None:
        return self.state.profile_name

    @profile_name.setter
    def profile_name(self, name: str | None) -> None:
        self.state.profile_name = name

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def op(self) -> OpHandle[Any] | None:
        return self.state.op

    # -- starting up and connecting ---------------------------------------------------------

    def start(self) -> OpHandle[Any]:
        """Restore the window's settings and connect: demo, last profile, or first-run setup."""
        self.settings.restore(self.window)
        self.window.set_language_choice(saved_choice(self.services.settings))
        return self.connecting.start()

    @property
    def demo_services(self) -> Callable[[], Services]:
        return self.connecting.demo_services

    @demo_services.setter
    def demo_services(self, make: Callable[[], Services]) -> None:
        self.connecting.demo_services = make

    def connect_to(self, target: ConnectionTarget) -> OpHandle[Any] | None:
        return self.connecting.connect_to(target)

    def switch_profile(self, name: str) -> None:
        self.connecting.switch_profile(name)

    async def aclose(self) -> None:
        """Close the session (at shutdown), and the demo's services if it was tried."""
        await self.connecting.aclose()

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> OpHandle[Any] | None:
        return self.loading.load()

    # -- runs -----------------------------------------------------------------------------

    @property
    def last_run_id(self) -> str | None:
        return self.runs.last_run_id

    @property
    def undoable_runs(self) -> list[str]:
        return self.runs.undoable_runs

    def renew(self, task_ids: list[int]) -> OpHandle[Any] | None:
        return self.runs.renew(task_ids)

    def undo_last(self) -> OpHandle[Any] | None:
        return self.runs.undo_last()

    def cancel(self) -> None:
        self.runs.cancel()

    # -- opening a task -------------------------------------------------------------------

    def open_task(self, task_id: int) -> None:
        self.task_links.open_task(task_id)

    # -- setup dialog ---------------------------------------------------------------------

    @property
    def setup_dialog(self) -> SetupDialog | None:
        return self.setup.dialog

    def open_setup(self) -> SetupDialog:
        return self.setup.open()

    def save_webhook(self, name: str, text: str) -> OpHandle[Any] | None:
        return self.setup.save_webhook(name, text)

    # -- history and export ---------------------------------------------------------------

    @property
    def history_dialog(self) -> HistoryDialog | None:
        return self.history.dialog

    def open_history(self) -> HistoryDialog:
        return self.history.open()

    def export_run(self, run_id: str, path: str | None = None) -> OpHandle[Any] | None:
        return self.history.export_run(run_id, path)

    # -- language -------------------------------------------------------------------------

    def set_language(self, choice: str) -> str:
        """View > Language: remember the choice and speak it now; returns the language."""
        save_choice(self.services.settings, choice)
        spoken = apply_language(language_from_choice(choice))
        self.window.set_language_choice(choice)
        return spoken

    # -- closing --------------------------------------------------------------------------

    def _may_close(self) -> bool:
        if self.phase in (Phase.RENEWING, Phase.UNDOING):
            # Cancel ends any wait at once and reads back what was in flight (a few seconds
            # at most); the window closes right after.
            self.state.close_when_idle = True
            self.runs.cancel()
            self.window.show_message(
                self.tr(
                    "Stopping: nothing more is sent; the window closes once what was on its way "
                    "is checked (a few seconds)."
                )
            )
            return False
        if self.op is not None and not self.op.done():
            self.op.cancel()
        self.runs.close()
        self.settings.save(self.window)
        return True
