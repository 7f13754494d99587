"""The status bar's one sentence about a finished run, or about a "Check first"."""

from __future__ import annotations

from collections import Counter

from b24desk.core.i18n import plural, translate
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.jobs import RenewPlan
from b24desk.core.renew.records import RunKind, RunReport
from b24desk.ui.language import count_text


def run_summary(*reports: RunReport) -> str:
    """One sentence about finished runs of one kind (undo may be several), for the status bar."""
    counts: Counter[TaskOutcome] = Counter()
    for report in reports:
        counts.update(report.counts())
    total = sum(counts.values())
    kind = reports[0].kind if reports else RunKind.RENEW
    extras = [
        (TaskOutcome.ALREADY_OPEN, translate("Status", "{n} already open")),
        (TaskOutcome.NOT_ALLOWED, translate("Status", "{n} not allowed")),
        (TaskOutcome.FAILED, translate("Status", "{n} failed")),
        (
            TaskOutcome.SKIPPED,
            translate("Status", "{n} skipped")
            if kind is not RunKind.UNDO
            else translate("Status", "{n} left as they were"),
        ),
        (TaskOutcome.NOT_ATTEMPTED, translate("Status", "{n} not attempted")),
    ]
    tail = [label.format(n=count_text(counts[o])) for o, label in extras if counts[o]]
    if kind is RunKind.UNDO:
        done, head = (
            counts[TaskOutcome.RECOMPLETED],
            translate(
                "Status", "Completed again {done} of {n} task|Completed again {done} of {n} tasks"
            ),
        )
    elif kind is RunKind.RETRY:
        done, head = (
            counts[TaskOutcome.RENEWED],
            translate(
                "Status", "Retry: reopened {done} of {n} task|Retry: reopened {done} of {n} tasks"
            ),
        )
    else:
        done, head = (
            counts[TaskOutcome.RENEWED],
            translate("Status", "Reopened {done} of {n} task|Reopened {done} of {n} tasks"),
        )
    text = plural(head, total).format(done=count_text(done), n=count_text(total))
    if any(report.cancelled for report in reports):
        text = translate("Status", "Cancelled. {summary}").format(summary=text)
    text += ("; " + ", ".join(tail) if tail else "") + "."
    if kind is not RunKind.UNDO and counts[TaskOutcome.FAILED]:
        text += " " + translate("Status", "“Retry failed” tries the failed ones again.")
    return text


def rights_summary(plan: RenewPlan) -> str:
    """ "Checked 49 tasks: you may reopen 37; 12 not allowed." for the status bar."""
    check = plan.check
    assert check is not None
    may = len(check.renewable)
    text = plural(
        translate(
            "Status",
            "Checked {n} task: you may reopen {may}|Checked {n} tasks: you may reopen {may}",
        ),
        plan.selected,
    ).format(n=count_text(plan.selected), may=count_text(may))
    parts = []
    if check.not_allowed:
        parts.append(
            translate("Status", "{n} not allowed").format(n=count_text(len(check.not_allowed)))
        )
    others = len(check.no_longer_completed) + len(check.missing)
    if others:
        parts.append(
            translate("Status", "{n} no longer completed or gone").format(n=count_text(others))
        )
    if check.unread:
        parts.append(
            translate("Status", "{n} the portal did not answer for").format(
                n=count_text(len(check.unread))
            )
        )
    text += ("; " + ", ".join(parts) if parts else "") + "."
    return text + " " + translate("Status", "Nothing was changed.")
