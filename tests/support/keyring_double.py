"""The in-memory keyring every test suite shares, and the fixtures that install it.

Import by plain name (tests/support is on pytest's pythonpath):

    from keyring_double import MemoryKeyring
    from keyring_double import home, memory_keyring  # in a conftest, to use the fixtures

Priority -1 matters: keyring auto-registers each KeyringBackend subclass when it is
defined, and one with a positive priority defined before keyring's first lookup would
silently become the process default (stack-notes section 4).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from b24desk.core import paths

__all__ = ["MemoryKeyring", "home", "memory_keyring"]


class MemoryKeyring(KeyringBackend):
    """A password store in a dict: `entries[(service, username)] = password`."""

    priority = -1  # never picked as anyone's default

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("No such password!")
        del self.entries[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A fresh MemoryKeyring as the process keyring; the previous one comes back after."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty B24DESK_HOME of its own, and no webhook inherited from the environment."""
    root = tmp_path / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(root))
    monkeypatch.delenv("B24DESK_WEBHOOK", raising=False)
    return root
