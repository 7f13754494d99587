"""`b24desk` without a command opens the window: the one place the command line reaches Qt."""

from __future__ import annotations

import argparse

from b24desk.cli.console import Console
from b24desk.core.i18n import translate


def open_window(args: argparse.Namespace, console: Console) -> int:
    try:
        # Imported here, not at the top: loading the window loads Qt (PySide6, qasync), which
        # costs every command its start-up time and which the commands never need.
        from b24desk.ui.app import run
    except ModuleNotFoundError as error:
        if error.name not in ("b24desk.ui", "b24desk.ui.app"):
            raise  # a module the window needs is missing: a broken installation, not "no window"
        console.note(translate("Cli", "the window is not available yet"))
        return 1
    return run(args)
