"""The CLI under test: an isolated B24DESK_HOME, a test keyring and a loopback sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from cli_keyring import MemoryKeyring
from cli_support import Cli, Sandbox, start_sandbox

from b24desk.core import paths


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(root))
    monkeypatch.delenv("B24DESK_WEBHOOK", raising=False)
    return root


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def cli(home: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    yield from start_sandbox()
