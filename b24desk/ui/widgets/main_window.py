"""The main window: toolbar, filters, the task table, the problems dock and the status bar.

The window does no I/O and knows nothing of Bitrix24. A controller connects it to the core:
it listens to the `*_requested` signals and feeds results back through the plain methods
(`append_tasks`, `set_outcome`, `add_error`, `set_progress`, `set_busy`, ...).
"""

from __future__ import annotations

import enum
import platform
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from b24desk import __version__ as B24DESK_VERSION
from b24desk.core import paths
from b24desk.core.bitrix.users import UserDetails, distinct_labels, namesakes
from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.model import TaskFilter, TaskOutcome, TaskRecord
from b24desk.ui.dialogs.guide import GuideDialog
from b24desk.ui.language import LANGUAGE_NAMES, SYSTEM, count_text
from b24desk.ui.message_keys import MessageKey, message_key, render
from b24desk.ui.models import ErrorEntry, ErrorLogModel, TaskFilterProxy, TaskTableModel
from b24desk.ui.models.outcomes import outcome_text
from b24desk.ui.models.tasks import Column, RecordRole, TaskItem
from b24desk.ui.widgets.error_panel import ErrorPanel
from b24desk.ui.widgets.filter_bar import FilterBar
from b24desk.ui.widgets.local_clock import show_local_time
from b24desk.ui.widgets.task_table import TaskTable, merged_row_spans

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

TITLE_ROOM = 220
"""On a narrow window the name, group and status columns give way until Title has this much."""
SHRINKABLE_COLUMNS = (
    Column.RESPONSIBLE,
    Column.CREATOR,
    Column.GROUP,
    Column.CLOSED_BY,
    Column.STATUS,
)
SHRINK_AT_MOST = 0.6
"""A column keeps at least this share of its width (its header stays readable)."""

RESOLVING_OUTCOMES = frozenset({TaskOutcome.RENEWED, TaskOutcome.ALREADY_OPEN})
"""A task's earlier problem is over once a later run ends with one of these."""


_REOPENED = (TaskOutcome.RENEWED, TaskOutcome.ALREADY_OPEN)
"""Rows "Renew selected" leaves out: this window saw them reopened."""
_COUNT_RENEWABLE_UP_TO = 5_000
"""Above this many selected rows the button shows the selection, not the exact count."""


class Activity(enum.Enum):
    IDLE = "idle"
    LOADING = "loading"
    RENEWING = "renewing"


class MainWindow(QMainWindow):
    load_requested = Signal()
    stop_requested = Signal()
    renew_requested = Signal(list)
    """Ids of the selected visible rows, in display order."""
    awaiting_control_toggled = Signal(bool)
    """Tasks > Include tasks awaiting control was ticked or cleared."""
    check_requested = Signal(list)
    """"Check first": ids of the selected visible rows, to ask whether they may be reopened."""
    cancel_requested = Signal()
    retry_failed_requested = Signal(list)
    """Ids of every row whose outcome is FAILED."""
    undo_requested = Signal()
    open_task_requested = Signal(int)
    filter_changed = Signal(object)
    """The `TaskFilter` now in force (already applied to the table)."""
    setup_requested = Signal()
    history_requested = Signal()
    profile_requested = Signal(str)
    """The name of the saved connection the user switched to."""
    remove_profile_requested = Signal()
    """Forget the connection in use (the controller asks first)."""
    language_requested = Signal(str)
    diagnose_requested = Signal()
    """Help > Save a diagnostic report…, or the same button in the Problems panel."""
    user_details_wanted = Signal(list)
    """Ids of responsibles who share a name with another, once the loaded rows settle:
    the controller answers with `set_user_details` (what tells them apart)."""
    """View > Language: "system", "en" or "ru"."""

    def __init__(self, parent: QWidget | None = None, *, filter_debounce_ms: int = 250) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.resize(self._first_size())
        self._activity = Activity.IDLE
        self._undo_available = False
        self._icon_sources: dict[QAction, QStyle.StandardPixmap] = {}
        self._connection_state = "none"  # "none", "connecting" or "connected"
        self._title_parts: tuple[str, str, bool] = ("", "", False)  # portal, user, demo
        self._said_disconnected = False
        self._loaded = False  # a load ran to its end since the table was last cleared
        self._action_texts: dict[QAction, tuple[str, str]] = {}
        self._reason_keys: dict[int, MessageKey] = {}
        """Task id -> the catalog message its Status reason is, to show it in a new language."""
        self._user_details: dict[int, UserDetails] = {}
        """What tells namesakes apart (department, e-mail), as the controller fetched it."""
        self._hidden_selected: set[int] = set()
        """Selected tasks the filters hide now: selected again when the filters show them."""
        self.close_guard: Callable[[], bool] | None = None
        """Asked before the window closes; returning False keeps it open (e.g. mid-run)."""

        self.task_model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self.task_model, self)
        self.error_model = ErrorLogModel(self)

        self.filter_bar = FilterBar(debounce_ms=filter_debounce_ms)
        self.table = TaskTable(self.proxy)
        show_local_time(self.table)
        header = self.table.horizontalHeader()
        self._auto_widths = {c: header.sectionSize(c) for c in SHRINKABLE_COLUMNS}
        """The widths b24desk chose: columns the user sized (or restored) are left alone."""
        self.table.viewport().installEventFilter(self)
        self.table.set_placeholder(NOT_CONNECTED_TEXT)
        self.demo_banner = QLabel()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setTextFormat(Qt.TextFormat.RichText)
        # Fixed colours on purpose: the banner must stand out the same on any theme.
        self.demo_banner.setStyleSheet(
            "QLabel#demoBanner { background: #fff1c2; color: #4a3500; "
            "border: 1px solid #d9a400; border-radius: 4px; padding: 6px 10px; }"
        )
        self.demo_banner.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)

        self.error_panel = ErrorPanel(self.error_model, self)
        self.error_panel.set_title_lookup(self._task_title)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.error_panel)
        self.resizeDocks([self.error_panel], [170], Qt.Orientation.Vertical)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.table.context_actions = [
            self.action_copy_ids,
            self.action_select_all,
            self.action_select_none,
            self.action_invert,
        ]

        self._counter_timer = self._coalescer(self._refresh_counters)
        self._resolved: set[int] = set()
        self._resolve_timer = self._coalescer(self._resolve_pending)
        self._choices_timer = self._coalescer(self._refresh_choices, interval_ms=200)
        self._connect()
        self.retranslate_ui()

    # -- construction ---------------------------------------------------------------------

    @staticmethod
    def _first_size() -> QSize:
        """1180 by 720, or less on a smaller screen (a 1024 by 600 netbook)."""
        wanted = QSize(1180, 720)
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return wanted
        room = screen.availableGeometry().size()
        return wanted.boundedTo(room) if room.isValid() else wanted

    def _coalescer(self, slot: object, interval_ms: int = 0) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    def _action(
        self,
        name: str,
        *,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: QStyle.StandardPixmap | None = None,
    ) -> QAction:
        """An action whose texts `retranslate_ui` sets (through `_set_texts`)."""
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            self._icon_sources[action] = icon
            action.setIcon(self._icon(icon))
        self.addAction(action)  # shortcuts work even when the toolbar is hidden
        return action

    def _set_texts(self, action: QAction, text: str, tip: str) -> None:
        if not action.shortcut().isEmpty():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
        action.setText(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self._action_texts[action] = (text, tip)

    # Black-only standard icons vanish on a dark palette; those are repainted in the
    # palette's text colour. The coloured ones (stop, cancel, reload) are left alone.
    _MONOCHROME_ICONS = (
        QStyle.StandardPixmap.SP_ArrowDown,
        QStyle.StandardPixmap.SP_MediaPlay,
        QStyle.StandardPixmap.SP_ArrowBack,
    )

    def _icon(self, which: QStyle.StandardPixmap) -> QIcon:
        icon = self.style().standardIcon(which)
        if which not in self._MONOCHROME_ICONS:
            return icon
        tinted = QIcon()
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        for size in (16, 24, 32):
            pixmap = QPixmap(icon.pixmap(size, size))
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(pixmap.rect(), colour)
            painter.end()
            tinted.addPixmap(pixmap)
        return tinted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._give_title_room()
        return super().eventFilter(watched, event)

    def _give_title_room(self) -> None:
        """Title stretches into the spare width; on a narrow window (1024 px) there is
        little, so the name, group and status columns narrow until Title has some."""
        header = self.table.horizontalHeader()
        if header.sectionSize(Column.TITLE) >= TITLE_ROOM:
            return
        shrinkable = [c for c in SHRINKABLE_COLUMNS if not header.isSectionHidden(c)]
        widths = {c: header.sectionSize(c) for c in shrinkable}
        if any(width != self._auto_widths.get(c) for c, width in widths.items()):
            return  # the user's widths
        total = sum(widths.values())
        fixed = sum(
            header.sectionSize(c)
            for c in Column
            if c is not Column.TITLE and c not in widths and not header.isSectionHidden(c)
        )
        room = self.table.viewport().width() - fixed - TITLE_ROOM
        if total <= 0 or room >= total:
            return
        scale = max(room / total, SHRINK_AT_MOST)
        for column, width in widths.items():
            narrower = max(header.minimumSectionSize(), int(width * scale))
            self._auto_widths[column] = narrower
            header.resizeSection(column, narrower)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_icon_sources"):
            for action, which in self._icon_sources.items():
                action.setIcon(self._icon(which))
        elif event.type() == QEvent.Type.LanguageChange and hasattr(self, "counters_label"):
            self.retranslate_ui()

    def _build_actions(self) -> None:
        pixmap = QStyle.StandardPixmap
        self.action_load = self._action(
            "actionLoad", shortcut=QKeySequence.StandardKey.Refresh, icon=pixmap.SP_ArrowDown
        )
        self.action_stop = self._action("actionStop", shortcut="Esc", icon=pixmap.SP_BrowserStop)
        self.action_renew = self._action("actionRenew", shortcut="Ctrl+R", icon=pixmap.SP_MediaPlay)
        self._renew_tip = ""
        self.action_check = self._action(
            "actionCheck", shortcut="Ctrl+Shift+K", icon=pixmap.SP_FileDialogInfoView
        )
        self.action_awaiting = self._action("actionAwaitingControl")
        self.action_awaiting.setCheckable(True)
        self.action_cancel = self._action(
            "actionCancel", shortcut="Esc", icon=pixmap.SP_DialogCancelButton
        )
        self.action_retry = self._action(
            "actionRetry", shortcut="Ctrl+Shift+R", icon=pixmap.SP_BrowserReload
        )
        self.action_undo = self._action(
            "actionUndo", shortcut=QKeySequence.StandardKey.Undo, icon=pixmap.SP_ArrowBack
        )
        self.action_select_all = self._action("actionSelectAll", shortcut="Ctrl+A")
        self.action_select_none = self._action("actionSelectNone", shortcut="Ctrl+Shift+A")
        self.action_invert = self._action("actionInvertSelection", shortcut="Ctrl+I")
        self.action_copy_ids = self._action("actionCopyIds")
        self.action_find = self._action("actionFind", shortcut="Ctrl+F")
        self.action_clear_filters = self._action("actionClearFilters")
        self.action_history = self._action("actionHistory", shortcut="Ctrl+H")
        self.action_setup = self._action("actionSetup", shortcut="Ctrl+,")
        self.action_remove_profile = self._action("actionRemoveProfile")
        self.action_remove_profile.setEnabled(False)
        self.action_about = self._action("actionAbout")
        self.action_guide = self._action(
            "actionGuide", shortcut=QKeySequence.StandardKey.HelpContents
        )
        self.action_diagnose = self._action("actionDiagnose")
        self.action_toggle_problems = self.error_panel.toggleViewAction()
        self.action_toggle_problems.setShortcut(QKeySequence("Ctrl+E"))
        self._language_group = QActionGroup(self)
        self._language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for choice in (SYSTEM, *LANGUAGE_NAMES):
            action = QAction(LANGUAGE_NAMES.get(choice, ""), self)
            action.setObjectName(f"language:{choice}")
            action.setCheckable(True)
            action.triggered.connect(
                lambda _=False, chosen=choice: self.language_requested.emit(chosen)
            )
            self._language_group.addAction(action)
            self.language_actions[choice] = action

    def _retranslate_actions(self) -> None:
        texts = self._set_texts
        texts(
            self.action_load,
            self.tr("Load tasks"),
            self.tr("Fetch the completed tasks from the portal"),
        )
        texts(
            self.action_stop,
            self.tr("Stop loading"),
            self.tr("Stop fetching tasks; the ones already loaded stay"),
        )
        texts(
            self.action_renew,
            self.tr("Renew selected"),
            self.tr("Reopen the selected tasks on the portal (you confirm first)"),
        )
        self._renew_tip = self.action_renew.toolTip()
        texts(
            self.action_awaiting,
            self.tr("Include tasks awaiting control"),
            self.tr(
                "Also load tasks finished but not yet accepted by their creator; they are "
                "reopened or returned for rework, whichever Bitrix24 allows you"
            ),
        )
        texts(
            self.action_check,
            self.tr("Check first"),
            self.tr("Ask the portal whether you may reopen each selected task; nothing is changed"),
        )
        texts(
            self.action_cancel,
            self.tr("Cancel renewal"),
            self.tr("Stop renewing; tasks already reopened stay reopened"),
        )
        texts(
            self.action_retry,
            self.tr("Retry failed"),
            self.tr("Try again to reopen the tasks that failed"),
        )
        texts(
            self.action_undo,
            self.tr("Undo last run"),
            self.tr("Complete again the tasks the last run reopened"),
        )
        texts(self.action_select_all, self.tr("Select all"), self.tr("Select every task shown"))
        texts(self.action_select_none, self.tr("Select none"), self.tr("Clear the selection"))
        texts(
            self.action_invert,
            self.tr("Invert selection"),
            self.tr("Select the shown tasks that are not selected, and unselect the others"),
        )
        texts(
            self.action_copy_ids,
            self.tr("Copy task IDs"),
            self.tr("Copy the selected task numbers"),
        )
        texts(self.action_find, self.tr("Search"), self.tr("Search the loaded tasks"))
        texts(
            self.action_clear_filters,
            self.tr("Clear filters"),
            self.tr("Show all loaded tasks again"),
        )
        texts(
            self.action_history,
            self.tr("History of runs…"),
            self.tr("Earlier renew runs: undo one, or export its results to a CSV file"),
        )
        texts(
            self.action_setup,
            self.tr("Set up a connection…"),
            self.tr("Add your Bitrix24 portal by pasting its incoming webhook address"),
        )
        texts(
            self.action_remove_profile,
            self.tr("Remove this connection…"),
            self.tr("Forget the connection in use: its settings and its secret"),
        )
        texts(
            self.action_guide,
            self.tr("Getting started"),
            self.tr("What a webhook is, how to make one, and what each result means"),
        )
        texts(
            self.action_about,
            self.tr("About b24desk"),
            self.tr("The version of b24desk and where it keeps its files"),
        )
        texts(
            self.action_diagnose,
            self.tr("Save a diagnostic report…"),
            self.tr(
                "Save what the portal answers to a few read-only requests, to send when "
                "something does not work (no secrets, no names)"
            ),
        )
        self.action_toggle_problems.setText(self.tr("Problems panel"))
        self.language_actions[SYSTEM].setText(self.tr("System language"))

    def _build_toolbar(self) -> None:
        toolbar = QToolBar()
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.action_load)
        toolbar.addAction(self.action_stop)
        toolbar.addSeparator()
        toolbar.addAction(self.action_check)
        toolbar.addAction(self.action_renew)
        toolbar.addAction(self.action_cancel)
        toolbar.addSeparator()
        toolbar.addAction(self.action_retry)
        toolbar.addAction(self.action_undo)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.tasks_menu = bar.addMenu("")
        self.tasks_menu.addActions([self.action_load, self.action_stop, self.action_awaiting])
        self.tasks_menu.addSeparator()
        self.tasks_menu.addActions([self.action_check, self.action_renew, self.action_cancel])
        self.tasks_menu.addSeparator()
        self.tasks_menu.addActions([self.action_retry, self.action_undo])
        self.tasks_menu.addSeparator()
        self.tasks_menu.addAction(self.action_history)
        self.connection_menu = bar.addMenu("")
        self.connection_menu.addAction(self.action_setup)
        self.profiles_menu = self.connection_menu.addMenu("")
        self.profiles_menu.setObjectName("profilesMenu")
        self.profiles_menu.setEnabled(False)
        self.connection_menu.addSeparator()
        self.connection_menu.addAction(self.action_remove_profile)
        self._profile_group = QActionGroup(self)
        self._profile_group.setExclusive(True)
        self.selection_menu = bar.addMenu("")
        self.selection_menu.addActions(
            [self.action_select_all, self.action_select_none, self.action_invert]
        )
        self.selection_menu.addSeparator()
        self.selection_menu.addAction(self.action_copy_ids)
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.action_find, self.action_clear_filters])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.action_toggle_problems)
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        self.language_menu.addAction(self.language_actions[SYSTEM])
        self.language_menu.addSeparator()
        self.language_menu.addActions([self.language_actions[code] for code in LANGUAGE_NAMES])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.action_guide)
        self.help_menu.addAction(self.action_diagnose)
        self.help_menu.addAction(self.action_about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.demo_label = QLabel()
        self.demo_label.setObjectName("demoBadge")
        self.demo_label.setStyleSheet(
            "QLabel { background: #c62828; color: white; font-weight: bold; border-radius: 3px; }"
        )
        self.demo_label.hide()
        self.activity_label = QLabel()
        self.activity_label.setObjectName("activityLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setFixedWidth(180)
        self.progress_bar.setFormat("%p%")
        self.progress_bar.hide()
        self.counters_label = QLabel()
        self.counters_label.setObjectName("countersLabel")
        status.addPermanentWidget(self.activity_label)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.counters_label)
        status.addPermanentWidget(self.demo_label)

    def retranslate_ui(self) -> None:
        """(Re)read every text in the current language: at start and on LanguageChange."""
        self._retranslate_actions()
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        self.toolbar.setAccessibleName(self.tr("Main toolbar"))
        self.tasks_menu.setTitle(self.tr("&Tasks"))
        self.connection_menu.setTitle(self.tr("&Connection"))
        self.profiles_menu.setTitle(self.tr("&Switch to"))
        self.selection_menu.setTitle(self.tr("&Selection"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.language_menu.setToolTip(self.tr("The language of b24desk's window and messages"))
        self.demo_banner.setText(
            self.tr(
                "<b>DEMO</b> — this window works on a built-in sandbox portal with made-up "
                "tasks. Nothing you do here touches a real Bitrix24 portal. To work on your "
                "own portal, close b24desk and start it again from its icon or menu entry."
            )
        )
        demo_name = self.tr("Demo mode: a built-in sandbox portal, not a real one")
        self.demo_banner.setAccessibleName(demo_name)
        self.demo_label.setText(" {} ".format(self.tr("DEMO")))
        self.demo_label.setAccessibleName(demo_name)
        self.demo_label.setToolTip(self.tr("A built-in sandbox portal: nothing real is changed"))
        self.progress_bar.setAccessibleName(self.tr("Progress"))
        self.counters_label.setAccessibleName(self.tr("Task counters"))
        for model in (self.task_model, self.error_model):
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)
        self._retranslate_reasons()
        self.table.viewport().update()
        self.error_panel.view.viewport().update()
        self._update_title()
        self._refresh_counters()

    def about_text(self) -> str:
        """What the About box says: the version, the stack, and where the files are."""
        facts = [
            f"<h3>b24desk {B24DESK_VERSION}</h3>",
            "<p>{}</p>".format(self.tr("Reopen completed Bitrix24 tasks in bulk.")),
            "<p>{}</p>".format(
                self.tr("Journal and log: {folder}").format(folder=paths.data_dir())
            ),
            "<p>{}</p>".format(
                self.tr("Connection profiles: {folder}").format(folder=paths.config_dir())
            ),
            "<p>{}</p>".format(
                self.tr(
                    "Webhook addresses and tokens are kept only in the system's password store."
                )
            ),
            "<p><small>Qt {} · PySide6 {} · Python {}</small></p>".format(  # noqa: UP032
                qVersion(), PYSIDE_VERSION, platform.python_version()
            ),
        ]
        return "".join(facts)

    def show_guide(self) -> GuideDialog:
        """Help > Getting started (one at a time; it does not block the window)."""
        shown = self.findChild(GuideDialog)
        if shown is not None and shown.isVisible():
            shown.raise_()
            shown.activateWindow()
            return shown
        guide = GuideDialog(self)
        guide.show()
        return guide

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About b24desk"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def set_language_choice(self, choice: str) -> None:
        """Tick "System language", "English" or "Русский" in View > Language."""
        action = self.language_actions.get(choice)
        if action is not None:
            action.setChecked(True)

    def _connect(self) -> None:
        self.action_load.triggered.connect(self.load_requested)
        self.action_stop.triggered.connect(self.stop_requested)
        self.action_renew.triggered.connect(self._request_renew)
        self.action_check.triggered.connect(self._request_check)
        self.action_awaiting.toggled.connect(self.awaiting_control_toggled)
        self.action_cancel.triggered.connect(self.cancel_requested)
        self.action_retry.triggered.connect(self._request_retry)
        self.action_undo.triggered.connect(self.undo_requested)
        self.action_select_all.triggered.connect(self.table.select_all_rows)
        self.action_select_none.triggered.connect(self.table.select_no_rows)
        self.action_select_none.triggered.connect(self._forget_hidden_selection)
        self.action_invert.triggered.connect(self.table.invert_selection)
        self.action_copy_ids.triggered.connect(self.copy_selected_ids)
        self.action_find.triggered.connect(self.filter_bar.focus_search)
        self.action_clear_filters.triggered.connect(self.filter_bar.reset)
        self.action_history.triggered.connect(self.history_requested)
        self.action_setup.triggered.connect(self.setup_requested)
        self.action_remove_profile.triggered.connect(self.remove_profile_requested)
        self.action_about.triggered.connect(self.show_about)
        self.action_guide.triggered.connect(self.show_guide)
        self.action_diagnose.triggered.connect(self.diagnose_requested)
        self.error_panel.diagnose_requested.connect(self.diagnose_requested)

        self.filter_bar.filter_changed.connect(self._apply_filter)
        self.task_model.rowsInserted.connect(self._schedule_choices)
        self.task_model.rows_settled.connect(self._want_user_details)
        self.table.open_task_requested.connect(self.open_task_requested)
        self.table.selection_count_changed.connect(self._schedule_counters)
        self.error_panel.task_activated.connect(self._reveal_task)
        self.table.selectionModel().currentRowChanged.connect(self._show_row_details)
        self.table.selectionModel().currentRowChanged.connect(self._unmark_left_row)

        for signal in (
            self.task_model.rowsInserted,
            self.task_model.modelReset,
            self.task_model.outcomes_changed,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
            self.proxy.modelReset,
        ):
            signal.connect(self._schedule_counters)

    # -- the controller's interface -------------------------------------------------------

    @property
    def activity(self) -> Activity:
        return self._activity

    def append_tasks(self, tasks: Iterable[TaskItem]) -> None:
        """Add loaded tasks: records, or raw tasks as the portal lists them (decoded by the
        model in time-boxed slices); rows appear over the next turns of the event loop."""
        self.task_model.append_tasks(tasks)

    def clear_tasks(self) -> None:
        """Forget all rows, their outcomes and their problems (before a fresh load)."""
        self._loaded = False
        self.task_model.clear()
        self._reason_keys.clear()
        self._resolved.clear()
        self._hidden_selected.clear()
        self._user_details.clear()  # ids are the portal's: fetched again after the load
        self.error_model.clear()
        self._refresh_choices()
        self._update_placeholder()

    def set_loaded(self) -> None:
        """A load has run to its end: an empty table now means the portal has none."""
        self._loaded = True
        self._update_placeholder()

    def set_current_user(self, user_id: int | None) -> None:
        """The connection's own user: offered as "Me" in the Responsible filter."""
        self.filter_bar.set_me(user_id)

    def namesake_ids(self) -> list[int]:
        """Responsibles whose name another responsible shares and whose details are not
        known yet: the ids to ask the portal about (`set_user_details`)."""
        return [i for i in namesakes(self.task_model.people) if i not in self._user_details]

    def set_user_details(self, details: Mapping[int, UserDetails]) -> None:
        """Show namesakes with what tells them apart: "Maria Brown (Sales)"."""
        self._user_details.update(details)
        self._refresh_choices()

    def _want_user_details(self) -> None:
        # A closed window asks nothing: a load cancelled at shutdown settles its rows too,
        # and a request started then would outlive the event loop.
        ids = self.namesake_ids() if self.isVisible() else []
        if ids:
            self.user_details_wanted.emit(ids)

    def responsible_labels(self) -> dict[int, str]:
        """Responsible id -> the name the filter offers (namesakes told apart)."""
        return distinct_labels(self.task_model.people, self._user_details)

    def set_outcome(self, task_id: int, outcome: TaskOutcome, reason: str = "") -> bool:
        """Show where a task stands. Reopened (or found open) by a later run, its problem
        leaves the Problems panel."""
        key = message_key(reason) if reason else None
        if key is not None:
            self._reason_keys[task_id] = key
        else:
            self._reason_keys.pop(task_id, None)
        if outcome in RESOLVING_OUTCOMES and self.error_model.has_task(task_id):
            # Once per turn of the loop, not once per task: a retry of 1,000 tasks.
            self._resolved.add(task_id)
            self._resolve_timer.start()
        return self.task_model.set_outcome(task_id, outcome, reason)

    def _resolve_pending(self) -> None:
        resolved, self._resolved = self._resolved, set()
        self.error_model.resolve_tasks(resolved)

    def clear_outcomes(self) -> None:
        self._reason_keys.clear()
        self.task_model.clear_outcomes()

    def _retranslate_reasons(self) -> None:
        """Status reasons that are catalog messages, in the language now in force."""
        for task_id, key in list(self._reason_keys.items()):
            now = self.task_model.outcome_of(task_id)
            if now is not None:
                self.task_model.set_outcome(task_id, now[0], render(key))

    def _task_title(self, task_id: int) -> str | None:
        row = self.task_model.row_of(task_id)
        return self.task_model.record_at(row).title if row is not None else None

    def add_error(
        self,
        reason: str,
        *,
        code: str = "",
        task_id: int | None = None,
        when: datetime | None = None,
    ) -> ErrorEntry:
        """List a failure in the problems panel (its text is redacted) and show the panel."""
        entry = self.error_model.add_error(reason, code=code, task_id=task_id, when=when)
        self.error_panel.show()
        return entry

    def add_errors(self, entries: Iterable[ErrorEntry]) -> None:
        """List several ready-made (already redacted) entries at once."""
        batch = list(entries)
        if batch:
            self.error_model.add_entries(batch)
            self.error_panel.show()

    def clear_errors(self) -> None:
        self.error_model.clear()

    def set_progress(self, done: int, total: int | None = None, text: str = "") -> None:
        """Show progress; `total=None` (or 0) shows a busy bar when the total is unknown."""
        bar = self.progress_bar
        if total:
            bar.setRange(0, total)
            bar.setValue(min(done, total))
            self.activity_label.setText(
                text
                or self.tr("{done} of {total}").format(
                    done=count_text(done), total=count_text(total)
                )
            )
        else:
            bar.setRange(0, 0)
            if text:
                self.activity_label.setText(text)
        bar.show()

    def set_busy(self, activity: Activity) -> None:
        """Switch the buttons to what makes sense while loading, renewing or idle."""
        self._activity = activity
        idle = activity is Activity.IDLE
        if not idle:
            self.statusBar().clearMessage()  # the last run's summary is old news now
        self.progress_bar.setVisible(not idle)
        if idle:
            self.activity_label.clear()
            self.progress_bar.reset()
        elif activity is Activity.LOADING:
            self.activity_label.setText(self.tr("Loading tasks…"))
            self.progress_bar.setRange(0, 0)
        else:
            self.activity_label.setText(self.tr("Renewing…"))
        self._update_placeholder()
        self._update_actions()

    def set_undo_available(self, available: bool) -> None:
        self._undo_available = available
        self._update_actions()

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
                parts.append(self.tr("not connected"))
            self.setWindowTitle(" — ".join(parts))
            return
        if demo:
            parts.append(self.tr("DEMO"))
        parts.extend(part for part in (portal, user) if part)
        if self._connection_state == "connecting":
            parts.append(self.tr("connecting…"))
        self.setWindowTitle(" — ".join(parts))

    @property
    def is_connected(self) -> bool:
        return self._connection_state == "connected"

    def set_profiles(self, names: Iterable[str], current: str | None) -> None:
        """Offer the saved connections in Connection > Switch to; tick the current one."""
        names = list(names)
        self.profiles_menu.clear()
        for action in self._profile_group.actions():
            self._profile_group.removeAction(action)
            action.deleteLater()
        for name in names:
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.setObjectName(f"profile:{name}")
            action.triggered.connect(
                lambda _=False, chosen=name: self.profile_requested.emit(chosen)
            )
            self._profile_group.addAction(action)
            self.profiles_menu.addAction(action)
        self.profiles_menu.setEnabled(
            self._activity is Activity.IDLE and bool(self._profile_group.actions())
        )
        self.action_remove_profile.setEnabled(current is not None and current in names)

    def profile_names(self) -> list[str]:
        return [action.text() for action in self._profile_group.actions()]

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        super().closeEvent(event)

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def selected_task_ids(self) -> list[int]:
        return self.table.selected_task_ids()

    def failed_task_ids(self) -> list[int]:
        return self.task_model.task_ids_with(TaskOutcome.FAILED)

    def select_task(self, task_id: int) -> bool:
        return self.table.select_task(task_id)

    def current_filter(self) -> TaskFilter:
        return self.proxy.task_filter

    def counters_text(self) -> str:
        return self.counters_label.text()

    def copy_selected_ids(self) -> str:
        text = "\n".join(str(task_id) for task_id in self.selected_task_ids())
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    # -- internals ------------------------------------------------------------------------

    def _request_check(self) -> None:
        ids = self.selected_task_ids()
        if ids:
            self.check_requested.emit(ids)
        else:
            self.show_message(
                self.tr("Select the tasks to check first (Ctrl+A selects all shown).")
            )

    def _request_renew(self) -> None:
        selected = self.selected_task_ids()
        ids = self._not_reopened(selected)
        if ids:
            self.renew_requested.emit(ids)
        elif selected:
            self.show_message(self.tr("The selected tasks have been reopened already."))
        else:
            self.show_message(
                self.tr("Select the tasks to renew first (Ctrl+A selects all shown).")
            )

    def _request_retry(self) -> None:
        ids = self.failed_task_ids()
        if ids:
            self.retry_failed_requested.emit(ids)

    def _apply_filter(self, task_filter: TaskFilter) -> None:
        before = self.selected_task_ids() if self.table.selected_count() else []
        self.proxy.set_filter(task_filter)
        self._keep_hidden_selection(before)
        self._update_placeholder()
        self.filter_changed.emit(task_filter)

    def _keep_hidden_selection(self, selected_before: list[int]) -> None:
        """Selected rows a filter hides stay selected, out of sight; rows a filter shows
        again come back selected. The status bar counts the hidden ones."""
        hidden = self._hidden_selected
        if selected_before:
            still_shown = set(self.selected_task_ids())
            hidden.update(i for i in selected_before if i not in still_shown)
        if not hidden:
            return
        rows: list[int] = []
        for task_id in list(hidden):
            row = self.proxy.proxy_row_of(task_id)
            if row is not None:
                rows.append(row)
                hidden.discard(task_id)
            elif self.task_model.row_of(task_id) is None:
                hidden.discard(task_id)  # no longer loaded
        if rows:
            last_column = self.proxy.columnCount() - 1
            selection = QItemSelection()
            for top, bottom in merged_row_spans((row, row) for row in rows):
                selection.select(self.proxy.index(top, 0), self.proxy.index(bottom, last_column))
            self.table.selectionModel().select(
                selection,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._schedule_counters()

    def hidden_selected_count(self) -> int:
        """Selected tasks the filters hide now (not renewed or checked until shown)."""
        return len(self._hidden_selected)

    def _forget_hidden_selection(self) -> None:
        if self._hidden_selected:
            self._hidden_selected.clear()
            self._schedule_counters()

    def _reveal_task(self, task_id: int) -> None:
        """A click on a Problems entry: Ctrl held adds its row to the selection."""
        self.reveal_task(task_id, add=self.error_panel.adding())

    def reveal_task(self, task_id: int, *, add: bool = False) -> bool:
        """Scroll to `task_id`'s row and make it the current one.

        With at most one row selected, the row becomes the selection (nothing is lost).
        A bigger selection is kept as it is: the row is only highlighted as the current
        row (and its reason shown), or added to the selection with `add` (Ctrl+click).
        """
        row = self.proxy.proxy_row_of(task_id)
        if row is not None:
            selected = self.table.selected_count()
            if selected <= 1 and not self._hidden_selected and not add:
                self.table.select_task(task_id)
                self.proxy.mark_task(task_id)
            else:
                index = self.proxy.index(row, 0)
                flags = (
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows
                    if add
                    else QItemSelectionModel.SelectionFlag.NoUpdate
                )
                self.table.selectionModel().setCurrentIndex(index, flags)
                self.proxy.mark_task(task_id)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                if add:
                    text = self.tr("Task {id} added to the selection.").format(id=task_id)
                else:
                    text = self.tr(
                        "Task {id} is the highlighted row; your selection of %Ln task(s) is "
                        "kept (Ctrl+click the problem to add the task to it).",
                        "",
                        selected,
                    ).format(id=task_id)
                self.show_message(text, 10000)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if self.task_model.row_of(task_id) is not None:
            self.show_message(
                self.tr(
                    "Task {id} is hidden by the filters. Click “Clear filters” to see it."
                ).format(id=task_id)
            )
        else:
            self.show_message(self.tr("Task {id} is not in the loaded list.").format(id=task_id))
        return False

    def _unmark_left_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The tint of a row a Problems entry sent the user to lasts until they move on."""
        marked = self.proxy.marked_task()
        if marked is not None and (
            not current.isValid() or self.proxy.task_id_at(current.row()) != marked
        ):
            self.proxy.mark_task(None)

    def _show_row_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """A row with a result: its whole reason in the Problems panel's details pane (the
        Status column shows only its start)."""
        record = current.data(RecordRole) if current.isValid() else None
        if not isinstance(record, TaskRecord):
            return
        state = self.task_model.outcome_of(record.id)
        if state is None or not state[1]:
            return
        outcome, reason = state
        name = translate("Problems", "{title} (task {id})").format(title=record.title, id=record.id)
        self.error_panel.show_details(f"{name}\n{outcome_text(outcome)}\n{reason}")

    def _refresh_choices(self) -> None:
        self.filter_bar.set_choices(self.responsible_labels(), self.task_model.groups)
        span = self.task_model.closed_span()
        if span is not None:
            # Local days, as the Closed column shows them.
            self.filter_bar.set_date_bounds(self._local_day(span[0]), self._local_day(span[1]))

    def _schedule_choices(self, *_: object) -> None:
        if not self._choices_timer.isActive():
            self._choices_timer.start()

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

    @staticmethod
    def _local_day(moment: datetime) -> date:
        return (moment.astimezone() if moment.tzinfo else moment).date()

    def _schedule_counters(self, *_: object) -> None:
        # Never connect a signal straight to QTimer.start: its arguments would become msec.
        self._counter_timer.start()

    def _refresh_counters(self) -> None:
        total = self.task_model.rowCount()
        shown = self.proxy.rowCount()
        selected = self.table.selected_count()
        failed = self.task_model.outcome_count(TaskOutcome.FAILED)
        renewed = self.task_model.outcome_count(TaskOutcome.RENEWED)
        not_allowed = self.task_model.outcome_count(TaskOutcome.NOT_ALLOWED)
        tasks = self.tr("%Ln task(s)", "", total)
        if shown != total:
            tasks = self.tr("{tasks} ({shown} shown)").format(tasks=tasks, shown=count_text(shown))
        chosen = self.tr("{n} selected").format(n=count_text(selected))
        hidden = len(self._hidden_selected)
        if hidden:
            # "37 selected, 5 hidden by filters": the 5 are selected too, out of sight.
            chosen = self.tr("{selected}, %Ln hidden by filters", "", hidden).format(
                selected=chosen
            )
        parts = [tasks, chosen]
        if renewed:
            parts.append(self.tr("{n} renewed").format(n=count_text(renewed)))
        if not_allowed:
            parts.append(self.tr("{n} not allowed").format(n=count_text(not_allowed)))
        if failed:
            parts.append(self.tr("{n} failed").format(n=count_text(failed)))
        self.counters_label.setText(" · ".join(parts))
        self.counters_label.setToolTip(
            self.tr(
                "Selected tasks hidden by the filters stay selected: they are left out of "
                "“Renew selected” and “Check first” until the filters show them again "
                "(“Clear filters”). “Select none” unselects them too."
            )
            if hidden
            else ""
        )
        self._update_placeholder()
        self._update_actions(selected=selected, failed=failed)

    def _not_reopened(self, ids: list[int]) -> list[int]:
        """`ids` without the rows this window has already seen reopened."""
        model = self.task_model
        if not any(model.outcome_count(o) for o in _REOPENED):
            return ids
        return [i for i in ids if (model.outcome_of(i) or (None,))[0] not in _REOPENED]

    def _renewable_count(self, selected: int) -> int:
        """How many selected rows "Renew selected" would send (rows already reopened are
        left out); counted exactly up to a size where it stays instant."""
        if selected == 0 or selected > _COUNT_RENEWABLE_UP_TO:
            return selected
        return len(self._not_reopened(self.selected_task_ids()))

    def _update_actions(self, *, selected: int | None = None, failed: int | None = None) -> None:
        if selected is None:
            selected = self.table.selected_count()
        renewable = self._renewable_count(selected)
        if failed is None:
            failed = self.task_model.outcome_count(TaskOutcome.FAILED)
        idle = self._activity is Activity.IDLE
        self.action_load.setEnabled(idle)
        self.action_stop.setEnabled(self._activity is Activity.LOADING)
        self.action_cancel.setEnabled(self._activity is Activity.RENEWING)
        self.action_renew.setEnabled(idle and renewable > 0)
        self.action_check.setEnabled(idle and selected > 0)
        self.action_awaiting.setEnabled(idle)
        self.action_retry.setEnabled(idle and failed > 0)
        self.action_undo.setEnabled(idle and self._undo_available)
        # Changing the connection mid-operation would pull the portal from under it.
        self.action_setup.setEnabled(idle)
        self.action_diagnose.setEnabled(idle)
        self.profiles_menu.setEnabled(idle and bool(self._profile_group.actions()))
        self.action_copy_ids.setEnabled(selected > 0)
        renew_text = self._action_texts[self.action_renew][0]
        retry_text = self._action_texts[self.action_retry][0]
        self.action_renew.setText(
            f"{renew_text} ({count_text(renewable)})" if renewable else renew_text
        )
        self.action_renew.setToolTip(
            self._renew_tip if selected or not idle else self.tr("Select tasks in the table first")
        )
        self.action_retry.setText(f"{retry_text} ({count_text(failed)})" if failed else retry_text)
