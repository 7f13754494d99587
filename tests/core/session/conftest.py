"""Fixtures for the session and OAuth tests: a memory keyring and an isolated B24DESK_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring_double import MemoryKeyring, home, memory_keyring

from b24desk.core import paths
from b24desk.core.credentials import Connections, ProfileStore, SecretStore

__all__ = ["connections", "home", "memory_keyring"]


@pytest.fixture
def connections(home: Path, memory_keyring: MemoryKeyring) -> Connections:
    return Connections(ProfileStore(paths.profiles_path()), SecretStore())
