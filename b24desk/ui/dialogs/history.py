"""The history of runs on this portal: undo one, or export its results to CSV."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from b24desk.core.connection import portal_label
from b24desk.core.i18n import QT_TRANSLATE_NOOP
from b24desk.core.renew.records import RunRecord
from b24desk.ui.models.outcomes import Tone, tone_colour
from b24desk.ui.models.runs import RunColumn, RunHistoryModel, can_undo
from b24desk.ui.widgets.local_clock import local_zone_text

EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "HistoryDialog", "No runs yet. Every renew, retry and undo you do is listed here."
)


class HistoryDialog(QDialog):
    undo_requested = Signal(str)
    export_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(self.tr("History of runs"))
        self.setAccessibleName(self.tr("History of runs"))
        self.resize(900, 420)
        self.model = RunHistoryModel(self)

        self.intro = QLabel(self.tr("Loading the journal…"))
        self.intro.setWordWrap(True)
        self.view = QTableView()
        self.view.setObjectName("runsView")
        self.view.setAccessibleName(self.tr("Runs, newest first"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        # A selected row selects every column: highlighted (bold) headers would outgrow the
        # widths measured for them and be cut off.
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RunColumn.STATE, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel()
        self.note.setObjectName("historyNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.undo_button = QPushButton(self.tr("Undo this run…"))
        self.undo_button.setObjectName("historyUndo")
        self.undo_button.setToolTip(
            self.tr("Complete again the tasks this run reopened (you confirm first)")
        )
        self.export_button = QPushButton(self.tr("Export to CSV…"))
        self.export_button.setObjectName("historyExport")
        self.export_button.setToolTip(
            self.tr("Save every task of this run with its outcome, reason and time, for Excel")
        )
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

        self.undo_button.clicked.connect(self._undo)
        self.export_button.clicked.connect(self._export)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def set_runs(self, runs: Iterable[RunRecord], *, portal: str | None = None) -> None:
        """Show the runs (only those on `portal` when given), newest first."""
        chosen = [run for run in runs if portal is None or run.portal == portal]
        self.model.set_runs(chosen)
        if chosen:
            if portal:
                intro = self.tr(
                    "Runs on {portal}, newest first. Select one to undo it or to export its "
                    "results."
                ).format(portal=portal_label(portal))
            else:
                intro = self.tr(
                    "Runs, newest first. Select one to undo it or to export its results."
                )
            zone = local_zone_text()
            clock = self.tr("Times are this computer's local time ({zone}).").format(zone=zone)
            self.intro.setText(f"{intro} {clock}")
            self.view.selectRow(0)
            self._fit_columns()
        else:
            self.intro.setText(QCoreApplication.translate("HistoryDialog", EMPTY_TEXT))

    def _fit_columns(self) -> None:
        """Widen the dialog (within the screen) until every column shows in full: longer
        headers, as in Russian, must not squeeze the last column."""
        if not self.isVisible() or not self.model.rowCount():
            return  # measured once shown and filled: hidden widgets have no real size
        view = self.view
        header = view.horizontalHeader()
        needed = sum(
            max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
            for column in range(self.model.columnCount())
        )
        needed += view.verticalScrollBar().sizeHint().width() + 2 * view.frameWidth()
        missing = needed - view.width()
        if missing <= 0:
            return
        screen = self.screen().availableGeometry().width() if self.screen() else needed
        self.resize(min(self.width() + missing, screen - 40), self.height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()

    def selected_run(self) -> RunRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.run_at(rows[0].row()) if rows else None

    def select_run(self, run_id: str) -> bool:
        for row, run in enumerate(self.model.runs()):
            if run.run_id == run_id:
                self.view.selectRow(row)
                return True
        return False

    def show_note(self, text: str) -> None:
        self.note.setStyleSheet("")
        self.note.setText(text)

    def show_problem(self, text: str) -> None:
        self.note.setStyleSheet(f"color: {tone_colour(Tone.BAD, self.palette()).name()};")
        self.note.setText(text)

    def _update_buttons(self, *_: object) -> None:
        run = self.selected_run()
        self.export_button.setEnabled(run is not None)
        self.undo_button.setEnabled(run is not None and can_undo(run, self.model.runs()))

    def _undo(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.undo_requested.emit(run.run_id)

    def _export(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.export_requested.emit(run.run_id)
