"""The renew engine: plan, run, verify, cancel, retry and undo a bulk renew.

It sends `tasks.task.renew` in batches of 50 (falling back by itself to the deprecated
`task.item.renew` on portals without it), reports every task's state as it changes, and
writes everything to the journal before and after each batch. When an answer is lost it
reads the tasks back before deciding anything: a task is never called failed, nor renewed
twice, on a guess.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from b24desk.core.bitrix.client import BatchCall, BitrixClient
from b24desk.core.bitrix.errors import (
    ActionNotAllowed,
    B24Error,
    MethodNotFound,
    TransportError,
    UnexpectedResponse,
)
from b24desk.core.model import COMPLETED, PENDING, STATUS_NAMES, TaskOutcome, TaskRecord
from b24desk.core.renew.journal import Journal, RunRecord, TaskResult, TaskSnapshot, new_run_id

log = logging.getLogger(__name__)

BATCH_SIZE = 50
RENEW = "tasks.task.renew"
LEGACY_RENEW = "task.item.renew"
COMPLETE = "tasks.task.complete"
LEGACY_COMPLETE = "task.item.complete"
SNAPSHOT_FIELDS = ["ID", "STATUS", "CLOSED_DATE", "CLOSED_BY", "CHANGED_DATE"]
RENEWABLE_STATUSES = frozenset({4, 5, 6})


@dataclass(frozen=True, slots=True)
class TaskEvent:
    task_id: int
    outcome: TaskOutcome
    reason: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    counts: Mapping[TaskOutcome, int]


@dataclass(frozen=True, slots=True)
class Precheck:
    """What a renew would really do, read from the portal just before it."""

    renewable: list[TaskSnapshot]
    no_longer_completed: list[TaskSnapshot]
    missing: list[int]

    def skip_reasons(self) -> dict[int, str]:
        reasons = {
            t.id: f"No longer completed: it is now {status_name(t.status)}."
            for t in self.no_longer_completed
        }
        reasons.update(
            {i: "The task was deleted or you can no longer see it." for i in self.missing}
        )
        return reasons


@dataclass(slots=True)
class RunReport:
    run_id: str
    kind: str
    results: dict[int, TaskResult] = field(default_factory=dict)
    cancelled: bool = False

    def counts(self) -> Counter[TaskOutcome]:
        return Counter(r.outcome for r in self.results.values())

    def ids_with(self, *outcomes: TaskOutcome) -> list[int]:
        return [i for i, r in self.results.items() if r.outcome in outcomes]


def status_name(status: int) -> str:
    return STATUS_NAMES.get(status, f"status {status}").lower()


def snapshot_of(record: TaskRecord) -> TaskSnapshot:
    """The 'before' state of a task as the list loaded it."""
    closed = record.closed_date.isoformat() if isinstance(record.closed_date, datetime) else None
    return TaskSnapshot(
        id=record.id, status=record.status, closed_date=closed, closed_by=record.closed_by
    )


def snapshot_from_task(task: Mapping[str, Any]) -> TaskSnapshot:
    """A snapshot from a camelCase task object of tasks.task.get/renew/complete."""
    return TaskSnapshot(
        id=int(task.get("id") or task.get("ID") or 0),
        status=int(task.get("status") or task.get("STATUS") or 0),
        closed_date=task.get("closedDate"),
        closed_by=int(task.get("closedBy") or 0),
        changed_date=task.get("changedDate"),
    )


class RenewEngine:
    """Runs renew and undo jobs for one portal; one job at a time."""

    def __init__(
        self,
        client: BitrixClient,
        journal: Journal,
        *,
        portal: str,
        legacy: bool = False,
        batch_size: int = BATCH_SIZE,
        max_rounds: int = 3,
        round_pause_s: float = 2.0,
        on_event: Callable[[TaskEvent], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        if not 1 <= batch_size <= BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {BATCH_SIZE}")
        self.client = client
        self.journal = journal
        self.portal = portal
        self.legacy = legacy
        self.batch_size = batch_size
        self.max_rounds = max_rounds
        self.round_pause_s = round_pause_s
        self._on_event = on_event
        self._on_progress = on_progress
        self._cancel = asyncio.Event()
        self._report: RunReport | None = None
        self._total = 0

    # --- public ------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop after the batch in flight; what was not sent ends 'not attempted'."""
        self._cancel.set()

    async def read_snapshots(self, task_ids: Sequence[int]) -> dict[int, TaskSnapshot | None]:
        """Current state of each task; None when it is gone or out of the user's sight."""
        calls = [
            BatchCall("tasks.task.get", {"taskId": i, "select": SNAPSHOT_FIELDS}, key=f"t{i}")
            for i in task_ids
        ]
        snapshots: dict[int, TaskSnapshot | None] = {}
        for task_id, item in zip(task_ids, await self.client.batch(calls), strict=True):
            task = item.unwrap()
            # A task the user cannot see comes back as an empty result, not as an error.
            inner = task.get("task") if isinstance(task, Mapping) else None
            snapshots[task_id] = snapshot_from_task(inner) if isinstance(inner, Mapping) else None
        return snapshots

    async def precheck(self, tasks: Sequence[TaskSnapshot | TaskRecord]) -> Precheck:
        ids = [t.id for t in tasks]
        current = await self.read_snapshots(ids)
        renewable: list[TaskSnapshot] = []
        moved: list[TaskSnapshot] = []
        missing: list[int] = []
        for task_id in ids:
            snapshot = current[task_id]
            if snapshot is None:
                missing.append(task_id)
            elif snapshot.status == COMPLETED:
                renewable.append(snapshot)
            else:
                moved.append(snapshot)
        return Precheck(renewable, moved, missing)

    async def renew(
        self,
        tasks: Sequence[TaskSnapshot | TaskRecord],
        *,
        skip: Mapping[int, str] | None = None,
        kind: str = "renew",
        parent: str | None = None,
    ) -> RunReport:
        """Renew `tasks`; those in `skip` are journaled as skipped with the given reason."""
        before = [t if isinstance(t, TaskSnapshot) else snapshot_of(t) for t in tasks]
        skip = dict(skip or {})
        to_send = [t for t in before if t.id not in skip]
        skipped = [
            TaskResult(t.id, TaskOutcome.SKIPPED, skip[t.id]) for t in before if t.id in skip
        ]
        return await self._run(kind, before, to_send, skipped, parent, self._renew_batch)

    async def retry_failed(self, run_id: str) -> RunReport:
        """Renew again the tasks of `run_id` that failed or whose fate was never learnt."""
        run = self._journaled_run(run_id)
        again = [
            run.before[i]
            for i in run.before
            if run.outcome_of(i) in (TaskOutcome.FAILED, TaskOutcome.RENEWING)
        ]
        return await self.renew(again, kind="retry", parent=run_id)

    async def recover(self, run_id: str) -> RunRecord:
        """Settle a run that stopped mid-way (crash, power cut) by reading its tasks back.

        Tasks that were in flight get the outcome the portal shows; tasks never sent are
        recorded as not attempted. The run is then closed as cancelled.
        """
        run = self._journaled_run(run_id)
        if not run.crashed:
            return run
        unsettled = [i for i in run.before if i not in run.results]
        current = await self.read_snapshots(unsettled) if unsettled else {}
        results = []
        for task_id in unsettled:
            now = current[task_id]
            before = run.before[task_id]
            if task_id not in run.in_flight:
                results.append(
                    TaskResult(task_id, TaskOutcome.NOT_ATTEMPTED, "The run stopped before it.")
                )
            elif now is not None and now.status == PENDING != before.status:
                results.append(
                    TaskResult(
                        task_id,
                        TaskOutcome.RENEWED,
                        "Confirmed by reading the task back after the run stopped.",
                        after=now,
                    )
                )
            else:
                results.append(
                    TaskResult(
                        task_id,
                        TaskOutcome.FAILED,
                        "The run stopped while this task was being sent; it was not reopened.",
                    )
                )
        if results:
            self.journal.record_results(run_id, results)
        self.journal.finish_run(run_id, cancelled=True)
        return self._journaled_run(run_id)

    async def undo(self, run_id: str) -> RunReport:
        """Complete again the tasks `run_id` renewed, if still open and untouched since."""
        run = self._journaled_run(run_id)
        renewed = {i: r for i, r in run.results.items() if r.outcome is TaskOutcome.RENEWED}
        current = await self.read_snapshots(list(renewed))
        to_send: list[TaskSnapshot] = []
        skipped: list[TaskResult] = []
        for task_id, result in renewed.items():
            now = current[task_id]
            reason = _undo_obstacle(now, result.after)
            if now is None or reason:
                skipped.append(TaskResult(task_id, TaskOutcome.SKIPPED, reason))
            else:
                to_send.append(now)
        before = to_send + [run.before[r.id] for r in skipped]
        return await self._run("undo", before, to_send, skipped, run_id, self._complete_batch)

    # --- the run loop ------------------------------------------------------------------------

    async def _run(
        self,
        kind: str,
        before: list[TaskSnapshot],
        to_send: list[TaskSnapshot],
        presettled: list[TaskResult],
        parent: str | None,
        send_batch: Callable[[list[TaskSnapshot]], Any],
    ) -> RunReport:
        self._cancel.clear()
        run_id = new_run_id()
        report = RunReport(run_id, kind)
        self._report = report
        self._total = len(before)
        self.journal.start_run(run_id, kind=kind, portal=self.portal, tasks=before, parent=parent)
        if presettled:
            self.journal.record_results(run_id, presettled)
            for result in presettled:
                self._settle(result)
        for task in to_send:
            self._emit(TaskEvent(task.id, TaskOutcome.QUEUED))
        for start in range(0, len(to_send), self.batch_size):
            if self._cancel.is_set():
                untouched = [
                    TaskResult(t.id, TaskOutcome.NOT_ATTEMPTED, "Cancelled before it was sent.")
                    for t in to_send[start:]
                ]
                self.journal.record_results(run_id, untouched)
                for result in untouched:
                    self._settle(result)
                report.cancelled = True
                break
            batch = to_send[start : start + self.batch_size]
            self.journal.record_attempt(run_id, [t.id for t in batch])
            for task in batch:
                self._emit(TaskEvent(task.id, TaskOutcome.RENEWING))
            results: list[TaskResult] = await send_batch(batch)
            self.journal.record_results(run_id, results)
            for result in results:
                self._settle(result)
        self.journal.finish_run(run_id, cancelled=report.cancelled)
        log.info("run %s (%s) finished: %s", run_id, kind, dict(report.counts()))
        return report

    def _settle(self, result: TaskResult) -> None:
        assert self._report is not None
        self._report.results[result.id] = result
        self._emit(TaskEvent(result.id, result.outcome, result.reason, result.code))
        if self._on_progress:
            counts = self._report.counts()
            self._on_progress(Progress(len(self._report.results), self._total, counts))

    def _emit(self, event: TaskEvent) -> None:
        if self._on_event:
            self._on_event(event)

    def _journaled_run(self, run_id: str) -> RunRecord:
        run = self.journal.run(run_id)
        if run is None:
            raise KeyError(f"No run {run_id!r} in the journal.")
        return run

    # --- one batch of renews -----------------------------------------------------------------

    async def _renew_batch(self, batch: list[TaskSnapshot]) -> list[TaskResult]:
        before = {t.id: t for t in batch}
        return await self._settle_batch(
            before,
            send=self._send_renews,
            done=lambda task_id, now: now.status == PENDING != before[task_id].status,
            on_ok=lambda task_id, result: _renewed(before[task_id], result),
            on_not_allowed=self._explain_not_allowed,
        )

    async def _send_renews(self, ids: list[int]) -> dict[int, B24Error | Any]:
        method = LEGACY_RENEW if self.legacy else RENEW
        answers = await self._send(method, ids)
        not_found = [i for i, a in answers.items() if isinstance(a, MethodNotFound)]
        if not_found and not self.legacy:
            # Old self-hosted portals only know the deprecated method; it takes the same id.
            log.info("%s is missing on this portal; using %s", RENEW, LEGACY_RENEW)
            self.legacy = True
            answers.update(await self._send(LEGACY_RENEW, not_found))
        return answers

    async def _send(self, method: str, ids: list[int]) -> dict[int, B24Error | Any]:
        # The deprecated task.item.* methods read parameters by position; TASKID is first.
        legacy = method.startswith("task.item.")
        calls = [
            BatchCall(method, {"TASKID": i} if legacy else {"taskId": i}, key=f"t{i}") for i in ids
        ]
        items = await self.client.batch(calls, idempotent=False)
        return {
            i: (item.error if item.error else item.result)
            for i, item in zip(ids, items, strict=True)
        }

    async def _settle_batch(
        self,
        before: dict[int, TaskSnapshot],
        *,
        send: Callable[[list[int]], Any],
        done: Callable[[int, TaskSnapshot], bool],
        on_ok: Callable[[int, Any], TaskResult],
        on_not_allowed: Callable[[list[int]], Any],
    ) -> list[TaskResult]:
        settled: dict[int, TaskResult] = {}
        pending = list(before)
        last_error: B24Error | None = None
        for round_number in range(self.max_rounds):
            if round_number:
                await asyncio.sleep(self.round_pause_s * round_number)
            try:
                answers: dict[int, B24Error | Any] = await send(pending)
            except (TransportError, UnexpectedResponse) as error:
                last_error = error
                log.warning("a batch of %d got no clear answer: %s", len(pending), error)
                pending = await self._verify(pending, done, settled)
                if not pending:
                    break
                continue
            not_allowed = [i for i, a in answers.items() if isinstance(a, ActionNotAllowed)]
            for task_id, answer in answers.items():
                if isinstance(answer, ActionNotAllowed):
                    continue
                if isinstance(answer, B24Error):
                    settled[task_id] = _failed(task_id, answer)
                else:
                    settled[task_id] = on_ok(task_id, answer)
            if not_allowed:
                for result in await on_not_allowed(not_allowed):
                    settled[result.id] = result
            pending = []
            break
        for task_id in pending:
            settled[task_id] = (
                _failed(task_id, last_error)
                if last_error
                else TaskResult(task_id, TaskOutcome.FAILED, "No answer from the portal.")
            )
        return [settled[i] for i in before]

    async def _verify(
        self,
        pending: list[int],
        done: Callable[[int, TaskSnapshot], bool],
        settled: dict[int, TaskResult],
    ) -> list[int]:
        """After a lost answer, read the tasks back; returns those still to be sent."""
        try:
            current = await self.read_snapshots(pending)
        except B24Error as error:
            log.warning("could not read back %d tasks: %s", len(pending), error)
            return pending
        still: list[int] = []
        for task_id in pending:
            now = current[task_id]
            if now is None:
                settled[task_id] = TaskResult(
                    task_id,
                    TaskOutcome.NOT_ALLOWED,
                    "The task was deleted or you can no longer see it.",
                    "1048582",
                )
            elif done(task_id, now):
                settled[task_id] = TaskResult(
                    task_id,
                    self._verified_outcome(),
                    "Confirmed by reading the task back after a lost answer.",
                    after=now,
                )
            else:
                still.append(task_id)
        return still

    def _verified_outcome(self) -> TaskOutcome:
        assert self._report is not None
        return TaskOutcome.RECOMPLETED if self._report.kind == "undo" else TaskOutcome.RENEWED

    async def _explain_not_allowed(self, ids: list[int]) -> list[TaskResult]:
        """The portal gives one code for 'gone', 'no rights' and 'wrong status': tell them apart."""
        try:
            current = await self.read_snapshots(ids)
        except B24Error:
            current = {}
        results = []
        for task_id in ids:
            now = current.get(task_id, "unknown")
            if now is None:
                reason, outcome = (
                    "The task was deleted or you can no longer see it.",
                    TaskOutcome.NOT_ALLOWED,
                )
            elif isinstance(now, TaskSnapshot) and now.status not in RENEWABLE_STATUSES:
                reason = f"The task is already open ({status_name(now.status)})."
                outcome = TaskOutcome.ALREADY_OPEN
            elif isinstance(now, TaskSnapshot):
                reason = "Your Bitrix24 user is not allowed to reopen this task."
                outcome = TaskOutcome.NOT_ALLOWED
            else:
                reason = (
                    "Bitrix24 did not allow reopening this task (deleted, no rights, or no "
                    "longer completed)."
                )
                outcome = TaskOutcome.NOT_ALLOWED
            results.append(TaskResult(task_id, outcome, reason, "1048582"))
        return results

    # --- one batch of undo (complete again) --------------------------------------------------

    async def _complete_batch(self, batch: list[TaskSnapshot]) -> list[TaskResult]:
        before = {t.id: t for t in batch}

        async def not_allowed(ids: list[int]) -> list[TaskResult]:
            return [
                TaskResult(
                    i,
                    TaskOutcome.NOT_ALLOWED,
                    "Bitrix24 did not allow completing this task again.",
                    "1048582",
                )
                for i in ids
            ]

        return await self._settle_batch(
            before,
            send=self._send_completes,
            done=lambda _id, now: now.status in (4, COMPLETED),
            on_ok=_recompleted,
            on_not_allowed=not_allowed,
        )

    async def _send_completes(self, ids: list[int]) -> dict[int, B24Error | Any]:
        return await self._send(LEGACY_COMPLETE if self.legacy else COMPLETE, ids)


def _renewed(before: TaskSnapshot, answer: Any) -> TaskResult:
    task = answer.get("task") if isinstance(answer, Mapping) else None
    after = snapshot_from_task(task) if isinstance(task, Mapping) else None
    if before.status == PENDING:
        # Renewing a pending task is a no-op the portal reports as success.
        return TaskResult(
            before.id, TaskOutcome.ALREADY_OPEN, "The task was already open.", after=after
        )
    return TaskResult(before.id, TaskOutcome.RENEWED, after=after)


def _recompleted(task_id: int, answer: Any) -> TaskResult:
    task = answer.get("task") if isinstance(answer, Mapping) else None
    after = snapshot_from_task(task) if isinstance(task, Mapping) else None
    reason = ""
    if after is not None and after.status == 4:
        reason = (
            "Bitrix24 put the task in 'awaiting control': its creator has to accept it "
            "before it counts as completed."
        )
    return TaskResult(task_id, TaskOutcome.RECOMPLETED, reason, after=after)


def _failed(task_id: int, error: B24Error) -> TaskResult:
    code = getattr(error, "code", "") or type(error).__name__
    return TaskResult(task_id, TaskOutcome.FAILED, error.user_message, str(code))


def _undo_obstacle(now: TaskSnapshot | None, after: TaskSnapshot | None) -> str:
    if now is None:
        return "The task was deleted or you can no longer see it."
    if now.status != PENDING:
        return f"Left as is: the task has moved on since (it is now {status_name(now.status)})."
    if after is not None and after.changed_date and now.changed_date != after.changed_date:
        return "Left as is: someone changed the task after it was reopened."
    return ""
