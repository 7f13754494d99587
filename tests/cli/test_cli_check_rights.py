"""`b24desk tasks renew --check` (issue 11 §3): one JSON line per task saying whether this
user may reopen it; nothing is changed on the portal."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cli_support import Cli, Sandbox, start_sandbox

from b24desk.sandbox.access import caller_for, renew_allowed


@pytest.fixture
def user_portal() -> Iterator[Sandbox]:
    yield from start_sandbox(admin=False)


def test_check_prints_each_task_and_changes_nothing(cli: Cli, user_portal: Sandbox) -> None:
    portal = user_portal.portal
    caller = caller_for(portal.data, 1)
    visible = [t for t in portal.tasks.values() if t.status == 5 and 1 in t.participants()]
    may = sorted(t.id for t in visible if renew_allowed(caller, t))[:2]
    may_not = sorted(t.id for t in visible if not renew_allowed(caller, t))[:2]
    assert len(may) == len(may_not) == 2
    before = {t.id: (t.status, t.changed_date) for t in portal.tasks.values()}

    checked = cli(
        "tasks",
        "renew",
        *map(str, may + may_not),
        "--check",
        "--json",
        "--webhook",
        user_portal.url,
    )

    assert checked.code == 1, checked.err
    rows = {row["id"]: row for row in map(json.loads, checked.out_lines)}
    assert [rows[i]["can_renew"] for i in may + may_not] == [True, True, False, False]
    assert rows[may[0]]["outcome"] == "can_renew"
    assert rows[may_not[0]]["outcome"] == "not_allowed"
    assert rows[may_not[0]]["reason"].startswith("Only its creator")
    assert "You may reopen 2 of 4 tasks; nothing was changed." in checked.err
    assert {t.id: (t.status, t.changed_date) for t in portal.tasks.values()} == before
    assert portal.method_calls.get("tasks.task.renew", 0) == 0
    assert "no runs" in cli("journal").err


def test_check_and_no_precheck_do_not_go_together(cli: Cli, user_portal: Sandbox) -> None:
    result = cli("tasks", "renew", "5", "--check", "--no-precheck", "--webhook", user_portal.url)
    assert result.code == 2
    assert "--check" in result.err
