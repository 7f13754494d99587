"""Which portal a command talks to (--profile, --webhook, B24DESK_WEBHOOK, a webhook on
stdin) and the open session; a portal that cannot be used ends the command with exit code 3."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from b24desk.cli.console import EXIT_CONNECTION, EXIT_USAGE, CliError
from b24desk.core.bitrix.auth import OAuthAuth
from b24desk.core.bitrix.errors import B24Error
from b24desk.core.connection import portal_label, verdict_for_error
from b24desk.core.credentials import Connections
from b24desk.core.i18n import translate
from b24desk.core.redact import redacted_logger
from b24desk.core.session import (
    WEBHOOK_ENV,
    ConnectionTarget,
    PortalSession,
    default_connections,
    open_session,
    resolve_target,
)

log = redacted_logger(__name__)


def webhook_from_stdin() -> str:
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


def saved_connections() -> Connections:
    return default_connections()


def target_of(
    connections: Connections, args: argparse.Namespace, profile: str | None = None
) -> ConnectionTarget:
    return resolve_target(connections, profile=profile or args.profile, webhook=args.webhook)


def ca_bundle_of(args: argparse.Namespace) -> str | None:
    value: str | None = getattr(args, "ca_bundle", None)
    return str(Path(value).expanduser().absolute()) if value else None


@contextlib.asynccontextmanager
async def portal_session(
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
            ca_bundle=ca_bundle_of(args),
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
