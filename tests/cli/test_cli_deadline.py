"""`b24desk tasks renew --deadline/--move-deadline/--only-overdue` (issue 11 §1)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cli_support import Cli, Sandbox, start_sandbox


@pytest.fixture
def portal() -> Iterator[Sandbox]:
    yield from start_sandbox()


def pick(portal: Sandbox, count: int, *, past: bool) -> list[int]:
    now = portal.portal.clock()
    ids = sorted(
        t.id
        for t in portal.portal.tasks.values()
        if t.status == 5
        and not t.task_control
        and t.deadline is not None
        and (t.deadline < now) == past
    )
    assert len(ids) >= count
    return ids[:count]


def test_move_only_the_overdue_deadlines_then_undo_puts_them_back(
    cli: Cli, portal: Sandbox
) -> None:
    tasks = portal.portal.tasks
    past, future = pick(portal, 2, past=True), pick(portal, 1, past=False)
    old = {i: tasks[i].deadline for i in past + future}
    renewed = cli(
        "tasks",
        "renew",
        *map(str, past + future),
        "--move-deadline",
        "1w",
        "--only-overdue",
        "--webhook",
        portal.url,
        "--json",
    )
    assert renewed.code == 0, renewed.err
    rows = {r["id"]: r for r in map(json.loads, renewed.out_lines)}
    for task_id in past:
        assert tasks[task_id].deadline == pytest.approx(old[task_id] + 7 * 86400)
        assert "New deadline: " in rows[task_id]["reason"]
    assert tasks[future[0]].deadline == old[future[0]]
    assert rows[future[0]]["reason"] == ""

    assert cli("undo", rows[past[0]]["run_id"], "--webhook", portal.url).code == 0
    assert {i: tasks[i].deadline for i in old} == old


def test_without_a_new_deadline_it_warns_of_tasks_overdue_at_once(
    cli: Cli, portal: Sandbox
) -> None:
    ids = pick(portal, 2, past=True)
    renewed = cli("tasks", "renew", *map(str, ids), "--webhook", portal.url)
    assert renewed.code == 0, renewed.err
    assert "2 tasks' deadlines have passed: they will be overdue" in renewed.err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--deadline", "20.12.2026"], "write it as 2026-12-20"),
        (["--move-deadline", "1000d"], "from 1 to 999"),
        (["--deadline", "2026-12-20", "--move-deadline", "7d"], "not both"),
        (["--only-overdue"], "goes with --deadline or --move-deadline"),
    ],
)
def test_bad_deadline_flags_say_what_is_wrong(
    cli: Cli, portal: Sandbox, flags: list[str], message: str
) -> None:
    result = cli("tasks", "renew", "5", *flags, "--webhook", portal.url)
    assert result.code == 2
    assert message in result.err
    assert portal.portal.method_calls.get("tasks.task.renew", 0) == 0
