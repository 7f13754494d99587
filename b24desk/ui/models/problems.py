"""The Problems panel's lines: identical causes grouped, each with what to do about it.

A tree over the flat `ErrorLogModel`: one top-level line per cause ("Your Bitrix24 user is
not allowed to reopen this task." — 169 tasks — "Ask for an administrator's webhook…"),
its tasks (by title) underneath. Every text is made when it is shown, so the lines follow
View > Language.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from b24desk.core.diagnose import is_unexpected_code
from b24desk.core.i18n import QT_TRANSLATE_NOOP, plural, translate
from b24desk.ui import language
from b24desk.ui.language import TranslatedTexts, count_text
from b24desk.ui.message_keys import MessageKey
from b24desk.ui.models.errors import EntriesRole, EntryRole, ErrorEntry, ErrorLogModel
from b24desk.ui.models.tasks import TaskIdRole

AnyIndex = QModelIndex | QPersistentModelIndex

GroupKeyRole = Qt.ItemDataRole.UserRole + 12
"""A group line's key (stable while the language changes), for keeping lines expanded."""

TitleLookup = Callable[[int], str | None]


class ProblemColumn(enum.IntEnum):
    PROBLEM = 0
    COUNT = 1
    FIX = 2
    TIME = 3


PROBLEM_HEADERS = TranslatedTexts(
    "Problems",
    {
        ProblemColumn.PROBLEM: QT_TRANSLATE_NOOP("Problems", "What went wrong"),
        ProblemColumn.COUNT: QT_TRANSLATE_NOOP("Problems", "Tasks"),
        ProblemColumn.FIX: QT_TRANSLATE_NOOP("Problems", "What to do"),
        ProblemColumn.TIME: QT_TRANSLATE_NOOP("Problems", "Time"),
    },
)

FIX_ADMIN = QT_TRANSLATE_NOOP(
    "Problems",
    "Ask for an administrator's webhook: an administrator may change every task. Or ask the "
    "task's creator to do it.",
)
FIX_CHECK = QT_TRANSLATE_NOOP(
    "Problems",
    "Click “Load tasks” to see which of these still exist and are completed; for the rest, "
    "ask for an administrator's webhook.",
)
FIX_GONE = QT_TRANSLATE_NOOP(
    "Problems",
    "Nothing to fix: the task is gone or hidden from this webhook's user. "
    "Click “Load tasks” to refresh the list.",
)
FIX_RELOAD = QT_TRANSLATE_NOOP(
    "Problems", "Click “Load tasks” to see where these tasks stand, then renew what is left."
)
FIX_RECONNECT = QT_TRANSLATE_NOOP(
    "Problems",
    "Set up the connection again with a working webhook address (Connection > Set up a "
    "connection…).",
)
FIX_SCOPE = QT_TRANSLATE_NOOP(
    "Problems",
    "On the portal, edit the webhook, tick “Tasks (task)” and save; then try again.",
)
FIX_WAIT = QT_TRANSLATE_NOOP(
    "Problems", "The portal is busy: wait a few minutes, then click “Retry failed”."
)
FIX_REPORT = QT_TRANSLATE_NOOP(
    "Problems",
    "Save a diagnostic report (Help menu) and send it to whoever supports b24desk for you.",
)
FIX_RETRY = QT_TRANSLATE_NOOP(
    "Problems",
    "Click “Retry failed” to try these tasks again; if they keep failing, save a diagnostic "
    "report (Help menu).",
)
FIX_AGAIN = QT_TRANSLATE_NOOP(
    "Problems", "Try again; if it keeps happening, save a diagnostic report (Help menu)."
)

_FIX_BY_MESSAGE: dict[tuple[str, str], str] = {
    ("Renew", "Your Bitrix24 user is not allowed to reopen this task."): FIX_ADMIN,
    ("Renew", "Your Bitrix24 user is not allowed to complete this task."): FIX_ADMIN,
    (
        "Renew",
        "Bitrix24 did not allow reopening this task (deleted, no rights, or no longer completed).",
    ): FIX_CHECK,
    ("Renew", "Bitrix24 did not allow completing this task again."): FIX_CHECK,
    ("Renew", "The task was deleted or you can no longer see it."): FIX_GONE,
    (
        "Controller",
        "The run stopped while this task was being sent: reload to see its state.",
    ): FIX_RELOAD,
    ("Renew", "The run stopped while this task was being sent."): FIX_RELOAD,
}
_AUTH_CODES = frozenset(
    {
        "INVALID_CREDENTIALS",
        "NO_AUTH_FOUND",
        "AUTHORIZATION_ERROR",
        "INVALID_CLIENT",
        "EXPIRED_TOKEN",
        "INVALID_TOKEN",
        "INVALID_GRANT",
        "WRONG_AUTH_TYPE",
    }
)
_SCOPE_CODES = frozenset({"INSUFFICIENT_SCOPE", "INVALID_SCOPE"})
_BUSY_CODES = frozenset({"QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT", "OVERLOAD_LIMIT"})


def fix_source(entry: ErrorEntry) -> str:
    """What to do about `entry`, in English as marked (translate it where it is shown)."""
    if entry.key is not None:
        fix = _FIX_BY_MESSAGE.get((entry.key.context, entry.key.source))
        if fix is not None:
            return fix
    code = entry.code.upper()
    if code in _AUTH_CODES:
        return FIX_RECONNECT
    if code in _SCOPE_CODES:
        return FIX_SCOPE
    if code in _BUSY_CODES:
        return FIX_WAIT
    if is_unexpected_code(entry.code):
        return FIX_REPORT
    if code == "RUN_STOPPED" and entry.task_id is not None:
        return FIX_RELOAD
    return FIX_RETRY if entry.task_id is not None else FIX_AGAIN


def fix_text(entry: ErrorEntry) -> str:
    return translate("Problems", fix_source(entry))


GroupKey = MessageKey | str
"""The message an entry's reason is (the same in every language), or its text."""


def group_key(entry: ErrorEntry) -> GroupKey:
    return entry.key if entry.key is not None else entry.text


@dataclass(slots=True)
class _Group:
    key: GroupKey
    entries: list[ErrorEntry] = field(default_factory=list)

    @property
    def first(self) -> ErrorEntry:
        return self.entries[0]

    def task_count(self) -> int:
        return sum(1 for entry in self.entries if entry.task_id is not None)


class ProblemGroupsModel(QAbstractItemModel):
    """Problems grouped by cause: a line per cause, its entries (tasks) below it."""

    def __init__(self, source: ErrorLogModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._groups: list[_Group] = []
        self._titles: TitleLookup = lambda _task_id: None
        for signal in (source.rowsInserted, source.rowsRemoved, source.modelReset):
            signal.connect(self._rebuild)
        self._rebuild()

    @property
    def source(self) -> ErrorLogModel:
        return self._source

    def set_title_lookup(self, lookup: TitleLookup) -> None:
        """How to name a task: its title from the loaded list (None: not loaded)."""
        self._titles = lookup
        self.refresh()

    def refresh(self) -> None:
        """Texts may read differently now (a new language, titles loaded): repaint them all."""
        groups = len(self._groups)
        if groups:
            last = ProblemColumn.TIME
            self.dataChanged.emit(self.index(0, 0), self.index(groups - 1, last))
            for row in range(groups):
                parent = self.index(row, 0)
                children = self.rowCount(parent)
                if children:
                    self.dataChanged.emit(
                        self.index(0, 0, parent), self.index(children - 1, last, parent)
                    )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ProblemColumn) - 1)

    def _rebuild(self, *_: object) -> None:
        self.beginResetModel()
        groups: dict[GroupKey, _Group] = {}
        for entry in self._source.entries():
            key = group_key(entry)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(key)
            group.entries.append(entry)
        self._groups = list(groups.values())
        self.endResetModel()

    # -- structure ------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(ProblemColumn) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._groups):
                return self.createIndex(row, column, 0)
            return QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        group_row = parent.row()
        if group_row < len(self._groups) and row < len(self._groups[group_row].entries):
            return self.createIndex(row, column, group_row + 1)
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self._groups):
            return len(self._groups[parent.row()].entries)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(ProblemColumn)

    def group_count(self) -> int:
        return len(self._groups)

    def entries_of(self, index: AnyIndex) -> list[ErrorEntry]:
        """The entries a line stands for: one task, or every task of a group."""
        if not index.isValid():
            return []
        if index.internalId() == 0:
            return list(self._groups[index.row()].entries)
        return [self._groups[index.internalId() - 1].entries[index.row()]]

    # -- texts ------------------------------------------------------------------------------

    def task_name(self, entry: ErrorEntry) -> str:
        """ "Weekly report (task 123)", or "Task 123" when its title is not loaded."""
        if entry.task_id is None:
            return ""
        title = self._titles(entry.task_id)
        if title:
            return translate("Problems", "{title} (task {id})").format(
                title=title, id=entry.task_id
            )
        return translate("Problems", "Task {id}").format(id=entry.task_id)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = ProblemColumn(index.column())
        if index.internalId() == 0:
            return self._group_data(self._groups[index.row()], column, role)
        group = self._groups[index.internalId() - 1]
        return self._entry_data(group.entries[index.row()], column, role)

    def _group_data(self, group: _Group, column: ProblemColumn, role: int) -> Any:
        entry = group.first
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case ProblemColumn.PROBLEM:
                    return entry.reason
                case ProblemColumn.COUNT:
                    return count_text(group.task_count() or len(group.entries))
                case ProblemColumn.FIX:
                    return fix_text(entry)
                case ProblemColumn.TIME:
                    return group.entries[-1].when.strftime("%H:%M:%S")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.group_details(group)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ProblemColumn.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == TaskIdRole:
            return None
        if role == EntryRole:
            return entry
        if role == EntriesRole:
            return list(group.entries)
        if role == GroupKeyRole:
            return group.key
        return None

    def _entry_data(self, entry: ErrorEntry, column: ProblemColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case ProblemColumn.PROBLEM:
                    return self.task_name(entry) or entry.reason
                case ProblemColumn.TIME:
                    return entry.when.strftime("%H:%M:%S")
                case _:
                    return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.entry_details(entry)
        if role == TaskIdRole:
            return entry.task_id
        if role == EntryRole:
            return entry
        if role == EntriesRole:
            return [entry]
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(ProblemColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return PROBLEM_HEADERS[ProblemColumn(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == ProblemColumn.TIME:
            return translate("Problems", "This computer's local time")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- the whole story of a line, for the details pane and tooltips ----------------------

    def group_details(self, group: _Group) -> str:
        entry = group.first
        lines = [entry.reason]
        tasks = group.task_count()
        if tasks:
            lines.append(
                plural(translate("Problems", "{n} task|{n} tasks"), tasks).format(
                    n=count_text(tasks)
                )
            )
        elif len(group.entries) > 1:
            lines.append(
                plural(translate("Problems", "{n} time|{n} times"), len(group.entries)).format(
                    n=count_text(len(group.entries))
                )
            )
        lines.append(translate("Problems", "What to do: {fix}").format(fix=fix_text(entry)))
        codes = sorted({e.code for e in group.entries if e.code})
        if codes:
            lines.append(translate("Problems", "Error code: {code}").format(code=", ".join(codes)))
        return "\n".join(lines)

    def entry_details(self, entry: ErrorEntry) -> str:
        lines = [self.task_name(entry)] if entry.task_id is not None else []
        lines.append(entry.reason)
        lines.append(translate("Problems", "What to do: {fix}").format(fix=fix_text(entry)))
        lines.append(
            translate("Problems", "When: {time} (local time)").format(
                time=language.date_time_text(entry.when, seconds=True)
            )
        )
        if entry.code:
            lines.append(translate("Problems", "Error code: {code}").format(code=entry.code))
        return "\n".join(lines)

    def details(self, index: AnyIndex) -> str:
        """The line at `index` in full: cause, tasks, what to do, time, code."""
        if not index.isValid():
            return ""
        if index.internalId() == 0:
            return self.group_details(self._groups[index.row()])
        return self.entry_details(self._groups[index.internalId() - 1].entries[index.row()])
