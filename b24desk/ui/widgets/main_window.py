"""The main window: toolbar, filters, the task table, the problems dock and the status bar.

The window does no I/O and knows nothing of Bitrix24. A controller connects it to the core:
it listens to the `*_requested` signals and feeds results back through the plain methods
(`append_tasks`, `set_outcome`, `add_error`, `set_progress`, `set_busy`, ...).

`MainWindow` is put together from mixins, one module each: `window_actions` (actions,
toolbar, menus, status bar), `selection`, `window_outcomes` (Status reasons, Problems),
`filter_choices`, `connection_state` (title, empty-table texts), `title_room` and
`toolbar_room` (room for the Title column and for the toolbar's buttons). Their
strings are written `translate("MainWindow", ...)`: `self.tr` would file them under the
mixin's name. Texts with `%Ln` plurals stay in this module, under `self.tr`, because lupdate
marks a plural only there (it misses the count in `translate(context, text, "", n)`).
Methods that emit the window's signals stay here too, next to the signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QItemSelectionModel, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMainWindow, QStyle, QVBoxLayout, QWidget

from b24desk.core.bitrix.users import UserDetails
from b24desk.core.model import TaskFilter, TaskOutcome
from b24desk.ui.language import count_text
from b24desk.ui.message_keys import MessageKey
from b24desk.ui.models import ErrorLogModel, TaskFilterProxy, TaskTableModel
from b24desk.ui.models.tasks import TaskItem
from b24desk.ui.widgets.activity import Activity
from b24desk.ui.widgets.connection_state import APP_NAME, NOT_CONNECTED_TEXT, WindowConnection
from b24desk.ui.widgets.error_panel import ErrorPanel
from b24desk.ui.widgets.filter_bar import FilterBar
from b24desk.ui.widgets.filter_choices import WindowFilterChoices
from b24desk.ui.widgets.local_clock import show_local_time
from b24desk.ui.widgets.selection import WindowSelection
from b24desk.ui.widgets.task_table import TaskTable
from b24desk.ui.widgets.title_room import SHRINKABLE_COLUMNS, TitleRoom
from b24desk.ui.widgets.toolbar_room import ToolbarRoom
from b24desk.ui.widgets.window_actions import WindowActions
from b24desk.ui.widgets.window_outcomes import WindowOutcomes

__all__ = ["APP_NAME", "Activity", "MainWindow"]


class MainWindow(
    WindowSelection,
    WindowActions,
    WindowOutcomes,
    WindowFilterChoices,
    WindowConnection,
    TitleRoom,
    ToolbarRoom,
    QMainWindow,
):
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
    """View > Language: "system", "en" or "ru"."""
    diagnose_requested = Signal()
    """Help > Save a diagnostic report…, or the same button in the Problems panel."""
    user_details_wanted = Signal(list)
    """Ids of responsibles who share a name with another, once the loaded rows settle:
    the controller answers with `set_user_details` (what tells them apart)."""

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
        self._watch_toolbar_room()
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

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_icon_sources"):
            for action, which in self._icon_sources.items():
                action.setIcon(self._icon(which))
        elif event.type() == QEvent.Type.LanguageChange and hasattr(self, "counters_label"):
            self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """(Re)read every text in the current language: at start and on LanguageChange."""
        self._retranslate_actions()
        self._retranslate_chrome()
        for model in (self.task_model, self.error_model):
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)
        self._retranslate_reasons()
        self.table.viewport().update()
        self.error_panel.view.viewport().update()
        self._update_title()
        self._refresh_counters()

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
        for choice, action in self.language_actions.items():
            action.triggered.connect(
                lambda _=False, chosen=choice: self.language_requested.emit(chosen)
            )
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

    def _want_user_details(self) -> None:
        # A closed window asks nothing: a load cancelled at shutdown settles its rows too,
        # and a request started then would outlive the event loop.
        ids = self.namesake_ids() if self.isVisible() else []
        if ids:
            self.user_details_wanted.emit(ids)

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

    def current_filter(self) -> TaskFilter:
        return self.proxy.task_filter

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
