"""The issue's end-to-end test: connect, list, renew, journal and undo through the CLI, then
search every file b24desk wrote (config, logs, journal, exports) and everything it printed
for the webhook code, and find it nowhere.

Run in this process (`main([...])`) and as `python -m b24desk` child processes, against a
sandbox portal served on loopback by this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import keyring
import pytest
from cli_keyring import KEYRING_FILE_ENV
from cli_support import Cli, Sandbox, closed_port, start_sandbox
from keyring_double import MemoryKeyring

from b24desk.core import paths
from b24desk.core.credentials import SERVICE_NAME, KeyringUnavailable, SecretStore

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REQUIRE_REAL_KEYRING_ENV = "B24DESK_REQUIRE_REAL_KEYRING"


@pytest.fixture
def portal() -> Iterator[Sandbox]:
    # The real request-rate limits: the CLI has to pace itself as on a cloud portal.
    yield from start_sandbox(limits="standard", task_count=400)


def files_under(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def assert_secret_nowhere(secret: str, home: Path, printed: list[str]) -> None:
    written = files_under(home)
    leaks = [str(path) for path, data in written.items() if secret.encode() in data]
    assert leaks == [], f"the webhook code was written to {leaks}"
    assert [text for text in printed if secret in text] == []


def expected_files(home: Path) -> None:
    """What b24desk wrote must be where the search looked (else the search proves nothing)."""
    written = set(files_under(home))
    env = {paths.HOME_ENV: str(home)}
    for path in (paths.profiles_path(env), paths.journal_path(env), paths.log_path(env)):
        assert path in written, f"{path} was not written"
    assert any(p.parent == home / "exports" for p in written)


# --- in this process -------------------------------------------------------------------------


def test_cli_in_process_never_writes_or_prints_the_webhook_code(
    cli: Cli, home: Path, portal: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    code = portal.code
    exports = home / "exports"
    exports.mkdir(parents=True)

    assert cli("profile", "add", "Main office", "--webhook", portal.url).code == 0
    assert memory_keyring.entries[(SERVICE_NAME, "Main office:webhook_code")] == code
    assert cli("profile", "list").code == 0
    check = cli("profile", "check", "Main office")
    assert check.code == 0, check.out + check.err
    listed = cli("tasks", "list", "--profile", "Main office", "--json")
    assert listed.code == 0
    (exports / "completed.jsonl").write_text(listed.out, encoding="utf-8")
    plain = cli("tasks", "list", "--profile", "Main office", "--search", "invoice")
    (exports / "invoices.txt").write_text(plain.out, encoding="utf-8")
    chosen = exports / "chosen.jsonl"
    chosen.write_text("\n".join(listed.out_lines[:7]) + "\n", encoding="utf-8")
    renewed = cli("tasks", "renew", "--from", str(chosen), "--profile", "Main office", "--json")
    assert renewed.code == 0, renewed.err
    rows = [json.loads(line) for line in renewed.out_lines]
    assert {r["outcome"] for r in rows} == {"renewed"}
    assert all(portal.portal.tasks[r["id"]].status == 2 for r in rows)
    journal = cli("journal", "--json")
    run_id = json.loads(journal.out_lines[-1])["run_id"]
    assert cli("journal").code == 0
    undone = cli("undo", run_id, "--profile", "Main office")
    assert undone.code == 0, undone.err
    assert all(portal.portal.tasks[r["id"]].status in (4, 5) for r in rows)
    # Failures print messages too: they must not quote the address either.
    unreachable = portal.url.replace(portal.base, f"http://127.0.0.1:{closed_port()}")
    assert cli("tasks", "list", "--webhook", unreachable).code == 3
    assert cli("profile", "add", "Main office", "--webhook", portal.url).code == 2

    expected_files(home)
    assert_secret_nowhere(code, home, cli.transcript)


# --- as child processes ----------------------------------------------------------------------


def child_env(home: Path, keyring_file: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("B24DESK_")}
    env.update(
        {
            paths.HOME_ENV: str(home),
            "PYTHON_KEYRING_BACKEND": "cli_keyring.FileKeyring",
            KEYRING_FILE_ENV: str(keyring_file),
            "PYTHONPATH": os.pathsep.join(
                [str(HERE), str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
    )
    return env


class Child:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.transcript: list[str] = []

    def __call__(
        self, *argv: str, extra_env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "b24desk", *argv],
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=REPO,
        )
        self.transcript += [result.stdout, result.stderr]
        return result


def test_cli_as_child_processes_never_writes_or_prints_the_webhook_code(
    tmp_path: Path, portal: Sandbox
) -> None:
    home, keyring_file = tmp_path / "home", tmp_path / "os-keyring.json"
    run = Child(child_env(home, keyring_file))
    code = portal.code
    exports = home / "exports"
    exports.mkdir(parents=True)

    added = run("profile", "add", "Main", "--webhook", portal.url)
    assert added.returncode == 0, added.stderr
    assert code in keyring_file.read_text(encoding="utf-8")  # the stand-in password store
    checked = run("profile", "check", "Main")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Connected to 127.0.0.1:")
    listed = run("tasks", "list", "--json")  # the last used profile
    assert listed.returncode == 0, listed.stderr
    (exports / "completed.jsonl").write_text(listed.stdout, encoding="utf-8")
    chosen = "\n".join(listed.stdout.splitlines()[:5]) + "\n"
    (exports / "chosen.jsonl").write_text(chosen, encoding="utf-8")
    renewed = run("tasks", "renew", "--from", str(exports / "chosen.jsonl"), "--json")
    assert renewed.returncode == 0, renewed.stderr
    ids = [json.loads(line)["id"] for line in renewed.stdout.splitlines()]
    assert len(ids) == 5
    assert all(portal.portal.tasks[i].status == 2 for i in ids)
    journal = run("journal", "--json")
    run_id = json.loads(journal.stdout.splitlines()[-1])["run_id"]
    undone = run("undo", run_id)
    assert undone.returncode == 0, undone.stderr
    assert all(portal.portal.tasks[i].status in (4, 5) for i in ids)
    from_env = run("tasks", "list", extra_env={"B24DESK_WEBHOOK": portal.url})
    assert from_env.returncode == 0, from_env.stderr
    wrong = portal.url.replace(code, "wrongcode0000000")
    assert run("profile", "check", "--webhook", wrong).returncode == 3
    removed = run("profile", "remove", "Main")
    assert removed.returncode == 0, removed.stderr
    assert code not in keyring_file.read_text(encoding="utf-8")

    expected_files(home)
    assert_secret_nowhere(code, home, run.transcript)


# --- the real Secret Service -----------------------------------------------------------------


def require_real_keyring() -> None:
    """Skip without a usable OS keyring, unless CI requires one (then fail)."""
    backend = keyring.get_keyring()
    try:
        SecretStore().check()
    except KeyringUnavailable as exc:
        label = f"{type(backend).__module__}.{type(backend).__name__}"
        reason = (
            f"no usable OS keyring (active backend {label}, {exc.problem.value}): run inside "
            "scripts/kr_session.sh for a throw-away unlocked Secret Service"
        )
        if os.environ.get(REQUIRE_REAL_KEYRING_ENV) == "1":
            pytest.fail(f"{REQUIRE_REAL_KEYRING_ENV}=1 but {reason}")
        pytest.skip(reason)
    if type(backend).__module__ == "cli_keyring":
        pytest.fail("a test double is installed as the process keyring")


@pytest.mark.keyring_real
def test_profile_add_keeps_the_code_in_the_real_secret_service_only(
    home: Path, portal: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    require_real_keyring()
    cli = Cli(capsys)
    name = f"b24desk-cli-test-{uuid.uuid4().hex[:10]}"
    username = f"{name}:webhook_code"
    try:
        assert cli("profile", "add", name, "--webhook", portal.url).code == 0
        assert keyring.get_password(SERVICE_NAME, username) == portal.code
        assert cli("profile", "check", name).code == 0
        assert cli("profile", "remove", name).code == 0
        assert keyring.get_password(SERVICE_NAME, username) is None
    finally:
        SecretStore().delete_profile(name)
    assert paths.profiles_path().is_file()
    assert_secret_nowhere(portal.code, home, cli.transcript)
