"""Tasks awaiting control from the command line (issue 11 §2): listed on request, returned
for rework by an admin, left awaiting control again by undo."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cli_support import Cli, Sandbox, start_sandbox


@pytest.fixture
def portal() -> Iterator[Sandbox]:
    yield from start_sandbox()


def test_list_return_for_rework_and_undo(cli: Cli, portal: Sandbox) -> None:
    tasks = portal.portal.tasks
    waiting = sorted(
        t.id
        for t in tasks.values()
        if t.status == 4
        and 1 not in (t.created_by, t.responsible_id, *t.accomplices)
        # completing lands on 4 only when someone else has to accept the result
        and t.created_by != t.responsible_id
    )[:2]
    assert len(waiting) == 2
    plain = cli("tasks", "list", "--webhook", portal.url, "--json")
    assert not {json.loads(line)["id"] for line in plain.out_lines} & set(waiting)
    listed = cli("tasks", "list", "--webhook", portal.url, "--json", "--include-awaiting-control")
    rows = {json.loads(line)["id"]: json.loads(line) for line in listed.out_lines}
    assert all(rows[i]["status"] == 4 for i in waiting)

    renewed = cli("tasks", "renew", *map(str, waiting), "--webhook", portal.url, "--json")
    assert renewed.code == 0, renewed.err
    results = [json.loads(line) for line in renewed.out_lines]
    assert {r["outcome"] for r in results} == {"renewed"}
    assert all(r["reason"].startswith("Returned for rework") for r in results)
    assert all(tasks[i].status == 2 for i in waiting)

    undone = cli("undo", results[0]["run_id"], "--webhook", portal.url)
    assert undone.code == 0, undone.err
    assert all(tasks[i].status == 4 for i in waiting)
