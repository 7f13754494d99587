"""The OAuth local-application sign-in, end to end against the sandbox served on loopback."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from keyring_double import MemoryKeyring
from session_doubles import ManualClock

from b24desk.core.connection import check_connection
from b24desk.core.credentials import SERVICE_NAME, Connections, SecretKind
from b24desk.core.credentials.oauth_flow import (
    CALLBACK_PATH,
    OAuthFlowError,
    OAuthSignIn,
    StateMismatch,
    authorize_url,
    code_from_pasted,
    sign_in_profile,
)
from b24desk.core.session import open_session, resolve_target
from b24desk.sandbox import PortalConfig, SandboxPortal, serve

STATE = "fake-state-0000"


class Browser:
    """Plays the admin's browser: opens the page in its own thread, as a real one would."""

    def __init__(self, visit: Callable[[str], None] | None = None) -> None:
        self.opened: list[str] = []
        self.visits: list[httpx.Response] = []
        self.threads: list[threading.Thread] = []
        self._visit = visit or self.follow

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        self.threads.append(thread)
        thread.start()
        return True

    def follow(self, url: str) -> None:
        self.visits.append(httpx.get(url, follow_redirects=True, timeout=10))

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=10)


@contextmanager
def served(clock: ManualClock | None = None) -> Iterator[tuple[SandboxPortal, str]]:
    config = PortalConfig(seed=9, task_count=10, limits="off")
    portal = SandboxPortal(config, clock=clock) if clock else SandboxPortal(config)
    with serve(portal) as base:
        yield portal, base


def add_app(connections: Connections, portal: SandboxPortal, base: str, secret: str = "") -> None:
    config = portal.config
    connections.add_oauth(
        "App", base, config.client_id, secret or config.client_secret, oauth_server=base
    )


# --- pieces ----------------------------------------------------------------------------------


def test_authorize_url_carries_client_id_state_and_redirect() -> None:
    url = authorize_url("https://anna.bitrix24.com", "local.a.1", STATE, "http://127.0.0.1:5/cb")
    split = urlsplit(url)
    assert (split.scheme, split.netloc, split.path) == (
        "https",
        "anna.bitrix24.com",
        "/oauth/authorize/",
    )
    assert parse_qs(split.query) == {
        "client_id": ["local.a.1"],
        "state": [STATE],
        "redirect_uri": ["http://127.0.0.1:5/cb"],
    }


@pytest.mark.parametrize(
    "pasted",
    [
        "sandboxcode0123456789",
        f"https://app.example/handler?code=sandboxcode0123456789&state={STATE}&domain=x",
        f"  code=sandboxcode0123456789&state={STATE}  ",
    ],
)
def test_pasted_code_or_address_gives_the_code(pasted: str) -> None:
    assert code_from_pasted(pasted, STATE) == "sandboxcode0123456789"


@pytest.mark.parametrize(
    ("pasted", "error", "message"),
    [
        ("", OAuthFlowError, "Nothing was pasted"),
        ("not a code!", OAuthFlowError, "not an authorization code"),
        ("https://app.example/handler?state=x", OAuthFlowError, "no authorization code"),
        (
            "https://app.example/handler?code=sandboxcode0123&state=other",
            StateMismatch,
            "does not belong to the sign-in",
        ),
        (
            f"https://app.example/handler?error=access_denied&state={STATE}",
            OAuthFlowError,
            "refused in the browser",
        ),
    ],
)
def test_bad_pastes_are_explained(pasted: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        code_from_pasted(pasted, STATE)


# --- end to end --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_browser_redirect_signs_in_and_tokens_go_to_the_keyring(
    connections: Connections, memory_keyring: MemoryKeyring
) -> None:
    browser = Browser()
    with served() as (portal, base):
        add_app(connections, portal, base)
        grant = await sign_in_profile(connections, "App", open_browser=browser, wait_s=20)
        browser.join()
        target = resolve_target(connections, profile="App")
        async with await open_session(connections, target) as session:
            verdict = await check_connection(session.client)
    assert verdict.ok, verdict.message
    opened = urlsplit(browser.opened[0])
    query = parse_qs(opened.query)
    assert opened.path == "/oauth/authorize/"
    assert query["client_id"] == [portal.config.client_id]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["redirect_uri"][0].endswith(CALLBACK_PATH)
    assert browser.visits[0].status_code == 200
    assert "signed in" in browser.visits[0].text
    stored = memory_keyring.entries
    assert stored[(SERVICE_NAME, "App:access_token")] == grant.access_token
    assert stored[(SERVICE_NAME, "App:refresh_token")] == grant.refresh_token
    assert grant.domain == urlsplit(base).netloc
    assert "sandbox" not in repr(grant)  # tokens never show in a repr


@pytest.mark.asyncio
async def test_a_pasted_redirect_address_signs_in(connections: Connections) -> None:
    pasted: list[str] = []

    def portal_redirects_to_the_app_handler(url: str) -> None:
        # Without a loopback listener the portal sends the browser to the application's own
        # handler; the admin copies that address from the browser.
        answer = httpx.get(url + "&" + urlencode({"redirect_uri": "https://app.example/h"}))
        pasted.append(answer.headers["location"])

    browser = Browser(portal_redirects_to_the_app_handler)
    with served() as (portal, base):
        add_app(connections, portal, base)
        await sign_in_profile(
            connections,
            "App",
            open_browser=browser,
            listen=False,
            paste=lambda flow: (browser.join(), flow.paste(pasted[0])),
            wait_s=20,
        )
    assert connections.secrets.get("App", SecretKind.REFRESH_TOKEN)
    assert pasted[0].startswith("https://app.example/h?code=")


@pytest.mark.asyncio
async def test_a_redirect_with_a_foreign_state_is_ignored(connections: Connections) -> None:
    def forger_then_portal(url: str) -> None:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        forged = httpx.get(f"{redirect}?code=sandboxcodeforged000&state=forged", timeout=10)
        assert forged.status_code == 400
        httpx.get(url, follow_redirects=True, timeout=10)

    browser = Browser(forger_then_portal)
    with served() as (portal, base):
        add_app(connections, portal, base)
        grant = await sign_in_profile(connections, "App", open_browser=browser, wait_s=20)
        browser.join()
    assert grant.access_token.startswith("sandboxaccess")


@pytest.mark.asyncio
async def test_refusal_in_the_browser_ends_the_sign_in(connections: Connections) -> None:
    def refuse(url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        redirect, state = query["redirect_uri"][0], query["state"][0]
        httpx.get(f"{redirect}?error=access_denied&state={state}", timeout=10)

    browser = Browser(refuse)
    with served() as (portal, base):
        add_app(connections, portal, base)
        with pytest.raises(OAuthFlowError, match="refused in the browser"):
            await sign_in_profile(connections, "App", open_browser=browser, wait_s=20)
        browser.join()
    assert connections.secrets.get("App", SecretKind.ACCESS_TOKEN) is None


@pytest.mark.asyncio
async def test_wrong_client_secret_is_explained(connections: Connections) -> None:
    browser = Browser()
    with served() as (portal, base):
        add_app(connections, portal, base, secret="FAKE-CLIENT-SECRET")
        with pytest.raises(OAuthFlowError, match="client id or client secret") as caught:
            await sign_in_profile(connections, "App", open_browser=browser, wait_s=20)
        browser.join()
    assert "FAKE-CLIENT-SECRET" not in str(caught.value)
    assert connections.secrets.get("App", SecretKind.ACCESS_TOKEN) is None


@pytest.mark.asyncio
async def test_a_code_older_than_30_seconds_is_refused(connections: Connections) -> None:
    clock = ManualClock()
    pasted: list[str] = []

    def late(url: str) -> None:
        answer = httpx.get(url + "&redirect_uri=https%3A%2F%2Fapp.example%2Fh", timeout=10)
        pasted.append(answer.headers["location"])
        clock.advance(31)

    browser = Browser(late)
    with served(clock) as (portal, base):
        add_app(connections, portal, base)
        with pytest.raises(OAuthFlowError, match="only for 30 seconds"):
            await sign_in_profile(
                connections,
                "App",
                open_browser=browser,
                listen=False,
                paste=lambda flow: (browser.join(), flow.paste(pasted[0])),
                wait_s=20,
            )


@pytest.mark.asyncio
async def test_no_answer_in_time_says_what_to_do(connections: Connections) -> None:
    with served() as (portal, base):
        add_app(connections, portal, base)
        with pytest.raises(OAuthFlowError, match="No answer came from the browser in time"):
            await sign_in_profile(connections, "App", open_browser=lambda url: False, wait_s=0.05)


@pytest.mark.asyncio
async def test_the_listener_is_closed_after_the_sign_in() -> None:
    flow = OAuthSignIn(
        "http://127.0.0.1:9", "local.a.1", "FAKE-CLIENT-SECRET", open_browser=lambda u: True
    )
    await flow.start()
    assert flow.redirect_uri is not None
    await flow.aclose()
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as http:
            await http.get(flow.redirect_uri)


def test_flow_needs_client_id_and_secret() -> None:
    with pytest.raises(OAuthFlowError, match="client id and the client secret"):
        OAuthSignIn("https://anna.bitrix24.com", "local.a.1", " ")
