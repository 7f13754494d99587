"""Request parameters: JSON, form and GET query bodies with PHP-style nested keys."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sandbox_support import Api

from b24desk.sandbox.phpquery import build_query, intval, normalize, parse_query, truthy
from b24desk.sandbox.timefmt import iso, parse_datetime

NOW = 1_760_000_000.0


@pytest.mark.parametrize(
    ("query", "parsed"),
    [
        ("filter[>ID]=5", {"filter": {">ID": "5"}}),
        ("select[]=ID&select[]=TITLE", {"select": ["ID", "TITLE"]}),
        ("order[ID]=asc&start=-1", {"order": {"ID": "asc"}, "start": "-1"}),
        ("cmd[a]=user.current&cmd[b]=profile", {"cmd": {"a": "user.current", "b": "profile"}}),
        ("filter%5B%3EID%5D=5", {"filter": {">ID": "5"}}),
        ("0=13", {"0": "13"}),
        ("a[x][y][]=1&a[x][y][]=2", {"a": {"x": {"y": ["1", "2"]}}}),
        ("a[5]=x&a[]=y", {"a": {"5": "x", "6": "y"}}),
        ("a[1]=x&a[0]=y", {"a": {"1": "x", "0": "y"}}),
        ("my.key=1&my key=2", {"my_key": "2"}),
        ("a[b=1", {"a_b": "1"}),
        ("a[b]c=1", {"a": {"b": "1"}}),
        ("=orphan&&x", {"x": ""}),
        ("title=R%26D+%C2%ABbeta%C2%BB", {"title": "R&D «beta»"}),
        ("a=1&a[]=2", {"a": ["2"]}),
    ],
)
def test_parse_query_like_php(query: str, parsed: dict[str, Any]) -> None:
    assert parse_query(query) == parsed


def test_build_query_like_http_build_query() -> None:
    built = build_query(
        {"filter": {">ID": 5, "REAL_STATUS": [4, 5]}, "halt": True, "skip": None, "empty": []}
    )
    assert built == (
        "filter%5B%3EID%5D=5&filter%5BREAL_STATUS%5D%5B0%5D=4&filter%5BREAL_STATUS%5D%5B1%5D=5"
        "&halt=1"
    )


KEY = st.text(
    alphabet=st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=6,
)
TOP_KEY = st.text(
    alphabet=st.characters(blacklist_characters="[]. ", blacklist_categories=("Cs", "Cc", "Zs")),
    min_size=1,
    max_size=6,
)
LEAF = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
TREE = st.recursive(
    LEAF,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3),
        st.dictionaries(KEY, children, min_size=1, max_size=3),
    ),
    max_leaves=12,
)


@given(st.dictionaries(TOP_KEY, TREE, min_size=1, max_size=4))
def test_parse_inverts_build(params: dict[str, Any]) -> None:
    assert parse_query(build_query(params)) == {k: normalize(v) for k, v in params.items()}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", False), ("0", False), (0, False), (None, False), ([], False), ("false", True),
     ("1", True), (True, True), ({"a": 1}, True), (0.0, False)],
)  # fmt: skip
def test_php_truthiness(value: Any, expected: bool) -> None:
    assert truthy(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7x", 7), ("-3", -3), ("abc", 0), (4.9, 4), (True, 1), ([1], 1), ([], 0)],
)
def test_php_intval(value: Any, expected: int) -> None:
    assert intval(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-10-09", "2025-10-09T00:00:00+03:00"),
        ("2025-10-09 12:30:00", "2025-10-09T12:30:00+03:00"),
        ("2025-10-09T12:30:00+02:00", "2025-10-09T13:30:00+03:00"),
        ("2025-10-09T09:30:00Z", "2025-10-09T12:30:00+03:00"),
        ("09.10.2025", "2025-10-09T00:00:00+03:00"),
        ("09.10.2025 08:15", "2025-10-09T08:15:00+03:00"),
        ("2025/10/09", "2025-10-09T00:00:00+03:00"),
        ("@1760000000", "2025-10-09T11:53:20+03:00"),
        ("today", "2025-10-09T00:00:00+03:00"),
        ("yesterday", "2025-10-08T00:00:00+03:00"),
        ("now", "2025-10-09T11:53:20+03:00"),
    ],
)
def test_dates_are_read_like_strtotime(text: str, expected: str) -> None:
    parsed = parse_datetime(text, offset_minutes=180, now=NOW)
    assert parsed is not None
    assert iso(parsed, 180) == expected


@pytest.mark.parametrize("text", ["", "soon", "2025-13-45", "31.02.2025", "1760000000"])
def test_unreadable_dates_are_none(text: str) -> None:
    assert parse_datetime(text, offset_minutes=180, now=NOW) is None


# --- over the wire ---------------------------------------------------------------------


def completed_after(api: Api, last: int) -> list[int]:
    done = sorted(t.id for t in api.portal.tasks.values() if t.status == 5 and t.id > last)
    return done[:50]


def test_get_query_with_php_keys(api: Api) -> None:
    response = api.http.get(
        api.url + "tasks.task.list?filter[>ID]=100&filter[REAL_STATUS]=5"
        "&select[]=ID&select[]=TITLE&order[ID]=asc&start=-1"
    )
    tasks = response.json()["result"]["tasks"]
    assert [int(t["id"]) for t in tasks] == completed_after(api, 100)
    assert set(tasks[0]) == {"id", "title", "group"}


def test_form_body_with_php_keys(api: Api) -> None:
    response = api.http.post(
        api.url + "tasks.task.list",
        content=build_query(
            {"filter": {">ID": 100, "REAL_STATUS": 5}, "order": {"ID": "asc"}, "start": -1}
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    assert [int(t["id"]) for t in response.json()["result"]["tasks"]] == completed_after(api, 100)


def test_json_body(api: Api) -> None:
    answer = api.ok(
        "tasks.task.list",
        filter={">ID": 100, "REAL_STATUS": 5},
        order={"ID": "asc"},
        select=["ID"],
        start=-1,
    )
    assert [int(t["id"]) for t in answer["result"]["tasks"]] == completed_after(api, 100)


def test_body_values_win_over_the_query_string(api: Api) -> None:
    response = api.http.post(api.url + "user.get?ID=3", json={"ID": 4})
    assert [u["ID"] for u in response.json()["result"]] == ["4"]


def test_invalid_json_body_is_a_clear_error(api: Api) -> None:
    response = api.http.post(
        api.url + "profile", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "INVALID_REQUEST",
        "error_description": "Request body is not valid JSON",
    }


def test_unsupported_body_type_is_a_clear_error(api: Api) -> None:
    response = api.http.post(
        api.url + "profile", content=b"<xml/>", headers={"Content-Type": "text/xml"}
    )
    assert response.status_code == 400
    assert "Unsupported request body type text/xml" in response.json()["error_description"]


def test_answers_escape_like_php_json_encode(api: Api) -> None:
    task = next(t for t in api.portal.tasks.values() if "«" in t.title or "/" in t.description)
    raw = api.call("tasks.task.get", taskId=task.id).content
    assert raw.isascii()
    assert b"\\/" in raw
