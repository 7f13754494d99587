"""The dock that lists every failure of loading or renewing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from b24desk.core.diagnose import is_unexpected_code
from b24desk.core.redact import redact
from b24desk.ui.language import count_text
from b24desk.ui.models import ErrorColumn, ErrorEntry, ErrorLogModel, TaskIdRole


class ErrorPanel(QDockWidget):
    """Errors in plain words; "Copy details" puts them on the clipboard for a support request.

    Clicking an entry that belongs to a task emits `task_activated(task_id)`.
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

        self.view = QTableView()
        self.view.setObjectName("errorView")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(ErrorColumn.REASON, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(ErrorColumn.TIME, 80)
        self.view.setColumnWidth(ErrorColumn.TASK, 80)
        self.view.setColumnWidth(ErrorColumn.CODE, 190)
        self.view.clicked.connect(self._on_entry_activated)
        self.view.activated.connect(self._on_entry_activated)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)  # drawn in the muted "disabled" text colour

        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.view)

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
        buttons.addStretch(1)
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
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "clear_button"):
            self.retranslate_ui()

    @property
    def model(self) -> ErrorLogModel:
        return self._model

    def _refresh(self, *_: object) -> None:
        count = self._model.rowCount()
        self._stack.setCurrentWidget(self.view if count else self.empty_label)
        self.setWindowTitle(
            self.tr("Problems ({n})").format(n=count_text(count)) if count else self.tr("Problems")
        )
        self.copy_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)
        self.diagnose_button.setVisible(
            any(is_unexpected_code(entry.code) for entry in self._model.entries())
        )
        if count:
            self.view.scrollToBottom()

    def _on_entry_activated(self, index: QModelIndex) -> None:
        task_id = index.siblingAtColumn(ErrorColumn.TASK).data(TaskIdRole)
        if task_id is not None:
            self.task_activated.emit(int(task_id))

    def selected_entries(self) -> list[ErrorEntry]:
        selection = self.view.selectionModel()
        rows = sorted({index.row() for index in selection.selectedRows()}) if selection else []
        return [self._model.entry_at(row) for row in rows]

    def details_text(self) -> str:
        """The selected entries, or all of them when none is selected, one per line."""
        entries = self.selected_entries() or self._model.entries()
        return redact("\n".join(entry.as_text() for entry in entries))

    def copy_details(self) -> str:
        text = self.details_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return text
