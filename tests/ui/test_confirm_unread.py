"""The renew confirmation counts the tasks the portal could not be asked about."""

from __future__ import annotations

from b24desk.core.model import TaskSnapshot
from b24desk.core.renew.jobs import Precheck, RenewPlan
from b24desk.core.renew.records import RunKind
from b24desk.ui.dialogs.confirm import renew_confirmation
from b24desk.ui.language import apply_language


def snap(task_id: int, status: int = 5) -> TaskSnapshot:
    return TaskSnapshot(task_id, status)


def planned(check: Precheck) -> RenewPlan:
    tasks = [*check.renewable, *check.no_longer_completed, *(snap(i) for i in check.unread)]
    return RenewPlan(RunKind.RENEW, None, tasks, check.skip_reasons(), check)


def test_unread_tasks_are_counted_and_explained():
    precheck = Precheck([snap(1), snap(2)], [snap(3, 2)], [], unread=[4, 5, 6])
    confirmation = renew_confirmation(planned(precheck))
    assert confirmation.question == (
        "Reopen 5 tasks? 1 is no longer completed and will be skipped. "
        "3 could not be checked now; they will be sent and verified."
    )
    assert confirmation.accept_text == "Reopen 5 tasks"
    assert confirmation.can_proceed


def test_only_unread_tasks_are_never_nothing_to_reopen():
    confirmation = renew_confirmation(planned(Precheck([], [snap(3, 2)], [], unread=[7])))
    assert confirmation.can_proceed
    assert confirmation.title != "Nothing to reopen"
    assert confirmation.question == (
        "Reopen 1 task? 1 is no longer completed and will be skipped. "
        "1 could not be checked now; it will be sent and verified."
    )


def test_unread_tasks_in_russian_use_the_right_plural():
    apply_language("ru")
    few = renew_confirmation(planned(Precheck([snap(1)], [], [], unread=[2, 3]))).question
    many = renew_confirmation(planned(Precheck([snap(1)], [], [], unread=[2, 3, 4, 5, 6]))).question
    assert "2 задачи не удалось проверить сейчас; они будут отправлены и проверены." in few
    assert "5 задач не удалось проверить сейчас; они будут отправлены и проверены." in many
