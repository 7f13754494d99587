"""Command line entry point: `b24desk` opens the window, subcommands script the core.

    b24desk profile add NAME --webhook URL | profile list | profile check [NAME]
    b24desk profile remove NAME
    b24desk tasks list [--closed-after DATE] [--closed-before DATE] [--responsible ID]
                       [--group ID] [--search TEXT] [--json]
    b24desk tasks renew ID... | --from FILE  [--no-precheck] [--json]
    b24desk journal [--json]
    b24desk undo RUN_ID
    b24desk diagnose --out FILE [--mask-host]

Every command that talks to a portal takes --profile NAME or --webhook URL (or the
B24DESK_WEBHOOK environment variable; `--webhook -` reads the URL from stdin, or from a
hidden prompt on a terminal, so that the code stays out of `ps` and the shell history).
Results go to stdout, progress and messages to stderr. Exit codes: see the EXIT_* constants
in `console`. Nothing printed or logged ever contains a webhook code or token: all text goes
through `redact`.

The package: `console` (what every command shares), `parser` (the grammar), `connection`
(which portal, the open session), one module per command group (`profile`, `tasks`,
`journal`, `undo`, `diagnose`), `reports` (how runs read) and `window` (the only way to Qt,
imported lazily). This module parses, picks the command and turns failures into exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from b24desk.cli import diagnose, journal, profile, tasks, undo
from b24desk.cli.connection import webhook_from_stdin
from b24desk.cli.console import (
    EXIT_BUSY,
    EXIT_CONNECTION,
    EXIT_DISK,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_KEYRING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    CliError,
    Console,
    translated_errors,
)
from b24desk.cli.parser import STDIN, build_parser
from b24desk.cli.window import open_window
from b24desk.core import i18n, paths
from b24desk.core.i18n import translate
from b24desk.core.logfile import logging_to
from b24desk.core.redact import redact, redacted_logger
from b24desk.core.session import WEBHOOK_ENV

__all__ = [
    "EXIT_BUSY",
    "EXIT_CONNECTION",
    "EXIT_DISK",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_KEYRING",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "build_parser",
    "main",
]

log = redacted_logger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    console = Console(sys.stdout, sys.stderr)
    # Messages in the user's language (B24DESK_LANG, else the locale); the window, if it
    # opens, installs the same catalog through Qt.
    i18n.install_for_language(i18n.system_language())
    try:
        args = build_parser().parse_args(argv)
    except CliError as error:
        console.note(str(error))
        return error.code
    except SystemExit as stop:  # --help and --version
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    if args.self_test:
        from b24desk.selftest import run_checks

        return run_checks(sys.stdout)
    if args.command is None:
        return open_window(args, console)
    with logging_to(paths.log_path()):  # through the redacting filter
        return _run_command(args, console)


def _run_command(args: argparse.Namespace, console: Console) -> int:
    try:
        if args.demo:
            raise CliError(
                EXIT_USAGE,
                translate(
                    "Cli",
                    "--demo opens the window on a sandbox portal; for commands, start one with "
                    "'python -m b24desk.sandbox --port 8080' and pass the URL it prints as "
                    "--webhook.",
                ),
            )
        return _dispatch(args, console)
    except CliError as error:
        console.note(f"b24desk: {error}")
        return error.code
    except KeyboardInterrupt:
        console.note(translate("Cli", "b24desk: interrupted."))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout stopped early (`b24desk tasks list | head`); what it read is
        # what it wanted. Python would complain again when flushing stdout at exit.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a bug: say where the details are, never a secret
        log.exception("unexpected error in %s", args.command)
        console.note(
            translate(
                "Cli", "b24desk: unexpected error ({name}): {error}; details are in {log}."
            ).format(name=type(error).__name__, error=redact(str(error)), log=paths.log_path())
        )
        return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace, console: Console) -> int:
    if getattr(args, "webhook", None) == STDIN:
        if getattr(args, "from_file", None) == STDIN:
            raise CliError(
                EXIT_USAGE,
                translate(
                    "Cli",
                    "--webhook - and --from - both want standard input: put the task ids in a "
                    "file or give the webhook in ${env}.",
                ).format(env=WEBHOOK_ENV),
            )
        args.webhook = webhook_from_stdin()
    with translated_errors():
        if args.command == "profile":
            return profile.command(args, console)
        if args.command == "tasks":
            return tasks.command(args, console)
        if args.command == "journal":
            return journal.command(args, console)
        if args.command == "undo":
            return undo.command(args, console)
        if args.command == "diagnose":
            return diagnose.command(args, console)
    raise CliError(EXIT_USAGE, f"unknown command {args.command!r}")  # pragma: no cover
