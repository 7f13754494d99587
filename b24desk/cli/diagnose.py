"""`b24desk diagnose --out FILE`: a report of what the portal answers to read-only requests."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from b24desk.cli.connection import portal_session, saved_connections, target_of
from b24desk.cli.console import EXIT_CONNECTION, EXIT_OK, EXIT_USAGE, CliError, Console
from b24desk.core import paths
from b24desk.core.diagnose import DiagnosticReport, run_diagnosis
from b24desk.core.i18n import translate


def command(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.out).expanduser().absolute()
    if not out.parent.is_dir():
        raise CliError(
            EXIT_USAGE,
            translate(
                "Cli", "The folder {folder} does not exist: choose a file in an existing folder."
            ).format(folder=out.parent),
        )
    connections = saved_connections()
    target = target_of(connections, args)
    log_file = paths.log_path()

    async def diagnosis() -> DiagnosticReport:
        async with portal_session(connections, target, args, detect_rate=False) as session:
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
