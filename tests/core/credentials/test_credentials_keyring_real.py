"""Real secrets through the process's default keyring backend (Secret Service in CI).

Run inside scripts/kr_session.sh; elsewhere these tests skip, unless
B24DESK_REQUIRE_REAL_KEYRING=1 (CI) makes a missing keyring a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring_doubles import (
    FAKE_ACCESS_TOKEN,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    FAKE_SECRETS,
    FAKE_WEBHOOK_CODE,
    REQUIRE_REAL_KEYRING_ENV,
    WEBHOOK_URL,
    require_real_keyring,
)

from b24desk.core.credentials import (
    SERVICE_NAME,
    Connections,
    KeyringUnavailable,
    ProfileStore,
    SecretKind,
    SecretStore,
)

pytestmark = pytest.mark.keyring_real


def real_store() -> SecretStore:
    # Called in the test body, not in a fixture, so that a required but missing keyring
    # shows up as a failed test rather than a setup error.
    require_real_keyring(os.environ)
    return SecretStore()


@pytest.fixture
def profile_name() -> Iterator[str]:
    """A profile name no other run uses; whatever a test leaves in the keyring is removed."""
    name = f"b24desk-test-{uuid.uuid4().hex[:12]}"
    yield name
    with contextlib.suppress(KeyringUnavailable):
        SecretStore().delete_profile(name)


def test_store_read_and_delete_a_real_secret(profile_name: str) -> None:
    store = real_store()
    username = f"{profile_name}:webhook_code"
    store.check()
    store.set(profile_name, SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    # Read back through keyring itself, not only through our store.
    assert keyring.get_password(SERVICE_NAME, username) == FAKE_WEBHOOK_CODE
    assert store.get(profile_name, SecretKind.WEBHOOK_CODE) == FAKE_WEBHOOK_CODE
    store.delete(profile_name, SecretKind.WEBHOOK_CODE)
    assert keyring.get_password(SERVICE_NAME, username) is None
    assert store.get(profile_name, SecretKind.WEBHOOK_CODE) is None


def test_refreshed_tokens_replace_the_old_ones(profile_name: str) -> None:
    store = real_store()
    store.save_tokens(profile_name, "FAKE-OLD-ACCESS", "FAKE-OLD-REFRESH")
    store.save_tokens(profile_name, FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN)
    assert store.get(profile_name, SecretKind.ACCESS_TOKEN) == FAKE_ACCESS_TOKEN
    assert store.get(profile_name, SecretKind.REFRESH_TOKEN) == FAKE_REFRESH_TOKEN


def test_deleting_a_profile_removes_all_its_real_secrets(profile_name: str) -> None:
    store = real_store()
    store.set(profile_name, SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    store.set(profile_name, SecretKind.CLIENT_SECRET, FAKE_CLIENT_SECRET)
    store.save_tokens(profile_name, FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN)
    store.delete_profile(profile_name)
    assert [store.get(profile_name, kind) for kind in SecretKind] == [None] * len(SecretKind)


def test_deleting_a_secret_that_is_not_there_is_fine(profile_name: str) -> None:
    store = real_store()
    store.delete(profile_name, SecretKind.ACCESS_TOKEN)
    assert store.get(profile_name, SecretKind.ACCESS_TOKEN) is None


def test_connection_round_trip_keeps_secrets_out_of_the_config(
    profile_name: str, tmp_path: Path
) -> None:
    connections = Connections(ProfileStore(tmp_path / "profiles.json"), real_store())
    connections.add_webhook(profile_name, WEBHOOK_URL)
    assert keyring.get_password(SERVICE_NAME, f"{profile_name}:webhook_code") == FAKE_WEBHOOK_CODE
    assert connections.webhook_address(profile_name).code == FAKE_WEBHOOK_CODE
    written = (tmp_path / "profiles.json").read_text(encoding="utf-8")
    assert profile_name in written
    assert not [s for s in FAKE_SECRETS if s in written]
    connections.remove(profile_name)
    assert keyring.get_password(SERVICE_NAME, f"{profile_name}:webhook_code") is None
    assert connections.profiles.names() == []


LOCKED_STORE_SCRIPT = """
import secretstorage
from b24desk.core.credentials import KeyringUnavailable, SecretKind, SecretStore

store = SecretStore()
store.set("locked-test", SecretKind.ACCESS_TOKEN, "FAKE-ACCESS-TOKEN")
connection = secretstorage.dbus_init()
secretstorage.get_default_collection(connection).lock()
try:
    store.get("locked-test", SecretKind.ACCESS_TOKEN)
except KeyringUnavailable as error:
    print("PROBLEM", error.problem.value)
    print("MESSAGE", error)
else:
    print("PROBLEM none")
"""


def test_a_really_locked_keyring_is_reported_as_locked() -> None:
    # Runs in its own throw-away session: a locked collection cannot be unlocked again
    # without a prompt, and it would break every later test sharing the keyring.
    kr_session = Path(__file__).resolve().parents[3] / "scripts" / "kr_session.sh"
    tools = [shutil.which(t) for t in ("dbus-run-session", "gnome-keyring-daemon")]
    if not all(tools) or not kr_session.exists():
        reason = "dbus-run-session, gnome-keyring-daemon or scripts/kr_session.sh is missing"
        if os.environ.get(REQUIRE_REAL_KEYRING_ENV) == "1":
            pytest.fail(f"{REQUIRE_REAL_KEYRING_ENV}=1 but {reason}")
        pytest.skip(reason)
    result = subprocess.run(
        [str(kr_session), sys.executable, "-c", LOCKED_STORE_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=kr_session.parents[1],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "PROBLEM locked" in result.stdout
    assert "MESSAGE The password store is locked" in result.stdout
    assert "FAKE-ACCESS-TOKEN" not in result.stdout + result.stderr
