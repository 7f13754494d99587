"""Sorting and filtering of the task table: one precomputed array from shown rows to rows.

A QSortFilterProxyModel asks Python `filterAcceptsRow` (and `data()` to sort) once per row
on every change: with 100,000 rows that froze the window for a quarter of a second per
keystroke. This proxy keeps the shown rows in an array instead. A filter is one pass over
the model's prepared columns (folded text, numbers); a sort is an order the model prepared
once per load in the background (`TaskTableModel.sorted_rows`), filtered through a byte mask.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Generator, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from b24desk.core.model import TaskFilter
from b24desk.ui.models.tasks import ANSWERED_ROLES, Column, TaskTableModel
from b24desk.ui.models.titles import fold_text

AnyIndex = QModelIndex | QPersistentModelIndex

_VERTICAL = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_LAYOUT_SIGNATURE = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")
"""The overload that carries the hint (PySide picks the one without arguments otherwise)."""
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_COLUMNS: tuple[Column, ...] = tuple(Column)
_BACKGROUND_ROLE = int(Qt.ItemDataRole.BackgroundRole)
MARK_COLOUR = QColor(255, 196, 0, 110)
"""The tint of a row the user was sent to (from the Problems panel): amber, see-through,
readable under dark and light text alike; a selected row's own colour paints over it."""


class TaskFilterProxy(QAbstractProxyModel):
    """Shows the rows of a `TaskTableModel` that match a `TaskFilter`, in the chosen order.

    Date bounds are inclusive calendar days of the closed date as the portal reported it;
    a row without a closed date is hidden while a bound is set. The text matches the title
    with case, the letter ё and runs of spaces folded (`fold_text`), or the task id.

    Sorting 100,000 rows by a column the model has not prepared yet happens in steps of a
    few milliseconds; the new order appears when ready (`order_applied`), and the window
    keeps answering meanwhile. Rows that arrive under a sort go to the end at first and are
    sorted in now and then (every couple of seconds while loading).
    """

    order_applied = Signal()
    """The rows are now in the requested order (a sort asked for earlier is in place)."""

    RESORT_MS = 250
    """Rows appended under a sort are sorted in after this pause."""
    STREAMING_RESORT_MS = 2000
    """... or this one while rows are still streaming in."""
    SYNC_SORT_ROWS = 20_000
    """Up to this many rows, an order not prepared yet is computed at once."""

    def __init__(self, source: TaskTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._filter = TaskFilter()
        self._needle = ""
        self._active = False
        self._mask: bytearray | None = None
        """A byte per source row: 1 where the row matches the filter (None: no filter)."""
        self._sort_column: Column | None = None
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._rows: array[int] | None = None
        """Source row of every shown row, in display order (None: all rows, as they came)."""
        self._where: array[int] | None = None
        """Shown row of every source row, -1 where hidden (built when first needed)."""
        self._unsorted_tail = False
        self._sorting: tuple[Column, int] | None = None
        """The column and rows version a background sort is under way for."""
        self._inserting_identity = False
        self._last_sort_s = 0.0
        self._marked = -1
        """The source row tinted as the one the user was sent to (-1: none)."""
        self._mark_brush = QBrush(MARK_COLOUR)
        self.setSourceModel(source)
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._source_reset)
        source.rowsAboutToBeInserted.connect(self._rows_about_to_be_inserted)
        source.rowsInserted.connect(self._rows_inserted)
        source.dataChanged.connect(self._data_changed)
        source.headerDataChanged.connect(self.headerDataChanged)
        source.rows_settled.connect(self._rows_settled)
        source.outcomes_changed.connect(self._outcomes_changed)
        self._resort_timer = QTimer(self)
        self._resort_timer.setSingleShot(True)
        self._resort_timer.timeout.connect(self._resort)

    # -- what the rest of the window asks -------------------------------------------------

    @property
    def task_model(self) -> TaskTableModel:
        return self._source

    @property
    def task_filter(self) -> TaskFilter:
        return self._filter

    def is_filtering(self) -> bool:
        return self._active

    def is_sorted(self) -> bool:
        """Whether the shown order is the requested one (False while a sort is prepared
        or appended rows wait to be sorted in)."""
        return self._sorting is None and not self._unsorted_tail

    def set_filter(self, task_filter: TaskFilter) -> bool:
        """Apply `task_filter`; returns False (and does nothing) if it is already in force."""
        if task_filter == self._filter:
            return False
        previous, previous_needle = self._filter, self._needle
        self._filter = task_filter
        self._active = task_filter != TaskFilter()
        self._needle = fold_text(task_filter.search).lstrip("#").strip()
        if not self._active:
            self._mask = None
        else:
            # Typing on narrows the last result: only the rows shown now can still match.
            narrowing = (
                self._mask is not None
                and previous_needle != ""
                and previous_needle in self._needle
                and _without_search(previous) == _without_search(task_filter)
            )
            within = self._shown_source_rows() if narrowing else None
            self._mask = self._source.matching_rows(task_filter, within)
        self._relayout(self._arrange())
        return True

    def visible_source_rows(self) -> list[int]:
        """The source row behind every shown row, in display order."""
        return self._shown_source_rows()

    def task_ids_in(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        """Task ids of the shown rows in the inclusive (top, bottom) `spans`."""
        task_id_at = self._source.task_id_at
        rows = self._rows
        if rows is None:
            return [task_id_at(row) for top, bottom in spans for row in range(top, bottom + 1)]
        return [task_id_at(rows[row]) for top, bottom in spans for row in range(top, bottom + 1)]

    def task_id_at(self, proxy_row: int) -> int:
        return self._source.task_id_at(self._source_row(proxy_row))

    def proxy_row_of(self, task_id: int) -> int | None:
        """The shown row of `task_id`, or None when it is filtered out or not loaded."""
        source_row = self._source.row_of(task_id)
        if source_row is None:
            return None
        row = self._proxy_row(source_row)
        return row if row >= 0 else None

    def mark_task(self, task_id: int | None) -> None:
        """Tint `task_id`'s row (the one a Problems entry sent the user to), or none."""
        row = self._source.row_of(task_id) if task_id is not None else None
        wanted = row if row is not None else -1
        if wanted == self._marked:
            return
        previous, self._marked = self._marked, wanted
        for source_row in (previous, wanted):
            shown = self._proxy_row(source_row) if source_row >= 0 else -1
            if shown >= 0:
                self.dataChanged.emit(
                    self.index(shown, 0), self.index(shown, len(_COLUMNS) - 1), [_BACKGROUND_ROLE]
                )

    def marked_task(self) -> int | None:
        """The task whose row is tinted, if any."""
        return self._source.task_id_at(self._marked) if self._marked >= 0 else None

    # -- the Qt proxy interface -----------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < len(_COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: AnyIndex | None = None) -> Any:
        if child is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index: AnyIndex) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.rowCount() > 0

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self._source.rowCount() if self._rows is None else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times per repaint: roles never answered leave first.
        if role not in ANSWERED_ROLES or not index.isValid():
            if role == _BACKGROUND_ROLE and self._marked >= 0 and index.isValid():
                row = index.row()
                marked = (row if self._rows is None else self._rows[row]) == self._marked
                return self._mark_brush if marked else None
            return None
        row = index.row()
        source_row = row if self._rows is None else self._rows[row]
        return self._source.row_data(source_row, _COLUMNS[index.column()], role)

    def multiData(self, index: AnyIndex, roleDataSpan: Any) -> None:
        # A view asks for seven roles of every cell it paints in one call: answering them
        # here costs one trip into Python per cell instead of seven.
        if not index.isValid():
            return
        row = index.row()
        source_row = row if self._rows is None else self._rows[row]
        column = _COLUMNS[index.column()]
        row_data = self._source.row_data
        marked = source_row == self._marked
        for item in roleDataSpan:
            role = item.role()
            if role in ANSWERED_ROLES:
                value = row_data(source_row, column, role)
            elif marked and role == _BACKGROUND_ROLE:
                value = self._mark_brush
            else:
                value = None
            # The view reuses the span from cell to cell: a role this cell has no value
            # for must be cleared, or the previous cell's colour and alignment stay.
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return self._source.headerData(section, orientation, role)

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:
        if not proxy_index.isValid():
            return QModelIndex()
        return self._source.index(self._source_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_row(source_index.row())
        return self.createIndex(row, source_index.column()) if row >= 0 else QModelIndex()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by `column` (-1: the order rows arrived in)."""
        wanted = _COLUMNS[column] if 0 <= column < len(_COLUMNS) else None
        if (wanted, order) == (self._sort_column, self._sort_order) and self.is_sorted():
            return  # QTableView.sortByColumn asks twice; once is enough
        self._sort_column = wanted
        self._sort_order = order
        self._resort()

    # -- mapping --------------------------------------------------------------------------

    def _source_row(self, proxy_row: int) -> int:
        return proxy_row if self._rows is None else self._rows[proxy_row]

    def _proxy_row(self, source_row: int) -> int:
        if self._rows is None:
            return source_row if 0 <= source_row < self._source.rowCount() else -1
        where = self._where_array()
        return where[source_row] if 0 <= source_row < len(where) else -1

    def _where_array(self) -> array[int]:
        if self._where is None:
            rows = self._rows if self._rows is not None else range(self._source.rowCount())
            where = array("i", (-1,)) * self._source.rowCount()
            for shown, source_row in enumerate(rows):
                where[source_row] = shown
            self._where = where
        return self._where

    def _shown_source_rows(self) -> list[int]:
        return list(range(self._source.rowCount())) if self._rows is None else list(self._rows)

    def _arrange(self) -> array[int] | None:
        """Shown rows for the current filter and sort (an order not ready yet: arrival
        order for now, sorted in when prepared)."""
        column = self._sort_column
        order: Any = None
        if column is not None:
            order = self._source.sorted_rows(column)
            if order is None and self._source.rowCount() <= self.SYNC_SORT_ROWS:
                order = self._source.sort_now(column)
            if order is None:
                self._unsorted_tail = True
                self._resort_timer.start(0)
            elif self._sort_order == Qt.SortOrder.DescendingOrder:
                order = order[::-1]
        mask = self._mask
        if order is None:
            if mask is None:
                return None
            return array("i", [row for row, shown in enumerate(mask) if shown])
        if mask is None:
            return array("i", order)
        return array("i", [row for row in order if mask[row]])

    def _relayout(self, rows: array[int] | None) -> None:
        """Show `rows`, keeping persistent indexes (selection, current row) on their rows."""
        layout_signal(self.layoutAboutToBeChanged).emit([], _VERTICAL)
        persistent = self.persistentIndexList()
        before = [self._source_row(index.row()) for index in persistent]
        self._rows = rows
        self._where = None
        if persistent:
            moved = []
            for index, source_row in zip(persistent, before, strict=True):
                row = self._proxy_row(source_row)
                moved.append(self.createIndex(row, index.column()) if row >= 0 else QModelIndex())
            self.changePersistentIndexList(persistent, moved)
        layout_signal(self.layoutChanged).emit([], _VERTICAL)

    # -- sorting --------------------------------------------------------------------------

    def _resort(self) -> None:
        self._resort_timer.stop()
        column = self._sort_column
        if column is None:
            self._unsorted_tail = False
            self._relayout(self._arrange())
            self.order_applied.emit()
            return
        source = self._source
        if source.sorted_rows(column) is None and source.rowCount() > self.SYNC_SORT_ROWS:
            wanted = (column, source.version)
            if self._sorting != wanted:
                self._sorting = wanted
                source.jobs.add(self._sort_in_background(column))
            return
        self._unsorted_tail = False
        self._relayout(self._arrange())
        self.order_applied.emit()

    def _sort_in_background(self, column: Column) -> Generator[None, None, None]:
        started = time.perf_counter()
        yield from self._source.sort_job(column)
        self._last_sort_s = time.perf_counter() - started
        self._sorting = None
        if column is not self._sort_column:
            return
        if self._source.sorted_rows(column) is None:  # rows changed meanwhile: again
            self._schedule_resort()
            return
        self._unsorted_tail = False
        self._relayout(self._arrange())
        self.order_applied.emit()

    def _schedule_resort(self) -> None:
        if self._resort_timer.isActive():
            return
        pause = self.STREAMING_RESORT_MS if self._source.streaming else self.RESORT_MS
        # Re-sorting a growing table costs more each time: keep it to a tenth of the time.
        self._resort_timer.start(max(pause, int(self._last_sort_s * 10_000)))

    def _rows_settled(self) -> None:
        """Loading is over: sort in what came meanwhile, then prepare the other orders."""
        if self._sort_column is not None and not self.is_sorted():
            self._resort()
        for column in _COLUMNS:
            if column is not Column.STATUS and column is not self._sort_column:
                self._source.jobs.add(self._source.sort_job(column))

    def _outcomes_changed(self) -> None:
        # Rows do not jump under the user while a run reports; the next sort() re-sorts.
        if self._sort_column is Column.STATUS:
            self._unsorted_tail = True

    # -- following the source -------------------------------------------------------------

    def _source_reset(self) -> None:
        self._resort_timer.stop()
        self._marked = -1
        self._sorting = None
        self._unsorted_tail = False
        self._mask = bytearray() if self._active else None
        self._rows = None if self._mask is None and self._sort_column is None else array("i")
        self._where = None
        self.endResetModel()

    def _rows_about_to_be_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._inserting_identity = self._rows is None
        if self._inserting_identity:
            self.beginInsertRows(QModelIndex(), first, last)

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._inserting_identity:
            self._inserting_identity = False
            self._where = None
            self.endInsertRows()
            return
        assert self._rows is not None
        fresh = range(first, last + 1)
        if self._mask is not None:
            matching = self._source.matching_rows(self._filter, fresh)
            self._mask.extend(matching[first:])
            accepted = [row for row in fresh if matching[row]]
        else:
            accepted = list(fresh)
        if self._where is not None:
            self._where.extend(array("i", (-1,)) * len(fresh))
        if accepted:
            shown = len(self._rows)
            self.beginInsertRows(QModelIndex(), shown, shown + len(accepted) - 1)
            self._rows.extend(accepted)
            if self._where is not None:
                for offset, row in enumerate(accepted):
                    self._where[row] = shown + offset
            self.endInsertRows()
            if self._sort_column is not None:
                self._unsorted_tail = True
                self._schedule_resort()

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any) -> None:
        first, last = top_left.row(), bottom_right.row()
        left, right = top_left.column(), bottom_right.column()
        if self._rows is None:
            self.dataChanged.emit(self.index(first, left), self.index(last, right), roles)
            return
        if last - first > 64:  # a whole column: repaint what is shown
            if self.rowCount():
                self.dataChanged.emit(
                    self.index(0, left), self.index(self.rowCount() - 1, right), roles
                )
            return
        for source_row in range(first, last + 1):
            row = self._proxy_row(source_row)
            if row >= 0:
                self.dataChanged.emit(self.index(row, left), self.index(row, right), roles)


def layout_signal(signal: Any) -> Any:
    """The overload of a layout signal that carries the hint (a plain `emit` would pick the
    one without arguments)."""
    return signal[_LAYOUT_SIGNATURE]


def _without_search(task_filter: TaskFilter) -> TaskFilter:
    return TaskFilter(
        closed_after=task_filter.closed_after,
        closed_before=task_filter.closed_before,
        responsible_id=task_filter.responsible_id,
        creator_id=task_filter.creator_id,
        group_id=task_filter.group_id,
    )
