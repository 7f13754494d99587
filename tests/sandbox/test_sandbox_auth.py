"""Webhook and OAuth authentication, scopes, and the global methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sandbox_support import BASE, Api, FakeClock

from b24desk.sandbox import SandboxPortal
from b24desk.sandbox.config import PORTAL_SCOPES


def oauth_call(api: Api, method: str, token: str, **params: Any) -> httpx.Response:
    return api.http.post(f"{BASE}/rest/{method}.json", json={**params, "auth": token})


def token_request(api: Api, **params: str) -> httpx.Response:
    config = api.portal.config
    query = {"client_id": config.client_id, "client_secret": config.client_secret, **params}
    return api.http.get(f"{BASE}/oauth/token/", params=query)


# --- webhook ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/rest/1/{code}x/profile", "/rest/2/{code}/profile", "/rest/1/wrongcode000/profile.json"],
)
def test_wrong_webhook_credentials(api: Api, path: str) -> None:
    response = api.http.post(BASE + path.format(code=api.portal.webhook_code))
    assert response.status_code == 401
    assert response.json()["error"] == "INVALID_CREDENTIALS"
    assert api.portal.method_calls["profile"] == 0


@pytest.mark.parametrize("method", ["profile", "profile.json", "PROFILE", "Profile.json"])
def test_method_names_are_case_insensitive_and_json_suffix_optional(api: Api, method: str) -> None:
    assert api.ok(method)["result"]["ID"] == "1"


def test_unknown_method_is_404(api: Api) -> None:
    response = api.call("tasks.task.explode")
    assert response.status_code == 404
    assert response.json() == {
        "error": "ERROR_METHOD_NOT_FOUND",
        "error_description": "Method not found!",
    }


def test_missing_scope_is_insufficient_scope_but_basic_methods_work(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(webhook_scopes=("user",))
    response = api.call("tasks.task.list")
    assert response.status_code == 401
    assert response.json()["error"] == "insufficient_scope"
    assert api.ok("profile")["result"]["ID"] == "1"
    assert api.ok("scope")["result"] == ["user"]


def test_scope_lists_granted_scopes_and_full_lists_the_portals(api: Api) -> None:
    assert set(api.ok("scope")["result"]) == {"task", "user", "department"}
    full = api.ok("scope", full=True)["result"]
    assert full == list(PORTAL_SCOPES)
    assert "crm" in full


@pytest.mark.parametrize(
    ("limits", "license_name"), [("standard", "en_pro100"), ("enterprise", "en_ent250")]
)
def test_app_info_for_a_webhook(
    make_api: Callable[..., Api], limits: str, license_name: str
) -> None:
    api = make_api(limits=limits)
    assert api.ok("app.info")["result"] == {
        "SCOPE": ["department", "task", "user"],
        "LICENSE": license_name,
    }


def test_method_get_tells_existing_and_available(make_api: Callable[..., Api]) -> None:
    api = make_api(webhook_scopes=("user",))
    assert api.ok("method.get", name="tasks.task.renew")["result"] == {
        "isExisting": True,
        "isAvailable": False,
    }
    assert api.ok("method.get", name="user.current")["result"] == {
        "isExisting": True,
        "isAvailable": True,
    }
    assert api.ok("method.get", name="no.such")["result"] == {
        "isExisting": False,
        "isAvailable": False,
    }


def test_profile_reflects_the_admin_flag(make_api: Callable[..., Api]) -> None:
    assert make_api(admin=True).ok("profile")["result"]["ADMIN"] is True
    assert make_api(admin=False).ok("profile")["result"]["ADMIN"] is False


def test_user_current_and_user_get(api: Api) -> None:
    me = api.ok("user.current")["result"]
    assert me["ID"] == "1"
    assert me["UF_DEPARTMENT"] == [1]
    first = api.ok("user.get")
    assert first["total"] == len(api.portal.users)
    assert first["next"] == 50
    assert api.ok("user.get", start=50)["result"][0]["ID"] == "51"
    assert [u["ID"] for u in api.ok("user.get", ID=7)["result"]] == ["7"]
    assert [u["ID"] for u in api.ok("user.get", FILTER={"ID": 9})["result"]] == ["9"]


def test_user_get_by_a_list_of_ids(api: Api) -> None:
    # The docs: filter values may be arrays, and the "@" prefix means IN.
    by_prefix = api.ok("user.get", FILTER={"@ID": [12, "3", 40]})["result"]
    assert [u["ID"] for u in by_prefix] == ["3", "12", "40"]
    plain = api.ok("user.get", filter={"ID": [5, 6]})["result"]
    assert [u["ID"] for u in plain] == ["5", "6"]
    assert api.ok("user.get", FILTER={"@ID": []})["result"] == []
    record = by_prefix[0]
    assert record["EMAIL"]
    assert record["UF_DEPARTMENT"]
    assert record["WORK_POSITION"] is not None


def test_user_fields_follow_the_user_scope(make_api: Callable[..., Api]) -> None:
    brief = make_api(webhook_scopes=("task", "user_brief")).ok("user.get", ID=3)["result"][0]
    assert "EMAIL" not in brief
    assert "LAST_LOGIN" not in brief
    assert brief["NAME"]
    assert brief["UF_DEPARTMENT"]
    basic = make_api(webhook_scopes=("task", "user_basic")).ok("user.get", ID=3)["result"][0]
    assert basic["EMAIL"]
    assert "LAST_LOGIN" not in basic
    full = make_api(webhook_scopes=("task", "user")).ok("user.get", ID=3)["result"][0]
    assert full["EMAIL"]
    assert full["LAST_LOGIN"]
    refused = make_api(webhook_scopes=("task",)).call("user.get", ID=3)
    assert refused.json()["error"] == "insufficient_scope"


def test_server_time_is_the_clock_in_portal_time(api: Api) -> None:
    assert api.ok("server.time")["result"] == "2025-10-09T11:53:20+03:00"


# --- OAuth calls -----------------------------------------------------------------------


def test_oauth_token_in_body_query_access_token_or_bearer(api: Api) -> None:
    token = api.portal.issue_oauth_tokens().access_token
    assert token.startswith("sandbox")
    assert oauth_call(api, "profile", token).status_code == 200
    assert api.http.get(f"{BASE}/rest/profile", params={"auth": token}).status_code == 200
    assert api.http.post(f"{BASE}/rest/profile", data={"access_token": token}).status_code == 200
    bearer = api.http.post(f"{BASE}/rest/profile", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 200


def test_oauth_without_or_with_an_unknown_token(api: Api) -> None:
    missing = api.http.post(f"{BASE}/rest/profile.json")
    assert missing.status_code == 401
    assert missing.json()["error"] == "NO_AUTH_FOUND"
    unknown = oauth_call(api, "profile", "sandboxaccessnotissued")
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_token"


def test_access_token_expires_after_an_hour_of_the_clock(api: Api, clock: FakeClock) -> None:
    token = api.portal.issue_oauth_tokens().access_token
    clock.advance(3599)
    assert oauth_call(api, "profile", token).status_code == 200
    clock.advance(1)
    expired = oauth_call(api, "profile", token)
    assert expired.status_code == 401
    assert expired.json()["error"] == "expired_token"


def test_app_info_for_an_oauth_app(make_api: Callable[..., Api]) -> None:
    api = make_api(limits="standard")
    token = api.portal.issue_oauth_tokens().access_token
    info = oauth_call(api, "app.info", token).json()["result"]
    assert info["CODE"] == api.portal.config.client_id
    assert info["LICENSE_FAMILY"] == "pro"
    assert info["INSTALLED"] is True


def test_oauth_batch_carries_auth_in_the_body(api: Api) -> None:
    token = api.portal.issue_oauth_tokens().access_token
    response = oauth_call(api, "batch", token, cmd={"me": "user.current"})
    assert response.json()["result"]["result"]["me"]["ID"] == "1"


# --- token endpoint --------------------------------------------------------------------


def test_refresh_gives_a_new_working_pair_once(api: Api, clock: FakeClock) -> None:
    old = api.portal.issue_oauth_tokens()
    clock.advance(4000)
    response = token_request(api, grant_type="refresh_token", refresh_token=old.refresh_token)
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["expires_in"] == 3600
    assert fresh["expires"] == int(clock.now) + 3600
    assert fresh["user_id"] == 1
    assert fresh["client_endpoint"] == f"{BASE}/rest/"
    assert fresh["refresh_token"] != old.refresh_token
    assert oauth_call(api, "profile", fresh["access_token"]).status_code == 200
    again = token_request(api, grant_type="refresh_token", refresh_token=old.refresh_token)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_refresh_token_lives_180_days(api: Api, clock: FakeClock) -> None:
    pair = api.portal.issue_oauth_tokens()
    clock.advance(180 * 86_400)
    response = token_request(api, grant_type="refresh_token", refresh_token=pair.refresh_token)
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        (
            {"grant_type": "refresh_token", "refresh_token": "sandboxrefreshbogus"},
            400,
            "invalid_grant",
        ),
        ({"grant_type": "refresh_token", "refresh_token": ""}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "invalid_request"),
        ({"grant_type": "refresh_token", "client_secret": "wrong"}, 401, "invalid_client"),
        ({"grant_type": "refresh_token", "client_id": "local.other"}, 401, "invalid_client"),
    ],
)
def test_token_endpoint_errors(api: Api, params: dict[str, str], status: int, error: str) -> None:
    pair = api.portal.issue_oauth_tokens()
    response = token_request(api, **{"refresh_token": pair.refresh_token, **params})
    assert response.status_code == status
    assert response.json()["error"] == error


def authorize(api: Api, **overrides: str) -> httpx.Response:
    params = {
        "client_id": api.portal.config.client_id,
        "redirect_uri": "http://127.0.0.1:9/callback?x=1",
        "state": "st4te",
        **overrides,
    }
    return api.http.get(f"{BASE}/oauth/authorize/", params=params)


def test_authorization_code_flow(api: Api, clock: FakeClock) -> None:
    response = authorize(api)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/callback"
    answer = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert answer["x"] == "1"
    assert answer["state"] == "st4te"
    assert answer["domain"] == "sandbox.invalid"
    assert set(answer) >= {"code", "member_id", "scope", "server_domain"}
    clock.advance(29)
    tokens = token_request(api, grant_type="authorization_code", code=answer["code"])
    assert tokens.status_code == 200
    assert oauth_call(api, "profile", tokens.json()["access_token"]).status_code == 200
    reused = token_request(api, grant_type="authorization_code", code=answer["code"])
    assert reused.json()["error"] == "invalid_grant"


def test_authorization_code_is_valid_for_30_seconds(api: Api, clock: FakeClock) -> None:
    location = authorize(api).headers["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    clock.advance(30)
    response = token_request(api, grant_type="authorization_code", code=code)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [({"client_id": "local.unknown"}, "invalid_client"), ({"redirect_uri": ""}, "invalid_request")],
)
def test_authorize_refuses_bad_requests(api: Api, overrides: dict[str, str], error: str) -> None:
    response = authorize(api, **overrides)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_unknown_paths_get_an_html_404(make_portal: Callable[..., SandboxPortal]) -> None:
    with httpx.Client(transport=make_portal().mock_transport(), base_url=BASE) as http:
        response = http.get("/company/")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
