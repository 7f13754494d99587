"""The history of renew, retry and undo runs, one row each, newest first."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from b24desk.core.i18n import QT_TRANSLATE_NOOP, plural, translate
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.jobs import undo_refusal, undone
from b24desk.core.renew.records import RunRecord
from b24desk.ui import language
from b24desk.ui.export import local_time
from b24desk.ui.language import TranslatedTexts

AnyIndex = QModelIndex | QPersistentModelIndex

RunRole = Qt.ItemDataRole.UserRole + 20


class RunColumn(enum.IntEnum):
    STARTED = 0
    KIND = 1
    TASKS = 2
    REOPENED = 3
    COMPLETED_AGAIN = 4
    NOT_ALLOWED = 5
    FAILED = 6
    OTHER = 7
    STATE = 8


RUN_HEADERS = TranslatedTexts(
    "History",
    {
        RunColumn.STARTED: QT_TRANSLATE_NOOP("History", "Started"),
        RunColumn.KIND: QT_TRANSLATE_NOOP("History", "What"),
        RunColumn.TASKS: QT_TRANSLATE_NOOP("History", "Tasks"),
        RunColumn.REOPENED: QT_TRANSLATE_NOOP("History", "Reopened"),
        RunColumn.COMPLETED_AGAIN: QT_TRANSLATE_NOOP("History", "Completed again"),
        RunColumn.NOT_ALLOWED: QT_TRANSLATE_NOOP("History", "Not allowed"),
        RunColumn.FAILED: QT_TRANSLATE_NOOP("History", "Failed"),
        RunColumn.OTHER: QT_TRANSLATE_NOOP("History", "Skipped or left"),
        RunColumn.STATE: QT_TRANSLATE_NOOP("History", "How it ended"),
    },
)

KIND_NAMES = TranslatedTexts(
    "History",
    {
        "renew": QT_TRANSLATE_NOOP("History", "Renew"),
        "retry": QT_TRANSLATE_NOOP("History", "Retry of failed"),
        "undo": QT_TRANSLATE_NOOP("History", "Undo"),
    },
)
_COUNTED = {
    RunColumn.REOPENED: (TaskOutcome.RENEWED,),
    RunColumn.COMPLETED_AGAIN: (TaskOutcome.RECOMPLETED,),
    RunColumn.NOT_ALLOWED: (TaskOutcome.NOT_ALLOWED,),
    RunColumn.FAILED: (TaskOutcome.FAILED,),
    RunColumn.OTHER: (
        TaskOutcome.SKIPPED,
        TaskOutcome.ALREADY_OPEN,
        TaskOutcome.NOT_ATTEMPTED,
        TaskOutcome.RENEWING,
        TaskOutcome.QUEUED,
    ),
}


def run_state(run: RunRecord, runs: Sequence[RunRecord] = ()) -> str:
    if run.crashed:
        return translate("History", "Interrupted (b24desk stopped during the run)")
    done = undone(run, runs)
    if done is not None:
        # What it achieved first: a narrow column cuts the end, and the undo's own row
        # shows when it ran.
        text = plural(
            translate("History", "Undone: {n} completed again|Undone: {n} completed again"),
            done.completed,
        ).format(n=language.count_text(done.completed))
        if done.awaiting_approval:
            text += plural(
                translate("History", ", {n} awaiting approval|, {n} awaiting approval"),
                done.awaiting_approval,
            ).format(n=language.count_text(done.awaiting_approval))
        return translate("History", "{what} ({when})").format(
            what=text, when=local_time(done.at, seconds=False)
        )
    return translate("History", "Cancelled") if run.cancelled else translate("History", "Finished")


def can_undo(run: RunRecord, runs: Sequence[RunRecord]) -> bool:
    """The one undo rule (`undo_refusal`), on the runs the history shows."""
    return undo_refusal(run, runs) is None


class RunHistoryModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs: list[RunRecord] = []
        self._counts: list[dict[TaskOutcome, int]] = []

    def set_runs(self, runs: Iterable[RunRecord]) -> None:
        self.beginResetModel()
        self._runs = sorted(runs, key=lambda run: run.started_at, reverse=True)
        self._counts = [run.counts() for run in self._runs]
        self.endResetModel()

    def run_at(self, row: int) -> RunRecord:
        return self._runs[row]

    def runs(self) -> list[RunRecord]:
        return list(self._runs)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RunColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run = self._runs[index.row()]
        column = RunColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is RunColumn.STATE:
                return run_state(run, self._runs)  # read each time: the language may change
            return self._display(run, self._counts[index.row()], column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (
            RunColumn.STARTED,
            RunColumn.KIND,
            RunColumn.STATE,
        ):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and column is RunColumn.STATE:
            return run_state(run, self._runs)  # in full when the column cuts it
        if role == Qt.ItemDataRole.ToolTipRole and column is RunColumn.KIND:
            if run.parent:
                return translate("History", "Run {run}, following run {parent}").format(
                    run=run.run_id, parent=run.parent
                )
            return translate("History", "Run {run}").format(run=run.run_id)
        if role == RunRole:
            return run
        return None

    @staticmethod
    def _display(run: RunRecord, counts: dict[TaskOutcome, int], column: RunColumn) -> str:
        match column:
            case RunColumn.STARTED:
                return local_time(run.started_at, seconds=False)
            case RunColumn.KIND:
                return KIND_NAMES.get(run.kind) or run.kind
            case RunColumn.TASKS:
                return language.count_text(len(run.before))
            case RunColumn.STATE:
                return run_state(run)
            case _:
                return language.count_text(sum(counts.get(o, 0) for o in _COUNTED[column]))

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(RunColumn)
        ):
            return RUN_HEADERS[RunColumn(section)]
        return None
