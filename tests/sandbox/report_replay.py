"""A received diagnostic report as a regression test: the sandbox must answer its probes
with the same shapes.

    differences = replay_report(load_report(path))   # [] when the sandbox agrees

`replay_report` runs the same probe plan (`b24desk.core.diagnose`) against a sandbox portal
and compares, probe by probe, the HTTP status and the answer's shape (keys and value types
at every path, as the conformance tests compare them: `sandbox_shapes.differences`, the
report's shape as the expected one), and for `method.get` which methods exist. Every line
it returns is something the sandbox does differently from the portal that wrote the
report; b24desk/sandbox/README.md says how to turn such a report into a fixture.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sandbox_shapes import Shape, differences

from b24desk.core.bitrix.auth import WebhookAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.diagnose import REPORT_FORMAT, run_diagnosis
from b24desk.sandbox import PortalConfig, SandboxPortal

BASE = "https://sandbox.invalid"
DEFAULT_ALLOWED_EXTRA = ("time.operating", "time.operating_reset_at")
"""Keys the sandbox may add to an answer (a self-hosted portal without the operating-time
limit prints neither)."""


def load_report(path: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if report.get("format") != REPORT_FORMAT:
        raise ValueError(f"{path} is not a b24desk diagnostic report ({REPORT_FORMAT})")
    return report


def shape_from_json(shape: Any) -> Shape:
    """A report's JSON shape in the conformance tests' form (`sandbox_shapes.shape_of`)."""
    if isinstance(shape, str):
        return shape
    (kind, inner), *rest = shape.items()
    if rest:
        raise ValueError(f"not a report shape: {shape!r}")
    if kind in ("list", "idmap"):
        return (kind, shape_from_json(inner))
    if kind == "object":
        return ("object", tuple(sorted((k, shape_from_json(v)) for k, v in inner.items())))
    if kind == "union":
        return ("union", frozenset(shape_from_json(s) for s in inner))
    raise ValueError(f"not a report shape: {shape!r}")


async def sandbox_answers(portal: SandboxPortal) -> dict[str, Any]:
    """The same diagnosis, run against `portal` (in process)."""
    auth = WebhookAuth(BASE, portal.config.user_id, portal.webhook_code)
    async with BitrixClient(auth, transport=portal.mock_transport()) as client:
        report = await run_diagnosis(client)
    return report.data


def compare(
    received: dict[str, Any],
    replayed: dict[str, Any],
    *,
    allowed_extra: Iterable[str] = DEFAULT_ALLOWED_EXTRA,
) -> list[str]:
    """Lines naming each probe whose status or shape differ (the report is the expected)."""
    extra = tuple(allowed_extra)
    found: list[str] = []
    ours = {p["probe"]: p for p in replayed["probes"]}
    for theirs in received["probes"]:
        name = theirs["probe"]
        mine = ours.get(name)
        if mine is None:
            found.append(f"{name}: the sandbox's diagnosis has no such probe")
            continue
        if theirs.get("http_status") != mine.get("http_status"):
            found.append(
                f"{name}: HTTP {theirs.get('http_status')} in the report, "
                f"{mine.get('http_status')} from the sandbox"
            )
        found += [f"{name}: {line}" for line in _method_differences(theirs, mine)]
        if "shape" not in theirs or "shape" not in mine:
            if ("shape" in theirs) != ("shape" in mine):
                found.append(f"{name}: only one side answered JSON")
            continue
        lines = differences(
            shape_from_json(theirs["shape"]), shape_from_json(mine["shape"]), allowed_extra=extra
        )
        found += [f"{name}: {line}" for line in lines]
    return found


def _method_differences(theirs: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    """`method.get` answers compared by value: which methods exist is what they are for."""
    if theirs.get("method") != "method.get":
        return []
    expected = (theirs.get("answer") or {}).get("result") or {}
    actual = (mine.get("answer") or {}).get("result") or {}
    return [
        f"{key} {json.dumps(expected[key])} in the report, "
        f"{json.dumps(actual.get(key))} from the sandbox"
        for key in sorted(expected)
        if expected[key] != actual.get(key)
    ]


def replay_report(
    received: dict[str, Any],
    portal: SandboxPortal | None = None,
    *,
    allowed_extra: Iterable[str] = DEFAULT_ALLOWED_EXTRA,
) -> list[str]:
    """Replay `received`'s probes on `portal` (a default sandbox) and list the differences."""
    portal = portal or SandboxPortal(PortalConfig(seed=5, task_count=200, limits="off"))
    replayed = asyncio.run(sandbox_answers(portal))
    return compare(received, replayed, allowed_extra=allowed_extra)
