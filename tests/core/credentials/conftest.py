"""Fixtures for the credentials tests: the process keyring swapped for a double, and back."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring_double import MemoryKeyring
from keyring_doubles import FAKE_SECRETS, InstallKeyring

from b24desk.core.redact import forget_secret


@pytest.fixture
def use_keyring() -> Iterator[InstallKeyring]:
    """Make a backend the process's keyring for one test; the previous one comes back after."""
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(use_keyring: InstallKeyring) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend


@pytest.fixture(autouse=True)
def _forget_fake_secrets() -> Iterator[None]:
    # The stores register secrets for redaction; keep the process-wide registry clean.
    yield
    for secret in FAKE_SECRETS:
        forget_secret(secret)
