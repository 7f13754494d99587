"""Benchmark b24desk against fast_bitrix24, b24pysdk and a plain script on the sandbox.

    python benchmarks/run.py                 # everything (about 20 minutes: real time)
    python benchmarks/run.py --quick         # scaled down, a minute or so
    python benchmarks/run.py --json --only 'list/*'

Each scenario gets a fresh sandbox portal (same seed) behind a loopback HTTP server with
standard limits (burst 50, 2 requests/s) and a fixed latency per request; the tool runs in
its own process. HTTP requests and 503s are counted by the portal, not by the tools.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `b24desk` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.config import FULL, QUICK, SCENARIOS, Settings, select_scenarios
from benchmarks.harness import ScenarioResult, run_scenario
from benchmarks.report import header, json_line, load_average, notes, table


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    names = ", ".join(s.name for s in SCENARIOS)
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Side-by-side benchmarks on the loopback sandbox portal.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per scenario")
    parser.add_argument(
        "--quick", action="store_true", help="scale down: list 500 tasks, renew 100"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SCENARIO",
        help=f"run only these (repeatable; shell patterns like 'renew/*' work): {names}",
    )
    args = parser.parse_args(argv)
    try:
        args.scenarios = select_scenarios(args.only)
    except ValueError as error:
        parser.error(str(error))
    return args


def run(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parse_args(argv)
    chosen_settings = settings or (QUICK if args.quick else FULL)
    results: list[ScenarioResult] = []
    if not args.json:
        for line in header(chosen_settings, args.quick):
            print(line)
        print(flush=True)
    for scenario in args.scenarios:
        if not args.json:
            print(f"running {scenario.name} ...", file=sys.stderr, flush=True)
        result = run_scenario(scenario, chosen_settings)
        results.append(result)
        if args.json:
            print(json_line(result), flush=True)
    if not args.json:
        print("\n".join(table(results)))
        extra = notes(results)
        if extra:
            print("\nNotes:\n" + "\n".join(extra))
        print(f"\nLoad average at the end: {load_average()}")
    # Peer tools may miscount (that is a finding); b24desk must not.
    ours = [r for r in results if r.tool == "b24desk"]
    return 0 if all(r.all_accounted and r.error is None for r in ours) else 1


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    sys.exit(run())


if __name__ == "__main__":
    main()
