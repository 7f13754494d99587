"""Bad input gets one clear sentence and the right exit code; the window entry point."""

from __future__ import annotations

import getpass
import importlib.machinery
import io
import sys
import types
from pathlib import Path

import keyring
import pytest
from cli_support import Cli, Sandbox, closed_port, start_sandbox
from keyring.backends import fail
from keyring_double import MemoryKeyring

from b24desk import __version__
from b24desk.cli.console import (
    EXIT_CONNECTION,
    EXIT_DISK,
    EXIT_KEYRING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
)
from b24desk.core import paths
from b24desk.core.credentials import SERVICE_NAME
from b24desk.core.session import default_connections


def one_message(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# --- the window and the basics ---------------------------------------------------------------


def test_no_command_without_a_window_module_says_so(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "b24desk.ui.app", None)  # `import` fails as if missing
    result = cli()
    assert result.code == 1
    assert one_message(result.err) == "the window is not available yet"


def test_no_command_runs_the_window_with_the_arguments(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    fake = types.ModuleType("b24desk.ui.app")
    fake.__spec__ = importlib.machinery.ModuleSpec("b24desk.ui.app", None)
    fake.run = lambda args: seen.append(args.demo) or 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "b24desk.ui.app", fake)
    assert cli("--demo").code == 7
    assert seen == [True]


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == EXIT_OK
    assert result.out.strip() == f"b24desk {__version__}"


def test_help_exits_cleanly(cli: Cli) -> None:
    result = cli("tasks", "renew", "--help")
    assert result.code == EXIT_OK
    assert "--no-precheck" in result.out


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["tasks"], "the following arguments are required: ACTION"),
        (["tasks", "list", "--closed-after", "2025-02-30"], "write it as YEAR-MONTH-DAY"),
        (["tasks", "list", "--closed-before", "yesterday"], "'yesterday' is not a date"),
        (["tasks", "list", "--responsible", "anna"], "'anna' is not an id"),
        (["tasks", "list", "--group", "-1"], "'-1' is not an id"),
        (["tasks", "renew", "12", "x7"], "'x7' is not an id"),
        (["profile", "add", "Main"], "the following arguments are required: --webhook"),
        (["profile", "add", "Main", "--webhook", "u", "--rate", "fast"], "not a rate preset"),
        (["undo"], "the following arguments are required: RUN_ID"),
    ],
)
def test_usage_errors(cli: Cli, argv: list[str], phrase: str) -> None:
    result = cli(*argv)
    assert result.code == EXIT_USAGE
    message = one_message(result.err)
    assert phrase in message
    assert "--help" in message
    assert result.out == ""


def test_closed_after_later_than_closed_before(cli: Cli, sandbox: Sandbox) -> None:
    result = cli(
        "tasks", "list", "--webhook", sandbox.url, "--closed-after", "2025-05-02",
        "--closed-before", "2025-05-01",
    )  # fmt: skip
    assert result.code == EXIT_USAGE
    assert "swap the dates" in one_message(result.err)
    assert sandbox.portal.http_requests == 0


# --- which portal ----------------------------------------------------------------------------


def test_unknown_profile(cli: Cli) -> None:
    result = cli("tasks", "list", "--profile", "Nope")
    assert result.code == EXIT_USAGE
    assert 'no connection profile named "Nope"' in one_message(result.err)


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("http://example.bitrix24.com/rest/1/fakewebhookcode0000/", "uses http://"),
        ("https://example.bitrix24.com/", "only the address of your portal"),
        ("https://example.bitrix24.com/rest/1/", "webhook code after the user id is missing"),
        ("mailto:anna@example.com", "must start with https://"),
    ],
)
def test_bad_webhook_urls(cli: Cli, url: str, phrase: str) -> None:
    result = cli("tasks", "list", "--webhook", url)
    assert result.code == EXIT_USAGE
    message = one_message(result.err)
    assert phrase in message
    assert "fakewebhookcode0000" not in message


def test_bad_webhook_in_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("B24DESK_WEBHOOK", "https://example.bitrix24.com/tasks/")
    result = cli("journal", "--webhook", "https://example.bitrix24.com/")
    assert result.code == EXIT_USAGE
    assert "only the address of your portal, not of a webhook" in one_message(result.err)


def test_no_portal_named_at_all(cli: Cli) -> None:
    result = cli("tasks", "list")
    assert result.code == EXIT_USAGE
    assert "b24desk profile add NAME --webhook URL" in one_message(result.err)


def test_profile_and_webhook_together(cli: Cli, sandbox: Sandbox) -> None:
    result = cli("tasks", "list", "--profile", "Main", "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    assert "use only one of them" in one_message(result.err)


def test_duplicate_profile_name(cli: Cli, sandbox: Sandbox) -> None:
    assert cli("profile", "add", "Main", "--webhook", sandbox.url).code == EXIT_OK
    result = cli("profile", "add", "main", "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    assert "Main" in one_message(result.err)


def test_demo_with_a_command_explains_the_sandbox(cli: Cli) -> None:
    result = cli("--demo", "journal")
    assert result.code == EXIT_USAGE
    assert "python -m b24desk.sandbox" in one_message(result.err)


# --- task ids for renew ----------------------------------------------------------------------


def test_renew_without_ids(cli: Cli, sandbox: Sandbox) -> None:
    result = cli("tasks", "renew", "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    assert "No task ids were given" in one_message(result.err)


def test_renew_with_ids_and_a_file(cli: Cli, sandbox: Sandbox, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("12\n", encoding="utf-8")
    result = cli("tasks", "renew", "12", "--from", str(ids), "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    assert "not both" in one_message(result.err)


def test_bad_lines_are_listed_with_their_numbers_and_nothing_is_renewed(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    good = sandbox.completed_ids(2)
    ids = tmp_path / "ids.txt"
    ids.write_text(
        f'# chosen by Anna\n{good[0]}\n\nabc\n{{"id": {good[1]}}}\n{{"title": "x"}}\n'
        "{broken json\n0\n",
        encoding="utf-8",
    )
    result = cli("tasks", "renew", "--from", str(ids), "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    lines = result.err.splitlines()
    assert lines[0] == (
        f"b24desk: 4 lines of {ids} could not be read as task ids, so nothing was renewed:"
    )
    assert lines[1:] == [
        "  line 4: 'abc' is not a task id (a whole number above 0)",
        '  line 6: the JSON object has no "id"',
        "  line 7: it starts like JSON but is not valid JSON",
        "  line 8: '0' is not a task id (a whole number above 0)",
    ]
    assert sandbox.portal.http_requests == 0
    assert all(sandbox.portal.tasks[i].status == 5 for i in good)


def test_many_bad_lines_are_cut_short(cli: Cli, sandbox: Sandbox, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("x\n" * 25, encoding="utf-8")
    result = cli("tasks", "renew", "--from", str(ids), "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    assert result.err.splitlines()[-1] == "  ... and 5 more"


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (None, "could not be read (No such file or directory)"),
        (b"# nothing here\n\n", "has no task ids in it"),
        (b"\xff\xfe1\x002\x00", "is not a text file"),
    ],
)
def test_unusable_id_files(
    cli: Cli, sandbox: Sandbox, tmp_path: Path, content: bytes | None, phrase: str
) -> None:
    ids = tmp_path / "ids.txt"
    if content is not None:
        ids.write_bytes(content)
    result = cli("tasks", "renew", "--from", str(ids), "--webhook", sandbox.url)
    assert result.code == EXIT_USAGE
    assert phrase in one_message(result.err)


# --- the other exit codes --------------------------------------------------------------------


def test_no_password_store_is_exit_4(cli: Cli, sandbox: Sandbox) -> None:
    keyring.set_keyring(fail.Keyring())  # the fixture puts the previous backend back
    result = cli("profile", "add", "Main", "--webhook", sandbox.url)
    assert result.code == EXIT_KEYRING
    message = one_message(result.err)
    assert "No password store is available" in message
    assert "pass --webhook URL" in message
    assert not paths.profiles_path().exists()


def test_unreadable_profiles_file_is_exit_5(cli: Cli) -> None:
    paths.profiles_path().mkdir(parents=True)  # a folder where the file should be
    result = cli("profile", "list")
    assert result.code == EXIT_DISK
    assert "could not be read" in one_message(result.err)


def test_unwritable_journal_is_exit_5_and_nothing_is_renewed(cli: Cli, sandbox: Sandbox) -> None:
    paths.journal_path().mkdir(parents=True)  # the journal cannot be opened for appending
    task = sandbox.completed_ids(1)[0]
    result = cli("tasks", "renew", str(task), "--webhook", sandbox.url)
    assert result.code == EXIT_DISK
    assert "its journal" in result.err
    assert sandbox.portal.tasks[task].status == 5


def test_unreachable_portal_is_exit_3(cli: Cli) -> None:
    url = f"http://127.0.0.1:{closed_port()}/rest/1/fakewebhookcode0000/"
    result = cli("tasks", "list", "--webhook", url)
    assert result.code == EXIT_CONNECTION
    assert "Nothing answers at the address 127.0.0.1:" in result.err.splitlines()[-1]
    assert result.out == ""


def test_oauth_profile_that_is_not_signed_in_is_exit_3(cli: Cli) -> None:
    default_connections().add_oauth(
        "App", "https://example.bitrix24.com", "local.app.1", "FAKE-CLIENT-SECRET"
    )
    result = cli("tasks", "list", "--profile", "App")
    assert result.code == EXIT_CONNECTION
    assert "not signed in to Bitrix24 yet" in one_message(result.err)


def test_wrong_code_is_exit_3_for_check_and_for_work(cli: Cli, sandbox: Sandbox) -> None:
    wrong = sandbox.url.replace(sandbox.code, "wrongcode0000000")
    check = cli("profile", "check", "--webhook", wrong)
    assert check.code == EXIT_CONNECTION
    assert "did not accept this webhook" in check.out
    work = cli("tasks", "renew", "5", "--webhook", wrong)
    assert work.code == EXIT_CONNECTION
    assert "did not accept this webhook" in work.err.splitlines()[-1]


def test_tasks_that_were_not_allowed_give_exit_1(cli: Cli) -> None:
    for sandbox in start_sandbox(admin=False):
        me = sandbox.portal.config.user_id
        tasks = sandbox.portal.tasks.values()
        foreign = next(
            t.id
            for t in tasks
            if t.status == 5
            and me not in (t.created_by, t.responsible_id, *t.accomplices, *t.auditors)
        )
        mine = next(t.id for t in tasks if t.status == 5 and t.responsible_id == me)
        missing = max(sandbox.portal.tasks) + 100
        result = cli(
            "tasks", "renew", str(mine), str(foreign), str(missing), "--webhook", sandbox.url
        )
        assert result.code == EXIT_PARTIAL
        assert sandbox.portal.tasks[mine].status == 2
        assert result.out_lines[0] == f"{mine}\treopened"
        assert result.out_lines[1].startswith(f"{foreign}\tskipped: ")
        assert result.out_lines[2] == (
            f"{missing}\tskipped: The task was deleted or you can no longer see it."
        )
        assert "2 tasks need attention" in result.err


# --- certificate authority files -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"this is not a certificate\n", "is not a PEM certificate file"),
        (b"\x00\x01\x02binary", "is not a PEM certificate file"),
        (b"", "is not a PEM certificate file"),
        (None, "does not exist"),
    ],
)
def test_unusable_ca_file_is_a_usage_error_before_any_request(
    cli: Cli, sandbox: Sandbox, tmp_path: Path, content: bytes | None, phrase: str
) -> None:
    ca_file = tmp_path / "company-ca.pem"
    if content is not None:
        ca_file.write_bytes(content)
    result = cli("tasks", "list", "--webhook", sandbox.url, "--ca-bundle", str(ca_file))
    assert result.code == EXIT_USAGE
    message = one_message(result.err)
    assert phrase in message
    assert str(ca_file) in message
    assert "unexpected error" not in message
    assert sandbox.portal.http_requests == 0


def test_unusable_ca_file_saved_in_a_profile_is_a_usage_error(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    ca_file = tmp_path / "company-ca.pem"
    ca_file.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n", encoding="utf-8")
    assert (
        cli("profile", "add", "Own", "--webhook", sandbox.url, "--ca-bundle", str(ca_file)).code
        == EXIT_OK
    )
    result = cli("profile", "check", "Own")
    assert result.code == EXIT_USAGE
    assert "is not a PEM certificate file" in one_message(result.err)


# --- the webhook from standard input ---------------------------------------------------------


class TerminalInput(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_webhook_dash_reads_the_url_from_a_pipe(
    cli: Cli, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"  {sandbox.url}\nignored second line\n"))
    result = cli("tasks", "list", "--webhook", "-")
    assert result.code == EXIT_OK, result.err
    completed = sum(1 for t in sandbox.portal.tasks.values() if t.status == 5)
    assert len(result.out_lines) == completed
    assert sandbox.code not in result.out + result.err


def test_webhook_dash_prompts_without_echo_on_a_terminal(
    cli: Cli, sandbox: Sandbox, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str = "", stream: object = None) -> str:
        prompts.append(prompt)
        assert stream is sys.stderr, "the prompt must not mix with the results on stdout"
        return sandbox.url

    monkeypatch.setattr(sys, "stdin", TerminalInput(""))
    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    result = cli("profile", "add", "Main", "--webhook", "-")
    assert result.code == EXIT_OK, result.err
    assert prompts == ["Webhook URL (not shown): "]
    assert memory_keyring.entries == {(SERVICE_NAME, "Main:webhook_code"): sandbox.code}


@pytest.mark.parametrize("stdin", ["\n\n  {url}\n", "\r\n\t\r\n{url}", "{url}\n\n"])
def test_webhook_dash_skips_blank_lines_before_the_url(
    cli: Cli, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, stdin: str
) -> None:
    # A paste from a browser or a chat often starts with an empty line.
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin.format(url=sandbox.url)))
    result = cli("profile", "check", "--webhook", "-")
    assert result.code == EXIT_OK, result.err
    assert sandbox.code not in result.out + result.err


@pytest.mark.parametrize("stdin", ["", "\n", "   \n", "\n\n \t\n\r\n"])
def test_webhook_dash_with_nothing_on_stdin(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, stdin: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    result = cli("tasks", "list", "--webhook", "-")
    assert result.code == EXIT_USAGE
    assert "found no webhook URL on standard input" in one_message(result.err)
    assert "only blank lines" in one_message(result.err)


def test_webhook_dash_cancelled_at_the_prompt(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def cancelled(prompt: str = "", stream: object = None) -> str:
        raise EOFError

    monkeypatch.setattr(sys, "stdin", TerminalInput(""))
    monkeypatch.setattr(getpass, "getpass", cancelled)
    result = cli("journal", "--webhook", "-")
    assert result.code == EXIT_USAGE
    assert "found no webhook URL" in one_message(result.err)


def test_webhook_and_ids_cannot_both_come_from_stdin(
    cli: Cli, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{sandbox.url}\n12\n"))
    result = cli("tasks", "renew", "--from", "-", "--webhook", "-")
    assert result.code == EXIT_USAGE
    assert "both want standard input" in one_message(result.err)
    assert sandbox.portal.http_requests == 0


@pytest.mark.parametrize("argv", [["tasks", "list"], ["profile", "add"], ["journal"]])
def test_help_says_how_to_keep_the_code_out_of_ps_and_history(cli: Cli, argv: list[str]) -> None:
    result = cli(*argv, "--help")
    assert result.code == EXIT_OK
    text = " ".join(result.out.split())
    assert "out of the process list and the shell history" in text
    if argv == ["profile", "add"]:
        assert "--webhook - keeps the webhook code" in text
    else:
        assert "$B24DESK_WEBHOOK or --webhook - keep the webhook code" in text
