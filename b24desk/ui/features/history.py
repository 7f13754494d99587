"""Tools > History: the journal's runs in a dialog, each exportable to CSV or undoable.

Undoing a run from here is the `runs` feature's job: the dialog's request goes out as
`undo_wanted` once the window is free and connected.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.renew.journal import Journal
from b24desk.ui.bridge import AsyncOp, OpHandle
from b24desk.ui.dialogs.history import HistoryDialog
from b24desk.ui.export import suggested_file_name, write_run_csv
from b24desk.ui.features.state import DeskState, error_text


class RunHistory(QObject):
    undo_wanted = Signal(object)
    """The run ids (a list) the admin asked to undo from the dialog."""

    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state
        self.dialog: HistoryDialog | None = None

    def open(self) -> HistoryDialog:
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        dialog = HistoryDialog(self.state.window)
        dialog.undo_requested.connect(self._undo_from_history)
        dialog.export_requested.connect(self.export_run)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        self.reload()
        dialog.open()
        return dialog

    def _closed(self, _: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def reload(self) -> OpHandle[Any] | None:
        dialog = self.dialog
        if dialog is None:
            return None
        journal = Journal(self.state.services.journal_path)
        session = self.state.session
        portal = session.engine.portal if session is not None else None
        return (
            AsyncOp(lambda _: asyncio.to_thread(journal.runs), parent=dialog, label="history")
            .on_success(lambda runs: dialog.set_runs(runs, portal=portal))
            .on_failure(lambda e: dialog.show_problem(error_text(e)[0]))
            .run()
        )

    def _undo_from_history(self, run_id: str) -> None:
        dialog, state = self.dialog, self.state
        problem = ""
        if state.busy:
            problem = state.wait_text()
        elif state.session is None:
            problem = self.tr("Connect to the portal the run was made on to undo it.")
        if problem:
            # The dialog stays open: the admin can try again once the window is free.
            state.window.show_message(problem)
            if dialog is not None:
                dialog.show_problem(problem)
            return
        if dialog is not None:
            dialog.accept()
        self.undo_wanted.emit([run_id])

    def export_run(self, run_id: str, path: str | None = None) -> OpHandle[Any] | None:
        """Write the run's results to a CSV file (asks where, unless `path` is given)."""
        window, services = self.state.window, self.state.services
        parent = self.dialog or window
        if path is None:
            suggested = str(services.export_dir / suggested_file_name(run_id))
            path = services.save_path(parent, self.tr("Export the run's results"), suggested)
            if not path:
                return None
        target = Path(path)
        titles = window.task_model.titles()
        journal = Journal(services.journal_path)

        def write() -> int:
            return write_run_csv(target, journal.require(run_id), titles)

        def written(rows: int) -> None:
            text = self.tr("Saved %Ln task(s) of the run to {path}.", "", rows).format(path=target)
            window.show_message(text, 15000)
            if self.dialog is not None:
                self.dialog.show_note(text)

        def failed(error: Exception) -> None:
            if isinstance(error, OSError):
                message = self.tr(
                    "Could not write {path} ({reason}): choose another folder or file name."
                ).format(path=target, reason=error.strerror or type(error).__name__)
            else:
                message = error_text(error)[0]
            window.show_message(message, 15000)
            if self.dialog is not None:
                self.dialog.show_problem(message)

        return (
            AsyncOp(lambda _: asyncio.to_thread(write), parent=self, label="export")
            .on_success(written)
            .on_failure(failed)
            .run()
        )
