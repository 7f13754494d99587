"""The benchmark machinery, run small so it cannot rot: real sandbox, real worker processes.

No timing is asserted (speed is what benchmarks/run.py prints); the figures checked here are
counts that follow from the scenario: tasks accounted for, requests, 503s, renewed tasks.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `benchmarks` is a top-level folder, not an installed package
    sys.path.insert(0, str(ROOT))

from b24desk.sandbox import PortalConfig, SandboxPortal  # noqa: E402
from benchmarks.config import (  # noqa: E402
    SCENARIOS,
    RealisticCase,
    Settings,
    select_cases,
    select_scenarios,
)
from benchmarks.harness import ScenarioResult, run_scenario  # noqa: E402
from benchmarks.portals import USER_COUNT, _portal  # noqa: E402
from benchmarks.realistic import (  # noqa: E402
    Row,
    batch_calls,
    list_limit,
    renew_limit,
    request_cap,
    run_case,
    verdicts,
)
from benchmarks.realistic import table as realistic_table  # noqa: E402
from benchmarks.report import json_line, table  # noqa: E402
from benchmarks.run import parse_args  # noqa: E402
from benchmarks.worker import _failures_from_labels, _split_webhook  # noqa: E402

# Just over one burst of renews, so the one-call-per-task script meets the rate limit.
SMALL = Settings(list_tasks=120, renew_tasks=55, latency_ms=2, retry_pause_s=0.5)


@pytest.fixture(scope="module")
def results() -> dict[str, ScenarioResult]:
    return {s.name: run_scenario(s, SMALL) for s in SCENARIOS}


@pytest.mark.slow
@pytest.mark.parametrize("name", [s.name for s in SCENARIOS if s.action == "list"])
def test_every_listing_returns_each_completed_task_once(
    results: dict[str, ScenarioResult], name: str
) -> None:
    result = results[name]
    assert result.error is None
    assert (result.tasks, result.accounted, result.wrong, result.unaccounted) == (120, 120, 0, 0)
    assert result.http_503 == 0
    assert result.method_calls["tasks.task.list"] >= math.ceil(120 / 50)


@pytest.mark.slow
@pytest.mark.parametrize("name", [s.name for s in SCENARIOS if s.action == "renew"])
def test_every_renewable_task_ends_renewed_on_the_portal(
    results: dict[str, ScenarioResult], name: str
) -> None:
    result = results[name]
    expected_blocked = 1 if name.startswith("renew-blocked/") else 0
    assert result.tasks == 55
    assert result.blocked == expected_blocked
    assert result.portal_renewed == 55 - expected_blocked
    assert result.accounted + result.wrong + result.unaccounted == 55


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", [s.name for s in SCENARIOS if s.action == "renew" and s.tool != "fast_bitrix24"]
)
def test_per_task_reporters_account_for_every_task(
    results: dict[str, ScenarioResult], name: str
) -> None:
    result = results[name]
    assert result.error is None
    assert not result.inferred
    assert (result.accounted, result.wrong, result.unaccounted) == (55, 0, 0)


@pytest.mark.slow
def test_fast_bitrix24_loses_per_task_results_when_one_task_is_refused(
    results: dict[str, ScenarioResult],
) -> None:
    clean = results["renew/fast_bitrix24"]
    assert (clean.accounted, clean.error) == (55, None)
    blocked = results["renew-blocked/fast_bitrix24"]
    assert blocked.error is not None
    assert "ErrorInServerResponseException" in blocked.error
    assert blocked.inferred
    # Only the refused task is named by the exception; the renewed ones go unreported.
    assert (blocked.accounted, blocked.unaccounted) == (1, 54)


@pytest.mark.slow
def test_b24desk_stays_inside_the_limit_with_batches(results: dict[str, ScenarioResult]) -> None:
    listing = results["list/b24desk"]
    # the first page alone, the count and the highest id side by side, then the 70 tasks
    # left in two id ranges side by side (one request each)
    assert listing.http_requests == 5
    renew = results["renew/b24desk"]
    # one request reads the selection back (2,500 tasks a request), a first batch of 1
    # measures the portal, then the other 54 are shared over the write requests left, side
    # by side: ceil(55 / 50) + 2 writes in all
    assert renew.http_requests == math.ceil(55 / 2500) + math.ceil(55 / 50) + 2
    assert renew.method_calls["tasks.task.renew"] == 55
    assert renew.http_503 == renew.client_503s == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["renew/per-task", "renew-blocked/per-task"])
def test_one_call_per_task_meets_the_limit_and_retries(
    results: dict[str, ScenarioResult], name: str
) -> None:
    result = results[name]
    # 55 calls against a bucket of 50: some are refused, each refusal costs one more request.
    assert result.http_503 > 0
    assert result.http_requests == 55 + result.http_503
    assert result.client_503s == result.http_503
    assert result.method_calls["tasks.task.renew"] == 55


@pytest.mark.slow
def test_results_print_as_json_lines_and_a_table(results: dict[str, ScenarioResult]) -> None:
    ordered = [results[s.name] for s in SCENARIOS]
    decoded = [json.loads(json_line(r)) for r in ordered]
    assert [d["scenario"] for d in decoded] == [s.name for s in SCENARIOS]
    assert decoded[0]["accounted"] == ordered[0].accounted
    lines = table(ordered)
    assert len(lines) == 2 + len(SCENARIOS)
    assert "1/55 (inferred)" in "\n".join(lines)


# --- input checks ---------------------------------------------------------------------------


def test_patterns_select_scenarios() -> None:
    assert [s.name for s in select_scenarios(["renew/*"])] == [
        "renew/b24desk",
        "renew/fast_bitrix24",
        "renew/per-task",
    ]
    assert len(select_scenarios([])) == len(SCENARIOS)


def test_an_unknown_scenario_is_refused_with_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--only", "list/nosuch"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "no scenario matches 'list/nosuch'" in error
    assert "list/b24desk" in error


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"list_tasks": 0}, "list_tasks must be at least 1, got 0"),
        ({"renew_tasks": -5}, "renew_tasks must be at least 1, got -5"),
        ({"blocked_every": 1}, "blocked_every must be at least 2, got 1"),
        ({"latency_ms": -1.0}, "latency_ms must not be negative, got -1.0"),
        ({"retry_pause_s": 0.0}, "retry_pause_s must be positive, got 0.0"),
        ({"worker_timeout_s": 0.0}, "worker_timeout_s must be positive, got 0.0"),
        ({"limits": "unlimited"}, "limits must be one of standard, enterprise, off"),
    ],
)
def test_bad_settings_say_what_is_wrong(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match="invalid benchmark settings") as raised:
        Settings(**change)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_blocked_tasks_sit_once_in_every_fifty() -> None:
    assert Settings(renew_tasks=120).blocked_positions() == [25, 75]


def test_fast_bitrix24_labels_map_back_to_task_ids() -> None:
    errors = {"order0000000002": {"error": "1048582"}, "other": {"error": "x"}}
    assert _failures_from_labels((errors,), [11, 12, 13]) == {13: "1048582"}
    assert _failures_from_labels(("not a mapping",), [11]) == {}


def test_webhook_url_splits_for_b24pysdk() -> None:
    url = "http://127.0.0.1:5000/rest/1/fakewebhookcode0000/"
    assert _split_webhook(url) == ("127.0.0.1:5000", "1/fakewebhookcode0000")


# --- the realistic portal (issue 10) ----------------------------------------------------------

TINY = RealisticCase("renew 60", "renew", 60, 0.01, ("b24desk",))


@pytest.mark.slow
def test_a_tiny_realistic_renew_is_measured_in_portal_seconds() -> None:
    [row] = run_case(TINY)
    assert (row.case, row.tool, row.tasks) == ("renew 60", "b24desk", 60)
    assert row.error is None
    assert (row.unaccounted, row.wrong, row.sent_twice, row.http_504) == (0, 0, 0, 0)
    # a pre-check page, the measuring batch of 10, then the remaining 50 in one batch
    assert row.requests <= row.request_cap == request_cap(60) == 6
    # no clock asserted: only that the time reported is the portal's (wall / scale)
    assert row.wall_s > 0
    assert row.limit_s == renew_limit(60) == 22.5
    lines = realistic_table([row])
    assert lines[2].startswith("| renew 60 ")
    assert "(cap 6)" in lines[2]
    assert any(line.startswith("- [") and "sent twice" in line for line in verdicts([row]))


def test_limits_follow_the_issue() -> None:
    assert batch_calls(0.45) == 50
    assert batch_calls(1.5) == 39
    assert renew_limit(300) == renew_limit(1000) == 22.5  # one batch; 450 s fits one window
    assert renew_limit(5000) == 4 * 600 + 22.5  # 2,250 s of budget: five windows
    assert renew_limit(300, 1.5) == 39 * 1.5
    assert list_limit(1000) == pytest.approx(20 * 0.35)  # 20 pages, one chain
    assert list_limit(10_000) == pytest.approx(17.5)  # 200 pages in 4 chains
    assert list_limit(100_000) == pytest.approx(600 + 17.5)  # 700 s of list time
    assert request_cap(300) == 1 + 6 + 3


def test_verdicts_say_met_and_missed() -> None:
    ours = Row(
        "renew 300", "b24desk", "renew", 300, 0.1, 8, 10, 30.0, 22.5, None, 0, 0, 0, 0, 0, None, []
    )
    peer = Row(
        "renew 300",
        "fast_bitrix24",
        "renew",
        300,
        0.1,
        6,
        None,
        24.0,
        22.5,
        None,
        0,
        0,
        0,
        0,
        0,
        None,
        [],
    )
    lines = verdicts([ours, peer])
    assert "- [MISSED] renew 300: b24desk 30.0 s, no slower than fast_bitrix24 (24.0 s)" in lines
    assert "- [met] renew 300: 8 requests (cap 10)" in lines


def test_realistic_cases_check_their_input() -> None:
    with pytest.raises(ValueError, match="time_scale must be within"):
        RealisticCase("x", "renew", 10, 0.0, ("b24desk",))
    with pytest.raises(ValueError, match="size must be at least 1"):
        RealisticCase("x", "renew", 0, 0.1, ("b24desk",))
    with pytest.raises(ValueError, match="no case matches 'renew 7'"):
        select_cases(["renew 7"])
    assert [c.name for c in select_cases(["list *"])] == [
        "list 1,000",
        "list 10,000",
        "list 100,000",
    ]


def test_the_benchmark_task_generator_makes_the_sandboxs_tasks() -> None:
    config = PortalConfig(seed=7, task_count=400, user_count=USER_COUNT, admin=False)

    def clock() -> float:  # one clock for both: dates are drawn back from "now"
        return 1_765_000_000.0

    made = _portal(config, clock).tasks.values()
    assert list(made) == list(SandboxPortal(config, clock).tasks.values())
