"""Dates as the portal prints them (ISO-8601 with offset) and reads them (like PHP strtotime)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

DAY_S = 86_400.0


def portal_zone(offset_minutes: int) -> timezone:
    return timezone(timedelta(minutes=offset_minutes))


def iso(timestamp: float, offset_minutes: int) -> str:
    """`2025-09-09T12:11:30+02:00`: the tasks module's format for every date field."""
    moment = datetime.fromtimestamp(int(timestamp), tz=portal_zone(offset_minutes))
    return moment.isoformat(timespec="seconds")


def legacy_datetime(timestamp: float, offset_minutes: int) -> str:
    """`2024-08-29 10:30:11`: the user module's LAST_ACTIVITY_DATE style."""
    moment = datetime.fromtimestamp(int(timestamp), tz=portal_zone(offset_minutes))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def site_datetime(timestamp: float, offset_minutes: int) -> str:
    """`24.08.2023 13:19:39`: the site format some user fields still use (TIMESTAMP_X)."""
    moment = datetime.fromtimestamp(int(timestamp), tz=portal_zone(offset_minutes))
    return moment.strftime("%d.%m.%Y %H:%M:%S")


_DOTTED = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_SLASHED = re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$")
_RELATIVE_DAYS = {"today": 0, "midnight": 0, "tomorrow": 1, "yesterday": -1}


def _start_of_day(now: float, zone: timezone) -> datetime:
    moment = datetime.fromtimestamp(now, tz=zone)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def parse_datetime(text: str, *, offset_minutes: int, now: float) -> float | None:
    """A timestamp for what PHP's strtotime would accept here, or None where it says false.

    Covers the forms clients send: ISO dates and datetimes (with or without offset, `Z`),
    `Y-m-d H:i:s`, `d.m.Y[ H:i[:s]]`, `Y/m/d`, `@<unix>`, now/today/tomorrow/yesterday.
    A missing offset means the portal's time zone, as on the server.
    """
    value = text.strip()
    zone = portal_zone(offset_minutes)
    if not value:
        return None
    lowered = value.lower()
    if lowered == "now":
        return now
    if lowered in _RELATIVE_DAYS:
        return (_start_of_day(now, zone) + timedelta(days=_RELATIVE_DAYS[lowered])).timestamp()
    if value.startswith("@") and re.fullmatch(r"@-?\d+", value):
        return float(int(value[1:]))
    moment = _parse_forms(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).timestamp()


def _parse_forms(value: str) -> datetime | None:
    dotted = _DOTTED.match(value)
    if dotted:
        return _from_parts(
            dotted["y"], dotted["m"], dotted["d"], dotted["H"], dotted["M"], dotted["S"]
        )
    slashed = _SLASHED.match(value)
    if slashed:
        return _from_parts(slashed["y"], slashed["m"], slashed["d"], None, None, None)
    if not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _from_parts(
    year: str, month: str, day: str, hour: str | None, minute: str | None, second: str | None
) -> datetime | None:
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None
