"""The committed sample report replays cleanly on the sandbox, and a report from a portal
that answers differently is caught, probe by probe."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from report_replay import compare, load_report, replay_report, shape_from_json
from sandbox_shapes import shape_of

from b24desk.sandbox import PortalConfig, SandboxPortal

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "diagnostic-report-sample.json"


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return load_report(SAMPLE)


def probe(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in report["probes"] if p["probe"] == name)


def test_the_sample_report_replays_on_the_sandbox_with_the_same_shapes(
    sample: dict[str, Any],
) -> None:
    assert len(sample["probes"]) >= 15
    assert replay_report(sample) == []


def test_a_portal_that_answers_differently_is_caught(sample: dict[str, Any]) -> None:
    received = copy.deepcopy(sample)
    profile = probe(received, "profile")["shape"]["object"]["result"]["object"]
    profile["PERSONAL_PHOTO"] = "str"  # a real portal adds a key the sandbox lacks
    profile["ID"] = "number"  # ... and sends the id as a number
    getaccess = probe(received, "tasks.task.getaccess")
    getaccess["http_status"] = 404  # an older portal lacks a method the sandbox has

    found = replay_report(received)

    assert "profile: result.PERSONAL_PHOTO: documented key missing in the sandbox's answer" in found
    assert "profile: result.ID: documented number, sandbox gives str" in found
    assert "tasks.task.getaccess: HTTP 404 in the report, 200 from the sandbox" in found


def test_a_probe_the_sandbox_does_not_run_is_named(sample: dict[str, Any]) -> None:
    received = copy.deepcopy(sample)
    received["probes"].append({"probe": "some.future.probe", "method": "x"})
    replayed = copy.deepcopy(sample)
    assert compare(received, replayed) == [
        "some.future.probe: the sandbox's diagnosis has no such probe"
    ]


def test_an_html_answer_in_the_report_is_a_difference(sample: dict[str, Any]) -> None:
    received = copy.deepcopy(sample)
    scope = probe(received, "scope")
    del scope["shape"]
    scope["http_status"] = 502
    assert compare(received, copy.deepcopy(sample)) == [
        "scope: HTTP 502 in the report, 200 from the sandbox",
        "scope: only one side answered JSON",
    ]


def test_report_shapes_read_back_as_conformance_shapes() -> None:
    value = {"a": [1, "x"], "b": {"7": {"k": None}}, "c": [], "d": True}
    from b24desk.core.diagnose import json_shape

    assert shape_from_json(json.loads(json.dumps(json_shape(value)))) == shape_of(value)


def test_a_file_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a b24desk diagnostic report"):
        load_report(other)


def test_a_legacy_portal_differs_from_the_sample(sample: dict[str, Any]) -> None:
    legacy = SandboxPortal(PortalConfig(seed=5, task_count=200, limits="off", legacy=True))
    found = replay_report(sample, legacy)
    assert "method.get tasks.task.renew: isExisting true in the report, false from the sandbox" in (
        found
    )
