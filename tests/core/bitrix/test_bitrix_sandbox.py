"""The client against the sandbox portal: listing, filters, change, limits, faults, OAuth."""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import logging
import random
import ssl
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vtime import wall_clock

from b24desk.core.bitrix import errors as e
from b24desk.core.bitrix.auth import OAuthAuth, TokenPair, WebhookAuth
from b24desk.core.bitrix.client import BatchCall, BatchItemResult, BitrixClient
from b24desk.core.bitrix.ratelimit import ENTERPRISE, STANDARD, RatePreset, RetryPolicy
from b24desk.core.bitrix.tasks import iter_completed_tasks, read_tasks
from b24desk.core.model import TaskFilter, TaskRecord
from b24desk.sandbox import FaultPlan, PortalConfig, SandboxPortal, serve

BASE = "https://sandbox.invalid"


def portal_with(clock: Callable[[], float] = time.time, **config: Any) -> SandboxPortal:
    settings_ = {"seed": 7, "task_count": 3000, "limits": "off", **config}
    return SandboxPortal(PortalConfig(**settings_), clock=clock)


def webhook(portal: SandboxPortal, base: str = BASE) -> WebhookAuth:
    return WebhookAuth(base, portal.config.user_id, portal.webhook_code)


def client_for(
    portal: SandboxPortal,
    preset: RatePreset | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **kwargs: Any,
) -> BitrixClient:
    loop = asyncio.get_running_loop()
    return BitrixClient(
        kwargs.pop("auth", None) or webhook(portal),
        transport=transport or portal.mock_transport(),
        rate_preset=preset,
        wall_clock=kwargs.pop("wall_clock", wall_clock(loop)),
        **kwargs,
    )


async def listed(
    client: BitrixClient, task_filter: TaskFilter | None = None, **kw: Any
) -> list[TaskRecord]:
    records: list[TaskRecord] = []
    async for page in iter_completed_tasks(client, task_filter or TaskFilter(), **kw):
        assert 0 < len(page) <= 50
        records.extend(page)
    return records


def completed_ids(portal: SandboxPortal) -> list[int]:
    return sorted(t.id for t in portal.tasks.values() if t.status == 5)


def requests_for(count: int) -> int:
    """HTTP requests listing needs at most: the first page, then the count and the highest
    id, then up to 8 id ranges side by side, each one request, or two where the ids are
    unevenly spread."""
    if count < 50:
        return 1
    ranges = min(8, -(-(count - 50) // 50))
    return 3 + 2 * ranges


# --- listing ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_lists_every_completed_task_once_with_names_and_dates() -> None:
    portal = portal_with()
    async with client_for(portal) as client:
        records = await listed(client)
    expected = completed_ids(portal)
    assert len(expected) > 1000
    assert [r.id for r in records] == expected
    assert client.http_requests == portal.http_requests <= requests_for(len(expected))
    zone = timezone(timedelta(minutes=portal.config.utc_offset_minutes))
    for record in records:
        task = portal.tasks[record.id]
        assert (record.title, record.status, record.responsible_id) == (
            task.title,
            5,
            task.responsible_id,
        )
        assert record.creator_id == task.created_by
        assert record.responsible_name == portal.users[task.responsible_id].full_name
        assert record.creator_name == portal.users[task.created_by].full_name
        group = portal.groups.get(task.group_id)
        assert record.group_name == (group.name if group else "")
        assert task.closed_date is not None
        assert record.closed_date == datetime.fromtimestamp(int(task.closed_date), tz=zone)
        assert record.closed_date.utcoffset() == timedelta(minutes=portal.config.utc_offset_minutes)
        assert record.closed_by == task.closed_by


@pytest.mark.asyncio
async def test_ten_thousand_tasks_cost_a_few_requests_and_no_page_past_the_end() -> None:
    portal = portal_with(task_count=10_000)
    async with client_for(portal) as client:
        records = await listed(client)
    count = len(completed_ids(portal))
    assert [r.id for r in records] == completed_ids(portal)
    assert portal.http_requests <= requests_for(count)
    pages = count // 50 + 1
    # every list call read a page of tasks, at most two past the end of each range
    assert portal.method_calls["tasks.task.list"] <= 2 + pages + 2 * 8
    print(f"listed {count} completed of 10,000 tasks in {portal.http_requests} HTTP requests")


def _portal_day(timestamp: float, portal: SandboxPortal) -> date:
    zone = timezone(timedelta(minutes=portal.config.utc_offset_minutes))
    return datetime.fromtimestamp(timestamp, tz=zone).date()


FILTER_CASES: dict[str, Callable[[SandboxPortal], tuple[TaskFilter, Callable[[Any], bool]]]] = {
    "responsible": lambda p: (TaskFilter(responsible_id=1), lambda t: t.responsible_id == 1),
    "creator": lambda p: (TaskFilter(creator_id=2), lambda t: t.created_by == 2),
    "group": lambda p: (
        TaskFilter(group_id=min(p.groups)),
        lambda t: t.group_id == min(p.groups),
    ),
    "search": lambda p: (TaskFilter(search="INVOICE"), lambda t: "invoice" in t.title.casefold()),
    "closed range": lambda p: _closed_range_case(p),
    "everything": lambda p: (
        TaskFilter(responsible_id=1, search="the", closed_after=date(2000, 1, 1)),
        lambda t: t.responsible_id == 1 and "the" in t.title.casefold(),
    ),
}


def _closed_range_case(portal: SandboxPortal) -> tuple[TaskFilter, Callable[[Any], bool]]:
    days = sorted(
        _portal_day(t.closed_date, portal) for t in portal.tasks.values() if t.status == 5
    )
    after, before = days[len(days) // 4], days[len(days) // 2]
    return (
        TaskFilter(closed_after=after, closed_before=before),
        lambda t: after <= _portal_day(t.closed_date, portal) <= before,
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("case", sorted(FILTER_CASES))
async def test_filters_select_what_the_portal_holds(case: str) -> None:
    portal = portal_with()
    task_filter, wanted = FILTER_CASES[case](portal)
    async with client_for(portal) as client:
        records = await listed(client, task_filter)
    expected = sorted(t.id for t in portal.tasks.values() if t.status == 5 and wanted(t))
    assert expected, f"the {case} case selects nothing on this seed"
    assert len(expected) < len(completed_ids(portal))
    assert [r.id for r in records] == expected


# --- listing while tasks change ---------------------------------------------------------------


class ChangingTransport(httpx.AsyncBaseTransport):
    """Serves the portal and, after every answer, renews, completes and creates tasks."""

    def __init__(self, portal: SandboxPortal, rng: random.Random, changes: int) -> None:
        self.portal = portal
        self.inner = portal.mock_transport()
        self.rng = rng
        self.changes = changes
        self.ever_completed = set(completed_ids(portal))
        self.touched: set[int] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        for _ in range(self.changes):
            self.change_one()
        return response

    def change_one(self) -> None:
        tasks = self.portal.tasks
        if not tasks:
            return  # an empty portal: nothing to copy a new task from
        task = tasks[self.rng.choice(list(tasks))]
        action = self.rng.choice(("renew", "complete", "create"))
        now = self.portal.clock()
        if action == "renew" and task.status == 5:
            task.status, task.closed_date, task.closed_by = 2, None, None
            self.touched.add(task.id)
        elif action == "complete" and task.status != 5:
            task.status, task.closed_date, task.closed_by = 5, now, 1
            self.touched.add(task.id)
            self.ever_completed.add(task.id)
        elif action == "create":
            new_id = max(tasks) + self.rng.randint(1, 3)
            tasks[new_id] = dataclasses.replace(
                task, id=new_id, status=5, closed_date=now, closed_by=1
            )
            self.touched.add(new_id)
            self.ever_completed.add(new_id)


def check_listing_under_change(
    records: list[TaskRecord], change: ChangingTransport, start: set[int]
) -> None:
    ids = [r.id for r in records]
    assert ids == sorted(set(ids)), "duplicated or out-of-order rows"
    assert set(ids) <= change.ever_completed, "a row that was never completed"
    untouched = start - change.touched
    missing = untouched - set(ids)
    assert not missing, f"rows completed throughout were missed: {sorted(missing)[:10]}"


@pytest.mark.asyncio
@pytest.mark.parametrize("pages_per_request", [1, 7, 50])
@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_no_row_missed_or_duplicated_while_tasks_change(
    pages_per_request: int, seed: int
) -> None:
    portal = portal_with(task_count=3000)
    start = set(completed_ids(portal))
    change = ChangingTransport(portal, random.Random(seed), changes=40)
    async with client_for(portal, transport=change) as client:
        records = await listed(client, pages_per_request=pages_per_request)
    assert change.touched
    check_listing_under_change(records, change, start)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    task_count=st.integers(0, 600),
    pages_per_request=st.integers(1, 50),
    changes=st.integers(0, 30),
)
def test_paging_under_change_property(
    seed: int, task_count: int, pages_per_request: int, changes: int
) -> None:
    async def scenario() -> None:
        portal = portal_with(seed=seed, task_count=task_count)
        start = set(completed_ids(portal))
        change = ChangingTransport(portal, random.Random(seed), changes=changes)
        async with client_for(portal, transport=change) as client:
            records = await listed(client, pages_per_request=pages_per_request)
        check_listing_under_change(records, change, start)

    with asyncio.Runner() as runner:
        runner.run(scenario())


# --- limits on a shared virtual clock -----------------------------------------------------------


async def get_each(client: BitrixClient, ids: list[int]) -> dict[int, BatchItemResult]:
    """One `tasks.task.get` per task, 50 to a batch: plenty of requests to pace."""
    calls = [BatchCall("tasks.task.get", {"taskId": i, "select": ["ID"]}) for i in ids]
    return dict(zip(ids, await client.batch(calls), strict=True))


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_pacing_matches_the_standard_portal_bucket() -> None:
    loop = asyncio.get_running_loop()
    # Cheap gets: 3000 at the docs' 0.16 s would also spend the operating budget (480 s),
    # which the client then waits for; this test is about the request bucket alone.
    portal = portal_with(
        clock=wall_clock(loop), limits="standard", method_cost_s={"tasks.task.get": 0.05}
    )
    ids = sorted(portal.tasks)  # 3000 tasks: 60 batches of 50 gets
    async with client_for(portal, STANDARD) as client:
        found = await get_each(client, ids)
    assert all(found[i].error is None and found[i].result["task"] for i in ids)
    assert portal.http_requests == 60
    assert client.stats.query_limit_hits == 0  # never refused: we paced exactly
    assert loop.time() == pytest.approx((60 - 50) / 2)  # burst of 50, then 2 per second


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_too_fast_a_client_is_refused_and_backs_off_without_losing_calls() -> None:
    loop = asyncio.get_running_loop()
    portal = portal_with(clock=wall_clock(loop), limits="standard")
    ids = sorted(portal.tasks)
    async with client_for(portal, ENTERPRISE) as client:  # paces for 250 / 5 s: too fast here
        found = await get_each(client, ids)
    assert all(found[i].error is None and found[i].result["task"] for i in ids)
    assert client.stats.query_limit_hits > 0
    assert portal.http_requests == 60 + client.stats.query_limit_hits


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_enterprise_portal_is_detected_and_allows_a_bigger_burst() -> None:
    loop = asyncio.get_running_loop()
    portal = portal_with(clock=wall_clock(loop), limits="enterprise")
    async with client_for(portal, STANDARD) as client:
        assert await client.detect_rate_preset() is ENTERPRISE
        await asyncio.gather(*(client.call("profile") for _ in range(249)))
    assert loop.time() == 0
    assert client.stats.query_limit_hits == 0


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_operating_time_limit_on_gets_waits_for_reset_and_finishes() -> None:
    loop = asyncio.get_running_loop()
    portal = portal_with(clock=wall_clock(loop), limits="standard", operating_budget_s=5.0)
    ids = sorted(portal.tasks)[:1000]  # 1000 gets x 0.02 s = 20 s of operating time
    async with client_for(portal, STANDARD) as client:
        found = await get_each(client, ids)
        # Other methods were never blocked.
        assert client.pacer.blocked_for("profile") == 0
        await client.call("profile")
    assert all(found[i].error is None and found[i].result["task"] for i in ids)
    assert client.stats.operation_limit_hits > 0
    assert client.stats.query_limit_hits == 0
    assert loop.time() > 60  # waited for the portal's one-minute buckets to drop out
    assert portal.method_calls["tasks.task.get"] == 1000


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_operating_time_limit_while_listing_resumes_without_loss() -> None:
    loop = asyncio.get_running_loop()
    portal = portal_with(clock=wall_clock(loop), limits="standard", operating_budget_s=1.0)
    async with client_for(portal, STANDARD) as client:  # 1 s / 0.05 s: 20 pages per window
        records = await listed(client)
    assert [r.id for r in records] == completed_ids(portal)
    assert client.stats.operation_limit_hits > 0
    assert loop.time() > 60


# --- faults -------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_listing_survives_transport_faults() -> None:
    plan = FaultPlan.parse("seed=5,html500=0.15,reset=0.1,badjson=0.1,lost=0.05,qle=0.1")
    portal = portal_with(faults=plan)
    async with (
        client_for(portal, pages_per_request_dummy=None) if False else client_for(portal) as client
    ):
        records = await listed(client, pages_per_request=5)
    assert [r.id for r in records] == completed_ids(portal)
    assert portal.http_requests == client.http_requests  # every send reached the portal
    calm = portal_with()
    async with client_for(calm) as client:
        await listed(client, pages_per_request=5)
    assert portal.http_requests > calm.http_requests  # some were resent


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("fault", "expected", "requests"),
    [("login302", e.UnexpectedRedirect, 1), ("overload", e.Overload, 1)],
)
async def test_faults_that_must_not_be_retried(
    fault: str, expected: type[e.B24Error], requests: int
) -> None:
    portal = portal_with(faults=FaultPlan.parse(f"at:1={fault}"))
    async with client_for(portal) as client:
        with pytest.raises(expected):
            await listed(client)
    assert portal.http_requests == requests


@pytest.mark.asyncio
async def test_a_lost_renew_is_reported_as_possibly_run() -> None:
    portal = portal_with(faults=FaultPlan.parse("on:tasks.task.renew=lost"))
    task_id = completed_ids(portal)[0]
    async with client_for(portal) as client:
        with pytest.raises(e.ConnectionLost) as info:
            await client.call("tasks.task.renew", {"taskId": task_id})
    assert info.value.may_have_run
    assert portal.http_requests == 1  # a write is never resent blindly
    assert portal.tasks[task_id].status == 2  # ... and indeed it ran


# --- batch error mapping ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_batch_maps_each_renew_outcome_to_its_own_task() -> None:
    portal = portal_with(task_count=300, admin=False)
    visible = [t for t in portal.tasks.values() if 1 in t.participants()]
    done = [t.id for t in visible if t.status == 5 and 1 in (t.created_by, t.responsible_id)][:5]
    running = [t.id for t in visible if t.status == 3][:5]
    missing = [max(portal.tasks) + 1000]
    assert done
    assert running
    ids = done + running + missing
    async with client_for(portal) as client:
        items = await client.batch([("tasks.task.renew", {"taskId": i}) for i in ids])
    outcome = dict(zip(ids, items, strict=True))
    for task_id in done:
        assert outcome[task_id].ok
        assert outcome[task_id].result["task"]["status"] == "2"
        assert portal.tasks[task_id].status == 2
    for task_id in running + missing:
        assert isinstance(outcome[task_id].error, e.ActionNotAllowed), task_id
    assert portal.http_requests == 1


@pytest.mark.asyncio
async def test_read_tasks_against_the_portal() -> None:
    portal = portal_with(task_count=300, admin=False)
    shown = [t.id for t in portal.tasks.values() if 1 in t.participants()][:60]
    async with client_for(portal) as client:
        found = await read_tasks(client, [*shown, 999_999])
    assert portal.http_requests == 1  # 61 tasks: two pages of one batch
    for task_id in shown:
        state = found[task_id]
        assert state is not None
        assert state.status == portal.tasks[task_id].status
        assert state.changed_date  # what undo compares exactly
    assert found[999_999] is None  # unknown ids read as gone, not as unread


@pytest.mark.asyncio
async def test_legacy_portal_reports_method_not_found_per_command() -> None:
    portal = portal_with(task_count=50, legacy=True)
    async with client_for(portal) as client:
        (item,) = await client.batch([BatchCall("tasks.task.renew", {"taskId": 1})])
        with pytest.raises(e.MethodNotFound):
            await client.call("tasks.task.renew", {"taskId": 1})
    assert isinstance(item.error, e.MethodNotFound)


@pytest.mark.asyncio
async def test_missing_task_scope_is_explained() -> None:
    portal = portal_with(task_count=50, webhook_scopes=("user",))
    async with client_for(portal) as client:
        with pytest.raises(e.InsufficientScope) as info:
            await listed(client)
    assert "Tasks (task) permission" in info.value.user_message


@pytest.mark.asyncio
async def test_wrong_webhook_code_is_invalid_credentials() -> None:
    portal = portal_with(task_count=10)
    auth = WebhookAuth(BASE, 1, "wrongcode0000000")
    async with client_for(portal, auth=auth) as client:
        with pytest.raises(e.InvalidCredentials):
            await client.call("profile")


# --- OAuth --------------------------------------------------------------------------------------


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        await asyncio.sleep(0.01)  # let concurrent callers interleave
        return await self.inner.handle_async_request(request)


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_oauth_refresh_against_the_portal_token_endpoint(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    loop = asyncio.get_running_loop()
    portal = portal_with(clock=wall_clock(loop), task_count=100, access_token_lifetime_s=60.0)
    issued = portal.issue_oauth_tokens()
    saved: list[TokenPair] = []
    auth = OAuthAuth(
        BASE,
        issued.access_token,
        issued.refresh_token,
        portal.config.client_id,
        portal.config.client_secret,
        oauth_server=BASE,
        on_tokens=saved.append,
    )
    counting = CountingTransport(portal.mock_transport())
    async with client_for(portal, auth=auth, transport=counting) as client:
        await client.call("profile")
        await asyncio.sleep(120)  # the access token expires
        results = await asyncio.gather(*(client.call("profile") for _ in range(10)))
        records = await listed(client)
    assert len(results) == 10
    assert counting.paths.count("/oauth/token/") == 1
    assert len(saved) == 1
    assert saved[0].access_token != issued.access_token
    assert auth.tokens == saved[0]
    assert [r.id for r in records] == completed_ids(portal)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/oauth/token/?" in logged  # httpx logged the refresh URL ...
    for secret in (portal.config.client_secret, issued.refresh_token, saved[0].access_token):
        assert secret not in logged  # ... with every secret masked


@pytest.mark.asyncio
@pytest.mark.virtual_time
async def test_oauth_with_a_dead_refresh_token_says_sign_in_again() -> None:
    loop = asyncio.get_running_loop()
    portal = portal_with(
        clock=wall_clock(loop),
        task_count=10,
        access_token_lifetime_s=60.0,
        refresh_token_lifetime_s=90.0,
    )
    issued = portal.issue_oauth_tokens()
    auth = OAuthAuth(
        BASE,
        issued.access_token,
        issued.refresh_token,
        portal.config.client_id,
        portal.config.client_secret,
        BASE,
    )
    async with client_for(portal, auth=auth) as client:
        await asyncio.sleep(120)
        with pytest.raises(e.InvalidGrant) as info:
            await client.call("profile")
    assert "Sign in again" in info.value.user_message


# --- real HTTP on loopback ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_listing_over_loopback_http() -> None:
    portal = portal_with()
    with serve(portal, port=0) as base_url:
        auth = webhook(portal, base_url)
        async with BitrixClient(auth, rate_preset=STANDARD) as client:
            records = await listed(client)
        async with BitrixClient(WebhookAuth(base_url, 1, "wrongcode0000000")) as bad:
            with pytest.raises(e.InvalidCredentials):
                await bad.call("profile")
    assert [r.id for r in records] == completed_ids(portal)
    assert portal.http_requests <= requests_for(len(records)) + 1


@pytest.mark.asyncio
async def test_connection_refused_is_connect_failed() -> None:
    portal = portal_with(task_count=1)
    with serve(portal, port=0) as base_url:
        pass  # closed again: nothing listens on that port now
    no_retry = RetryPolicy(transport_retries=0)
    async with BitrixClient(webhook(portal, base_url), rate_preset=None, retry=no_retry) as client:
        with pytest.raises(e.ConnectFailed) as info:
            await client.call("tasks.task.renew", {"taskId": 1})
    assert "Check the portal address" in info.value.user_message


# --- TLS: OS trust store plus a custom CA bundle ------------------------------------------------


def make_ca_and_server_cert(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A throw-away CA (PEM file) and a server context for 127.0.0.1 signed by it."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common: str) -> Any:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    now = datetime.now(tz=UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name("b24desk test CA"))
        .issuer_name(name("b24desk test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = directory / "ca.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    chain = directory / "server.pem"
    chain.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(chain)
    return ca_path, server


@pytest.mark.asyncio
async def test_self_hosted_portal_with_its_own_ca(tmp_path: Path) -> None:
    ca_path, server_context = make_ca_and_server_cert(tmp_path)
    portal = portal_with(task_count=200)
    with serve(portal, port=0, ssl_context=server_context) as base_url:
        assert base_url.startswith("https://127.0.0.1:")
        async with BitrixClient(webhook(portal, base_url), verify=ca_path) as client:
            records = await listed(client)
        async with BitrixClient(webhook(portal, base_url)) as untrusting:
            with pytest.raises(e.TLSError) as info:
                await untrusting.call("profile")
    assert [r.id for r in records] == completed_ids(portal)
    assert "certificate" in info.value.user_message
    assert portal.http_requests <= requests_for(len(records))  # the refused handshake never got in
