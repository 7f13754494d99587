"""`b24desk undo` restores what a run changed (issue 11 §4): complete, then approve where
task control asks for it; the journal marks the run undone; a second undo is refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from cli_support import Cli, Sandbox, start_sandbox

from b24desk.sandbox.model import SandboxTask


def lands_on_control(user: int) -> Callable[[SandboxTask], bool]:
    return lambda t: t.task_control and t.created_by not in (user, t.responsible_id)


def pick(portal: Sandbox, count: int, where: Callable[[SandboxTask], bool]) -> list[int]:
    ids = sorted(t.id for t in portal.portal.tasks.values() if t.status == 5 and where(t))
    assert len(ids) >= count
    return ids[:count]


@pytest.fixture
def admin_portal() -> Iterator[Sandbox]:
    yield from start_sandbox()


@pytest.fixture
def user_portal() -> Iterator[Sandbox]:
    yield from start_sandbox(admin=False)


def renew_then_undo(cli: Cli, portal: Sandbox, ids: list[int]) -> tuple[str, list[str]]:
    renewed = cli("tasks", "renew", *map(str, ids), "--webhook", portal.url, "--json")
    assert renewed.code == 0, renewed.err
    run_id = json.loads(renewed.out_lines[0])["run_id"]
    undone = cli("undo", run_id, "--webhook", portal.url)
    assert undone.code == 0, undone.err
    return run_id, [undone.out, undone.err]


def test_an_admin_undo_puts_controlled_tasks_back_to_completed(
    cli: Cli, admin_portal: Sandbox
) -> None:
    controlled = pick(admin_portal, 3, lands_on_control(1))
    ids = controlled + pick(admin_portal, 2, lambda t: not lands_on_control(1)(t))
    run_id, (_out, err) = renew_then_undo(cli, admin_portal, ids)

    assert all(admin_portal.portal.tasks[i].status == 5 for i in ids)
    assert "3 tasks have task control: b24desk accepts them" in err
    journal = [json.loads(line) for line in cli("journal", "--json").out_lines]
    run = next(r for r in journal if r["run_id"] == run_id)
    assert run["undone"]["completed_again"] == 5
    assert run["undone"]["awaiting_approval"] == 0
    assert "undone " in cli("journal").out
    again = cli("undo", run_id, "--webhook", admin_portal.url)
    assert again.code == 0
    assert "already been undone" in again.err
    assert admin_portal.portal.method_calls["tasks.task.complete"] == 5


def test_a_user_who_may_not_approve_hears_it_before_and_per_task(
    cli: Cli, user_portal: Sandbox
) -> None:
    mine = lands_on_control(1)
    ids = pick(user_portal, 2, lambda t: mine(t) and t.responsible_id == 1)
    run_id, (out, err) = renew_then_undo(cli, user_portal, ids)

    assert all(user_portal.portal.tasks[i].status == 4 for i in ids)
    assert "2 tasks have task control and your user is not their creator" in err
    for task_id in ids:
        assert f"{task_id}\tcompleted, awaiting the creator's approval" in out
    journal = [json.loads(line) for line in cli("journal", "--json").out_lines]
    run = next(r for r in journal if r["run_id"] == run_id)
    assert run["undone"]["awaiting_approval"] == 2
