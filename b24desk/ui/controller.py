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
import enum
import gc
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal

from b24desk.core import paths
from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.bitrix.budget import Wait
from b24desk.core.bitrix.errors import B24Error
from b24desk.core.connection import (
    ConnectionVerdict,
    check_connection,
    portal_label,
    verdict_for_error,
)
from b24desk.core.credentials import (
    KeyringUnavailable,
    Profile,
    ProfileError,
    Removed,
    WebhookUrlError,
    parse_webhook_url,
)
from b24desk.core.credentials.oauth_flow import OAuthFlowError, OAuthSignIn, sign_in_profile
from b24desk.core.diagnose import run_diagnosis
from b24desk.core.i18n import plural, translate
from b24desk.core.model import TaskFilter, TaskOutcome, TaskRecord
from b24desk.core.redact import redact
from b24desk.core.renew.jobs import RenewJob, RenewPlan, UndoJob, UndoPlan, UndoRefused
from b24desk.core.renew.journal import Journal, JournalError
from b24desk.core.renew.records import (
    Progress,
    RunKind,
    RunListener,
    RunNotFound,
    RunReport,
    TaskEvent,
)
from b24desk.core.renew.words import time_left, wait_sentence
from b24desk.core.session import (
    ConnectionTarget,
    NoConnectionGiven,
    PortalSession,
    open_session,
    resolve_target,
)
from b24desk.ui.bridge import AsyncOp, Inbox, OpHandle, ProgressReporter, ProgressUpdate
from b24desk.ui.dialogs.confirm import Confirmation, renew_confirmation, undo_confirmation
from b24desk.ui.dialogs.history import HistoryDialog
from b24desk.ui.dialogs.setup import SetupDialog
from b24desk.ui.export import suggested_file_name, write_run_csv
from b24desk.ui.language import (
    apply_language,
    count_text,
    language_from_choice,
    save_choice,
    saved_choice,
)
from b24desk.ui.models.errors import ErrorEntry, make_entry
from b24desk.ui.models.outcomes import outcome_label
from b24desk.ui.services import Services
from b24desk.ui.settings import WindowSettings
from b24desk.ui.widgets.main_window import Activity, MainWindow

logger = logging.getLogger(__name__)

PROBLEM_OUTCOMES = (TaskOutcome.FAILED, TaskOutcome.NOT_ALLOWED)
FULL_GC_EVERY_WHILE_LOADING = 1_000
"""Middle-generation collections between two full ones while loading (Python's default: 10)."""
YIELD_EVERY_TASKS = 500
"""While loading, give the event loop a turn after about this many tasks."""
LOADING_STEPS = 8
"""A small portal's tasks come in about this many requests, so the bar moves as rows arrive."""
WINDOW_PAGES_PER_REQUEST = 20
"""At most this many pages (1,000 tasks, ~0.4 MB) a request while the window loads: one
answer is decoded in one turn of the event loop, and 50 pages (~1 MB) take 10-45 ms."""


class Phase(enum.Enum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LOADING = "loading"
    CHECKING = "checking"
    CONFIRMING = "confirming"
    RENEWING = "renewing"
    UNDOING = "undoing"


def run_summary(*reports: RunReport) -> str:
    """One sentence about finished runs of one kind (undo may be several), for the status bar."""
    counts: Counter[TaskOutcome] = Counter()
    for report in reports:
        counts.update(report.counts())
    total = sum(counts.values())
    kind = reports[0].kind if reports else RunKind.RENEW
    extras = [
        (TaskOutcome.ALREADY_OPEN, translate("Status", "{n} already open")),
        (TaskOutcome.NOT_ALLOWED, translate("Status", "{n} not allowed")),
        (TaskOutcome.FAILED, translate("Status", "{n} failed")),
        (
            TaskOutcome.SKIPPED,
            translate("Status", "{n} skipped")
            if kind is not RunKind.UNDO
            else translate("Status", "{n} left as they were"),
        ),
        (TaskOutcome.NOT_ATTEMPTED, translate("Status", "{n} not attempted")),
    ]
    tail = [label.format(n=count_text(counts[o])) for o, label in extras if counts[o]]
    if kind is RunKind.UNDO:
        done, head = (
            counts[TaskOutcome.RECOMPLETED],
            translate(
                "Status", "Completed again {done} of {n} task|Completed again {done} of {n} tasks"
            ),
        )
    elif kind is RunKind.RETRY:
        done, head = (
            counts[TaskOutcome.RENEWED],
            translate(
                "Status", "Retry: reopened {done} of {n} task|Retry: reopened {done} of {n} tasks"
            ),
        )
    else:
        done, head = (
            counts[TaskOutcome.RENEWED],
            translate("Status", "Reopened {done} of {n} task|Reopened {done} of {n} tasks"),
        )
    text = plural(head, total).format(done=count_text(done), n=count_text(total))
    if any(report.cancelled for report in reports):
        text = translate("Status", "Cancelled. {summary}").format(summary=text)
    text += ("; " + ", ".join(tail) if tail else "") + "."
    if kind is not RunKind.UNDO and counts[TaskOutcome.FAILED]:
        text += " " + translate("Status", "“Retry failed” tries the failed ones again.")
    return text


def rights_summary(plan: RenewPlan) -> str:
    """ "Checked 49 tasks: you may reopen 37; 12 not allowed." for the status bar."""
    check = plan.check
    assert check is not None
    may = len(check.renewable)
    text = plural(
        translate(
            "Status",
            "Checked {n} task: you may reopen {may}|Checked {n} tasks: you may reopen {may}",
        ),
        plan.selected,
    ).format(n=count_text(plan.selected), may=count_text(may))
    parts = []
    if check.not_allowed:
        parts.append(
            translate("Status", "{n} not allowed").format(n=count_text(len(check.not_allowed)))
        )
    others = len(check.no_longer_completed) + len(check.missing)
    if others:
        parts.append(
            translate("Status", "{n} no longer completed or gone").format(n=count_text(others))
        )
    if check.unread:
        parts.append(
            translate("Status", "{n} the portal did not answer for").format(
                n=count_text(len(check.unread))
            )
        )
    text += ("; " + ", ".join(parts) if parts else "") + "."
    return text + " " + translate("Status", "Nothing was changed.")


def is_journal_problem(error: BaseException) -> bool:
    """The journal cannot be written, or lacks the run asked for: said in plain words."""
    return isinstance(error, JournalError | RunNotFound)


def journal_message(error: BaseException) -> str:
    if isinstance(error, RunNotFound):
        return translate("Status", "That run is no longer in the journal.")
    return redact(str(error))


def error_text(error: BaseException, portal: str = "", *, oauth: bool = False) -> tuple[str, str]:
    """(plain sentence, code) for any error an operation may end with; never a secret."""
    if is_journal_problem(error):
        return journal_message(error), "JOURNAL"
    if isinstance(error, B24Error):
        verdict = verdict_for_error(error, portal, oauth=oauth)
        return verdict.message, verdict.error_code
    if isinstance(error, ProfileError | WebhookUrlError | KeyringUnavailable):
        return redact(str(error)), type(error).__name__
    if isinstance(error, OSError):
        detail = error.strerror or str(error)
        message = translate("Status", "b24desk could not use a file it needs ({detail}).")
        return redact(message.format(detail=detail)), type(error).__name__
    message = translate(
        "Status", "Something unexpected went wrong ({name}); the log file has the details."
    )
    return message.format(name=type(error).__name__), type(error).__name__


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
        self.services = services
        self.settings = WindowSettings(services.settings)
        self.session: PortalSession | None = None
        self.verdict: ConnectionVerdict | None = None
        self.profile_name: str | None = None
        self.phase = Phase.IDLE
        self.op: OpHandle[Any] | None = None
        self.setup_dialog: SetupDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.undoable_runs: list[str] = []
        self.rights_checked: set[int] = set()
        self.awaiting_control = False
        """Load tasks awaiting control (status 4) too (Tasks menu, off by default)."""
        """Tasks "Check first" asked about: renewing them asks the portal again."""
        self.last_run_id: str | None = None
        self._events: Inbox[TaskEvent] = Inbox(self._apply_events, label="engine events")
        self.job: RenewJob | UndoJob | None = None
        """The renew or undo being prepared or run; it owns its cancel."""
        self._close_when_idle = False
        self._oauth_flow: OAuthSignIn | None = None
        self._target_portal = ""
        self.demo_services: Callable[[], Services] = Services.for_demo
        """Builds the demo's services when the admin asks to try the demo portal."""
        self._desktop_services: Services | None = None
        self._connect_window()

    # -- wiring ---------------------------------------------------------------------------

    def _connect_window(self) -> None:
        w = self.window
        w.load_requested.connect(self.load)
        w.awaiting_control_toggled.connect(self.include_awaiting_control)
        w.stop_requested.connect(self.stop)
        w.renew_requested.connect(self.renew)
        w.check_requested.connect(self.check_rights)
        w.cancel_requested.connect(self.cancel)
        w.retry_failed_requested.connect(self.retry_failed)
        w.undo_requested.connect(self.undo_last)
        w.open_task_requested.connect(self.open_task)
        w.setup_requested.connect(self.open_setup)
        w.history_requested.connect(self.open_history)
        w.profile_requested.connect(self.switch_profile)
        w.remove_profile_requested.connect(self.remove_profile)
        w.language_requested.connect(self.set_language)
        w.diagnose_requested.connect(self.save_diagnostic_report)
        w.close_guard = self._may_close

    @property
    def portal(self) -> str:
        """The portal in use, or the one being connected to (for messages)."""
        return self.verdict.portal if self.verdict else self._target_portal

    @property
    def busy(self) -> bool:
        return self.phase is not Phase.IDLE

    def _start(self, phase: Phase, op: AsyncOp[Any]) -> OpHandle[Any]:
        self.phase = phase
        handle = self.op = op.run()
        # Runs after the op's own callbacks (added later to the same task).
        handle.task.add_done_callback(lambda _: self._not_left_busy(handle, phase))
        return handle

    def _not_left_busy(self, handle: OpHandle[Any], phase: Phase) -> None:
        """Safety net: a step whose callbacks raised must not leave the window busy forever."""
        if self.op is handle and self.phase is phase:
            logger.warning("%s ended without moving on; back to idle", phase.value)
            self._set_idle()

    def _set_idle(self) -> None:
        self.phase = Phase.IDLE
        self.op = None
        self.job = None
        self.window.set_busy(Activity.IDLE)
        self.idle.emit()
        if self._close_when_idle:
            self._close_when_idle = False
            self.window.close()

    def _report_problem(self, error: BaseException, *, what: str) -> None:
        message, code = error_text(error, self.portal)
        if is_journal_problem(error):
            # A condition the admin can act on (disk full, journal moved), not a bug.
            logger.warning("%s failed: %s", what, message)
        elif not isinstance(error, B24Error | ProfileError | WebhookUrlError | KeyringUnavailable):
            logger.error("%s failed: %s", what, type(error).__name__, exc_info=error)
        self.window.add_error(message, code=code)
        self.window.show_message(message, 15000)

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
        if self.setup_dialog is not None:
            self.setup_dialog.accept()
        self._close_session()
        self.profile_name = None
        self._desktop_services, self.services = self.services, self.demo_services()
        logger.info("switched to the demo portal at the admin's request")
        return self.connect_demo()

    def _wait_text(self) -> str:
        return self.tr("Wait until the current operation has finished.")

    def _connect_saved(self, dialog: SetupDialog, profile: Profile) -> None:
        """Setup saved (or signed in) `profile`: use it, unless an operation runs now."""
        dialog.accept()
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
        self._target_portal = portal_label(target.portal_url)
        self.window.set_connecting(self._target_portal, demo=self.services.is_demo)

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
        self.undoable_runs.clear()
        self.rights_checked.clear()
        self.last_run_id = None
        self.window.set_undo_available(False)

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
            self.load()  # the demo shows its tasks at once; a real portal waits for the admin

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

        self.ask(question, answered)

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

    def include_awaiting_control(self, include: bool) -> OpHandle[Any] | None:
        """Also list tasks awaiting control (status 4); reloads when connected and idle."""
        if include == self.awaiting_control:
            return None
        self.awaiting_control = include
        return self.load() if self.session is not None and not self.busy else None

    def load(self) -> OpHandle[Any] | None:
        if self.busy:
            return None
        session = self.session
        if session is None:
            self.open_setup()
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

        async def work(progress: ProgressReporter) -> int:
            listed = TaskFilter(awaiting_control=self.awaiting_control)
            total = await tasks_api.count_completed(session.client, listed)
            if total:
                progress.report(0, total, loading_of.format(done=0, total=count_text(total)))
            chain = pages_per_request(total)
            async for page in tasks_api.iter_completed_pages(
                session.client, listed, pages_per_request=chain
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
            self._report_problem(error, what="loading")

        def finished() -> None:
            resume_gc()
            window.task_model.set_streaming(False)
            self._set_idle()
            self.loading_finished.emit(loaded[0])

        return self._start(
            Phase.LOADING,
            AsyncOp(work, parent=self, label="load tasks")
            .on_progress(self._show_progress)
            .on_success(done)
            .on_cancelled(stopped)
            .on_failure(failed)
            .on_finished(finished),
        )

    def stop(self) -> None:
        if self.phase is Phase.LOADING and self.op is not None:
            self.op.cancel()

    def _show_progress(self, update: ProgressUpdate) -> None:
        self.window.set_progress(update.done, update.total, update.text)

    # -- renewing -------------------------------------------------------------------------

    def _records(self, task_ids: Sequence[int]) -> list[TaskRecord]:
        return self.window.task_model.records_of(task_ids)

    def renew(self, task_ids: list[int]) -> OpHandle[Any] | None:
        """Pre-check the selection, ask in plain words, then reopen."""
        return self._prepare_renew(self._records(task_ids), RunKind.RENEW)

    def retry_failed(self, task_ids: list[int]) -> OpHandle[Any] | None:
        """Reopen the failed rows again (checked first, not asked: the admin just asked)."""
        return self._prepare_renew(self._records(task_ids), RunKind.RETRY)

    def _prepare_renew(self, records: list[TaskRecord], kind: RunKind) -> OpHandle[Any] | None:
        session = self.session
        if self.busy or session is None or not records:
            return None
        parent = self.last_run_id if kind is RunKind.RETRY else None
        # After "Check first", a renew asks again which tasks this user may reopen and
        # leaves out the rest (issue 11 §3).
        rights = kind is RunKind.RENEW and any(r.id in self.rights_checked for r in records)
        job = RenewJob(session.engine, records, kind=kind, parent=parent, rights=rights)
        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(
            0,
            None,
            self.tr("Checking %Ln task(s) on the portal before reopening…", "", len(records)),
        )

        def checked(plan: RenewPlan) -> None:
            if kind is RunKind.RENEW:
                self._ask_renew(job, plan)
            else:
                self._run_renew(job, plan)

        def cancelled() -> None:
            self.window.show_message(self.tr("Cancelled; nothing was changed on the portal."))
            self._set_idle()

        def failed(error: Exception) -> None:
            self._report_problem(error, what="checking the selection")
            self._set_idle()

        async def check(_: ProgressReporter) -> RenewPlan:
            return await job.prepare()

        return self._start(
            Phase.CHECKING,
            AsyncOp(check, parent=self, label="precheck")
            .on_success(checked)
            .on_cancelled(cancelled)
            .on_failure(failed),
        )

    def check_rights(self, task_ids: list[int]) -> OpHandle[Any] | None:
        """ "Check first": ask the portal whether this user may reopen each task, mark the
        rows, change nothing (no run, no journal)."""
        session = self.session
        records = self._records(task_ids)
        if self.busy or session is None or not records:
            return None
        job = RenewJob(session.engine, records, rights=True)
        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(
            0, None, self.tr("Asking the portal about %Ln task(s)…", "", len(records))
        )

        def checked(plan: RenewPlan) -> None:
            check = plan.check
            assert check is not None
            self.rights_checked.update(r.id for r in records)
            window = self.window
            for task in check.renewable:
                window.set_outcome(task.id, TaskOutcome.CAN_RENEW, "")
            for task_id, reason in check.not_allowed.items():
                window.set_outcome(task_id, TaskOutcome.NOT_ALLOWED, reason)
            others = {**check.skip_reasons()}
            for task_id in check.not_allowed:
                others.pop(task_id, None)
            for task_id, reason in others.items():
                window.set_outcome(task_id, TaskOutcome.SKIPPED, reason)
            window.show_message(rights_summary(plan), 30000)
            self._set_idle()

        def failed(error: Exception) -> None:
            self._report_problem(error, what="checking the selection")
            self._set_idle()

        async def check(_: ProgressReporter) -> RenewPlan:
            return await job.prepare()

        return self._start(
            Phase.CHECKING,
            AsyncOp(check, parent=self, label="check rights")
            .on_success(checked)
            .on_cancelled(self._set_idle)
            .on_failure(failed),
        )

    def _ask_renew(self, job: RenewJob, plan: RenewPlan) -> None:
        admin = self.verdict.admin if self.verdict is not None else True
        confirmation = renew_confirmation(plan, admin=admin)
        self.phase = Phase.CONFIRMING
        self.window.set_busy(Activity.IDLE)

        def answered(yes: bool) -> None:
            if yes and confirmation.can_proceed and self.session is not None:
                chosen = confirmation.deadline_choice
                if confirmation.comment_choice:
                    job.comment = confirmation.comment_choice[0]
                self._run_renew(job, job.choose_deadline(chosen[0]) if chosen else plan)
            else:
                self.window.show_message(self.tr("Nothing was changed on the portal."))
                self._set_idle()

        self.ask(confirmation, answered)

    def ask(self, confirmation: Confirmation, answered: Callable[[bool], None]) -> None:
        self.services.confirm(self.window, confirmation, answered)

    def _run_renew(self, job: RenewJob, plan: RenewPlan) -> None:
        self.window.set_busy(Activity.RENEWING)
        renewing = self.tr("Renewing… {done} of {total}")
        total = plan.selected
        self.window.set_progress(
            0, total, renewing.format(done=count_text(0), total=count_text(total))
        )

        async def work(progress: ProgressReporter) -> RunReport:
            job.listener = self._listener(progress, renewing)
            return await job.run()

        op = AsyncOp(work, parent=self, label=plan.kind).on_success(self._renew_done)
        self._start_run(Phase.RENEWING, job, op)

    def _listener(self, progress: ProgressReporter, text: str) -> RunListener:
        """Engine events reach the table through the inbox; progress (with the time left)
        and every wait for the portal (with when it ends) reach the bar."""
        shown = _RunProgress(progress, text)
        return RunListener(on_event=self._events.put, on_progress=shown, on_wait=shown.waiting)

    def _start_run(self, phase: Phase, job: RenewJob | UndoJob, op: AsyncOp[Any]) -> None:
        self.job = job
        self._start(
            phase,
            op.on_progress(self._show_progress)
            .on_failure(self._run_failed)
            .on_cancelled(self._run_cancelled)
            .on_finished(self._set_idle),
        )

    def _renew_done(self, report: RunReport) -> None:
        self._events.flush()
        if report.stopped_by:
            self.window.add_error(report.stopped_by, code="RUN_STOPPED")
        self.last_run_id = report.run_id
        renewed = report.counts()[TaskOutcome.RENEWED]
        if report.kind is RunKind.RENEW:
            self.undoable_runs = [report.run_id] if renewed else []
        elif renewed:
            self.undoable_runs.append(report.run_id)
        self.window.set_undo_available(bool(self.undoable_runs))
        summary = run_summary(report)
        if report.stopped_by:
            summary = self.tr("The portal stopped the run: {reason} {summary}").format(
                reason=report.stopped_by, summary=summary
            )
        self.window.show_message(summary, 30000)
        self.run_finished.emit(report)

    def _run_failed(self, error: Exception) -> None:
        self._events.flush()
        self._settle_unfinished_rows()
        self._report_problem(error, what="the run")

    def _run_cancelled(self) -> None:
        self._events.flush()
        self._settle_unfinished_rows()

    def _settle_unfinished_rows(self) -> None:
        """A run that ended abruptly leaves no row "Queued" or "Renewing…" behind."""
        window = self.window
        now = datetime.now()
        for task_id in window.task_model.task_ids_with(TaskOutcome.QUEUED):
            window.set_outcome(
                task_id,
                TaskOutcome.NOT_ATTEMPTED,
                self.tr("The run stopped before this task was sent."),
            )
        sending = window.task_model.task_ids_with(TaskOutcome.RENEWING)
        reason = self.tr("The run stopped while this task was being sent: reload to see its state.")
        for task_id in sending:
            window.set_outcome(task_id, TaskOutcome.FAILED, reason)
        window.add_errors(
            make_entry(reason, code="RUN_STOPPED", task_id=task_id, when=now) for task_id in sending
        )

    def cancel(self) -> None:
        if self.phase is Phase.CHECKING and self.op is not None:
            self.op.cancel()
        elif self.phase in (Phase.RENEWING, Phase.UNDOING) and self.job is not None:
            self.job.cancel()
            self.window.set_progress(
                0, None, self.tr("Cancelling: nothing more is sent; checking what was on its way…")
            )

    def _apply_events(self, events: list[TaskEvent]) -> None:
        window = self.window
        problems: list[ErrorEntry] = []
        now = datetime.now()
        for event in events:
            window.set_outcome(event.task_id, event.outcome, event.reason)
            if event.outcome in PROBLEM_OUTCOMES:
                reason = event.reason or outcome_label(event.outcome)
                problems.append(
                    make_entry(reason, code=event.code, task_id=event.task_id, when=now)
                )
        if problems:
            window.add_errors(problems)

    # -- undo -----------------------------------------------------------------------------

    def undo_last(self) -> OpHandle[Any] | None:
        return self.undo(list(self.undoable_runs))

    def undo(self, run_ids: list[str]) -> OpHandle[Any] | None:
        """Read the runs and their tasks, ask, then complete again what they reopened."""
        session = self.session
        if self.busy or session is None or not run_ids:
            return None
        job = UndoJob(session.engine, run_ids)

        def planned(plan: UndoPlan) -> None:
            self.phase = Phase.CONFIRMING
            self.window.set_busy(Activity.IDLE)
            confirmation = undo_confirmation(plan)

            def answered(yes: bool) -> None:
                if yes and confirmation.can_proceed and self.session is not None:
                    self._run_undo(job, plan)
                else:
                    self.window.show_message(self.tr("Nothing was changed on the portal."))
                    self._set_idle()

            self.ask(confirmation, answered)

        def failed(error: Exception) -> None:
            if isinstance(error, UndoRefused):
                self.window.show_message(error.message)
            elif isinstance(error, RunNotFound):
                self.window.show_message(
                    self.tr("That run is no longer in the journal, so it cannot be undone.")
                )
            else:
                self._report_problem(error, what="preparing the undo")
            self._set_idle()

        async def prepare(_: ProgressReporter) -> UndoPlan:
            return await job.prepare()

        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(0, None, self.tr("Reading the run and its tasks…"))
        return self._start(
            Phase.CHECKING,
            AsyncOp(prepare, parent=self, label="prepare undo")
            .on_success(planned)
            .on_failure(failed)
            .on_cancelled(self._set_idle),
        )

    def _run_undo(self, job: UndoJob, plan: UndoPlan) -> None:
        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(0, None, self.tr("Completing the tasks again…"))
        completing = self.tr("Completing again… {done} of {total}")

        async def work(progress: ProgressReporter) -> list[RunReport]:
            job.listener = self._listener(progress, completing)
            return await job.run()

        def done(reports: list[RunReport]) -> None:
            self._events.flush()
            undone = plan.run_ids[: len(reports)]  # in order; a cancel stops the rest
            self.undoable_runs = [r for r in self.undoable_runs if r not in undone]
            self.window.set_undo_available(bool(self.undoable_runs))
            if reports:
                self.window.show_message(run_summary(*reports), 30000)
            self.run_finished.emit(reports)

        op = AsyncOp(work, parent=self, label="undo").on_success(done)
        self._start_run(Phase.UNDOING, job, op)

    # -- opening a task -------------------------------------------------------------------

    def task_url(self, task_id: int) -> str | None:
        session = self.session
        if session is None:
            return None
        user_id = self.verdict.user_id if self.verdict else None
        if user_id is None and session.target.webhook is not None:
            user_id = session.target.webhook.user_id
        if user_id is None and session.profile is not None:
            user_id = session.profile.webhook_user_id
        if user_id is None:
            row = self.window.task_model.row_of(task_id)
            user_id = self.window.task_model.record_at(row).responsible_id if row is not None else 0
        return tasks_api.task_url(session.portal_url, user_id, task_id)

    def open_task(self, task_id: int) -> None:
        url = self.task_url(task_id)
        if url is None:
            self.window.show_message(self.tr("Connect to the portal first."))
        elif self.services.is_demo:
            self.window.show_message(
                self.tr(
                    "Demo mode: the tasks live in a built-in sandbox. On a real portal this "
                    "opens task {id} in your browser."
                ).format(id=task_id),
                10000,
            )
        else:
            self.services.open_url(QUrl(url))

    # -- setup dialog ---------------------------------------------------------------------

    def open_setup(self) -> SetupDialog:
        if self.setup_dialog is not None:
            self.setup_dialog.raise_()
            self.setup_dialog.activateWindow()
            return self.setup_dialog
        dialog = SetupDialog(self.window, demo=self.services.is_demo)
        if self.services.demo is not None and self.services.demo.portal is not None:
            dialog.set_example(self.services.demo.webhook_url())
        dialog.test_requested.connect(self.test_webhook)
        dialog.save_requested.connect(self.save_webhook)
        dialog.session_only_requested.connect(self._use_session_only)
        dialog.oauth_requested.connect(self.sign_in_oauth)
        dialog.oauth_pasted.connect(self.paste_oauth_answer)
        dialog.demo_requested.connect(self.try_demo)
        dialog.finished.connect(self._setup_closed)
        self.setup_dialog = dialog
        dialog.open()
        return dialog

    def _setup_closed(self, _: int) -> None:
        dialog, self.setup_dialog = self.setup_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def test_webhook(self, text: str) -> OpHandle[Any] | None:
        dialog = self.setup_dialog
        if dialog is None:
            return None
        try:
            address = parse_webhook_url(text)
        except WebhookUrlError as error:
            dialog.show_problem(str(error))
            return None
        dialog.show_testing(portal_label(address.portal_url))
        ca_bundle = dialog.ca_bundle()

        async def work(_: ProgressReporter) -> ConnectionVerdict:
            services = self.services
            # The same checks of the certificate file as when connecting for real.
            session = await open_session(
                services.connections,
                ConnectionTarget(None, address, "setup"),
                journal_path=services.journal_path,
                ca_bundle=ca_bundle,
                detect_rate=False,
                transport=await services.transport(),
                retry=services.retry,
            )
            async with session:
                return await check_connection(session.client)

        def failed(error: Exception) -> None:
            message, _ = error_text(error, portal_label(address.portal_url))
            if self.setup_dialog is not None:
                self.setup_dialog.show_problem(message)

        return (
            AsyncOp(work, parent=dialog, label="test connection")
            .on_success(dialog.show_verdict)
            .on_failure(failed)
            .run()
        )

    def save_webhook(self, name: str, text: str) -> OpHandle[Any] | None:
        dialog = self.setup_dialog
        if dialog is None:
            return None
        connections = self.services.connections
        ca_bundle = dialog.ca_bundle()
        dialog.show_saving()

        def saved(profile: Profile) -> None:
            self._connect_saved(dialog, profile)

        def failed(error: Exception) -> None:
            if isinstance(error, KeyringUnavailable):
                dialog.offer_session_only(str(error))
            elif isinstance(error, ProfileError | WebhookUrlError | ValueError):
                dialog.show_problem(redact(str(error)))
            else:
                message, _ = error_text(error)
                dialog.show_problem(message)

        return (
            AsyncOp(
                lambda _: asyncio.to_thread(
                    connections.add_webhook, name, text, ca_bundle=ca_bundle
                ),
                parent=dialog,
                label="save connection",
            )
            .on_success(saved)
            .on_failure(failed)
            .run()
        )

    def sign_in_oauth(
        self, name: str, portal: str, client_id: str, client_secret: str
    ) -> OpHandle[Any] | None:
        """Save an OAuth profile (once), sign it in through the browser, then connect."""
        dialog = self.setup_dialog
        if dialog is None:
            return None
        services = self.services
        connections = services.connections

        def saved_profile() -> Profile:
            try:
                existing = connections.profiles.get(name)
            except ProfileError:
                existing = None
            if existing is not None and existing.auth_kind == "oauth":
                # Signing in again (say, after a typo in the key): the fields win.
                connections.remove(existing.name)
            return connections.add_oauth(
                name, portal, client_id, client_secret, oauth_server=services.oauth_server
            )

        def open_browser(url: str) -> object:
            return services.open_url(QUrl(url))

        async def work(_: ProgressReporter) -> Profile:
            profile = await asyncio.to_thread(saved_profile)
            await sign_in_profile(
                connections,
                profile.name,
                open_browser=open_browser,
                paste=self._keep_oauth_flow,
                wait_s=services.oauth_wait_s,
                transport=await services.transport(),
            )
            return profile

        def signed_in(profile: Profile) -> None:
            self._connect_saved(dialog, profile)

        def failed(error: Exception) -> None:
            if isinstance(error, OAuthFlowError | ProfileError | WebhookUrlError):
                dialog.show_oauth_problem(redact(str(error)))
            elif isinstance(error, KeyringUnavailable):
                dialog.show_oauth_problem(str(error))
            else:
                dialog.show_oauth_problem(error_text(error, portal)[0])

        def finished() -> None:
            self._oauth_flow = None

        dialog.show_oauth_waiting(portal)
        return (
            AsyncOp(work, parent=dialog, label="OAuth sign-in")
            .on_success(signed_in)
            .on_failure(failed)
            .on_cancelled(lambda: dialog.set_signing_in(False))
            .on_finished(finished)
            .run()
        )

    def _keep_oauth_flow(self, flow: OAuthSignIn) -> None:
        self._oauth_flow = flow

    def paste_oauth_answer(self, text: str) -> None:
        """Hand what the admin pasted from the browser to the sign-in that waits for it."""
        flow, dialog = self._oauth_flow, self.setup_dialog
        if flow is None or dialog is None:
            return
        try:
            flow.paste(text)
        except OAuthFlowError as error:
            dialog.show_oauth_problem(redact(str(error)))
            dialog.set_signing_in(True)

    def _use_session_only(self) -> None:
        self.services.connections.secrets.use_session_only()
        if self.setup_dialog is not None:
            self.setup_dialog.save()

    # -- history and export ---------------------------------------------------------------

    def open_history(self) -> HistoryDialog:
        if self.history_dialog is not None:
            self.history_dialog.raise_()
            return self.history_dialog
        dialog = HistoryDialog(self.window)
        dialog.undo_requested.connect(self._undo_from_history)
        dialog.export_requested.connect(self.export_run)
        dialog.finished.connect(self._history_closed)
        self.history_dialog = dialog
        self.reload_history()
        dialog.open()
        return dialog

    def _history_closed(self, _: int) -> None:
        dialog, self.history_dialog = self.history_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def reload_history(self) -> OpHandle[Any] | None:
        dialog = self.history_dialog
        if dialog is None:
            return None
        journal = Journal(self.services.journal_path)
        portal = self.session.engine.portal if self.session is not None else None
        return (
            AsyncOp(lambda _: asyncio.to_thread(journal.runs), parent=dialog, label="history")
            .on_success(lambda runs: dialog.set_runs(runs, portal=portal))
            .on_failure(lambda e: dialog.show_problem(error_text(e)[0]))
            .run()
        )

    def _undo_from_history(self, run_id: str) -> None:
        dialog = self.history_dialog
        problem = ""
        if self.busy:
            problem = self._wait_text()
        elif self.session is None:
            problem = self.tr("Connect to the portal the run was made on to undo it.")
        if problem:
            # The dialog stays open: the admin can try again once the window is free.
            self.window.show_message(problem)
            if dialog is not None:
                dialog.show_problem(problem)
            return
        if dialog is not None:
            dialog.accept()
        self.undo([run_id])

    def export_run(self, run_id: str, path: str | None = None) -> OpHandle[Any] | None:
        """Write the run's results to a CSV file (asks where, unless `path` is given)."""
        parent = self.history_dialog or self.window
        if path is None:
            suggested = str(self.services.export_dir / suggested_file_name(run_id))
            path = self.services.save_path(parent, self.tr("Export the run's results"), suggested)
            if not path:
                return None
        target = Path(path)
        titles = self.window.task_model.titles()
        journal = Journal(self.services.journal_path)

        def write() -> int:
            return write_run_csv(target, journal.require(run_id), titles)

        def written(rows: int) -> None:
            text = self.tr("Saved %Ln task(s) of the run to {path}.", "", rows).format(path=target)
            self.window.show_message(text, 15000)
            if self.history_dialog is not None:
                self.history_dialog.show_note(text)

        def failed(error: Exception) -> None:
            if isinstance(error, OSError):
                message = self.tr(
                    "Could not write {path} ({reason}): choose another folder or file name."
                ).format(path=target, reason=error.strerror or type(error).__name__)
            else:
                message = error_text(error)[0]
            self.window.show_message(message, 15000)
            if self.history_dialog is not None:
                self.history_dialog.show_problem(message)

        return (
            AsyncOp(lambda _: asyncio.to_thread(write), parent=self, label="export")
            .on_success(written)
            .on_failure(failed)
            .run()
        )

    # -- diagnostic report ----------------------------------------------------------------

    def save_diagnostic_report(self) -> None:
        """Help > Save a diagnostic report…: hide the host?, where?, then probe off the GUI
        thread (`core.diagnose`, read-only) and say where the report went."""
        session = self.session
        if session is None or self.busy:
            text = self.tr("Connect to the portal first.") if session is None else None
            self.window.show_message(text or self._wait_text())
            return
        title = self.tr("Save a diagnostic report")
        ask = Confirmation(
            title=title,
            question=self.tr("Hide your portal's address ({portal}) in the report?").format(
                portal=self.portal or portal_label(session.portal_url)
            ),
            details=self.tr(
                "The report records what the portal answers to a few requests that change "
                "nothing. It never holds the webhook code, tokens, task titles or people's "
                "names."
            ),
            accept_text=self.tr("Hide the address"),
        )
        log_file = None if self.services.is_demo else paths.log_path(self.services.environ)

        def answered(mask_host: bool) -> None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            suggested = str(self.services.export_dir / f"b24desk-diagnostic-{stamp}.json")
            chosen = self.services.save_path(self.window, title, suggested)
            if not chosen or self.session is not session:
                return
            target = Path(chosen)

            async def work(_: ProgressReporter) -> None:
                report = await run_diagnosis(
                    session.client, journal=session.journal, log_file=log_file, mask_host=mask_host
                )
                await asyncio.to_thread(report.write, target)

            def failed(error: Exception) -> None:
                if not isinstance(error, OSError):
                    self._report_problem(error, what="the diagnostic report")
                    return
                self.window.show_message(
                    self.tr(
                        "Could not write {path} ({reason}): choose another folder or file name."
                    ).format(path=target, reason=error.strerror or type(error).__name__),
                    15000,
                )

            saved = self.tr(
                "Saved the diagnostic report to {path}. It holds no secret and no names: "
                "send it to whoever supports b24desk for you."
            ).format(path=target)
            self.window.show_message(self.tr("Asking the portal for the diagnostic report…"))
            AsyncOp(work, parent=self, label="diagnose").on_success(
                lambda _: self.window.show_message(saved, 30000)
            ).on_failure(failed).run()

        self.ask(ask, answered)

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
            self._close_when_idle = True
            self.cancel()
            self.window.show_message(
                self.tr(
                    "Stopping: nothing more is sent; the window closes once what was on its way "
                    "is checked (a few seconds)."
                )
            )
            return False
        if self.op is not None and not self.op.done():
            self.op.cancel()
        self._events.close()
        self.settings.save(self.window)
        return True


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
    collections go on as usual; only the old generation waits, and is collected once at
    the end. Then everything alive is moved out of the collector's way (`gc.freeze`), so
    later full collections (while renewing, say) do not walk the rows either.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, max(old, FULL_GC_EVERY_WHILE_LOADING))

    def resume() -> None:
        gc.set_threshold(young, middle, old)
        # One full collection now frees what the held-back ones would have (httpx keeps
        # each answer's body in a reference cycle: ~1 KB per task); only then is what is
        # left, the rows above all, frozen.
        gc.collect()
        gc.freeze()

    return resume


class _RunProgress:
    """Engine progress as "<text>" filled in with {done} and {total}, plus the time left;
    a wait for the portal replaces the text until the next progress."""

    def __init__(self, progress: ProgressReporter, text: str) -> None:
        self.progress = progress
        self.text = text
        self.last = Progress(0, 0, {})

    def __call__(self, update: Progress) -> None:
        self.last = update
        line = self.text.format(done=count_text(update.done), total=count_text(update.total))
        left = time_left(update.eta_s) if update.done < update.total else ""
        self.progress.report(update.done, update.total, f"{line} ({left})" if left else line)

    def waiting(self, wait: Wait) -> None:
        self.progress.report(self.last.done, self.last.total, wait_sentence(wait))
