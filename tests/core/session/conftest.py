"""Fixtures for the session and OAuth tests: a memory keyring and an isolated B24DESK_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from session_doubles import MemoryKeyring

from b24desk.core import paths
from b24desk.core.credentials import Connections, ProfileStore, SecretStore


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv("B24DESK_WEBHOOK", raising=False)
    return tmp_path / "home"


@pytest.fixture
def connections(home: Path, memory_keyring: MemoryKeyring) -> Connections:
    return Connections(ProfileStore(paths.profiles_path()), SecretStore())
