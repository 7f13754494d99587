from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote_plus

import pytest
from b24pysdk.utils.encoding import encode_params as sdk_encode_params
from hypothesis import given
from hypothesis import strategies as st

from b24desk.core.bitrix.encoding import batch_command, encode_params

PhpValue = str | dict[str, "PhpValue"]


def php_parse_str(query: str) -> dict[str, PhpValue]:
    """What PHP's parse_str makes of a query (the subset the portal relies on).

    Names and values are url-decoded first, then the name's `[...]` parts nest arrays;
    `[]` appends at the next integer index.
    """
    out: dict[str, PhpValue] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition("=")
        name, value = unquote_plus(raw_name), unquote_plus(raw_value)
        base, bracket, rest = name.partition("[")
        parts = [base]
        if bracket:
            assert rest.endswith("]"), name
            parts += rest[:-1].split("][")
        node = out
        for index, part in enumerate(parts):
            key = _next_index(node) if part == "" else part
            if index == len(parts) - 1:
                node[key] = value
            else:
                child = node.setdefault(key, {})
                assert isinstance(child, dict)
                node = child
    return out


def _next_index(node: dict[str, PhpValue]) -> str:
    numbers = [int(k) for k in node if k.lstrip("-").isdigit()]
    return str(max(numbers) + 1 if numbers else 0)


def as_php(value: Any) -> PhpValue:
    """The structure PHP should end up with for a Python value we encoded."""
    if isinstance(value, dict | list | tuple):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        php = {str(k): as_php(v) for k, v in items}
        return php or {"0": ""}  # `key[]=`: an array holding one empty string
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


top_keys = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789_><=!%", min_size=1)
inner_keys = st.text(
    alphabet=st.characters(exclude_characters="[]", exclude_categories=("Cs",)), min_size=1
)
scalars = (
    st.text(alphabet=st.characters(exclude_categories=("Cs",)))
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(inner_keys, children, max_size=4)
    ),
    max_leaves=12,
)
params_strategy = st.dictionaries(top_keys, values, max_size=5)


@given(params_strategy)
def test_php_parser_reads_back_exactly_what_was_encoded(params: dict[str, Any]) -> None:
    expected = {key: as_php(value) for key, value in params.items()}
    assert php_parse_str(encode_params(params)) == expected


@given(params_strategy)
def test_matches_the_official_sdk_except_for_booleans(params: dict[str, Any]) -> None:
    def without_bools(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: without_bools(v) for k, v in value.items()}
        if isinstance(value, list):
            return [without_bools(v) for v in value]
        return "flag" if isinstance(value, bool) else value

    cleaned = without_bools(params)
    assert encode_params(cleaned) == sdk_encode_params(cleaned)


@given(st.dictionaries(top_keys, scalars, min_size=1))
def test_values_are_percent_encoded_exactly_once(params: dict[str, Any]) -> None:
    for pair, (key, value) in zip(encode_params(params).split("&"), params.items(), strict=True):
        name, _, encoded = pair.partition("=")
        assert unquote_plus(name) == key
        assert unquote_plus(encoded) == as_php(value)
        assert not set(encoded) & set("&=[] ")


def test_task_list_command() -> None:
    params = {
        "order": {"ID": "asc"},
        "filter": {">ID": 5, "REAL_STATUS": 5, "%TITLE": "Q3 report & more"},
        "select": ["ID", "TITLE"],
        "start": -1,
    }
    assert batch_command("tasks.task.list", params) == (
        "tasks.task.list?order[ID]=asc&filter[%3EID]=5&filter[REAL_STATUS]=5"
        "&filter[%25TITLE]=Q3+report+%26+more&select[0]=ID&select[1]=TITLE&start=-1"
    )


def test_result_references_are_encoded_once_and_decode_to_the_reference() -> None:
    query = encode_params({"filter": {">ID": "$result[p0][tasks][49][id]"}})
    assert query == "filter[%3EID]=%24result%5Bp0%5D%5Btasks%5D%5B49%5D%5Bid%5D"
    assert php_parse_str(query) == {"filter": {">ID": "$result[p0][tasks][49][id]"}}


def test_empty_containers_none_booleans_and_dates() -> None:
    assert encode_params({"ORDER": [], "FILTER": {}}) == "ORDER[]=&FILTER[]="
    assert encode_params({"a": None, "b": True, "c": False}) == "a=&b=1&c=0"
    assert encode_params({"d": date(2025, 1, 31)}) == "d=2025-01-31"
    assert encode_params({"t": datetime(2025, 1, 31, 8, 0, tzinfo=UTC)}) == (
        "t=2025-01-31T08%3A00%3A00%2B00%3A00"
    )
    assert encode_params([13, {"X": 1}]) == "0=13&1[X]=1"
    assert encode_params(None) == ""
    assert batch_command("profile") == "profile"


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"a[b]": 1}, ValueError, "square bracket"),
        ({"filter": {"x]": 1}}, ValueError, "square bracket"),
        ({"": 1}, ValueError, "must not be empty"),
        ({"filter": {"": 1}}, ValueError, "must not be empty"),
        ({"x": object()}, TypeError, "cannot encode object value of parameter 'x'"),
        ({"x": {1.5: 1}}, TypeError, "parameter names must be text or integers"),
        ("a=1", TypeError, "params must be a mapping or a list"),
    ],
)
def test_bad_params_get_a_clear_message(params: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        encode_params(params)


@pytest.mark.parametrize("method", ["", "tasks.task.list?x=1", "a b", "batch&halt=1"])
def test_bad_method_names_are_refused(method: str) -> None:
    with pytest.raises(ValueError, match="not a Bitrix24 method name"):
        batch_command(method)
