"""What the window's features share: one `DeskState` per window.

It holds the services, the session in use and who it belongs to, and the one long operation
running now (`phase`, `op`): connecting, loading, checking a selection, confirming, renewing
or undoing. Features start their ops through `start()`, which marks the window busy, and
every op ends with `set_idle()`; `report_problem()` says an error in plain words in the
problems panel and the status bar. `error_text()` turns any error an op may end with into
that plain sentence and a code.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.bitrix.errors import B24Error
from b24desk.core.connection import ConnectionVerdict, verdict_for_error
from b24desk.core.credentials import KeyringUnavailable, ProfileError, WebhookUrlError
from b24desk.core.i18n import translate
from b24desk.core.redact import redact
from b24desk.core.renew.journal import JournalError
from b24desk.core.renew.records import RunNotFound
from b24desk.core.session import PortalSession
from b24desk.ui.bridge import AsyncOp, OpHandle, ProgressUpdate
from b24desk.ui.dialogs.confirm import Confirmation
from b24desk.ui.services import Services
from b24desk.ui.settings import WindowSettings
from b24desk.ui.widgets.main_window import Activity, MainWindow

logger = logging.getLogger(__name__)


class Phase(enum.Enum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LOADING = "loading"
    CHECKING = "checking"
    CONFIRMING = "confirming"
    RENEWING = "renewing"
    UNDOING = "undoing"


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


class DeskState(QObject):
    """The window, the services, the connection in use and the operation running now."""

    idle = Signal()
    """No operation is running any more."""

    def __init__(self, window: MainWindow, services: Services) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        """Swapped for the demo's when the admin tries the demo portal (see `connecting`)."""
        self.settings = WindowSettings(services.settings)
        self.session: PortalSession | None = None
        self.verdict: ConnectionVerdict | None = None
        self.profile_name: str | None = None
        self.target_portal = ""
        """The portal being connected to, for messages until a verdict is in."""
        self.phase = Phase.IDLE
        self.op: OpHandle[Any] | None = None
        self.close_when_idle = False
        """Close the window once the running operation has ended (see the close guard)."""

    @property
    def portal(self) -> str:
        """The portal in use, or the one being connected to (for messages)."""
        return self.verdict.portal if self.verdict else self.target_portal

    @property
    def busy(self) -> bool:
        return self.phase is not Phase.IDLE

    def start(self, phase: Phase, op: AsyncOp[Any]) -> OpHandle[Any]:
        """Run `op` as the one long operation of the window, in `phase`."""
        self.phase = phase
        handle = self.op = op.run()
        # Runs after the op's own callbacks (added later to the same task).
        handle.task.add_done_callback(lambda _: self._not_left_busy(handle, phase))
        return handle

    def _not_left_busy(self, handle: OpHandle[Any], phase: Phase) -> None:
        """Safety net: a step whose callbacks raised must not leave the window busy forever."""
        if self.op is handle and self.phase is phase:
            logger.warning("%s ended without moving on; back to idle", phase.value)
            self.set_idle()

    def set_idle(self) -> None:
        self.phase = Phase.IDLE
        self.op = None
        self.window.set_busy(Activity.IDLE)
        self.idle.emit()
        if self.close_when_idle:
            self.close_when_idle = False
            self.window.close()

    def report_problem(self, error: BaseException, *, what: str) -> None:
        """Say `error` in the problems panel and the status bar; log it as it deserves."""
        message, code = error_text(error, self.portal)
        if is_journal_problem(error):
            # A condition the admin can act on (disk full, journal moved), not a bug.
            logger.warning("%s failed: %s", what, message)
        elif not isinstance(error, B24Error | ProfileError | WebhookUrlError | KeyringUnavailable):
            logger.error("%s failed: %s", what, type(error).__name__, exc_info=error)
        self.window.add_error(message, code=code)
        self.window.show_message(message, 15000)

    def wait_text(self) -> str:
        return self.tr("Wait until the current operation has finished.")

    def ask(self, confirmation: Confirmation, answered: Callable[[bool], None]) -> None:
        """Ask the admin (a message box, or the tests' stand-in) and call `answered`."""
        self.services.confirm(self.window, confirmation, answered)

    def show_progress(self, update: ProgressUpdate) -> None:
        self.window.set_progress(update.done, update.total, update.text)
