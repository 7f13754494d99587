"""A file keyring for CLI child processes (priority -1, so never picked as a default).

The in-memory double for in-process tests is tests/support/keyring_double.MemoryKeyring.

`FileKeyring` lets a `python -m b24desk` child process keep secrets between runs without a
Secret Service: select it with PYTHON_KEYRING_BACKEND=cli_keyring.FileKeyring (this folder on
PYTHONPATH) and B24DESK_TEST_KEYRING_FILE=<a file outside B24DESK_HOME>. It stands in for
the OS password store, which is why it lives outside the folder the leak test searches.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

KEYRING_FILE_ENV = "B24DESK_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    priority = -1

    @property
    def path(self) -> Path:
        return Path(os.environ[KEYRING_FILE_ENV])

    def _load(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self.path.write_text(json.dumps(data), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError("No such password!")
        self.path.write_text(json.dumps(data), encoding="utf-8")
