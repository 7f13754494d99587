"""`b24desk undo RUN_ID`: complete again the tasks a run reopened."""

from __future__ import annotations

import argparse
import asyncio
import os

from b24desk.cli.connection import portal_session, saved_connections, target_of
from b24desk.cli.console import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    CliError,
    Console,
    cancel_on_interrupt,
)
from b24desk.cli.journal import journal_runs
from b24desk.cli.reports import RunProgress, print_report, print_summary
from b24desk.core.credentials import Connections
from b24desk.core.i18n import plural, translate
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.jobs import UndoJob, UndoPlan, UndoRefused, still_to_undo, undo_refusal
from b24desk.core.renew.records import RunNotFound, RunRecord
from b24desk.core.session import WEBHOOK_ENV, ConnectionTarget


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


def command(args: argparse.Namespace, console: Console) -> int:
    runs = journal_runs()
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
    target = target_of(connections, args)
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
    connections = saved_connections()
    target = _undo_target(connections, args, run)
    progress = RunProgress(console, translate("Cli", "completing again: {done} of {total} done"))
    async with portal_session(connections, target, args) as session:
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
        with cancel_on_interrupt(job.cancel, console):
            reports = await job.run()
    if not reports:
        return EXIT_PARTIAL
    report = reports[0]
    ids = list(report.results)
    problems = print_report(report, ids, args.json, console)
    not_done = sum(1 for r in report.results.values() if r.outcome is not TaskOutcome.RECOMPLETED)
    print_summary(report, len(ids), not_done, console)
    return EXIT_PARTIAL if problems or not_done else EXIT_OK
