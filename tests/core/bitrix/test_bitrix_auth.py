from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from b24desk.core.bitrix import errors as e
from b24desk.core.bitrix.auth import OAuthAuth, TokenPair, WebhookAuth
from b24desk.core.redact import redact

FAKE_CODE = "fakewebhookcode0000"
OAUTH = "https://oauth.example.test"


def test_webhook_puts_the_code_in_the_path_and_registers_it() -> None:
    auth = WebhookAuth("https://example.bitrix24.com/", 7, FAKE_CODE)
    prepared = auth.prepare("tasks.task.list")
    assert prepared.url == f"https://example.bitrix24.com/rest/7/{FAKE_CODE}/tasks.task.list"
    assert prepared.body == {}
    assert FAKE_CODE not in repr(auth)
    assert redact(f"the code is {FAKE_CODE}") == "the code is ***"
    assert auth.can_refresh is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", 1, FAKE_CODE), "portal address is empty"),
        (("ftp://example.bitrix24.com", 1, FAKE_CODE), "must start with https://"),
        (("http://example.bitrix24.com", 1, FAKE_CODE), "uses http://"),
        (("https://example.bitrix24.com/rest/1", 1, FAKE_CODE), "nothing after the portal name"),
        (("https://u:p@example.bitrix24.com", 1, FAKE_CODE), "user name or password"),
        (("https://example.bitrix24.com", 0, FAKE_CODE), "positive whole number"),
        (("https://example.bitrix24.com", True, FAKE_CODE), "positive whole number"),
        (("https://example.bitrix24.com", 1, ""), "webhook code in this address is too short"),
        (("https://example.bitrix24.com", 1, "bad/code"), "characters that a webhook code"),
        (
            ("https://example.bitrix24.com", 1, "short7"),
            "webhook code in this address is too short",
        ),
    ],
)
def test_webhook_bad_input_gets_a_clear_message(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        WebhookAuth(*args)  # type: ignore[arg-type]
    assert "bad/code" not in str(info.value)


@pytest.mark.parametrize("code", ["fakecod8", "f" * 64, "fake_webhook-code"])
def test_webhook_codes_follow_the_same_rule_as_pasted_urls(code: str) -> None:
    from b24desk.core.credentials import parse_webhook_url

    assert (
        WebhookAuth("https://example.bitrix24.com", 1, code)
        .prepare("profile")
        .url.endswith(f"/rest/1/{code}/profile")
    )
    assert parse_webhook_url(f"https://example.bitrix24.com/rest/1/{code}/").code == code
    with pytest.raises(ValueError, match="webhook code in this address"):
        WebhookAuth("https://example.bitrix24.com", 1, code + "f" * 64)
    with pytest.raises(ValueError, match="webhook code in this address"):
        parse_webhook_url(f"https://example.bitrix24.com/rest/1/{code + 'f' * 64}/")


def test_portal_address_is_normalised_like_a_saved_profile() -> None:
    from b24desk.core.credentials import portal_address

    for pasted in (
        "example.bitrix24.com",
        "HTTPS://Example.Bitrix24.com:443/",
        " https://x.example ",
    ):
        assert WebhookAuth(pasted, 1, FAKE_CODE).portal_url == portal_address(pasted)


def test_plain_http_is_accepted_on_loopback_only() -> None:
    assert WebhookAuth("http://127.0.0.1:8080", 1, FAKE_CODE).portal_url == "http://127.0.0.1:8080"
    assert WebhookAuth("http://localhost", 1, FAKE_CODE).portal_url == "http://localhost"
    assert WebhookAuth("http://[::1]:9", 1, FAKE_CODE).portal_url == "http://[::1]:9"


def test_webhook_rejects_bad_method_names() -> None:
    auth = WebhookAuth("https://example.bitrix24.com", 1, FAKE_CODE)
    with pytest.raises(ValueError, match="not a Bitrix24 method name"):
        auth.prepare("../../profile")


def make_oauth(on_tokens: Callable[[TokenPair], None] | None = None) -> OAuthAuth:
    return OAuthAuth(
        "https://example.bitrix24.com",
        "FAKE-ACCESS-TOKEN",
        "FAKE-REFRESH-TOKEN",
        "local.fakeclient",
        "FAKE-CLIENT-SECRET",
        oauth_server=OAUTH,
        on_tokens=on_tokens,
        clock=lambda: 1000.0,
    )


def test_oauth_sends_the_token_in_the_body() -> None:
    auth = make_oauth()
    prepared = auth.prepare("profile")
    assert prepared.url == "https://example.bitrix24.com/rest/profile"
    assert prepared.body == {"auth": "FAKE-ACCESS-TOKEN"}
    assert prepared.generation == 0
    for secret in ("FAKE-ACCESS-TOKEN", "FAKE-REFRESH-TOKEN", "FAKE-CLIENT-SECRET"):
        assert secret not in repr(auth)
        assert redact(f"x {secret} y") == "x *** y"


@pytest.mark.parametrize(
    ("field", "message"),
    [("access_token", "access token is empty"), ("client_secret", "client secret is empty")],
)
def test_oauth_bad_input_gets_a_clear_message(field: str, message: str) -> None:
    kwargs = {
        "portal_url": "https://example.bitrix24.com",
        "access_token": "FAKE-ACCESS-TOKEN",
        "refresh_token": "FAKE-REFRESH-TOKEN",
        "client_id": "local.fakeclient",
        "client_secret": "FAKE-CLIENT-SECRET",
    }
    kwargs[field] = " "
    with pytest.raises(ValueError, match=message):
        OAuthAuth(**kwargs)


def test_oauth_server_must_be_https() -> None:
    with pytest.raises(ValueError, match="OAuth server address must look like https://"):
        OAuthAuth("https://p.example", "a-tok", "r-tok", "id", "sec", "http://oauth.example")


class OAuthServer:
    """A fake oauth.bitrix.info: counts refreshes, answers from the docs fixture."""

    def __init__(self, docs: Path, answer: httpx.Response | None = None) -> None:
        self.fixture = json.loads((docs / "oauth.token.refresh_token.response.json").read_text())
        self.answer = answer
        self.requests: list[httpx.Request] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        await self.gate.wait()
        if self.answer is not None:
            return self.answer
        return httpx.Response(200, json=self.fixture)


@pytest.mark.asyncio
async def test_refresh_uses_the_documented_query_and_hands_tokens_over(docs_fixtures: Path) -> None:
    saved: list[TokenPair] = []
    auth = make_oauth(saved.append)
    server = OAuthServer(docs_fixtures)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        await auth.refresh(http, seen_generation=0)
    (request,) = server.requests
    assert request.method == "GET"
    assert str(request.url).startswith(f"{OAUTH}/oauth/token/?")
    assert parse_qs(urlsplit(str(request.url)).query) == {
        "grant_type": ["refresh_token"],
        "client_id": ["local.fakeclient"],
        "client_secret": ["FAKE-CLIENT-SECRET"],
        "refresh_token": ["FAKE-REFRESH-TOKEN"],
    }
    new = TokenPair(server.fixture["access_token"], server.fixture["refresh_token"], 1780319382.0)
    assert saved == [new]
    assert auth.tokens == new
    assert auth.prepare("profile").body == {"auth": new.access_token}
    assert auth.prepare("profile").generation == 1
    assert redact(new.refresh_token) == "***"


@pytest.mark.asyncio
async def test_many_waiters_cause_exactly_one_refresh(docs_fixtures: Path) -> None:
    saved: list[TokenPair] = []
    auth = make_oauth(saved.append)
    server = OAuthServer(docs_fixtures)
    server.gate.clear()
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        waiters = [asyncio.create_task(auth.refresh(http, 0)) for _ in range(20)]
        await asyncio.sleep(0.01)
        assert len(server.requests) == 1  # the rest wait on the lock
        server.gate.set()
        await asyncio.gather(*waiters)
        assert len(server.requests) == 1
        assert len(saved) == 1
        # A later expiry of the *new* token refreshes again, once.
        await asyncio.gather(*(auth.refresh(http, 1) for _ in range(5)))
    assert len(server.requests) == 2
    assert auth.generation == 2


@pytest.mark.asyncio
async def test_invalid_grant_means_sign_in_again_and_is_not_retried(docs_fixtures: Path) -> None:
    body = {"error": "invalid_grant", "error_description": "Invalid grant"}
    server = OAuthServer(docs_fixtures, httpx.Response(400, json=body))
    auth = make_oauth()
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        results = await asyncio.gather(
            *(auth.refresh(http, 0) for _ in range(10)), return_exceptions=True
        )
    assert len(server.requests) == 1
    assert all(isinstance(r, e.InvalidGrant) for r in results)
    error = results[0]
    assert isinstance(error, e.InvalidGrant)
    assert "Sign in again" in error.user_message
    assert auth.generation == 0


@pytest.mark.asyncio
async def test_a_transient_refresh_failure_may_be_retried(docs_fixtures: Path) -> None:
    server = OAuthServer(docs_fixtures, httpx.Response(502, text="<html>Bad gateway</html>"))
    auth = make_oauth()
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        with pytest.raises(e.UnexpectedResponse):
            await auth.refresh(http, 0)
        server.answer = None
        await auth.refresh(http, 0)
    assert len(server.requests) == 2
    assert auth.generation == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"refresh_token": "x-refresh-new"}),
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(200, text="<html>login</html>"),
        httpx.Response(302, headers={"location": "https://example.test/auth/"}),
    ],
)
async def test_malformed_token_answers_are_unexpected_responses(
    docs_fixtures: Path, answer: httpx.Response
) -> None:
    auth = make_oauth()
    transport = httpx.MockTransport(OAuthServer(docs_fixtures, answer))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(e.UnexpectedResponse):
            await auth.refresh(http, 0)
    assert auth.tokens.access_token == "FAKE-ACCESS-TOKEN"


@pytest.mark.asyncio
async def test_a_failing_token_callback_is_logged_not_raised(
    docs_fixtures: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(tokens: TokenPair) -> None:
        raise OSError(f"disk full while saving {tokens.access_token}")

    auth = make_oauth(broken)
    transport = httpx.MockTransport(OAuthServer(docs_fixtures))
    async with httpx.AsyncClient(transport=transport) as http:
        await auth.refresh(http, 0)
    assert auth.generation == 1
    (record,) = [r for r in caplog.records if "saving the refreshed" in r.getMessage()]
    assert record.exc_text is not None
    assert auth.tokens.access_token not in record.exc_text


@pytest.mark.asyncio
async def test_webhook_cannot_refresh() -> None:
    auth = WebhookAuth("https://example.bitrix24.com", 1, FAKE_CODE)
    async with httpx.AsyncClient() as http:
        with pytest.raises(e.ExpiredToken):
            await auth.refresh(http, 0)


# --- review fixes: reprs, transient refresh failures, one token parser -----------------------


def test_prepared_auth_repr_shows_no_secret() -> None:
    webhook = WebhookAuth("https://example.bitrix24.com", 1, FAKE_CODE).prepare("profile")
    oauth = make_oauth().prepare("profile")
    assert FAKE_CODE in webhook.url
    assert oauth.body == {"auth": "FAKE-ACCESS-TOKEN"}
    for shown in (repr(webhook), repr(oauth), str(webhook), str(oauth)):
        assert FAKE_CODE not in shown
        assert "FAKE-ACCESS-TOKEN" not in shown
        assert "generation=" in shown


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        # Classified by the error string, whatever the HTTP status says.
        (e.classify("invalid_grant", "Invalid grant", 500), False),
        (e.classify("INTERNAL_SERVER_ERROR", "Internal server error", 200), True),
        (e.classify("INTERNAL_SERVER_ERROR", "Internal server error", 500), True),
        (e.classify("SOMETHING_NEW", "", 500), False),
        (e.classify("QUERY_LIMIT_EXCEEDED", "Too many requests", 503), True),
        (e.ConnectionLost("lost", may_have_run=True), True),
        (e.UnexpectedResponse("html", http_status=502), True),
        (e.UnexpectedResponse("html", http_status=404), False),
    ],
)
def test_refresh_failures_are_transient_by_class_not_status(
    error: e.B24Error, transient: bool
) -> None:
    from b24desk.core.bitrix.auth import _is_transient

    assert _is_transient(error) is transient


@pytest.mark.asyncio
async def test_an_invalid_grant_sent_with_status_500_is_remembered(docs_fixtures: Path) -> None:
    body = {"error": "invalid_grant", "error_description": "Invalid grant"}
    server = OAuthServer(docs_fixtures, httpx.Response(500, json=body))
    auth = make_oauth()
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        for _ in range(3):
            with pytest.raises(e.InvalidGrant):
                await auth.refresh(http, 0)
    assert len(server.requests) == 1, "a dead refresh token is not spent again"


@pytest.mark.parametrize(
    ("payload", "expires_at"),
    [
        ({"access_token": "FAKE-A1", "refresh_token": "FAKE-R1", "expires": 5000}, 5000.0),
        ({"access_token": "FAKE-A1", "refresh_token": "FAKE-R1", "expires_in": 3600}, 4600.0),
        (
            {"access_token": "FAKE-A1", "refresh_token": "FAKE-R1", "expires": 7, "expires_in": 9},
            7.0,
        ),
        ({"access_token": "FAKE-A1", "refresh_token": "FAKE-R1", "expires_in": True}, None),
        ({"access_token": "FAKE-A1", "refresh_token": "FAKE-R1"}, None),
    ],
)
def test_token_pair_from_reads_tokens_and_expiry(
    payload: dict[str, object], expires_at: float | None
) -> None:
    from b24desk.core.bitrix.auth import token_pair_from

    assert token_pair_from(payload, lambda: 1000.0) == TokenPair("FAKE-A1", "FAKE-R1", expires_at)
    assert redact("FAKE-A1 FAKE-R1") == "*** ***"


@pytest.mark.parametrize(
    "payload",
    [
        {"refresh_token": "FAKE-R1"},
        {"access_token": "FAKE-A1"},
        {"access_token": "", "refresh_token": "FAKE-R1"},
        {"access_token": "FAKE-A1", "refresh_token": ""},
        {"access_token": 5, "refresh_token": "FAKE-R1"},
    ],
)
def test_token_pair_from_without_both_tokens_is_none(payload: dict[str, object]) -> None:
    from b24desk.core.bitrix.auth import token_pair_from

    assert token_pair_from(payload, lambda: 1000.0) is None


def test_the_sign_in_reads_tokens_with_the_same_parser() -> None:
    from b24desk.core.credentials import oauth_flow

    payload = {
        "access_token": "FAKE-A2",
        "refresh_token": "FAKE-R2",
        "expires_in": 3600,
        "domain": "example.bitrix24.com",
    }
    grant = oauth_flow._grant_from(payload, lambda: 1000.0)
    assert grant.pair == TokenPair("FAKE-A2", "FAKE-R2", 4600.0)
    assert grant.domain == "example.bitrix24.com"
    with pytest.raises(oauth_flow.OAuthFlowError, match="no tokens"):
        oauth_flow._grant_from({"access_token": "FAKE-A2", "refresh_token": ""})
