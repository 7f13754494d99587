"""Each command against a loopback sandbox: what it prints where, and what it changes."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from cli_support import Cli, Sandbox, start_sandbox
from keyring_double import MemoryKeyring

from b24desk.cli.console import EXIT_CONNECTION, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from b24desk.core import paths
from b24desk.core.credentials import SERVICE_NAME
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.journal import Journal, TaskResult, TaskSnapshot
from b24desk.sandbox import FaultPlan, SandboxTask


def completed(sandbox: Sandbox, where: object = None) -> list[SandboxTask]:
    tasks = [t for t in sandbox.portal.tasks.values() if t.status == 5]
    if callable(where):
        tasks = [t for t in tasks if where(t)]
    return sorted(tasks, key=lambda t: t.id)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


# --- profile ---------------------------------------------------------------------------------


def test_profile_add_list_check_remove(
    cli: Cli, sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    added = cli("profile", "add", "Main", "--webhook", f"  {sandbox.url}profile.json ")
    assert added.code == EXIT_OK
    assert 'Saved the profile "Main"' in added.err
    assert memory_keyring.entries == {(SERVICE_NAME, "Main:webhook_code"): sandbox.code}

    listed = cli("profile", "list")
    assert listed.out_lines == [f"Main\t{sandbox.base}\twebhook\trate auto  (last used)"]
    as_json = json_lines(cli("profile", "list", "--json").out)
    assert as_json == [
        {
            "name": "Main",
            "portal_url": sandbox.base,
            "auth_kind": "webhook",
            "webhook_user_id": 1,
            "oauth_client_id": None,
            "rate_preset": "auto",
            "last_used": True,
        }
    ]

    checked = cli("profile", "check", "Main")
    assert checked.code == EXIT_OK
    assert checked.out.strip().startswith(f"Connected to {sandbox.base.split('//')[1]} as ")
    verdict = json_lines(cli("profile", "check", "--json").out)[0]  # the last used one
    assert (verdict["ok"], verdict["verdict"], verdict["admin"]) == (True, "ready", True)

    removed = cli("profile", "remove", "main")
    assert removed.code == EXIT_OK
    assert memory_keyring.entries == {}
    assert cli("profile", "list").out == ""


def test_profile_check_of_a_webhook_without_task_scope(cli: Cli) -> None:
    for sandbox in start_sandbox(webhook_scopes=("user",)):
        result = cli("profile", "check", "--webhook", sandbox.url, "--json")
        assert result.code == EXIT_CONNECTION
        verdict = json_lines(result.out)[0]
        assert verdict["verdict"] == "no_task_scope"
        assert "add Tasks (task) to its permissions" in str(verdict["message"])


def test_profile_list_when_empty(cli: Cli) -> None:
    result = cli("profile", "list")
    assert result.code == EXIT_OK
    assert result.out == ""
    assert "no saved profiles yet" in result.err


def test_profile_remove_works_without_a_password_store(
    cli: Cli, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends import fail

    assert cli("profile", "add", "Main", "--webhook", sandbox.url).code == EXIT_OK
    monkeypatch.setattr("keyring.get_keyring", lambda: fail.Keyring())
    removed = cli("profile", "remove", "Main")
    assert removed.code == EXIT_OK, removed.err
    assert 'Removed the profile "Main".' in removed.err
    assert '"Main:…"' in removed.err
    assert sandbox.code not in removed.err
    assert cli("profile", "list").out == ""


def test_remove_unknown_profile(cli: Cli) -> None:
    result = cli("profile", "remove", "Ghost")
    assert result.code == EXIT_USAGE
    assert '"Ghost"' in result.err


# --- tasks list ------------------------------------------------------------------------------


def test_tasks_list_json_has_every_completed_task_once(cli: Cli, sandbox: Sandbox) -> None:
    result = cli("tasks", "list", "--webhook", sandbox.url, "--json")
    assert result.code == EXIT_OK
    rows = json_lines(result.out)
    expected = completed(sandbox)
    assert [r["id"] for r in rows] == [t.id for t in expected]
    first, task = rows[0], expected[0]
    assert (first["title"], first["status"], first["status_name"]) == (task.title, 5, "Completed")
    assert first["responsible_id"] == task.responsible_id
    assert datetime.fromisoformat(str(first["closed_date"])).tzinfo is not None
    assert f"Found {len(expected)} completed tasks." in result.err


def test_tasks_list_plain_is_one_line_per_task(cli: Cli, sandbox: Sandbox) -> None:
    result = cli("tasks", "list", "--webhook", sandbox.url)
    lines = result.out_lines
    assert len(lines) == len(completed(sandbox))
    task_id, closed, _who, title = lines[0].split("\t")
    assert int(task_id) == completed(sandbox)[0].id
    assert datetime.strptime(closed, "%Y-%m-%d %H:%M")
    assert title == " ".join(completed(sandbox)[0].title.split())


def test_tasks_list_filters(cli: Cli, sandbox: Sandbox) -> None:
    someone = completed(sandbox)[0].responsible_id
    by_person = json_lines(
        cli("tasks", "list", "--webhook", sandbox.url, "--responsible", str(someone), "--json").out
    )
    assert {r["id"] for r in by_person} == {
        t.id for t in completed(sandbox, lambda t: t.responsible_id == someone)
    }
    group = next(t.group_id for t in completed(sandbox) if t.group_id)
    in_group = json_lines(
        cli("tasks", "list", "--webhook", sandbox.url, "--group", str(group), "--json").out
    )
    assert in_group
    assert {r["group_id"] for r in in_group} == {group}
    word = completed(sandbox)[0].title.split()[0]
    found = json_lines(
        cli("tasks", "list", "--webhook", sandbox.url, "--search", word, "--json").out
    )
    assert found
    assert all(word.lower() in str(r["title"]).lower() for r in found)


def test_tasks_list_by_close_date(cli: Cli, sandbox: Sandbox) -> None:
    rows = json_lines(cli("tasks", "list", "--webhook", sandbox.url, "--json").out)
    days = sorted({datetime.fromisoformat(str(r["closed_date"])).date() for r in rows})
    middle = days[len(days) // 2]
    after = json_lines(
        cli(
            "tasks", "list", "--webhook", sandbox.url, "--json",
            "--closed-after", middle.isoformat(),
        ).out
    )  # fmt: skip
    on_day = json_lines(
        cli(
            "tasks", "list", "--webhook", sandbox.url, "--json",
            "--closed-after", middle.isoformat(), "--closed-before", middle.isoformat(),
        ).out
    )  # fmt: skip

    def day(row: dict[str, object]) -> date:
        return datetime.fromisoformat(str(row["closed_date"])).date()

    assert {r["id"] for r in after} == {r["id"] for r in rows if day(r) >= middle}
    assert on_day
    assert {r["id"] for r in on_day} == {r["id"] for r in rows if day(r) == middle}


def test_tasks_list_from_the_environment_webhook(
    cli: Cli, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("B24DESK_WEBHOOK", sandbox.url)
    result = cli("tasks", "list", "--json")
    assert result.code == EXIT_OK
    assert len(result.out_lines) == len(completed(sandbox))


# --- tasks renew -----------------------------------------------------------------------------


def test_renew_ids_plain(cli: Cli, sandbox: Sandbox) -> None:
    ids = sandbox.completed_ids(3)
    result = cli("tasks", "renew", *map(str, ids), "--webhook", sandbox.url)
    assert result.code == EXIT_OK
    assert result.out_lines == [f"{i}\treopened" for i in ids]
    assert all(sandbox.portal.tasks[i].status == 2 for i in ids)
    run_id = json_lines(cli("journal", "--json").out)[-1]["run_id"]
    assert f"To undo it: b24desk undo {run_id}" in result.err
    assert "reopening: 3 of 3 done" in result.err


def test_renew_json_skips_a_task_started_meanwhile(cli: Cli, sandbox: Sandbox) -> None:
    ids = sandbox.completed_ids(2)
    sandbox.portal.tasks[ids[1]].status = 3  # someone started on it meanwhile
    result = cli("tasks", "renew", *map(str, ids), "--webhook", sandbox.url, "--json")
    assert result.code == EXIT_OK
    rows = json_lines(result.out)
    assert [(r["id"], r["outcome"]) for r in rows] == [(ids[0], "renewed"), (ids[1], "skipped")]
    assert "in progress" in str(rows[1]["reason"])
    assert len({r["run_id"] for r in rows}) == 1
    assert sandbox.portal.tasks[ids[1]].status == 3


def test_renew_without_precheck_reads_nothing_first(cli: Cli, sandbox: Sandbox) -> None:
    ids = sandbox.completed_ids(2)
    result = cli("tasks", "renew", *map(str, ids), "--no-precheck", "--webhook", sandbox.url)
    assert result.code == EXIT_OK
    assert sandbox.portal.method_calls["tasks.task.get"] == 0
    assert sandbox.portal.method_calls["tasks.task.renew"] == 2


def test_renew_from_the_json_lines_of_tasks_list(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    word = completed(sandbox)[0].title.split()[0]
    listed = cli("tasks", "list", "--webhook", sandbox.url, "--search", word, "--json")
    chosen = tmp_path / "chosen.jsonl"
    chosen.write_text("\n".join(listed.out_lines[:4]) + "\n", encoding="utf-8")
    ids = [int(str(json.loads(line)["id"])) for line in listed.out_lines[:4]]
    result = cli("tasks", "renew", "--from", str(chosen), "--webhook", sandbox.url, "--json")
    assert result.code == EXIT_OK
    assert [r["id"] for r in json_lines(result.out)] == ids
    assert all(sandbox.portal.tasks[i].status == 2 for i in ids)


def test_renew_from_standard_input(
    cli: Cli, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sandbox.completed_ids(2)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{ids[0]}\n{ids[1]}\n{ids[0]}\n"))
    result = cli("tasks", "renew", "--from", "-", "--webhook", sandbox.url)
    assert result.code == EXIT_OK
    assert result.out_lines == [f"{i}\treopened" for i in ids]  # the repeat is renewed once


def test_renew_with_lost_answers_reads_back_and_reports_no_false_failure(cli: Cli) -> None:
    for sandbox in start_sandbox(faults=FaultPlan.parse("on:tasks.task.renew=lost")):
        ids = sandbox.completed_ids(3)
        result = cli("tasks", "renew", *map(str, ids), "--webhook", sandbox.url, "--json")
        assert result.code == EXIT_OK, result.err
        assert {r["outcome"] for r in json_lines(result.out)} == {"renewed"}


def test_renew_failure_is_exit_1_with_the_reason(cli: Cli) -> None:
    for sandbox in start_sandbox(faults=FaultPlan.parse("on:tasks.task.renew=html500*all")):
        ids = sandbox.completed_ids(1)
        result = cli("tasks", "renew", str(ids[0]), "--webhook", sandbox.url)
        assert result.code == EXIT_PARTIAL
        assert result.out_lines[0].startswith(f"{ids[0]}\tfailed: ")
        assert "1 task needs attention (see above)." in result.err
        assert "need attention" not in result.err


# --- journal and undo ------------------------------------------------------------------------


def test_journal_lists_runs_and_filters_by_portal(cli: Cli, sandbox: Sandbox) -> None:
    assert cli("journal").code == EXIT_OK
    ids = sandbox.completed_ids(2)
    cli("tasks", "renew", str(ids[0]), "--webhook", sandbox.url)
    cli("tasks", "renew", str(ids[1]), "--webhook", sandbox.url)
    runs = json_lines(cli("journal", "--json").out)
    assert [r["kind"] for r in runs] == ["renew", "renew"]
    assert all(r["outcomes"] == {"renewed": 1} and r["portal"] == sandbox.base for r in runs)
    plain = cli("journal").out_lines
    assert [line.split("\t")[0] for line in plain] == [r["run_id"] for r in runs]
    assert plain[0].endswith("1 task: 1 reopened")
    other = "https://other.bitrix24.com/rest/1/fakewebhookcode0000/"
    filtered = cli("journal", "--webhook", other)
    assert (filtered.out, filtered.code) == ("", EXIT_OK)
    assert "no runs yet for this portal" in filtered.err


def test_undo_completes_the_tasks_again(cli: Cli, sandbox: Sandbox) -> None:
    ids = sandbox.completed_ids(3)
    cli("tasks", "renew", *map(str, ids), "--webhook", sandbox.url)
    run_id = str(json_lines(cli("journal", "--json").out)[-1]["run_id"])
    result = cli("undo", run_id, "--webhook", sandbox.url, "--json")
    assert result.code == EXIT_OK
    assert {r["outcome"] for r in json_lines(result.out)} == {"recompleted"}
    assert all(sandbox.portal.tasks[i].status in (4, 5) for i in ids)
    runs = json_lines(cli("journal", "--json").out)
    assert (runs[-1]["kind"], runs[-1]["parent"]) == ("undo", run_id)
    again = cli("undo", str(runs[-1]["run_id"]), "--webhook", sandbox.url)
    assert again.code == EXIT_USAGE
    assert "is itself an undo" in again.err


def test_undo_finds_the_profile_of_the_runs_portal(cli: Cli, sandbox: Sandbox) -> None:
    cli("profile", "add", "Main", "--webhook", sandbox.url)
    cli("profile", "add", "Other", "--webhook", "https://other.bitrix24.com/rest/1/abcdefgh0000/")
    task = sandbox.completed_ids(1)[0]
    cli("tasks", "renew", str(task), "--profile", "Main")
    run_id = str(json_lines(cli("journal", "--json").out)[-1]["run_id"])
    result = cli("undo", run_id)  # last used is "Other"; the run says which portal
    assert result.code == EXIT_OK, result.err
    assert sandbox.portal.tasks[task].status in (4, 5)


def test_undo_on_another_portal_is_refused(cli: Cli, sandbox: Sandbox) -> None:
    task = sandbox.completed_ids(1)[0]
    cli("tasks", "renew", str(task), "--webhook", sandbox.url)
    run_id = str(json_lines(cli("journal", "--json").out)[-1]["run_id"])
    other = "https://other.bitrix24.com/rest/1/fakewebhookcode0000/"
    result = cli("undo", run_id, "--webhook", other)
    assert result.code == EXIT_USAGE
    assert f"was made on {sandbox.base}" in result.err
    assert sandbox.portal.tasks[task].status == 2


def test_undo_of_a_run_that_reopened_nothing(cli: Cli, sandbox: Sandbox) -> None:
    task = sandbox.completed_ids(1)[0]
    sandbox.portal.tasks[task].status = 3
    cli("tasks", "renew", str(task), "--webhook", sandbox.url)
    run_id = str(json_lines(cli("journal", "--json").out)[-1]["run_id"])
    result = cli("undo", run_id, "--webhook", sandbox.url)
    assert result.code == EXIT_OK
    assert "nothing to undo" in result.err
    assert sandbox.portal.method_calls["tasks.task.complete"] == 0


def test_undo_that_leaves_changed_tasks_alone_is_exit_1(cli: Cli, sandbox: Sandbox) -> None:
    ids = sandbox.completed_ids(2)
    cli("tasks", "renew", *map(str, ids), "--webhook", sandbox.url)
    sandbox.portal.tasks[ids[0]].status = 3  # someone is working on it again
    run_id = str(json_lines(cli("journal", "--json").out)[-1]["run_id"])
    result = cli("undo", run_id, "--webhook", sandbox.url)
    assert result.code == EXIT_PARTIAL
    lines = dict(line.split("\t", 1) for line in result.out_lines)
    assert lines[str(ids[0])].startswith("skipped: Left as is")
    assert lines[str(ids[1])].startswith("completed again")


# --- the log file ----------------------------------------------------------------------------


def test_commands_log_to_the_data_folder(cli: Cli, sandbox: Sandbox) -> None:
    cli("tasks", "renew", str(sandbox.completed_ids(1)[0]), "--webhook", sandbox.url)
    log = paths.log_path().read_text(encoding="utf-8")
    assert "session opened for" in log
    assert "finished" in log
    assert sandbox.code not in log


def test_journal_says_what_to_do_about_interrupted_runs(cli: Cli) -> None:
    journal = Journal(paths.journal_path())
    portal = "https://example.bitrix24.com"
    tasks = [TaskSnapshot(i, 5) for i in (11, 12, 13, 14)]
    renewed = [TaskResult(11, TaskOutcome.RENEWED)]
    journal.start_run("r-inflight", kind="renew", portal=portal, tasks=tasks)
    journal.record_attempt("r-inflight", [11, 12, 13])
    journal.record_results("r-inflight", renewed)
    journal.start_run("r-unsent", kind="renew", portal=portal, tasks=tasks[:3])
    journal.record_attempt("r-unsent", [11])
    journal.record_results("r-unsent", renewed)
    journal.start_run("u-unsent", kind="undo", portal=portal, tasks=tasks[:2], parent="r-unsent")
    journal.start_run("r-settled", kind="renew", portal=portal, tasks=tasks[:1])
    journal.record_results("r-settled", renewed)
    journal.start_run("r-done", kind="renew", portal=portal, tasks=tasks[:1])
    journal.record_results("r-done", renewed)
    journal.finish_run("r-done", cancelled=False)

    notes = {line.split("\t")[0]: line for line in cli("journal").out_lines}
    assert (
        "(interrupted: check tasks 12, 13 in Bitrix24, the run stopped while sending)"
        in (notes["r-inflight"])
    )
    assert "(interrupted: 2 tasks never sent, renew them again)" in notes["r-unsent"]
    assert "(interrupted: 2 tasks never sent, run b24desk undo r-unsent again" in notes["u-unsent"]
    assert "(interrupted after its last task: nothing is left to check)" in notes["r-settled"]
    assert "interrupted" not in notes["r-done"]
    as_json = {r["run_id"]: r for r in json_lines(cli("journal", "--json").out)}
    assert as_json["r-inflight"]["unsettled"] == [12, 13]
    assert as_json["r-done"]["unsettled"] == []
