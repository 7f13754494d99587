"""Screenshots of the real app's main states, on the demo sandbox, offscreen.

    .venv/bin/python tools/screenshots.py OUT_DIR              # light theme
    .venv/bin/python tools/screenshots.py OUT_DIR --dark       # plus dark-theme variants
    .venv/bin/python tools/screenshots.py OUT_DIR --lang ru    # the Russian window
    xvfb-run -a .venv/bin/python tools/screenshots.py OUT_DIR  # on a real X server

This is `b24desk --demo` driven by a script: the same window, controller, dialogs and
sandbox portal a user gets, clicked through setup, loading, confirming, renewing (with the
demo's scripted failures), the problems panel and the history of runs. Each state is saved
with `QWidget.grab()`; a dialog is painted over its window at the place it would open, so a
picture shows what the user sees.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    # Without a display Qt aborts; offscreen renders the same widgets into memory.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton, QWidget

from b24desk.core.model import TaskOutcome
from b24desk.demo import DemoPortal, demo_config
from b24desk.ui.app import build_main_window, make_application
from b24desk.ui.bridge import cancel_all, install_event_loop
from b24desk.ui.controller import Controller, Phase
from b24desk.ui.dialogs.confirm import Answer, Confirmation, ask_with_message_box
from b24desk.ui.language import apply_language
from b24desk.ui.services import Services
from b24desk.ui.widgets import MainWindow


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
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#777777"))
    return palette


async def until(condition: Callable[[], bool], within: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)


async def settle(seconds: float = 0.35) -> None:
    """Long enough for the window's coalescing timers (counters, filters) to run."""
    await asyncio.sleep(seconds)


class Shooter:
    def __init__(self, window: MainWindow, out_dir: Path, suffix: str = "") -> None:
        self.window = window
        self.out_dir = out_dir
        self.suffix = suffix
        self.saved: list[Path] = []

    def save(self, name: str, over: QWidget | None = None) -> None:
        picture = self.window.grab()
        if over is not None:
            picture = with_dialog(picture, self.window, over)
        path = self.out_dir / f"{name}{self.suffix}.png"
        if not picture.save(str(path)):
            raise SystemExit(f"could not write {path}")
        self.saved.append(path)

    async def shoot(self, name: str, over: QWidget | None = None) -> None:
        await settle()
        self.save(name, over)


TITLE_BAR = 26


def with_dialog(picture: QPixmap, window: QWidget, dialog: QWidget) -> QPixmap:
    """The window's picture, dimmed a little, with the dialog drawn where it opens.

    Offscreen there is no window manager, so the dialog gets a plain title bar here: the
    title is part of what the user reads.
    """
    shot = QPixmap(picture)
    overlay = dialog.grab()
    width, height = overlay.width(), overlay.height() + TITLE_BAR
    x = max(0, (shot.width() - width) // 2)
    y = max(0, min(70, shot.height() - height))
    palette = dialog.palette()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 70))
    painter.fillRect(x - 1, y - 1, width + 2, height + 2, QColor("#6b6b6b"))
    painter.fillRect(x, y, width, TITLE_BAR, palette.color(QPalette.ColorRole.Mid))
    painter.setPen(palette.color(QPalette.ColorRole.WindowText))
    title = dialog.windowTitle() or QApplication.applicationName()
    painter.drawText(x, y, width, TITLE_BAR, int(Qt.AlignmentFlag.AlignCenter), title)
    painter.drawPixmap(QPoint(x, y + TITLE_BAR), overlay)
    painter.end()
    return shot


def select_rows(window: MainWindow, rows: range) -> None:
    selection = window.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    top = window.proxy.index(rows.start, 0)
    bottom = window.proxy.index(rows.stop - 1, window.proxy.columnCount() - 1)
    selection.select(QItemSelection(top, bottom), flags)


class ConfirmCatcher:
    """Shows the real confirmation box and keeps it, so the script can shoot and answer it."""

    def __init__(self) -> None:
        self.box: QDialog | None = None

    def __call__(self, parent: QWidget, confirmation: Confirmation, answer: Answer) -> None:
        ask_with_message_box(parent, confirmation, answer)
        # A message box, or the renew dialog with deadline choices
        self.box = parent.findChild(QMessageBox, "confirmDialog") or parent.findChild(
            QDialog, "renewDialog"
        )

    def accept(self) -> None:
        assert self.box is not None
        button = self.box.findChild(QPushButton, "confirmAccept")
        assert button is not None
        button.click()
        self.box = None


async def scenario(controller: Controller, shooter: Shooter, catcher: ConfirmCatcher) -> None:
    window = controller.window
    demo = controller.services.demo
    assert demo is not None

    # 1. First start: not connected yet, the setup dialog open (with the sandbox's address).
    await demo.start()
    window.set_disconnected()
    dialog = controller.open_setup()
    dialog.test()
    await until(lambda: dialog.verdict_text().startswith(("✓", "✗")), what="the verdict")
    await shooter.shoot("01-setup", over=dialog)
    dialog.reject()
    await settle(0.1)

    # 2. Connected: the tasks stream in, then the whole list.
    controller.start()
    await until(lambda: controller.phase is Phase.LOADING, what="loading to start")
    await until(lambda: window.progress_bar.maximum() > 0, what="the task count")
    shooter.save("02-loading")
    await until(lambda: controller.phase is Phase.IDLE, 120, "loading to end")
    window.task_model.flush()
    await shooter.shoot("03-loaded")

    # 3. Select, confirm in plain words, renew with per-row statuses.
    select_rows(window, range(2, 262))
    await settle()
    window.action_renew.trigger()
    await until(lambda: catcher.box is not None, what="the confirmation")
    assert catcher.box is not None
    await shooter.shoot("04-confirm", over=catcher.box)
    catcher.accept()
    await until(
        lambda: window.task_model.outcome_count(TaskOutcome.RENEWED) >= 60,
        what="the first renewed rows",
    )
    window.table.clearSelection()  # statuses are easier to read on unselected rows
    window.table.scrollToTop()
    await settle(0.05)
    shooter.save("05-renewing")
    await until(lambda: controller.phase is Phase.IDLE, 120, "the run to end")
    await shooter.shoot("06-finished-with-problems")

    # 4. A click on a problem selects its task.
    panel = window.error_panel
    groups = panel.groups
    cause = next(
        groups.index(row, 0)
        for row in range(groups.rowCount())
        if any(entry.code == "ERROR_CORE" for entry in groups.entries_of(groups.index(row, 0)))
    )
    panel.view.expand(cause)
    task_line = groups.index(0, 0, cause)
    panel.view.setCurrentIndex(task_line)
    panel.view.clicked.emit(task_line)
    await shooter.shoot("07-problem-clicked")

    # 5. Retry the failed ones, then the history of runs.
    window.action_retry.trigger()
    await settle(0.05)
    await until(lambda: controller.phase is Phase.IDLE, 120, "the retry to end")
    await shooter.shoot("08-retried")
    history = controller.open_history()
    await until(lambda: history.model.rowCount() > 1, what="the history")
    await shooter.shoot("09-history", over=history)
    history.reject()
    await settle(0.1)

    # 6. Check first (issue 11 §3): rows say whether they may be reopened; nothing changes.
    select_rows(window, range(300, 340))
    await settle()
    window.action_check.trigger()
    await settle(0.05)
    await until(lambda: controller.phase is Phase.IDLE, 120, "the check to end")
    window.table.scrollTo(window.proxy.index(300, 0))
    await shooter.shoot("10-checked")
    window.action_renew.trigger()
    await until(lambda: catcher.box is not None, what="the confirmation of checked tasks")
    assert catcher.box is not None
    await shooter.shoot("11-confirm-checked", over=catcher.box)
    catcher.accept()
    await until(lambda: controller.phase is Phase.IDLE, 120, "the renew to end")

    # 7. Undo (issue 11 §4): what task control will do, said before; then History.
    window.action_undo.trigger()
    await until(lambda: catcher.box is not None, what="the undo confirmation")
    assert catcher.box is not None
    await shooter.shoot("12-confirm-undo", over=catcher.box)
    catcher.accept()
    await settle(0.05)
    await until(lambda: controller.phase is Phase.IDLE, 120, "the undo to end")
    history = controller.open_history()
    await until(lambda: history.model.rowCount() > 3, what="the history")
    await shooter.shoot("13-history-undone", over=history)
    history.reject()
    await settle(0.1)


async def shoot_pass(
    out_dir: Path, size: tuple[int, int], suffix: str, task_count: int
) -> list[Path]:
    """One full pass over a fresh demo portal, window and controller."""
    demo = DemoPortal(demo_config(task_count=task_count))
    services = Services.for_demo(demo)
    catcher = ConfirmCatcher()
    services.confirm = catcher
    window, controller = build_main_window(services)
    window.resize(*size)
    window.show()
    shooter = Shooter(window, out_dir, suffix)
    try:
        await scenario(controller, shooter, catcher)
    finally:
        for handle in cancel_all():
            await handle
        await controller.aclose()
        window.close_guard = None
        window.close()
        window.deleteLater()  # on this thread, not whenever (and wherever) the GC runs
        _done.append(window)
        services.close()
    return shooter.saved


_done: list[QWidget] = []


def run(
    out_dir: Path, size: tuple[int, int], dark: bool, task_count: int, lang: str = "en"
) -> list[Path]:
    app = make_application()
    app.setStyle("Fusion")
    if apply_language(lang) != lang:
        raise SystemExit(f"screenshots: no {lang} catalog")
    app.setQuitOnLastWindowClosed(False)
    loop = install_event_loop(app)

    async def all_passes() -> list[Path]:
        saved = await shoot_pass(out_dir, size, "", task_count)
        if dark:
            app.setPalette(dark_palette())
            saved += await shoot_pass(out_dir, size, "-dark", task_count)
        return saved

    with loop:
        return loop.run_until_complete(all_passes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", default="1280x780", help="window size, WxH")
    parser.add_argument("--dark", action="store_true", help="also shoot a dark-theme set")
    parser.add_argument(
        "--tasks", type=int, default=12_000, help="tasks on the demo portal (default 12000)"
    )
    parser.add_argument(
        "--lang", choices=("en", "ru"), default="en", help="the window's language (default en)"
    )
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    if not (width.isdigit() and height.isdigit()):
        parser.error("--size must look like 1280x780")
    if args.tasks < 2000:
        parser.error("--tasks must be at least 2000 (the scenario selects 260 visible tasks)")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    saved = run(args.out_dir, (int(width), int(height)), args.dark, args.tasks, args.lang)
    app = QApplication.instance()
    platform = app.platformName() if isinstance(app, QApplication) else "?"
    print(f"platform {platform}: {len(saved)} screenshots in {args.out_dir}")
    for path in saved:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
