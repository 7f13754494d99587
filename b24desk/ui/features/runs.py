"""Renewing, retrying the failed, "Check first", undoing, and cancelling any of them.

Each run is a core job (`core.renew.jobs`): prepared (read and checked on the portal),
confirmed by the admin where that is asked, then run. The job's per-task events reach the
table through an `Inbox`, once per turn of the loop and in order; its progress and its waits
for the portal reach the bar. The ops never touch a widget: their callbacks do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.bitrix.budget import Wait
from b24desk.core.model import TaskOutcome, TaskRecord
from b24desk.core.renew.jobs import RenewJob, RenewPlan, UndoJob, UndoPlan, UndoRefused
from b24desk.core.renew.records import (
    Progress,
    RunKind,
    RunListener,
    RunNotFound,
    RunReport,
    TaskEvent,
)
from b24desk.core.renew.words import time_left, wait_sentence
from b24desk.ui.bridge import AsyncOp, Inbox, OpHandle, ProgressReporter
from b24desk.ui.dialogs.confirm import renew_confirmation, undo_confirmation
from b24desk.ui.features.state import DeskState, Phase
from b24desk.ui.features.summaries import rights_summary, run_summary
from b24desk.ui.language import count_text
from b24desk.ui.models.errors import ErrorEntry, make_entry
from b24desk.ui.models.outcomes import outcome_label
from b24desk.ui.widgets.main_window import Activity

PROBLEM_OUTCOMES = (TaskOutcome.FAILED, TaskOutcome.NOT_ALLOWED)


class Runs(QObject):
    run_finished = Signal(object)
    """The `RunReport` of a renew, retry (or a list of them for undo)."""

    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state
        self.window = state.window
        self.undoable_runs: list[str] = []
        """The runs "Undo last" undoes: the last renew, and the retries after it."""
        self.rights_checked: set[int] = set()
        """Tasks "Check first" asked about: renewing them asks the portal again."""
        self.last_run_id: str | None = None
        self.job: RenewJob | UndoJob | None = None
        """The renew or undo being prepared or run; it owns its cancel."""
        self.events: Inbox[TaskEvent] = Inbox(self._apply_events, label="engine events")
        state.idle.connect(self._forget_job)

    def _forget_job(self) -> None:
        self.job = None

    def forget_portal(self) -> None:
        """Another portal is in use: its runs and checks mean nothing there."""
        self.undoable_runs.clear()
        self.rights_checked.clear()
        self.last_run_id = None
        self.window.set_undo_available(False)

    def close(self) -> None:
        """The window closes: engine events still on their way are dropped."""
        self.events.close()

    def _records(self, task_ids: Sequence[int]) -> list[TaskRecord]:
        return self.window.task_model.records_of(task_ids)

    def renew(self, task_ids: list[int]) -> OpHandle[Any] | None:
        """Pre-check the selection, ask in plain words, then reopen."""
        return self._prepare_renew(self._records(task_ids), RunKind.RENEW)

    def retry_failed(self, task_ids: list[int]) -> OpHandle[Any] | None:
        """Reopen the failed rows again (checked first, not asked: the admin just asked)."""
        return self._prepare_renew(self._records(task_ids), RunKind.RETRY)

    def _prepare_renew(self, records: list[TaskRecord], kind: RunKind) -> OpHandle[Any] | None:
        session = self.state.session
        if self.state.busy or session is None or not records:
            return None
        parent = self.last_run_id if kind is RunKind.RETRY else None
        # After "Check first", a renew asks again which tasks this user may reopen and
        # leaves out the rest (issue 11 §3).
        rights = kind is RunKind.RENEW and any(r.id in self.rights_checked for r in records)
        job = RenewJob(session.engine, records, kind=kind, parent=parent, rights=rights)
        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(
            0,
            None,
            self.tr("Checking %Ln task(s) on the portal before reopening…", "", len(records)),
        )

        def checked(plan: RenewPlan) -> None:
            if kind is RunKind.RENEW:
                self._ask_renew(job, plan)
            else:
                self._run_renew(job, plan)

        def cancelled() -> None:
            self.window.show_message(self.tr("Cancelled; nothing was changed on the portal."))
            self.state.set_idle()

        def failed(error: Exception) -> None:
            self.state.report_problem(error, what="checking the selection")
            self.state.set_idle()

        async def check(_: ProgressReporter) -> RenewPlan:
            return await job.prepare()

        return self.state.start(
            Phase.CHECKING,
            AsyncOp(check, parent=self, label="precheck")
            .on_success(checked)
            .on_cancelled(cancelled)
            .on_failure(failed),
        )

    def check_rights(self, task_ids: list[int]) -> OpHandle[Any] | None:
        """ "Check first": ask the portal whether this user may reopen each task, mark the
        rows, change nothing (no run, no journal)."""
        session = self.state.session
        records = self._records(task_ids)
        if self.state.busy or session is None or not records:
            return None
        job = RenewJob(session.engine, records, rights=True)
        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(
            0, None, self.tr("Asking the portal about %Ln task(s)…", "", len(records))
        )

        def checked(plan: RenewPlan) -> None:
            check = plan.check
            assert check is not None
            self.rights_checked.update(r.id for r in records)
            window = self.window
            for task in check.renewable:
                window.set_outcome(task.id, TaskOutcome.CAN_RENEW, "")
            for task_id, reason in check.not_allowed.items():
                window.set_outcome(task_id, TaskOutcome.NOT_ALLOWED, reason)
            others = {**check.skip_reasons()}
            for task_id in check.not_allowed:
                others.pop(task_id, None)
            for task_id, reason in others.items():
                window.set_outcome(task_id, TaskOutcome.SKIPPED, reason)
            window.show_message(rights_summary(plan), 30000)
            self.state.set_idle()

        def failed(error: Exception) -> None:
            self.state.report_problem(error, what="checking the selection")
            self.state.set_idle()

        async def check(_: ProgressReporter) -> RenewPlan:
            return await job.prepare()

        return self.state.start(
            Phase.CHECKING,
            AsyncOp(check, parent=self, label="check rights")
            .on_success(checked)
            .on_cancelled(self.state.set_idle)
            .on_failure(failed),
        )

    def _ask_renew(self, job: RenewJob, plan: RenewPlan) -> None:
        admin = self.state.verdict.admin if self.state.verdict is not None else True
        confirmation = renew_confirmation(plan, admin=admin)
        self.state.phase = Phase.CONFIRMING
        self.window.set_busy(Activity.IDLE)

        def answered(yes: bool) -> None:
            if yes and confirmation.can_proceed and self.state.session is not None:
                chosen = confirmation.deadline_choice
                if confirmation.comment_choice:
                    job.comment = confirmation.comment_choice[0]
                self._run_renew(job, job.choose_deadline(chosen[0]) if chosen else plan)
            else:
                self.window.show_message(self.tr("Nothing was changed on the portal."))
                self.state.set_idle()

        self.state.ask(confirmation, answered)

    def _run_renew(self, job: RenewJob, plan: RenewPlan) -> None:
        self.window.set_busy(Activity.RENEWING)
        renewing = self.tr("Renewing… {done} of {total}")
        total = plan.selected
        self.window.set_progress(
            0, total, renewing.format(done=count_text(0), total=count_text(total))
        )

        async def work(progress: ProgressReporter) -> RunReport:
            job.listener = self._listener(progress, renewing)
            return await job.run()

        op = AsyncOp(work, parent=self, label=plan.kind).on_success(self._renew_done)
        self._start_run(Phase.RENEWING, job, op)

    def _listener(self, progress: ProgressReporter, text: str) -> RunListener:
        """Engine events reach the table through the inbox; progress (with the time left)
        and every wait for the portal (with when it ends) reach the bar."""
        shown = _RunProgress(progress, text)
        return RunListener(on_event=self.events.put, on_progress=shown, on_wait=shown.waiting)

    def _start_run(self, phase: Phase, job: RenewJob | UndoJob, op: AsyncOp[Any]) -> None:
        self.job = job
        self.state.start(
            phase,
            op.on_progress(self.state.show_progress)
            .on_failure(self._run_failed)
            .on_cancelled(self._run_cancelled)
            .on_finished(self.state.set_idle),
        )

    def _renew_done(self, report: RunReport) -> None:
        self.events.flush()
        if report.stopped_by:
            self.window.add_error(report.stopped_by, code="RUN_STOPPED")
        self.last_run_id = report.run_id
        renewed = report.counts()[TaskOutcome.RENEWED]
        if report.kind is RunKind.RENEW:
            self.undoable_runs = [report.run_id] if renewed else []
        elif renewed:
            self.undoable_runs.append(report.run_id)
        self.window.set_undo_available(bool(self.undoable_runs))
        summary = run_summary(report)
        if report.stopped_by:
            summary = self.tr("The portal stopped the run: {reason} {summary}").format(
                reason=report.stopped_by, summary=summary
            )
        self.window.show_message(summary, 30000)
        self.run_finished.emit(report)

    def _run_failed(self, error: Exception) -> None:
        self.events.flush()
        self._settle_unfinished_rows()
        self.state.report_problem(error, what="the run")

    def _run_cancelled(self) -> None:
        self.events.flush()
        self._settle_unfinished_rows()

    def _settle_unfinished_rows(self) -> None:
        """A run that ended abruptly leaves no row "Queued" or "Renewing…" behind."""
        window = self.window
        now = datetime.now()
        for task_id in window.task_model.task_ids_with(TaskOutcome.QUEUED):
            window.set_outcome(
                task_id,
                TaskOutcome.NOT_ATTEMPTED,
                self.tr("The run stopped before this task was sent."),
            )
        sending = window.task_model.task_ids_with(TaskOutcome.RENEWING)
        reason = self.tr("The run stopped while this task was being sent: reload to see its state.")
        for task_id in sending:
            window.set_outcome(task_id, TaskOutcome.FAILED, reason)
        window.add_errors(
            make_entry(reason, code="RUN_STOPPED", task_id=task_id, when=now) for task_id in sending
        )

    def cancel(self) -> None:
        if self.state.phase is Phase.CHECKING and self.state.op is not None:
            self.state.op.cancel()
        elif self.state.phase in (Phase.RENEWING, Phase.UNDOING) and self.job is not None:
            self.job.cancel()
            self.window.set_progress(
                0, None, self.tr("Cancelling: nothing more is sent; checking what was on its way…")
            )

    def _apply_events(self, events: list[TaskEvent]) -> None:
        window = self.window
        problems: list[ErrorEntry] = []
        now = datetime.now()
        for event in events:
            window.set_outcome(event.task_id, event.outcome, event.reason)
            if event.outcome in PROBLEM_OUTCOMES:
                reason = event.reason or outcome_label(event.outcome)
                problems.append(
                    make_entry(reason, code=event.code, task_id=event.task_id, when=now)
                )
        if problems:
            window.add_errors(problems)

    # -- undo ------------------------------------------------------------------------------

    def undo_last(self) -> OpHandle[Any] | None:
        return self.undo(list(self.undoable_runs))

    def undo(self, run_ids: list[str]) -> OpHandle[Any] | None:
        """Read the runs and their tasks, ask, then complete again what they reopened."""
        session = self.state.session
        if self.state.busy or session is None or not run_ids:
            return None
        job = UndoJob(session.engine, run_ids)

        def planned(plan: UndoPlan) -> None:
            self.state.phase = Phase.CONFIRMING
            self.window.set_busy(Activity.IDLE)
            confirmation = undo_confirmation(plan)

            def answered(yes: bool) -> None:
                if yes and confirmation.can_proceed and self.state.session is not None:
                    self._run_undo(job, plan)
                else:
                    self.window.show_message(self.tr("Nothing was changed on the portal."))
                    self.state.set_idle()

            self.state.ask(confirmation, answered)

        def failed(error: Exception) -> None:
            if isinstance(error, UndoRefused):
                self.window.show_message(error.message)
            elif isinstance(error, RunNotFound):
                self.window.show_message(
                    self.tr("That run is no longer in the journal, so it cannot be undone.")
                )
            else:
                self.state.report_problem(error, what="preparing the undo")
            self.state.set_idle()

        async def prepare(_: ProgressReporter) -> UndoPlan:
            return await job.prepare()

        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(0, None, self.tr("Reading the run and its tasks…"))
        return self.state.start(
            Phase.CHECKING,
            AsyncOp(prepare, parent=self, label="prepare undo")
            .on_success(planned)
            .on_failure(failed)
            .on_cancelled(self.state.set_idle),
        )

    def _run_undo(self, job: UndoJob, plan: UndoPlan) -> None:
        self.window.set_busy(Activity.RENEWING)
        self.window.set_progress(0, None, self.tr("Completing the tasks again…"))
        completing = self.tr("Completing again… {done} of {total}")

        async def work(progress: ProgressReporter) -> list[RunReport]:
            job.listener = self._listener(progress, completing)
            return await job.run()

        def done(reports: list[RunReport]) -> None:
            self.events.flush()
            undone = plan.run_ids[: len(reports)]  # in order; a cancel stops the rest
            self.undoable_runs = [r for r in self.undoable_runs if r not in undone]
            self.window.set_undo_available(bool(self.undoable_runs))
            if reports:
                self.window.show_message(run_summary(*reports), 30000)
            self.run_finished.emit(reports)

        op = AsyncOp(work, parent=self, label="undo").on_success(done)
        self._start_run(Phase.UNDOING, job, op)


class _RunProgress:
    """Engine progress as "<text>" filled in with {done} and {total}, plus the time left;
    a wait for the portal replaces the text until the next progress."""

    def __init__(self, progress: ProgressReporter, text: str) -> None:
        self.progress = progress
        self.text = text
        self.last = Progress(0, 0, {})

    def __call__(self, update: Progress) -> None:
        self.last = update
        line = self.text.format(done=count_text(update.done), total=count_text(update.total))
        left = time_left(update.eta_s) if update.done < update.total else ""
        self.progress.report(update.done, update.total, f"{line} ({left})" if left else line)

    def waiting(self, wait: Wait) -> None:
        self.progress.report(self.last.done, self.last.total, wait_sentence(wait))
