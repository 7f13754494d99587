"""How runs read on the terminal: outcome words, the per-task report of a renew or undo
run, its summary and its progress on stderr."""

from __future__ import annotations

from collections.abc import Mapping

from b24desk.cli.console import Console
from b24desk.core.bitrix.budget import Wait
from b24desk.core.i18n import QT_TRANSLATE_NOOP, plural, translate
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.engine import AWAITING_APPROVAL
from b24desk.core.renew.records import Progress, RunListener, RunReport
from b24desk.core.renew.words import time_left, wait_sentence

# Outcomes that leave a task not the way the user asked for.
RENEW_PROBLEMS = frozenset(
    {TaskOutcome.FAILED, TaskOutcome.NOT_ALLOWED, TaskOutcome.NOT_ATTEMPTED, TaskOutcome.RENEWING}
)
# In English here; `outcome_word` gives them in the user's language.
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


def outcome_word(outcome: TaskOutcome) -> str:
    return translate("Cli", _OUTCOME_WORDS[outcome])


class RunProgress:
    """Progress of a run on stderr: a line per batch (with the time left), the last one,
    and every wait for the portal with the time it ends."""

    def __init__(self, console: Console, text: str) -> None:
        self.console = console
        self.text = text
        """Filled in with {done} and {total}."""
        self._last = 0

    def __call__(self, progress: Progress) -> None:
        first = self._last == 0 and progress.done > 0  # the first batch back, whatever its size
        if first or progress.done == progress.total or progress.done - self._last >= 50:
            self._last = progress.done
            line = self.text.format(done=progress.done, total=progress.total)
            left = time_left(progress.eta_s) if progress.done < progress.total else ""
            self.console.note(f"  {line}" + (f" ({left})" if left else ""))

    def on_wait(self, wait: Wait) -> None:
        self.console.note(f"  {wait_sentence(wait)}")

    def listener(self) -> RunListener:
        return RunListener(on_progress=self, on_wait=self.on_wait)


def print_report(report: RunReport, ids: list[int], as_json: bool, console: Console) -> int:
    problems = 0
    for task_id in ids:
        result = report.results.get(task_id)
        if result is None:
            continue
        if result.outcome in RENEW_PROBLEMS:
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
                else outcome_word(result.outcome)
            )
            console.result(f"{task_id}\t{word}{reason}")
    return problems


def print_summary(report: RunReport, total: int, problems: int, console: Console) -> None:
    counts = report.counts()
    parts = count_words(counts) or translate("Cli", "nothing")
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


def count_words(counts: Mapping[TaskOutcome, int]) -> str:
    order = list(TaskOutcome)
    return ", ".join(
        translate("Cli", _OUTCOME_COUNTS[o]).format(n=counts[o])
        for o in sorted(counts, key=order.index)
        if counts[o]
    )
