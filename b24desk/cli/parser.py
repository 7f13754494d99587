"""The command line's grammar: `build_parser()` and the checks of single arguments (dates,
ids, rate presets). A usage error is one sentence and exit code 2."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, NoReturn

from b24desk import __version__
from b24desk.cli.console import EXIT_USAGE, CliError
from b24desk.core.credentials import RATE_PRESETS
from b24desk.core.i18n import translate
from b24desk.core.session import WEBHOOK_ENV


class _Parser(argparse.ArgumentParser):
    """Reports usage errors as one sentence (and where to read more) instead of the usage."""

    def error(self, message: str) -> NoReturn:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "{prog}: {message}. See '{prog} --help' for the options.").format(
                prog=self.prog, message=message
            ),
        )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate(
                "Cli", "{text} is not a date: write it as YEAR-MONTH-DAY, such as 2025-03-31"
            ).format(text=repr(text))
        ) from None


def _positive_id(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(
            translate(
                "Cli", "{text} is not an id: ids are whole numbers above 0, such as 17"
            ).format(text=repr(text))
        )
    return int(value)


def _rate(text: str) -> str:
    if text not in RATE_PRESETS:
        raise argparse.ArgumentTypeError(
            translate("Cli", "{text} is not a rate preset: use one of {presets}").format(
                text=repr(text), presets=", ".join(RATE_PRESETS)
            )
        )
    return text


STDIN = "-"


def _connection_options() -> _Parser:
    parent = _Parser(add_help=False)
    group = parent.add_argument_group(translate("Cli", "connection"))
    group.add_argument(
        "--profile", metavar="NAME", help=translate("Cli", "a saved connection profile")
    )
    webhook_help = translate(
        "Cli",
        "an incoming webhook URL, or - to read it from standard input (a hidden prompt on a "
        "terminal); default: ${env}. ${env} or --webhook - keep the webhook code out of the "
        "process list and the shell history",
    ).format(env=WEBHOOK_ENV)
    # argparse fills in %(default)s and the like: a literal % must be doubled.
    group.add_argument("--webhook", metavar="URL", help=webhook_help.replace("%", "%%"))
    group.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help=translate("Cli", "PEM file of your company's certificate authority"),
    )
    return parent


def _json_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--json", action="store_true", help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="b24desk",
        description=translate(
            "Cli", "Reopen completed Bitrix24 tasks in bulk. Without a command, opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"b24desk {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help=translate("Cli", "try everything on a built-in sandbox portal"),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=translate(
            "Cli", "check that this installation works (offscreen, no real portal) and exit"
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    connection = _connection_options()
    _add_profile_commands(commands, connection)
    _add_task_commands(commands, connection)
    journal = commands.add_parser(
        "journal",
        parents=[connection],
        help=translate("Cli", "list the renew and undo runs, newest last"),
    )
    _json_option(journal, translate("Cli", "write one line per run as JSON Lines"))
    undo = commands.add_parser(
        "undo",
        parents=[connection],
        help=translate("Cli", "complete again the tasks a run reopened"),
    )
    undo.add_argument(
        "run_id", metavar="RUN_ID", help=translate("Cli", "as listed by b24desk journal")
    )
    _json_option(undo, translate("Cli", "write one line per task as JSON Lines"))
    diagnose = commands.add_parser(
        "diagnose",
        parents=[connection],
        help=translate("Cli", "save a report of what the portal answers to read-only requests"),
    )
    diagnose.add_argument(
        "--out", metavar="FILE", required=True, help=translate("Cli", "the report file (JSON)")
    )
    diagnose.add_argument(
        "--mask-host",
        action="store_true",
        help=translate("Cli", "replace the portal's address in the report"),
    )
    return parser


def _add_profile_commands(commands: Any, connection: _Parser) -> None:
    profile = commands.add_parser("profile", help=translate("Cli", "saved connections"))
    actions = profile.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    add = actions.add_parser("add", help=translate("Cli", "save a webhook connection"))
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--webhook",
        metavar="URL",
        required=True,
        help=translate(
            "Cli",
            "the incoming webhook URL, or - to read it from standard input (a hidden prompt "
            "on a terminal): --webhook - keeps the webhook code out of the process list and "
            "the shell history",
        ),
    )
    add.add_argument(
        "--rate", type=_rate, default="auto", help=translate("Cli", "auto, standard or enterprise")
    )
    add.add_argument(
        "--ca-bundle", metavar="FILE", help=translate("Cli", "PEM file of your company's CA")
    )
    listing = actions.add_parser("list", help=translate("Cli", "list saved connections"))
    _json_option(listing, translate("Cli", "write one line per profile as JSON Lines"))
    check = actions.add_parser(
        "check", parents=[connection], help=translate("Cli", "test a connection")
    )
    check.add_argument("name", metavar="NAME", nargs="?")
    _json_option(check, translate("Cli", "write the verdict as JSON Lines"))
    remove = actions.add_parser(
        "remove", help=translate("Cli", "delete a connection and its secrets")
    )
    remove.add_argument("name", metavar="NAME")


def _add_task_commands(commands: Any, connection: _Parser) -> None:
    tasks = commands.add_parser("tasks", help=translate("Cli", "list or reopen completed tasks"))
    actions = tasks.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    listing = actions.add_parser(
        "list", parents=[connection], help=translate("Cli", "list completed tasks")
    )
    listing.add_argument(
        "--closed-after", type=_date, metavar="DATE", help=translate("Cli", "on or after")
    )
    listing.add_argument(
        "--closed-before", type=_date, metavar="DATE", help=translate("Cli", "on or before")
    )
    listing.add_argument("--responsible", type=_positive_id, metavar="ID")
    listing.add_argument("--group", type=_positive_id, metavar="ID")
    listing.add_argument(
        "--search", metavar="TEXT", default="", help=translate("Cli", "words in the title")
    )
    listing.add_argument(
        "--include-awaiting-control",
        action="store_true",
        help=translate(
            "Cli",
            "also list tasks awaiting control (finished, not yet accepted by their creator)",
        ),
    )
    _json_option(listing, translate("Cli", "write one task per line as JSON Lines"))
    renew = actions.add_parser(
        "renew", parents=[connection], help=translate("Cli", "reopen completed tasks")
    )
    renew.add_argument("ids", metavar="ID", nargs="*", type=_positive_id)
    renew.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help=translate(
            "Cli", "ids one per line, or the JSON Lines of tasks list --json ('-': stdin)"
        ),
    )
    renew.add_argument(
        "--no-precheck",
        action="store_true",
        help=translate("Cli", "do not re-read the tasks just before reopening them"),
    )
    renew.add_argument(
        "--deadline",
        metavar="WHEN",
        help=translate(
            "Cli",
            "give every reopened task this deadline: 2026-12-20 (18:00) or 2026-12-20T18:00",
        ),
    )
    renew.add_argument(
        "--move-deadline",
        metavar="BY",
        help=translate(
            "Cli", "move each reopened task's deadline by 7d, 2w or 1m (1 to 999 units)"
        ),
    )
    renew.add_argument(
        "--only-overdue",
        action="store_true",
        help=translate(
            "Cli", "with --deadline or --move-deadline: only for tasks whose deadline has passed"
        ),
    )
    renew.add_argument(
        "--comment",
        metavar="TEXT",
        default="",
        help=translate("Cli", 'add this comment to every reopened task ("Reopened because …")'),
    )
    renew.add_argument(
        "--check",
        action="store_true",
        help=translate(
            "Cli",
            "only ask the portal whether you may reopen each task, print it and change nothing",
        ),
    )
    _json_option(renew, translate("Cli", "write one line per task as JSON Lines"))
