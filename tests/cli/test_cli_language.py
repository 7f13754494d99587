"""The command line speaks the user's language: B24DESK_LANG, else the locale; English on C."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Cli, Sandbox, start_sandbox

from b24desk.cli.console import EXIT_CONNECTION, EXIT_OK, EXIT_USAGE
from b24desk.core import i18n

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    yield from start_sandbox()


@pytest.fixture
def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("B24DESK_LANG", "ru")


def test_a_usage_error_in_russian(cli: Cli, russian: None) -> None:
    result = cli("tasks", "renew")
    assert result.code == EXIT_USAGE
    assert result.err.startswith("b24desk: Номера задач не указаны: перечислите их")


def test_a_bad_webhook_url_is_explained_in_russian(cli: Cli, russian: None) -> None:
    result = cli("profile", "add", "Main", "--webhook", "hello there")
    assert result.code == EXIT_USAGE
    expected = "b24desk: Это не веб-адрес: в Битрикс24 откройте «Разработчикам»"  # noqa: RUF001
    assert result.err.startswith(expected)


def test_the_connection_verdict_and_the_run_summary_in_russian(
    cli: Cli, russian: None, sandbox: Sandbox
) -> None:
    checked = cli("profile", "check", "--webhook", sandbox.url)
    assert checked.code == EXIT_OK
    assert checked.out.startswith(f"Подключено к {sandbox.base.split('//')[1]} как ")
    ids = sandbox.completed_ids(3)
    renewed = cli("tasks", "renew", *map(str, ids), "--webhook", sandbox.url)
    assert renewed.code == EXIT_OK
    reopened = "возобновлена"
    assert renewed.out_lines == [f"{task_id}\t{reopened}" for task_id in ids]
    assert "Проверяю 3 задачи на 127.0.0.1:" in renewed.err
    assert "(3 задачи): возобновлено: 3." in renewed.err
    assert "возобновление: 3 из 3" in renewed.err


def test_an_unreachable_portal_in_russian(cli: Cli, russian: None) -> None:
    result = cli("profile", "check", "--webhook", "http://127.0.0.1:9/rest/1/fakewebhookcode0000/")
    assert result.code == EXIT_CONNECTION
    assert "По адресу 127.0.0.1:9 никто не отвечает" in result.out


def test_the_help_is_russian_but_argparse_words_may_stay(cli: Cli, russian: None) -> None:
    result = cli("tasks", "renew", "--help")
    assert result.code == EXIT_OK
    assert "не перечитывать задачи перед самым возобновлением" in result.out


def test_english_again_after_russian(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("B24DESK_LANG", "ru")
    assert "Номера задач" in cli("tasks", "renew").err
    monkeypatch.setenv("B24DESK_LANG", "en")
    assert "No task ids were given" in cli("tasks", "renew").err
    assert i18n.language() == "en"


def run_cli(home: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LC_", "LANG", "B24DESK_"))
    }
    environ.update(B24DESK_HOME=str(home), **env)
    return subprocess.run(
        [sys.executable, "-m", "b24desk", *argv],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_english_on_a_c_locale_russian_on_a_russian_one(tmp_path: Path) -> None:
    english = run_cli(tmp_path, "tasks", "renew", LANG="C")
    assert english.returncode == EXIT_USAGE
    assert english.stderr.startswith("b24desk: No task ids were given:")
    russian = run_cli(tmp_path, "tasks", "renew", LANG="ru_RU.UTF-8")
    assert russian.returncode == EXIT_USAGE
    assert russian.stderr.startswith("b24desk: Номера задач не указаны:")
    forced = run_cli(tmp_path, "tasks", "renew", LANG="ru_RU.UTF-8", B24DESK_LANG="en")
    assert forced.stderr.startswith("b24desk: No task ids were given:")
