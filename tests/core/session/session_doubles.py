"""Doubles for the session and OAuth tests (the keyring double is in tests/support)."""

from __future__ import annotations


class ManualClock:
    """A clock the test moves by hand (the sandbox's tokens expire by it)."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


__all__ = ["ManualClock"]
