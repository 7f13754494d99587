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
below. Nothing printed or logged ever contains a webhook code or token: all text goes
through `redact`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import importlib
import importlib.util
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn

from b24desk import __version__
from b24desk.core import i18n, paths
from b24desk.core.bitrix.auth import OAuthAuth
from b24desk.core.bitrix.budget import Wait
from b24desk.core.bitrix.errors import B24Error
from b24desk.core.bitrix.tasks import iter_completed_tasks
from b24desk.core.connection import (
    ConnectionVerdict,
    check_connection,
    portal_label,
    verdict_for_error,
)
from b24desk.core.credentials import (
    RATE_PRESETS,
    Connections,
    KeyringUnavailable,
    Profile,
    ProfileConfigError,
    ProfileError,
    WebhookUrlError,
)
from b24desk.core.diagnose import DiagnosticReport, run_diagnosis
from b24desk.core.i18n import QT_TRANSLATE_NOOP, plural, translate
from b24desk.core.logfile import logging_to
from b24desk.core.model import STATUS_NAMES, TaskFilter, TaskOutcome, TaskRecord, TaskSnapshot
from b24desk.core.redact import redact, redacted_logger
from b24desk.core.renew.deadline import DeadlineChange, DeadlineError, parse_deadline, parse_move
from b24desk.core.renew.engine import AWAITING_APPROVAL, UNKNOWN_STATUS
from b24desk.core.renew.jobs import (
    RenewJob,
    UndoJob,
    UndoPlan,
    UndoRefused,
    still_to_undo,
    undo_refusal,
    undone,
)
from b24desk.core.renew.journal import Journal, JournalError
from b24desk.core.renew.records import (
    Progress,
    RunKind,
    RunListener,
    RunNotFound,
    RunRecord,
    RunReport,
)
from b24desk.core.renew.runlock import RunInProgress
from b24desk.core.renew.words import time_left, wait_sentence
from b24desk.core.session import (
    WEBHOOK_ENV,
    ConnectionTarget,
    NotSignedIn,
    PortalSession,
    default_connections,
    open_session,
    resolve_target,
)

__all__ = [
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

EXIT_OK = 0
"""Everything asked for was done."""
EXIT_PARTIAL = 1
"""Some tasks were not renewed (or not completed again): failed, not allowed, not attempted."""
EXIT_USAGE = 2
"""Bad command line or input: unknown option, bad date, unknown profile, bad URL, bad file."""
EXIT_CONNECTION = 3
"""The portal could not be used: unreachable, refused the credentials, not Bitrix24, not
signed in (OAuth), ..."""
EXIT_KEYRING = 4
"""No usable password store for the secrets."""
EXIT_DISK = 5
"""The journal or the profiles file could not be read or written."""
EXIT_BUSY = 6
"""Another b24desk window or command is reopening or completing tasks on this portal."""
EXIT_INTERNAL = 70
"""A bug in b24desk (details in the log file)."""
EXIT_INTERRUPTED = 130

# Outcomes that leave a task not the way the user asked for.
_RENEW_PROBLEMS = frozenset(
    {TaskOutcome.FAILED, TaskOutcome.NOT_ALLOWED, TaskOutcome.NOT_ATTEMPTED, TaskOutcome.RENEWING}
)
# In English here; `_outcome_word` gives them in the user's language.
_OUTCOME_WORDS = {
    TaskOutcome.RENEWED: QT_TRANSLATE_NOOP("Cli", "reopened"),
    TaskOutcome.ALREADY_OPEN: QT_TRANSLATE_NOOP("Cli", "already open"),
    TaskOutcome.NOT_ALLOWED: QT_TRANSLATE_NOOP("Cli", "not allowed"),
    TaskOutcome.FAILED: QT_TRANSLATE_NOOP("Cli", "failed"),
    TaskOutcome.NOT_ATTEMPTED: QT_TRANSLATE_NOOP("Cli", "not attempted"),
    TaskOutcome.SKIPPED: QT_TRANSLATE_NOOP("Cli", "skipped"),
    TaskOutcome.RECOMPLETED: QT_TRANSLATE_NOOP("Cli", "completed again"),
    TaskOutcome.CAN_RENEW: QT_TRANSLATE_NOOP("Cli", "can reopen"),
    TaskOutcome.QUEUED: QT_TRANSLATE_NOOP("Cli", "queued"),
    TaskOutcome.RENEWING: QT_TRANSLATE_NOOP("Cli", "in flight"),
}
# "{n} reopened": how a count of each outcome reads in a summary.
_OUTCOME_COUNTS = {
    TaskOutcome.RENEWED: QT_TRANSLATE_NOOP("Cli", "{n} reopened"),
    TaskOutcome.ALREADY_OPEN: QT_TRANSLATE_NOOP("Cli", "{n} already open"),
    TaskOutcome.NOT_ALLOWED: QT_TRANSLATE_NOOP("Cli", "{n} not allowed"),
    TaskOutcome.FAILED: QT_TRANSLATE_NOOP("Cli", "{n} failed"),
    TaskOutcome.NOT_ATTEMPTED: QT_TRANSLATE_NOOP("Cli", "{n} not attempted"),
    TaskOutcome.SKIPPED: QT_TRANSLATE_NOOP("Cli", "{n} skipped"),
    TaskOutcome.RECOMPLETED: QT_TRANSLATE_NOOP("Cli", "{n} completed again"),
    TaskOutcome.CAN_RENEW: QT_TRANSLATE_NOOP("Cli", "{n} can be reopened"),
    TaskOutcome.QUEUED: QT_TRANSLATE_NOOP("Cli", "{n} queued"),
    TaskOutcome.RENEWING: QT_TRANSLATE_NOOP("Cli", "{n} in flight"),
}


def _outcome_word(outcome: TaskOutcome) -> str:
    return translate("Cli", _OUTCOME_WORDS[outcome])


_MAX_BAD_LINES_SHOWN = 20
_PROGRESS_EVERY = 500


class CliError(Exception):
    """Ends the command with `code` after printing `message` (one plain sentence)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- output ----------------------------------------------------------------------------------


@dataclass
class Console:
    """stdout for results, stderr for progress and messages; every line redacted."""

    out: IO[str]
    err: IO[str]

    def result(self, text: str) -> None:
        print(redact(text), file=self.out, flush=True)

    def json_line(self, data: dict[str, Any]) -> None:
        self.result(json.dumps(data, ensure_ascii=False))

    def note(self, text: str) -> None:
        print(redact(text), file=self.err, flush=True)


# --- parsing ---------------------------------------------------------------------------------


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


_STDIN = "-"


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


# --- main ------------------------------------------------------------------------------------


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
        return _open_window(args, console)
    with _file_logging(paths.log_path()):
        return _run_command(args, console)


def _open_window(args: argparse.Namespace, console: Console) -> int:
    if importlib.util.find_spec("b24desk.ui.app") is None:
        console.note(translate("Cli", "the window is not available yet"))
        return 1
    app = importlib.import_module("b24desk.ui.app")
    result = app.run(args)
    return result if isinstance(result, int) else EXIT_OK


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
    if getattr(args, "webhook", None) == _STDIN:
        if getattr(args, "from_file", None) == _STDIN:
            raise CliError(
                EXIT_USAGE,
                translate(
                    "Cli",
                    "--webhook - and --from - both want standard input: put the task ids in a "
                    "file or give the webhook in ${env}.",
                ).format(env=WEBHOOK_ENV),
            )
        args.webhook = _webhook_from_stdin()
    with _translated_errors():
        if args.command == "profile":
            return _PROFILE_ACTIONS[args.action](args, console)
        if args.command == "tasks":
            if args.action == "list":
                return asyncio.run(_tasks_list(args, console))
            return _tasks_renew(args, console)
        if args.command == "journal":
            return _journal(args, console)
        if args.command == "undo":
            return _undo(args, console)
        if args.command == "diagnose":
            return _diagnose(args, console)
    raise CliError(EXIT_USAGE, f"unknown command {args.command!r}")  # pragma: no cover


def _webhook_from_stdin() -> str:
    """The webhook URL from a pipe (its first non-blank line: a paste often starts with an
    empty line), or typed at a hidden prompt on a terminal."""
    stdin = sys.stdin
    try:
        if stdin is not None and stdin.isatty():
            prompt = translate("Cli", "Webhook URL (not shown): ")
            text = getpass.getpass(prompt, stream=sys.stderr)
        else:
            text = ""
            for line in stdin if stdin is not None else ():
                if line.strip():
                    text = line
                    break
    except EOFError:
        text = ""
    except (OSError, UnicodeDecodeError):
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli",
                "The webhook URL could not be read from standard input: pipe it in as text, "
                "or set ${env}.",
            ).format(env=WEBHOOK_ENV),
        ) from None
    if not text.strip():
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli",
                "--webhook - found no webhook URL on standard input (it was empty or had "
                "only blank lines): pipe the URL in (for example from a file), or set ${env}.",
            ).format(env=WEBHOOK_ENV),
        )
    return text.strip()


@contextlib.contextmanager
def _translated_errors() -> Iterator[None]:
    """The core's errors as exit codes; their messages are already plain sentences."""
    try:
        yield
    except ProfileConfigError as error:
        raise CliError(EXIT_DISK, str(error)) from error
    except NotSignedIn as error:
        raise CliError(EXIT_CONNECTION, str(error)) from error
    except (ProfileError, WebhookUrlError) as error:
        raise CliError(EXIT_USAGE, str(error)) from error
    except KeyringUnavailable as error:
        hint = translate(
            "Cli",
            "On the command line, pass --webhook URL (or set {env}) to connect without saving "
            "anything.",
        ).format(env=WEBHOOK_ENV)
        raise CliError(EXIT_KEYRING, f"{error} {hint}") from error
    except RunInProgress as error:
        raise CliError(EXIT_BUSY, str(error)) from error
    except JournalError as error:
        raise CliError(EXIT_DISK, str(error)) from error
    except BrokenPipeError:
        raise  # the reader went away (`| head`): not a disk problem
    except OSError as error:
        raise CliError(
            EXIT_DISK,
            translate(
                "Cli",
                "b24desk could not read or write its files ({reason}): check free disk space "
                "and the permissions of its folder.",
            ).format(reason=error.strerror or error),
        ) from error


def _file_logging(path: Path) -> contextlib.AbstractContextManager[object]:
    """Log this command to the log file, through the redacting filter."""
    return logging_to(path)


# --- connections -----------------------------------------------------------------------------


def _connections() -> Connections:
    return default_connections()


def _target(
    connections: Connections, args: argparse.Namespace, profile: str | None = None
) -> ConnectionTarget:
    return resolve_target(connections, profile=profile or args.profile, webhook=args.webhook)


def _ca_bundle(args: argparse.Namespace) -> str | None:
    value: str | None = getattr(args, "ca_bundle", None)
    return str(Path(value).expanduser().absolute()) if value else None


@contextlib.asynccontextmanager
async def _session(
    connections: Connections,
    target: ConnectionTarget,
    args: argparse.Namespace,
    *,
    detect_rate: bool = True,
) -> AsyncIterator[PortalSession]:
    """An open session; a portal that cannot be used ends the command with exit code 3."""
    try:
        session = await open_session(
            connections,
            target,
            ca_bundle=_ca_bundle(args),
            detect_rate=detect_rate,
        )
    except B24Error as error:
        raise _connection_failure(error, target) from error
    try:
        yield session
    except B24Error as error:
        raise _connection_failure(error, target, session) from error
    finally:
        await session.aclose()


def _connection_failure(
    error: B24Error, target: ConnectionTarget, session: PortalSession | None = None
) -> CliError:
    oauth = session is not None and isinstance(session.auth, OAuthAuth)
    verdict = verdict_for_error(error, portal_label(target.portal_url), oauth=oauth)
    log.warning("command failed on %s: %s", target.portal_url, error)
    return CliError(EXIT_CONNECTION, verdict.message)


def _diagnose(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.out).expanduser().absolute()
    if not out.parent.is_dir():
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli", "The folder {folder} does not exist: choose a file in an existing folder."
            ).format(folder=out.parent),
        )
    connections = _connections()
    target = _target(connections, args)
    log_file = paths.log_path()

    async def diagnosis() -> DiagnosticReport:
        async with _session(connections, target, args, detect_rate=False) as session:
            return await run_diagnosis(
                session.client, journal=session.journal, log_file=log_file, mask_host=args.mask_host
            )

    report = asyncio.run(diagnosis())
    report.write(out)
    for line in report.summary:
        console.note(line)
    console.note(
        translate(
            "Cli",
            "Saved the diagnostic report to {path}. It holds no secret and no names: send it "
            "to whoever supports b24desk for you.",
        ).format(path=out)
    )
    return EXIT_OK if report.reached else EXIT_CONNECTION


# --- profile ---------------------------------------------------------------------------------


def _profile_add(args: argparse.Namespace, console: Console) -> int:
    connections = _connections()
    profile = connections.add_webhook(
        args.name, args.webhook, args.rate, ca_bundle=_ca_bundle(args)
    )
    connections.profiles.set_last_used(profile.name)
    console.note(
        translate(
            "Cli",
            'Saved the profile "{name}" for {portal}; its webhook code is in the password '
            "store. Test it with: b24desk profile check {quoted}",
        ).format(name=profile.name, portal=profile.portal_url, quoted=_quoted(profile.name))
    )
    return EXIT_OK


def _profile_list(args: argparse.Namespace, console: Console) -> int:
    store = _connections().profiles
    profiles = store.profiles()
    last = store.last_used()
    if not profiles:
        console.note(
            translate(
                "Cli",
                "There are no saved profiles yet: add one with "
                "b24desk profile add NAME --webhook URL.",
            )
        )
    for profile in profiles:
        is_last = last is not None and last.name == profile.name
        if args.json:
            console.json_line({**_profile_json(profile), "last_used": is_last})
        else:
            marker = "  " + translate("Cli", "(last used)") if is_last else ""
            rate = translate("Cli", "rate {preset}").format(preset=profile.rate_preset)
            console.result(
                f"{profile.name}\t{profile.portal_url}\t{profile.auth_kind}\t{rate}{marker}"
            )
    return EXIT_OK


def _profile_json(profile: Profile) -> dict[str, Any]:
    # Only the non-secret settings exist in a Profile; the secrets stay in the keyring.
    return profile.to_json()


def _profile_check(args: argparse.Namespace, console: Console) -> int:
    if args.name and args.profile and args.name != args.profile:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "Name the profile to check once, as NAME or as --profile."),
        )
    connections = _connections()
    target = _target(connections, args, profile=args.name)
    verdict = asyncio.run(_check(connections, target, args))
    if args.json:
        console.json_line(_verdict_json(verdict))
    else:
        console.result(verdict.message)
    if not verdict.ok:
        return EXIT_CONNECTION
    if target.profile is not None:
        connections.profiles.set_last_used(target.profile.name)
    return EXIT_OK


async def _check(
    connections: Connections, target: ConnectionTarget, args: argparse.Namespace
) -> ConnectionVerdict:
    async with _session(connections, target, args, detect_rate=False) as session:
        verdict: ConnectionVerdict = await check_connection(session.client)
        return verdict


def _verdict_json(verdict: ConnectionVerdict) -> dict[str, Any]:
    return {
        "ok": verdict.ok,
        "verdict": verdict.kind.value,
        "message": verdict.message,
        "portal": verdict.portal,
        "user_name": verdict.user_name,
        "user_id": verdict.user_id,
        "admin": verdict.admin,
        "legacy": verdict.legacy,
        "rate_preset": verdict.rate_preset,
        "scopes": list(verdict.scopes),
        "error_code": verdict.error_code,
    }


def _profile_remove(args: argparse.Namespace, console: Console) -> int:
    removed = _connections().remove(args.name)
    if removed.secrets_problem is None:
        text = translate(
            "Cli", 'Removed the profile "{name}" and its secrets from the password store.'
        )
        console.note(text.format(name=removed.profile.name))
    else:
        text = translate("Cli", 'Removed the profile "{name}".')
        console.note(f"{text.format(name=removed.profile.name)} {removed.secrets_problem}")
    return EXIT_OK


_PROFILE_ACTIONS: dict[str, Callable[[argparse.Namespace, Console], int]] = {
    "add": _profile_add,
    "list": _profile_list,
    "check": _profile_check,
    "remove": _profile_remove,
}


def _quoted(name: str) -> str:
    return f'"{name}"' if any(ch.isspace() for ch in name) else name


# --- tasks list ------------------------------------------------------------------------------


def _task_filter(args: argparse.Namespace) -> TaskFilter:
    after: date | None = args.closed_after
    before: date | None = args.closed_before
    if after is not None and before is not None and after > before:
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli",
                "--closed-after {after} is later than --closed-before {before}: swap the dates.",
            ).format(after=after, before=before),
        )
    return TaskFilter(
        closed_after=after,
        closed_before=before,
        responsible_id=args.responsible,
        group_id=args.group,
        search=args.search,
        awaiting_control=args.include_awaiting_control,
    )


async def _tasks_list(args: argparse.Namespace, console: Console) -> int:
    task_filter = _task_filter(args)
    connections = _connections()
    target = _target(connections, args)
    count = 0
    async with _session(connections, target, args) as session:
        console.note(
            translate("Cli", "Listing completed tasks on {portal}...").format(
                portal=portal_label(session.portal_url)
            )
        )
        async for page in iter_completed_tasks(session.client, task_filter):
            for task in page:
                if args.json:
                    console.json_line(_task_json(task))
                else:
                    console.result(_task_line(task))
            shown_before, count = count, count + len(page)
            if count // _PROGRESS_EVERY > shown_before // _PROGRESS_EVERY:
                so_far = plural(translate("Cli", "{n} task so far|{n} tasks so far"), count)
                console.note("  " + so_far.format(n=count))
    console.note(
        plural(
            translate("Cli", "Found {n} completed task.|Found {n} completed tasks."), count
        ).format(n=count)
    )
    return EXIT_OK


def _task_json(task: TaskRecord) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "status": task.status,
        "status_name": STATUS_NAMES.get(task.status, ""),
        "responsible_id": task.responsible_id,
        "responsible_name": task.responsible_name,
        "creator_id": task.creator_id,
        "creator_name": task.creator_name,
        "group_id": task.group_id,
        "group_name": task.group_name,
        "closed_date": task.closed_date.isoformat() if task.closed_date else None,
        "closed_by": task.closed_by,
    }


def _task_line(task: TaskRecord) -> str:
    closed = task.closed_date.strftime("%Y-%m-%d %H:%M") if task.closed_date else "-"
    who = task.responsible_name or translate("Cli", "user {id}").format(id=task.responsible_id)
    return f"{task.id}\t{closed}\t{_one_line(who)}\t{_one_line(task.title)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- tasks renew -----------------------------------------------------------------------------


def _tasks_renew(args: argparse.Namespace, console: Console) -> int:
    if args.check and args.no_precheck:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "--check reads the tasks, so it cannot go with --no-precheck."),
        )
    deadline = _deadline_change(args)
    ids = _ids_to_renew(args)
    if args.check:
        return asyncio.run(_check_rights(ids, args, console))
    return asyncio.run(_renew(ids, args, console, deadline))


def _ids_to_renew(args: argparse.Namespace) -> list[int]:
    if args.from_file is not None and args.ids:
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli", "Give the task ids either on the command line or with --from, not both."
            ),
        )
    if args.from_file is None and not args.ids:
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli",
                "No task ids were given: list them (b24desk tasks renew 12 15 31) or read them "
                "from a file with --from FILE.",
            ),
        )
    ids: list[int] = args.ids if args.from_file is None else _read_ids(args.from_file)
    return list(dict.fromkeys(ids))


def _read_ids(name: str) -> list[int]:
    source = translate("Cli", "standard input") if name == "-" else name
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "The file {file} is not a text file: give ids one per line.").format(
                file=source
            ),
        ) from None
    except OSError as error:
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli", "The file {file} could not be read ({reason}): check its name."
            ).format(file=source, reason=error.strerror or error),
        ) from None
    ids: list[int] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        task_id, problem = _id_of_line(stripped)
        if problem:
            problems.append(
                "  "
                + translate("Cli", "line {number}: {problem}").format(
                    number=number, problem=problem
                )
            )
        elif task_id is not None:
            ids.append(task_id)
    if problems:
        shown = problems[:_MAX_BAD_LINES_SHOWN]
        if len(problems) > len(shown):
            more = translate("Cli", "... and {n} more").format(n=len(problems) - len(shown))
            shown.append(f"  {more}")
        head = plural(
            translate(
                "Cli",
                "{n} line of {file} could not be read as task ids, so nothing was renewed:|"
                "{n} lines of {file} could not be read as task ids, so nothing was renewed:",
            ),
            len(problems),
        ).format(n=len(problems), file=source)
        raise CliError(EXIT_USAGE, head + "\n" + "\n".join(shown))
    if not ids:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "{file} has no task ids in it, so nothing was renewed.").format(
                file=source
            ),
        )
    return ids


def _id_of_line(line: str) -> tuple[int | None, str]:
    if line.startswith("{"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            return None, translate("Cli", "it starts like JSON but is not valid JSON")
        raw = data.get("id") if isinstance(data, dict) else None
        if raw is None:
            return None, translate("Cli", 'the JSON object has no "id"')
        value = str(raw).strip() if not isinstance(raw, bool) else ""
    else:
        value = line
    if value.isdigit() and int(value) > 0:
        return int(value), ""
    shown = value if len(value) <= 40 else value[:37] + "..."
    return None, translate("Cli", "{text} is not a task id (a whole number above 0)").format(
        text=repr(shown)
    )


class _Progress:
    """Progress of a run on stderr: a line per batch (with the time left), the last one,
    and every wait for the portal with the time it ends."""

    def __init__(self, console: Console, text: str) -> None:
        self.console = console
        self.text = text
        """Filled in with {done} and {total}."""
        self._last = 0

    def __call__(self, progress: Progress) -> None:
        first = self._last == 0 and progress.done >= 10  # e.g. the first, measuring batch
        if first or progress.done == progress.total or progress.done - self._last >= 50:
            self._last = progress.done
            line = self.text.format(done=progress.done, total=progress.total)
            left = time_left(progress.eta_s) if progress.done < progress.total else ""
            self.console.note(f"  {line}" + (f" ({left})" if left else ""))

    def on_wait(self, wait: Wait) -> None:
        self.console.note(f"  {wait_sentence(wait)}")

    def listener(self) -> RunListener:
        return RunListener(on_progress=self, on_wait=self.on_wait)


async def _check_rights(ids: list[int], args: argparse.Namespace, console: Console) -> int:
    """`tasks renew --check`: whether this user may reopen each task; nothing is changed."""
    connections = _connections()
    target = _target(connections, args)
    async with _session(connections, target, args) as session:
        claimed = [TaskSnapshot(task_id, UNKNOWN_STATUS) for task_id in ids]
        job = RenewJob(session.engine, claimed, rights=True)
        checking = translate(
            "Cli",
            "Asking {portal} whether you may reopen {n} task...|"
            "Asking {portal} whether you may reopen {n} tasks...",
        )
        console.note(
            plural(checking, len(ids)).format(n=len(ids), portal=portal_label(session.portal_url))
        )
        plan = await job.prepare()
    check = plan.check
    assert check is not None
    may = {t.id for t in check.renewable}
    reasons = check.skip_reasons()
    unread = set(check.unread)
    for task_id in ids:
        if task_id in may:
            outcome, reason = TaskOutcome.CAN_RENEW.value, ""
        elif task_id in check.not_allowed:
            outcome, reason = TaskOutcome.NOT_ALLOWED.value, check.not_allowed[task_id]
        elif task_id in unread:
            outcome = "unknown"
            reason = translate("Cli", "The portal did not answer for this task.")
        else:
            outcome, reason = TaskOutcome.SKIPPED.value, reasons.get(task_id, "")
        if args.json:
            console.json_line(
                {"id": task_id, "can_renew": task_id in may, "outcome": outcome, "reason": reason}
            )
        else:
            word = (
                _outcome_word(TaskOutcome(outcome))
                if outcome != "unknown"
                else translate("Cli", "unknown")
            )
            console.result(f"{task_id}\t{word}{': ' + reason if reason else ''}")
    line = translate(
        "Cli",
        "You may reopen {may} of {n} task; nothing was changed.|"
        "You may reopen {may} of {n} tasks; nothing was changed.",
    )
    console.note(plural(line, len(ids)).format(may=len(may), n=len(ids)))
    return EXIT_OK if len(may) == len(ids) else EXIT_PARTIAL


def _deadline_change(args: argparse.Namespace) -> DeadlineChange | None:
    """--deadline, --move-deadline and --only-overdue, checked before connecting."""
    if args.deadline is not None and args.move_deadline is not None:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "Give either --deadline or --move-deadline, not both."),
        )
    if args.only_overdue and args.deadline is None and args.move_deadline is None:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "--only-overdue goes with --deadline or --move-deadline."),
        )
    try:
        if args.deadline is not None:
            return DeadlineChange(at=parse_deadline(args.deadline), only_overdue=args.only_overdue)
        if args.move_deadline is not None:
            count, unit = parse_move(args.move_deadline)
            return DeadlineChange(move=count, unit=unit, only_overdue=args.only_overdue)
    except DeadlineError as error:
        raise CliError(EXIT_USAGE, str(error)) from error
    return None


async def _renew(
    ids: list[int],
    args: argparse.Namespace,
    console: Console,
    deadline: DeadlineChange | None = None,
) -> int:
    connections = _connections()
    target = _target(connections, args)
    progress = _Progress(console, translate("Cli", "reopening: {done} of {total} done"))
    async with _session(connections, target, args) as session:
        # Typed-in ids: nobody has read these tasks yet.
        claimed = [TaskSnapshot(task_id, UNKNOWN_STATUS) for task_id in ids]
        job = RenewJob(
            session.engine,
            claimed,
            check=not args.no_precheck,
            deadline=deadline,
            comment=args.comment,
            listener=progress.listener(),
        )
        if job.check:
            checking = translate(
                "Cli", "Checking {n} task on {portal}...|Checking {n} tasks on {portal}..."
            )
            console.note(
                plural(checking, len(ids)).format(
                    n=len(ids), portal=portal_label(session.portal_url)
                )
            )
        plan = await job.prepare()
        if plan.overdue:
            overdue = translate(
                "Cli",
                "{n} task's deadline has passed: it will be overdue as soon as it is reopened "
                "(--deadline or --move-deadline gives a new one).|"
                "{n} tasks' deadlines have passed: they will be overdue as soon as they are "
                "reopened (--deadline or --move-deadline gives new ones).",
            )
            console.note(plural(overdue, plan.overdue).format(n=plan.overdue))
        with _cancel_on_interrupt(job.cancel, console):
            try:
                report = await job.run()
            except JournalError as error:
                if error.partial_report is not None:
                    # The journal failed mid-run: still say which tasks were reopened.
                    _print_report(error.partial_report, ids, args.json, console)
                raise
    missing = set(plan.check.missing) if plan.check else set()
    problems = _print_report(report, ids, args.json, console)
    problems += sum(1 for task_id in missing if task_id in report.results)
    _summary(report, len(ids), problems, console)
    return EXIT_PARTIAL if problems else EXIT_OK


def _print_report(report: RunReport, ids: list[int], as_json: bool, console: Console) -> int:
    problems = 0
    for task_id in ids:
        result = report.results.get(task_id)
        if result is None:
            continue
        if result.outcome in _RENEW_PROBLEMS:
            problems += 1
        if as_json:
            console.json_line(
                {
                    "id": task_id,
                    "outcome": result.outcome.value,
                    "reason": result.reason,
                    "code": result.code,
                    "run_id": report.run_id,
                }
            )
        else:
            reason = f": {result.reason}" if result.reason else ""
            word = (
                translate("Cli", "completed, awaiting the creator's approval")
                if result.code == AWAITING_APPROVAL
                else _outcome_word(result.outcome)
            )
            console.result(f"{task_id}\t{word}{reason}")
    return problems


def _summary(report: RunReport, total: int, problems: int, console: Console) -> None:
    counts = report.counts()
    parts = _count_words(counts) or translate("Cli", "nothing")
    if report.cancelled:
        line = translate(
            "Cli",
            "Run {run} (cancelled; {n} task): {outcomes}.|"
            "Run {run} (cancelled; {n} tasks): {outcomes}.",
        )
    else:
        line = translate(
            "Cli", "Run {run} ({n} task): {outcomes}.|Run {run} ({n} tasks): {outcomes}."
        )
    console.note(plural(line, total).format(run=report.run_id, n=total, outcomes=parts))
    if report.kind.reopens and counts.get(TaskOutcome.RENEWED):
        console.note(translate("Cli", "To undo it: b24desk undo {run}").format(run=report.run_id))
    if problems:
        attention = translate(
            "Cli",
            "{n} task needs attention (see above).|{n} tasks need attention (see above).",
        )
        console.note(plural(attention, problems).format(n=problems))


def _count_words(counts: Mapping[TaskOutcome, int]) -> str:
    order = list(TaskOutcome)
    return ", ".join(
        translate("Cli", _OUTCOME_COUNTS[o]).format(n=counts[o])
        for o in sorted(counts, key=order.index)
        if counts[o]
    )


@contextlib.contextmanager
def _cancel_on_interrupt(cancel: Callable[[], None], console: Console) -> Iterator[None]:
    """Ctrl+C stops the run at once: nothing more is sent, a wait ends, and what was in
    flight is read back (the journal stays exact); twice stops without reading back."""
    loop = asyncio.get_running_loop()
    pressed = 0

    def on_interrupt() -> None:
        nonlocal pressed
        pressed += 1
        if pressed > 1:
            loop.remove_signal_handler(signal.SIGINT)
            raise KeyboardInterrupt
        console.note(
            translate(
                "Cli",
                "Stopping: nothing more is sent; checking what was in flight (press Ctrl+C "
                "again to stop at once)...",
            )
        )
        cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, on_interrupt)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):
        installed = False  # Windows, or not the main thread: Ctrl+C stops at once
    try:
        yield
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)


# --- journal and undo ------------------------------------------------------------------------


def _journal_runs() -> list[RunRecord]:
    return Journal(paths.journal_path()).runs()


def _journal(args: argparse.Namespace, console: Console) -> int:
    runs = _journal_runs()
    if args.profile or args.webhook:
        portal = _target(_connections(), args).portal_url
        runs = [run for run in runs if run.portal == portal]
    if not runs:
        if args.profile or args.webhook:
            console.note(translate("Cli", "The journal has no runs yet for this portal."))
        else:
            console.note(translate("Cli", "The journal has no runs yet."))
    every = _journal_runs() if args.profile or args.webhook else runs
    for run in runs:
        if args.json:
            console.json_line(_run_json(run, every))
        else:
            console.result(_run_line(run, every))
    return EXIT_OK


def _run_json(run: RunRecord, runs: Sequence[RunRecord]) -> dict[str, Any]:
    done = undone(run, runs)
    return {
        "run_id": run.run_id,
        "kind": run.kind.value,
        "portal": run.portal,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "parent": run.parent,
        "cancelled": run.cancelled,
        "interrupted": run.crashed,
        "unsettled": run.unsettled() if run.crashed else [],
        "tasks": len(run.before),
        "outcomes": {o.value: n for o, n in run.counts().items()},
        "undone": None
        if done is None
        else {
            "at": done.at,
            "completed_again": done.completed,
            "awaiting_approval": done.awaiting_approval,
            "left": done.left,
        },
    }


def _run_line(run: RunRecord, runs: Sequence[RunRecord]) -> str:
    counts = _count_words(run.counts())
    notes = []
    done = undone(run, runs)
    if done is not None:
        notes.append(_undone_note(done.at, done.completed, done.awaiting_approval))
    if run.crashed:
        notes.append(_interrupted_note(run))
    if run.cancelled:
        notes.append(translate("Cli", "cancelled"))
    if run.parent:
        relation = (
            translate("Cli", "undoes {run}")
            if run.kind is RunKind.UNDO
            else translate("Cli", "repeats {run}")
        )
        notes.append(relation.format(run=run.parent))
    extra = f" ({'; '.join(notes)})" if notes else ""
    tasks = plural(
        translate("Cli", "{n} task: {outcomes}|{n} tasks: {outcomes}"), len(run.before)
    ).format(n=len(run.before), outcomes=counts or translate("Cli", "none"))
    return f"{run.run_id}\t{run.kind}\t{run.started_at}\t{portal_label(run.portal)}\t{tasks}{extra}"


_MAX_IDS_SHOWN = 5


def _undone_note(at: str, completed: int, awaiting: int) -> str:
    note = plural(
        translate(
            "Cli",
            "undone {at}: {n} task completed again|undone {at}: {n} tasks completed again",
        ),
        completed,
    ).format(at=at, n=completed)
    if awaiting:
        note += plural(
            translate(
                "Cli",
                ", {n} awaiting its creator's approval|, {n} awaiting their creator's approval",
            ),
            awaiting,
        ).format(n=awaiting)
    return note


def _undo_plan_notes(plan: UndoPlan, console: Console) -> None:
    """What the portal will do besides completing: task control (brief 12.1)."""
    if plan.may_wait:
        console.note(
            plural(
                translate(
                    "Cli",
                    "{n} task has task control and your user is not its creator: it will "
                    "wait for its creator's approval unless your user may accept it for "
                    "them.|"
                    "{n} tasks have task control and your user is not their creator: they "
                    "will wait for their creator's approval unless your user may accept "
                    "them for their creator.",
                ),
                plan.may_wait,
            ).format(n=plan.may_wait)
        )
    elif plan.controlled:
        console.note(
            plural(
                translate(
                    "Cli",
                    "{n} task has task control: b24desk accepts it for its creator after "
                    "completing it.|"
                    "{n} tasks have task control: b24desk accepts them for their creator "
                    "after completing them.",
                ),
                plan.controlled,
            ).format(n=plan.controlled)
        )


def _interrupted_note(run: RunRecord) -> str:
    """What a stopped run left behind, and the next step."""
    unsettled = run.unsettled()
    if unsettled:
        shown = ", ".join(str(i) for i in unsettled[:_MAX_IDS_SHOWN])
        if len(unsettled) > _MAX_IDS_SHOWN:
            shown = translate("Cli", "{ids} and {n} more").format(
                ids=shown, n=len(unsettled) - _MAX_IDS_SHOWN
            )
        check = translate(
            "Cli",
            "interrupted: check task {ids} in Bitrix24, the run stopped while sending|"
            "interrupted: check tasks {ids} in Bitrix24, the run stopped while sending",
        )
        return plural(check, len(unsettled)).format(ids=shown)
    never_sent = run.counts().get(TaskOutcome.NOT_ATTEMPTED, 0)
    if not never_sent:
        return translate("Cli", "interrupted after its last task: nothing is left to check")
    if run.kind is RunKind.UNDO and run.parent:
        again = translate("Cli", "run b24desk undo {run} again").format(run=run.parent)
    else:
        again = translate("Cli", "renew them again")
    unsent = translate(
        "Cli",
        "interrupted: {n} task never sent, {next}|interrupted: {n} tasks never sent, {next}",
    )
    return plural(unsent, never_sent).format(n=never_sent, next=again)


def _undo(args: argparse.Namespace, console: Console) -> int:
    runs = _journal_runs()
    run = next((r for r in runs if r.run_id == args.run_id.strip()), None)
    if run is None:
        raise _no_such_run(args.run_id)
    # What can be said without the portal is said before connecting; the job checks again.
    refusal = undo_refusal(run, runs)
    if refusal is not None:
        if refusal.nothing_to_do:
            console.note(refusal.message)
            return EXIT_OK
        raise CliError(EXIT_USAGE, refusal.message)
    return asyncio.run(_undo_run(run, len(still_to_undo(run, runs)), args, console))


def _no_such_run(run_id: str) -> CliError:
    return CliError(
        EXIT_USAGE,
        translate(
            "Cli",
            "There is no run {run} in the journal: list the runs with b24desk journal.",
        ).format(run=repr(run_id)),
    )


def _undo_target(
    connections: Connections, args: argparse.Namespace, run: RunRecord
) -> ConnectionTarget:
    explicit = args.profile or args.webhook or os.environ.get(WEBHOOK_ENV, "").strip()
    if not explicit:
        matching = [p for p in connections.profiles.profiles() if p.portal_url == run.portal]
        if len(matching) == 1:
            return ConnectionTarget(matching[0], None, "profile of the run's portal")
    target = _target(connections, args)
    if target.portal_url != run.portal:
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli",
                "Run {run} was made on {portal}, but this connection is to {other}: pass "
                "--profile or --webhook for {portal}.",
            ).format(run=run.run_id, portal=run.portal, other=target.portal_url),
        )
    return target


async def _undo_run(run: RunRecord, count: int, args: argparse.Namespace, console: Console) -> int:
    connections = _connections()
    target = _undo_target(connections, args, run)
    progress = _Progress(console, translate("Cli", "completing again: {done} of {total} done"))
    async with _session(connections, target, args) as session:
        job = UndoJob(session.engine, [run.run_id], listener=progress.listener())
        completing = translate(
            "Cli",
            "Completing again the {n} task run {run} reopened...|"
            "Completing again the {n} tasks run {run} reopened...",
        )
        console.note(plural(completing, count).format(n=count, run=run.run_id))
        try:
            plan = await job.prepare()
        except RunNotFound as error:
            raise _no_such_run(error.run_id) from error
        except UndoRefused as refusal:
            if refusal.nothing_to_do:
                console.note(refusal.message)
                return EXIT_OK
            raise CliError(EXIT_USAGE, refusal.message) from refusal
        _undo_plan_notes(plan, console)
        with _cancel_on_interrupt(job.cancel, console):
            reports = await job.run()
    if not reports:
        return EXIT_PARTIAL
    report = reports[0]
    ids = list(report.results)
    problems = _print_report(report, ids, args.json, console)
    not_done = sum(1 for r in report.results.values() if r.outcome is not TaskOutcome.RECOMPLETED)
    _summary(report, len(ids), not_done, console)
    return EXIT_PARTIAL if problems or not_done else EXIT_OK
