"""Command line entry point: `b24desk` opens the window, subcommands script the core."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from b24desk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="b24desk", description="Reopen completed Bitrix24 tasks in bulk."
    )
    parser.add_argument("--version", action="version", version=f"b24desk {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="try everything on a built-in sandbox portal"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)
    return 0
