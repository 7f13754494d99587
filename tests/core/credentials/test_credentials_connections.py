from __future__ import annotations

from pathlib import Path

import pytest
from keyring.errors import KeyringLocked
from keyring_double import MemoryKeyring
from keyring_doubles import (
    FAKE_ACCESS_TOKEN,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    FAKE_SECRETS,
    FAKE_WEBHOOK_CODE,
    WEBHOOK_URL,
    InstallKeyring,
    RaisingKeyring,
)

from b24desk.core.credentials import (
    SERVICE_NAME,
    Connections,
    KeyringUnavailable,
    ProfileConfigError,
    ProfileError,
    ProfileStore,
    SecretKind,
    SecretStore,
    WebhookAddress,
    WebhookUrlError,
)
from b24desk.core.credentials import profiles as profiles_module


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def connections(config_dir: Path, memory_keyring: MemoryKeyring) -> Connections:
    return Connections(ProfileStore(config_dir / "profiles.json"), SecretStore())


def files_containing_secrets(directory: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in directory.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            hits = [s for s in FAKE_SECRETS if s.encode() in content]
            if hits:
                found[str(path)] = hits
    return found


def test_add_webhook_keeps_the_code_in_the_keyring_and_settings_in_the_file(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    profile = connections.add_webhook(" Main ", f'  "{WEBHOOK_URL}profile.json" ')
    assert (profile.name, profile.portal_url, profile.webhook_user_id) == (
        "Main",
        "https://example.bitrix24.com",
        1,
    )
    assert memory_keyring.entries == {(SERVICE_NAME, "Main:webhook_code"): FAKE_WEBHOOK_CODE}
    assert connections.profiles.get("Main") == profile


def test_webhook_address_is_rebuilt_from_profile_and_keyring(connections: Connections) -> None:
    connections.add_webhook("Main", WEBHOOK_URL)
    address = connections.webhook_address("main")
    assert address == WebhookAddress("https://example.bitrix24.com", 1, FAKE_WEBHOOK_CODE)
    assert address.base_url == WEBHOOK_URL


def test_config_files_never_contain_a_secret(
    connections: Connections, config_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    connections.add_webhook("Main", WEBHOOK_URL)
    connections.add_oauth("Apps", "example.bitrix24.com", "local.fake.1", FAKE_CLIENT_SECRET)
    connections.secrets.save_tokens("Apps", FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN)
    connections.profiles.set_last_used("Apps")
    assert len(memory_keyring.entries) == 4
    assert (config_dir / "profiles.json").exists()
    assert files_containing_secrets(config_dir) == {}


def test_add_oauth_keeps_the_client_secret_in_the_keyring(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    profile = connections.add_oauth(
        "Apps", "https://example.bitrix24.com/", " local.fake.1 ", f" {FAKE_CLIENT_SECRET} "
    )
    assert (profile.auth_kind, profile.oauth_client_id) == ("oauth", "local.fake.1")
    assert memory_keyring.entries == {(SERVICE_NAME, "Apps:client_secret"): FAKE_CLIENT_SECRET}


def test_add_oauth_refuses_an_empty_client_secret(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(ProfileError, match="client secret is empty"):
        connections.add_oauth("Apps", "example.bitrix24.com", "local.fake.1", "  ")
    assert connections.profiles.names() == []
    assert memory_keyring.entries == {}


def test_bad_webhook_url_stores_nothing(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(WebhookUrlError, match="only the address of your portal, not of a webhook"):
        connections.add_webhook("Main", "https://example.bitrix24.com/")
    assert connections.profiles.names() == []
    assert memory_keyring.entries == {}


def test_duplicate_name_does_not_overwrite_the_existing_secret(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    connections.add_webhook("Main", WEBHOOK_URL)
    other = "https://other.bitrix24.com/rest/2/otherfakecode0000/"
    with pytest.raises(ProfileError, match="already exists"):
        connections.add_webhook("MAIN", other)
    assert connections.webhook_address("Main").code == FAKE_WEBHOOK_CODE
    assert len(memory_keyring.entries) == 1


def test_empty_name_is_refused_before_anything_is_stored(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(ProfileError, match="cannot be empty"):
        connections.add_webhook("", WEBHOOK_URL)
    assert memory_keyring.entries == {}


def test_secret_is_removed_again_when_the_profile_cannot_be_saved(
    connections: Connections, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(profiles_module.os, "replace", broken_replace)
    with pytest.raises(ProfileConfigError, match="could not be saved"):
        connections.add_webhook("Main", WEBHOOK_URL)
    assert memory_keyring.entries == {}


def test_remove_deletes_every_secret_of_the_profile(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    connections.add_oauth("Apps", "example.bitrix24.com", "local.fake.1", FAKE_CLIENT_SECRET)
    connections.secrets.save_tokens("Apps", FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN)
    connections.add_webhook("Main", WEBHOOK_URL)
    connections.remove("apps")
    assert connections.profiles.names() == ["Main"]
    assert memory_keyring.entries == {(SERVICE_NAME, "Main:webhook_code"): FAKE_WEBHOOK_CODE}


def test_remove_works_when_the_keyring_is_locked_and_says_what_may_be_left(
    connections: Connections, use_keyring: InstallKeyring
) -> None:
    connections.add_webhook("Main", WEBHOOK_URL)
    connections.add_webhook("Other", WEBHOOK_URL)
    use_keyring(RaisingKeyring(KeyringLocked("locked")))
    removed = connections.remove("main")
    assert removed.profile.name == "Main"
    assert connections.profiles.names() == ["Other"]
    assert removed.secrets_problem is not None
    assert '"Main:…"' in removed.secrets_problem
    assert FAKE_WEBHOOK_CODE not in removed.secrets_problem


def test_remove_deletes_secrets_when_the_keyring_works(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    connections.add_webhook("Main", WEBHOOK_URL)
    removed = connections.remove("Main")
    assert removed.secrets_problem is None
    assert memory_keyring.entries == {}


def test_add_with_no_keyring_raises_and_session_only_leaves_nothing_behind(
    config_dir: Path, use_keyring: InstallKeyring
) -> None:
    use_keyring(RaisingKeyring(KeyringLocked("locked")))
    connections = Connections(ProfileStore(config_dir / "profiles.json"), SecretStore())
    with pytest.raises(KeyringUnavailable, match="for this session only"):
        connections.add_webhook("Main", WEBHOOK_URL)
    assert connections.profiles.names() == []
    connections.secrets.use_session_only()
    connections.add_webhook("Main", WEBHOOK_URL)
    assert connections.webhook_address("Main").code == FAKE_WEBHOOK_CODE
    assert connections.profiles.names() == ["Main"]
    assert connections.profiles.is_session_only("main")
    connections.profiles.set_last_used("Main")
    assert not (config_dir / "profiles.json").exists()
    # The next start (a new store on the same file) knows nothing of it: the name is free.
    after = Connections(ProfileStore(config_dir / "profiles.json"), SecretStore())
    assert after.profiles.names() == []
    after.profiles.check_name_free("Main")


def test_session_only_profile_is_never_written_beside_saved_ones(
    connections: Connections, config_dir: Path
) -> None:
    connections.add_webhook("Saved", WEBHOOK_URL)
    connections.secrets.use_session_only()
    connections.add_webhook("Session", WEBHOOK_URL)
    connections.profiles.set_last_used("Saved")
    connections.profiles.set_last_used("Session")
    assert connections.profiles.names() == ["Saved", "Session"]
    assert ProfileStore(config_dir / "profiles.json").names() == ["Saved"]
    assert ProfileStore(config_dir / "profiles.json").last_used().name == "Saved"  # type: ignore[union-attr]
    with pytest.raises(ProfileError, match="already exists"):
        connections.add_webhook("session", WEBHOOK_URL)
    connections.remove("Session")
    assert connections.profiles.names() == ["Saved"]
    assert "Session" not in (config_dir / "profiles.json").read_text()


def test_webhook_address_of_an_oauth_profile_is_refused(connections: Connections) -> None:
    connections.add_oauth("Apps", "example.bitrix24.com", "local.fake.1", FAKE_CLIENT_SECRET)
    with pytest.raises(ProfileError, match="connects through OAuth"):
        connections.webhook_address("Apps")


def test_missing_webhook_code_gets_a_clear_message(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    connections.add_webhook("Main", WEBHOOK_URL)
    connections.secrets.delete("Main", SecretKind.WEBHOOK_CODE)
    with pytest.raises(ProfileError, match="not in the password store"):
        connections.webhook_address("Main")
