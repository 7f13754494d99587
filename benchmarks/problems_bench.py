"""The Problems panel under a large run, in numbers (figures only: nothing here asserts).

    .venv/bin/python benchmarks/problems_bench.py [--tasks 5000] [--batch 50]

A window with `--tasks` loaded rows; a run refuses all of them, its results arriving in
batches of `--batch` (as the controller's inbox hands them over); then a retry reopens them
all. Printed: the time to build the message-key table (used to re-render texts after View >
Language), the wall time of each phase including the window's repaints, and the longest
single batch, which is how long the window could not react.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from b24desk.core.model import TaskOutcome, TaskRecord
from b24desk.ui.language import apply_language

REASON = "Your Bitrix24 user is not allowed to reopen this task."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    apply_language("en")

    from b24desk.ui import message_keys
    from b24desk.ui.models import make_entry
    from b24desk.ui.widgets import MainWindow

    started = time.perf_counter()
    message_keys.message_key("")
    print(f"message-key table: {(time.perf_counter() - started) * 1000:.0f} ms")

    window = MainWindow()
    window.resize(1280, 780)
    window.show()
    window.append_tasks(TaskRecord(i, f"Task {i}", 5, 1) for i in range(1, args.tasks + 1))
    window.task_model.flush()
    app.processEvents()

    def phase(name: str, step: Callable[[range], None]) -> None:
        longest = 0.0
        started = time.perf_counter()
        for first in range(1, args.tasks + 1, args.batch):
            ids = range(first, min(first + args.batch, args.tasks + 1))
            batch_started = time.perf_counter()
            step(ids)
            app.processEvents()
            longest = max(longest, time.perf_counter() - batch_started)
        total = (time.perf_counter() - started) * 1000
        print(
            f"{name}: {total:.0f} ms in batches of {args.batch}, longest batch "
            f"{longest * 1000:.1f} ms; problems listed {window.error_model.rowCount()}, "
            f"lines {window.error_panel.groups.rowCount()}"
        )

    def refuse(ids: range) -> None:
        for task_id in ids:
            window.set_outcome(task_id, TaskOutcome.NOT_ALLOWED, REASON)
        window.add_errors(make_entry(REASON, code="1048582", task_id=t) for t in ids)

    def reopen(ids: range) -> None:
        for task_id in ids:
            window.set_outcome(task_id, TaskOutcome.RENEWED)

    phase(f"{args.tasks:,} refused", refuse)
    phase(f"retry reopening {args.tasks:,}", reopen)
    started = time.perf_counter()
    phase_ids = range(1, args.tasks + 1)
    refuse(phase_ids)
    app.processEvents()
    apply_language("ru")
    app.processEvents()
    print(
        f"switch to Russian with {args.tasks:,} problems and reasons: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms (including listing them)"
    )
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
