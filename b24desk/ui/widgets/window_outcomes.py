"""The main window's outcomes and problems: each task's result in the Status column and
the Problems panel's entries (a mixin of `MainWindow`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QMainWindow

from b24desk.core.i18n import translate
from b24desk.core.model import TaskOutcome, TaskRecord
from b24desk.ui.message_keys import MessageKey, message_key, render
from b24desk.ui.models import ErrorEntry, ErrorLogModel, TaskTableModel
from b24desk.ui.models.outcomes import outcome_text
from b24desk.ui.models.tasks import RecordRole
from b24desk.ui.widgets.error_panel import ErrorPanel

RESOLVING_OUTCOMES = frozenset({TaskOutcome.RENEWED, TaskOutcome.ALREADY_OPEN})
"""A task's earlier problem is over once a later run ends with one of these."""

if TYPE_CHECKING:
    _Base = QMainWindow
else:
    _Base = object


class WindowOutcomes(_Base):
    """Where each task stands after a run, and the problems the runs met."""

    # Made by `MainWindow.__init__`.
    task_model: TaskTableModel
    error_model: ErrorLogModel
    error_panel: ErrorPanel
    _reason_keys: dict[int, MessageKey]
    """Task id -> the catalog message its Status reason is, to show it in a new language."""
    _resolved: set[int]
    _resolve_timer: QTimer

    def set_outcome(self, task_id: int, outcome: TaskOutcome, reason: str = "") -> bool:
        """Show where a task stands. Reopened (or found open) by a later run, its problem
        leaves the Problems panel."""
        key = message_key(reason) if reason else None
        if key is not None:
            self._reason_keys[task_id] = key
        else:
            self._reason_keys.pop(task_id, None)
        if outcome in RESOLVING_OUTCOMES and self.error_model.has_task(task_id):
            # Once per turn of the loop, not once per task: a retry of 1,000 tasks.
            self._resolved.add(task_id)
            self._resolve_timer.start()
        return self.task_model.set_outcome(task_id, outcome, reason)

    def _resolve_pending(self) -> None:
        resolved, self._resolved = self._resolved, set()
        self.error_model.resolve_tasks(resolved)

    def clear_outcomes(self) -> None:
        self._reason_keys.clear()
        self.task_model.clear_outcomes()

    def _retranslate_reasons(self) -> None:
        """Status reasons that are catalog messages, in the language now in force."""
        for task_id, key in list(self._reason_keys.items()):
            now = self.task_model.outcome_of(task_id)
            if now is not None:
                self.task_model.set_outcome(task_id, now[0], render(key))

    def _task_title(self, task_id: int) -> str | None:
        row = self.task_model.row_of(task_id)
        return self.task_model.record_at(row).title if row is not None else None

    def add_error(
        self,
        reason: str,
        *,
        code: str = "",
        task_id: int | None = None,
        when: datetime | None = None,
    ) -> ErrorEntry:
        """List a failure in the problems panel (its text is redacted) and show the panel."""
        entry = self.error_model.add_error(reason, code=code, task_id=task_id, when=when)
        self.error_panel.show()
        return entry

    def add_errors(self, entries: Iterable[ErrorEntry]) -> None:
        """List several ready-made (already redacted) entries at once."""
        batch = list(entries)
        if batch:
            self.error_model.add_entries(batch)
            self.error_panel.show()

    def clear_errors(self) -> None:
        self.error_model.clear()

    def _show_row_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """A row with a result: its whole reason in the Problems panel's details pane (the
        Status column shows only its start)."""
        record = current.data(RecordRole) if current.isValid() else None
        if not isinstance(record, TaskRecord):
            return
        state = self.task_model.outcome_of(record.id)
        if state is None or not state[1]:
            return
        outcome, reason = state
        name = translate("Problems", "{title} (task {id})").format(title=record.title, id=record.id)
        self.error_panel.show_details(f"{name}\n{outcome_text(outcome)}\n{reason}")
