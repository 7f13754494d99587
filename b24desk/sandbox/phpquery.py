"""PHP's view of request parameters: `parse_str`, `http_build_query`, truthiness, intval.

Bitrix24 is PHP, so a form body or query string such as
`filter[>ID]=5&select[]=ID&order[ID]=asc&cmd[a]=...` reaches a method as nested arrays.
PHP arrays are ordered maps; here they are dicts with string keys, and a dict whose keys
are exactly "0".."n-1" in order becomes a list, as PHP's json_encode would print it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus, unquote_plus

_CANONICAL_INT = re.compile(r"^(0|-?[1-9][0-9]*)$")
# PHP's max_input_nesting_level default: deeper keys are dropped whole.
MAX_NESTING = 64


def is_canonical_int(key: str) -> bool:
    """PHP turns such string keys into integer keys ("5" yes, "05" and "+5" no)."""
    return bool(_CANONICAL_INT.match(key))


def _split_key(raw: str) -> tuple[str, list[str]] | None:
    """Split `a[b][]` into ("a", ["b", ""]) the way php_register_variable_ex does."""
    name = raw.lstrip(" ")
    bracket = name.find("[")
    if bracket == -1:
        base, rest = name, ""
    else:
        base, rest = name[:bracket], name[bracket:]
    segments: list[str] = []
    while rest.startswith("["):
        close = rest.find("]")
        if close == -1:
            if not segments:
                # An unclosed first "[" becomes "_" and the rest is part of the plain name.
                base = base + "_" + rest[1:]
            break
        segments.append(rest[1:close])
        rest = rest[close + 1 :]
    base = base.replace(" ", "_").replace(".", "_")
    if not base:
        return None
    if len(segments) > MAX_NESTING:
        return None
    return base, segments


def _next_index(array: dict[str, Any]) -> str:
    ints = [int(k) for k in array if is_canonical_int(k)]
    return str(max(max(ints) + 1, 0) if ints else 0)


def _assign(target: dict[str, Any], base: str, segments: list[str], value: str) -> None:
    keys = [base, *segments]
    node = target
    for position, key in enumerate(keys):
        if key == "" and position > 0:
            key = _next_index(node)
        if position == len(keys) - 1:
            node[key] = value
            return
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child


def normalize(value: Any) -> Any:
    """Turn PHP-array dicts with keys 0..n-1 (in order) into lists, recursively."""
    if isinstance(value, dict):
        items = {str(k): normalize(v) for k, v in value.items()}
        keys = list(items)
        if keys and keys == [str(i) for i in range(len(keys))]:
            return list(items.values())
        return items
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def parse_query(query: str) -> dict[str, Any]:
    """`parse_str`: a query string or form body to nested PHP-style parameters."""
    result: dict[str, Any] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        split = _split_key(unquote_plus(raw_key))
        if split is None:
            continue
        base, segments = split
        _assign(result, base, segments, unquote_plus(raw_value))
    return {key: normalize(value) for key, value in result.items()}


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _flatten(prefix: str, value: Any, pairs: list[tuple[str, str]]) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _flatten(f"{prefix}[{key}]", child, pairs)
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            _flatten(f"{prefix}[{index}]", child, pairs)
    else:
        text = _scalar_text(value)
        if text is not None:
            pairs.append((prefix, text))


def build_query(params: Mapping[str, Any]) -> str:
    """`http_build_query`: lists get numeric indices, None and empty arrays vanish."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if isinstance(value, Mapping | list | tuple):
            _flatten(str(key), value, pairs)
        else:
            text = _scalar_text(value)
            if text is not None:
                pairs.append((str(key), text))
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in pairs)


def truthy(value: Any) -> bool:
    """PHP's (bool) cast: "", "0", 0, empty arrays and null are false; "false" is true."""
    if value is None:
        return False
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, bool | int | float):
        return bool(value)
    if isinstance(value, dict | list):
        return len(value) > 0
    return True


_LEADING_INT = re.compile(r"^\s*([+-]?\d+)")


def intval(value: Any) -> int:
    """PHP's (int) cast: leading digits of a string, 0 for anything unparsable."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        match = _LEADING_INT.match(value)
        return int(match.group(1)) if match else 0
    if isinstance(value, dict | list):
        return 1 if value else 0
    return 0


def php_array(items: list[tuple[str, Any]]) -> Any:
    """How PHP's json_encode prints an array built with these keys, in this order."""
    keys = [key for key, _ in items]
    if keys == [str(i) for i in range(len(keys))]:
        return [value for _, value in items]
    return dict(items)
