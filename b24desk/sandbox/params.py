"""Request parameters as the REST server sees them: query string merged with the body.

JSON bodies (`application/json`), form bodies (`application/x-www-form-urlencoded`) and
GET query strings all end up as one PHP-style parameter map; body values win over query
values, as in PHP's `$_REQUEST`. A JSON list body (positional parameters) becomes
`{"0": ..., "1": ...}`.
"""

from __future__ import annotations

import json
from typing import Any

from b24desk.sandbox import errors
from b24desk.sandbox.phpquery import parse_query
from b24desk.sandbox.protocol import Request


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        decoded = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise errors.invalid_request("Request body is not valid JSON") from None
    if isinstance(decoded, dict):
        return {str(k): v for k, v in decoded.items()}
    if isinstance(decoded, list):
        return {str(i): v for i, v in enumerate(decoded)}
    raise errors.invalid_request("JSON request body must be an object or an array")


def request_params(request: Request) -> dict[str, Any]:
    params = parse_query(request.query)
    if not request.body.strip():
        return params
    content_type = request.header("content-type").split(";")[0].strip().lower()
    if content_type == "application/json" or (
        not content_type and request.body.lstrip()[:1] in (b"{", b"[")
    ):
        params.update(_json_body(request.body))
    elif content_type in ("application/x-www-form-urlencoded", ""):
        params.update(parse_query(request.body.decode("utf-8", errors="replace")))
    else:
        raise errors.invalid_request(f"Unsupported request body type {content_type}")
    return params
