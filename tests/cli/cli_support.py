"""What the CLI tests share: running main() in-process, a loopback sandbox, a closed port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from b24desk.cli import main
from b24desk.sandbox import PortalConfig, SandboxPortal, serve


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def out_lines(self) -> list[str]:
        return self.out.splitlines()


class Cli:
    """Runs `main(argv)` in this process and captures what it wrote."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.transcript: list[str] = []

    def __call__(self, *argv: str) -> Result:
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        self.transcript += [captured.out, captured.err]
        return Result(code, captured.out, captured.err)


@dataclass
class Sandbox:
    portal: SandboxPortal
    base: str

    @property
    def url(self) -> str:
        return self.portal.webhook_url(self.base)

    @property
    def code(self) -> str:
        return self.portal.webhook_code

    def completed_ids(self, count: int) -> list[int]:
        ids = sorted(t.id for t in self.portal.tasks.values() if t.status == 5)
        assert len(ids) >= count
        return ids[:count]


def start_sandbox(**config: object) -> Iterator[Sandbox]:
    # A real portal's server time per call (the docs' figures), a thousand times faster.
    settings: dict[str, object] = {
        "seed": 21,
        "task_count": 300,
        "limits": "off",
        "time_scale": 0.001,
    }
    settings.update(config)
    portal = SandboxPortal(PortalConfig(**settings))  # type: ignore[arg-type]
    with serve(portal) as base:
        yield Sandbox(portal, base)


def closed_port() -> int:
    """A loopback port nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
