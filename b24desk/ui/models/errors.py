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
from b24desk.ui.models.tasks import TaskIdRole

AnyIndex = QModelIndex | QPersistentModelIndex

EntryRole = Qt.ItemDataRole.UserRole + 10


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
    """One failure. Text is redacted when the entry is made, so it can be shown and copied."""

    when: datetime
    task_id: int | None
    reason: str
    code: str = ""

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
    reason = " ".join(redact(reason).split()) or translate("Problems", "Unknown error")
    return ErrorEntry(when or datetime.now(), task_id, reason, redact(code.strip()))


class ErrorLogModel(QAbstractTableModel):
    """Rows of (time, task id or "-", plain-language reason, error code), oldest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ErrorEntry] = []

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
        batch = list(entries)
        if not batch:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._entries.extend(batch)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._entries.clear()
        self.endResetModel()

    def entry_at(self, row: int) -> ErrorEntry:
        return self._entries[row]

    def entries(self) -> list[ErrorEntry]:
        return list(self._entries)
