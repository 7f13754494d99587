"""The main window's connection state: its title, the demo labels, and the text the empty
task table shows (how to connect, connecting, loading, nothing loaded, all filtered out).

A mixin of `MainWindow`; its strings keep the "MainWindow" translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMainWindow

from b24desk.core.i18n import QT_TRANSLATE_NOOP
from b24desk.ui.models import TaskTableModel
from b24desk.ui.widgets.activity import Activity
from b24desk.ui.widgets.task_table import TaskTable

translate = QCoreApplication.translate  # the name lupdate looks for

APP_NAME = "b24desk"

# Shown in the empty table; in English here, translated where they are shown.
EMPTY_TABLE_TEXT = QT_TRANSLATE_NOOP(
    "MainWindow",
    "No tasks loaded yet.\n\n"
    "Click “Load tasks” to fetch the completed tasks from your Bitrix24 portal. "
    "Nothing on the portal changes until you choose “Renew selected”.",
)
LOADING_TABLE_TEXT = QT_TRANSLATE_NOOP("MainWindow", "Loading completed tasks…")
NONE_LOADED_TEXT = QT_TRANSLATE_NOOP(
    "MainWindow",
    "The portal has no completed tasks that this connection's user can see.\n\n"
    "Only completed tasks can be reopened. Click “Load tasks” to look again later.",
)
FILTERED_OUT_TEXT = QT_TRANSLATE_NOOP(
    "MainWindow",
    "No loaded task matches the filters.\n\nClick “Clear filters” to see all tasks.",
)
NOT_CONNECTED_TEXT = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Not connected to a Bitrix24 portal yet.\n\n"
    "Choose Connection > “Set up a connection…” (Ctrl+,) and paste your portal's "
    "incoming webhook address.",
)
CONNECTING_TEXT = QT_TRANSLATE_NOOP("MainWindow", "Connecting to the portal…")

if TYPE_CHECKING:
    _Base = QMainWindow
else:
    _Base = object


class WindowConnection(_Base):
    """Where the window is connected to, as its title and empty table tell."""

    # Made by `MainWindow.__init__`.
    task_model: TaskTableModel
    table: TaskTable
    demo_label: QLabel
    demo_banner: QLabel
    _activity: Activity
    _connection_state: str
    """"none", "connecting" or "connected"."""
    _title_parts: tuple[str, str, bool]
    """The portal, the user, and whether it is the demo portal."""
    _said_disconnected: bool
    _loaded: bool
    """A load ran to its end since the table was last cleared."""

    def set_loaded(self) -> None:
        """A load has run to its end: an empty table now means the portal has none."""
        self._loaded = True
        self._update_placeholder()

    def set_connection(self, portal: str, user: str, *, demo: bool = False) -> None:
        """Title the window after the portal and user; label demo mode clearly."""
        self._title_parts = (portal, user, demo)
        self.demo_label.setVisible(demo)
        self.demo_banner.setVisible(demo)
        self._connection_state = "connected"
        self._update_title()
        self._update_placeholder()

    def set_connecting(self, portal: str = "", *, demo: bool = False) -> None:
        """Between choosing a connection and the portal's answer."""
        self._title_parts = (portal, "", demo)
        self.demo_label.setVisible(demo)
        self.demo_banner.setVisible(demo)
        self._connection_state = "connecting"
        self._update_title()
        self._update_placeholder()

    def set_disconnected(self) -> None:
        """No usable connection: the table explains how to add one."""
        self._connection_state = "none"
        self._said_disconnected = True
        self._update_title()
        self._update_placeholder()

    def _update_title(self) -> None:
        portal, user, demo = self._title_parts
        parts = [APP_NAME]
        if self._connection_state == "none":
            if self._said_disconnected:
                parts.append(translate("MainWindow", "not connected"))
            self.setWindowTitle(" — ".join(parts))
            return
        if demo:
            parts.append(translate("MainWindow", "DEMO"))
        parts.extend(part for part in (portal, user) if part)
        if self._connection_state == "connecting":
            parts.append(translate("MainWindow", "connecting…"))
        self.setWindowTitle(" — ".join(parts))

    @property
    def is_connected(self) -> bool:
        return self._connection_state == "connected"

    def _update_placeholder(self) -> None:
        if self.task_model.rowCount() or self.task_model.pending_count:
            text = FILTERED_OUT_TEXT
        elif self._activity is Activity.LOADING:
            text = LOADING_TABLE_TEXT
        elif self._connection_state == "connecting":
            text = CONNECTING_TEXT
        elif self._connection_state == "none":
            text = NOT_CONNECTED_TEXT
        elif self._loaded:
            text = NONE_LOADED_TEXT
        else:
            text = EMPTY_TABLE_TEXT
        self.table.set_placeholder(QCoreApplication.translate("MainWindow", text))
