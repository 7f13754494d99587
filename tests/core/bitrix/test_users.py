"""Namesakes told apart: user.get / department.get against the sandbox, and the labels."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_harness import client_for

from b24desk.core.bitrix.users import (
    UserDetails,
    distinct_labels,
    fetch_user_details,
    namesakes,
)
from b24desk.sandbox import PortalConfig, SandboxPortal


def portal(**config: Any) -> SandboxPortal:
    return SandboxPortal(PortalConfig(**{"seed": 5, "task_count": 50, "limits": "off", **config}))


def test_namesakes_are_ids_sharing_a_folded_name() -> None:
    people = {1: "Maria Brown", 2: "maria  brown", 3: "Пётр Иванов", 4: "Петр Иванов", 5: "Anna"}
    assert namesakes(people) == [1, 2, 3, 4]
    assert namesakes({1: "Anna", 2: "Ann"}) == []


@pytest.mark.asyncio
async def test_details_come_from_user_get_and_department_get() -> None:
    sandbox = portal()
    wanted = [3, 12, 60]
    async with client_for(sandbox) as client:
        # 0 is nobody and the portal has no user 77: both are simply not there.
        details = await fetch_user_details(client, [*wanted, 0, 3, 77])
    assert sorted(details) == wanted
    for user_id in wanted:
        user = sandbox.data.users[user_id]
        got = details[user_id]
        assert got.email == user.email
        assert got.position == user.work_position
        assert got.departments == tuple(
            sandbox.data.departments[d].name for d in user.department_ids
        )


@pytest.mark.asyncio
async def test_more_than_fifty_ids_are_read_in_one_batch() -> None:
    sandbox = portal(user_count=130)
    async with client_for(sandbox) as client:
        before = client.http_requests
        details = await fetch_user_details(client, range(1, 121))
        requests = client.http_requests - before
    assert sorted(details) == list(range(1, 121))
    assert requests == 2  # one batch of three user.get calls, one of department.get


@pytest.mark.asyncio
async def test_what_the_webhook_may_not_read_is_left_empty() -> None:
    brief = portal(webhook_scopes=("task", "user_brief"))
    async with client_for(brief) as client:
        details = await fetch_user_details(client, [3])
    assert details[3].email == ""  # user_brief has no e-mail
    assert details[3].departments == ()  # and department.get needs "department"
    assert details[3].position
    tasks_only = portal(webhook_scopes=("task",))
    async with client_for(tasks_only) as client:
        assert await fetch_user_details(client, [3, 4]) == {}


def test_labels_use_the_first_detail_that_tells_namesakes_apart() -> None:
    people = {1: "Maria Brown", 2: "Maria Brown", 3: "Anna Smith"}
    by_department = {
        1: UserDetails(1, "m.brown@a.example", ("Sales",), "Manager"),
        2: UserDetails(2, "maria.b@a.example", ("Support",), "Manager"),
    }
    assert distinct_labels(people, by_department) == {
        1: "Maria Brown (Sales)",
        2: "Maria Brown (Support)",
        3: "Anna Smith",
    }
    same_department = {
        1: UserDetails(1, "m.brown@a.example", ("Sales",)),
        2: UserDetails(2, "maria.b@a.example", ("Sales",)),
    }
    labels = distinct_labels(people, same_department)
    assert labels[1] == "Maria Brown (m.brown@…)"
    assert labels[2] == "Maria Brown (maria.b@…)"
    same_local_part = {
        1: UserDetails(1, "m.brown@a.example"),
        2: UserDetails(2, "m.brown@b.example"),
    }
    assert distinct_labels(people, same_local_part)[2] == "Maria Brown (m.brown@b.example)"


def test_without_details_namesakes_show_their_id() -> None:
    people = {17: "Maria Brown", 4: "Maria Brown"}
    assert distinct_labels(people, {}) == {17: "Maria Brown (ID 17)", 4: "Maria Brown (ID 4)"}
    one_known = {17: UserDetails(17, departments=("Sales",))}
    assert distinct_labels(people, one_known)[4] == "Maria Brown (ID 4)"
