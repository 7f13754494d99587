"""Every connection verdict, produced against the sandbox portal (or a real loopback socket)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from tls_helpers import closed_port, make_certificates, web_page_server

from b24desk.core.bitrix import (
    BitrixClient,
    ConnectFailed,
    OAuthAuth,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    WebhookAuth,
)
from b24desk.core.connection import (
    ConnectionVerdict,
    VerdictKind,
    check_connection,
    portal_label,
    verdict_for_error,
)
from b24desk.core.credentials import parse_webhook_url
from b24desk.sandbox import FaultPlan, PortalConfig, SandboxPortal, serve

pytestmark = pytest.mark.asyncio

BASE = "https://sandbox.invalid"
# Failing at once keeps the tests short; the verdicts are the same after the retries.
NO_RETRIES = RetryPolicy(query_limit_retries=0, operation_limit_retries=0, transport_retries=0)


def sandbox(**config: Any) -> SandboxPortal:
    settings: dict[str, Any] = {"seed": 5, "task_count": 30, "limits": "off"}
    settings.update(config)
    return SandboxPortal(PortalConfig(**settings))


def webhook_client(
    url: str,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: str | None = None,
) -> BitrixClient:
    address = parse_webhook_url(url)
    auth = WebhookAuth(address.portal_url, address.user_id, address.code)
    return BitrixClient(auth, transport=transport, verify=verify, retry=NO_RETRIES)


async def check_sandbox(portal: SandboxPortal, url: str | None = None) -> ConnectionVerdict:
    async with webhook_client(url or portal.webhook_url(BASE), portal.mock_transport()) as client:
        return await check_connection(client)


async def check_url(url: str, verify: str | None = None) -> ConnectionVerdict:
    async with webhook_client(url, verify=verify) as client:
        return await check_connection(client)


def assert_failed(verdict: ConnectionVerdict, kind: VerdictKind, *phrases: str) -> None:
    assert (verdict.ok, verdict.kind) == (False, kind), verdict.message
    for phrase in phrases:
        assert phrase in verdict.message
    assert verdict.message.count(". ") == 0, "one sentence"
    assert verdict.message.endswith(".")


class Override(httpx.AsyncBaseTransport):
    """The sandbox, except that the given methods get a canned answer instead."""

    def __init__(self, portal: SandboxPortal, answers: Mapping[str, tuple[int, Any]]) -> None:
        self.inner = portal.mock_transport()
        self.answers = answers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        if method in self.answers:
            status, body = self.answers[method]
            return httpx.Response(status, json=body, request=request)
        return await self.inner.handle_async_request(request)


# --- success ---------------------------------------------------------------------------------


async def test_ready_as_administrator_names_the_portal_and_user() -> None:
    portal = sandbox(limits="standard")
    me = portal.users[portal.config.user_id]
    verdict = await check_sandbox(portal)
    assert verdict.ok
    assert verdict.kind is VerdictKind.READY
    assert verdict.message == (
        f"Connected to sandbox.invalid as {me.name} {me.last_name} (administrator). "
        "Ready to reopen tasks."
    )
    assert (verdict.user_id, verdict.admin, verdict.legacy) == (me.id, True, False)
    assert "task" in verdict.scopes
    assert verdict.rate_preset == "standard"
    assert portal.method_calls["profile"] == portal.method_calls["scope"] == 1
    assert portal.method_calls["method.get"] == 1
    assert portal.method_calls["app.info"] == 1


async def test_ready_as_ordinary_user_says_what_that_limits() -> None:
    verdict = await check_sandbox(sandbox(admin=False))
    assert verdict.ok
    assert not verdict.admin
    assert "not an administrator, so only tasks this user may change can be reopened" in (
        verdict.message
    )


async def test_enterprise_licence_sets_the_enterprise_rate() -> None:
    portal = sandbox(limits="enterprise")
    async with webhook_client(portal.webhook_url(BASE), portal.mock_transport()) as client:
        verdict = await check_connection(client)
        assert client.pacer.preset.name == "enterprise"
    assert verdict.rate_preset == "enterprise"


async def test_old_portal_is_ready_with_the_legacy_method() -> None:
    portal = sandbox(legacy=True)
    verdict = await check_sandbox(portal)
    assert verdict.ok
    assert verdict.legacy
    assert "older method" in verdict.message
    assert portal.method_calls["method.get"] == 2


async def test_oauth_sign_in_is_checked_the_same_way() -> None:
    portal = sandbox()
    tokens = portal.issue_oauth_tokens()
    auth = OAuthAuth(
        BASE,
        tokens.access_token,
        tokens.refresh_token,
        portal.config.client_id,
        portal.config.client_secret,
        oauth_server=BASE,
    )
    async with BitrixClient(auth, transport=portal.mock_transport(), retry=NO_RETRIES) as client:
        verdict = await check_connection(client)
    assert verdict.ok, verdict.message
    assert verdict.rate_preset == "enterprise"  # limits "off" reports an enterprise licence


# --- what is wrong with the credentials or the portal ----------------------------------------


async def test_wrong_webhook_code() -> None:
    portal = sandbox()
    wrong = portal.webhook_url(BASE).replace(portal.webhook_code, "wrongcode0000000")
    verdict = await check_sandbox(portal, wrong)
    assert_failed(verdict, VerdictKind.WRONG_CODE, "did not accept this webhook", "copy the")
    assert verdict.error_code == "INVALID_CREDENTIALS"


async def test_webhook_without_the_task_scope() -> None:
    portal = sandbox(webhook_scopes=("user", "department"))
    verdict = await check_sandbox(portal)
    assert_failed(verdict, VerdictKind.NO_TASK_SCOPE, "add Tasks (task) to its permissions")
    assert verdict.user_name  # the webhook itself works: we know who it is
    assert verdict.scopes == ("user", "department")
    assert portal.method_calls["method.get"] == 0


async def test_oauth_app_without_the_task_scope() -> None:
    portal = sandbox(app_scopes=("user",))
    tokens = portal.issue_oauth_tokens()
    auth = OAuthAuth(BASE, tokens.access_token, tokens.refresh_token, "local.x.1", "secretnotreal0")
    async with BitrixClient(auth, transport=portal.mock_transport(), retry=NO_RETRIES) as client:
        verdict = await check_connection(client)
    assert_failed(verdict, VerdictKind.NO_TASK_SCOPE, "local application", "sign in again")


async def test_oauth_token_the_portal_does_not_know() -> None:
    portal = sandbox()
    auth = OAuthAuth(BASE, "FAKE-ACCESS-TOKEN", "FAKE-REFRESH-TOKEN", "local.x.1", "secret00")
    async with BitrixClient(auth, transport=portal.mock_transport(), retry=NO_RETRIES) as client:
        verdict = await check_connection(client)
    assert_failed(verdict, VerdictKind.SIGN_IN_EXPIRED, "sign in to the portal again")


async def test_rest_not_available_on_the_plan() -> None:
    portal = sandbox()
    denied = {
        "error": "ACCESS_DENIED",
        "error_description": "REST is available only on commercial plans.",
    }
    transport = Override(portal, {"profile": (403, denied)})
    async with webhook_client(portal.webhook_url(BASE), transport) as client:
        verdict = await check_connection(client)
    assert_failed(verdict, VerdictKind.REST_UNAVAILABLE, "commercial plans", "upgrade")


async def test_other_access_denied_quotes_the_portal() -> None:
    portal = sandbox()
    denied = {"error": "user_access_error", "error_description": "Access for this user is denied"}
    transport = Override(portal, {"profile": (403, denied)})
    async with webhook_client(portal.webhook_url(BASE), transport) as client:
        verdict = await check_connection(client)
    assert_failed(verdict, VerdictKind.ACCESS_DENIED, "(Access for this user is denied)")


async def test_portal_deleted() -> None:
    portal = sandbox()
    deleted = {"error": "PORTAL_DELETED", "error_description": "Portal was deleted"}
    transport = Override(portal, {"profile": (500, deleted)})
    async with webhook_client(portal.webhook_url(BASE), transport) as client:
        verdict = await check_connection(client)
    assert_failed(verdict, VerdictKind.PORTAL_DELETED, "deleted or closed")


async def test_portal_without_any_renew_method() -> None:
    portal = sandbox()
    missing = {"result": {"isExisting": False, "isAvailable": False}}
    transport = Override(portal, {"method.get": (200, missing)})
    async with webhook_client(portal.webhook_url(BASE), transport) as client:
        verdict = await check_connection(client)
    assert_failed(verdict, VerdictKind.NO_RENEW_METHOD, "very old Bitrix24 versions")


async def test_rate_limited_portal() -> None:
    verdict = await check_sandbox(sandbox(faults=FaultPlan.parse("on:profile=qle*all")))
    assert_failed(verdict, VerdictKind.RATE_LIMITED, "too many", "wait a few minutes")


async def test_overloaded_portal() -> None:
    verdict = await check_sandbox(sandbox(faults=FaultPlan.parse("on:profile=overload")))
    assert_failed(verdict, VerdictKind.OVERLOADED, "contact Bitrix24 support")


async def test_error_page_from_the_portal() -> None:
    verdict = await check_sandbox(sandbox(faults=FaultPlan.parse("on:profile=html500")))
    assert_failed(verdict, VerdictKind.SERVER_ERROR, "HTTP 500")


async def test_portal_that_does_not_answer_in_time() -> None:
    verdict = await check_sandbox(sandbox(faults=FaultPlan.parse("on:profile=slow")))
    assert_failed(verdict, VerdictKind.TIMEOUT, "did not answer in time")


async def test_redirect_to_a_login_page_is_not_a_bitrix24_answer() -> None:
    verdict = await check_sandbox(sandbox(faults=FaultPlan.parse("on:profile=login302")))
    assert_failed(verdict, VerdictKind.NOT_BITRIX, "sign-in or other web page")


# --- what is wrong on the way there (real sockets) -------------------------------------------


async def test_nothing_listening_is_unreachable() -> None:
    verdict = await check_url(f"http://127.0.0.1:{closed_port()}/rest/1/fakewebhookcode0000/")
    assert_failed(verdict, VerdictKind.UNREACHABLE, "Nothing answers at the address 127.0.0.1:")
    assert verdict.error_code == "ConnectFailed"


async def test_a_name_that_does_not_exist_is_unreachable() -> None:
    verdict = await check_url("https://b24desk-check.invalid/rest/1/fakewebhookcode0000/")
    assert_failed(verdict, VerdictKind.UNREACHABLE, "does not exist", "typing mistakes")


async def test_https_to_a_plain_http_server_is_a_tls_problem() -> None:
    portal = sandbox()
    with serve(portal) as base:
        url = portal.webhook_url(base.replace("http://", "https://"))
        verdict = await check_url(url)
    assert_failed(verdict, VerdictKind.TLS, "could not be verified", "certificate authority")
    assert portal.method_calls["profile"] == 0


async def test_untrusted_certificate_is_a_tls_problem_and_its_ca_file_fixes_it(
    tmp_path: Any,
) -> None:
    certificates = make_certificates(tmp_path)
    portal = sandbox()
    with serve(portal, ssl_context=certificates.server_context()) as base:
        assert base.startswith("https://")
        refused = await check_url(portal.webhook_url(base))
        accepted = await check_url(portal.webhook_url(base), verify=str(certificates.ca_file))
    assert_failed(refused, VerdictKind.TLS, "certificate authority file")
    assert accepted.ok, accepted.message


async def test_an_ordinary_web_site_is_not_a_bitrix24_portal() -> None:
    with web_page_server() as base:
        verdict = await check_url(f"{base}/rest/1/fakewebhookcode0000/")
    assert_failed(verdict, VerdictKind.NOT_BITRIX, "not like a Bitrix24 portal")


async def test_no_verdict_ever_shows_the_webhook_code() -> None:
    portal = sandbox(webhook_scopes=("user",))
    code = portal.webhook_code
    verdicts = [
        await check_sandbox(portal),
        await check_sandbox(sandbox(faults=FaultPlan.parse("on:profile=login302"))),
        await check_url(f"http://127.0.0.1:{closed_port()}/rest/1/{code}/"),
    ]
    shown = json.dumps([v.message + v.error_code for v in verdicts])
    assert code not in shown


# --- the same words for errors met later -----------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ConnectFailed("ConnectError: [Errno 111] Connection refused"), VerdictKind.UNREACHABLE),
        (
            ConnectFailed("ConnectError: [Errno -2] Name or service not known"),
            VerdictKind.UNREACHABLE,
        ),
        (RequestTimeout("ReadTimeout", may_have_run=True), VerdictKind.TIMEOUT),
        (ServerError("INTERNAL_SERVER_ERROR", "boom"), VerdictKind.SERVER_ERROR),
    ],
)
async def test_verdict_for_errors_met_later(error: Exception, kind: VerdictKind) -> None:
    verdict = verdict_for_error(error, "anna.bitrix24.com")  # type: ignore[arg-type]
    assert_failed(verdict, kind, "anna.bitrix24.com")


async def test_portal_label_keeps_only_host_and_port() -> None:
    assert portal_label("https://anna.bitrix24.com") == "anna.bitrix24.com"
    assert portal_label("http://127.0.0.1:8080") == "127.0.0.1:8080"


async def test_portal_label_shows_a_portal_in_another_alphabet_as_people_write_it() -> None:
    assert portal_label("https://xn--e1afmkfd.xn--p1ai:8443") == "пример.рф:8443"
    assert portal_label("https://xn--e1afmkfd.bitrix24.ru") == "пример.bitrix24.ru"
    assert portal_label("https://[::1]:8080") == "[::1]:8080"
    # A broken xn-- label is shown as it is rather than guessed at.
    assert portal_label("https://xn--zz.example") == "xn--zz.example"


def _every_kind_of_error() -> list[Exception]:
    from b24desk.core.bitrix import errors as e

    return [
        e.ConnectFailed("ConnectError: [Errno 111] Connection refused"),
        e.ConnectFailed("ConnectError: [Errno -2] Name or service not known"),
        e.RequestTimeout("ReadTimeout", may_have_run=True),
        e.ConnectionLost("RemoteProtocolError", may_have_run=True),
        e.TLSError("CERTIFICATE_VERIFY_FAILED"),
        e.UnexpectedRedirect("302", http_status=302, location="https://x.invalid/auth/"),
        e.UnexpectedResponse("html", http_status=502, body_excerpt="<html>"),
        e.UnexpectedResponse("html", http_status=200, body_excerpt="<html>"),
        e.InvalidCredentials("INVALID_CREDENTIALS"),
        e.ExpiredToken("expired_token"),
        e.InsufficientScope("insufficient_scope"),
        e.RestUnavailable("ACCESS_DENIED", "REST is available only on commercial plans"),
        e.AccessDenied("ACCESS_DENIED", "Access denied!"),
        e.PortalDeleted("PORTAL_DELETED"),
        e.Overload("OVERLOAD_LIMIT"),
        e.QueryLimitExceeded("QUERY_LIMIT_EXCEEDED"),
        e.ServerError("INTERNAL_SERVER_ERROR", "boom"),
        e.MethodNotFound("ERROR_METHOD_NOT_FOUND"),
        e.ApiError("SOMETHING_ELSE", "odd"),
    ]


@pytest.mark.parametrize("oauth", [False, True])
@pytest.mark.parametrize("language", ["en", "ru"])
async def test_verdicts_read_right_when_the_portal_name_is_not_known(
    oauth: bool, language: str
) -> None:
    from b24desk.core import i18n

    i18n.install_for_language(language)
    prepositions = "to|at|on|of|with|from|\u0441|\u043a|\u043d\u0430|\u043f\u043e|\u0432|\u0443"
    dangling = re.compile(rf"(?i)(?:^|\s)({prepositions})(?=\s*[:(])")
    try:
        for error in _every_kind_of_error():
            message = verdict_for_error(error, "", oauth=oauth).message  # type: ignore[arg-type]
            for gap in ("  ", " :", "()", "«»", '""'):
                assert gap not in message, message
            assert not dangling.search(message), message
            assert "the portal the portal" not in message, message
    finally:
        i18n.install(None)
