"""`batch`, after CRestProvider::methodsBatch and CRestUtil::ParseBatchQuery (brief section 3).

Up to 50 commands run in order; each further one gets ERROR_BATCH_LENGTH_EXCEEDED. A value
`$result[key][field]...` (also `$next`, `$total`, `$time`, `$error`) in a later command is
replaced with data from an earlier one: a whole-value reference takes the referenced data
as is, a reference inside a longer string is pasted as text. A missing path element stops
the walk where it is (the server's `isset` loop), which is what makes a reference into a
short page UNCONFIRMED territory (brief 2.4).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from b24desk.sandbox import errors
from b24desk.sandbox.errors import RestError
from b24desk.sandbox.phpquery import is_canonical_int, parse_query, php_array, truthy

MAX_COMMANDS = 50
MAPS = ("result", "next", "total", "time", "error")
_REFERENCE = re.compile(r"\$(" + "|".join(MAPS) + r")([^\s]*)", re.IGNORECASE)
_PATH_SEGMENT = re.compile(r"\[([^\]]+)\]")


@dataclass
class SubOutcome:
    result: Any = None
    total: int | None = None
    next: int | None = None
    time: dict[str, Any] | None = None
    error: RestError | None = None


SubCall = Callable[[str, dict[str, Any]], SubOutcome]


def _step(node: Any, key: str) -> tuple[bool, Any]:
    """PHP `isset($node[$key])`: present and not null."""
    if isinstance(node, dict) and node.get(key) is not None:
        return True, node[key]
    if isinstance(node, list) and is_canonical_int(key) and 0 <= int(key) < len(node):
        value = node[int(key)]
        return value is not None, value
    return False, None


def _php_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return "Array"
    if value is True:
        return "1"
    if value is None or value is False:
        return ""
    return str(value)


def resolve_references(value: Any, maps: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict):
        return {key: resolve_references(child, maps) for key, child in value.items()}
    if isinstance(value, list):
        return [resolve_references(child, maps) for child in value]
    if not isinstance(value, str):
        return value
    text: Any = value
    for match in _REFERENCE.finditer(value):
        segments = _PATH_SEGMENT.findall(match.group(2))
        if not segments:
            continue
        node: Any = maps[match.group(1).lower()]
        for key in segments:
            found, child = _step(node, key)
            if not found:
                break
            node = child
        if match.group(0) == value:
            text = node
        elif isinstance(text, str):
            text = text.replace(match.group(0), _php_text(node))
    return text


def _commands(raw: Any) -> list[tuple[str, Any]]:
    if isinstance(raw, dict):
        return [(str(key), call) for key, call in raw.items()]
    if isinstance(raw, list):
        return [(str(index), call) for index, call in enumerate(raw)]
    return []


def command_methods(params: dict[str, Any]) -> list[str]:
    """Method names a batch would call, for matching method-targeted faults."""
    upper = {key.upper(): value for key, value in params.items()}
    return [
        call.partition("?")[0].strip().lower()
        for _, call in _commands(upper.get("CMD"))
        if isinstance(call, str)
    ]


def run_batch(params: dict[str, Any], call: SubCall) -> dict[str, Any]:
    upper = {key.upper(): value for key, value in params.items()}
    halt = truthy(upper.get("HALT"))
    maps: dict[str, dict[str, Any]] = {name: {} for name in MAPS}
    for count, (key, command) in enumerate(_commands(upper.get("CMD")), start=1):
        if count > MAX_COMMANDS:
            outcome = SubOutcome(error=errors.batch_length_exceeded())
        elif not isinstance(command, str):
            continue
        else:
            method, _, query = command.partition("?")
            sub_params = resolve_references(parse_query(query), maps) if query else {}
            outcome = call(method.strip(), sub_params)
        _record(maps, key, outcome)
        if outcome.error is not None and halt:
            break
    return {
        "result": php_array(list(maps["result"].items())),
        "result_error": php_array(list(maps["error"].items())),
        "result_total": php_array(list(maps["total"].items())),
        "result_next": php_array(list(maps["next"].items())),
        "result_time": php_array(list(maps["time"].items())),
    }


def _record(maps: dict[str, dict[str, Any]], key: str, outcome: SubOutcome) -> None:
    if outcome.error is not None:
        maps["error"][key] = outcome.error.body()
        return
    maps["result"][key] = outcome.result
    if outcome.total is not None:
        maps["total"][key] = outcome.total
    if outcome.next is not None:
        maps["next"][key] = outcome.next
    if outcome.time is not None:
        maps["time"][key] = outcome.time
