from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from b24desk.core.credentials import (
    Profile,
    ProfileConfigError,
    ProfileError,
    ProfileStore,
    default_profiles_path,
)
from b24desk.core.credentials import profiles as profiles_module

PORTAL = "https://example.bitrix24.com"


def webhook_profile(name: str = "Main", **changes: Any) -> Profile:
    fields: dict[str, Any] = {
        "name": name,
        "portal_url": PORTAL,
        "auth_kind": "webhook",
        "webhook_user_id": 1,
    }
    fields.update(changes)
    return Profile(**fields)


def oauth_profile(name: str = "Apps", **changes: Any) -> Profile:
    fields: dict[str, Any] = {
        "name": name,
        "portal_url": PORTAL,
        "auth_kind": "oauth",
        "oauth_client_id": "local.fake0000.11111111",
        "rate_preset": "enterprise",
    }
    fields.update(changes)
    return Profile(**fields)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "profiles.json"


@pytest.fixture
def store(path: Path) -> ProfileStore:
    return ProfileStore(path)


# --- Profile ----------------------------------------------------------------------------


def test_profile_name_is_tidied() -> None:
    assert webhook_profile("  Main \t portal ").name == "Main portal"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "cannot be empty"),
        ("   \n", "cannot be empty"),
        ("x" * 65, "at most 64 characters"),
        ("Main\x00", "control or invisible"),
        ("Ma\u200bin", "control or invisible"),
    ],
)
def test_bad_profile_names_are_refused(name: str, words: str) -> None:
    with pytest.raises(ProfileError, match=words):
        webhook_profile(name)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"portal_url": "https://example.bitrix24.com/"}, "scheme and host only"),
        ({"portal_url": "example.bitrix24.com"}, "scheme and host only"),
        ({"portal_url": "http://example.bitrix24.com"}, "secrets unencrypted"),
        ({"portal_url": ""}, "portal address is empty"),
        ({"rate_preset": "turbo"}, "rate preset"),
        ({"auth_kind": "password"}, "connection kind"),
        ({"webhook_user_id": None}, "user id"),
        ({"webhook_user_id": 0}, "user id"),
        ({"webhook_user_id": True}, "user id"),
        ({"oauth_client_id": "local.x"}, "no OAuth client id"),
    ],
)
def test_bad_webhook_profile_settings_are_refused(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ProfileError, match=words):
        webhook_profile(**changes)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"oauth_client_id": None}, "client id"),
        ({"oauth_client_id": ""}, "client id"),
        ({"oauth_client_id": "local x"}, "client id"),
        ({"oauth_client_id": "x" * 201}, "client id"),
        ({"webhook_user_id": 1}, "no webhook user id"),
    ],
)
def test_bad_oauth_profile_settings_are_refused(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ProfileError, match=words):
        oauth_profile(**changes)


def test_loopback_http_portal_is_allowed_for_the_sandbox() -> None:
    assert webhook_profile(portal_url="http://127.0.0.1:8000").portal_url.startswith("http://")


def test_profile_json_round_trip() -> None:
    for profile in (webhook_profile(), oauth_profile()):
        assert Profile.from_json(json.loads(json.dumps(profile.to_json()))) == profile


# --- ProfileStore -----------------------------------------------------------------------


def test_default_path_is_in_the_per_user_config_dir() -> None:
    expected = Path(platformdirs.user_config_dir("b24desk")) / "profiles.json"
    assert default_profiles_path() == expected
    assert ProfileStore().path == expected


def test_missing_file_means_no_profiles(store: ProfileStore, path: Path) -> None:
    assert store.profiles() == []
    assert store.last_used() is None
    assert not path.exists()


def test_several_profiles_are_kept_in_order_across_instances(
    store: ProfileStore, path: Path
) -> None:
    store.add(webhook_profile("Main"))
    store.add(oauth_profile("Apps"))
    store.add(webhook_profile("Sandbox", portal_url="http://127.0.0.1:8000", webhook_user_id=7))
    again = ProfileStore(path)
    assert again.names() == ["Main", "Apps", "Sandbox"]
    assert again.get("Apps") == oauth_profile("Apps")
    assert again.get("sandbox").webhook_user_id == 7


@pytest.mark.parametrize("duplicate", ["Main", "main", " MAIN ", "Main\t"])
def test_duplicate_names_are_refused(store: ProfileStore, duplicate: str) -> None:
    store.add(webhook_profile("Main"))
    with pytest.raises(ProfileError, match='A profile named "Main" already exists'):
        store.add(oauth_profile(duplicate))
    with pytest.raises(ProfileError, match="already exists"):
        store.check_name_free(duplicate)
    assert store.names() == ["Main"]


def test_check_name_free_refuses_empty_names(store: ProfileStore) -> None:
    with pytest.raises(ProfileError, match="cannot be empty"):
        store.check_name_free("  ")


def test_unknown_profile_gets_a_clear_message(store: ProfileStore) -> None:
    with pytest.raises(ProfileError, match='There is no connection profile named "Nope"'):
        store.get("Nope")
    with pytest.raises(ProfileError, match="no connection profile"):
        store.remove("Nope")
    with pytest.raises(ProfileError, match="no connection profile"):
        store.set_last_used("Nope")


def test_replace_changes_settings_of_an_existing_profile(store: ProfileStore) -> None:
    store.add(webhook_profile("Main"))
    store.add(oauth_profile("Apps"))
    store.replace(webhook_profile("Main", rate_preset="standard"))
    assert store.get("Main").rate_preset == "standard"
    assert store.names() == ["Main", "Apps"]
    with pytest.raises(ProfileError, match="no connection profile"):
        store.replace(webhook_profile("Other"))


def test_remove_deletes_only_that_profile(store: ProfileStore) -> None:
    store.add(webhook_profile("Main"))
    store.add(oauth_profile("Apps"))
    removed = store.remove("main")
    assert removed.name == "Main"
    assert store.names() == ["Apps"]


def test_last_used_profile_is_remembered(store: ProfileStore, path: Path) -> None:
    store.add(webhook_profile("Main"))
    store.add(oauth_profile("Apps"))
    store.set_last_used("apps")
    assert ProfileStore(path).last_used() == oauth_profile("Apps")


def test_removing_the_last_used_profile_forgets_it(store: ProfileStore) -> None:
    store.add(webhook_profile("Main"))
    store.set_last_used("Main")
    store.remove("Main")
    assert store.last_used() is None


def test_file_holds_only_non_secret_settings(store: ProfileStore, path: Path) -> None:
    store.add(webhook_profile("Main"))
    store.add(oauth_profile("Apps"))
    store.set_last_used("Main")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["last_used"] == "Main"
    assert {key for entry in data["profiles"] for key in entry} == {
        "name",
        "portal_url",
        "auth_kind",
        "webhook_user_id",
        "oauth_client_id",
        "rate_preset",
    }


# --- atomic writes ----------------------------------------------------------------------


def test_writes_go_through_a_synced_temp_file_and_replace(
    store: ProfileStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced_inodes: set[int] = set()
    replaced: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        synced_inodes.add(os.fstat(fd).st_ino)
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(profiles_module.os, "fsync", fsync)
    monkeypatch.setattr(profiles_module.os, "replace", replace)
    store.add(webhook_profile())
    assert len(replaced) == 1
    source, target = replaced[0]
    assert target == str(path)
    assert Path(source).parent == path.parent
    assert source != target
    # The renamed temp file was flushed before the rename, and the directory after it.
    assert path.stat().st_ino in synced_inodes
    if os.name == "posix":
        assert path.parent.stat().st_ino in synced_inodes
    assert sorted(p.name for p in path.parent.iterdir()) == ["profiles.json"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
    store: ProfileStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(webhook_profile("Main"))
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(profiles_module.os, "replace", broken_replace)
    with pytest.raises(ProfileConfigError, match=r"could not be saved.*No space left on device"):
        store.add(oauth_profile("Apps"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["profiles.json"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_unreadable_file_gets_a_clear_message_and_stays(store: ProfileStore, path: Path) -> None:
    store.add(webhook_profile())
    path.chmod(0)
    try:
        with pytest.raises(ProfileConfigError, match="could not be read"):
            store.profiles()
    finally:
        path.chmod(0o600)
    assert path.exists()


# --- damaged files ----------------------------------------------------------------------

VALID = {"version": 1, "last_used": None, "profiles": []}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[]", "layout"),
        (json.dumps({"profiles": []}).encode(), "layout"),
        (json.dumps({**VALID, "profiles": {}}).encode(), "layout"),
        (json.dumps({**VALID, "last_used": 3}).encode(), "layout"),
        (json.dumps({**VALID, "profiles": [7]}).encode(), "not an object"),
        (json.dumps({**VALID, "profiles": [{"name": "x"}]}).encode(), "no name or portal"),
        (
            json.dumps(
                {**VALID, "profiles": [{**webhook_profile().to_json(), "auth_kind": "basic"}]}
            ).encode(),
            "unknown connection kind",
        ),
        (
            json.dumps(
                {**VALID, "profiles": [{**webhook_profile().to_json(), "webhook_user_id": "1"}]}
            ).encode(),
            "wrong type",
        ),
        (
            json.dumps(
                {
                    **VALID,
                    "profiles": [{**webhook_profile().to_json(), "portal_url": "http://x.com"}],
                }
            ).encode(),
            "http://",
        ),
        (
            json.dumps(
                {**VALID, "profiles": [webhook_profile().to_json(), webhook_profile().to_json()]}
            ).encode(),
            "appears twice",
        ),
    ],
)
def test_damaged_file_is_set_aside_with_a_clear_message(
    store: ProfileStore, path: Path, content: bytes, reason: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(ProfileConfigError) as caught:
        store.profiles()
    message = str(caught.value)
    assert reason in message
    assert "damaged" in message
    kept_as = caught.value.kept_as
    assert kept_as is not None
    assert kept_as.name.startswith("profiles.json.corrupt-")
    assert kept_as.name in message
    assert kept_as.read_bytes() == content
    assert not path.exists()
    # Afterwards b24desk works again, starting empty, and the damaged copy stays.
    store.add(webhook_profile())
    assert store.names() == ["Main"]
    assert kept_as.read_bytes() == content


def test_two_damaged_files_in_a_row_are_both_kept(store: ProfileStore, path: Path) -> None:
    path.parent.mkdir(parents=True)
    kept: list[Path] = []
    for content in (b"first broken", b"second broken"):
        path.write_bytes(content)
        with pytest.raises(ProfileConfigError) as caught:
            store.profiles()
        assert caught.value.kept_as is not None
        kept.append(caught.value.kept_as)
    assert kept[0] != kept[1]
    assert [p.read_bytes() for p in kept] == [b"first broken", b"second broken"]


def test_file_from_a_newer_version_is_left_alone(store: ProfileStore, path: Path) -> None:
    path.parent.mkdir(parents=True)
    content = json.dumps({"version": 2, "profiles": "new layout"}).encode()
    path.write_bytes(content)
    with pytest.raises(ProfileConfigError, match="newer version of b24desk") as caught:
        store.profiles()
    assert caught.value.kept_as is None
    with pytest.raises(ProfileConfigError, match="newer version"):
        store.add(webhook_profile())
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == ["profiles.json"]


def test_last_used_naming_a_missing_profile_is_ignored(store: ProfileStore, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({**VALID, "last_used": "Gone"}), encoding="utf-8")
    assert store.last_used() is None
    assert path.exists()


def test_unknown_keys_in_a_profile_are_dropped_on_the_next_save(
    store: ProfileStore, path: Path
) -> None:
    entry = {**webhook_profile().to_json(), "webhook_code": "fakewebhookcode0000"}
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({**VALID, "profiles": [entry]}), encoding="utf-8")
    store.set_last_used("Main")
    assert "fakewebhookcode0000" not in path.read_text(encoding="utf-8")
