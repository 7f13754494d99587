"""The error panel's rows: every failure of loading or renewing, in plain words."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.redact import redact
from b24desk.ui import language
from b24desk.ui.language import TranslatedTexts
from b24desk.ui.message_keys import MessageKey, message_key, render
from b24desk.ui.models.tasks import TaskIdRole

AnyIndex = QModelIndex | QPersistentModelIndex

EntryRole = Qt.ItemDataRole.UserRole + 10
EntriesRole = Qt.ItemDataRole.UserRole + 11
"""Every entry a line of the Problems panel stands for (a group: all of its tasks)."""

UNKNOWN_ERROR = QT_TRANSLATE_NOOP("Problems", "Unknown error")


class ErrorColumn(enum.IntEnum):
    TIME = 0
    TASK = 1
    REASON = 2
    CODE = 3


ERROR_HEADERS = TranslatedTexts(
    "Problems",
    {
        ErrorColumn.TIME: QT_TRANSLATE_NOOP("Problems", "Time"),
        ErrorColumn.TASK: QT_TRANSLATE_NOOP("Problems", "Task"),
        ErrorColumn.REASON: QT_TRANSLATE_NOOP("Problems", "What went wrong"),
        ErrorColumn.CODE: QT_TRANSLATE_NOOP("Problems", "Error code"),
    },
)


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """One failure. Text is redacted when the entry is made, so it can be shown and copied.

    `key` is the catalog message the text is, when it is one (see `message_keys`): the
    reason is then shown in the language in force, not the one it was written in.
    """

    when: datetime
    task_id: int | None
    text: str
    code: str = ""
    key: MessageKey | None = None

    @property
    def reason(self) -> str:
        return render(self.key) if self.key is not None else self.text

    @property
    def task_text(self) -> str:
        return str(self.task_id) if self.task_id is not None else "-"

    def as_text(self) -> str:
        """One line for a support request: time, task, reason, code."""
        parts = [
            language.date_time_text(self.when, seconds=True),
            translate("Problems", "task {id}").format(id=self.task_text),
            self.reason,
        ]
        if self.code:
            parts.append(f"[{self.code}]")
        return redact("  ".join(parts))


def make_entry(
    reason: str, *, code: str = "", task_id: int | None = None, when: datetime | None = None
) -> ErrorEntry:
    text = " ".join(redact(reason).split())
    key: MessageKey | None = MessageKey("Problems", UNKNOWN_ERROR)
    if text:
        key = message_key(text)
    else:
        text = translate("Problems", UNKNOWN_ERROR)
    return ErrorEntry(when or datetime.now(), task_id, text, redact(code.strip()), key)


class ErrorLogModel(QAbstractTableModel):
    """Rows of (time, task id or "-", plain-language reason, error code), oldest first.

    A task has at most one entry, its latest problem: a retry that fails again replaces the
    entry, and one that succeeds removes it (`resolve_tasks`), so retrying never makes the
    list longer. `resolved_count` says how many tasks a later run put right.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ErrorEntry] = []
        self._task_ids: set[int] = set()
        self.resolved_count = 0

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ErrorColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = ErrorColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is ErrorColumn.TIME:
                return language.date_time_text(entry.when, seconds=True)
            if column is ErrorColumn.REASON:
                return entry.reason
            if column is ErrorColumn.TASK and entry.task_id is not None:
                return translate("Problems", "Click to show this task in the table")
            return None
        if role == TaskIdRole:
            return entry.task_id
        if role == EntryRole:
            return entry
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(ErrorColumn)
        ):
            return ERROR_HEADERS[ErrorColumn(section)]
        return None

    @staticmethod
    def _display(entry: ErrorEntry, column: ErrorColumn) -> str:
        match column:
            case ErrorColumn.TIME:
                return entry.when.strftime("%H:%M:%S")
            case ErrorColumn.TASK:
                return entry.task_text
            case ErrorColumn.REASON:
                return entry.reason
            case ErrorColumn.CODE:
                return entry.code

    def add_error(
        self,
        reason: str,
        *,
        code: str = "",
        task_id: int | None = None,
        when: datetime | None = None,
    ) -> ErrorEntry:
        entry = make_entry(reason, code=code, task_id=task_id, when=when)
        self.add_entries([entry])
        return entry

    def add_entries(self, entries: Iterable[ErrorEntry]) -> None:
        """List `entries`; a task's earlier entry gives way to its new one."""
        latest: dict[int, ErrorEntry] = {}
        general: list[ErrorEntry] = []
        for entry in entries:
            if entry.task_id is None:
                general.append(entry)
            else:
                latest.pop(entry.task_id, None)
                latest[entry.task_id] = entry
        batch = general + list(latest.values())
        if not batch:
            return
        if self._task_ids.intersection(latest):
            self.beginResetModel()
            self._entries = [e for e in self._entries if e.task_id not in latest]
            self._entries.extend(batch)
            self._task_ids.update(latest)
            self.endResetModel()
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._entries.extend(batch)
        self._task_ids.update(latest)
        self.endInsertRows()

    def resolve_tasks(self, task_ids: Iterable[int]) -> int:
        """These tasks are fine now (a later run reopened them): their entries go.

        Returns how many tasks had an entry."""
        gone = self._task_ids.intersection(task_ids)
        if not gone:
            return 0
        self.beginResetModel()
        self._entries = [e for e in self._entries if e.task_id not in gone]
        self._task_ids -= gone
        self.resolved_count += len(gone)
        self.endResetModel()
        return len(gone)

    def has_task(self, task_id: int) -> bool:
        return task_id in self._task_ids

    def clear(self) -> None:
        self.beginResetModel()
        self._entries.clear()
        self._task_ids.clear()
        self.resolved_count = 0
        self.endResetModel()

    def entry_at(self, row: int) -> ErrorEntry:
        return self._entries[row]

    def entries(self) -> list[ErrorEntry]:
        return list(self._entries)
