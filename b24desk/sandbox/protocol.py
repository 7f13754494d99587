"""Transport-neutral request and reply records between the adapters and the portal core."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from b24desk.sandbox.faults import FaultKind


@dataclass(frozen=True)
class Request:
    http_method: str  # "GET", "POST", ...
    path: str  # "/rest/1/sandbox.../profile.json" (percent-decoded)
    query: str  # raw query string without "?"
    headers: dict[str, str]  # lower-case names
    body: bytes
    base_url: str  # "http://127.0.0.1:8080": where the portal is reachable, for endpoints

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Effect(Enum):
    """What the adapter must do instead of (or after) sending the reply."""

    RESET = "reset"  # drop the connection without an answer
    TIMEOUT = "timeout"  # never answer: the client's read timeout must fire


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    effect: Effect | None = None


@dataclass(frozen=True)
class Admission:
    """A request the portal has counted, with the fault the dice chose for it."""

    request: Request
    number: int
    received_at: float
    fault: FaultKind | None


def encode_json(payload: Any) -> bytes:
    """PHP json_encode defaults: ASCII with \\u escapes and escaped slashes."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status=status,
        body=encode_json(payload),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def html_reply(status: int, html: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status=status,
        body=html.encode("utf-8"),
        headers={"Content-Type": "text/html; charset=UTF-8", **(headers or {})},
    )
