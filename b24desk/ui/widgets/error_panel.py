"""The dock that lists every failure of loading or renewing, grouped by cause."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QInputEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from b24desk.core.diagnose import is_unexpected_code
from b24desk.core.redact import redact
from b24desk.ui.language import count_text
from b24desk.ui.models import ErrorEntry, ErrorLogModel, TaskIdRole
from b24desk.ui.models.problems import (
    GroupKey,
    GroupKeyRole,
    ProblemColumn,
    ProblemGroupsModel,
    TitleLookup,
)

SMALL_GROUP = 3
"""A cause with this many tasks or fewer shows them at once; larger ones stay folded."""


class ErrorPanel(QDockWidget):
    """Problems grouped by cause, each with what to do; the selected line in full beside them.

    "Copy details" puts them on the clipboard for a support request. Clicking an entry that
    belongs to a task emits `task_activated(task_id)`.
    """

    task_activated = Signal(int)
    diagnose_requested = Signal()
    """"Save a diagnostic report": offered when an entry is an answer b24desk did not expect."""

    def __init__(self, model: ErrorLogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self._model = model
        self.groups = ProblemGroupsModel(model, self)
        self._folding: dict[GroupKey, bool] = {}
        """Causes the user opened (True) or closed (False); the others follow their size."""
        self._restoring = False

        self.view = QTreeView()
        self.view.setObjectName("errorView")
        self.view.setModel(self.groups)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ProblemColumn.PROBLEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ProblemColumn.FIX, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.view.setColumnWidth(ProblemColumn.COUNT, 56)
        self.view.setColumnWidth(ProblemColumn.TIME, 72)
        self._modifiers = Qt.KeyboardModifier.NoModifier
        """The keys held at the last click or key press on the list (Ctrl: add, not move)."""
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.clicked.connect(self._on_entry_activated)
        self.view.activated.connect(self._on_entry_activated)
        self.view.expanded.connect(self._remember_expanded)
        self.view.collapsed.connect(self._remember_collapsed)
        self.groups.modelReset.connect(self._restore_expanded)

        self.details = QPlainTextEdit()
        self.details.setObjectName("problemDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.selectionModel().selectionChanged.connect(self._show_details)
        self.view.selectionModel().currentChanged.connect(self._show_details)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)  # drawn in the muted "disabled" text colour

        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.splitter)

        self.resolved_label = QLabel()
        self.resolved_label.setObjectName("resolvedProblems")
        self.resolved_label.setEnabled(False)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyErrorDetails")
        self.copy_button.clicked.connect(self.copy_details)
        self.diagnose_button = QPushButton()
        self.diagnose_button.setObjectName("saveDiagnosticReport")
        self.diagnose_button.clicked.connect(self.diagnose_requested)
        self.diagnose_button.setVisible(False)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clearErrors")
        self.clear_button.clicked.connect(model.clear)

        buttons = QHBoxLayout()
        buttons.addWidget(self.diagnose_button)
        buttons.addWidget(self.resolved_label, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.clear_button)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 2, 6, 6)
        layout.addWidget(self._stack, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._refresh)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setAccessibleName(self.tr("Problems"))
        self.view.setAccessibleName(self.tr("List of problems"))
        self.empty_label.setText(
            self.tr(
                "No problems so far. If loading or renewing a task fails, the task, the reason "
                "and the time appear here."
            )
        )
        self.copy_button.setText(self.tr("Copy details"))
        self.copy_button.setToolTip(
            self.tr(
                "Copy the selected problems (or all of them) as text, e.g. for a support "
                "request. Webhook codes and tokens are never included."
            )
        )
        self.diagnose_button.setText(self.tr("Save a diagnostic report…"))
        self.diagnose_button.setToolTip(
            self.tr(
                "The portal gave an answer b24desk did not expect: save a report of what it "
                "answers (no secrets, no names) to send to whoever supports b24desk for you."
            )
        )
        self.clear_button.setText(self.tr("Clear list"))
        self.clear_button.setToolTip(self.tr("Remove every entry from this list"))
        self.details.setAccessibleName(self.tr("The selected problem in full"))
        self.resolved_label.setToolTip(
            self.tr(
                "Tasks that failed and that a later run (e.g. “Retry failed”) reopened: they "
                "are no longer listed."
            )
        )
        self.groups.refresh()
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "clear_button"):
            self.retranslate_ui()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kinds = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress)
        if event.type() in kinds and isinstance(event, QInputEvent):
            self._modifiers = event.modifiers()
        return super().eventFilter(watched, event)

    def adding(self) -> bool:
        """Whether the entry was chosen with Ctrl held (its task joins the selection)."""
        return bool(self._modifiers & Qt.KeyboardModifier.ControlModifier)

    @property
    def model(self) -> ErrorLogModel:
        return self._model

    def _refresh(self, *_: object) -> None:
        count = self._model.rowCount()
        self._stack.setCurrentWidget(self.splitter if count else self.empty_label)
        self.setWindowTitle(
            self.tr("Problems ({n})").format(n=count_text(count)) if count else self.tr("Problems")
        )
        self.copy_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)
        self.diagnose_button.setVisible(
            any(is_unexpected_code(entry.code) for entry in self._model.entries())
        )
        resolved = self._model.resolved_count
        self.resolved_label.setText(
            self.tr("%n task(s) put right by a later run", "", resolved) if resolved else ""
        )
        self._show_details()

    # -- folding: small causes show their tasks; what the user opened or closed stays so ------

    def _remember_expanded(self, index: QModelIndex) -> None:
        if not self._restoring:
            self._folding[index.data(GroupKeyRole)] = True

    def _remember_collapsed(self, index: QModelIndex) -> None:
        if not self._restoring:
            self._folding[index.data(GroupKeyRole)] = False

    def _restore_expanded(self) -> None:
        if not self._model.rowCount():
            self._folding.clear()
            return
        self._restoring = True
        try:
            for row in range(self.groups.group_count()):
                index = self.groups.index(row, 0)
                small = self.groups.rowCount(index) <= SMALL_GROUP
                self.view.setExpanded(index, self._folding.get(index.data(GroupKeyRole), small))
        finally:
            self._restoring = False

    # -- the selected line in full ---------------------------------------------------------

    def _show_details(self, *_: object) -> None:
        if not hasattr(self, "details"):
            return
        index = self.view.currentIndex()
        if not index.isValid():
            rows = self.view.selectionModel().selectedRows()
            index = rows[0] if rows else QModelIndex()
        if index.isValid():
            self.details.setPlainText(self.groups.details(index.siblingAtColumn(0)))
        else:
            self.details.setPlainText(
                self.tr(
                    "Select a line to read it in full. Each line is one cause with what to do "
                    "about it; open it to see its tasks."
                )
            )

    def show_details(self, text: str) -> None:
        """Show `text` in the details pane (e.g. the whole reason of the table's current row)."""
        self.details.setPlainText(text)

    def _on_entry_activated(self, index: QModelIndex) -> None:
        task_id = index.data(TaskIdRole)
        if task_id is not None:
            self.task_activated.emit(int(task_id))

    def selected_entries(self) -> list[ErrorEntry]:
        selection = self.view.selectionModel()
        if selection is None:
            return []
        chosen: dict[int, ErrorEntry] = {}
        for index in selection.selectedRows():
            for entry in self.groups.entries_of(index):
                chosen.setdefault(id(entry), entry)
        order = {id(entry): n for n, entry in enumerate(self._model.entries())}
        return sorted(chosen.values(), key=lambda entry: order.get(id(entry), 0))

    def details_text(self) -> str:
        """The selected entries, or all of them when none is selected, one per line."""
        entries = self.selected_entries() or self._model.entries()
        return redact("\n".join(entry.as_text() for entry in entries))

    def copy_details(self) -> str:
        text = self.details_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def set_title_lookup(self, lookup: TitleLookup) -> None:
        """Name tasks by their titles from the loaded list."""
        self.groups.set_title_lookup(lookup)
