"""Turning a profile name or a webhook URL into a ready PortalSession, against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring_double import MemoryKeyring
from session_doubles import ManualClock

from b24desk.core import paths
from b24desk.core.bitrix import OAuthAuth, WebhookAuth
from b24desk.core.connection import check_connection
from b24desk.core.credentials import (
    SERVICE_NAME,
    Connections,
    ProfileError,
    SecretKind,
    WebhookUrlError,
)
from b24desk.core.model import PENDING, TaskOutcome
from b24desk.core.renew.journal import TaskSnapshot
from b24desk.core.session import (
    WEBHOOK_ENV,
    NoConnectionGiven,
    NotSignedIn,
    open_session,
    resolve_target,
)
from b24desk.sandbox import PortalConfig, SandboxPortal

BASE = "https://sandbox.invalid"
CODE = "fakewebhookcode0000"


def sandbox(clock: ManualClock | None = None, **config: object) -> SandboxPortal:
    settings: dict[str, object] = {
        "seed": 3,
        "task_count": 40,
        "limits": "off",
        "webhook_code": CODE,
    }
    settings.update(config)
    portal_config = PortalConfig(**settings)  # type: ignore[arg-type]
    return SandboxPortal(portal_config, clock=clock) if clock else SandboxPortal(portal_config)


# --- which portal --------------------------------------------------------------------------


def test_profile_name_wins_over_everything(connections: Connections) -> None:
    connections.add_webhook("Main", f"{BASE}/rest/1/{CODE}/")
    target = resolve_target(connections, profile="main", environ={WEBHOOK_ENV: "x"})
    assert target.profile is not None
    assert (target.profile.name, target.source) == ("Main", "profile")


def test_webhook_option_then_environment(connections: Connections) -> None:
    connections.add_webhook("Main", f"{BASE}/rest/1/{CODE}/")
    given = resolve_target(
        connections, webhook=f"{BASE}/rest/7/{CODE}/", environ={WEBHOOK_ENV: "ignored"}
    )
    assert given.webhook is not None
    assert (given.webhook.user_id, given.source) == (7, "--webhook")
    from_env = resolve_target(connections, environ={WEBHOOK_ENV: f" {BASE}/rest/9/{CODE}/ "})
    assert from_env.webhook is not None
    assert (from_env.webhook.user_id, from_env.source) == (9, WEBHOOK_ENV)
    assert from_env.name == BASE


def test_then_the_last_used_then_the_only_profile(connections: Connections) -> None:
    connections.add_webhook("Only", f"{BASE}/rest/1/{CODE}/")
    only = resolve_target(connections, environ={})
    assert only.profile is not None
    assert (only.profile.name, only.source) == ("Only", "only profile")
    connections.add_webhook("Second", f"{BASE}/rest/2/{CODE}/")
    with pytest.raises(NoConnectionGiven, match="pass --profile NAME or --webhook URL"):
        resolve_target(connections, environ={})
    connections.profiles.set_last_used("Second")
    last = resolve_target(connections, environ={})
    assert last.profile is not None
    assert (last.profile.name, last.source) == ("Second", "last used profile")


def test_nothing_saved_says_how_to_add_a_connection(connections: Connections) -> None:
    with pytest.raises(NoConnectionGiven, match="b24desk profile add NAME --webhook URL"):
        resolve_target(connections, environ={})


def test_both_profile_and_webhook_is_refused(connections: Connections) -> None:
    with pytest.raises(ProfileError, match="use only one of them"):
        resolve_target(connections, profile="Main", webhook=f"{BASE}/rest/1/{CODE}/")


def test_unknown_profile_and_bad_webhook_get_plain_messages(connections: Connections) -> None:
    with pytest.raises(ProfileError, match="Nope"):
        resolve_target(connections, profile="Nope")
    with pytest.raises(WebhookUrlError, match="http://") as caught:
        resolve_target(connections, environ={WEBHOOK_ENV: f"http://example.com/rest/1/{CODE}/"})
    assert CODE not in str(caught.value)


# --- the session ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_webhook_profile_session_paces_for_the_plan_and_renews(
    connections: Connections, home: Path
) -> None:
    portal = sandbox(limits="enterprise")
    connections.add_webhook("Main", portal.webhook_url(BASE))
    target = resolve_target(connections, profile="Main")
    async with await open_session(
        connections, target, transport=portal.mock_transport()
    ) as session:
        assert isinstance(session.auth, WebhookAuth)
        assert session.client.pacer.preset.name == "enterprise"
        assert session.journal.path == paths.journal_path()
        assert session.journal.path.is_relative_to(home)
        task_id = next(t.id for t in portal.tasks.values() if t.status == 5)
        report = await session.engine.renew([TaskSnapshot(task_id, 5)])
    assert report.results[task_id].outcome is TaskOutcome.RENEWED
    assert portal.tasks[task_id].status == PENDING
    run = session.journal.run(report.run_id)
    assert run is not None
    assert run.portal == BASE


@pytest.mark.asyncio
async def test_a_fixed_rate_preset_does_not_ask_the_portal(connections: Connections) -> None:
    portal = sandbox()
    connections.add_webhook("Main", portal.webhook_url(BASE), rate_preset="standard")
    target = resolve_target(connections, profile="Main")
    async with await open_session(connections, target, transport=portal.mock_transport()) as s:
        assert s.client.pacer.preset.name == "standard"
    assert portal.method_calls["app.info"] == 0


@pytest.mark.asyncio
async def test_missing_ca_file_is_a_plain_error(connections: Connections, tmp_path: Path) -> None:
    connections.add_webhook(
        "Own", f"{BASE}/rest/1/{CODE}/", ca_bundle=str(tmp_path / "missing.pem")
    )
    target = resolve_target(connections, profile="Own")
    with pytest.raises(ProfileError, match=r"certificate authority file .*missing\.pem"):
        await open_session(connections, target)


@pytest.mark.asyncio
async def test_profile_whose_code_left_the_keyring(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    connections.add_webhook("Main", f"{BASE}/rest/1/{CODE}/")
    memory_keyring.entries.clear()
    target = resolve_target(connections, profile="Main")
    with pytest.raises(ProfileError, match="not in the password store"):
        await open_session(connections, target)


@pytest.mark.asyncio
async def test_oauth_profile_without_tokens_is_not_signed_in(connections: Connections) -> None:
    connections.add_oauth("App", BASE, "local.app.1", "FAKE-CLIENT-SECRET")
    target = resolve_target(connections, profile="App")
    with pytest.raises(NotSignedIn, match="not signed in"):
        await open_session(connections, target)


@pytest.mark.asyncio
async def test_refreshed_oauth_tokens_are_saved_at_once(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    clock = ManualClock()
    portal = sandbox(clock)
    config = portal.config
    connections.add_oauth("App", BASE, config.client_id, config.client_secret, oauth_server=BASE)
    first = portal.issue_oauth_tokens()
    connections.secrets.save_tokens("App", first.access_token, first.refresh_token)
    target = resolve_target(connections, profile="App")
    async with await open_session(
        connections, target, transport=portal.mock_transport(), detect_rate=False
    ) as session:
        assert isinstance(session.auth, OAuthAuth)
        clock.advance(config.access_token_lifetime_s + 1)  # the access token expires
        verdict = await check_connection(session.client)
    assert verdict.ok, verdict.message
    saved_access = connections.secrets.get("App", SecretKind.ACCESS_TOKEN)
    saved_refresh = connections.secrets.get("App", SecretKind.REFRESH_TOKEN)
    assert saved_access not in (None, first.access_token)
    assert saved_refresh not in (None, first.refresh_token)
    assert memory_keyring.entries[(SERVICE_NAME, "App:refresh_token")] == saved_refresh
    # The saved pair is the live one: a new session with it works without another refresh.
    again = resolve_target(connections, profile="App")
    async with await open_session(
        connections, again, transport=portal.mock_transport(), detect_rate=False
    ) as session:
        assert (await check_connection(session.client)).ok


@pytest.mark.asyncio
async def test_the_password_store_is_read_off_the_event_loop(
    connections: Connections, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the window the loop is the GUI thread; a keyring prompt there would freeze it."""
    import threading

    portal = sandbox()
    connections.add_webhook("Main", portal.webhook_url(BASE), rate_preset="standard")
    target = resolve_target(connections, profile="Main")
    readers: list[threading.Thread] = []
    read = memory_keyring.get_password

    def recording_read(service: str, username: str) -> str | None:
        readers.append(threading.current_thread())
        return read(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", recording_read)
    async with await open_session(connections, target, transport=portal.mock_transport()):
        pass
    assert readers
    assert threading.main_thread() not in readers
