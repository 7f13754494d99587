from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from vtime import wall_clock

from b24desk import __version__
from b24desk.core.bitrix import errors as e
from b24desk.core.bitrix.auth import OAuthAuth, TokenPair, WebhookAuth
from b24desk.core.bitrix.client import BatchCall, BitrixClient, is_read_only, tls_context
from b24desk.core.bitrix.ratelimit import ENTERPRISE, STANDARD, RetryPolicy

FAKE_CODE = "fakewebhookcode0000"
PORTAL = "https://example.bitrix24.com"
WEBHOOK_PREFIX = f"{PORTAL}/rest/1/{FAKE_CODE}/"

Handler = Callable[[httpx.Request], Awaitable[httpx.Response] | httpx.Response]


class Recorder:
    """A MockTransport handler that records what the client sent."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.times.append(asyncio.get_running_loop().time())
        answer = self.handler(request)
        if not isinstance(answer, httpx.Response):
            answer = await answer
        return answer

    def methods(self) -> list[str]:
        return [r.url.path.rsplit("/", 1)[-1] for r in self.requests]

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def ok(result: Any, **extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"result": result, "time": {"duration": 0.01}, **extra})


def fail(status: int, code: str, description: str = "", **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "error_description": description, **extra})


def client_for(
    handler: Handler, *, preset: Any = None, auth: Any = None, **kwargs: Any
) -> tuple[BitrixClient, Recorder]:
    recorder = Recorder(handler)
    loop = asyncio.get_running_loop()
    client = BitrixClient(
        auth or WebhookAuth(PORTAL, 1, FAKE_CODE),
        transport=httpx.MockTransport(recorder),
        rate_preset=preset,
        wall_clock=wall_clock(loop),
        **kwargs,
    )
    return client, recorder


# --- plain calls ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_call_posts_json_with_the_documented_headers(docs_fixtures: Path) -> None:
    page = json.loads((docs_fixtures / "tasks.task.list.response.json").read_text())
    client, portal = client_for(lambda r: httpx.Response(200, json=page))
    async with client:
        params = {"filter": {">ID": 0, "REAL_STATUS": 5}, "select": ["ID"], "start": -1}
        response = await client.call("tasks.task.list", params)
    (request,) = portal.requests
    assert request.method == "POST"
    assert str(request.url) == WEBHOOK_PREFIX + "tasks.task.list"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == f"b24desk/{__version__}"
    assert json.loads(request.content) == params
    assert response.result == page["result"]
    assert response.total == 1
    assert response.next is None
    assert response.time["operating_reset_at"] == 1761054922


@pytest.mark.asyncio
async def test_an_answer_is_freed_as_soon_as_it_is_read() -> None:
    """httpx ties a response to its stream in a cycle; the client unties it, so a 1 MB
    answer goes when it is decoded, not at the next full collection (which, in a window
    holding 100,000 rows, is a stall of its own)."""
    import gc
    import weakref

    sent: list[weakref.ref[httpx.Response]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        response = ok([{"ID": str(n)} for n in range(1000)])
        sent.append(weakref.ref(response))
        return response

    client, _ = client_for(answer)
    gc.disable()
    try:
        async with client:
            await client.call("tasks.task.list", {})
            assert sent
            assert [ref() for ref in sent] == [None]  # freed by its reference count alone
    finally:
        gc.enable()


@pytest.mark.asyncio
async def test_oauth_token_travels_in_the_body() -> None:
    auth = OAuthAuth(PORTAL, "FAKE-ACCESS-TOKEN", "FAKE-REFRESH-TOKEN", "local.x", "FAKE-SECRET")
    client, portal = client_for(lambda r: ok({"ID": "1"}), auth=auth)
    async with client:
        await client.call("profile")
    assert str(portal.requests[0].url) == f"{PORTAL}/rest/profile"
    assert portal.bodies() == [{"auth": "FAKE-ACCESS-TOKEN"}]


@pytest.mark.asyncio
async def test_api_errors_are_raised_classified_with_their_method(docs_fixtures: Path) -> None:
    body = json.loads(
        (docs_fixtures / "tasks.task.renew.error.action-not-allowed.json").read_text()
    )
    client, _ = client_for(lambda r: httpx.Response(400, json=body))
    async with client:
        with pytest.raises(e.ActionNotAllowed) as info:
            await client.call("tasks.task.renew", {"taskId": 5})
    assert info.value.method == "tasks.task.renew"
    assert info.value.http_status == 400


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("answer", "expected", "phrase"),
    [
        (
            httpx.Response(200, text="<!DOCTYPE html><html>Login</html>"),
            e.UnexpectedResponse,
            "web page",
        ),
        (
            httpx.Response(403, html="<html><body>Forbidden</body></html>"),
            e.UnexpectedResponse,
            "web page",
        ),
        (
            httpx.Response(200, text='{"result": {"tasks": [{"id": "1'),
            e.UnexpectedResponse,
            "cut off",
        ),
        (httpx.Response(200, json=[1, 2]), e.UnexpectedResponse, "cut off or garbled"),
        (httpx.Response(200, json={"time": {}}), e.UnexpectedResponse, "cut off or garbled"),
        (
            httpx.Response(302, headers={"location": f"{PORTAL}/auth/?backurl=/rest/"}),
            e.UnexpectedRedirect,
            "does not look like a Bitrix24 REST endpoint",
        ),
        (
            httpx.Response(301, headers={"location": "https://new.bitrix24.com/rest/"}),
            e.UnexpectedRedirect,
            "the portal has moved",
        ),
    ],
)
async def test_answers_that_are_not_bitrix_json(
    answer: httpx.Response, expected: type[e.B24Error], phrase: str
) -> None:
    client, portal = client_for(lambda r: answer)
    async with client:
        with pytest.raises(expected) as info:
            await client.call("tasks.task.renew", {"taskId": 1})
    assert type(info.value) is expected
    assert phrase in info.value.user_message
    assert len(portal.requests) == 1  # a write is not resent, a redirect never followed


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_an_error_page_is_resent_for_reads_only() -> None:
    answers = iter([httpx.Response(502, text="<html>Bad gateway</html>"), ok({"ID": "1"})])
    client, portal = client_for(lambda r: next(answers))
    async with client:
        assert (await client.call("profile")).result == {"ID": "1"}
    assert len(portal.requests) == 2


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_a_cut_off_answer_is_resent_for_reads_but_a_login_page_is_not() -> None:
    answers = iter([httpx.Response(200, text='{"result": {"ta'), ok({"ID": "1"})])
    client, portal = client_for(lambda r: next(answers))
    async with client:
        assert (await client.call("profile")).result == {"ID": "1"}
        assert len(portal.requests) == 2
        portal.handler = lambda r: httpx.Response(200, html="<html>Log in</html>")
        with pytest.raises(e.UnexpectedResponse):
            await client.call("profile")
    assert len(portal.requests) == 3


def raising(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def tls_failure() -> httpx.ConnectError:
    error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    error.__cause__ = ssl.SSLCertVerificationError(1, "certificate verify failed")
    return error


@pytest.mark.asyncio
@pytest.mark.virtual_time
@pytest.mark.parametrize(
    ("exc", "expected", "may_have_run"),
    [
        (httpx.ConnectError("Name or service not known"), e.ConnectFailed, False),
        (httpx.ConnectTimeout("timed out"), e.RequestTimeout, False),
        (httpx.ReadTimeout("timed out"), e.RequestTimeout, True),
        (httpx.WriteTimeout("timed out"), e.RequestTimeout, True),
        (httpx.ReadError("Connection reset by peer"), e.ConnectionLost, True),
        (httpx.RemoteProtocolError("peer closed connection"), e.ConnectionLost, True),
        (tls_failure(), e.TLSError, False),
    ],
)
async def test_transport_failures(
    exc: httpx.HTTPError, expected: type[e.TransportError], may_have_run: bool
) -> None:
    retries = RetryPolicy().transport_retries
    client, portal = client_for(raising(exc))
    async with client:
        with pytest.raises(expected) as info:
            await client.call("tasks.task.renew", {"taskId": 1})
        assert info.value.may_have_run is may_have_run
        # A write is resent only when it certainly did not run (TLS failures never heal).
        resent = not may_have_run and expected is not e.TLSError
        assert len(portal.requests) == (1 + retries if resent else 1)
        portal.requests.clear()
        with pytest.raises(expected):
            await client.call("tasks.task.get", {"taskId": 1})
        assert len(portal.requests) == (1 if expected is e.TLSError else 1 + retries)


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_a_read_survives_one_reset_connection() -> None:
    answers: list[Exception | httpx.Response] = [httpx.ReadError("reset"), ok({"task": {}})]

    def handler(request: httpx.Request) -> httpx.Response:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client, portal = client_for(handler)
    async with client:
        assert (await client.call("tasks.task.get", {"taskId": 1})).result == {"task": {}}
    assert len(portal.requests) == 2


# --- limits -----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_query_limit_is_retried_with_growing_delay() -> None:
    answers = [fail(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")] * 3 + [ok(True)]
    client, portal = client_for(lambda r: answers.pop(0))
    async with client:
        assert (await client.call("tasks.task.renew", {"taskId": 1})).result is True
    assert portal.times == [0.0, 1.0, 3.0, 7.0]
    assert client.stats.query_limit_hits == 3


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_query_limit_gives_up_after_the_policy() -> None:
    client, portal = client_for(
        lambda r: fail(503, "query_limit_exceeded"), retry=RetryPolicy(query_limit_retries=2)
    )
    async with client:
        with pytest.raises(e.QueryLimitExceeded):
            await client.call("profile")
    assert len(portal.requests) == 3


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_overload_is_never_retried() -> None:
    client, portal = client_for(lambda r: fail(503, "OVERLOAD_LIMIT", "blocked"))
    async with client:
        with pytest.raises(e.Overload) as info:
            await client.call("profile")
    assert len(portal.requests) == 1
    assert "contact Bitrix24 support" in info.value.user_message


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_operation_time_limit_blocks_only_that_method_until_reset() -> None:
    loop = asyncio.get_running_loop()
    clock = wall_clock(loop)
    blocked_once = False

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal blocked_once
        if request.url.path.endswith("tasks.task.list") and not blocked_once:
            blocked_once = True
            reset_at = int(clock()) + 120
            return fail(
                429, "OPERATION_TIME_LIMIT", "blocked", time={"operating_reset_at": reset_at}
            )
        return ok({"tasks": []})

    client, portal = client_for(handler)
    async with client:
        slow = asyncio.create_task(client.call("tasks.task.list", {}))
        await asyncio.sleep(1)
        # Meanwhile another method goes through at once.
        await client.call("tasks.task.get", {"taskId": 1})
        assert loop.time() == 1
        await slow
    assert portal.methods() == ["tasks.task.list", "tasks.task.get", "tasks.task.list"]
    assert portal.times == [0.0, 1.0, 120.0]


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_pacing_applies_to_calls() -> None:
    client, portal = client_for(lambda r: ok(True), preset=STANDARD)
    async with client:
        await asyncio.gather(*(client.call("profile") for _ in range(60)))
    assert portal.times.count(0.0) == 50
    assert max(portal.times) == pytest.approx(5.0)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (ok({"LICENSE": "de_ent10000", "LICENSE_FAMILY": "ent"}), ENTERPRISE),
        (ok({"SCOPE": ["task"], "LICENSE": "en_pro100"}), STANDARD),
        (fail(403, "ACCESS_DENIED", "Access denied! Application context required"), STANDARD),
    ],
)
async def test_rate_preset_from_app_info(answer: httpx.Response, expected: Any) -> None:
    client, portal = client_for(lambda r: answer)
    async with client:
        assert await client.detect_rate_preset() is expected
        assert client.pacer.preset is expected
    assert portal.methods() == ["app.info"]


# --- OAuth refresh through the client ---------------------------------------------------------


class OAuthPortal:
    """Portal + oauth server: accepts only the current token, says expired_token otherwise."""

    def __init__(self) -> None:
        self.valid = "FAKE-ACCESS-TOKEN-1"
        self.issued = 1
        self.refreshes = 0
        self.refresh_answer: httpx.Response | None = None

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)
        if request.url.path == "/oauth/token/":
            self.refreshes += 1
            await asyncio.sleep(0.5)  # let every other caller pile up behind the lock
            if self.refresh_answer is not None:
                return self.refresh_answer
            self.issued += 1
            self.valid = f"FAKE-ACCESS-TOKEN-{self.issued}"
            return httpx.Response(
                200, json={"access_token": self.valid, "refresh_token": f"FAKE-R-{self.issued}"}
            )
        if json.loads(request.content).get("auth") != self.valid:
            return fail(401, "expired_token", "The access token provided has expired.")
        return ok({"ID": "1"})


def oauth_client(server: OAuthPortal, saved: list[TokenPair]) -> tuple[BitrixClient, Recorder]:
    auth = OAuthAuth(
        PORTAL,
        "FAKE-ACCESS-TOKEN-0",
        "FAKE-R-0",
        "local.x",
        "FAKE-CLIENT-SECRET",
        oauth_server="https://oauth.example.test",
        on_tokens=saved.append,
    )
    return client_for(server, auth=auth)


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_expired_token_is_refreshed_once_for_many_waiting_calls() -> None:
    server, saved = OAuthPortal(), []
    client, portal = oauth_client(server, saved)
    async with client:
        results = await asyncio.gather(*(client.call("profile") for _ in range(20)))
    assert all(r.result == {"ID": "1"} for r in results)
    assert server.refreshes == 1
    assert [t.access_token for t in saved] == ["FAKE-ACCESS-TOKEN-2"]
    assert portal.methods().count("profile") == 40  # each call: expired, then success


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_no_refresh_without_expired_token() -> None:
    server, saved = OAuthPortal(), []
    server.valid = "FAKE-ACCESS-TOKEN-0"
    client, _ = oauth_client(server, saved)
    async with client:
        for _ in range(5):
            await client.call("profile")
    assert server.refreshes == 0
    assert saved == []


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_invalid_grant_asks_to_sign_in_again() -> None:
    server, saved = OAuthPortal(), []
    server.refresh_answer = fail(400, "invalid_grant", "Invalid grant")
    client, _ = oauth_client(server, saved)
    async with client:
        results = await asyncio.gather(
            *(client.call("profile") for _ in range(5)), return_exceptions=True
        )
    assert all(isinstance(r, e.InvalidGrant) for r in results)
    assert server.refreshes == 1
    error = results[0]
    assert isinstance(error, e.B24Error)
    assert "Sign in again" in error.user_message


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_a_token_that_expires_again_right_after_refresh_is_not_looped() -> None:
    server, saved = OAuthPortal(), []
    client, portal = oauth_client(server, saved)
    server.valid = "never-valid"
    original = server.__call__

    async def keep_rejecting(request: httpx.Request) -> httpx.Response:
        answer = await original(request)
        server.valid = "never-valid"
        return answer

    portal.handler = keep_rejecting
    async with client:
        with pytest.raises(e.ExpiredToken):
            await client.call("profile")
    assert server.refreshes == 1
    assert portal.methods().count("profile") == 2


@pytest.mark.asyncio
async def test_webhook_expired_token_is_raised() -> None:
    client, portal = client_for(lambda r: fail(401, "expired_token"))
    async with client:
        with pytest.raises(e.ExpiredToken):
            await client.call("profile")
    assert len(portal.requests) == 1


# --- batch ------------------------------------------------------------------------------------


def batch_answer(request: httpx.Request, make: Callable[[str, str], Any]) -> httpx.Response:
    """Answer every command of a batch with `make(key, command)`; errors if it returns one."""
    cmd = json.loads(request.content)["cmd"]
    results, errors = {}, {}
    for key, command in cmd.items():
        value = make(key, command)
        if isinstance(value, e.ApiError):
            errors[key] = {"error": value.code, "error_description": value.description}
        else:
            results[key] = value
    return ok(
        {
            "result": results or [],
            "result_error": errors or [],
            "result_total": [],
            "result_next": [],
            "result_time": [],
        }
    )


@pytest.mark.asyncio
async def test_batch_splits_into_fifty_and_maps_results_by_key() -> None:
    client, portal = client_for(lambda r: batch_answer(r, lambda key, command: {"echo": command}))
    calls = [BatchCall("tasks.task.get", {"taskId": i, "select": ["ID"]}) for i in range(120)]
    async with client:
        results = await client.batch(calls)
    assert [len(b["cmd"]) for b in portal.bodies()] == [50, 50, 20]
    assert all(b["halt"] == 0 for b in portal.bodies())
    assert portal.methods() == ["batch"] * 3
    assert [r.key for r in results] == [f"c{i}" for i in range(120)]
    for i, item in enumerate(results):
        assert item.ok
        assert item.method == "tasks.task.get"
        assert item.unwrap() == {"echo": f"tasks.task.get?taskId={i}&select[0]=ID"}


@pytest.mark.asyncio
async def test_batch_errors_stay_with_their_own_command(docs_fixtures: Path) -> None:
    def make(key: str, command: str) -> Any:
        task_id = int(command.split("taskId=")[1])
        if task_id % 3 == 0:
            return e.ApiError("1048582", "Action on the task is not allowed")
        if task_id % 3 == 1:
            return e.ApiError("ERROR_TASK_NOT_SAVED", "something else")
        return {"task": {"id": str(task_id), "status": "2"}}

    client, _ = client_for(lambda r: batch_answer(r, make))
    async with client:
        results = await client.batch([("tasks.task.renew", {"taskId": i}) for i in range(9)])
    for i, item in enumerate(results):
        if i % 3 == 0:
            assert isinstance(item.error, e.ActionNotAllowed)
            assert item.error.method == "tasks.task.renew"
        elif i % 3 == 1:
            assert type(item.error) is e.ApiError
            with pytest.raises(e.ApiError):
                item.unwrap()
        else:
            assert item.result == {"task": {"id": str(i), "status": "2"}}


@pytest.mark.asyncio
async def test_batch_tolerates_the_documented_empty_maps(docs_fixtures: Path) -> None:
    halt0 = json.loads((docs_fixtures / "batch.error.halt0.json").read_text())
    full = json.loads((docs_fixtures / "batch.response.json").read_text())
    answers = [httpx.Response(200, json=halt0), httpx.Response(200, json=full)]
    client, _ = client_for(lambda r: answers.pop(0))
    calls = [
        BatchCall("user.current", key="get_user"),
        BatchCall("department.get", {"ID": 1}, key="get_department"),
    ]
    async with client:
        failed = await client.batch(calls)
        succeeded = await client.batch(calls)
    assert all(isinstance(item.error, e.InsufficientScope) for item in failed)
    user, department = succeeded
    assert user.result["NAME"] == "John"
    assert department.result == [{"ID": "1", "NAME": "DEMO", "SORT": 500}]
    assert department.total == 1
    assert user.total is None
    assert user.time["duration"] == pytest.approx(0.0032150745391845703)


@pytest.mark.asyncio
async def test_batch_with_a_command_missing_from_the_answer() -> None:
    client, _ = client_for(
        lambda r: ok({"result": {"c0": 1}, "result_error": [], "result_total": []})
    )
    async with client:
        first, second = await client.batch([("profile", {}), ("scope", {})])
    assert first.result == 1
    assert isinstance(second.error, e.UnexpectedResponse)


@pytest.mark.asyncio
async def test_batch_answer_from_a_list_shaped_cmd() -> None:
    client, _ = client_for(
        lambda r: ok({"result": ["a", "b"], "result_error": [], "result_total": []})
    )
    async with client:
        items = await client.batch([BatchCall("profile", key="0"), BatchCall("scope", key="1")])
    assert [i.result for i in items] == ["a", "b"]


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_batch_resends_only_the_commands_refused_by_a_limit() -> None:
    loop = asyncio.get_running_loop()
    clock = wall_clock(loop)
    refused: set[str] = set()

    def make(key: str, command: str) -> Any:
        if key in ("c1", "c3") and key not in refused:
            refused.add(key)
            return e.ApiError("QUERY_LIMIT_EXCEEDED", "Too many requests")
        if key == "c2" and loop.time() < 30:
            return e.ApiError("OPERATION_TIME_LIMIT", "blocked")
        return key

    def handler(request: httpx.Request) -> httpx.Response:
        answer = batch_answer(request, make)
        body = json.loads(answer.content)
        if "c2" in body["result"]["result_error"]:
            body["result"]["result_time"] = {"c2": {"operating_reset_at": clock() + 30}}
        return httpx.Response(200, json=body)

    client, portal = client_for(handler)
    async with client:
        items = await client.batch([("tasks.task.renew", {"taskId": i}) for i in range(5)])
    assert [i.result for i in items] == ["c0", "c1", "c2", "c3", "c4"]
    sent = [sorted(b["cmd"]) for b in portal.bodies()]
    # c2's method is blocked until the reset, and c1/c3 share that method, so they wait too.
    assert sent == [["c0", "c1", "c2", "c3", "c4"], ["c1", "c2", "c3"]]
    assert portal.times == [0.0, 30.0]


@pytest.mark.asyncio
async def test_batch_does_not_resend_chained_commands() -> None:
    def make(key: str, command: str) -> Any:
        return e.ApiError("QUERY_LIMIT_EXCEEDED", "") if key == "p0" else key

    client, portal = client_for(lambda r: batch_answer(r, make))
    async with client:
        items = await client.batch(
            [
                BatchCall("tasks.task.list", {"start": -1}, key="p0"),
                BatchCall(
                    "tasks.task.list", {"filter": {">ID": "$result[p0][tasks][49][id]"}}, key="p1"
                ),
            ]
        )
    assert isinstance(items[0].error, e.QueryLimitExceeded)
    assert len(portal.requests) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("calls", "error", "message"),
    [
        ([BatchCall("profile", key="a"), BatchCall("scope", key="a")], ValueError, "used twice"),
        ([BatchCall("profile", key="a b")], ValueError, "letters, digits or underscores"),
        ([BatchCall("profile?x=1")], ValueError, "not a Bitrix24 method name"),
        (["profile"], TypeError, "must be a BatchCall"),
    ],
)
async def test_bad_batch_calls_get_a_clear_message(
    calls: list[Any], error: type[Exception], message: str
) -> None:
    client, portal = client_for(lambda r: ok(True))
    async with client:
        with pytest.raises(error, match=message):
            await client.batch(calls)
    assert portal.requests == []


# --- configuration, logging -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_auth_param_is_reserved() -> None:
    client, _ = client_for(lambda r: ok(True))
    async with client:
        with pytest.raises(ValueError, match="'auth' is reserved"):
            await client.call("profile", {"auth": "x"})


def test_tls_verification_cannot_be_switched_off(tmp_path: Path) -> None:
    auth = WebhookAuth(PORTAL, 1, FAKE_CODE)
    with pytest.raises(ValueError, match="TLS verification stays on"):
        BitrixClient(auth, verify=False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not exist"):
        BitrixClient(auth, verify=tmp_path / "missing.pem")
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ValueError, match="is not a PEM certificate"):
        BitrixClient(auth, verify=bad)
    with pytest.raises(ValueError, match="positive number of seconds"):
        BitrixClient(auth, timeout=0)


def test_tls_context_verifies() -> None:
    context = tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname is True


@pytest.mark.parametrize(
    ("method", "read_only"),
    [
        ("tasks.task.get", True),
        ("tasks.task.list", True),
        ("profile", True),
        ("app.info", True),
        ("tasks.task.renew", False),
        ("tasks.task.complete", False),
        ("task.item.renew", False),
        ("batch", False),
    ],
)
def test_which_methods_are_resent_after_a_lost_answer(method: str, read_only: bool) -> None:
    assert is_read_only(method) is read_only


@pytest.mark.asyncio
async def test_logs_name_methods_and_durations_but_never_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    caplog.set_level(logging.DEBUG, logger="b24desk")  # last: it also sets the handler level
    client, _ = client_for(lambda r: ok(True))
    async with client:
        await client.call("profile")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "profile answered in" in text
    assert FAKE_CODE not in text
    # httpx itself logs the URL (with the code) at INFO: redacted too.
    httpx_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert httpx_lines
    assert all("/rest/1/***/" in line for line in httpx_lines)
