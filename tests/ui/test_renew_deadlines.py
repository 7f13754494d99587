"""New deadlines with the reopen, chosen in the window's confirmation (issue 11 §1)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QWidget
from ui_rig import Rig, sandbox

from b24desk.core.model import TaskOutcome
from b24desk.core.renew.deadline import DeadlineChange, MoveUnit
from b24desk.ui.dialogs.confirm import Answer, Confirmation, ask_with_message_box
from b24desk.ui.dialogs.renew import RenewDialog


def dialog(qtbot) -> RenewDialog:  # type: ignore[no-untyped-def]
    made = RenewDialog(
        None, title="Reopen tasks", question="Reopen 3 tasks?", details="", accept_text="Reopen"
    )
    qtbot.addWidget(made)
    return made


def test_keeping_the_deadlines_is_the_default(qtbot) -> None:  # type: ignore[no-untyped-def]
    shown = dialog(qtbot)
    assert shown.keep.isChecked()
    assert shown.deadline_change() is None
    assert not shown.date.isEnabled()
    assert not shown.amount.isEnabled()
    assert not shown.only_past.isEnabled()


def test_the_portals_own_choices(qtbot) -> None:  # type: ignore[no-untyped-def]
    shown = dialog(qtbot)
    shown.move_by.setChecked(True)
    assert shown.amount.isEnabled()
    assert shown.only_past.isEnabled()
    shown.amount.setValue(2)
    shown.unit.setCurrentIndex(shown.unit.findData(MoveUnit.WEEKS.value))
    shown.only_past.setChecked(False)
    assert shown.deadline_change() == DeadlineChange(move=2, unit=MoveUnit.WEEKS)

    shown.set_to.setChecked(True)
    shown.only_past.setChecked(True)
    change = shown.deadline_change()
    assert change is not None
    assert change.at is not None
    assert change.at > datetime.now()
    assert (change.at.hour, change.at.minute) == (18, 0)
    assert change.only_overdue
    assert shown.amount.maximum() == 999


def test_the_confirmation_opens_the_dialog_and_keeps_the_choice(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    confirmation = Confirmation("Reopen tasks", "Reopen 3 tasks?", accept_text="Reopen 3 tasks")
    confirmation = Confirmation(
        confirmation.title,
        confirmation.question,
        accept_text=confirmation.accept_text,
        renew_options=True,
        offer_deadline=True,
    )
    answers: list[bool] = []
    ask_with_message_box(parent, confirmation, answers.append)
    shown = parent.findChild(RenewDialog)
    assert shown is not None
    shown.move_by.setChecked(True)
    shown.comment.setText("  Reopened   because the client called back ")
    shown.accept_button.click()
    qtbot.waitUntil(lambda: answers == [True])
    assert confirmation.deadline_choice == [DeadlineChange(move=7, only_overdue=True)]
    assert confirmation.comment_choice == ["Reopened because the client called back"]


def test_without_overdue_tasks_only_the_comment_is_offered(qtbot) -> None:  # type: ignore[no-untyped-def]
    shown = RenewDialog(
        None, title="t", question="q", details="", accept_text="a", offer_deadline=False
    )
    qtbot.addWidget(shown)
    shown.move_by.setChecked(True)  # hidden: never taken
    assert shown.deadline_group.isHidden()
    assert shown.deadline_change() is None
    assert shown.comment_text() == ""


class ChoosingConfirmer:
    """Answers yes, having chosen `change` in the deadline choices when they are offered."""

    def __init__(self, change: DeadlineChange) -> None:
        self.change = change
        self.asked: list[Confirmation] = []

    def __call__(self, parent: QWidget, confirmation: Confirmation, answered: Answer) -> None:
        self.asked.append(confirmation)
        if confirmation.offer_deadline:
            confirmation.deadline_choice.append(self.change)
        if confirmation.renew_options:
            confirmation.comment_choice.append("Reopened: the client called back")
        answered(confirmation.can_proceed)


@pytest.mark.asyncio
async def test_the_chosen_deadlines_reach_the_portal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    portal = sandbox(task_count=400)
    rig = Rig(tmp_path, portal)
    chooser = ChoosingConfirmer(DeadlineChange(move=7, only_overdue=True))
    rig.services.confirm = chooser
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        ids = rig.visible_completed_ids()[:20]
        before = {i: portal.tasks[i].deadline for i in ids}
        now = portal.clock()
        overdue = [i for i in ids if before[i] is not None and before[i] < now]
        assert overdue, "the sample must have tasks past their deadline"
        await rig.renew(ids)

        assert chooser.asked[-1].offer_deadline
        renewed = [i for i in ids if rig.outcome(i) is TaskOutcome.RENEWED]
        moved = [i for i in overdue if i in renewed]
        assert moved
        for task_id in moved:
            assert portal.tasks[task_id].deadline == pytest.approx(before[task_id] + 7 * 86400)
        for task_id in set(renewed) - set(overdue):
            assert portal.tasks[task_id].deadline == before[task_id]  # only the past ones
        commented = [i for i in renewed if portal.tasks[i].comments]
        assert commented == renewed
    finally:
        await rig.close()
