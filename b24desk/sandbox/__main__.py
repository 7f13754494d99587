"""`python -m b24desk.sandbox`: serve a sandbox portal on loopback until SIGINT/SIGTERM.

The first line of stdout is the webhook URL to paste into a client.
"""

from __future__ import annotations

import argparse
import signal
import ssl
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from b24desk.sandbox.config import (
    GATEWAY_TIMEOUT_S,
    LANGUAGES,
    LIMITS_MODES,
    PortalConfig,
    parse_costs,
)
from b24desk.sandbox.faults import FaultPlan
from b24desk.sandbox.portal import SandboxPortal
from b24desk.sandbox.server import serve


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, got {port}")
    return port


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _costs(text: str) -> dict[str, float]:
    try:
        return parse_costs(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _time_scale(text: str) -> float:
    value = _non_negative_float(text)
    if value > 10:
        raise argparse.ArgumentTypeError(f"must be at most 10, got {value}")
    return value


def _gateway(text: str) -> float | None:
    value = _non_negative_float(text)
    return value if value > 0 else None


def _faults(text: str) -> FaultPlan:
    try:
        return FaultPlan.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m b24desk.sandbox",
        description="Serve a sandbox Bitrix24 portal on loopback; prints the webhook URL.",
    )
    parser.add_argument("--port", type=_port, required=True, help="TCP port, 0 for any free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--tasks", type=_non_negative_int, default=3000, help="number of tasks")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated data")
    parser.add_argument("--limits", choices=LIMITS_MODES, default="standard")
    parser.add_argument("--latency-ms", type=_non_negative_float, default=0.0)
    parser.add_argument(
        "--faults",
        type=_faults,
        default=FaultPlan.none(),
        help="e.g. seed=3,html500=0.01,reset=0.01,at:7=lost,on:batch=slow*2",
    )
    parser.add_argument(
        "--time-scale",
        type=_time_scale,
        default=0.0,
        help="wall seconds per second of server time: 1 is a real portal's pace, 0.05 twenty "
        "times faster, 0 (default) answers at once",
    )
    parser.add_argument(
        "--costs",
        type=_costs,
        default={},
        help="server seconds per call, e.g. tasks.task.renew=1.5,tasks.task.list=0.2 "
        "(others keep the docs' figures)",
    )
    parser.add_argument(
        "--gateway-timeout",
        type=_gateway,
        default=GATEWAY_TIMEOUT_S,
        help="server seconds after which the client gets an HTML 504 while the work goes on "
        f"(default {GATEWAY_TIMEOUT_S:g}; 0 = never)",
    )
    parser.add_argument(
        "--operating-budget",
        type=float,
        default=480.0,
        help="recorded server seconds per method per 10 minutes before 429 (default 480)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of task error descriptions"
    )
    parser.add_argument("--legacy", action="store_true", help="no tasks.task.renew/complete")
    parser.add_argument("--not-admin", action="store_true", help="the webhook user is no admin")
    parser.add_argument("--certfile", help="serve HTTPS with this PEM certificate chain")
    parser.add_argument("--keyfile", help="private key for --certfile")
    return parser


def _ssl_context(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> ssl.SSLContext | None:
    if args.keyfile and not args.certfile:
        parser.error("--keyfile needs --certfile")
    if not args.certfile:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(args.certfile, args.keyfile)
    except (OSError, ssl.SSLError) as error:
        parser.error(f"cannot load the TLS certificate: {error}")
    return context


def config_from(parser: argparse.ArgumentParser, args: argparse.Namespace) -> PortalConfig:
    """The portal the parsed options describe (a bad combination exits with status 2)."""
    if not args.operating_budget > 0:
        parser.error("--operating-budget must be positive")
    return PortalConfig(
        seed=args.seed,
        task_count=args.tasks,
        limits=args.limits,
        admin=not args.not_admin,
        legacy=args.legacy,
        latency_ms=args.latency_ms,
        faults=args.faults,
        time_scale=args.time_scale,
        method_cost_s=args.costs,
        gateway_timeout_s=args.gateway_timeout,
        operating_budget_s=args.operating_budget,
        language=args.lang,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = _ssl_context(parser, args)
    config = config_from(parser, args)
    portal = SandboxPortal(config)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        with serve(portal, args.host, args.port, ssl_context=context) as base_url:
            print(portal.webhook_url(base_url), flush=True)
            print(
                f"sandbox portal with {len(portal.tasks)} tasks, limits {args.limits}, "
                f"time scale {args.time_scale:g}; stop with Ctrl+C",
                file=sys.stderr,
                flush=True,
            )
            while not stop.wait(0.5):
                pass
    except OSError as error:
        print(f"cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
