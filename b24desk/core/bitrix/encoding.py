"""PHP-style form encoding of nested params, as the portal parses batch command strings.

Matches b24pysdk's `encode_params` (the official SDK): keys and values are percent-encoded
once with `quote_plus`, dicts become `key[inner]=...`, lists `key[0]=...&key[1]=...`, an empty
list or dict `key[]=` (some methods need skipped params as empty arrays), None an empty value.

Two deliberate differences, both about input b24pysdk would turn into something PHP misreads:
- booleans become `1`/`0` as PHP's own `http_build_query` writes them; b24pysdk writes
  `True`/`False`, and the non-empty string "False" is *true* in PHP;
- a key that is empty or contains `[` or `]` is refused: PHP decodes the name before it
  parses brackets, so such a key would silently change the structure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from urllib.parse import quote_plus

__all__ = ["batch_command", "encode_params"]

_METHOD_NAME = re.compile(r"^[A-Za-z0-9_.]+$")


def encode_params(params: Mapping[str, object] | Sequence[object] | None) -> str:
    """Encode `params` the way PHP's `parse_str` reads them back."""
    if params is None:
        return ""
    if not _is_container(params):
        raise TypeError(f"params must be a mapping or a list, not {type(params).__name__}")
    return "&".join(_encode_items(params, prefix=None))


def batch_command(method: str, params: Mapping[str, object] | None = None) -> str:
    """One `cmd` entry of a batch: `method?encoded-params`."""
    if not _METHOD_NAME.match(method):
        raise ValueError(f"not a Bitrix24 method name: {method!r}")
    encoded = encode_params(params)
    return f"{method}?{encoded}" if encoded else method


def _encode_items(container: object, prefix: str | None) -> list[str]:
    if isinstance(container, Mapping):
        items: list[tuple[object, object]] = list(container.items())
    else:
        assert isinstance(container, Sequence)
        items = list(enumerate(container))
    pairs: list[str] = []
    for key, value in items:
        name = _encode_key(key)
        full_name = name if prefix is None else f"{prefix}[{name}]"
        pairs.extend(_encode_value(value, full_name))
    return pairs


def _encode_value(value: object, name: str) -> list[str]:
    if isinstance(value, Mapping | Sequence) and _is_container(value):
        if len(value) == 0:
            return [f"{name}[]="]
        return _encode_items(value, name)
    return [f"{name}={quote_plus(_scalar_text(value, name))}"]


def _encode_key(key: object) -> str:
    if isinstance(key, bool) or not isinstance(key, str | int):
        raise TypeError(f"parameter names must be text or integers, not {key!r}")
    text = str(key)
    if not text:
        raise ValueError("parameter names must not be empty")
    if "[" in text or "]" in text:
        raise ValueError(f"parameter name {text!r} contains a square bracket")
    return quote_plus(text)


def _scalar_text(value: object, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} value of parameter {name!r}")


def _is_container(value: object) -> bool:
    return isinstance(value, Mapping) or (
        isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)
    )
