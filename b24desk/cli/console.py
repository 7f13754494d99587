"""What every command shares: exit codes, `CliError`, the `Console` (results on stdout,
messages on stderr, every line redacted), the core's errors as exit codes, and Ctrl+C during
a run."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from b24desk.core.credentials import (
    KeyringUnavailable,
    ProfileConfigError,
    ProfileError,
    WebhookUrlError,
)
from b24desk.core.i18n import translate
from b24desk.core.redact import redact
from b24desk.core.renew.journal import JournalError
from b24desk.core.renew.runlock import RunInProgress
from b24desk.core.session import WEBHOOK_ENV, NotSignedIn

# --- exit codes ------------------------------------------------------------------------------

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


# --- the core's errors -----------------------------------------------------------------------


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
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


# --- Ctrl+C during a run ---------------------------------------------------------------------


@contextlib.contextmanager
def cancel_on_interrupt(cancel: Callable[[], None], console: Console) -> Iterator[None]:
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
