"""Independent clients against the loopback sandbox: what they report must match its state.

- fast_bitrix24 (community) takes the whole webhook URL, so plain http://127.0.0.1 works.
- b24pysdk (official) builds every URL as `https://{domain}/rest`, so the sandbox serves
  HTTPS here with a throw-away certificate that `requests` trusts through
  REQUESTS_CA_BUNDLE. No SDK code is patched.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from b24pysdk import BitrixWebhook, Client
from b24pysdk.errors import BitrixAPIError
from fast_bitrix24 import Bitrix
from fast_bitrix24.server_response import ErrorInServerResponseException
from sandbox_support import self_signed_certificate

from b24desk.sandbox import PortalConfig, SandboxPortal, serve
from b24desk.sandbox.access import caller_for, can_read, renew_allowed

SELECT = ["ID", "TITLE", "STATUS", "CLOSED_DATE", "RESPONSIBLE_ID"]


def make_portal(*, admin: bool) -> SandboxPortal:
    return SandboxPortal(PortalConfig(seed=21, task_count=1200, limits="enterprise", admin=admin))


def visible_completed(portal: SandboxPortal) -> dict[int, str]:
    me = caller_for(portal.data, portal.config.user_id)
    return {t.id: t.title for t in portal.tasks.values() if t.status == 5 and can_read(me, t)}


# --- fast_bitrix24 ---------------------------------------------------------------------


@pytest.fixture
def own_loop() -> Iterator[None]:
    """fast_bitrix24's sync API runs on the thread's current loop and never closes it."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def fast_portal(own_loop: None) -> Iterator[tuple[SandboxPortal, Bitrix]]:
    portal = make_portal(admin=True)
    with serve(portal) as base_url:
        yield portal, Bitrix(portal.webhook_url(base_url), verbose=False)


def test_fast_bitrix24_lists_and_renews(fast_portal: tuple[SandboxPortal, Bitrix]) -> None:
    portal, bitrix = fast_portal
    listed = bitrix.get_all(
        "tasks.task.list", params={"filter": {"REAL_STATUS": 5}, "select": SELECT}
    )
    assert {int(t["id"]): t["title"] for t in listed} == visible_completed(portal)
    assert len(listed) > 300, "enough to need many pages"
    for task in listed[:20]:
        record = portal.tasks[int(task["id"])]
        assert task["responsibleId"] == str(record.responsible_id)
        assert task["status"] == "5"

    chosen = sorted(int(t["id"]) for t in listed)[:60]
    answers = bitrix.call("tasks.task.renew", [{"taskId": i} for i in chosen])
    # fast_bitrix24 unwraps single-key results: {"task": {...}} arrives as the task itself.
    assert sorted(int(answer["id"]) for answer in answers) == chosen
    assert {answer["status"] for answer in answers} == {"2"}
    assert all(portal.tasks[i].status == 2 for i in chosen)
    assert portal.method_calls["tasks.task.renew"] == 60

    left = bitrix.get_all("tasks.task.list", params={"filter": {"REAL_STATUS": 5}})
    assert len(left) == len(listed) - 60


@pytest.mark.usefixtures("own_loop")
def test_fast_bitrix24_sees_a_refusal_that_matches_the_state() -> None:
    portal = make_portal(admin=False)
    me = caller_for(portal.data, 1)
    refused = next(
        t
        for t in portal.tasks.values()
        if t.status == 5 and can_read(me, t) and not renew_allowed(me, t)
    )
    with serve(portal) as base_url:
        bitrix = Bitrix(portal.webhook_url(base_url), verbose=False)
        listed = bitrix.get_all("tasks.task.list", params={"filter": {"REAL_STATUS": 5}})
        assert {int(t["id"]) for t in listed} == set(visible_completed(portal))
        with pytest.raises(ErrorInServerResponseException, match="1048582"):
            bitrix.call("tasks.task.renew", {"taskId": refused.id})
    assert portal.tasks[refused.id].status == 5


# --- b24pysdk --------------------------------------------------------------------------


@pytest.fixture
def sdk_portal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SandboxPortal, Client]]:
    cert, key = self_signed_certificate(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    portal = make_portal(admin=False)
    with serve(portal, ssl_context=context) as base_url:
        token = BitrixWebhook(
            domain=base_url.removeprefix("https://"),
            webhook_token=f"{portal.config.user_id}/{portal.webhook_code}",
        )
        yield portal, Client(token)


def test_b24pysdk_lists_completed_tasks_both_ways(sdk_portal: tuple[SandboxPortal, Client]) -> None:
    portal, client = sdk_portal
    paged = client.tasks.task.list(filter={"REAL_STATUS": 5}, select=SELECT).as_list().result
    fast = client.tasks.task.list(filter={"REAL_STATUS": 5}, select=SELECT).as_list_fast().result
    expected = visible_completed(portal)
    assert {int(t["id"]): t["title"] for t in paged} == expected
    assert sorted(int(t["id"]) for t in fast) == sorted(expected)


def test_b24pysdk_renews_and_reports_refusals(sdk_portal: tuple[SandboxPortal, Client]) -> None:
    portal, client = sdk_portal
    me = caller_for(portal.data, 1)
    mine = [t.id for t in portal.tasks.values() if t.status == 5 and renew_allowed(me, t)]
    others = [
        t.id
        for t in portal.tasks.values()
        if t.status == 5 and can_read(me, t) and not renew_allowed(me, t)
    ]
    single = client.tasks.task.renew(mine[0]).result
    assert single["task"]["status"] == "2"
    requests = {f"r{i}": client.tasks.task.renew(task_id) for i, task_id in enumerate(mine[1:4])}
    requests["no"] = client.tasks.task.renew(others[0])
    outcome = client.call_batch(requests).result
    assert {key: answer["task"]["status"] for key, answer in outcome.result.items()} == {
        "r0": "2",
        "r1": "2",
        "r2": "2",
    }
    assert outcome.result_error["no"]["error"] == "1048582"
    assert [portal.tasks[i].status for i in mine[:4]] == [2, 2, 2, 2]
    assert portal.tasks[others[0]].status == 5
    with pytest.raises(BitrixAPIError) as refused:
        client.tasks.task.renew(others[1]).result  # noqa: B018 - the property sends it
    assert refused.value.error == "1048582"
    assert portal.tasks[others[1]].status == 5
