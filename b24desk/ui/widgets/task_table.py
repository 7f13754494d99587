"""The table of loaded tasks: selection, sorting, opening a task on the portal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QContextMenuEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableView,
    QWidget,
)

from b24desk.ui.models import Column, TaskFilterProxy, TaskIdRole

# Starting widths; the title takes whatever is left so the Status column stays in view.
# Long failure reasons are elided here and shown whole in the tooltip and the Problems panel.
_COLUMN_WIDTHS: dict[Column, int] = {
    Column.ID: 64,
    Column.RESPONSIBLE: 130,
    Column.CREATOR: 120,
    Column.GROUP: 130,
    Column.CLOSED: 122,
    Column.CLOSED_BY: 120,
    Column.STATUS: 230,
}


def merged_row_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inclusive (top, bottom) row spans, sorted and with overlaps/neighbours merged."""
    merged: list[tuple[int, int]] = []
    for top, bottom in sorted(spans):
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def complement_spans(spans: Sequence[tuple[int, int]], row_count: int) -> list[tuple[int, int]]:
    """The rows of [0, row_count) not covered by the merged `spans`."""
    gaps: list[tuple[int, int]] = []
    next_free = 0
    for top, bottom in spans:
        if top > next_free:
            gaps.append((next_free, top - 1))
        next_free = max(next_free, bottom + 1)
    if next_free < row_count:
        gaps.append((next_free, row_count - 1))
    return gaps


class TaskTable(QTableView):
    """A view of a `TaskFilterProxy`.

    Row selection is counted from selection ranges, never by listing selected indexes, so
    select-all, invert and the counter stay instant with 100,000 rows.
    """

    open_task_requested = Signal(int)
    selection_count_changed = Signal(int)

    def __init__(self, proxy: TaskFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self._placeholder = ""
        self.context_actions: list[QAction] = []
        self.setModel(proxy)
        self.setObjectName("taskTable")
        self.setAccessibleName(self.tr("Completed tasks"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().setVisible(False)
        # Fixed row heights let Qt skip measuring 100k rows.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setMinimumSectionSize(48)
        for column, width in _COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(Column.CLOSED, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._emit_selection_count)
        # Bound methods, not timer.start itself: PySide would pass the signal's arguments
        # on to QTimer.start(msec) and turn a row number into a delay.
        self._selection().selectionChanged.connect(self._schedule_count)
        proxy.modelReset.connect(self._schedule_count)
        proxy.layoutChanged.connect(self._schedule_count)
        proxy.rowsRemoved.connect(self._schedule_count)
        self.doubleClicked.connect(self._on_double_clicked)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Completed tasks"))

    def setSelectionModel(self, selection_model: QItemSelectionModel) -> None:
        super().setSelectionModel(selection_model)
        # A header paints each section after asking its selection model whether the whole
        # column is selected, which walks every row: with 100,000 rows selected that froze
        # the window for seconds. Section highlighting is off, so the header gets a
        # selection model of its own that never holds a selection.
        self._header_selection = QItemSelectionModel(self.model(), self)
        self.horizontalHeader().setSelectionModel(self._header_selection)

    def _selection(self) -> QItemSelectionModel:
        model = self.selectionModel()
        assert model is not None
        return model

    # -- placeholder for an empty table -------------------------------------------------

    def set_placeholder(self, text: str) -> None:
        """Text shown in the middle of the table while it has no rows."""
        self._placeholder = text
        self.viewport().update()

    @property
    def placeholder(self) -> str:
        return self._placeholder

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._placeholder and self._proxy.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder
            )
            painter.end()

    # -- selection ------------------------------------------------------------------------

    def selected_spans(self) -> list[tuple[int, int]]:
        """Selected proxy rows as merged inclusive spans."""
        selection = self._selection().selection()
        spans = (selection.at(i) for i in range(selection.size()))
        return merged_row_spans((span.top(), span.bottom()) for span in spans)

    def selected_count(self) -> int:
        return sum(bottom - top + 1 for top, bottom in self.selected_spans())

    def selected_task_ids(self) -> list[int]:
        """Ids of the selected visible rows, in the order they are shown."""
        return self._proxy.task_ids_in(self.selected_spans())

    def select_all_rows(self) -> None:
        self.selectAll()

    def select_no_rows(self) -> None:
        self._selection().clearSelection()

    def invert_selection(self) -> None:
        gaps = complement_spans(self.selected_spans(), self._proxy.rowCount())
        self._select_spans(gaps)

    def _select_spans(self, spans: Iterable[tuple[int, int]]) -> None:
        last_column = self._proxy.columnCount() - 1
        selection = QItemSelection()
        for top, bottom in spans:
            selection.select(self._proxy.index(top, 0), self._proxy.index(bottom, last_column))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self._selection().select(selection, flags)

    def select_task(self, task_id: int) -> bool:
        """Select and reveal `task_id`; False when it is not loaded or filtered out."""
        row = self._proxy.proxy_row_of(task_id)
        if row is None:
            return False
        index = self._proxy.index(row, 0)
        self._select_spans([(row, row)])
        self._selection().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _schedule_count(self, *_: object) -> None:
        self._count_timer.start()

    def _emit_selection_count(self) -> None:
        self.selection_count_changed.emit(self.selected_count())

    # -- opening tasks ------------------------------------------------------------------

    def task_id_at(self, index: QModelIndex) -> int | None:
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(TaskIdRole)
        return int(value) if value is not None else None

    def _on_double_clicked(self, index: QModelIndex) -> None:
        task_id = self.task_id_at(index)
        if task_id is not None:
            self.open_task_requested.emit(task_id)

    def build_context_menu(self, position: QPoint) -> QMenu:
        """The menu for a right-click at viewport `position` (kept apart for testing)."""
        menu = QMenu(self)
        task_id = self.task_id_at(self.indexAt(position))
        open_action = menu.addAction(self.tr("Open on portal"))
        open_action.setObjectName("openOnPortal")
        if task_id is None:
            open_action.setEnabled(False)
        else:
            open_action.setText(self.tr("Open task {id} on portal").format(id=task_id))
            open_action.triggered.connect(lambda: self.open_task_requested.emit(task_id))
        if self.context_actions:
            menu.addSeparator()
            menu.addActions(self.context_actions)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.build_context_menu(self.viewport().mapFromGlobal(event.globalPos()))
        menu.exec(event.globalPos())
        menu.deleteLater()
