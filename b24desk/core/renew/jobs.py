"""Renew and undo jobs: the one place where a run is prepared and carried out, for the
command line and the window alike.

A job goes through the same steps whoever starts it:

1. settle runs that stopped mid-way (crash, power cut), so that their tasks' fate is known;
2. read the tasks as they are on the portal now;
3. plan: what will be sent, what is left out and why (`RenewPlan`, `UndoPlan`);
4. the front end shows the plan's figures and asks (or not: a script, a retry);
5. run, with the job's own listener and its own cancel.

    job = RenewJob(engine, tasks, listener=RunListener(on_event=...))
    plan = await job.prepare()
    if ask(plan):
        report = await job.run()

Front ends never call the engine's run methods themselves; whether a run can be undone is
decided here (`undo_refusal`) and nowhere else.

Why one file of about 600 lines: the renew and the undo job, their plans and the one undo
rule are the steps a front end follows; kept together, no front end learns a second way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.bitrix.errors import B24Error
from b24desk.core.i18n import translate
from b24desk.core.model import (
    AWAITING_CONTROL,
    COMPLETED,
    PENDING,
    TaskOutcome,
    TaskRecord,
    TaskSnapshot,
)
from b24desk.core.redact import redacted_logger
from b24desk.core.renew.actions import AWAITING_APPROVAL, DEADLINE_SET, gone, status_name
from b24desk.core.renew.deadline import DeadlineChange, is_past
from b24desk.core.renew.engine import CancelToken, RenewEngine
from b24desk.core.renew.records import (
    RunKind,
    RunListener,
    RunNotFound,
    RunRecord,
    RunReport,
    TaskResult,
)

__all__ = [
    "Precheck",
    "RenewJob",
    "RenewPlan",
    "UndoJob",
    "UndoPlan",
    "UndoRefused",
    "Undone",
    "snapshot_of",
    "still_to_undo",
    "undo_refusal",
    "undone",
]

log = redacted_logger(__name__)

RETRIED_OUTCOMES = (TaskOutcome.FAILED, TaskOutcome.RENEWING, TaskOutcome.NOT_ATTEMPTED)
"""What "retry" sends again: failed, stopped in flight, or never sent."""


def snapshot_of(task: TaskSnapshot | TaskRecord) -> TaskSnapshot:
    """The 'before' state of a task as the list loaded it (a snapshot stays as it is)."""
    if isinstance(task, TaskSnapshot):
        return task
    closed = task.closed_date.isoformat() if isinstance(task.closed_date, datetime) else None
    return TaskSnapshot(
        id=task.id,
        status=task.status,
        closed_date=closed,
        closed_by=task.closed_by,
        title=task.title,
    )


def _watching_waits(
    engine: RenewEngine, listener: RunListener | None
) -> AbstractContextManager[None]:
    """While a job reads before it runs, its listener hears about waits for the portal."""
    if listener is None or listener.on_wait is None:
        return nullcontext()
    return engine.client.pacer.budget.watching(listener.on_wait)


# --- renew -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Precheck:
    """What a renew would really do, read from the portal just before it."""

    renewable: list[TaskSnapshot]
    no_longer_completed: list[TaskSnapshot]
    missing: list[int]
    unread: list[int] = field(default_factory=list)
    """Tasks the portal did not answer for; they are sent as they are and verified."""
    not_allowed: dict[int, str] = field(default_factory=dict)
    """Completed tasks this user may not reopen, with why ("Check first", brief 12.1):
    left out of `renewable`, skipped ("Not allowed: <why>")."""
    rights_checked: bool = False
    """The portal was asked, per task, whether this user may reopen it."""
    return_for_rework: list[int] = field(default_factory=list)
    """Of `renewable`, tasks awaiting control this user may not renew but may return for
    rework (`tasks.task.disapprove`: their creator, an admin, the creator's manager)."""

    def skip_reasons(self) -> dict[int, str]:
        reasons = {
            t.id: translate("Renew", "Not completed at the moment: it is {status}.").format(
                status=status_name(t.status)
            )
            for t in self.no_longer_completed
        }
        reasons.update({i: gone() for i in self.missing})
        reasons.update(
            {
                i: translate("Renew", "Not allowed: {reason}").format(reason=reason)
                for i, reason in self.not_allowed.items()
            }
        )
        return reasons


@dataclass(frozen=True, slots=True)
class RenewPlan:
    """A renew ready to run: the tasks in their freshest known state, and what is skipped."""

    kind: RunKind
    parent: str | None
    tasks: list[TaskSnapshot]
    skip: dict[int, str]
    check: Precheck | None
    """None when the tasks were not read before (`RenewJob(check=False)`)."""
    deadlines: dict[int, str | None] = field(default_factory=dict)
    """The new deadline of each task that gets one with its reopen (issue 11 §1)."""
    overdue: int = 0
    """Tasks to reopen whose deadline has passed and that get no new one: overdue at once."""

    @property
    def selected(self) -> int:
        return len(self.tasks)

    @property
    def to_send(self) -> int:
        """How many tasks will be sent (renewable, or not readable now and verified after)."""
        return len(self.tasks) - len(self.skip)


class RenewJob:
    """Reopen a set of tasks (a renew, or a retry of an earlier run's failures)."""

    def __init__(
        self,
        engine: RenewEngine,
        tasks: Sequence[TaskSnapshot | TaskRecord],
        *,
        kind: RunKind = RunKind.RENEW,
        parent: str | None = None,
        check: bool = True,
        rights: bool = False,
        deadline: DeadlineChange | None = None,
        comment: str = "",
        listener: RunListener | None = None,
    ) -> None:
        if kind is RunKind.UNDO:
            raise ValueError("an undo is an UndoJob")
        self.engine = engine
        self.tasks = [snapshot_of(t) for t in dict((t.id, t) for t in tasks).values()]
        self.kind = kind
        self.parent = parent
        self.check = check
        self.rights = rights
        self.deadline = deadline
        self.comment = comment
        """Added to every task the run reopens ("Reopened because …")."""
        """Ask the portal, per task, whether this user may reopen it, and leave out those
        it may not (`tasks.task.getaccess`, which changes nothing)."""
        self.listener = listener
        self.plan: RenewPlan | None = None
        self._token = CancelToken()

    @classmethod
    async def retry_of(
        cls, engine: RenewEngine, run_id: str, *, listener: RunListener | None = None
    ) -> RenewJob:
        """Renew again what run `run_id` did not reopen (failed, stopped, never sent)."""
        run = await engine.run_record(run_id)
        again = [run.before[i] for i in run.ids_with(*RETRIED_OUTCOMES)]
        return cls(engine, again, kind=RunKind.RETRY, parent=run.run_id, listener=listener)

    async def prepare(self) -> RenewPlan:
        """Settle interrupted runs, read the tasks again and decide what to send."""
        self.engine.ensure_free()
        with _watching_waits(self.engine, self.listener):
            await self.engine.recover_crashed()
            check = await self._precheck() if self.check else None
        if check is None:
            plan = RenewPlan(self.kind, self.parent, list(self.tasks), {}, None)
        else:
            fresh = {s.id: s for s in (*check.renewable, *check.no_longer_completed)}
            tasks = [fresh.get(t.id, t) for t in self.tasks]
            plan = RenewPlan(self.kind, self.parent, tasks, check.skip_reasons(), check)
        self.plan = self._with_deadlines(plan)
        return self.plan

    def choose_deadline(self, change: DeadlineChange | None) -> RenewPlan:
        """The admin's choice in the confirmation: new deadlines with the reopen (None: keep
        them). Re-plans from the deadlines read by `prepare`; nothing is read again."""
        if self.plan is None:
            raise RuntimeError("prepare the job first")
        self.deadline = change
        self.plan = self._with_deadlines(self.plan)
        return self.plan

    def _with_deadlines(self, plan: RenewPlan, now: datetime | None = None) -> RenewPlan:
        """The new deadlines, from each task's deadline as just read; what stays overdue."""
        now = now or datetime.now(UTC)
        deadlines: dict[int, str | None] = {}
        overdue = 0
        for task in plan.tasks:
            if task.id in plan.skip:
                continue
            new = self.deadline.new_deadline(task.deadline, now) if self.deadline else None
            if new is not None:
                deadlines[task.id] = new
            if is_past(new or task.deadline, now):
                overdue += 1
        return RenewPlan(
            plan.kind, plan.parent, plan.tasks, plan.skip, plan.check, deadlines, overdue
        )

    @property
    def _returned(self) -> list[int]:
        check = self.plan.check if self.plan is not None else None
        return check.return_for_rework if check is not None else []

    async def run(self) -> RunReport:
        """Carry out the plan (preparing it first if nobody did)."""
        plan = self.plan or await self.prepare()
        return await self.engine.renew(
            plan.tasks,
            skip=plan.skip,
            kind=plan.kind,
            parent=plan.parent,
            listener=self.listener,
            token=self._token,
            return_for_rework=self._returned,
            deadlines=plan.deadlines,
            comment=self.comment,
        )

    def cancel(self) -> None:
        """Stop after the batch in flight (or before the first, if it has not started)."""
        self._token.cancel()

    async def _precheck(self) -> Precheck:
        ids = [t.id for t in self.tasks]
        current = await self.engine.read(ids, deadlines=True)
        renewable: list[TaskSnapshot] = []
        moved: list[TaskSnapshot] = []
        missing: list[int] = []
        unread: list[int] = []
        for task_id in ids:
            if task_id not in current:
                unread.append(task_id)
                continue
            snapshot = current[task_id]
            if snapshot is None:
                missing.append(task_id)
            elif snapshot.status in (COMPLETED, AWAITING_CONTROL):
                renewable.append(snapshot)
            else:
                moved.append(snapshot)
        # Awaiting control: renew for its responsible, "return for rework" for its creator
        # or an admin (brief 12.1); the portal says which this user may do.
        asked = [t.id for t in renewable if self.rights or t.status == AWAITING_CONTROL]
        if not asked:
            return Precheck(renewable, moved, missing, unread)
        not_allowed, returned = await self._rights(asked, renewable)
        renewable = [t for t in renewable if t.id not in not_allowed]
        return Precheck(
            renewable,
            moved,
            missing,
            unread,
            not_allowed,
            rights_checked=self.rights,
            return_for_rework=returned,
        )

    async def _rights(
        self, ids: list[int], tasks: list[TaskSnapshot]
    ) -> tuple[dict[int, str], list[int]]:
        """(the tasks this user may not reopen, with why; those to return for rework). A
        task the portal did not answer for is kept (sent, and the portal's answer tells)."""
        access = await tasks_api.read_access(self.engine.client, ids, self.engine.user_id())
        awaiting = {t.id for t in tasks if t.status == AWAITING_CONTROL}
        refused: dict[int, str] = {}
        returned: list[int] = []
        for task_id in ids:
            allowed = access.get(task_id)
            if allowed is None or allowed.renew:
                continue
            if task_id in awaiting and allowed.disapprove:
                returned.append(task_id)
                continue
            if task_id in awaiting and allowed.visible:
                refused[task_id] = translate(
                    "Renew",
                    "It awaits its creator's approval: only its responsible person can reopen "
                    "it, and only its creator or an administrator can return it for rework.",
                )
                continue
            refused[task_id] = (
                translate("Renew", "Your Bitrix24 user cannot see this task.")
                if not allowed.visible
                else translate(
                    "Renew",
                    "Only its creator, responsible person, co-executors, their managers or an "
                    "administrator can reopen it.",
                )
            )
        return refused, returned


# --- undo ------------------------------------------------------------------------------------


class UndoRefused(Exception):
    """This run cannot be undone; the message says why in plain words."""

    def __init__(self, message: str, *, nothing_to_do: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.nothing_to_do = nothing_to_do
        """True when there is simply nothing (left) to undo, rather than a wrong request."""


def _undos_of(run: RunRecord, runs: Iterable[RunRecord]) -> list[RunRecord]:
    return [r for r in runs if r.kind is RunKind.UNDO and r.parent == run.run_id]


@dataclass(frozen=True, slots=True)
class Undone:
    """A run an undo has been carried out for: when, and what it achieved."""

    at: str
    """When the (last) undo of it finished (ISO, UTC)."""
    completed: int
    """Tasks completed again, by every undo of the run."""
    awaiting_approval: int
    """Of those, how many wait for their creator's approval (task control)."""
    left: int
    """Tasks the undo left as they were (changed since, gone), in its last undo."""


def undone(run: RunRecord, runs: Iterable[RunRecord]) -> Undone | None:
    """How `run` was undone; None when no undo of it ran to its end (none, or only
    cancelled or interrupted ones, which leave the rest to undo)."""
    undos = _undos_of(run, runs)
    finished = [u for u in undos if not u.crashed and not u.cancelled]
    if not finished:
        return None
    last = max(finished, key=lambda u: u.finished_at or "")
    completed = {i for u in undos for i in u.ids_with(TaskOutcome.RECOMPLETED)}
    waiting = {
        i
        for u in undos
        for i in u.ids_with(TaskOutcome.RECOMPLETED)
        if u.results[i].code == AWAITING_APPROVAL
    }
    left = len(last.ids_with(TaskOutcome.SKIPPED))
    return Undone(last.finished_at or "", len(completed), len(waiting), left)


def still_to_undo(run: RunRecord, runs: Iterable[RunRecord]) -> list[int]:
    """The tasks `run` reopened that no undo of it has completed again yet."""
    done: set[int] = set()
    for undo in _undos_of(run, runs):
        done.update(undo.ids_with(TaskOutcome.RECOMPLETED))
    return [i for i in run.ids_with(TaskOutcome.RENEWED) if i not in done]


def undo_refusal(
    run: RunRecord, runs: Sequence[RunRecord], portal: str | None = None
) -> UndoRefused | None:
    """Why `run` cannot be undone (now, on `portal`), or None when it can."""
    if run.kind is RunKind.UNDO:
        return UndoRefused(
            translate(
                "Jobs", "Run {run} is itself an undo; to reopen those tasks again, renew them."
            ).format(run=run.run_id)
        )
    if portal is not None and run.portal != portal:
        return UndoRefused(
            translate(
                "Jobs", "Run {run} was made on {portal}: connect to that portal to undo it."
            ).format(run=run.run_id, portal=run.portal)
        )
    done = undone(run, runs)
    if done is not None:
        # Once is enough: tasks its undo left as they were had changed, and stay so.
        return UndoRefused(
            translate("Jobs", "Run {run} has already been undone ({when}).").format(
                run=run.run_id, when=done.at.replace("T", " ")[:16] + " UTC"
            ),
            nothing_to_do=True,
        )
    if still_to_undo(run, runs):
        return None
    if _undos_of(run, runs) and run.ids_with(TaskOutcome.RENEWED):
        return UndoRefused(
            translate("Jobs", "Run {run} has already been undone.").format(run=run.run_id),
            nothing_to_do=True,
        )
    return UndoRefused(
        translate("Jobs", "Run {run} reopened no tasks, so there is nothing to undo.").format(
            run=run.run_id
        ),
        nothing_to_do=True,
    )


@dataclass(frozen=True, slots=True)
class _UndoStep:
    run: RunRecord
    to_send: list[TaskSnapshot]
    left: list[TaskResult]


@dataclass(frozen=True, slots=True)
class UndoPlan:
    """What an undo will complete again, and what it leaves as it is (and why)."""

    steps: list[_UndoStep]
    controlled: int = 0
    """Tasks to complete that will land on 'awaiting control' (task control is on, this
    user is not their creator): b24desk then accepts them where this user may."""
    approver: bool = False
    """This user is a portal administrator: may accept every task for its creator."""

    @property
    def may_wait(self) -> int:
        """How many may be left awaiting their creator's approval (none for an admin)."""
        return 0 if self.approver else self.controlled

    @property
    def run_ids(self) -> list[str]:
        return [s.run.run_id for s in self.steps]

    @property
    def reopened(self) -> int:
        """How many tasks the runs reopened that are still to undo."""
        return self.to_complete + self.left

    @property
    def to_complete(self) -> int:
        return sum(len(s.to_send) for s in self.steps)

    @property
    def left(self) -> int:
        return sum(len(s.left) for s in self.steps)

    def left_results(self) -> list[TaskResult]:
        return [r for s in self.steps for r in s.left]


class UndoJob:
    """Complete again what one or more runs reopened, if still open and untouched since."""

    def __init__(
        self,
        engine: RenewEngine,
        run_ids: Sequence[str],
        *,
        listener: RunListener | None = None,
    ) -> None:
        if not run_ids:
            raise ValueError("an undo needs at least one run")
        self.engine = engine
        self.run_ids = list(dict.fromkeys(run_ids))
        self.listener = listener
        self.plan: UndoPlan | None = None
        self._token = CancelToken()

    async def prepare(self) -> UndoPlan:
        """Settle interrupted runs, check the runs may be undone, read their tasks now.

        Raises RunNotFound for an id the journal does not have, UndoRefused when no run
        given can be undone (a run among several that cannot is left out).
        """
        self.engine.ensure_free()
        with _watching_waits(self.engine, self.listener):
            await self.engine.recover_crashed()
        runs = await self.engine.runs()
        by_id = {r.run_id: r for r in runs}
        chosen: list[tuple[RunRecord, list[int]]] = []
        refusal: UndoRefused | None = None
        for run_id in self.run_ids:
            run = by_id.get(run_id)
            if run is None:
                raise RunNotFound(run_id)
            refusal = undo_refusal(run, runs, self.engine.portal)
            if refusal is None:
                chosen.append((run, still_to_undo(run, runs)))
        if not chosen:
            assert refusal is not None
            raise refusal
        with _watching_waits(self.engine, self.listener):
            current = await self.engine.read([i for _, ids in chosen for i in ids])
        steps = [self._step(run, ids, current) for run, ids in chosen]
        with _watching_waits(self.engine, self.listener):
            controlled, approver = await self._control([t.id for s in steps for t in s.to_send])
        self.plan = UndoPlan(steps, controlled, approver)
        return self.plan

    async def _control(self, ids: list[int]) -> tuple[int, bool]:
        """(how many will land on 'awaiting control', is this user an admin); a portal that
        will not say leaves both at their cautious values (0 known, not an admin)."""
        if not ids:
            return 0, False
        client = self.engine.client
        try:
            user_id, admin = await tasks_api.webhook_user(client)
        except B24Error as error:
            log.info("could not tell who the user is: %s", error)
            user_id, admin = self.engine.user_id(), False
        try:
            control = await tasks_api.read_control(client, ids)
        except B24Error as error:
            log.info("could not read the tasks' control: %s", error)
            return 0, admin
        return sum(1 for c in control.values() if c.completes_to_control(user_id)), admin

    async def run(self) -> list[RunReport]:
        """Undo run by run, in order; a cancel stops after the batch in flight."""
        plan = self.plan or await self.prepare()
        reports = []
        for step in plan.steps:
            if self._token.cancelled:
                break
            reports.append(
                await self.engine.complete_again(
                    step.run.run_id,
                    step.to_send,
                    step.left,
                    step.run.before,
                    listener=self.listener,
                    token=self._token,
                    deadlines={
                        t.id: step.run.before[t.id].deadline
                        for t in step.to_send
                        if step.run.results[t.id].code == DEADLINE_SET
                    },
                )
            )
        return reports

    def cancel(self) -> None:
        self._token.cancel()

    @staticmethod
    def _step(run: RunRecord, ids: list[int], current: dict[int, TaskSnapshot | None]) -> _UndoStep:
        to_send: list[TaskSnapshot] = []
        left: list[TaskResult] = []
        for task_id in ids:
            if task_id not in current:
                reason = translate("Renew", "Left as is: the portal did not say how it is now.")
                left.append(TaskResult(task_id, TaskOutcome.SKIPPED, reason))
                continue
            now = current[task_id]
            obstacle = _undo_obstacle(now, run.results[task_id].after)
            if now is None or obstacle:
                left.append(TaskResult(task_id, TaskOutcome.SKIPPED, obstacle or gone()))
            else:
                to_send.append(now)
        return _UndoStep(run, to_send, left)


def _undo_obstacle(now: TaskSnapshot | None, after: TaskSnapshot | None) -> str:
    """Why a task a run reopened must be left as it is now; "" when undo may complete it."""
    if now is None:
        return gone()
    if now.status != PENDING:
        return translate(
            "Renew", "Left as is: the task has moved on since (it is now {status})."
        ).format(status=status_name(now.status))
    if after is not None and after.changed_date and now.changed_date != after.changed_date:
        return translate("Renew", "Left as is: someone changed the task after it was reopened.")
    return ""
