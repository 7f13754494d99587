"""Filtering of the task table: closed-date range, people, group and a text search."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from b24desk.core.model import TaskFilter
from b24desk.ui.models.tasks import TaskIdRole, TaskRow, TaskTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class TaskFilterProxy(QSortFilterProxyModel):
    """Shows the rows of a `TaskTableModel` that match a `TaskFilter`.

    Date bounds are inclusive calendar days of the closed date as the portal reported it;
    a row without a closed date is hidden while a bound is set. The text matches the title
    (case-insensitively) or the task id. Sorting is forwarded to the source model, which
    sorts in Python far faster than the proxy could through `data()`.
    """

    def __init__(self, source: TaskTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._filter = TaskFilter()
        self._needle = ""
        self._active = False
        self._visible: list[int] | None = None
        self.setSourceModel(source)
        for signal in (
            source.rowsInserted,
            source.rowsRemoved,
            source.modelReset,
            source.layoutChanged,
            source.dataChanged,
        ):
            signal.connect(self._forget_visible_rows)

    @property
    def task_model(self) -> TaskTableModel:
        return self._source

    @property
    def task_filter(self) -> TaskFilter:
        return self._filter

    def is_filtering(self) -> bool:
        return self._active

    def set_filter(self, task_filter: TaskFilter) -> bool:
        """Apply `task_filter`; returns False (and does nothing) if it is already in force."""
        if task_filter == self._filter:
            return False
        self._filter = task_filter
        self._active = task_filter != TaskFilter()
        self._needle = task_filter.search.strip().lstrip("#").casefold()
        self._visible = None
        # invalidate() rebuilds the row mapping in one pass; the incremental
        # begin/endFilterChange path is quadratic when the change is scattered.
        self.invalidate()
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        # Called from C++ for every row on each re-filter: keep the no-filter case minimal.
        return not self._active or self.accepts(self._source.row_state(source_row))

    def accepts(self, row: TaskRow) -> bool:
        f = self._filter
        record = row.record
        if f.responsible_id is not None and record.responsible_id != f.responsible_id:
            return False
        if f.creator_id is not None and record.creator_id != f.creator_id:
            return False
        if f.group_id is not None and record.group_id != f.group_id:
            return False
        if f.closed_after is not None or f.closed_before is not None:
            if record.closed_date is None:
                return False
            day = record.closed_date.date()
            if f.closed_after is not None and day < f.closed_after:
                return False
            if f.closed_before is not None and day > f.closed_before:
                return False
        if self._needle:
            return self._needle in row.title_key() or self._needle in str(record.id)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def _forget_visible_rows(self, *_: object) -> None:
        self._visible = None

    def visible_source_rows(self) -> list[int]:
        """The source row behind every visible row, in display order.

        The proxy never sorts (the source does), so visible rows are the accepted source
        rows in source order; computing that in Python is much faster than 100k
        `mapToSource` calls.
        """
        count = self.rowCount()
        if self._visible is None or len(self._visible) != count:
            total = self._source.rowCount()
            if not self._active:
                self._visible = list(range(total))
            else:
                state = self._source.row_state
                self._visible = [row for row in range(total) if self.accepts(state(row))]
            if len(self._visible) != count:  # should not happen; fall back to Qt's mapping
                self._visible = [self.mapToSource(self.index(row, 0)).row() for row in range(count)]
        return self._visible

    def task_ids_in(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        """Task ids of the visible rows in the inclusive (top, bottom) `spans`."""
        rows = self.visible_source_rows()
        record_at = self._source.record_at
        return [record_at(rows[row]).id for top, bottom in spans for row in range(top, bottom + 1)]

    def task_id_at(self, proxy_row: int) -> int:
        value: Any = self.index(proxy_row, 0).data(TaskIdRole)
        return int(value)

    def proxy_row_of(self, task_id: int) -> int | None:
        """The visible row of `task_id`, or None when it is filtered out or not loaded."""
        source_row = self._source.row_of(task_id)
        if source_row is None:
            return None
        index = self.mapFromSource(self._source.index(source_row, 0))
        return index.row() if index.isValid() else None
