"""Keyring test doubles and fake secrets for the credentials tests.

MemoryKeyring itself is shared (tests/support/keyring_double.py). Every double has priority
-1: keyring auto-registers each KeyringBackend subclass, and one with a positive priority
defined before keyring's first lookup would silently become the process default (stack-notes
section 4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring_double import MemoryKeyring

from b24desk.core.credentials import KeyringUnavailable, SecretStore

FAKE_WEBHOOK_CODE = "fakewebhookcode0000"
FAKE_ACCESS_TOKEN = "FAKE-ACCESS-TOKEN"
FAKE_REFRESH_TOKEN = "FAKE-REFRESH-TOKEN"
FAKE_CLIENT_SECRET = "FAKE-CLIENT-SECRET"
FAKE_SECRETS = (FAKE_WEBHOOK_CODE, FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN, FAKE_CLIENT_SECRET)
WEBHOOK_URL = f"https://example.bitrix24.com/rest/1/{FAKE_WEBHOOK_CODE}/"


class RaisingKeyring(KeyringBackend):
    """Fails every operation with the given exception, as a locked or broken store does."""

    priority = -1

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        raise self.error


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's file backend, which stores secrets base64-encoded."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class FakeChain(ChainerBackend):
    """A chain over members chosen by the test instead of every installed backend."""

    priority = -1

    def __init__(self, *members: KeyringBackend) -> None:
        super().__init__()
        self.members = list(members)

    @property
    def backends(self) -> list[KeyringBackend]:
        return self.members


InstallKeyring = Callable[[KeyringBackend], KeyringBackend]


REQUIRE_REAL_KEYRING_ENV = "B24DESK_REQUIRE_REAL_KEYRING"


def require_real_keyring(environ: Mapping[str, str]) -> KeyringBackend:
    """The process's real keyring backend; skip the test without one, or fail if CI needs it."""
    backend = keyring.get_keyring()
    label = f"{type(backend).__module__}.{type(backend).__name__}"
    try:
        SecretStore().check()
    except KeyringUnavailable as exc:
        reason = (
            f"no usable OS keyring (active backend {label}, {exc.problem.value}): run inside "
            "scripts/kr_session.sh for a throw-away unlocked Secret Service"
        )
        if environ.get(REQUIRE_REAL_KEYRING_ENV) == "1":
            pytest.fail(f"{REQUIRE_REAL_KEYRING_ENV}=1 but {reason}")
        pytest.skip(reason)
    if type(backend).__module__ in (__name__, MemoryKeyring.__module__):
        pytest.fail(f"a test double ({label}) is installed as the process keyring")
    return backend
