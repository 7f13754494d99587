"""`b24desk tasks renew --comment` (issue 11 §5): a comment on every reopened task; a
refusal is said per task, and the task stays reopened."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cli_support import Cli, Sandbox, start_sandbox

from b24desk.sandbox import errors
from b24desk.sandbox.methods import MethodSpec


@pytest.fixture
def portal() -> Iterator[Sandbox]:
    yield from start_sandbox()


def test_every_reopened_task_gets_the_comment(cli: Cli, portal: Sandbox) -> None:
    ids = portal.completed_ids(3)
    text = "Reopened because the client came back"
    renewed = cli(
        "tasks", "renew", *map(str, ids), "--comment", text, "--webhook", portal.url, "--json"
    )
    assert renewed.code == 0, renewed.err
    rows = [json.loads(line) for line in renewed.out_lines]
    assert {r["outcome"] for r in rows} == {"renewed"}
    for task_id in ids:
        comments = portal.portal.tasks[task_id].comments
        assert [c.message for c in comments][-1] == text
    assert portal.portal.method_calls["task.commentitem.add"] == 3


def test_a_refused_comment_is_said_and_the_task_stays_reopened(cli: Cli, portal: Sandbox) -> None:
    ids = portal.completed_ids(2)

    def refuse(ctx: object, params: object) -> object:
        raise errors.core_error(errors.NO_COMMENT_RIGHTS)

    portal.portal.methods.table["task.commentitem.add"] = MethodSpec(refuse, ("task",))
    renewed = cli("tasks", "renew", *map(str, ids), "--comment", "x", "--webhook", portal.url)
    assert all(portal.portal.tasks[i].status == 2 for i in ids)
    assert renewed.out.count("The comment was not added.") == 2
