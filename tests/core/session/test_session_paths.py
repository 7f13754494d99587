"""Where b24desk keeps its files, and B24DESK_HOME moving all of them."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from b24desk.core import paths
from b24desk.core.credentials import Profile, ProfileError, ProfileStore, default_profiles_path


def test_without_home_the_platform_places_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    assert paths.config_dir() == Path(platformdirs.user_config_dir("b24desk"))
    assert paths.data_dir() == Path(platformdirs.user_data_dir("b24desk"))
    assert paths.journal_path() == paths.data_dir() / "journal.jsonl"
    assert paths.log_path() == paths.data_dir() / "logs" / "b24desk.log"


def test_home_moves_config_data_journal_and_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    assert paths.config_dir() == tmp_path / "config"
    assert paths.data_dir() == tmp_path / "data"
    assert paths.profiles_path() == tmp_path / "config" / "profiles.json"
    assert paths.journal_path() == tmp_path / "data" / "journal.jsonl"
    assert paths.log_path() == tmp_path / "data" / "logs" / "b24desk.log"


def test_the_profile_store_follows_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    assert default_profiles_path() == tmp_path / "config" / "profiles.json"
    store = ProfileStore()
    store.add(Profile("Main", "https://example.bitrix24.com", "webhook", webhook_user_id=1))
    assert (tmp_path / "config" / "profiles.json").is_file()


def test_a_relative_home_is_pinned_to_an_absolute_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.config_dir({paths.HOME_ENV: "portable"}) == tmp_path / "portable" / "config"


def test_an_empty_home_means_the_platform_places() -> None:
    assert paths.data_dir({paths.HOME_ENV: "  "}) == Path(platformdirs.user_data_dir("b24desk"))


def test_profile_keeps_a_ca_bundle_and_an_oauth_server(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    webhook = Profile(
        "Own server", "https://b24.intranet.example", "webhook", 3, ca_bundle="/etc/ca.pem"
    )
    oauth = Profile(
        "App",
        "http://127.0.0.1:8080",
        "oauth",
        oauth_client_id="local.abc.1",
        oauth_server="http://127.0.0.1:8080",
    )
    store.add(webhook)
    store.add(oauth)
    assert store.get("Own server") == webhook
    assert store.get("App") == oauth


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ca_bundle": ""}, "certificate authority file"),
        ({"ca_bundle": "a\nb"}, "certificate authority file"),
        ({"oauth_server": "https://oauth.bitrix.info"}, "webhook profile has no OAuth server"),
    ],
)
def test_bad_optional_webhook_fields_are_refused(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        Profile("Main", "https://example.bitrix24.com", "webhook", 1, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "server", ["http://oauth.example.com", "https://oauth.bitrix.info/oauth/token/", "nonsense x"]
)
def test_bad_oauth_servers_are_refused(server: str) -> None:
    with pytest.raises(ProfileError, match="OAuth server address"):
        Profile(
            "App",
            "https://example.bitrix24.com",
            "oauth",
            oauth_client_id="local.abc.1",
            oauth_server=server,
        )
