"""Plain-words confirmations, asked without blocking the event loop.

A confirmation is a value (`Confirmation`); asking is a function `(parent, confirmation,
answer)` that calls `answer(True/False)` later. The default shows a window-modal message box
with `open()`, never `exec()`: a nested event loop inside a qasync callback would let other
asyncio tasks run re-entrantly. Tests pass their own function (or click the box's button).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from b24desk.core.i18n import plural, translate
from b24desk.core.renew.deadline import DeadlineChange
from b24desk.core.renew.jobs import Precheck, RenewPlan, UndoPlan
from b24desk.ui.language import count_text

Answer = Callable[[bool], None]
Confirm = Callable[[QWidget, "Confirmation", Answer], None]


@dataclass(frozen=True, slots=True)
class Confirmation:
    title: str
    question: str
    details: str = ""
    accept_text: str = ""
    """The accepting button's text; empty: Qt's own "OK"."""
    can_proceed: bool = True
    """False: nothing can be done; the box only informs (one button, the answer is False)."""
    renew_options: bool = False
    """A renew: ask in the renew dialog (a comment for each task, deadlines if offered)."""
    offer_deadline: bool = False
    """Offer new deadlines with the reopen (some tasks would be overdue at once)."""
    deadline_choice: list[DeadlineChange] = field(default_factory=list, compare=False)
    """Filled by the asking dialog when the admin chose new deadlines (empty: keep them)."""
    comment_choice: list[str] = field(default_factory=list, compare=False)
    """Filled by the asking dialog when the admin wrote a comment for every reopened task."""


def _counted(text: str, count: int, **fields: object) -> str:
    """A translated `|`-separated plural text, the form for `count` filled in ({n})."""
    return plural(text, count).format(n=count_text(count), **fields)


def _skipped_parts(precheck: Precheck) -> list[str]:
    parts: list[str] = []
    moved = len(precheck.no_longer_completed)
    missing = len(precheck.missing)
    if moved:
        parts.append(
            _counted(
                translate("Confirm", "{n} is no longer completed|{n} are no longer completed"),
                moved,
            )
        )
    if missing:
        parts.append(
            _counted(
                translate(
                    "Confirm",
                    "{n} was deleted or is hidden from you|{n} were deleted or are hidden from you",
                ),
                missing,
            )
        )
    refused = len(precheck.not_allowed)
    if refused:
        parts.append(
            _counted(
                translate(
                    "Confirm", "you may not reopen {n} of them|you may not reopen {n} of them"
                ),
                refused,
            )
        )
    return parts


def _will_be_skipped(precheck: Precheck) -> str:
    """The sentence after the question: which tasks will be skipped, and why."""
    moved = len(precheck.no_longer_completed)
    missing = len(precheck.missing)
    if moved and missing:
        moved_part, missing_part = _skipped_parts(precheck)
        return translate("Confirm", "{moved} and {missing}; they will be skipped.").format(
            moved=_capitalised(moved_part), missing=missing_part
        )
    if moved:
        return _counted(
            translate(
                "Confirm",
                "{n} is no longer completed and will be skipped.|"
                "{n} are no longer completed and will be skipped.",
            ),
            moved,
        )
    if missing:
        return _counted(
            translate(
                "Confirm",
                "{n} was deleted or is hidden from you and will be skipped.|"
                "{n} were deleted or are hidden from you and will be skipped.",
            ),
            missing,
        )
    return ""


def _ids_line(text: str, ids: list[int]) -> str:
    shown = ", ".join(str(task_id) for task_id in ids[:12])
    if len(ids) > 12:
        shown = translate("Confirm", "{ids} and {n} more").format(
            ids=shown, n=count_text(len(ids) - 12)
        )
    return plural(text, len(ids)).format(ids=shown)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def renew_confirmation(plan: RenewPlan, *, admin: bool = True) -> Confirmation:
    """ "Reopen 37 tasks? 2 are no longer completed and will be skipped." and the like."""
    selected = plan.selected
    precheck = plan.check or Precheck([], [], [], unread=[t.id for t in plan.tasks])
    # Tasks the portal did not answer for are sent anyway and verified.
    unread = len(precheck.unread)
    count = len(precheck.renewable) + unread
    if count == 0:
        parts = _skipped_parts(precheck)
        if len(parts) >= 2:
            reason = translate("Confirm", "{first} and {second}").format(
                first=", ".join(parts[:-1]), second=parts[-1]
            )
        else:
            reason = (
                parts[0] if parts else translate("Confirm", "none of them is completed any more")
            )
        return Confirmation(
            title=translate("Confirm", "Nothing to reopen"),
            question=_counted(
                translate(
                    "Confirm",
                    "None of the {n} selected task can be reopened: {reason}.|"
                    "None of the {n} selected tasks can be reopened: {reason}.",
                ),
                selected,
                reason=reason,
            ),
            details=translate(
                "Confirm", "Click “Load tasks” to see the tasks as they are on the portal now."
            ),
            can_proceed=False,
        )
    question = _counted(translate("Confirm", "Reopen {n} task?|Reopen {n} tasks?"), count)
    skipped = _will_be_skipped(precheck)
    if skipped:
        question = f"{question} {skipped}"
    if precheck.return_for_rework:
        returned = _counted(
            translate(
                "Confirm",
                "{n} is awaiting its creator's approval: it will be returned for rework, as "
                "Bitrix24 lets you do instead of reopening it.|"
                "{n} are awaiting their creator's approval: they will be returned for rework, "
                "as Bitrix24 lets you do instead of reopening them.",
            ),
            len(precheck.return_for_rework),
        )
        question = f"{question} {returned}"
    if precheck.not_allowed:
        refused = _counted(
            translate(
                "Confirm",
                "You may not reopen {n} of these; it will be left out.|"
                "You may not reopen {n} of these; they will be left out.",
            ),
            len(precheck.not_allowed),
        )
        question = f"{question} {refused}"
    if unread:
        unchecked = _counted(
            translate(
                "Confirm",
                "{n} could not be checked now; it will be sent and verified.|"
                "{n} could not be checked now; they will be sent and verified.",
            ),
            unread,
        )
        question = f"{question} {unchecked}"
    details = [
        translate(
            "Confirm",
            "Each task goes back to “Pending” for its responsible person, as if someone had "
            "clicked “Resume” in Bitrix24.",
        ),
        translate(
            "Confirm",
            "Bitrix24 notifies each task's members that it was reopened; it offers no way to "
            "reopen quietly.",
        ),
        translate("Confirm", "If you change your mind, “Undo last run” completes them again."),
    ]
    skipped_ids = [t.id for t in precheck.no_longer_completed] + list(precheck.missing)
    if skipped_ids:
        shown = ", ".join(str(task_id) for task_id in skipped_ids[:12])
        if len(skipped_ids) > 12:
            shown = translate("Confirm", "{ids} and {n} more").format(
                ids=shown, n=count_text(len(skipped_ids) - 12)
            )
        skipped_line = translate("Confirm", "Skipped: task {ids}.|Skipped: tasks {ids}.")
        details.insert(0, plural(skipped_line, len(skipped_ids)).format(ids=shown))
    if plan.overdue:
        details.insert(
            0,
            _counted(
                translate(
                    "Confirm",
                    "{n} of them has a deadline that has passed: it will be overdue as soon as "
                    "it is reopened (Bitrix24 counts that against its responsible person).|"
                    "{n} of them have deadlines that have passed: they will be overdue as soon "
                    "as they are reopened (Bitrix24 counts that against their responsible "
                    "people).",
                ),
                plan.overdue,
            ),
        )
    if precheck.not_allowed:
        details.insert(
            0,
            _ids_line(
                translate("Confirm", "Not allowed: task {ids}.|Not allowed: tasks {ids}."),
                list(precheck.not_allowed),
            ),
        )
    if not admin and not precheck.rights_checked:
        details.append(
            translate(
                "Confirm",
                "Your Bitrix24 user is not an administrator: tasks it may not change will be "
                "reported as “Not allowed” and left as they are.",
            )
        )
    return Confirmation(
        title=translate("Confirm", "Reopen tasks"),
        question=question,
        details="\n\n".join(details),
        accept_text=_counted(translate("Confirm", "Reopen {n} task|Reopen {n} tasks"), count),
        renew_options=True,
        offer_deadline=plan.overdue > 0,
    )


def undo_confirmation(plan: UndoPlan) -> Confirmation:
    """ "Complete again the 30 tasks this run reopened?", and what is left as it is."""
    count, runs, left = plan.to_complete, len(plan.steps), plan.left
    if count == 0:
        return Confirmation(
            title=translate("Confirm", "Nothing to undo"),
            question=_counted(
                translate(
                    "Confirm",
                    "None of the {n} task the run reopened can be completed again: it has "
                    "changed since, or is gone.|"
                    "None of the {n} tasks the run reopened can be completed again: they have "
                    "changed since, or are gone.",
                ),
                left,
            ),
            details=_left_details(plan),
            can_proceed=False,
        )
    if runs == 1:
        question = _counted(
            translate(
                "Confirm",
                "Complete again the {n} task this run reopened?|"
                "Complete again the {n} tasks this run reopened?",
            ),
            count,
        )
    else:
        question = _counted(
            translate(
                "Confirm",
                "Complete again the {n} task these {runs} runs reopened?|"
                "Complete again the {n} tasks these {runs} runs reopened?",
            ),
            count,
            runs=count_text(runs),
        )
    if left:
        question += " " + _counted(
            translate(
                "Confirm",
                "{n} has changed since and will be left as it is.|"
                "{n} have changed since and will be left as they are.",
            ),
            left,
        )
    if plan.may_wait:
        question += " " + _counted(
            translate(
                "Confirm",
                "{n} has task control and you are not its creator: it will wait for its "
                "creator's approval, unless your user may accept it for them.|"
                "{n} have task control and you are not their creator: they will wait for "
                "their creator's approval, unless your user may accept them for the creator.",
            ),
            plan.may_wait,
        )
    elif plan.controlled:
        question += " " + _counted(
            translate(
                "Confirm",
                "{n} has task control: b24desk accepts it for its creator, so it ends "
                "completed as it was.|"
                "{n} have task control: b24desk accepts them for their creator, so they end "
                "completed as they were.",
            ),
            plan.controlled,
        )
    details = translate(
        "Confirm",
        "Tasks that someone has changed since they were reopened are left as they are, "
        "so nobody's new work is lost.",
    )
    return Confirmation(
        title=translate("Confirm", "Undo the run"),
        question=question,
        details="\n\n".join(filter(None, (details, _left_details(plan)))),
        accept_text=_counted(
            translate("Confirm", "Complete {n} task again|Complete {n} tasks again"), count
        ),
    )


def _left_details(plan: UndoPlan) -> str:
    """Which tasks undo leaves as they are, by id."""
    ids = [r.id for r in plan.left_results()]
    if not ids:
        return ""
    shown = ", ".join(str(task_id) for task_id in ids[:12])
    if len(ids) > 12:
        shown = translate("Confirm", "{ids} and {n} more").format(
            ids=shown, n=count_text(len(ids) - 12)
        )
    line = translate("Confirm", "Left as they are: task {ids}.|Left as they are: tasks {ids}.")
    return plural(line, len(ids)).format(ids=shown)


def ask_with_message_box(parent: QWidget, confirmation: Confirmation, answer: Answer) -> None:
    """Show a window-modal box and return at once; `answer` is called when it closes."""
    if confirmation.renew_options and confirmation.can_proceed:
        _ask_renew(parent, confirmation, answer)
        return
    box = QMessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setWindowTitle(confirmation.title)
    box.setText(confirmation.question)
    box.setInformativeText(confirmation.details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    if confirmation.can_proceed:
        box.setIcon(QMessageBox.Icon.Question)
        if confirmation.accept_text:
            accept = box.addButton(confirmation.accept_text, QMessageBox.ButtonRole.AcceptRole)
        else:
            accept = box.addButton(QMessageBox.StandardButton.Ok)
        accept.setObjectName("confirmAccept")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("confirmCancel")
        box.setDefaultButton(accept)
        box.setEscapeButton(cancel)
    else:
        box.setIcon(QMessageBox.Icon.Information)
        accept = None
        box.addButton(QMessageBox.StandardButton.Ok).setObjectName("confirmCancel")

    def finished(_: int) -> None:
        answer(accept is not None and box.clickedButton() is accept)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()


def _ask_renew(parent: QWidget, confirmation: Confirmation, answer: Answer) -> None:
    """The renew question with its options (`RenewDialog`), opened window-modal."""
    from b24desk.ui.dialogs.renew import RenewDialog

    dialog = RenewDialog(
        parent,
        title=confirmation.title,
        question=confirmation.question,
        details=confirmation.details,
        accept_text=confirmation.accept_text,
        offer_deadline=confirmation.offer_deadline,
    )

    def finished(result: int) -> None:
        accepted = result == RenewDialog.DialogCode.Accepted
        change = dialog.deadline_change() if accepted else None
        if change is not None:
            confirmation.deadline_choice.append(change)
        comment = dialog.comment_text() if accepted else ""
        if comment:
            confirmation.comment_choice.append(comment)
        answer(accepted)
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
