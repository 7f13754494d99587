"""Screenshots of the main window's main states, filled with ~2,000 fake completed tasks.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py OUT_DIR
    xvfb-run -a .venv/bin/python tools/screenshots.py OUT_DIR      # real X server (xcb)

Nothing talks to a portal: the rows, outcomes and errors are made up here. Each state is
saved as a PNG with `QWidget.grab()`, which works on both platforms.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    # Without a display Qt aborts; offscreen renders the same widgets into memory.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from b24desk.core.model import COMPLETED, TaskFilter, TaskOutcome, TaskRecord
from b24desk.ui.widgets import Activity, MainWindow

PEOPLE = [
    (1, "Anna Smith"),
    (7, "Иван Петров"),
    (12, "Olga Кузнецова"),
    (15, "Mark O'Connor"),
    (21, "Екатерина Смирнова-Васильева"),
    (34, "Li Wei"),
    (40, "Дмитрий Соколов"),
    (52, "Julia Fischer"),
    (61, ""),  # a user the portal sent without a name
]
GROUPS = [
    (0, ""),
    (3, "Website relaunch 2024"),
    (5, "Отдел продаж"),
    (8, "Customer support"),
    (9, "Бухгалтерия и финансы"),
]
VERBS = ["Prepare", "Check", "Update", "Send", "Подготовить", "Проверить", "Согласовать"]
OBJECTS = [
    "quarterly report",
    "invoice for «Вектор»",
    "landing page texts",
    "договор поставки №{n}",
    "onboarding checklist for the new manager",
    "презентацию для клиента",
    "backup of the CRM export",
]

MSK = timezone(timedelta(hours=3))


def fake_records(count: int, seed: int = 24) -> list[TaskRecord]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 8, 9, 0, tzinfo=MSK)
    records = []
    for number in range(count):
        task_id = 1200 + number * 3 + rng.randrange(3)
        responsible = rng.choice(PEOPLE)
        creator = rng.choice(PEOPLE)
        group = rng.choice(GROUPS)
        closer = rng.choice([responsible, creator])
        title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS).format(n=rng.randrange(100, 999))}"
        records.append(
            TaskRecord(
                id=task_id,
                title=title,
                status=COMPLETED,
                responsible_id=responsible[0],
                responsible_name=responsible[1],
                creator_id=creator[0],
                creator_name=creator[1],
                group_id=group[0],
                group_name=group[1],
                closed_date=start + timedelta(minutes=rng.randrange(0, 60 * 24 * 300)),
                closed_by=closer[0],
                closed_by_name=closer[1],
            )
        )
    return records


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in {
        roles.Window: "#2b2b2b",
        roles.WindowText: "#e8e8e8",
        roles.Base: "#1f1f1f",
        roles.AlternateBase: "#282828",
        roles.Text: "#e8e8e8",
        roles.Button: "#353535",
        roles.ButtonText: "#e8e8e8",
        roles.Highlight: "#3d6fb4",
        roles.HighlightedText: "#ffffff",
        roles.ToolTipBase: "#353535",
        roles.ToolTipText: "#e8e8e8",
        roles.PlaceholderText: "#9a9a9a",
        roles.Link: "#8ab4f8",
    }.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#777777"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#777777"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#777777"))
    return palette


class Shooter:
    def __init__(self, app: QApplication, window: MainWindow, out_dir: Path) -> None:
        self.app = app
        self.window = window
        self.out_dir = out_dir
        self.saved: list[Path] = []

    def settle(self) -> None:
        self.window.task_model.flush()
        # Long enough for the window's coalescing timers (counters, filter choices) to run.
        QTest.qWait(300)
        self.window.filter_bar.apply_now()
        QTest.qWait(50)

    def shoot(self, name: str) -> None:
        self.settle()
        path = self.out_dir / f"{name}.png"
        if not self.window.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        self.saved.append(path)


def select_rows(window: MainWindow, rows: list[int]) -> None:
    selection = window.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(window.proxy.index(row, 0), flags)


def run_states(shooter: Shooter, records: list[TaskRecord], suffix: str = "") -> None:
    window = shooter.window
    window.clear_tasks()
    window.clear_errors()
    window.set_undo_available(False)
    window.set_busy(Activity.IDLE)
    window.filter_bar.reset()
    window.error_panel.show()
    window.statusBar().clearMessage()
    shooter.shoot(f"01-first-start{suffix}")

    window.set_busy(Activity.LOADING)
    window.set_progress(0, None, "Connecting to the portal…")
    shooter.shoot(f"02-connecting{suffix}")

    window.set_busy(Activity.LOADING)
    window.append_tasks(records[:750])
    window.set_progress(750, len(records), f"Loading tasks… {750:,} of {len(records):,}")
    shooter.shoot(f"03-loading{suffix}")

    window.append_tasks(records[750:])
    window.set_busy(Activity.IDLE)
    shooter.settle()
    select_rows(window, list(range(3, 40)))
    shooter.shoot(f"04-loaded-selected{suffix}")

    chosen = window.selected_task_ids()
    window.set_busy(Activity.RENEWING)
    for position, task_id in enumerate(chosen):
        if position < 14:
            window.set_outcome(task_id, TaskOutcome.RENEWED)
        elif position == 14:
            window.set_outcome(task_id, TaskOutcome.RENEWING)
        else:
            window.set_outcome(task_id, TaskOutcome.QUEUED)
    window.set_progress(14, len(chosen), f"Renewing… {14} of {len(chosen)}")
    shooter.shoot(f"05-renewing{suffix}")

    for position, task_id in enumerate(chosen[14:], start=14):
        window.set_outcome(task_id, TaskOutcome.RENEWED)
        if position == 17:
            window.set_outcome(task_id, TaskOutcome.ALREADY_OPEN, "Someone reopened it already")
    failed = {
        chosen[20]: ("The portal did not answer in time", "TIMEOUT"),
        chosen[27]: ("Server error on the portal, try again later", "ERROR_CORE"),
    }
    for task_id, (reason, code) in failed.items():
        window.set_outcome(task_id, TaskOutcome.FAILED, reason)
        window.add_error(reason, code=code, task_id=task_id)
    window.set_outcome(chosen[31], TaskOutcome.NOT_ALLOWED, "You may not reopen this task")
    window.add_error("You may not reopen this task", code="ACTION_NOT_ALLOWED", task_id=chosen[31])
    window.add_error(
        "Could not load page 38 of the task list: too many requests",
        code="QUERY_LIMIT_EXCEEDED",
    )
    window.set_busy(Activity.IDLE)
    window.set_undo_available(True)
    window.table.clearSelection()  # outcome colours show on unselected rows
    window.show_message(f"Renewed {len(chosen) - 4} of {len(chosen)} tasks; 2 failed.")
    shooter.shoot(f"06-after-run{suffix}")

    # The admin clicks the first problem: its task is selected and scrolled into view.
    first_problem = window.error_panel.view
    first_problem.selectRow(0)
    window.error_panel.task_activated.emit(window.error_model.entry_at(0).task_id or 0)
    shooter.shoot(f"06b-problem-clicked{suffix}")
    window.table.clearSelection()

    window.filter_bar.set_filter(TaskFilter(search="отчёт", responsible_id=7))
    shooter.shoot(f"07-filtered-empty{suffix}")
    window.filter_bar.set_filter(TaskFilter(search="report", responsible_id=7))
    shooter.shoot(f"08-filtered{suffix}")
    window.filter_bar.reset()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument("--count", type=int, default=2000, help="fake tasks (default 2000)")
    parser.add_argument("--size", default="1280x760", help="window size, WxH")
    args = parser.parse_args(argv)
    if args.count < 40:
        parser.error("--count must be at least 40 (the run states use 37 selected rows)")
    width, _, height = args.size.partition("x")
    args.out_dir.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    light = app.palette()
    window = MainWindow(filter_debounce_ms=0)
    window.set_connection("example.bitrix24.ru", "Anna Smith", demo=True)
    window.resize(int(width), int(height))
    window.show()
    shooter = Shooter(app, window, args.out_dir)
    records = fake_records(args.count)

    states: list[tuple[str, Callable[[], None]]] = [
        ("", lambda: app.setPalette(light)),
        ("-dark", lambda: app.setPalette(dark_palette())),
    ]
    for suffix, set_palette in states:
        set_palette()
        run_states(shooter, records, suffix)
    print(f"platform {app.platformName()}: {len(shooter.saved)} screenshots in {args.out_dir}")
    for path in shooter.saved:
        print(f"  {path}")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
