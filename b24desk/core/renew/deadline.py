"""A new deadline with the reopen (issue 11 §1, brief 12.1): a reopened task whose deadline
has passed is overdue at once. The choices are the portal's own bulk "deadline" action's:
set one date, or move each deadline by N days, weeks or months (up to 999); either for all
the tasks or only for those already past.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from b24desk.core.i18n import translate

__all__ = [
    "DEFAULT_TIME",
    "MAX_MOVE",
    "DeadlineChange",
    "DeadlineError",
    "MoveUnit",
    "is_past",
    "parse_deadline",
    "parse_move",
    "shown",
]

MAX_MOVE = 999
"""The portal's own limit for moving deadlines (`DEADLINE_EXTENSION_LIMIT`)."""
DEFAULT_TIME = time(18, 0)
"""The time of day of a deadline given as a bare date."""


class DeadlineError(ValueError):
    """A deadline or a move that cannot be understood; the message says how to write it."""


class MoveUnit(enum.StrEnum):
    DAYS = "d"
    WEEKS = "w"
    MONTHS = "m"


@dataclass(frozen=True, slots=True)
class DeadlineChange:
    """What to do to the deadlines of the tasks a renew reopens."""

    at: datetime | None = None
    """Set this deadline (naive: the portal's own time zone)."""
    move: int = 0
    unit: MoveUnit = MoveUnit.DAYS
    """Or move each existing deadline by `move` units."""
    only_overdue: bool = False
    """Only for tasks whose deadline has passed."""

    def __post_init__(self) -> None:
        if (self.at is None) == (self.move == 0):
            raise DeadlineError("give either a deadline or a move, not both or neither")
        if not 0 <= self.move <= MAX_MOVE:
            raise DeadlineError(f"a move is 1 to {MAX_MOVE} units")

    def new_deadline(self, old: str | None, now: datetime) -> str | None:
        """The deadline to send for a task whose deadline is `old`; None: leave it."""
        if self.only_overdue and not is_past(old, now):
            return None
        if self.at is not None:
            return self.at.isoformat(timespec="seconds")
        moment = _parse(old)
        if moment is None:
            return None  # nothing to move
        return _moved(moment, self.move, self.unit).isoformat(timespec="seconds")


def is_past(deadline: str | None, now: datetime) -> bool:
    """Has `deadline` (as the portal sent it) passed at `now` (aware)?"""
    moment = _parse(deadline)
    if moment is None:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return moment < now


def shown(deadline: str | None) -> str:
    """`2026-12-15T18:00:00+03:00` as `2026-12-15 18:00` (the portal's own clock)."""
    moment = _parse(deadline)
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def parse_deadline(text: str) -> datetime:
    """`2026-12-20` or `2026-12-20T18:00` (the portal's time zone)."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.combine(date.fromisoformat(value), DEFAULT_TIME)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
            return datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        pass
    raise DeadlineError(
        translate(
            "Deadline",
            "{text} is not a deadline: write it as 2026-12-20 or 2026-12-20T18:00.",
        ).format(text=repr(text))
    )


def parse_move(text: str) -> tuple[int, MoveUnit]:
    """`7d`, `2w` or `1m`: 1 to 999 days, weeks or months."""
    found = re.fullmatch(r"\s*(\d{1,3})\s*([dwm])\s*", text.lower())
    if found is None or int(found.group(1)) == 0:
        raise DeadlineError(
            translate(
                "Deadline",
                "{text} is not a move: write a number from 1 to 999 and d, w or m, such as "
                "7d, 2w or 1m.",
            ).format(text=repr(text))
        )
    return int(found.group(1)), MoveUnit(found.group(2))


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _moved(moment: datetime, count: int, unit: MoveUnit) -> datetime:
    if unit is MoveUnit.DAYS:
        return moment + timedelta(days=count)
    if unit is MoveUnit.WEEKS:
        return moment + timedelta(weeks=count)
    months = moment.month - 1 + count
    year, month = moment.year + months // 12, months % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
