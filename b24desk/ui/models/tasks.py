"""The table of loaded tasks and where each stands in the current run."""

from __future__ import annotations

import enum
import logging
import time
from collections import Counter, deque
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.model import TaskOutcome, TaskRecord
from b24desk.ui import language
from b24desk.ui.language import TranslatedTexts
from b24desk.ui.models.outcomes import OUTCOME_LOOKS, outcome_label, outcome_text, tone_colour

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    ID = 0
    TITLE = 1
    RESPONSIBLE = 2
    CREATOR = 3
    GROUP = 4
    CLOSED = 5
    CLOSED_BY = 6
    STATUS = 7


HEADERS = TranslatedTexts(
    "TaskTable",
    {
        Column.ID: QT_TRANSLATE_NOOP("TaskTable", "ID"),
        Column.TITLE: QT_TRANSLATE_NOOP("TaskTable", "Title"),
        Column.RESPONSIBLE: QT_TRANSLATE_NOOP("TaskTable", "Responsible"),
        Column.CREATOR: QT_TRANSLATE_NOOP("TaskTable", "Creator"),
        Column.GROUP: QT_TRANSLATE_NOOP("TaskTable", "Group/project"),
        Column.CLOSED: QT_TRANSLATE_NOOP("TaskTable", "Closed"),
        Column.CLOSED_BY: QT_TRANSLATE_NOOP("TaskTable", "Closed by"),
        Column.STATUS: QT_TRANSLATE_NOOP("TaskTable", "Status"),
    },
)

HEADER_TIPS = TranslatedTexts(
    "TaskTable",
    {
        Column.ID: QT_TRANSLATE_NOOP("TaskTable", "Task number on the portal"),
        Column.CLOSED: QT_TRANSLATE_NOOP("TaskTable", "When the task was completed"),
        Column.CLOSED_BY: QT_TRANSLATE_NOOP("TaskTable", "Who completed the task"),
        Column.STATUS: QT_TRANSLATE_NOOP(
            "TaskTable", "What happened to the task in the latest renew run"
        ),
    },
)

SortRole = Qt.ItemDataRole.UserRole + 1
"""Plain values to sort by: ints, timestamps and case-folded text, never display text."""
TaskIdRole = Qt.ItemDataRole.UserRole + 2
OutcomeRole = Qt.ItemDataRole.UserRole + 3
RecordRole = Qt.ItemDataRole.UserRole + 4

_NO_DATE = float("-inf")

_COLUMNS: tuple[Column, ...] = tuple(Column)
_COLUMN_COUNT = len(_COLUMNS)
_DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole.value
_FOREGROUND_ROLE = Qt.ItemDataRole.ForegroundRole.value
_ALIGNMENT_ROLE = Qt.ItemDataRole.TextAlignmentRole.value
_TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole.value
_ANSWERED_ROLES = frozenset(
    {
        _DISPLAY_ROLE,
        _FOREGROUND_ROLE,
        _ALIGNMENT_ROLE,
        _TOOLTIP_ROLE,
        int(SortRole),
        int(TaskIdRole),
        int(OutcomeRole),
        int(RecordRole),
    }
)
_RIGHT_ALIGNED = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _timestamp(value: datetime | None) -> float:
    return value.timestamp() if value is not None else _NO_DATE


class TaskRow:
    """One task plus what the current run did to it."""

    __slots__ = ("closed_ts", "folded_title", "outcome", "reason", "record")

    def __init__(self, record: TaskRecord) -> None:
        self.outcome: TaskOutcome | None = None
        self.reason = ""
        self.set_record(record)

    def set_record(self, record: TaskRecord) -> None:
        self.record = record
        # Kept ready: sorting 100k rows by date must not call timestamp() 100k times.
        self.closed_ts = _timestamp(record.closed_date)
        self.folded_title: str | None = None  # filled on the first text search or sort

    def title_key(self) -> str:
        if self.folded_title is None:
            self.folded_title = self.record.title.casefold()
        return self.folded_title


def person_label(person_id: int, name: str) -> str:
    if name:
        return name
    return translate("TaskTable", "User #{id}").format(id=person_id) if person_id else ""


def group_label(group_id: int, name: str) -> str:
    if name:
        return name
    return translate("TaskTable", "Group #{id}").format(id=group_id) if group_id else ""


Names = dict[int, str]
"""User id -> name, as learned from the loaded tasks' responsibles, creators and closers."""


def _display(row: TaskRow, column: Column, names: Names | None = None) -> str:
    r = row.record
    match column:
        case Column.ID:
            return str(r.id)
        case Column.TITLE:
            return r.title
        case Column.RESPONSIBLE:
            return person_label(r.responsible_id, r.responsible_name)
        case Column.CREATOR:
            return person_label(r.creator_id, r.creator_name)
        case Column.GROUP:
            return group_label(r.group_id, r.group_name)
        case Column.CLOSED:
            return r.closed_date.strftime(language.date_time_format()) if r.closed_date else ""
        case Column.CLOSED_BY:
            # The task list names responsibles and creators but not who closed the task:
            # the closer is nearly always one of the people named elsewhere in the list.
            name = r.closed_by_name or (names or {}).get(r.closed_by, "")
            return person_label(r.closed_by, name)
        case Column.STATUS:
            return outcome_text(row.outcome, row.reason) if row.outcome else ""


def sort_key(row: TaskRow, column: Column, names: Names | None = None) -> int | float | str:
    """The SortRole value: what `column` sorts by for `row`."""
    match column:
        case Column.ID:
            return row.record.id
        case Column.CLOSED:
            return row.closed_ts
        case Column.TITLE:
            return row.title_key()
        case Column.STATUS:
            return OUTCOME_LOOKS[row.outcome].rank if row.outcome else 0
        case _:
            return _display(row, column, names).casefold()


def sort_keys(rows: list[TaskRow], column: Column, names: Names | None = None) -> list[Any]:
    """`sort_key` for every row, with the common columns done without per-row dispatch."""
    if column is Column.ID:
        return [row.record.id for row in rows]
    if column is Column.CLOSED:
        return [row.closed_ts for row in rows]
    if column is Column.TITLE:
        return [row.title_key() for row in rows]
    return [sort_key(row, column, names) for row in rows]


class TaskTableModel(QAbstractTableModel):
    """Loaded tasks, one row each, plus the row's outcome in the current run.

    `append_tasks` only queues records; a timer inserts them `chunk_size` at a time (one
    beginInsertRows per chunk), so loading 100,000 rows never blocks the loop for long. A
    full chunk goes in on the next turn of the loop; a trickle of pages waits a few
    milliseconds for more, so that the table is not repainted after every 50 rows.

    Sorting happens here in Python (the proxy forwards `sort()`), because a
    QSortFilterProxyModel would call `data()` millions of times for 100k rows.
    """

    appending_finished = Signal()
    """Every queued record is now a row."""
    outcomes_changed = Signal()
    """Some row's outcome changed (coalesce before recounting)."""

    def __init__(self, parent: QObject | None = None, *, chunk_size: int = 2000) -> None:
        super().__init__(parent)
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
        self.chunk_size = chunk_size
        self._rows: list[TaskRow] = []
        self._ids: set[int] = set()
        self._index: dict[int, int] | None = {}
        """Task id -> row number; None after a sort until someone asks (then rebuilt)."""
        self._pending: deque[TaskRecord] = deque()
        self._early_outcomes: dict[int, tuple[TaskOutcome, str]] = {}
        self._counts: Counter[TaskOutcome] = Counter()
        self._names: Names = {}
        self._sort_column: Column | None = None
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._unsorted_tail = False
        self._last_sort_seconds = 0.0

        self._drain_timer = QTimer(self)
        self._drain_timer.setSingleShot(True)
        self._drain_timer.timeout.connect(self._drain_chunk)
        self._streaming = False
        # While rows stream in under an active sort, re-sort now and then rather than per
        # chunk; the pause grows with the cost of a sort so that sorting never dominates.
        self._resort_timer = QTimer(self)
        self._resort_timer.setSingleShot(True)
        self._resort_timer.timeout.connect(self._resort)

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = _DISPLAY_ROLE) -> Any:
        # Called thousands of times per repaint: the common roles come first, and roles
        # this model never answers leave before any lookup.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        column = _COLUMNS[index.column()]
        if role == _DISPLAY_ROLE:
            return _display(row, column, self._names)
        if role == _FOREGROUND_ROLE:
            if column is Column.STATUS and row.outcome:
                return tone_colour(OUTCOME_LOOKS[row.outcome].tone)
            return None
        if role == _ALIGNMENT_ROLE:
            return _RIGHT_ALIGNED if column is Column.ID else None
        if role == SortRole:
            return sort_key(row, column, self._names)
        if role == TaskIdRole:
            return row.record.id
        if role == _TOOLTIP_ROLE:
            return self._tooltip(row, column)
        if role == OutcomeRole:
            return row.outcome
        return row.record  # RecordRole

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort rows by `column`'s SortRole values; -1 keeps the order rows arrived in."""
        wanted = Column(column) if 0 <= column < len(Column) else None
        if (wanted, order) == (self._sort_column, self._sort_order) and not self._unsorted_tail:
            return  # QTableView.sortByColumn asks twice; sorting 100k rows once is enough
        self._sort_column = wanted
        self._sort_order = order
        self._resort()

    # -- loading --------------------------------------------------------------------------

    TRICKLE_MS = 40
    """How long a part-chunk waits for more records before it becomes rows."""
    STREAMING_RESORT_MS = 2000
    """While records stream in under an active sort, re-sort at most this often."""

    def append_tasks(self, records: Iterable[TaskRecord]) -> None:
        """Queue records to become rows; a record whose id is already loaded replaces it."""
        self._pending.extend(records)
        self._schedule_drain()

    def _schedule_drain(self) -> None:
        if not self._pending:
            return
        wait = 0 if len(self._pending) >= self.chunk_size else self.TRICKLE_MS
        if not self._drain_timer.isActive() or wait < self._drain_timer.remainingTime():
            self._drain_timer.start(wait)

    def set_streaming(self, streaming: bool) -> None:
        """Say that rows are (no longer) streaming in: while they are, an active sort is
        re-applied only every couple of seconds; at the end it is applied once more."""
        self._streaming = streaming
        if not streaming and self._unsorted_tail and not self._pending:
            self._resort()

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def flush(self) -> None:
        """Insert everything still queued right now (tests, screenshots, shutdown)."""
        self._drain_timer.stop()
        while self._pending:
            self._insert_chunk()
        if self._unsorted_tail:
            self._resort()
        self.appending_finished.emit()

    def clear(self) -> None:
        """Forget every row, queued record and outcome (a fresh load starts from here)."""
        self._drain_timer.stop()
        self._resort_timer.stop()
        self.beginResetModel()
        self._rows.clear()
        self._ids.clear()
        self._index = {}
        self._pending.clear()
        self._early_outcomes.clear()
        self._counts.clear()
        self._names.clear()
        self._unsorted_tail = False
        self.endResetModel()
        self.outcomes_changed.emit()

    def _drain_chunk(self) -> None:
        self._insert_chunk()
        if self._pending:
            self._schedule_drain()
            return
        self.appending_finished.emit()

    def _insert_chunk(self) -> None:
        batch: dict[int, TaskRecord] = {}
        for _ in range(min(self.chunk_size, len(self._pending))):
            record = self._pending.popleft()
            batch[record.id] = record
        fresh: list[TaskRecord] = []
        names = self._names
        for record in batch.values():
            for person, name in (
                (record.responsible_id, record.responsible_name),
                (record.creator_id, record.creator_name),
                (record.closed_by, record.closed_by_name),
            ):
                if name and person not in names:
                    names[person] = name
            if record.id in self._ids:
                self._replace(self._row_index()[record.id], record)
            else:
                fresh.append(record)
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for offset, record in enumerate(fresh):
            row = TaskRow(record)
            early = self._early_outcomes.pop(record.id, None)
            if early is not None:
                row.outcome, row.reason = early
                self._counts[row.outcome] += 1
            self._rows.append(row)
            self._ids.add(record.id)
            if self._index is not None:
                self._index[record.id] = first + offset
        self.endInsertRows()
        if self._sort_column is not None:
            self._unsorted_tail = True
            if not self._resort_timer.isActive():
                pause = max(250, int(self._last_sort_seconds * 5000))
                if self._streaming:
                    pause = max(pause, self.STREAMING_RESORT_MS)
                self._resort_timer.start(pause)

    def _replace(self, row_number: int, record: TaskRecord) -> None:
        row = self._rows[row_number]
        row.set_record(record)
        if self._sort_column is not None:
            self._unsorted_tail = True
        self.dataChanged.emit(self.index(row_number, 0), self.index(row_number, len(Column) - 1))

    def _resort(self) -> None:
        self._resort_timer.stop()
        self._unsorted_tail = False
        column = self._sort_column
        if column is None or len(self._rows) < 2:
            return
        started = time.perf_counter()
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [self._rows[index.row()].record.id for index in persistent]
        keys: list[Any] = sort_keys(self._rows, column, self._names)
        # Python's sort is stable in both directions: equal keys keep their previous order.
        order = sorted(
            range(len(keys)),
            key=keys.__getitem__,
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self._rows = [self._rows[number] for number in order]
        # The id -> row map is rebuilt only when someone needs it: while rows stream in
        # under a sort, nobody does, and rebuilding it is a third of a sort's cost.
        self._index = None
        if persistent:
            where = self._row_index()
            moved = [
                self.index(where[task_id], index.column())
                for index, task_id in zip(persistent, before, strict=True)
            ]
        else:
            moved = []
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
        self._last_sort_seconds = time.perf_counter() - started
        logger.debug("sorted %d rows in %.3f s", len(self._rows), self._last_sort_seconds)

    # -- outcomes -------------------------------------------------------------------------

    def set_outcome(self, task_id: int, outcome: TaskOutcome, reason: str = "") -> bool:
        """Record where `task_id` stands; repaints only that row's Status cell.

        Returns False when the task is not loaded (an outcome for a task still queued is kept
        and shown once its row exists).
        """
        number = self._row_index().get(task_id)
        if number is None:
            # Possibly still queued: keep it for when (if) its row is inserted.
            self._early_outcomes[task_id] = (outcome, reason)
            logger.debug("outcome for task %s, which is not (yet) a row", task_id)
            return False
        row = self._rows[number]
        if row.outcome is not None:
            self._counts[row.outcome] -= 1
        row.outcome, row.reason = outcome, reason
        self._counts[outcome] += 1
        if self._sort_column is Column.STATUS:
            self._unsorted_tail = True  # re-sorted on the next sort(), not under the user
        status = self.index(number, Column.STATUS)
        self.dataChanged.emit(
            status,
            status,
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, OutcomeRole],
        )
        self.outcomes_changed.emit()
        return True

    def clear_outcomes(self) -> None:
        """Blank the Status column (e.g. before a new run over the same rows)."""
        for row in self._rows:
            row.outcome, row.reason = None, ""
        self._counts.clear()
        self._early_outcomes.clear()
        if self._sort_column is Column.STATUS:
            self._unsorted_tail = True
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.STATUS), self.index(len(self._rows) - 1, Column.STATUS)
            )
        self.outcomes_changed.emit()

    def outcome_of(self, task_id: int) -> tuple[TaskOutcome, str] | None:
        number = self._row_index().get(task_id)
        if number is None or self._rows[number].outcome is None:
            return None
        row = self._rows[number]
        assert row.outcome is not None
        return row.outcome, row.reason

    def outcome_count(self, outcome: TaskOutcome) -> int:
        return self._counts[outcome]

    def task_ids_with(self, *outcomes: TaskOutcome) -> list[int]:
        wanted = set(outcomes)
        return [row.record.id for row in self._rows if row.outcome in wanted]

    # -- lookups --------------------------------------------------------------------------

    def row_of(self, task_id: int) -> int | None:
        return self._row_index().get(task_id)

    def _row_index(self) -> dict[int, int]:
        if self._index is None:
            self._index = {row.record.id: number for number, row in enumerate(self._rows)}
        return self._index

    def record_at(self, row: int) -> TaskRecord:
        return self._rows[row].record

    def row_state(self, row: int) -> TaskRow:
        """The row's internal record (read-only use: filtering)."""
        return self._rows[row]

    def records(self) -> list[TaskRecord]:
        return [row.record for row in self._rows]

    def _tooltip(self, row: TaskRow, column: Column) -> str | None:
        if column is Column.STATUS and row.outcome is not None:
            label = outcome_label(row.outcome)
            return f"{label}: {row.reason}" if row.reason else label
        if column is Column.TITLE and row.record.title:
            return row.record.title
        return None
