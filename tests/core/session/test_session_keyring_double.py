"""The shared keyring double: never a default, installed fresh by its fixture."""

from __future__ import annotations

import keyring
import keyring_double
from keyring_double import MemoryKeyring

from b24desk.core.credentials import SERVICE_NAME, SecretKind, SecretStore
from b24desk.core.redact import forget_secret


def test_the_double_can_never_become_the_default_keyring() -> None:
    # keyring registers every subclass it sees; a positive priority would make it the default.
    assert MemoryKeyring.priority == -1


def test_the_fixture_installs_a_fresh_double(memory_keyring: MemoryKeyring) -> None:
    assert keyring.get_keyring() is memory_keyring
    assert type(memory_keyring).__module__ == keyring_double.__name__
    assert memory_keyring.entries == {}
    try:
        SecretStore().set("Main", SecretKind.WEBHOOK_CODE, "fakewebhookcode0000")
    finally:
        forget_secret("fakewebhookcode0000")
    assert memory_keyring.entries == {(SERVICE_NAME, "Main:webhook_code"): "fakewebhookcode0000"}
