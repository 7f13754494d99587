"""The main window's selection: what is selected (shown or hidden by the filters), the
row a Problems entry marked, and the actions the selection enables.

A mixin of `MainWindow`; its strings keep the "MainWindow" translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QTimer,
)
from PySide6.QtGui import QGuiApplication

from b24desk.core.model import TaskOutcome
from b24desk.ui.language import count_text
from b24desk.ui.models import TaskFilterProxy, TaskTableModel
from b24desk.ui.widgets.activity import Activity
from b24desk.ui.widgets.task_table import TaskTable, merged_row_spans
from b24desk.ui.widgets.window_actions import WindowActions

translate = QCoreApplication.translate  # the name lupdate looks for

_REOPENED = (TaskOutcome.RENEWED, TaskOutcome.ALREADY_OPEN)
"""Rows "Renew selected" leaves out: this window saw them reopened."""
_COUNT_RENEWABLE_UP_TO = 5_000
"""Above this many selected rows the button shows the selection, not the exact count."""

if TYPE_CHECKING:
    _Base = WindowActions
else:
    _Base = object


class WindowSelection(_Base):
    """Selection bookkeeping of the task table, and the enabled state of the actions."""

    # Made by `MainWindow.__init__`.
    task_model: TaskTableModel
    proxy: TaskFilterProxy
    table: TaskTable
    _hidden_selected: set[int]
    """Selected tasks the filters hide now: selected again when the filters show them."""
    _counter_timer: QTimer
    _activity: Activity
    _undo_available: bool

    def selected_task_ids(self) -> list[int]:
        return self.table.selected_task_ids()

    def failed_task_ids(self) -> list[int]:
        return self.task_model.task_ids_with(TaskOutcome.FAILED)

    def select_task(self, task_id: int) -> bool:
        return self.table.select_task(task_id)

    def counters_text(self) -> str:
        return self.counters_label.text()

    def copy_selected_ids(self) -> str:
        text = "\n".join(str(task_id) for task_id in self.selected_task_ids())
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def _keep_hidden_selection(self, selected_before: list[int]) -> None:
        """Selected rows a filter hides stay selected, out of sight; rows a filter shows
        again come back selected. The status bar counts the hidden ones."""
        hidden = self._hidden_selected
        if selected_before:
            still_shown = set(self.selected_task_ids())
            hidden.update(i for i in selected_before if i not in still_shown)
        if not hidden:
            return
        rows: list[int] = []
        for task_id in list(hidden):
            row = self.proxy.proxy_row_of(task_id)
            if row is not None:
                rows.append(row)
                hidden.discard(task_id)
            elif self.task_model.row_of(task_id) is None:
                hidden.discard(task_id)  # no longer loaded
        if rows:
            last_column = self.proxy.columnCount() - 1
            selection = QItemSelection()
            for top, bottom in merged_row_spans((row, row) for row in rows):
                selection.select(self.proxy.index(top, 0), self.proxy.index(bottom, last_column))
            self.table.selectionModel().select(
                selection,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._schedule_counters()

    def hidden_selected_count(self) -> int:
        """Selected tasks the filters hide now (not renewed or checked until shown)."""
        return len(self._hidden_selected)

    def _forget_hidden_selection(self) -> None:
        if self._hidden_selected:
            self._hidden_selected.clear()
            self._schedule_counters()

    def _unmark_left_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The tint of a row a Problems entry sent the user to lasts until they move on."""
        marked = self.proxy.marked_task()
        if marked is not None and (
            not current.isValid() or self.proxy.task_id_at(current.row()) != marked
        ):
            self.proxy.mark_task(None)

    def _schedule_counters(self, *_: object) -> None:
        # Never connect a signal straight to QTimer.start: its arguments would become msec.
        self._counter_timer.start()

    def _not_reopened(self, ids: list[int]) -> list[int]:
        """`ids` without the rows this window has already seen reopened."""
        model = self.task_model
        if not any(model.outcome_count(o) for o in _REOPENED):
            return ids
        return [i for i in ids if (model.outcome_of(i) or (None,))[0] not in _REOPENED]

    def _renewable_count(self, selected: int) -> int:
        """How many selected rows "Renew selected" would send (rows already reopened are
        left out); counted exactly up to a size where it stays instant."""
        if selected == 0 or selected > _COUNT_RENEWABLE_UP_TO:
            return selected
        return len(self._not_reopened(self.selected_task_ids()))

    def _update_actions(self, *, selected: int | None = None, failed: int | None = None) -> None:
        if selected is None:
            selected = self.table.selected_count()
        renewable = self._renewable_count(selected)
        if failed is None:
            failed = self.task_model.outcome_count(TaskOutcome.FAILED)
        idle = self._activity is Activity.IDLE
        self.action_load.setEnabled(idle)
        self.action_stop.setEnabled(self._activity is Activity.LOADING)
        self.action_cancel.setEnabled(self._activity is Activity.RENEWING)
        self.action_renew.setEnabled(idle and renewable > 0)
        self.action_check.setEnabled(idle and selected > 0)
        self.action_awaiting.setEnabled(idle)
        self.action_retry.setEnabled(idle and failed > 0)
        self.action_undo.setEnabled(idle and self._undo_available)
        # Changing the connection mid-operation would pull the portal from under it.
        self.action_setup.setEnabled(idle)
        self.action_diagnose.setEnabled(idle)
        self.profiles_menu.setEnabled(idle and bool(self._profile_group.actions()))
        self.action_copy_ids.setEnabled(selected > 0)
        renew_text = self._action_texts[self.action_renew][0]
        retry_text = self._action_texts[self.action_retry][0]
        self.action_renew.setText(
            f"{renew_text} ({count_text(renewable)})" if renewable else renew_text
        )
        self.action_renew.setToolTip(
            self._renew_tip
            if selected or not idle
            else translate("MainWindow", "Select tasks in the table first")
        )
        self.action_retry.setText(f"{retry_text} ({count_text(failed)})" if failed else retry_text)
