"""Where the window's requests meet the core.

The controller listens to the window's `*_requested` signals and to its dialogs, and starts
`AsyncOp`s (see `bridge`) for everything that talks to the portal, the password store or the
disk: it never does I/O itself, and nothing here blocks the event loop. Results come back
through the window's plain methods (`append_tasks`, `set_outcome`, `add_errors`, ...).

One long operation runs at a time (`phase`): connecting, loading, checking a selection,
renewing or undoing. The renew engine reports per-task events from inside its coroutine;
they go through an `Inbox` and reach the table once per turn of the loop, in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.connection import (
    ConnectionVerdict,
    check_connection,
    portal_label,
)
from b24desk.core.credentials import (
    Profile,
    ProfileError,
    Removed,
    parse_webhook_url,
)
from b24desk.core.session import (
    ConnectionTarget,
    NoConnectionGiven,
    PortalSession,
    open_session,
    resolve_target,
)
from b24desk.ui.bridge import AsyncOp, OpHandle, ProgressReporter
from b24desk.ui.dialogs.confirm import Confirmation
from b24desk.ui.dialogs.history import HistoryDialog
from b24desk.ui.dialogs.setup import SetupDialog
from b24desk.ui.features.history import RunHistory
from b24desk.ui.features.loading import Loading
from b24desk.ui.features.report import DiagnosticReport
from b24desk.ui.features.runs import Runs
from b24desk.ui.features.setup import Setup
from b24desk.ui.features.state import DeskState, Phase
from b24desk.ui.features.task_link import TaskLinks
from b24desk.ui.language import (
    apply_language,
    language_from_choice,
    save_choice,
    saved_choice,
)
from b24desk.ui.services import Services
from b24desk.ui.settings import WindowSettings
from b24desk.ui.widgets.main_window import MainWindow

logger = logging.getLogger(__name__)


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
        self.state.idle.connect(self.idle)
        self.demo_services: Callable[[], Services] = Services.for_demo
        """Builds the demo's services when the admin asks to try the demo portal."""
        self._desktop_services: Services | None = None
        self.report = DiagnosticReport(self.state)
        self.task_links = TaskLinks(self.state)
        self.loading = Loading(self.state)
        self.loading.loading_finished.connect(self.loading_finished)
        self.runs = Runs(self.state)
        self.runs.run_finished.connect(self.run_finished)
        self.setup = Setup(self.state)
        self.loading.setup_wanted.connect(self.setup.open)
        self.setup.profile_saved.connect(self._connect_saved)
        self.setup.demo_wanted.connect(self.try_demo)
        self.history = RunHistory(self.state)
        self.history.undo_wanted.connect(self.runs.undo)
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
        w.profile_requested.connect(self.switch_profile)
        w.remove_profile_requested.connect(self.remove_profile)
        w.language_requested.connect(self.set_language)
        w.diagnose_requested.connect(self.report.save)
        w.close_guard = self._may_close

    # -- the shared state, as the tests, app.py and the benchmarks know it -------------------

    @property
    def services(self) -> Services:
        return self.state.services

    @services.setter
    def services(self, services: Services) -> None:
        self.state.services = services

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

    @phase.setter
    def phase(self, phase: Phase) -> None:
        self.state.phase = phase

    @property
    def op(self) -> OpHandle[Any] | None:
        return self.state.op

    @property
    def portal(self) -> str:
        """The portal in use, or the one being connected to (for messages)."""
        return self.state.portal

    @property
    def busy(self) -> bool:
        return self.state.busy

    def _start(self, phase: Phase, op: AsyncOp[Any]) -> OpHandle[Any]:
        return self.state.start(phase, op)

    def _set_idle(self) -> None:
        self.state.set_idle()

    def _report_problem(self, error: BaseException, *, what: str) -> None:
        self.state.report_problem(error, what=what)

    # -- starting up and connecting ---------------------------------------------------------

    def start(self) -> OpHandle[Any]:
        """Restore the window's settings and connect: demo, last profile, or first-run setup."""
        self.settings.restore(self.window)
        self.window.set_language_choice(saved_choice(self.services.settings))
        if self.services.demo is not None:
            return self.connect_demo()
        return self._start(
            Phase.CONNECTING,
            AsyncOp(self._initial_target, parent=self, label="choose connection")
            .on_success(self._initial_target_found)
            .on_failure(self._no_initial_target),
        )

    async def _initial_target(self, _: ProgressReporter) -> ConnectionTarget:
        connections = self.services.connections
        remembered = self.settings.last_profile()

        def choose() -> ConnectionTarget:
            if remembered:
                try:
                    return ConnectionTarget(connections.profiles.get(remembered), None, "window")
                except ProfileError:
                    logger.info("the last used profile is gone; choosing another")
            return resolve_target(connections, environ=self.services.environ)

        return await asyncio.to_thread(choose)

    def _initial_target_found(self, target: ConnectionTarget) -> None:
        self.phase = Phase.IDLE
        self.connect_to(target)

    def _no_initial_target(self, error: Exception) -> None:
        self.phase = Phase.IDLE
        self.window.set_disconnected()
        if not isinstance(error, NoConnectionGiven):
            self._report_problem(error, what="choosing the connection")
        self.refresh_profiles()
        self.open_setup()

    def connect_demo(self) -> OpHandle[Any]:
        demo = self.services.demo
        assert demo is not None

        async def target(_: ProgressReporter) -> ConnectionTarget:
            await demo.start()
            return ConnectionTarget(None, parse_webhook_url(demo.webhook_url()), "demo")

        self.window.set_connecting(self.tr("demo sandbox"), demo=True)
        self.window.set_profiles([], None)
        return self._start(
            Phase.CONNECTING,
            AsyncOp(target, parent=self, label="start demo portal")
            .on_success(self._initial_target_found)
            .on_failure(self._demo_failed)
            .on_cancelled(self._set_idle),
        )

    def try_demo(self) -> OpHandle[Any] | None:
        """Setup's "Try the demo portal": from now on this window works on the sandbox.

        Everything of the demo (profiles, secrets, journal) lives in memory or a temporary
        folder; the next start of b24desk is a normal one again.
        """
        if self.services.is_demo:
            return None
        if self.busy:
            self.window.show_message(self._wait_text())
            return None
        self.setup.close()
        self._close_session()
        self.profile_name = None
        self._desktop_services, self.services = self.services, self.demo_services()
        logger.info("switched to the demo portal at the admin's request")
        return self.connect_demo()

    def _wait_text(self) -> str:
        return self.state.wait_text()

    def _connect_saved(self, profile: Profile) -> None:
        """Setup saved (or signed in) `profile`: use it, unless an operation runs now."""
        if self.busy:
            self.refresh_profiles()
            self.window.show_message(
                self.tr(
                    "Saved the connection “{name}”. Choose it under Connection > Switch to "
                    "when the current operation has finished."
                ).format(name=profile.name),
                30000,
            )
            return
        self.connect_to(ConnectionTarget(profile, None, "setup"))

    def _demo_failed(self, error: Exception) -> None:
        self._connect_failed(error)
        self._set_idle()

    def connect_to(self, target: ConnectionTarget) -> OpHandle[Any] | None:
        """Open a session on `target` and check it; the old session is closed."""
        if self.busy:
            self.window.show_message(self._wait_text())
            return None
        self._close_session()
        self.profile_name = target.profile.name if target.profile else None
        self.state.target_portal = portal_label(target.portal_url)
        self.window.set_connecting(self.state.target_portal, demo=self.services.is_demo)

        async def work(_: ProgressReporter) -> tuple[PortalSession, ConnectionVerdict]:
            services = self.services
            transport = await services.transport()
            # open_session reads the password store in a worker thread (an unlock prompt
            # must not block the GUI thread).
            session = await open_session(
                services.connections,
                target,
                journal_path=services.journal_path,
                transport=transport,
                retry=services.retry,
            )
            try:
                verdict = await check_connection(session.client)
            except BaseException:
                await session.aclose()
                raise
            return session, verdict

        return self._start(
            Phase.CONNECTING,
            AsyncOp(work, parent=self, label="connect")
            .on_success(self._connected)
            .on_failure(self._connect_failed)
            .on_finished(self._connect_finished),
        )

    def _connected(self, result: tuple[PortalSession, ConnectionVerdict]) -> None:
        session, verdict = result
        if not verdict.ok:
            self._refused(session, verdict)
            return
        self.session, self.verdict = session, verdict
        self._forget_previous_portal()
        if self.services.round_pause_s is not None:
            session.engine.round_pause_s = self.services.round_pause_s
        self.window.set_connection(verdict.portal, verdict.user_name, demo=self.services.is_demo)
        self.window.show_message(verdict.message, 15000)
        profiles = self.services.connections.profiles
        if self.profile_name and not profiles.is_session_only(self.profile_name):
            self.settings.set_last_profile(self.profile_name)
        self.refresh_profiles()
        self.connected.emit(verdict)

    def _refused(self, session: PortalSession, verdict: ConnectionVerdict) -> None:
        """The portal answered, but no work can be done with this connection (a rejected
        webhook, a free plan, no Tasks permission...): say why; the window is not connected."""
        AsyncOp(lambda _: session.aclose(), label="close refused session").run()
        self.window.set_disconnected()
        self.window.add_error(verdict.message, code=verdict.error_code)
        self.window.show_message(verdict.message, 30000)
        self.refresh_profiles()

    def _forget_previous_portal(self) -> None:
        """A new connection is in use: the old portal's rows, problems and runs mean nothing
        here (a task id may name another task), so they go only now, not when switching
        starts: a switch that fails leaves them as they were."""
        self.window.clear_tasks()
        self.window.clear_errors()
        self.runs.forget_portal()

    def _connect_failed(self, error: Exception) -> None:
        self.window.set_disconnected()
        self._report_problem(error, what="connecting")
        self.refresh_profiles()

    def _connect_finished(self) -> None:
        self._set_idle()
        if (
            self.services.is_demo
            and self.session is not None
            and self.window.task_model.rowCount() == 0
        ):
            # The demo shows its tasks at once; a real portal waits for the admin.
            self.loading.load()

    def _close_session(self) -> None:
        session, self.session, self.verdict = self.session, None, None
        if session is not None:
            AsyncOp(lambda _: session.aclose(), label="close session").run()

    async def aclose(self) -> None:
        """Close the session (at shutdown), and the demo's services if it was tried."""
        session, self.session = self.session, None
        if session is not None:
            await session.aclose()
        if self._desktop_services is not None:
            demo_services, self.services = self.services, self._desktop_services
            self._desktop_services = None
            demo_services.close()

    def refresh_profiles(self) -> None:
        if self.services.is_demo:
            self.window.set_profiles([], None)
            return
        AsyncOp(
            lambda _: asyncio.to_thread(self.services.connections.profiles.names),
            parent=self,
            label="list profiles",
        ).on_success(lambda names: self.window.set_profiles(names, self.profile_name)).on_failure(
            lambda error: logger.warning("could not list the profiles: %s", error)
        ).run()

    def switch_profile(self, name: str) -> None:
        if name == self.profile_name and self.session is not None:
            return
        if self.busy:
            self.window.show_message(self._wait_text())
            self.refresh_profiles()
            return

        def found(profile: Profile) -> None:
            if self.busy:  # something started while the profile was read
                self.window.show_message(self._wait_text())
                self.refresh_profiles()
                return
            self.connect_to(ConnectionTarget(profile, None, "window"))

        AsyncOp(
            lambda _: asyncio.to_thread(self.services.connections.profiles.get, name),
            parent=self,
            label="switch profile",
        ).on_success(found).on_failure(lambda e: self._report_problem(e, what="switching")).run()

    def remove_profile(self) -> None:
        """Connection > Remove this connection: asks, then forgets it (even when the password
        store cannot be reached: then the message says what may be left in it)."""
        name = self.profile_name
        if name is None or self.services.is_demo:
            return
        if self.busy:
            self.window.show_message(self._wait_text())
            return
        question = Confirmation(
            title=self.tr("Remove the connection"),
            question=self.tr("Remove the connection “{name}”?").format(name=name),
            details=self.tr(
                "b24desk forgets its address and deletes its secret from the password store. "
                "Nothing changes on the portal, and the history of runs stays."
            ),
            accept_text=self.tr("Remove"),
        )

        def answered(yes: bool) -> None:
            if yes and not self.busy and self.profile_name == name:
                self._remove_profile(name)

        self.state.ask(question, answered)

    def _remove_profile(self, name: str) -> None:
        connections = self.services.connections

        def removed(result: Removed) -> None:
            if self.profile_name == name:
                self._close_session()
                self.profile_name = None
                self.window.set_disconnected()
            if self.settings.last_profile() == result.profile.name:
                self.settings.set_last_profile("")
            text = self.tr("Removed the connection “{name}”.").format(name=result.profile.name)
            if result.secrets_problem:
                text = f"{text} {result.secrets_problem}"
            self.window.show_message(text, 30000)
            self.refresh_profiles()

        AsyncOp(
            lambda _: asyncio.to_thread(connections.remove, name),
            parent=self,
            label="remove profile",
        ).on_success(removed).on_failure(lambda e: self._report_problem(e, what="removing")).run()

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
        self.runs.events.close()
        self.settings.save(self.window)
        return True
