"""Starting the window: `b24desk` (or `b24desk --demo`) ends up in `run(args)`.

    app = QApplication(...)          # name and organisation set: QSettings needs them
    loop = install_event_loop(app)   # qasync: asyncio runs on Qt's own event loop
    window, controller = build_main_window(services)
    window.show(); controller.start()
    ... the loop runs until the last window closes; then the session is closed.

`build_main_window` is what a self-test or a screenshot script reuses: the same window and
controller as the app, on whatever `Services` they bring.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from b24desk import __version__
from b24desk.core import paths
from b24desk.core.logfile import attach_log_file
from b24desk.ui.bridge import cancel_all, install_event_loop
from b24desk.ui.controller import Controller
from b24desk.ui.language import apply_language, chosen_language
from b24desk.ui.services import Services
from b24desk.ui.widgets.main_window import APP_NAME, MainWindow

logger = logging.getLogger(__name__)

ORGANIZATION = "b24desk"
ICON_NAME = "b24desk.png"


def resource_path(name: str) -> Path | None:
    """A file of `resources/`, from a PyInstaller bundle, the source tree or an installed wheel."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources" / name] if bundle else []
    candidates.append(Path(__file__).resolve().parents[2] / "resources" / name)
    # A pip-installed b24desk has no resources/ folder: the icon also ships inside the package.
    candidates.append(Path(__file__).resolve().parent / "assets" / name)
    return next((path for path in candidates if path.is_file()), None)


def app_icon() -> QIcon:
    path = resource_path(ICON_NAME)
    return QIcon(str(path)) if path is not None else QIcon()


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named so that QSettings finds this app's settings."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("b24desk")
    app.setWindowIcon(app_icon())
    return app


def build_main_window(services: Services) -> tuple[MainWindow, Controller]:
    """The app's window and its controller (not shown, not started)."""
    window = MainWindow()
    window.setWindowIcon(app_icon())
    controller = Controller(window, services)
    return window, controller


def _log_to_file(path: Path | None = None) -> logging.Handler | None:
    return attach_log_file(path or paths.log_path())


def run(args: argparse.Namespace) -> int:
    """Open the window (on the demo sandbox with `args.demo`) and run until it closes."""
    started = time.perf_counter()
    demo = bool(getattr(args, "demo", False))
    handler = None if demo else _log_to_file()
    app = make_application()
    loop = install_event_loop(app)
    if demo:
        # The demo's own faults are logged, never printed to the terminal; like everything
        # of the demo, its log lives in the demo's temporary folder (made by for_demo).
        package = logging.getLogger("b24desk")
        quiet = logging.NullHandler()
        package.addHandler(quiet)
        services = Services.for_demo()
        handler = _log_to_file(services.journal_path.parent / "b24desk.log")
        if handler is not None:
            package.removeHandler(quiet)
    else:
        services = Services.for_desktop()
    apply_language(chosen_language(services.settings))
    window, controller = build_main_window(services)
    window.show()
    logger.info("window shown %.2f s after start (demo=%s)", time.perf_counter() - started, demo)

    # The loop itself ends the app once `main` is done; quitting Qt first would stop the
    # loop before the session is closed.
    app.setQuitOnLastWindowClosed(False)

    async def main() -> None:
        closed = asyncio.Event()
        app.lastWindowClosed.connect(closed.set)
        controller.start()
        await closed.wait()
        for handle in cancel_all():
            await handle
        await controller.aclose()

    try:
        with loop:
            loop.run_until_complete(main())
    finally:
        if handler is not None:
            # Closed first: the demo's log file lives in the folder services.close() removes.
            logging.getLogger("b24desk").removeHandler(handler)
            handler.close()
        services.close()
    return 0
