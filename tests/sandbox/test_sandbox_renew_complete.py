"""tasks.task.renew / tasks.task.complete / task.item.renew: every access rule and effect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sandbox_support import ME, Api, FakeClock, head_of, stage

from b24desk.sandbox.access import caller_for
from b24desk.sandbox.model import SandboxTask

NOT_ALLOWED = {"error": "1048582", "error_description": "Action on the task is not allowed"}


def head_of_responsible(api: Api, task: SandboxTask) -> None:
    head_of(api, task.responsible_id)


RENEW_CASES = [
    # status, caller's role, admin?, allowed?
    (5, "creator", False, True),
    (5, "responsible", False, True),
    (5, "accomplice", False, True),
    (5, "auditor", False, False),
    (5, "stranger", False, False),
    (5, "stranger", True, True),
    (6, "creator", False, True),
    (6, "responsible", False, True),
    (6, "accomplice", False, True),
    (6, "auditor", False, False),
    (6, "stranger", True, True),
    (4, "responsible", False, True),
    (4, "accomplice", False, True),
    (4, "accomplice+creator", False, False),
    (4, "creator", False, False),
    (4, "auditor", False, False),
    (4, "stranger", True, False),
    (1, "responsible", False, False),
    (3, "responsible", False, False),
    (3, "creator", True, False),
    (7, "responsible", False, False),
]


@pytest.mark.parametrize(("status", "role", "admin", "allowed"), RENEW_CASES)
def test_renew_access_rules(
    make_api: Callable[..., Api],
    clock: FakeClock,
    status: int,
    role: str,
    admin: bool,
    allowed: bool,
) -> None:
    api = make_api(admin=admin)
    task = stage(api, status=status, role=role)
    closed_before = task.closed_date
    clock.advance(120)
    response = api.call("tasks.task.renew", taskId=task.id)
    if allowed:
        assert response.status_code == 200, response.text
        card = response.json()["result"]["task"]
        assert card["status"] == "2"
        assert card["closedBy"] == "0"
        assert card["closedDate"] is None
        assert task.status == 2
        assert task.closed_date is None
        assert task.closed_by == 0
        assert task.changed_date == clock.now
        assert task.changed_by == ME
    else:
        assert response.status_code == 400
        assert response.json() == NOT_ALLOWED
        assert task.status == status
        assert task.closed_date == closed_before


@pytest.mark.parametrize("status", [5, 6])
def test_department_head_of_the_creator_may_always_renew(
    make_api: Callable[..., Api], status: int
) -> None:
    api = make_api(admin=False)
    task = stage(api, status=status, role="stranger")
    assert api.call("tasks.task.renew", taskId=task.id).status_code == 400
    head_of(api, task.created_by)
    assert api.call("tasks.task.renew", taskId=task.id).status_code == 200
    assert task.status == 2


@pytest.mark.parametrize(("role_setting", "allowed"), [(False, False), (True, True)])
def test_department_head_of_the_responsible_depends_on_role_settings(
    make_api: Callable[..., Api], role_setting: bool, allowed: bool
) -> None:
    api = make_api(admin=False, heads_edit_responsible_tasks=role_setting)
    task = stage(api, status=5, role="stranger")
    head_of_responsible(api, task)
    assert task.created_by not in caller_for(api.portal.data, ME).managed
    response = api.call("tasks.task.renew", taskId=task.id)
    assert response.status_code == (200 if allowed else 400)
    assert task.status == (2 if allowed else 5)


def test_renew_answers_with_the_full_task_and_time_at_top_level(api: Api) -> None:
    task = stage(api, status=5, role="responsible")
    answer = api.ok("tasks.task.renew", taskId=task.id)
    assert set(answer) == {"result", "time"}
    card = answer["result"]["task"]
    for key in ("id", "title", "createdBy", "responsibleId", "accomplices", "auditors"):
        assert key in card
    for key in ("creator", "responsible", "action", "checkListTree", "changedDate"):
        assert key in card
    assert card["action"]["renew"] is False, "a pending task cannot be renewed again"


def test_renewing_a_pending_task_succeeds_and_changes_nothing(api: Api, clock: FakeClock) -> None:
    task = stage(api, status=2, role="auditor")
    before = (task.changed_date, task.changed_by, task.outlook_version)
    clock.advance(60)
    card = api.ok("tasks.task.renew", taskId=task.id)["result"]["task"]
    assert card["status"] == "2"
    assert (task.changed_date, task.changed_by, task.outlook_version) == before


def test_renewing_an_invisible_pending_task_is_refused(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    task = stage(api, status=2, role="stranger")
    response = api.call("tasks.task.renew", taskId=task.id)
    assert response.status_code == 400
    assert response.json() == NOT_ALLOWED


def test_renewing_a_missing_task_is_refused_like_a_forbidden_one(api: Api) -> None:
    response = api.call("tasks.task.renew", taskId=max(api.portal.tasks) + 10)
    assert response.status_code == 400
    assert response.json() == NOT_ALLOWED


@pytest.mark.parametrize("bad", ["abc", [5], {"a": 1}, 0, -3, True, 4.5])
def test_renew_with_a_task_id_of_the_wrong_type(api: Api, bad: Any) -> None:
    response = api.call("tasks.task.renew", taskId=bad)
    assert response.status_code == 400
    assert response.json() == {"error": "0", "error_description": "wrong task id"}


def test_renew_without_task_id(api: Api) -> None:
    response = api.call("tasks.task.renew", {"id": 5})
    assert response.status_code == 400
    assert response.json()["error"] == "100"


def test_task_id_as_numeric_string_is_fine(api: Api) -> None:
    task = stage(api, status=5, role="creator")
    assert api.call("tasks.task.renew", taskId=str(task.id)).status_code == 200


# --- complete --------------------------------------------------------------------------

COMPLETE_CASES = [
    # status before, caller's role, admin?, control?, status after (None = refused)
    (3, "creator", False, True, 5),
    (3, "creator+responsible", False, True, 5),
    (3, "responsible", False, False, 5),
    (3, "responsible", False, True, 4),
    (2, "accomplice", False, True, 4),
    (6, "responsible", False, True, 4),
    (3, "stranger", True, True, 4),
    (4, "creator", False, True, 5),
    (4, "stranger", True, True, 5),
    (3, "auditor", False, True, None),
    (5, "responsible", False, True, None),
    (7, "responsible", False, True, None),
    (4, "accomplice", False, True, 4),  # already there: nothing changes
    (5, "creator", False, True, 5),  # already there: nothing changes
]


@pytest.mark.parametrize(("status", "role", "admin", "control", "after"), COMPLETE_CASES)
def test_complete_lands_on_4_or_5_by_the_documented_rule(
    make_api: Callable[..., Api],
    clock: FakeClock,
    status: int,
    role: str,
    admin: bool,
    control: bool,
    after: int | None,
) -> None:
    api = make_api(admin=admin)
    task = stage(api, status=status, role=role, task_control=control)
    closed_before = task.closed_date
    clock.advance(300)
    response = api.call("tasks.task.complete", taskId=task.id)
    if after is None:
        assert response.status_code == 400
        assert response.json() == {
            "error": "0",
            "error_description": "Action on the task is not allowed",
        }
        assert task.status == status
        return
    assert response.status_code == 200, response.text
    assert response.json()["result"]["task"]["status"] == str(after)
    assert task.status == after
    if status == after:
        assert task.closed_date == closed_before, "a no-op must not re-stamp the date"
    else:
        assert task.closed_date == clock.now
        assert task.closed_by == ME


def test_renew_then_complete_loses_the_original_close_date(api: Api, clock: FakeClock) -> None:
    task = stage(api, status=5, role="creator")
    original = task.closed_date
    api.ok("tasks.task.renew", taskId=task.id)
    clock.advance(3600)
    card = api.ok("tasks.task.complete", taskId=task.id)["result"]["task"]
    assert task.status == 5
    assert task.closed_date == clock.now != original
    assert card["closedBy"] == str(ME)
    assert card["closedDate"] is not None


# --- legacy portal and task.item.renew -------------------------------------------------


@pytest.mark.parametrize("method", ["tasks.task.renew", "tasks.task.complete"])
def test_legacy_portal_has_no_modern_status_methods(
    make_api: Callable[..., Api], method: str
) -> None:
    api = make_api(legacy=True)
    task = stage(api, status=5, role="creator")
    response = api.call(method, taskId=task.id)
    assert response.status_code == 404
    assert response.json() == {
        "error": "ERROR_METHOD_NOT_FOUND",
        "error_description": "Method not found!",
    }
    assert task.status == 5
    assert api.ok("method.get", name=method)["result"] == {
        "isExisting": False,
        "isAvailable": False,
    }


@pytest.mark.parametrize("legacy", [True, False])
@pytest.mark.parametrize("form", ["list", "TASKID", "taskId", "query", "form"])
def test_task_item_renew_takes_its_parameter_by_position(
    make_api: Callable[..., Api], legacy: bool, form: str
) -> None:
    api = make_api(legacy=legacy)
    task = stage(api, status=5, role="responsible")
    url = api.url + "task.item.renew"
    if form == "list":
        response = api.http.post(url, json=[task.id])
    elif form == "query":
        response = api.http.get(url, params={"0": task.id})
    elif form == "form":
        response = api.http.post(url, data={"0": str(task.id)})
    else:
        response = api.http.post(url, json={form: task.id})
    assert response.status_code == 200, response.text
    assert response.json()["result"] is None
    assert task.status == 2


def test_task_item_renew_follows_the_same_rules(make_api: Callable[..., Api]) -> None:
    api = make_api(admin=False)
    task = stage(api, status=5, role="auditor")
    response = api.call("task.item.renew", [task.id])
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_CORE"
    # 1048582 carries the serialized-errors flag: the bare message plus <br> (brief 12.1).
    assert body["error_description"] == "Action on the task is not allowed<br>"
    assert task.status == 5


@pytest.mark.parametrize("params", [[], ["abc"], {"TASKID": [1]}])
def test_task_item_renew_with_bad_arguments(api: Api, params: Any) -> None:
    response = api.call("task.item.renew", params) if params else api.call("task.item.renew")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_CORE"
    assert body["error_description"].startswith("TASKS_ERROR_EXCEPTION_#256; Param #0 (taskId)")
    assert body["error_description"].endswith("256/TE/WRONG_ARGUMENTS<br>")


# --- task.item.complete ----------------------------------------------------------------


@pytest.mark.parametrize(("status", "role", "admin", "control", "after"), COMPLETE_CASES)
def test_task_item_complete_follows_the_complete_rules(
    make_api: Callable[..., Api],
    clock: FakeClock,
    status: int,
    role: str,
    admin: bool,
    control: bool,
    after: int | None,
) -> None:
    api = make_api(admin=admin)
    task = stage(api, status=status, role=role, task_control=control)
    clock.advance(300)
    response = api.call("task.item.complete", [task.id])
    if after is None:
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "ERROR_CORE"
        assert body["error_description"] == ("Action on the task is not allowed<br>")
        assert task.status == status
        return
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"result", "time"}
    assert response.json()["result"] is None
    assert task.status == after
    if status != after:
        assert task.closed_date == clock.now
        assert task.closed_by == ME


@pytest.mark.parametrize("legacy", [True, False])
@pytest.mark.parametrize("form", ["list", "TASKID", "taskId", "query", "form"])
def test_task_item_complete_takes_its_parameter_by_position(
    make_api: Callable[..., Api], legacy: bool, form: str
) -> None:
    api = make_api(legacy=legacy)
    task = stage(api, status=2, role="creator")
    url = api.url + "task.item.complete"
    if form == "list":
        response = api.http.post(url, json=[task.id])
    elif form == "query":
        response = api.http.get(url, params={"0": task.id})
    elif form == "form":
        response = api.http.post(url, data={"0": str(task.id)})
    else:
        response = api.http.post(url, json={form: task.id})
    assert response.status_code == 200, response.text
    assert response.json()["result"] is None
    assert task.status == 5
    assert api.ok("method.get", name="task.item.complete")["result"] == {
        "isExisting": True,
        "isAvailable": True,
    }


def test_task_item_complete_undoes_task_item_renew(api: Api) -> None:
    task = stage(api, status=5, role="creator")
    api.ok("task.item.renew", [task.id])
    assert task.status == 2
    api.ok("task.item.complete", [task.id])
    assert task.status == 5


def test_task_item_complete_of_a_missing_task_is_refused(api: Api) -> None:
    response = api.call("task.item.complete", [max(api.portal.tasks) + 10])
    assert response.status_code == 400
    assert response.json()["error_description"] == "Action on the task is not allowed<br>"


@pytest.mark.parametrize("params", [[], ["abc"], {"TASKID": [1]}])
def test_task_item_complete_with_bad_arguments(api: Api, params: Any) -> None:
    method = "task.item.complete"
    response = api.call(method, params) if params else api.call(method)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_CORE"
    assert body["error_description"].startswith(
        "TASKS_ERROR_EXCEPTION_#256; Param #0 (taskId) for method ctaskitem::complete()"
    )
    assert body["error_description"].endswith("256/TE/WRONG_ARGUMENTS<br>")
