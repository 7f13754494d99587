"""`b24desk journal`: the renew and undo runs, newest last, with what each left behind."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from b24desk.cli.connection import saved_connections, target_of
from b24desk.cli.console import EXIT_OK, Console
from b24desk.cli.reports import count_words
from b24desk.core import paths
from b24desk.core.connection import portal_label
from b24desk.core.i18n import plural, translate
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.jobs import undone
from b24desk.core.renew.journal import Journal
from b24desk.core.renew.records import RunKind, RunRecord


def journal_runs() -> list[RunRecord]:
    return Journal(paths.journal_path()).runs()


def command(args: argparse.Namespace, console: Console) -> int:
    runs = journal_runs()
    if args.profile or args.webhook:
        portal = target_of(saved_connections(), args).portal_url
        runs = [run for run in runs if run.portal == portal]
    if not runs:
        if args.profile or args.webhook:
            console.note(translate("Cli", "The journal has no runs yet for this portal."))
        else:
            console.note(translate("Cli", "The journal has no runs yet."))
    every = journal_runs() if args.profile or args.webhook else runs
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
    counts = count_words(run.counts())
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
