"""The reopen features' methods (brief 12.1, 12.5): approve, disapprove, update (DEADLINE),
getaccess, the `action` map, task.commentitem.add, Russian error texts, realistic data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sandbox_support import ME, Api, FakeClock, head_of, stage

from b24desk.sandbox.access import access_name

NOT_ALLOWED = {"error": "1048582", "error_description": "Action on the task is not allowed"}
UPDATE_REFUSED = {
    "error": "0",
    "error_description": "Action on the task is not allowed (internal error)",
}
DAY = 86_400.0


# --- the task-control round trip --------------------------------------------------------


def test_complete_with_task_control_waits_then_approve_closes_it(
    make_api: Callable[..., Api], clock: FakeClock
) -> None:
    """Responsible completes -> 4; the creator approves -> 5 (the undo issue 11 asks for)."""
    api = make_api(admin=False)
    task = stage(api, status=2, role="responsible", task_control=True)
    card = api.ok("tasks.task.complete", taskId=task.id)["result"]["task"]
    assert card["status"] == "4"
    assert api.ok("tasks.task.get", taskId=task.id)["result"]["task"]["action"]["approve"] is False
    assert api.call("tasks.task.approve", taskId=task.id).json() == NOT_ALLOWED
    # The creator's turn: the same task, with the caller as its creator.
    task.created_by, task.responsible_id = ME, task.created_by
    clock.advance(60)
    approved = api.ok("tasks.task.approve", taskId=task.id)["result"]["task"]
    assert approved["status"] == "5"
    assert approved["closedBy"] == str(ME)
    assert task.status == 5
    assert task.closed_date == clock.now


APPROVE_CASES = [
    # caller's role, admin?, allowed?
    ("creator", False, True),
    ("stranger", True, True),
    ("responsible", False, False),
    ("accomplice", False, False),
    ("auditor", False, False),
]


@pytest.mark.parametrize("method", ["tasks.task.approve", "tasks.task.disapprove"])
@pytest.mark.parametrize(("role", "admin", "allowed"), APPROVE_CASES)
def test_approve_and_disapprove_rights(
    make_api: Callable[..., Api], method: str, role: str, admin: bool, allowed: bool
) -> None:
    api = make_api(admin=admin)
    task = stage(api, status=4, role=role)
    response = api.call(method, taskId=task.id)
    if not allowed:
        assert response.status_code == 400
        assert response.json() == NOT_ALLOWED
        assert task.status == 4
        return
    card = response.json()["result"]["task"]
    if method == "tasks.task.approve":
        assert (card["status"], task.status, task.closed_by) == ("5", 5, ME)
    else:
        assert (card["status"], task.status) == ("2", 2)
        assert card["closedDate"] is None
        assert task.closed_by == 0


@pytest.mark.parametrize("method", ["tasks.task.approve", "tasks.task.disapprove"])
def test_the_creators_boss_may_approve(make_api: Callable[..., Api], method: str) -> None:
    api = make_api(admin=False)
    task = stage(api, status=4, role="stranger")
    assert api.call(method, taskId=task.id).status_code == 400
    head_of(api, task.created_by)
    assert api.call(method, taskId=task.id).status_code == 200


def test_status_4_the_creator_may_not_renew_but_may_return_it_for_rework(
    make_api: Callable[..., Api],
) -> None:
    for admin in (False, True):
        api = make_api(admin=admin)
        task = stage(api, status=4, role="creator")
        assert api.call("tasks.task.renew", taskId=task.id).json() == NOT_ALLOWED
        assert api.ok("tasks.task.disapprove", taskId=task.id)["result"]["task"]["status"] == "2"


@pytest.mark.parametrize(
    ("method", "status", "answer"),
    [
        ("tasks.task.approve", 5, 200),  # already there: nothing to do
        ("tasks.task.disapprove", 2, 200),
        ("tasks.task.approve", 2, 400),  # only from 4
        ("tasks.task.disapprove", 5, 400),
        ("tasks.task.approve", 3, 400),
    ],
)
def test_approve_and_disapprove_only_move_a_task_awaiting_control(
    make_api: Callable[..., Api], method: str, status: int, answer: int
) -> None:
    api = make_api()
    task = stage(api, status=status, role="creator")
    assert api.call(method, taskId=task.id).status_code == answer
    assert task.status == status


def test_approve_of_a_missing_task_and_bad_ids(api: Api) -> None:
    assert api.call("tasks.task.approve", taskId=max(api.portal.tasks) + 5).json() == NOT_ALLOWED
    assert api.call("tasks.task.disapprove", taskId="x").json()["error"] == "0"
    assert api.call("tasks.task.approve").json()["error"] == "100"


# --- tasks.task.update --------------------------------------------------------------------


def test_update_sets_and_clears_the_deadline(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    task = stage(api, status=5, role="creator")
    card = api.ok(
        "tasks.task.update", taskId=task.id, fields={"DEADLINE": "2025-12-20T18:00:00+03:00"}
    )["result"]["task"]
    assert card["deadline"] == "2025-12-20T18:00:00+03:00"
    assert task.deadline == 1_766_242_800.0
    assert task.status == 5, "update changes no status"
    api.ok("tasks.task.update", taskId=task.id, fields={"DEADLINE": ""})
    assert task.deadline is None


def test_update_reads_dates_like_strtotime(make_api: Callable[..., Api]) -> None:
    api = make_api()
    task = stage(api, status=5, role="creator")
    api.ok("tasks.task.update", taskId=task.id, fields={"deadline": "2025-12-20 18:00"})
    assert task.deadline == 1_766_242_800.0, "no offset: the portal's time zone (+03:00)"
    api.ok("tasks.task.update", taskId=task.id, fields={"DEADLINE": "not a date"})
    assert task.deadline == 0.0, "what strtotime cannot read becomes the epoch"


@pytest.mark.parametrize(
    ("role", "admin", "allow_change", "fields", "allowed"),
    [
        ("creator", False, False, {"DEADLINE": "2026-01-01"}, True),
        ("stranger", True, False, {"TITLE": "New"}, True),
        ("responsible", False, True, {"DEADLINE": "2026-01-01"}, True),
        ("responsible", False, False, {"DEADLINE": "2026-01-01"}, False),
        ("responsible", False, True, {"TITLE": "New"}, False),
        ("accomplice", False, True, {"DEADLINE": "2026-01-01"}, False),
        ("auditor", False, True, {"DEADLINE": "2026-01-01"}, False),
    ],
)
def test_update_rights(
    make_api: Callable[..., Api],
    role: str,
    admin: bool,
    allow_change: bool,
    fields: dict[str, str],
    allowed: bool,
) -> None:
    api = make_api(admin=admin)
    task = stage(api, status=5, role=role)
    task.allow_change_deadline = allow_change
    before = (task.deadline, task.title)
    response = api.call("tasks.task.update", taskId=task.id, fields=fields)
    if allowed:
        assert response.status_code == 200
        assert (task.deadline, task.title) != before
    else:
        assert response.status_code == 400
        assert response.json() == UPDATE_REFUSED
        assert (task.deadline, task.title) == before
    card = api.ok("tasks.task.get", taskId=task.id)["result"]["task"]
    assert card["allowChangeDeadline"] == ("Y" if allow_change else "N")


def test_update_needs_fields(api: Api) -> None:
    task = stage(api, status=5, role="creator")
    for fields in (None, {}, "DEADLINE"):
        body: dict[str, Any] = {"taskId": task.id}
        if fields is not None:
            body["fields"] = fields
        answer = api.call("tasks.task.update", body)
        assert answer.status_code == 400
        assert answer.json() == {
            "error": "100",
            "error_description": "Could not find value for parameter {fields} (internal error)",
        }


def test_a_reopened_task_past_its_deadline_is_overdue_at_once(api: Api) -> None:
    task = stage(api, status=5, role="creator")
    task.deadline = api.portal.clock() - 10 * DAY

    def sub_status() -> str:
        card = api.ok("tasks.task.list", filter={"ID": task.id}, select=["ID", "STATUS"])
        return str(card["result"]["tasks"][0]["subStatus"])

    assert sub_status() == "5", "a completed task is never shown as overdue"
    api.ok("tasks.task.renew", taskId=task.id)
    assert sub_status() == "-1"
    api.ok("tasks.task.update", taskId=task.id, fields={"DEADLINE": "@1760500000"})
    assert sub_status() == "2"


# --- the dry run: getaccess and the action map -----------------------------------------------


@pytest.mark.parametrize(
    ("status", "role", "admin"),
    [
        (5, "responsible", False),
        (4, "creator", True),
        (5, "auditor", False),
        (4, "accomplice", False),
    ],
)
def test_getaccess_says_what_renew_would_do_and_changes_nothing(
    make_api: Callable[..., Api], status: int, role: str, admin: bool
) -> None:
    api = make_api(admin=admin)
    task = stage(api, status=status, role=role)
    answer = api.ok("tasks.task.getaccess", taskId=task.id, users=[ME])
    actions = answer["result"]["allowedActions"][str(ME)]
    card = api.ok("tasks.task.get", taskId=task.id)["result"]["task"]
    assert {access_name(k): v for k, v in card["action"].items()} == actions
    assert task.status == status
    renewed = api.call("tasks.task.renew", taskId=task.id).status_code == 200
    assert actions["RENEW"] is renewed
    assert answer["time"]["processing"] == 0.05


def test_getaccess_for_another_user_and_defaults(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=True)
    task = stage(api, status=5, role="stranger")
    outsider = next(
        u for u in api.portal.users if u not in task.participants() and u != ME and u > 40
    )
    answer = api.ok(
        "tasks.task.getaccess", taskId=task.id, users=[ME, task.responsible_id, outsider]
    )
    allowed = answer["result"]["allowedActions"]
    assert allowed[str(ME)]["RENEW"] is True, "an admin"
    assert allowed[str(task.responsible_id)]["RENEW"] is True
    assert allowed[str(task.responsible_id)]["EDIT"] is False
    assert set(allowed[str(outsider)].values()) == {False}, "no access: all false"
    assert list(api.ok("tasks.task.getaccess", taskId=task.id)["result"]["allowedActions"]) == [
        str(ME)
    ]


def test_getaccess_of_a_task_the_caller_cannot_see(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    task = stage(api, status=5, role="stranger")
    answer = api.ok("tasks.task.getaccess", taskId=task.id, users=[ME])
    assert answer["result"] == {"allowedActions": []}


def test_getaccess_errors(api: Api) -> None:
    assert api.call("tasks.task.getaccess", taskId=0).json()["error"] == "0"
    bad_users = api.call("tasks.task.getaccess", taskId=1, users="1")
    assert bad_users.status_code == 400
    assert bad_users.json()["error"] == "100"


def test_access_names_are_upper_case() -> None:
    assert access_name("changeDeadline") == "CHANGE_DEADLINE"
    assert access_name("checklistAddItems") == "CHECKLIST_ADD_ITEMS"
    assert access_name("edit.originator") == "EDIT.ORIGINATOR"
    assert access_name("renew") == "RENEW"


# --- comments --------------------------------------------------------------------------------


def test_commentitem_add_answers_the_new_comment_id(api: Api, clock: FakeClock) -> None:
    task = stage(api, status=2, role="responsible")
    before = task.comments_count
    first = api.ok("task.commentitem.add", {"TASKID": task.id, "FIELDS": {"POST_MESSAGE": "Hi"}})
    second = api.ok("task.commentitem.add", [task.id, {"POST_MESSAGE": "Reopened because …"}])
    assert isinstance(first["result"], int)
    assert second["result"] == first["result"] + 1
    assert task.comments_count == before + 2
    assert [c.message for c in task.comments] == ["Hi", "Reopened because …"]
    assert task.comments[0].author_id == ME
    assert first["time"]["processing"] == 0.27


def test_commentitem_add_refusals(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    hidden = stage(api, status=5, role="stranger")
    refused = api.call("task.commentitem.add", [hidden.id, {"POST_MESSAGE": "x"}])
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "ERROR_CORE",
        "error_description": "Insufficient permissions to add a comment.<br>",
    }
    mine = stage(api, status=5, role="creator")
    empty = api.call("task.commentitem.add", [mine.id, {"POST_MESSAGE": "  "}])
    assert empty.json()["error_description"] == "Comment text not specified<br>"
    wrong = api.call("task.commentitem.add", ["abc", {"POST_MESSAGE": "x"}])
    assert wrong.json()["error_description"].startswith("TASKS_ERROR_EXCEPTION_#256; Param #0")
    assert mine.comments == []
    assert hidden.comments == []


def test_legacy_portal_keeps_only_the_legacy_comment_method(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(legacy=True)
    for method in ("tasks.task.update", "tasks.task.approve", "tasks.task.getaccess"):
        assert api.call(method, taskId=1).json()["error"] == "ERROR_METHOD_NOT_FOUND"
    task = stage(api, status=5, role="creator")
    assert api.call("task.commentitem.add", [task.id, {"POST_MESSAGE": "x"}]).status_code == 200


# --- language -----------------------------------------------------------------------------------


def test_russian_portal_describes_task_errors_in_russian(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False, language="ru")
    task = stage(api, status=5, role="auditor")
    assert api.call("tasks.task.renew", taskId=task.id).json() == {
        "error": "1048582",
        "error_description": "Действие не доступно",
    }
    legacy = api.call("task.item.renew", [task.id]).json()
    assert legacy == {"error": "ERROR_CORE", "error_description": "Действие не доступно<br>"}
    update = api.call("tasks.task.update", taskId=task.id, fields={"DEADLINE": ""}).json()
    assert update == {"error": "0", "error_description": "Действие не доступно (internal error)"}
    batch = api.ok("batch", cmd={"r": f"tasks.task.renew?taskId={task.id}"})["result"]
    assert batch["result_error"]["r"] == {
        "error": "1048582",
        "error_description": "Действие не доступно",
    }
    # The REST layer's own errors stay English, as on a live portal.
    assert api.call("no.such.method").json()["error_description"] == "Method not found!"


def test_english_is_the_default(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    task = stage(api, status=5, role="auditor")
    assert api.call("tasks.task.renew", taskId=task.id).json() == NOT_ALLOWED


# --- generated data ----------------------------------------------------------------------------


def test_data_has_task_control_past_deadlines_and_tasks_awaiting_control(
    make_portal: Callable[..., Any],
) -> None:
    portal = make_portal(task_count=3000)
    tasks = list(portal.tasks.values())
    now = portal.clock()
    control = sum(t.task_control for t in tasks) / len(tasks)
    assert 0.35 <= control <= 0.65
    done = [t for t in tasks if t.status == 5]
    past = sum(t.deadline is not None and t.deadline < now for t in done) / len(done)
    assert 0.4 <= past <= 0.8
    waiting = [t for t in tasks if t.status == 4]
    assert 0.04 <= len(waiting) / len(tasks) <= 0.15
    assert all(t.task_control for t in waiting), "only task control makes a task wait"
    assert any(not t.allow_change_deadline for t in tasks)
    assert any(t.responsible_id == ME and t.created_by != ME for t in waiting)
    assert any(t.created_by == ME and t.responsible_id != ME for t in waiting)
