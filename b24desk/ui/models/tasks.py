"""The table of loaded tasks and where each stands in the current run.

(Why one file of about 970 lines: the column storage, its loading and its sort keys
share every column and must change together; the generic time-sliced work lives in
`steps.py`, sorting and filtering over these rows in `proxy.py`.)

Rows are stored by column (arrays of numbers, lists of shared strings) in the order they
arrived, never reordered: 100,000 rows cost a few hundred bytes each and add almost nothing
for Python's garbage collector to walk. Sorting and filtering live in `TaskFilterProxy`,
which maps its rows onto these through one precomputed array; this model hands it sort keys
prepared once per load and `sorted_rows`, computed in time-boxed steps off the user's way.
"""

from __future__ import annotations

import ctypes
import enum
import logging
import sys
import threading
import time
from array import array
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
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

from b24desk.core.bitrix.errors import B24Error
from b24desk.core.bitrix.tasks import task_from_api
from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.model import TaskFilter, TaskOutcome, TaskRecord
from b24desk.ui import language
from b24desk.ui.language import TranslatedTexts
from b24desk.ui.models.outcomes import OUTCOME_LOOKS, outcome_label, outcome_text, tone_colour
from b24desk.ui.models.steps import JobRunner, sort_steps
from b24desk.ui.models.titles import TitleStore, fold_text

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
"""Plain values to sort by: ints, timestamps and folded text, never display text."""
TaskIdRole = Qt.ItemDataRole.UserRole + 2
OutcomeRole = Qt.ItemDataRole.UserRole + 3
RecordRole = Qt.ItemDataRole.UserRole + 4

_NO_DATE = float("-inf")
_EPOCH_DAY = date(1970, 1, 1).toordinal()

_COLUMNS: tuple[Column, ...] = tuple(Column)
_COLUMN_COUNT = len(_COLUMNS)
_DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole.value
_FOREGROUND_ROLE = Qt.ItemDataRole.ForegroundRole.value
_ALIGNMENT_ROLE = Qt.ItemDataRole.TextAlignmentRole.value
_TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole.value
ANSWERED_ROLES = frozenset(
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

_OUTCOMES: tuple[TaskOutcome | None, ...] = (None, *TaskOutcome)
"""Outcome codes as stored per row: 0 is "none yet"."""
_OUTCOME_CODE: dict[TaskOutcome, int] = {
    outcome: code for code, outcome in enumerate(_OUTCOMES) if outcome is not None
}


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

TaskItem = TaskRecord | Mapping[str, Any]
"""What `append_tasks` takes: a record, or one task as tasks.task.list sends it (decoded
here, a slice at a time, with the core's `task_from_api`)."""


def _decode(task: Mapping[str, Any]) -> TaskRecord | None:
    try:
        return task_from_api(task)
    except (B24Error, TypeError, ValueError) as error:
        logger.warning("skipped a task the portal sent that could not be read: %s", error)
        return None


def release_free_memory() -> None:
    """Hand memory freed while loading back to the system, in a worker thread.

    glibc keeps what a load's decoded pages freed (80 MB for 100,000 tasks) for later
    use; `malloc_trim` returns it. The call holds no Python lock, so the window goes on.
    Elsewhere (macOS, Windows) there is nothing to do.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    threading.Thread(target=trim, args=(0,), name="malloc-trim", daemon=True).start()


KEY_ROWS = 20_000
"""Rows whose sort keys are computed in one step (people and group columns)."""


class TaskTableModel(QAbstractTableModel):
    """Loaded tasks, one row each in the order they arrived, plus each row's outcome.

    `append_tasks` only queues records; a timer turns them into rows in slices of a few
    milliseconds each (one beginInsertRows per slice), so loading 100,000 rows never blocks
    the loop for long. A trickle of records waits a few milliseconds for more, so that the
    table is not repainted after every page of 50.
    """

    appending_finished = Signal()
    """Every queued record is now a row."""
    outcomes_changed = Signal()
    """Some row's outcome changed (coalesce before recounting)."""
    rows_settled = Signal()
    """Loading is over and every queued record is a row: a good time to prepare sorting."""

    TRICKLE_MS = 40
    """How long a few queued records wait for more before they become rows."""
    SLICE_MS = 4.0
    """Time spent decoding and converting queued tasks per turn of the event loop."""
    COMMIT_S = 0.1
    """While a load streams in, converted tasks become rows (and the table is laid out and
    repainted, 5 ms on its own) at most this often; the first ones and the last at once."""
    TRICKLE_ROWS = 500
    """Fewer queued records than this wait TRICKLE_MS for company."""

    def __init__(self, parent: QObject | None = None, *, slice_ms: float = SLICE_MS) -> None:
        super().__init__(parent)
        if slice_ms <= 0:
            raise ValueError(f"slice_ms must be positive, got {slice_ms}")
        self.slice_s = slice_ms / 1000
        self.jobs = JobRunner(self)
        self._pending: deque[TaskItem] = deque()
        self._digested: list[TaskItem] = []
        """Queued tasks already made rows, let go of once the queue is empty."""
        self._early_outcomes: dict[int, tuple[TaskOutcome, str]] = {}
        self._counts: Counter[TaskOutcome] = Counter()
        self._names: Names = {}
        self._strings: dict[str, str] = {}
        self._tz: dict[int, timezone] = {}
        self.people: dict[int, str] = {}
        """Responsible id -> label, for the filter bar's choices."""
        self.groups: dict[int, str] = {}
        """Group id -> label (0 is "no group"), for the filter bar's choices."""
        self._days: list[int] = []
        """The first and last closed day seen (days since 1970 in the portal's zone)."""
        self._moments: list[float] = []
        """The earliest and latest closed instant seen (POSIX timestamps)."""
        self._streaming = False
        self.version = 0
        """Goes up whenever rows are added, replaced or cleared (sort orders go stale)."""
        self.outcome_version = 0
        self._orders: dict[Column, array[int]] = {}
        self._order_versions: dict[Column, tuple[int, int]] = {}
        self._init_columns()

        self._drain_timer = QTimer(self)
        self._drain_timer.setSingleShot(True)
        self._drain_timer.timeout.connect(self._drain)
        self._trimmed_at = -1
        self._committed_at = 0.0
        self.rows_settled.connect(self._after_load)

    def _init_columns(self) -> None:
        self._id: array[int] = array("q")
        self._title = TitleStore()
        """Each row's title, and its folded form for search and sorting."""
        self._status: array[int] = array("b")
        self._responsible: array[int] = array("l")
        self._creator: array[int] = array("l")
        self._group: array[int] = array("l")
        self._closed_by: array[int] = array("l")
        self._closed: array[float] = array("d")
        self._offset: array[int] = array("h")
        """The closed date's UTC offset in minutes, as the portal reported it."""
        self._responsible_name: list[str] = []
        self._creator_name: list[str] = []
        self._group_name: list[str] = []
        self._closed_by_name: list[str] = []
        self._outcome: array[int] = array("b")
        self._reason: dict[int, str] = {}
        self._staged: list[tuple[Any, ...]] = []
        """Converted tasks not yet rows: column values, a tuple per slice."""
        self._staged_rows = 0
        self._last_id = 0
        """The highest id so far while ids ascend (staged ones included)."""
        self._index: dict[int, int] | None = None
        """Task id -> row for rows from `_covered` on (staged ones included); None while
        every row is covered."""
        self._covered = 0
        """Rows before this one are found by a binary search: over `_id` itself while ids
        came in ascending order (the portal lists them so), else over `_sorted_ids`."""
        self._sorted_ids: array[int] | None = None
        self._sorted_rows: array[int] | None = None
        """The ids of rows 0..`_covered` - 1 in ascending order, and the row of each: 12
        bytes a row where a map costs over 100 (made from the ID column's sort order once
        a load has settled, when pages of several id ranges came in mixed)."""

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._id)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = _DISPLAY_ROLE) -> Any:
        # Called thousands of times per repaint: the common roles come first, and roles
        # this model never answers leave before any lookup.
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        return self.row_data(index.row(), _COLUMNS[index.column()], role)

    def row_data(self, row: int, column: Column, role: int) -> Any:
        if role == _DISPLAY_ROLE:
            return self.display(row, column)
        if role == _FOREGROUND_ROLE:
            outcome = _OUTCOMES[self._outcome[row]]
            if column is Column.STATUS and outcome:
                return tone_colour(OUTCOME_LOOKS[outcome].tone)
            return None
        if role == _ALIGNMENT_ROLE:
            return _RIGHT_ALIGNED if column is Column.ID else None
        if role == SortRole:
            return self.sort_key(row, column)
        if role == TaskIdRole:
            return self._id[row]
        if role == _TOOLTIP_ROLE:
            return self._tooltip(row, column)
        if role == OutcomeRole:
            return _OUTCOMES[self._outcome[row]]
        if role == RecordRole:
            return self.record_at(row)
        return None

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

    # -- one cell -------------------------------------------------------------------------

    def display(self, row: int, column: Column) -> str:
        match column:
            case Column.ID:
                return str(self._id[row])
            case Column.TITLE:
                return self._title[row]
            case Column.RESPONSIBLE:
                return person_label(self._responsible[row], self._responsible_name[row])
            case Column.CREATOR:
                return person_label(self._creator[row], self._creator_name[row])
            case Column.GROUP:
                return group_label(self._group[row], self._group_name[row])
            case Column.CLOSED:
                closed = self.closed_date(row)
                return closed.strftime(language.date_time_format()) if closed else ""
            case Column.CLOSED_BY:
                return person_label(self._closed_by[row], self._closer_name(row))
            case Column.STATUS:
                outcome = _OUTCOMES[self._outcome[row]]
                return outcome_text(outcome, self._reason.get(row, "")) if outcome else ""

    def _closer_name(self, row: int) -> str:
        # The task list names responsibles and creators but not who closed the task:
        # the closer is nearly always one of the people named elsewhere in the list.
        return self._closed_by_name[row] or self._names.get(self._closed_by[row], "")

    def sort_key(self, row: int, column: Column) -> int | float | str:
        """The SortRole value: what `column` sorts by for `row`."""
        match column:
            case Column.ID:
                return self._id[row]
            case Column.CLOSED:
                return self._closed[row]
            case Column.TITLE:
                return self._title.folded(row)
            case Column.STATUS:
                return self._status_rank(self._outcome[row])
            case _:
                return self.display(row, column).casefold()

    @staticmethod
    def _status_rank(code: int) -> int:
        outcome = _OUTCOMES[code]
        return OUTCOME_LOOKS[outcome].rank if outcome else 0

    def closed_date(self, row: int) -> datetime | None:
        stamp = self._closed[row]
        if stamp == _NO_DATE:
            return None
        return datetime.fromtimestamp(stamp, self._zone(self._offset[row]))

    def _zone(self, offset: int) -> timezone:
        zone = self._tz.get(offset)
        if zone is None:
            zone = self._tz[offset] = timezone(timedelta(minutes=offset))
        return zone

    def _tooltip(self, row: int, column: Column) -> str | None:
        outcome = _OUTCOMES[self._outcome[row]]
        if column is Column.STATUS and outcome is not None:
            label = outcome_label(outcome)
            reason = self._reason.get(row, "")
            return f"{label}: {reason}" if reason else label
        if column is Column.TITLE:
            return self._title[row] or None
        return None

    # -- loading --------------------------------------------------------------------------

    def append_tasks(self, items: Iterable[TaskItem]) -> None:
        """Queue tasks to become rows; a task whose id is already loaded replaces it.

        Items are `TaskRecord`s or raw tasks as the portal lists them (mappings): raw ones
        are decoded in the same time-boxed slices that insert rows, so a page of 2,500
        costs the window no more than a few milliseconds at a time.
        """
        self._pending.extend(items)
        self._schedule_drain()

    def day_span(self) -> tuple[date, date] | None:
        """The first and last closed day among the rows (the portal's calendar days)."""
        if not self._days:
            return None
        first, last = self._days
        return date.fromordinal(first + _EPOCH_DAY), date.fromordinal(last + _EPOCH_DAY)

    def closed_span(self) -> tuple[datetime, datetime] | None:
        """The earliest and latest closed instants among the rows (aware, in UTC: turn them
        into local days with `astimezone()`)."""
        if not self._moments:
            return None
        first, last = self._moments
        return datetime.fromtimestamp(first, UTC), datetime.fromtimestamp(last, UTC)

    def _schedule_drain(self) -> None:
        if not self._pending:
            return
        wait = 0 if len(self._pending) >= self.TRICKLE_ROWS else self.TRICKLE_MS
        if not self._drain_timer.isActive() or wait < self._drain_timer.remainingTime():
            self._drain_timer.start(wait)

    def set_streaming(self, streaming: bool) -> None:
        """Say that rows are (no longer) streaming in; when they stop and every queued
        record is a row, `rows_settled` fires (sort orders are prepared then)."""
        self._streaming = streaming
        if streaming:
            return
        if self._pending or self._staged:
            self._drain_timer.start(0)
        else:
            self.rows_settled.emit()

    @property
    def streaming(self) -> bool:
        return self._streaming

    @property
    def pending_count(self) -> int:
        """Tasks queued or staged that are not rows yet."""
        return len(self._pending) + self._staged_rows

    def flush(self) -> None:
        """Insert everything still queued and finish background work now (tests, screenshots,
        shutdown)."""
        self._drain_timer.stop()
        while self._pending:
            self._insert_slice(deadline=None)
        self._digested.clear()
        self._commit()
        self.appending_finished.emit()
        if not self._streaming:
            self.rows_settled.emit()
        self.jobs.finish()

    def clear(self) -> None:
        """Forget every row, queued record and outcome (a fresh load starts from here)."""
        self._drain_timer.stop()
        self.jobs.cancel_all()
        self.beginResetModel()
        self._init_columns()
        self._pending.clear()
        self._digested.clear()
        self._early_outcomes.clear()
        self._counts.clear()
        self._names.clear()
        self._strings.clear()
        self.people.clear()
        self.groups.clear()
        self._days.clear()
        self._moments.clear()
        self._orders.clear()
        self._order_versions.clear()
        self.version += 1
        self.endResetModel()
        self.outcomes_changed.emit()

    TRIM_ROWS = 10_000
    """After a load of at least this many rows, freed memory is handed back to the system."""

    def _after_load(self) -> None:
        if len(self._id) >= self.TRIM_ROWS and self._trimmed_at != self.version:
            self._trimmed_at = self.version
            release_free_memory()

    def _drain(self) -> None:
        now = time.perf_counter()
        self._insert_slice(deadline=now + self.slice_s)
        since = now - self._committed_at
        due = not self._id or since >= self.COMMIT_S or not (self._pending or self._streaming)
        if self._staged and due:
            self._commit()
        if len(self._digested) >= self.RETAIN_ITEMS:
            self._release_digested()  # a long queue: do not keep all of it twice
        if self._pending:
            self._drain_timer.start(0)
            return
        self._release_digested()
        if self._staged:  # streaming: the next pages are likely on their way
            self._drain_timer.start(max(1, int((self.COMMIT_S - since) * 1000)))
            return
        self.appending_finished.emit()
        if not self._streaming:
            self.rows_settled.emit()

    RETAIN_ITEMS = 50000
    """At most this many digested tasks are kept while the queue is not empty yet."""
    RELEASE_ITEMS = 4000
    """Digested tasks let go of per step (each is a dozen objects to free)."""

    def _release_digested(self) -> None:
        """Let go of the tasks digested since the queue was last empty, a step at a time.

        They are kept until then on purpose: freeing each answer while its rows are made
        costs the slices that time (tried once titles no longer pinned freed memory: the
        same 0.6 KB a row, but a 99th percentile of 18-20.3 ms instead of 15.6-18.2).
        """
        if not self._digested:
            return
        items, self._digested = self._digested, []

        def release() -> Generator[None, None, None]:
            while items:
                del items[-self.RELEASE_ITEMS :]
                yield

        self.jobs.add(release())

    def _insert_slice(self, *, deadline: float | None) -> None:
        """Decode and convert queued tasks until `deadline` (perf_counter) or the queue ends.

        New rows are staged (converted, not yet rows); `_commit` makes them rows, at most
        every COMMIT_S while a load streams in, so the table is not re-laid out and
        repainted after every slice.
        """
        pending = self._pending
        fresh: list[TaskRecord] = []
        clock = time.perf_counter
        digested = self._digested.append
        while pending:
            for _ in range(min(128, len(pending))):
                item = pending.popleft()
                digested(item)
                record = item if isinstance(item, TaskRecord) else _decode(item)
                if record is None:
                    continue
                task_id = record.id
                if self._index is None and self._sorted_ids is None:
                    if task_id > self._last_id:  # the usual case: ids ascending
                        self._last_id = task_id
                        fresh.append(record)
                        continue
                    self._stage(fresh)
                    fresh = []
                    self._commit()
                    row = self.row_of(task_id)
                    if row is not None:
                        self._replace(row, record)
                        continue
                    # Out of id order: the rows so far are found by a binary search, the
                    # rows from now on in a map.
                    self._covered = len(self._id)
                    self._index = {}
                known = self.row_of(task_id)
                if known is None:
                    if self._index is None:
                        self._covered = len(self._id)
                        self._index = {}
                    self._index[task_id] = len(self._id) + self._staged_rows + len(fresh)
                    fresh.append(record)
                    continue
                if known >= len(self._id):  # a repeat of a staged task: make it a row first
                    self._stage(fresh)
                    fresh = []
                    self._commit()
                self._replace(known, record)
            if deadline is not None and clock() >= deadline:
                break
        self._stage(fresh)

    def _stage(self, records: list[TaskRecord]) -> None:
        if records:
            self._staged.append(self._columns_of(records))
            self._staged_rows += len(records)

    def _commit(self) -> None:
        """Make the staged rows rows (one beginInsertRows)."""
        self._committed_at = time.perf_counter()
        if not self._staged:
            return
        first = len(self._id)
        staged, self._staged = self._staged, []
        count, self._staged_rows = self._staged_rows, 0
        self.beginInsertRows(QModelIndex(), first, first + count - 1)
        for columns in staged:
            self._extend(columns)
        self.version += 1
        self.endInsertRows()
        if self._early_outcomes:
            for task_id in self._id[first:]:
                early = self._early_outcomes.pop(task_id, None)
                if early is not None:
                    self.set_outcome(task_id, *early)

    def _columns_of(self, records: list[TaskRecord]) -> tuple[Any, ...]:
        intern = self._strings.setdefault
        names, people, groups = self._names, self.people, self.groups
        for record in records:
            for person, name in (
                (record.responsible_id, record.responsible_name),
                (record.creator_id, record.creator_name),
                (record.closed_by, record.closed_by_name),
            ):
                if name and person not in names:
                    names[person] = intern(name, name)
            if record.responsible_id not in people:
                people[record.responsible_id] = person_label(
                    record.responsible_id, record.responsible_name
                )
            if record.group_id and record.group_id not in groups:
                groups[record.group_id] = group_label(record.group_id, record.group_name)
        closed = array("d", (_NO_DATE,)) * len(records)
        offsets = array("h", bytes(2 * len(records)))
        days, moments = self._days, self._moments
        for number, record in enumerate(records):
            moment = record.closed_date
            if moment is not None:
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
                stamp = closed[number] = moment.timestamp()
                shift = moment.utcoffset()
                minutes = offsets[number] = int(shift.total_seconds() // 60) if shift else 0
                day = int((stamp + minutes * 60) // 86400)
                if not moments:
                    moments.extend((stamp, stamp))
                elif stamp < moments[0]:
                    moments[0] = stamp
                elif stamp > moments[1]:
                    moments[1] = stamp
                if not days:
                    days.extend((day, day))
                elif day < days[0]:
                    days[0] = day
                elif day > days[1]:
                    days[1] = day
        return (
            array("q", [r.id for r in records]),
            [r.title for r in records],
            array("b", [max(-128, min(127, r.status)) for r in records]),
            array("l", [r.responsible_id for r in records]),
            array("l", [r.creator_id for r in records]),
            array("l", [r.group_id for r in records]),
            array("l", [r.closed_by for r in records]),
            closed,
            offsets,
            [intern(r.responsible_name, r.responsible_name) for r in records],
            [intern(r.creator_name, r.creator_name) for r in records],
            [intern(r.group_name, r.group_name) for r in records],
            [intern(r.closed_by_name, r.closed_by_name) for r in records],
            array("b", bytes(len(records))),
        )

    def _column_stores(self) -> tuple[Any, ...]:
        return (
            self._id,
            self._title,
            self._status,
            self._responsible,
            self._creator,
            self._group,
            self._closed_by,
            self._closed,
            self._offset,
            self._responsible_name,
            self._creator_name,
            self._group_name,
            self._closed_by_name,
            self._outcome,
        )

    def _extend(self, columns: tuple[Any, ...]) -> None:
        for store, values in zip(self._column_stores(), columns, strict=True):
            store.extend(values)

    def _replace(self, row: int, record: TaskRecord) -> None:
        columns = self._columns_of([record])
        # Every store but the outcome (the last) takes the new record's value.
        for store, values in zip(self._column_stores()[:-1], columns[:-1], strict=True):
            if isinstance(store, TitleStore):
                store.replace(row, values[0])
            else:
                store[row] = values[0]
        self.version += 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, _COLUMN_COUNT - 1))

    # -- sorting support (used by the proxy) ---------------------------------------------

    def sort_keys(self, column: Column, first: int = 0, last: int | None = None) -> Sequence[Any]:
        """The sort keys of rows `first`..`last` - 1 (all by default) for `column`, in row
        order. For ID, closed date and title these are the kept columns: do not modify."""
        whole = first == 0 and last is None
        rows = slice(first, last)
        match column:
            case Column.ID:
                return self._id if whole else self._id[rows]
            case Column.CLOSED:
                return self._closed if whole else self._closed[rows]
            case Column.TITLE:
                return self._title.folded_keys(first, last)
            case Column.STATUS:
                rank = [self._status_rank(code) for code in range(len(_OUTCOMES))]
                return [rank[code] for code in self._outcome[rows]]
            case Column.GROUP:
                groups: dict[tuple[int, str], str] = {}
                return [
                    groups.get(key) or groups.setdefault(key, group_label(*key).casefold())
                    for key in zip(self._group[rows], self._group_name[rows], strict=True)
                ]
            case _:
                ids, named = {
                    Column.RESPONSIBLE: (self._responsible, self._responsible_name),
                    Column.CREATOR: (self._creator, self._creator_name),
                    Column.CLOSED_BY: (self._closed_by, self._closed_by_name),
                }[column]
                fallback = self._names if column is Column.CLOSED_BY else {}
                people: dict[tuple[int, str], str] = {}
                return [
                    people.get(key)
                    or people.setdefault(
                        key, person_label(key[0], key[1] or fallback.get(key[0], "")).casefold()
                    )
                    for key in zip(ids[rows], named[rows], strict=True)
                ]

    def _order_version(self, column: Column) -> tuple[int, int]:
        return (self.version, self.outcome_version if column is Column.STATUS else 0)

    def sorted_rows(self, column: Column) -> array[int] | None:
        """Rows in ascending `column` order (ties in arrival order), if already prepared."""
        order = self._orders.get(column)
        if order is None or self._order_versions.get(column) != self._order_version(column):
            return None
        return order

    def sort_now(self, column: Column) -> array[int]:
        """Prepare `column`'s order at once (small tables, or when there is no time)."""
        ready = self.sorted_rows(column)
        if ready is not None:
            return ready
        for _ in self.sort_job(column):
            pass
        result = self.sorted_rows(column)
        assert result is not None
        return result

    def sort_job(self, column: Column) -> Generator[None, None, None]:
        """Steps that prepare `column`'s ascending order (keys, runs, merges), each a few
        milliseconds; stale results (rows changed meanwhile) are not kept."""
        version = self._order_version(column)
        if self.sorted_rows(column) is not None:
            return
        started = time.perf_counter()
        keys: Sequence[Any] = []
        if column in (Column.ID, Column.CLOSED):
            keys = self.sort_keys(column)  # kept ready: nothing to compute
        else:  # computed a slice of rows at a time
            computed: list[Any] = []
            for first in range(0, len(self._id), KEY_ROWS):
                computed.extend(self.sort_keys(column, first, first + KEY_ROWS))
                yield
            keys = computed
        yield
        out: list[array[int]] = []
        yield from sort_steps(keys, out)
        if self._order_version(column) != version or len(out[0]) != len(self._id):
            return
        self._orders[column] = out[0]
        self._order_versions[column] = version
        if column is Column.ID:
            yield from self._compact_index(out[0], version)
        logger.debug(
            "sort order for %s over %d rows in %.3f s of steps",
            column.name,
            len(out[0]),
            time.perf_counter() - started,
        )

    # -- filtering support (used by the proxy) -------------------------------------------

    def matching_rows(
        self, task_filter: TaskFilter, within: Iterable[int] | None = None
    ) -> bytearray:
        """A byte per row, 1 where the row matches `task_filter` (text folded as
        `fold_text`, a leading "#" ignored; digits also match the task id). Only rows
        `within` are checked when given (the rest are 0)."""
        total = len(self._id)
        rows: Iterable[int] = range(total) if within is None else within
        checks: list[Callable[[int], bool]] = []
        f = task_filter
        if f.responsible_id is not None:
            responsible, wanted_r = self._responsible, f.responsible_id
            checks.append(lambda row: responsible[row] == wanted_r)
        if f.creator_id is not None:
            creator, wanted_c = self._creator, f.creator_id
            checks.append(lambda row: creator[row] == wanted_c)
        if f.group_id is not None:
            group, wanted_g = self._group, f.group_id
            checks.append(lambda row: group[row] == wanted_g)
        if f.closed_after is not None or f.closed_before is not None:
            low = f.closed_after.toordinal() - _EPOCH_DAY if f.closed_after else -(2**40)
            high = f.closed_before.toordinal() - _EPOCH_DAY if f.closed_before else 2**40
            closed = self._closed
            local = time.localtime

            def dated(row: int) -> bool:
                # Local days, as the Closed column and the filter bar show them.
                stamp = closed[row]
                return (
                    stamp != _NO_DATE and low <= (stamp + local(stamp).tm_gmtoff) // 86400 <= high
                )

            checks.append(dated)
        needle = fold_text(f.search).lstrip("#").strip()
        mask = bytearray(total)
        if needle:
            candidates = None if within is None else list(rows)
            found = self._title.matching(needle, candidates)
            pool = range(total) if candidates is None else candidates
            if needle.isdigit():
                ids = self._id
                for row in [r for r in pool if not found[r] and needle in str(ids[r])]:
                    found[row] = 1
            if not checks:
                return found
            rows = [r for r in pool if found[r]]
        for check in checks:
            rows = [r for r in rows if check(r)]
        for row in rows:
            mask[row] = 1
        return mask

    # -- outcomes -------------------------------------------------------------------------

    def set_outcome(self, task_id: int, outcome: TaskOutcome, reason: str = "") -> bool:
        """Record where `task_id` stands; repaints only that row's Status cell.

        Returns False when the task is not loaded (an outcome for a task still queued is kept
        and shown once its row exists).
        """
        row = self.row_of(task_id)
        if row is None:
            # Possibly still queued: keep it for when (if) its row is inserted.
            self._early_outcomes[task_id] = (outcome, reason)
            logger.debug("outcome for task %s, which is not (yet) a row", task_id)
            return False
        previous = _OUTCOMES[self._outcome[row]]
        if previous is not None:
            self._counts[previous] -= 1
        self._outcome[row] = _OUTCOME_CODE[outcome]
        if reason:
            self._reason[row] = reason
        else:
            self._reason.pop(row, None)
        self._counts[outcome] += 1
        self.outcome_version += 1
        status = self.index(row, Column.STATUS)
        self.dataChanged.emit(
            status,
            status,
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, OutcomeRole],
        )
        self.outcomes_changed.emit()
        return True

    def clear_outcomes(self) -> None:
        """Blank the Status column (e.g. before a new run over the same rows)."""
        self._outcome = array("b", bytes(len(self._id)))
        self._reason.clear()
        self._counts.clear()
        self._early_outcomes.clear()
        self.outcome_version += 1
        if self._id:
            self.dataChanged.emit(
                self.index(0, Column.STATUS), self.index(len(self._id) - 1, Column.STATUS)
            )
        self.outcomes_changed.emit()

    def outcome_of(self, task_id: int) -> tuple[TaskOutcome, str] | None:
        row = self.row_of(task_id)
        if row is None:
            return None
        outcome = _OUTCOMES[self._outcome[row]]
        return None if outcome is None else (outcome, self._reason.get(row, ""))

    def outcome_count(self, outcome: TaskOutcome) -> int:
        return self._counts[outcome]

    def task_ids_with(self, *outcomes: TaskOutcome) -> list[int]:
        codes = {_OUTCOME_CODE[outcome] for outcome in outcomes}
        ids = self._id
        return [ids[row] for row, code in enumerate(self._outcome) if code in codes]

    # -- lookups --------------------------------------------------------------------------

    def row_of(self, task_id: int) -> int | None:
        index = self._index
        if index is not None:
            row = index.get(task_id)
            if row is not None:
                return row
        found = self._sorted_ids
        if found is not None:
            at = bisect_left(found, task_id)
            if at < len(found) and found[at] == task_id:
                assert self._sorted_rows is not None
                return self._sorted_rows[at]
            return None
        ids = self._id
        covered = len(ids) if index is None else self._covered
        row = bisect_left(ids, task_id, 0, covered)
        return row if row < covered and ids[row] == task_id else None

    def _compact_index(
        self, by_id: array[int], version: tuple[int, int]
    ) -> Generator[None, None, None]:
        """Steps that make rows found by a binary search over `by_id` (every row, in
        ascending id order) instead of the map built while pages came in out of order."""
        if self._index is None:
            return
        ids = self._id
        found: array[int] = array("q")
        for start in range(0, len(by_id), KEY_ROWS):
            found.extend(map(ids.__getitem__, by_id[start : start + KEY_ROWS]))
            yield
        index = self._index
        if index is None or self._order_version(Column.ID) != version or len(ids) != len(by_id):
            return  # rows changed meanwhile: the next order compacts
        covered = len(by_id)
        staged = (
            {task_id: row for task_id, row in index.items() if row >= covered}
            if self._staged_rows
            else None
        )
        self._sorted_ids, self._sorted_rows, self._covered = found, by_id, covered
        self._index = staged or None

    def task_id_at(self, row: int) -> int:
        return self._id[row]

    def record_at(self, row: int) -> TaskRecord:
        return TaskRecord(
            id=self._id[row],
            title=self._title[row],
            status=self._status[row],
            responsible_id=self._responsible[row],
            responsible_name=self._responsible_name[row],
            creator_id=self._creator[row],
            creator_name=self._creator_name[row],
            group_id=self._group[row],
            group_name=self._group_name[row],
            closed_date=self.closed_date(row),
            closed_by=self._closed_by[row],
            closed_by_name=self._closed_by_name[row],
        )

    def records(self, rows: Iterable[int] | None = None) -> list[TaskRecord]:
        """Records of `rows` (all rows by default), made from the columns: about 2.5 µs
        each, so ask for the rows you need (`records_of`), or for `titles()`."""
        wanted: Iterable[int] = range(len(self._id)) if rows is None else rows
        make, zone_of, fromtimestamp = TaskRecord, self._zone, datetime.fromtimestamp
        ids, titles, statuses = self._id, self._title, self._status
        responsible, creator, group, closed_by = (
            self._responsible,
            self._creator,
            self._group,
            self._closed_by,
        )
        names = (
            self._responsible_name,
            self._creator_name,
            self._group_name,
            self._closed_by_name,
        )
        closed, offsets = self._closed, self._offset
        return [
            make(
                ids[row],
                titles[row],
                statuses[row],
                responsible[row],
                names[0][row],
                creator[row],
                names[1][row],
                group[row],
                names[2][row],
                None
                if closed[row] == _NO_DATE
                else fromtimestamp(closed[row], zone_of(offsets[row])),
                closed_by[row],
                names[3][row],
            )
            for row in wanted
        ]

    def records_of(self, task_ids: Iterable[int]) -> list[TaskRecord]:
        """Records of the loaded tasks among `task_ids`, in that order."""
        row_of = self.row_of
        return self.records(row for row in map(row_of, task_ids) if row is not None)

    def titles(self) -> dict[int, str]:
        """Task id -> title of every row (cheap: no records are made)."""
        return dict(zip(self._id, self._title, strict=True))
