"""The renew engine: plan, run, verify, cancel, retry, recover and undo a bulk renew.

It sends `tasks.task.renew` in batches of up to 50, several side by side (falling back to
the deprecated `task.item.renew` on portals that really lack it), reports every task's state
as it changes, and writes everything to the journal before and after each wave of batches.
When an answer is lost or unclear it reads the tasks back before deciding anything: a task
is never called failed, nor sent twice, on a guess. How large and how many the batches are
is decided in `b24desk.core.renew.pacing`; what a run writes and how its outcomes are worded,
in `b24desk.core.renew.actions`.

Why one file for the rest (about 1,100 lines): the run loop, one batch's settling (send,
fall back, read back, explain a refusal, follow up, deadlines, comments) and recovery all
work on the same action and the same journal run, and call each other through the engine's
client, journal and legacy switch; split apart, each piece would need the whole engine
passed in.
"""

from __future__ import annotations

import asyncio
from asyncio import FIRST_COMPLETED
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.bitrix.budget import Wait, WaitKind
from b24desk.core.bitrix.client import BatchItemResult, BitrixClient
from b24desk.core.bitrix.errors import (
    AccessDenied,
    ActionNotAllowed,
    ApiError,
    AuthError,
    B24Error,
    InsufficientScope,
    MethodNotFound,
    Overload,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from b24desk.core.bitrix.tasks import MethodState, TaskStates
from b24desk.core.i18n import translate
from b24desk.core.model import (
    AWAITING_CONTROL,
    COMPLETED,
    PENDING,
    TaskOutcome,
    TaskSnapshot,
)
from b24desk.core.redact import redacted_logger
from b24desk.core.renew.actions import (
    AWAITING_APPROVAL,
    DEADLINE_SET,
    RENEWABLE_STATUSES,
    RETURN_FOR_REWORK,
    UNCONFIRMED,
    UNKNOWN_STATUS,
    approved_reason,
    awaiting_approval_reason,
    gone,
    returned_reason,
    status_name,
)
from b24desk.core.renew.actions import COMPLETE_ACTION as _COMPLETE
from b24desk.core.renew.actions import Action as _Action
from b24desk.core.renew.actions import action_for as _action_for
from b24desk.core.renew.deadline import shown as deadline_shown
from b24desk.core.renew.journal import Journal, JournalError, new_run_id
from b24desk.core.renew.pacing import (
    BATCH_SIZE,
    MAX_PARALLEL,
    PROBE_SIZE,
    SpeedMemory,
    largest_batch,
    next_batch_size,
    write_allowance,
)
from b24desk.core.renew.records import (
    Progress,
    RunKind,
    RunListener,
    RunRecord,
    RunReport,
    TaskEvent,
    TaskResult,
)
from b24desk.core.renew.runlock import PortalLock, RunInProgress

__all__ = [
    "AWAITING_APPROVAL",
    "DEADLINE_SET",
    "UNCONFIRMED",
    "UNKNOWN_STATUS",
    "CancelToken",
    "RenewEngine",
    "gone",
    "status_name",
]

log = redacted_logger(__name__)
_T = TypeVar("_T")

READ_BACK_ON_CANCEL_S = 5.0
"""After a cancel, how long to try reading back the batches that were in flight."""
# Errors of a whole batch after which sending more cannot help: the run stops cleanly.
_STOPPING_ERRORS: tuple[type[ApiError], ...] = (
    Overload,
    AuthError,
    AccessDenied,
    InsufficientScope,
)
# Answers that do not say whether the write happened: read the task back.
_UNCLEAR_ERRORS: tuple[type[B24Error], ...] = (TransportError, UnexpectedResponse, ServerError)


class CancelToken:
    """Asks one run to stop at once: nothing more is sent, a wait for the portal ends, and
    the batches in flight are read back. Never reset, so a cancel that comes before the
    run's first batch is not lost."""

    __slots__ = ("_cancelled", "_event")

    def __init__(self) -> None:
        self._cancelled = False
        self._event: asyncio.Event | None = None

    def cancel(self) -> None:
        self._cancelled = True
        if self._event is not None:
            self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def wait(self) -> None:
        """Return once the run is cancelled."""
        if self._event is None:
            self._event = asyncio.Event()
            if self._cancelled:
                self._event.set()
        await self._event.wait()


class _StopRun(Exception):
    """The portal refused a whole batch in a way that will not change by sending more."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(str(error))
        self.error = error


async def _in_thread(call: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
    """Journal reads and fsynced writes: off the event loop, which may be the window's."""
    return await asyncio.to_thread(call, *args, **kwargs)


@dataclass(slots=True)
class _RunState:
    """One run in progress: its report so far and who hears about it."""

    report: RunReport
    total: int
    listener: RunListener
    token: CancelToken
    journal: Journal = field(repr=False)

    def emit(self, event: TaskEvent) -> None:
        if self.listener.on_event:
            self.listener.on_event(event)

    eta: Callable[[], float | None] = lambda: None

    def settle(self, result: TaskResult) -> None:
        self.report.record(result)
        self.emit(TaskEvent(result.id, result.outcome, result.reason, result.code))
        self.progress()

    def progress(self) -> None:
        if self.listener.on_progress:
            report = self.report
            self.listener.on_progress(
                Progress(len(report.results), self.total, report.counts(), self.eta())
            )

    def on_wait(self, wait: Wait) -> None:
        if self.listener.on_wait:
            self.listener.on_wait(wait)


class RenewEngine:
    """Carries out renew and undo runs on one portal, batch by batch, and settles crashed
    runs. What to run (the pre-check, the plan, the undo rule) is decided by the jobs in
    `b24desk.core.renew.jobs`; the front ends use those, not this class."""

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
        max_parallel: int = MAX_PARALLEL,
        probe_size: int = PROBE_SIZE,
    ) -> None:
        if not 1 <= batch_size <= BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {BATCH_SIZE}")
        if max_parallel < 1 or probe_size < 1:
            raise ValueError("max_parallel and probe_size must be at least 1")
        self.client = client
        self.journal = journal
        self.portal = portal
        self.legacy = legacy
        self.batch_size = batch_size
        self.max_rounds = max_rounds
        self.round_pause_s = round_pause_s
        self.max_parallel = max_parallel
        self.probe_size = probe_size
        self.read_back_on_cancel_s = READ_BACK_ON_CANCEL_S
        self.speeds = SpeedMemory(journal.path.with_suffix(".speeds.json"))
        """What each write method cost on each portal in earlier runs."""

    # --- public ------------------------------------------------------------------------------

    async def read(self, task_ids: Sequence[int], *, deadlines: bool = False) -> TaskStates:
        """Current state of each task; None when it is gone or out of the user's sight.

        A task the portal gave no usable answer for is left out: its state is unknown.
        """
        select = tasks_api.DEADLINE_SELECT if deadlines else tasks_api.STATE_SELECT
        return await tasks_api.read_tasks(self.client, task_ids, select)

    async def runs(self) -> list[RunRecord]:
        """Every run in the journal (read off the event loop)."""
        return await _in_thread(self.journal.runs)

    async def run_record(self, run_id: str) -> RunRecord:
        """The run `run_id` as journaled; RunNotFound when there is none."""
        return await _in_thread(self.journal.require, run_id)

    async def renew(
        self,
        tasks: Sequence[TaskSnapshot],
        *,
        skip: Mapping[int, str] | None = None,
        kind: RunKind = RunKind.RENEW,
        parent: str | None = None,
        listener: RunListener | None = None,
        token: CancelToken | None = None,
        return_for_rework: Collection[int] = (),
        deadlines: Mapping[int, str | None] | None = None,
        comment: str = "",
    ) -> RunReport:
        """Renew `tasks`; those in `skip` are journaled as skipped with the given reason;
        those in `return_for_rework` (awaiting control) are disapproved instead."""
        before = list({t.id: t for t in tasks}.values())
        skip = dict(skip or {})
        to_send = [t for t in before if t.id not in skip]
        skipped = [
            TaskResult(t.id, TaskOutcome.SKIPPED, skip[t.id]) for t in before if t.id in skip
        ]
        action = replace(
            _action_for(kind),
            via={i: RETURN_FOR_REWORK for i in return_for_rework},
            deadlines=dict(deadlines or {}),
            comment=comment.strip(),
        )
        return await self._run(kind, before, to_send, skipped, parent, listener, token, action)

    async def complete_again(
        self,
        parent: str,
        to_send: Sequence[TaskSnapshot],
        left: Sequence[TaskResult],
        before: Mapping[int, TaskSnapshot],
        *,
        listener: RunListener | None = None,
        token: CancelToken | None = None,
        deadlines: Mapping[int, str | None] | None = None,
    ) -> RunReport:
        """Undo: complete `to_send` again; `left` are journaled as they are (skipped);
        `deadlines` are set back once completed.
        Tasks that were awaiting control before the undone run are left awaiting it."""
        tasks = list(to_send) + [before[r.id] for r in left]
        awaiting = frozenset(
            t.id for t in to_send if t.id in before and before[t.id].status == AWAITING_CONTROL
        )
        action = replace(_COMPLETE, no_follow_up=awaiting, deadlines=dict(deadlines or {}))
        return await self._run(
            RunKind.UNDO, tasks, list(to_send), list(left), parent, listener, token, action
        )

    def ensure_free(self) -> None:
        """Raise RunInProgress when another process is running on this portal now."""
        if self._lock().held_elsewhere():
            raise RunInProgress(self.portal, None)

    async def recover_crashed(self) -> list[RunRecord]:
        """Settle every run of this portal that stopped mid-way (see `recover`).

        Runs of a process that is still running (it holds the portal's lock) are live, not
        stopped: they are left alone (RunInProgress).
        """
        with self._lock():
            runs = await self.runs()
            stopped = [r for r in runs if r.portal == self.portal and (r.crashed or r.unsettled())]
            return [await self.recover(r.run_id) for r in stopped]

    def _lock(self) -> PortalLock:
        return PortalLock(self.journal.path, self.portal)

    async def recover(self, run_id: str) -> RunRecord:
        """Settle a run that stopped mid-way (crash, power cut) by reading its tasks back.

        Tasks that were in flight get the outcome the portal shows; tasks never sent are
        recorded as not attempted. The run is then closed as cancelled.
        """
        run = await self.run_record(run_id)
        if not run.crashed and not run.unsettled():
            return run
        action = _action_for(run.kind)
        in_flight = run.unsettled()
        current = await self.read(in_flight) if in_flight else {}
        results = []
        for task_id in run.before:
            if task_id in run.results:
                continue
            before = run.before[task_id]
            now = current.get(task_id)
            if task_id not in run.in_flight:
                results.append(
                    TaskResult(
                        task_id,
                        TaskOutcome.NOT_ATTEMPTED,
                        translate("Renew", "The run stopped before this task was sent."),
                    )
                )
            elif task_id not in current:
                results.append(_unconfirmed(task_id))
            elif now is None:
                results.append(TaskResult(task_id, TaskOutcome.NOT_ALLOWED, gone()))
            elif action.done(before, now) and now.status == AWAITING_CONTROL:
                results.append(
                    TaskResult(
                        task_id,
                        action.verified,
                        translate(
                            "Renew",
                            "Completed, awaiting the creator's approval: the run stopped before "
                            "b24desk could accept it for its creator.",
                        ),
                        AWAITING_APPROVAL,
                        after=now,
                    )
                )
            elif action.done(before, now):
                results.append(
                    TaskResult(
                        task_id,
                        action.verified,
                        translate("Renew", "Confirmed by reading the task back."),
                        after=now,
                    )
                )
            else:
                results.append(
                    TaskResult(
                        task_id,
                        TaskOutcome.FAILED,
                        translate("Renew", "The run stopped while this task was being sent."),
                    )
                )
        if results:
            await _in_thread(self.journal.record_results, run_id, results)
        if run.crashed:
            await _in_thread(self.journal.finish_run, run_id, cancelled=True)
        return await self.run_record(run_id)

    # --- the run loop ------------------------------------------------------------------------

    async def _run(
        self,
        kind: RunKind,
        before: list[TaskSnapshot],
        to_send: list[TaskSnapshot],
        presettled: list[TaskResult],
        parent: str | None,
        listener: RunListener | None,
        token: CancelToken | None,
        action: _Action,
    ) -> RunReport:
        with self._lock():  # one run per portal on this computer; RunInProgress if not ours
            return await self._run_locked(
                kind, before, to_send, presettled, parent, listener, token, action
            )

    async def _run_locked(
        self,
        kind: RunKind,
        before: list[TaskSnapshot],
        to_send: list[TaskSnapshot],
        presettled: list[TaskResult],
        parent: str | None,
        listener: RunListener | None,
        token: CancelToken | None,
        action: _Action,
    ) -> RunReport:
        run_id = new_run_id()
        report = RunReport(run_id, kind)
        run = _RunState(
            report, len(before), listener or RunListener(), token or CancelToken(), self.journal
        )
        await _in_thread(
            self.journal.start_run,
            run_id,
            kind=kind,
            portal=self.portal,
            tasks=before,
            parent=parent,
        )
        if presettled:
            await _in_thread(self.journal.record_results, run_id, presettled)
            for result in presettled:
                run.settle(result)
        for task in to_send:
            run.emit(TaskEvent(task.id, TaskOutcome.QUEUED))
        queue = deque(to_send)
        run.eta = lambda: self._eta(action, len(queue), in_flight)
        in_flight: dict[asyncio.Future[list[TaskResult]], list[TaskSnapshot]] = {}
        cancelled = asyncio.ensure_future(run.token.wait())
        try:
            with self.client.pacer.budget.watching(run.on_wait):
                await self._send_all(action, run, queue, in_flight, cancelled)
        except JournalError as error:
            error.partial_report = report  # nothing more is sent; say what was done
            raise
        finally:
            cancelled.cancel()
            for future in in_flight:
                future.cancel()
        await _in_thread(self._remember_speed, action)
        if in_flight:
            await self._interrupted(action, run, in_flight)
        if queue:
            reason = report.stopped_by or translate("Renew", "Cancelled before it was sent.")
            await self._settle_all(run, list(queue), TaskOutcome.NOT_ATTEMPTED, reason)
        report.cancelled = run.token.cancelled
        stopped = report.cancelled or bool(report.stopped_by)
        await _in_thread(self.journal.finish_run, run_id, cancelled=stopped)
        log.info("run %s (%s) finished: %s", run_id, kind, dict(report.counts()))
        return report

    async def _send_all(
        self,
        action: _Action,
        run: _RunState,
        queue: deque[TaskSnapshot],
        in_flight: dict[asyncio.Future[list[TaskResult]], list[TaskSnapshot]],
        cancelled: asyncio.Future[None],
    ) -> None:
        """Keep batches in flight, as many and as large as the portal's time allows, until
        everything is settled, the run is cancelled or the portal stops it."""
        budget = self.client.pacer.budget
        report = run.report
        recalled = await _in_thread(self.speeds.recall, self.portal)
        self.speeds.seed(budget, recalled, self._methods(action))
        allowance = write_allowance(len(queue), self.batch_size)
        sent = 0
        while queue or in_flight:
            if run.token.cancelled:
                return
            # The next wave: every batch there is room for, journaled in one write, sent at
            # once (so that they also finish together).
            wave: list[list[TaskSnapshot]] = []
            booked: dict[str, float] = {}  # the wave's time, not reserved until it is sent
            while (
                queue
                and not report.stopped_by
                and self._room_for_more(action, len(in_flight) + len(wave))
            ):
                busy = len(in_flight) + len(wave)
                size = self._next_size(action, len(queue), busy, allowance - sent)
                costs = {
                    m: booked.get(m, 0.0) + budget.recorded_cost(m, size)
                    for m in self._methods(action)
                }
                delay, binding = budget.delay_for(costs)
                if delay > 0 and busy:
                    break  # the batches in flight will free time (or say where we stand)
                if delay > 0:
                    waiting = asyncio.ensure_future(
                        budget.sleep(WaitKind.OPERATING_LIMIT, delay, binding)
                    )
                    await asyncio.wait({waiting, cancelled}, return_when=FIRST_COMPLETED)
                    waiting.cancel()
                    if run.token.cancelled:
                        return
                    continue
                wave.append([queue.popleft() for _ in range(size)])
                booked = costs
                sent += 1
            if wave:
                ids = [t.id for batch in wave for t in batch]
                await _in_thread(self.journal.record_attempt, report.run_id, ids)
                for batch in wave:
                    for task in batch:
                        run.emit(TaskEvent(task.id, TaskOutcome.RENEWING))
                    future = asyncio.ensure_future(
                        self._settle_batch(action, {t.id: t for t in batch})
                    )
                    in_flight[future] = batch
            if not in_flight:
                return  # stopped by the portal with tasks still queued
            watched: set[asyncio.Future[Any]] = {*in_flight, cancelled}
            await asyncio.wait(watched, return_when=FIRST_COMPLETED)
            finished = [(in_flight.pop(f), f) for f in [f for f in in_flight if f.done()]]
            await self._finish_batches(run, finished)

    async def _finish_batches(
        self,
        run: _RunState,
        finished: list[tuple[list[TaskSnapshot], asyncio.Future[list[TaskResult]]]],
    ) -> None:
        """Journal the results of the batches that came back (in one write: a wave's
        batches come back together), then show them."""
        report = run.report
        results: list[TaskResult] = []
        for batch, future in finished:
            try:
                results += future.result()
            except _StopRun as stop:
                report.stopped_by = report.stopped_by or stop.error.user_message
                code = str(stop.error.code)
                reason = report.stopped_by
                await self._settle_all(run, batch, TaskOutcome.NOT_ATTEMPTED, reason, code)
                log.warning("run %s stopped by the portal: %s", report.run_id, stop.error)
        if not results:
            return
        try:
            await _in_thread(self.journal.record_results, report.run_id, results)
        finally:
            # Done on the portal whether or not the journal could say so: shown either way.
            for result in results:
                run.settle(result)

    async def _interrupted(
        self,
        action: _Action,
        run: _RunState,
        in_flight: Mapping[asyncio.Future[list[TaskResult]], list[TaskSnapshot]],
    ) -> None:
        """Cancelled with batches in flight: read them back for a moment. What the portal
        already shows as done is settled; the rest stays in flight in the journal (the
        portal may still be working through the batch) and the next job settles it by
        reading it back, as after a crash."""
        before = {t.id: t for batch in in_flight.values() for t in batch}
        settled: dict[int, TaskResult] = {}
        try:
            await asyncio.wait_for(
                self._read_back(action, before, list(before), settled),
                self.read_back_on_cancel_s,
            )
        except (TimeoutError, B24Error) as error:
            log.info("could not read back the interrupted batches now: %s", error)
        if settled:
            await _in_thread(self.journal.record_results, run.report.run_id, list(settled.values()))
        for result in settled.values():
            run.settle(result)
        unknown = translate(
            "Renew",
            "Sent just before the run was cancelled; the portal has not said yet whether it "
            "applied it. b24desk reads it back before the next run.",
        )
        for task_id in before:
            if task_id not in settled:
                # Reported, not journaled: the journal keeps it in flight for the next job.
                run.settle(TaskResult(task_id, TaskOutcome.RENEWING, unknown))

    def _method(self, action: _Action) -> str:
        return action.legacy if self.legacy else action.modern

    def _follow_up_method(self, action: _Action) -> str | None:
        return action.follow_up_legacy if self.legacy else action.follow_up

    def _methods(self, action: _Action) -> list[str]:
        """What one task of a batch may cost: the write (the dearest, when some tasks are
        written another way) and its follow-up."""
        budget = self.client.pacer.budget
        writes = {self._method(action)} | {
            legacy if self.legacy else modern for modern, legacy in action.via.values()
        }
        dearest = max(sorted(writes), key=budget.call_seconds)
        follow = self._follow_up_method(action)
        update = [tasks_api.UPDATE] if action.deadlines else []
        comment = [tasks_api.COMMENT_ADD] if action.comment else []
        return [dearest, *([follow] if follow else []), *update, *comment]

    def _remember_speed(self, action: _Action) -> None:
        """Keep what this run measured, so that the next run on this portal need not."""
        budget = self.client.pacer.budget
        measured = {m: budget.call_seconds(m) for m in self._methods(action) if budget.measured(m)}
        self.speeds.remember(self.portal, measured)

    def _room_for_more(self, action: _Action, busy: int) -> bool:
        """May another batch go out now, with `busy` batches in flight or about to be?"""
        if not self.client.pacer.budget.measured(self._method(action)):
            return not busy  # the first batch measures the portal's speed alone
        return busy < self.max_parallel

    def _batch_size(self, action: _Action, others_in_flight: bool) -> int:
        """The largest batch now: the measuring batch on a portal of unknown speed, else
        as many tasks as `TARGET_REQUEST_S` of the portal's time holds."""
        budget = self.client.pacer.budget
        if not budget.measured(self._method(action)) and not others_in_flight:
            return min(self.probe_size, self.batch_size)
        # A batch's tasks are written, then (some) followed up in a second request of the
        # same slot: size it for both, as if every task needed the follow-up.
        return largest_batch(budget, self._methods(action), self.batch_size)

    def _next_size(self, action: _Action, queued: int, in_flight: int, requests_left: int) -> int:
        """The next batch of the wave: the queue shared evenly over the batches that may
        still go out (`pacing.next_batch_size`), or the measuring batch."""
        largest = self._batch_size(action, bool(in_flight))
        if not self.client.pacer.budget.measured(self._method(action)):
            return min(largest, queued)
        return next_batch_size(
            queued=queued,
            in_flight=in_flight,
            requests_left=requests_left,
            largest=largest,
            max_parallel=self.max_parallel,
        )

    def _eta(
        self, action: _Action, queued: int, in_flight: Mapping[asyncio.Future[Any], Any]
    ) -> float | None:
        budget = self.client.pacer.budget
        method = self._method(action)
        if not budget.measured(method):
            return None
        calls = queued + sum(len(batch) for batch in in_flight.values())
        if not calls:
            return 0.0
        # The wave shares the tasks over about as many batches as `_next_size` does.
        batches = min(self.max_parallel, write_allowance(calls, self.batch_size) - 1)
        size = min(self._batch_size(action, True), -(-calls // batches))
        return budget.seconds_for(method, calls, self.max_parallel, size)

    @staticmethod
    async def _settle_all(
        run: _RunState,
        tasks: Sequence[TaskSnapshot],
        outcome: TaskOutcome,
        reason: str,
        code: str = "",
    ) -> None:
        results = [TaskResult(t.id, outcome, reason, code) for t in tasks]
        await _in_thread(run.journal.record_results, run.report.run_id, results)
        for result in results:
            run.settle(result)

    # --- one batch ---------------------------------------------------------------------------

    async def _settle_batch(
        self, action: _Action, before: dict[int, TaskSnapshot]
    ) -> list[TaskResult]:
        """Send one batch and settle every task of it, reading back whatever is unclear."""
        settled: dict[int, TaskResult] = {}
        to_send = list(before)
        unclear: list[int] = []  # may have been written: read back, never resend blindly
        last_error: B24Error | None = None
        for round_number in range(self.max_rounds):
            if not to_send and not unclear:
                break
            if round_number:
                await asyncio.sleep(self.round_pause_s * round_number)
            if unclear:
                unclear, resend = await self._read_back(action, before, unclear, settled)
                to_send += resend
            if not to_send:
                continue
            sending, to_send = to_send, []
            try:
                answers = await self._send_with_fallback(action, sending)
            except _UNCLEAR_ERRORS as error:
                last_error = error
                log.warning("a batch of %d got no clear answer: %s", len(sending), error)
                unclear += sending
                continue
            except ApiError as error:
                if isinstance(error, _STOPPING_ERRORS) or error.call_did_not_run:
                    raise _StopRun(error) from error
                last_error = error
                unclear += sending
                continue
            stopping = [a.error for a in answers.values() if isinstance(a.error, _STOPPING_ERRORS)]
            if answers and len(stopping) == len(answers):
                # Every command refused alike (a webhook without the Tasks permission...):
                # the run stops here and says it once, instead of sending every batch.
                assert isinstance(stopping[0], ApiError)
                raise _StopRun(stopping[0])
            not_allowed: list[int] = []
            for task_id, item in answers.items():
                problem = item.error
                if problem is None:
                    settled[task_id] = self._succeeded(action, before[task_id], item)
                elif isinstance(problem, ActionNotAllowed):
                    not_allowed.append(task_id)
                elif isinstance(problem, _UNCLEAR_ERRORS):
                    last_error = problem
                    unclear.append(task_id)
                else:
                    settled[task_id] = _failed(task_id, problem)
            if not_allowed:
                for result in await self._explain_refusal(action, before, not_allowed):
                    settled[result.id] = result
        if unclear:
            # A last read-back: after the final round nothing will be resent anyway.
            unclear, resend = await self._read_back(action, before, unclear, settled)
            for task_id in resend:
                settled[task_id] = (
                    _failed(task_id, last_error)
                    if last_error
                    else TaskResult(
                        task_id,
                        TaskOutcome.FAILED,
                        translate("Renew", "No answer from the portal."),
                    )
                )
            for task_id in unclear:
                settled[task_id] = _unconfirmed(task_id)
        await self._fill_missing_after(action, settled)
        if self._follow_up_method(action):
            await self._follow_up(action, settled)
        if action.deadlines:
            await self._set_deadlines(action, settled)
        if action.comment:
            await self._comment(action, settled)
        return [settled[i] for i in before]

    async def _comment(self, action: _Action, settled: dict[int, TaskResult]) -> None:
        """Add the run's comment to every task it reopened; a refusal is said in the task's
        reason (the task stays reopened): e.g. a portal that keeps comments in the task chat
        and a webhook without the scope for it."""
        reopened = [i for i, r in settled.items() if r.outcome is action.verified]
        if not reopened:
            return
        try:
            items = await self.client.batch(
                tasks_api.comment_calls(reopened, action.comment), idempotent=False
            )
            answers: dict[int, BatchItemResult] = dict(zip(reopened, items, strict=True))
        except B24Error as error:
            log.warning("could not comment on %d tasks: %s", len(reopened), error)
            answers = {}
        for task_id in reopened:
            item = answers.get(task_id)
            if item is not None and item.error is None:
                continue
            old = settled[task_id]
            problem = item.error if item is not None else None
            detail = problem.user_message if isinstance(problem, B24Error) else ""
            note = translate("Renew", "The comment was not added. {detail}").format(detail=detail)
            reason = f"{old.reason} {note}".strip()
            settled[task_id] = TaskResult(task_id, old.outcome, reason, old.code, old.after)

    async def _set_deadlines(self, action: _Action, settled: dict[int, TaskResult]) -> None:
        """Right after the write, set the deadline of every task it changed (a new one with
        a renew, the old one back with an undo). A refusal leaves the task as the write left
        it, and its reason says the deadline was not changed."""
        wanted = {
            i: action.deadlines[i]
            for i, r in settled.items()
            if i in action.deadlines and r.outcome is action.verified
        }
        if not wanted:
            return
        try:
            items = await self.client.batch(tasks_api.deadline_calls(wanted), idempotent=True)
            answers: dict[int, BatchItemResult] = dict(zip(wanted, items, strict=True))
        except B24Error as error:
            log.warning("could not set %d deadlines: %s", len(wanted), error)
            answers = {}
        for task_id, deadline in wanted.items():
            old = settled[task_id]
            item = answers.get(task_id)
            task = item.result.get("task") if item and isinstance(item.result, Mapping) else None
            if item is not None and item.error is None and isinstance(task, Mapping):
                after = tasks_api.snapshot_from_api(task)
                if action.completes:
                    note = translate("Renew", "Its deadline is back to {date}.").format(
                        date=deadline_shown(deadline) or translate("Renew", "none")
                    )
                else:
                    note = translate("Renew", "New deadline: {date}.").format(
                        date=deadline_shown(after.deadline or deadline)
                    )
                reason = f"{old.reason} {note}".strip()
                code = old.code if action.completes else DEADLINE_SET
                settled[task_id] = TaskResult(task_id, old.outcome, reason, code, after)
            else:
                problem = item.error if item is not None else None
                detail = problem.user_message if isinstance(problem, B24Error) else ""
                note = translate("Renew", "The deadline was not changed. {detail}").format(
                    detail=detail
                )
                reason = f"{old.reason} {note}".strip()
                settled[task_id] = TaskResult(task_id, old.outcome, reason, old.code, old.after)

    async def _read_back(
        self,
        action: _Action,
        before: Mapping[int, TaskSnapshot],
        ids: list[int],
        settled: dict[int, TaskResult],
    ) -> tuple[list[int], list[int]]:
        """Settle what the portal shows as done; returns (still unknown, safe to resend)."""
        try:
            current = await self.read(ids)
        except B24Error as error:
            log.warning("could not read back %d tasks: %s", len(ids), error)
            return ids, []
        unknown: list[int] = []
        resend: list[int] = []
        for task_id in ids:
            if task_id not in current:
                unknown.append(task_id)
                continue
            now = current[task_id]
            if now is None:
                settled[task_id] = TaskResult(task_id, TaskOutcome.NOT_ALLOWED, gone())
            elif action.done(before[task_id], now):
                settled[task_id] = TaskResult(
                    task_id,
                    action.verified,
                    translate("Renew", "Confirmed by reading the task back after a lost answer."),
                    after=now,
                )
            else:
                resend.append(task_id)
        return unknown, resend

    async def _send_with_fallback(
        self, action: _Action, ids: list[int]
    ) -> dict[int, BatchItemResult]:
        answers = await self._send_each({i: action.method_for(i, self.legacy) for i in ids})
        missing = [
            i
            for i, a in answers.items()
            if isinstance(a.error, MethodNotFound) and i not in action.via
        ]
        if missing and not self.legacy and await self._method_is_missing(action.modern):
            # Old self-hosted portals only know the deprecated method; it takes the same id.
            log.info("%s does not exist on this portal; using %s", action.modern, action.legacy)
            self.legacy = True
            answers.update(await self._send(action.legacy, missing))
        return answers

    async def _method_is_missing(self, method: str) -> bool:
        """Only `method.get` can tell a missing method from a missing permission."""
        try:
            return await tasks_api.method_state(self.client, method) is MethodState.MISSING
        except B24Error as error:
            log.info("method.get %s failed: %s", method, error)
            return False

    async def _send(self, method: str, ids: list[int]) -> dict[int, BatchItemResult]:
        return await self._send_each(dict.fromkeys(ids, method))

    async def _send_each(self, methods: Mapping[int, str]) -> dict[int, BatchItemResult]:
        """One batch: each task with its own write method."""
        calls = [call for i, m in methods.items() for call in tasks_api.write_calls(m, [i])]
        items = await self.client.batch(calls, idempotent=False)
        return dict(zip(methods, items, strict=True))

    def _succeeded(
        self, action: _Action, before: TaskSnapshot, item: BatchItemResult
    ) -> TaskResult:
        task = item.result.get("task") if isinstance(item.result, Mapping) else None
        after = tasks_api.snapshot_from_api(task) if isinstance(task, Mapping) else None
        if action.completes:
            if after is not None and after.status == AWAITING_CONTROL:
                # Approved next where this user may (`_follow_up`), else waits: say so.
                return TaskResult(
                    before.id,
                    TaskOutcome.RECOMPLETED,
                    awaiting_approval_reason(),
                    AWAITING_APPROVAL,
                    after=after,
                )
            return TaskResult(before.id, TaskOutcome.RECOMPLETED, after=after)
        # Renewing an open task is a no-op the portal reports as success. What we read
        # before may be stale (a colleague, or another run, reopened it since), so the
        # task's own status-change stamp decides whether this call changed it.
        if before.status == PENDING or _untouched_by(after, item, self.user_id()):
            reason = (
                translate(
                    "Renew",
                    "Someone reopened the task before this run got to it; this run did not "
                    "change it.",
                )
                if before.status in RENEWABLE_STATUSES
                else translate("Renew", "The task was already open.")
            )
            return TaskResult(before.id, TaskOutcome.ALREADY_OPEN, reason, after=after)
        reason = returned_reason() if before.id in action.via else ""
        return TaskResult(before.id, TaskOutcome.RENEWED, reason, after=after)

    def user_id(self) -> int | None:
        """The webhook's user, when the address names it (an OAuth sign-in does not)."""
        user_id = getattr(self.client.auth, "user_id", None)
        return user_id if isinstance(user_id, int) else None

    async def _fill_missing_after(self, action: _Action, settled: dict[int, TaskResult]) -> None:
        """The deprecated methods answer `null`: read written tasks back, so that undo can
        check them and a task completed to 'awaiting control' is seen."""
        blind = [i for i, r in settled.items() if r.outcome is action.verified and not r.after]
        if not blind:
            return
        try:
            current = await self.read(blind)
        except B24Error as error:
            log.info("could not read %d renewed tasks back: %s", len(blind), error)
            return
        for task_id in blind:
            now = current.get(task_id)
            if now is not None:
                old = settled[task_id]
                settled[task_id] = TaskResult(task_id, old.outcome, old.reason, old.code, now)

    async def _follow_up(self, action: _Action, settled: dict[int, TaskResult]) -> None:
        """Undo: complete left a task 'awaiting control' (task control, and this user is
        not its creator). Accept it where this user may, so that it is completed as it was;
        where not, say it waits for its creator. Never fails the task: it is completed."""
        method = self._follow_up_method(action)
        for task_id in action.no_follow_up & settled.keys():
            old = settled[task_id]
            if (
                old.outcome is action.verified
                and old.after
                and old.after.status == AWAITING_CONTROL
            ):
                reason = translate(
                    "Renew",
                    "Completed again, awaiting its creator's approval as it was before the reopen.",
                )
                settled[task_id] = TaskResult(task_id, old.outcome, reason, after=old.after)
        waiting = [
            i
            for i, r in settled.items()
            if r.outcome is action.verified
            and r.after is not None
            and r.after.status == AWAITING_CONTROL
            and i not in action.no_follow_up
        ]
        if not waiting or method is None:
            return
        answers: dict[int, BatchItemResult] = {}
        try:
            answers = await self._send(method, waiting)
        except B24Error as error:
            log.warning("could not approve %d tasks: %s", len(waiting), error)
        approved: dict[int, TaskSnapshot] = {}
        unclear: list[int] = []
        for task_id in waiting:
            item = answers.get(task_id)
            if item is not None and item.error is None:
                task = item.result.get("task") if isinstance(item.result, Mapping) else None
                after = tasks_api.snapshot_from_api(task) if isinstance(task, Mapping) else None
                if after is None or after.status != COMPLETED:
                    unclear.append(task_id)
                else:
                    approved[task_id] = after
            elif item is None or not isinstance(item.error, ActionNotAllowed):
                unclear.append(task_id)
        if unclear:
            try:
                current = await self.read(unclear)
            except B24Error as error:
                log.info("could not read %d approved tasks back: %s", len(unclear), error)
                current = {}
            for task_id in unclear:
                now = current.get(task_id)
                if now is not None and now.status == COMPLETED:
                    approved[task_id] = now
        for task_id in waiting:
            old = settled[task_id]
            if task_id in approved:
                settled[task_id] = TaskResult(
                    task_id, old.outcome, approved_reason(), after=approved[task_id]
                )
            else:
                settled[task_id] = TaskResult(
                    task_id, old.outcome, awaiting_approval_reason(), AWAITING_APPROVAL, old.after
                )

    async def _explain_refusal(
        self, action: _Action, before: Mapping[int, TaskSnapshot], ids: list[int]
    ) -> list[TaskResult]:
        """The portal gives one code for 'gone', 'no rights' and 'wrong status': tell them apart."""
        try:
            current = await self.read(ids)
        except B24Error:
            current = {}
        results = []
        for task_id in ids:
            code = "1048582" if not action.completes else "0"
            if task_id not in current:
                reason = (
                    translate(
                        "Renew",
                        "Bitrix24 did not allow reopening this task (deleted, no rights, or "
                        "no longer completed).",
                    )
                    if not action.completes
                    else translate("Renew", "Bitrix24 did not allow completing this task again.")
                )
                results.append(TaskResult(task_id, TaskOutcome.NOT_ALLOWED, reason, code))
                continue
            now = current[task_id]
            if now is None:
                results.append(TaskResult(task_id, TaskOutcome.NOT_ALLOWED, gone(), code))
            elif not action.completes and now.status not in RENEWABLE_STATUSES:
                reason = translate("Renew", "The task is already open ({status}).").format(
                    status=status_name(now.status)
                )
                results.append(TaskResult(task_id, TaskOutcome.ALREADY_OPEN, reason, code))
            else:
                reason = (
                    translate("Renew", "Your Bitrix24 user is not allowed to reopen this task.")
                    if not action.completes
                    else translate(
                        "Renew", "Your Bitrix24 user is not allowed to complete this task."
                    )
                )
                results.append(TaskResult(task_id, TaskOutcome.NOT_ALLOWED, reason, code))
        return results


def _untouched_by(after: TaskSnapshot | None, item: BatchItemResult, user_id: int | None) -> bool:
    """Did the call leave the task as it was?

    Yes when the task's status last changed before the call started (both stamps come from
    the portal's clock, to the second); in the call's own second, when someone other than
    this user changed it. Without the stamps, the answer is no: the call is trusted.
    """
    stamp = after.status_changed_date or after.changed_date if after is not None else None
    started = item.time.get("date_start") if item.time else None
    if after is None or not stamp or not started:
        return False
    try:
        changed = datetime.fromisoformat(stamp)
        call_start = datetime.fromisoformat(str(started))
    except (TypeError, ValueError):
        return False
    if changed < call_start:
        return True
    by = after.status_changed_by
    return changed == call_start and bool(user_id and by and by != user_id)


def _failed(task_id: int, error: B24Error) -> TaskResult:
    code = getattr(error, "code", "") or type(error).__name__
    return TaskResult(task_id, TaskOutcome.FAILED, error.user_message, str(code))


def _unconfirmed(task_id: int) -> TaskResult:
    return TaskResult(
        task_id,
        TaskOutcome.FAILED,
        translate(
            "Renew",
            "The portal's answer was lost and the task could not be read back: check it on "
            "the portal before trying again.",
        ),
        UNCONFIRMED,
    )
