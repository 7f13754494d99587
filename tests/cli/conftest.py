"""The CLI under test: an isolated B24DESK_HOME, a test keyring and a loopback sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Cli, Sandbox, start_sandbox
from keyring_double import MemoryKeyring, home, memory_keyring

__all__ = ["cli", "home", "memory_keyring", "sandbox"]


@pytest.fixture
def cli(home: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    yield from start_sandbox()
