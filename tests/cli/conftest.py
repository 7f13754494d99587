"""The CLI under test: an isolated B24DESK_HOME, a test keyring and a loopback sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Cli, Sandbox, start_sandbox
from keyring_double import MemoryKeyring, home, memory_keyring

__all__ = ["cli", "home", "memory_keyring", "sandbox"]


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages in English whatever the desktop's locale (tests of Russian set B24DESK_LANG)."""
    from b24desk.core import i18n

    monkeypatch.setenv("B24DESK_LANG", "en")
    yield
    i18n.install(None)


@pytest.fixture
def cli(home: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    yield from start_sandbox()
