"""The diagnostic report against the sandbox: read-only, complete, and nothing secret in it.

The portal gets known fake secrets and names (a webhook code, OAuth tokens, a task title and
description, people's names, a distinctive host); the written file is searched for each.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.bitrix.auth import OAuthAuth, WebhookAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.diagnose import (
    MASKED_HOST,
    READ_ONLY_METHODS,
    REPORT_FORMAT,
    UNKNOWN_METHOD,
    DiagnosticReport,
    NotReadOnly,
    Probe,
    check_read_only,
    first_probes,
    is_unexpected_code,
    json_shape,
    masked_value,
    run_diagnosis,
    task_probes,
)
from b24desk.core.model import TaskSnapshot
from b24desk.core.renew.journal import Journal
from b24desk.core.renew.records import RunKind
from b24desk.sandbox import PortalConfig, SandboxPortal

HOST = "acme-diagnostics.bitrix24.example"
BASE = f"https://{HOST}"
FAKE_CODE = "fakeWebhookCode4711notreal"
TITLE = "Fake merger with Zyxcorp, codename Bluebird"
DESCRIPTION = "Fake description: call Zebulon on his private line"
FIRST, LAST = "Zebulon", "Quixotewright"
CREATOR_FIRST, CREATOR_LAST = "Ottilie", "Fakenameovna"
JOURNAL_TITLE = "Fake journal title of a reopened task"
LOGGED_PERSON = "Fake Person In An Error Page"
WRITE_METHODS = (
    tasks_api.RENEW,
    tasks_api.LEGACY_RENEW,
    tasks_api.COMPLETE,
    tasks_api.LEGACY_COMPLETE,
    "tasks.task.approve",
    "tasks.task.disapprove",
    "tasks.task.update",
    "tasks.task.delete",
    "tasks.task.add",
    "tasks.task.start",
    "task.commentitem.add",
    "user.update",
)


def fake_portal(**config: Any) -> SandboxPortal:
    settings: dict[str, Any] = {
        "seed": 11,
        "task_count": 120,
        "limits": "standard",
        "webhook_code": FAKE_CODE,
    }
    settings.update(config)
    portal = SandboxPortal(PortalConfig(**settings))
    me = portal.users[portal.config.user_id]
    me.name, me.last_name = FIRST, LAST
    first = min(t.id for t in portal.tasks.values() if t.status == 5)
    task = portal.tasks[first]
    task.title, task.description = TITLE, DESCRIPTION
    creator = portal.users[task.created_by]
    if creator.id != me.id:
        creator.name, creator.last_name = CREATOR_FIRST, CREATOR_LAST
    return portal


def webhook_client(portal: SandboxPortal, transport: httpx.AsyncBaseTransport | None = None) -> Any:
    auth = WebhookAuth(BASE, portal.config.user_id, portal.webhook_code)
    return BitrixClient(auth, transport=transport or portal.mock_transport())


def oauth_client(portal: SandboxPortal, tokens: Any, **options: Any) -> BitrixClient:
    """A client signed in to `portal` as its OAuth app; refreshes go to the sandbox too."""
    config = portal.config
    auth = OAuthAuth(
        BASE,
        tokens.access_token,
        tokens.refresh_token,
        config.client_id,
        config.client_secret,
        oauth_server=BASE,
        **options,
    )
    return BitrixClient(auth, transport=portal.mock_transport())


def journal_with_run(path: Path) -> Journal:
    journal = Journal(path)
    journal.start_run(
        "20261207-120000-abcdef",
        kind=RunKind.RENEW,
        portal=BASE,
        tasks=[TaskSnapshot(7, 5, "2026-12-01T10:00:00+03:00", 1, None, JOURNAL_TITLE)],
    )
    journal.finish_run("20261207-120000-abcdef", cancelled=False)
    return journal


def log_with_unexpected(path: Path) -> Path:
    path.write_text(
        "2026-12-07 12:00:00,000 INFO b24desk.core.session: session opened for "
        f"{BASE} (profile)\n"
        "2026-12-07 12:00:01,000 WARNING b24desk.core.renew.engine: a batch of 2 got no clear "
        f"answer: HTTP 502 answer to batch is not JSON: '<html>{LOGGED_PERSON}</html>' from "
        f"{BASE}/rest/1/{FAKE_CODE}/batch\n",
        encoding="utf-8",
    )
    return path


async def diagnose(
    portal: SandboxPortal, tmp_path: Path, *, mask_host: bool, client: Any = None
) -> tuple[DiagnosticReport, str]:
    journal = journal_with_run(tmp_path / "journal.jsonl")
    log_file = log_with_unexpected(tmp_path / "b24desk.log")
    async with client or webhook_client(portal) as opened:
        report = await run_diagnosis(
            opened, journal=journal, log_file=log_file, mask_host=mask_host
        )
    out = tmp_path / "report.json"
    report.write(out)
    return report, out.read_text(encoding="utf-8")


def probe(report: DiagnosticReport, name: str) -> dict[str, Any]:
    return next(p for p in report.data["probes"] if p["probe"] == name)


# --- nothing secret or personal ------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_report_file_holds_no_secret_and_no_personal_text(tmp_path: Path) -> None:
    portal = fake_portal()
    report, text = await diagnose(portal, tmp_path, mask_host=True)

    # The probes really saw the secrets' neighbours: the search below proves something.
    listed = probe(report, "tasks.task.list completed")
    assert listed["outcome"] == "ok"
    assert listed["answer"]["result"]["tasks"][0]["title"] == f"<str {len(TITLE)}>"
    assert probe(report, "profile")["answer"]["result"]["NAME"] == f"<str {len(FIRST)}>"
    assert probe(report, "tasks.task.get")["outcome"] == "ok"
    assert report.data["runs"]["runs"][0]["tasks"] == 1
    assert len(report.data["logged_unexpected"]) == 1

    needles = [
        FAKE_CODE,
        TITLE,
        DESCRIPTION,
        FIRST,
        LAST,
        CREATOR_FIRST,
        CREATOR_LAST,
        JOURNAL_TITLE,
        LOGGED_PERSON,
        HOST,
        "acme-diagnostics",
    ]
    users = [portal.users[t.created_by] for t in sorted(portal.tasks.values(), key=lambda t: t.id)]
    needles += [u.full_name for u in users[:60]]
    needles += [u.email for u in users[:60]]
    needles += [t.title for t in list(portal.tasks.values())[:60]]
    found = [needle for needle in needles if needle.lower() in text.lower()]
    assert found == []
    assert MASKED_HOST in text
    json.loads(text)  # still valid JSON after the last redaction pass


@pytest.mark.asyncio
async def test_oauth_tokens_never_appear(tmp_path: Path) -> None:
    portal = fake_portal()
    tokens = portal.issue_oauth_tokens()
    client = oauth_client(portal, tokens)
    report, text = await diagnose(portal, tmp_path, mask_host=False, client=client)

    assert probe(report, "profile")["outcome"] == "ok"
    assert report.data["portal"]["auth_kind"] == "oauth"
    for secret in (tokens.access_token, tokens.refresh_token, portal.config.client_secret):
        assert secret not in text
    assert HOST in text  # kept when not asked to mask it


@pytest.mark.asyncio
async def test_an_expired_oauth_token_is_refreshed_before_probing(tmp_path: Path) -> None:
    now = [1_790_000_000.0]
    portal = SandboxPortal(
        PortalConfig(seed=11, task_count=60, limits="off", access_token_lifetime_s=60.0),
        clock=lambda: now[0],
    )
    tokens = portal.issue_oauth_tokens()
    now[0] += 120  # the access token has expired
    saved: list[Any] = []
    client = oauth_client(portal, tokens, on_tokens=saved.append, clock=lambda: now[0])
    report, text = await diagnose(portal, tmp_path, mask_host=False, client=client)

    profile = probe(report, "profile")
    assert (profile["outcome"], profile["after_token_refresh"]) == ("ok", True)
    assert len(saved) == 1
    assert probe(report, "tasks.task.list completed")["outcome"] == "ok"
    for secret in (tokens.access_token, tokens.refresh_token, saved[0].access_token):
        assert secret not in text


@pytest.mark.asyncio
async def test_the_report_records_status_headers_shape_time_and_plan(tmp_path: Path) -> None:
    report, text = await diagnose(fake_portal(), tmp_path, mask_host=False)
    data = json.loads(text)

    assert next(iter(data)) == "summary"
    assert data["format"] == REPORT_FORMAT
    assert data["b24desk"]["version"]
    assert data["b24desk"]["os"]
    assert data["portal"]["license"] == "en_pro100"
    assert data["portal"]["plan_family"] == "pro"
    profile = probe(report, "profile")
    assert profile["http_status"] == 200
    assert profile["headers"]["content-type"].startswith("application/json")
    assert profile["shape"]["object"]["result"]["object"]["NAME"] == "str"
    assert set(profile["time"]) >= {"duration", "processing", "operating"}
    wrong = probe(report, "unknown method")
    assert wrong["method"] == UNKNOWN_METHOD
    assert (wrong["http_status"], wrong["outcome"]) == (404, "expected error")
    assert wrong["error"]["code"] == "ERROR_METHOD_NOT_FOUND"
    asked = [p["asks_about"] for p in data["probes"] if p["method"] == "method.get"]
    assert set(asked) >= {tasks_api.RENEW, tasks_api.LEGACY_RENEW, "tasks.task.update"}
    batch = probe(report, "batch")
    assert batch["outcome"] == "ok"
    assert set(batch["shape"]["object"]["result"]["object"]["result"]["object"]) == {
        "time",
        "tasks",
    }
    assert data["runs"]["runs"][0]["outcomes"] == {"not_attempted": 1}
    assert any("read-only requests" in line for line in data["summary"])


# --- read-only, checked --------------------------------------------------------------------


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_the_allow_list_refuses_every_write(method: str) -> None:
    with pytest.raises(NotReadOnly):
        check_read_only(method, {"taskId": 1})
    with pytest.raises(NotReadOnly):
        check_read_only(method.upper())
    with pytest.raises(NotReadOnly):
        check_read_only("batch", {"cmd": {"a": "server.time", "b": f"{method}?taskId=1"}})
    assert method.lower() not in READ_ONLY_METHODS


def test_the_allow_list_refuses_odd_batches() -> None:
    odd: tuple[dict[str, Any], ...] = (
        {},
        {"cmd": {}},
        {"cmd": "server.time"},
        {"cmd": {"a": "batch?cmd[x]=profile"}},
    )
    for params in odd:
        with pytest.raises(NotReadOnly):
            check_read_only("batch", params)


def test_every_planned_probe_passes_the_allow_list() -> None:
    plan = [*first_probes(), *task_probes(17, 1), *task_probes(None, None)]
    for planned in plan:
        check_read_only(planned.method, planned.params)
    assert {p.method for p in plan} <= READ_ONLY_METHODS


@pytest.mark.asyncio
async def test_a_diagnosis_changes_nothing_on_the_portal(tmp_path: Path) -> None:
    portal = fake_portal()
    before = {t.id: (t.status, t.changed_date) for t in portal.tasks.values()}
    await diagnose(portal, tmp_path, mask_host=False)
    assert {t.id: (t.status, t.changed_date) for t in portal.tasks.values()} == before
    assert portal.method_calls  # it did call the portal
    assert set(portal.method_calls) <= READ_ONLY_METHODS
    assert not set(portal.method_calls) & {m.lower() for m in WRITE_METHODS}


@pytest.mark.asyncio
async def test_a_write_probe_is_refused_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import b24desk.core.diagnose as diagnose_module

    portal = fake_portal()
    sneaky = [Probe("renew", tasks_api.RENEW, {"taskId": 1})]
    monkeypatch.setattr(diagnose_module, "first_probes", lambda: sneaky)
    with pytest.raises(NotReadOnly):
        await diagnose(portal, tmp_path, mask_host=False)
    assert portal.http_requests == 0


# --- unexpected answers --------------------------------------------------------------------


def odd_transport(portal: SandboxPortal) -> httpx.AsyncBaseTransport:
    """The sandbox, except `scope` answers an HTML page, `app.info` sends to a login page
    and `server.time` gives an unknown error code."""
    inner = portal.mock_transport()

    async def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/scope"):
            return httpx.Response(502, text="<html><body>Bad gateway</body></html>")
        if request.url.path.endswith("/app.info"):
            backurl = "%2Frest%2F1%2FotherSecretLookingCode%2Fapp.info"
            headers = {"Location": f"/auth/?backurl={backurl}", "Set-Cookie": "PHPSESSID=abc"}
            return httpx.Response(302, headers=headers, text="<html>login</html>")
        if request.url.path.endswith("/server.time"):
            return httpx.Response(400, json={"error": "WEIRD_NEW_CODE", "error_description": "?"})
        return await inner.handle_async_request(request)

    return httpx.MockTransport(handle)


@pytest.mark.asyncio
async def test_unexpected_answers_are_flagged_and_summarized(tmp_path: Path) -> None:
    portal = fake_portal()
    client = webhook_client(portal, odd_transport(portal))
    report, text = await diagnose(portal, tmp_path, mask_host=False, client=client)

    scope = probe(report, "scope")
    assert (scope["http_status"], scope["outcome"], scope["unexpected"]) == (
        502,
        "unexpected",
        "not JSON",
    )
    assert scope["body"] == {
        "length": len("<html><body>Bad gateway</body></html>"),
        "looks_like_html": True,
    }
    weird = probe(report, "server.time")
    assert weird["outcome"] == "unexpected"
    assert weird["error"] == {"code": "WEIRD_NEW_CODE", "description": "?"}
    login = probe(report, "app.info")
    assert (login["http_status"], login["outcome"]) == (302, "unexpected")
    assert login["headers"]["location"] == "/auth/"
    assert "set-cookie" not in login["headers"]
    assert "otherSecretLookingCode" not in text
    assert "PHPSESSID" not in text
    assert report.unexpected == 4  # three probes and the logged warning
    assert "- scope: an answer b24desk did not expect (not JSON)" in report.summary
    assert "Bad gateway" not in text


@pytest.mark.asyncio
async def test_an_unreachable_portal_still_gives_a_report(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    portal = fake_portal()
    client = webhook_client(portal, httpx.MockTransport(refuse))
    report, _ = await diagnose(portal, tmp_path, mask_host=False, client=client)
    outcomes = {p["outcome"] for p in report.data["probes"]}
    assert outcomes == {"failed"}
    assert {p["failure"] for p in report.data["probes"]} == {"ConnectFailed"}
    assert "tasks.task.get" not in {p["probe"] for p in report.data["probes"]}


@pytest.mark.parametrize(
    ("code", "unexpected"),
    [
        ("WEIRD_NEW_CODE", True),
        ("some_lower_code", True),
        ("UnexpectedResponse", True),
        ("UnexpectedRedirect", True),
        ("ERROR_METHOD_NOT_FOUND", False),
        ("insufficient_scope", False),
        ("1048582", False),
        ("0", False),
        ("ERROR_CORE", False),
        ("QUERY_LIMIT_EXCEEDED", False),
        ("ConnectFailed", False),
        ("ProfileError", False),
        ("OSError", False),
        ("FileNotFoundError", False),
        ("RUN_STOPPED", False),
        ("UNCONFIRMED", False),
        ("", False),
    ],
)
def test_which_codes_are_unexpected(code: str, unexpected: bool) -> None:
    assert is_unexpected_code(code) is unexpected


# --- shapes and masking --------------------------------------------------------------------


def test_json_shape_merges_lists_and_marks_idmaps_and_unions() -> None:
    assert json_shape({"a": [1, 2], "b": {}, "c": None}) == {
        "object": {"a": {"list": "number"}, "b": "empty", "c": "null"}
    }
    assert json_shape({"3": {"x": "1"}, "11": {"y": True}}) == {
        "idmap": {"object": {"x": "str", "y": "bool"}}
    }
    assert json_shape([1, "a", 2]) == {"list": {"union": ["number", "str"]}}
    assert json_shape([[], [1]]) == {"list": {"list": "number"}}


@pytest.mark.parametrize(
    ("key", "value", "kept"),
    [
        ("ID", "42", True),
        ("responsibleId", "7", True),
        ("closedBy", "7", True),
        ("closedDate", "2026-11-14T09:20:08+03:00", True),
        ("anything", "14.11.2026 09:20:08", True),
        ("status", "5", True),
        ("favorite", "Y", True),
        ("LICENSE", "en_pro100", True),
        ("error", "ERROR_CORE", True),
        ("title", "Quarterly report", False),
        ("NAME", "Anna", False),
        ("PERSONAL_MOBILE", "79001234567", False),
        ("ID", "not an id", False),
        ("icon", "https://acme.example/a.png", False),
    ],
)
def test_masking_keeps_ids_dates_and_codes_only(key: str, value: str, kept: bool) -> None:
    masked = masked_value({key: value})[key]
    assert masked == (value if kept else f"<str {len(value)}>")


def test_masking_cuts_long_lists() -> None:
    masked: Callable[[Any], Any] = masked_value
    assert masked(list(range(10))) == [0, 1, 2, "<7 more>"]


def test_the_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    report, _ = asyncio.run(diagnose(fake_portal(), tmp_path, mask_host=False))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "b24desk.log",
        "journal.jsonl",
        "report.json",
    ]
    with pytest.raises(FileNotFoundError):
        report.write(tmp_path / "missing" / "report.json")
    folder = tmp_path / "taken"
    folder.mkdir()
    with pytest.raises((IsADirectoryError, PermissionError)):
        report.write(folder)  # a folder stands where the file should go
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "taken.part").exists()
