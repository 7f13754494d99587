"""Work on the GUI thread in steps of a few milliseconds: a runner of generator jobs, and a
stable sort of row numbers by keys done in such steps (runs, then pairwise merges).

Kept apart from the task table's model (`tasks.py`), which uses both: nothing here knows
about tasks.
"""

from __future__ import annotations

import logging
import time
from array import array
from collections import deque
from collections.abc import Generator, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer

logger = logging.getLogger(__name__)


class JobRunner(QObject):
    """Runs generator jobs a step at a time on the GUI thread, a few milliseconds a turn.

    Each `next()` of a job is one step and should take a few milliseconds at most; between
    turns the event loop paints and handles input. `finish()` runs everything to the end
    now (tests, screenshots, shutdown).
    """

    def __init__(self, parent: QObject | None = None, *, budget_ms: float = 6.0) -> None:
        super().__init__(parent)
        self.budget_s = budget_ms / 1000
        self._jobs: deque[Generator[None, None, None]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._turn)

    def add(self, job: Generator[None, None, None]) -> None:
        self._jobs.append(job)
        if not self._timer.isActive():
            self._timer.start()

    def busy(self) -> bool:
        return bool(self._jobs)

    def cancel_all(self) -> None:
        self._timer.stop()
        for job in self._jobs:
            job.close()
        self._jobs.clear()

    def finish(self) -> None:
        self._timer.stop()
        while self._jobs:
            self._step(self._jobs[0])

    def _step(self, job: Generator[None, None, None]) -> None:
        try:
            next(job)
        except StopIteration:
            if self._jobs and self._jobs[0] is job:
                self._jobs.popleft()
        except Exception:
            logger.exception("a background table job failed")
            if self._jobs and self._jobs[0] is job:
                self._jobs.popleft()

    def _turn(self) -> None:
        deadline = time.perf_counter() + self.budget_s
        while self._jobs and time.perf_counter() < deadline:
            self._step(self._jobs[0])
        if self._jobs:
            self._timer.start()


RUN_ROWS = 4096
"""Rows sorted in one step of a background sort; runs are then merged two at a time."""
MERGE_ROWS = 16384
"""Rows merged in one step: even the last merge of a million rows goes in pieces."""


def sort_steps(keys: Sequence[Any], out: list[array[int]]) -> Generator[None, None, None]:
    """Sort row numbers 0..len(keys)-1 by `keys` in steps of a few milliseconds each.

    Runs of RUN_ROWS rows are sorted, then merged pairwise, MERGE_ROWS rows a step (each
    piece found by a binary search, then merged by Timsort in one linear pass). Both are
    stable, so equal keys stay in row (arrival) order. The result is appended to `out`.
    """
    total = len(keys)
    key = keys.__getitem__
    runs: list[list[int]] = []
    for start in range(0, total, RUN_ROWS):
        run = list(range(start, min(total, start + RUN_ROWS)))
        run.sort(key=key)
        runs.append(run)
        yield
    while len(runs) > 1:
        merged: list[list[int]] = []
        for pair in range(0, len(runs), 2):
            if pair + 1 < len(runs):
                both: list[int] = []
                yield from merge_steps(runs[pair], runs[pair + 1], keys, both)
                merged.append(both)
            else:
                merged.append(runs[pair])
        runs = merged
    out.append(array("i", runs[0] if runs else ()))


def merge_steps(
    left: list[int], right: list[int], keys: Sequence[Any], out: list[int]
) -> Generator[None, None, None]:
    """Merge two runs sorted by `keys` into `out`, at most MERGE_ROWS rows a step; on equal
    keys rows of `left` come first."""
    key = keys.__getitem__
    i = j = 0
    while i < len(left) or j < len(right):
        take = min(MERGE_ROWS, len(left) - i + len(right) - j)
        # How many of the next `take` rows come from `left`: the smallest t such that
        # right's last taken row sorts strictly before left's first row not taken.
        low, high = max(0, take - (len(right) - j)), min(take, len(left) - i)
        while low < high:
            t = (low + high) // 2
            if keys[right[j + take - t - 1]] < keys[left[i + t]]:
                high = t
            else:
                low = t + 1
        piece = left[i : i + low] + right[j : j + take - low]
        piece.sort(key=key)
        out.extend(piece)
        i += low
        j += take - low
        yield
