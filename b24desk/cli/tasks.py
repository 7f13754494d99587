"""`b24desk tasks list` and `b24desk tasks renew` (with --check: ask, change nothing)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from b24desk.cli.connection import portal_session, saved_connections, target_of
from b24desk.cli.console import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    CliError,
    Console,
    cancel_on_interrupt,
)
from b24desk.cli.reports import RunProgress, outcome_word, print_report, print_summary
from b24desk.core.bitrix.tasks import iter_completed_tasks
from b24desk.core.connection import portal_label
from b24desk.core.i18n import plural, translate
from b24desk.core.model import STATUS_NAMES, TaskFilter, TaskOutcome, TaskRecord, TaskSnapshot
from b24desk.core.renew.deadline import DeadlineChange, DeadlineError, parse_deadline, parse_move
from b24desk.core.renew.engine import UNKNOWN_STATUS
from b24desk.core.renew.jobs import RenewJob
from b24desk.core.renew.journal import JournalError

_MAX_BAD_LINES_SHOWN = 20
_PROGRESS_EVERY = 500


def command(args: argparse.Namespace, console: Console) -> int:
    if args.action == "list":
        return asyncio.run(_tasks_list(args, console))
    return _tasks_renew(args, console)


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
    connections = saved_connections()
    target = target_of(connections, args)
    count = 0
    async with portal_session(connections, target, args) as session:
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


async def _check_rights(ids: list[int], args: argparse.Namespace, console: Console) -> int:
    """`tasks renew --check`: whether this user may reopen each task; nothing is changed."""
    connections = saved_connections()
    target = target_of(connections, args)
    async with portal_session(connections, target, args) as session:
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
                outcome_word(TaskOutcome(outcome))
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
    connections = saved_connections()
    target = target_of(connections, args)
    progress = RunProgress(console, translate("Cli", "reopening: {done} of {total} done"))
    async with portal_session(connections, target, args) as session:
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
        with cancel_on_interrupt(job.cancel, console):
            try:
                report = await job.run()
            except JournalError as error:
                if error.partial_report is not None:
                    # The journal failed mid-run: still say which tasks were reopened.
                    print_report(error.partial_report, ids, args.json, console)
                raise
    missing = set(plan.check.missing) if plan.check else set()
    problems = print_report(report, ids, args.json, console)
    problems += sum(1 for task_id in missing if task_id in report.results)
    print_summary(report, len(ids), problems, console)
    return EXIT_PARTIAL if problems else EXIT_OK
