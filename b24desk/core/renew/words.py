"""Sentences about a run in progress, the same in the window and on the command line:
how long is left, and why the run is waiting for the portal."""

from __future__ import annotations

from datetime import datetime

from b24desk.core.bitrix.budget import Wait, WaitKind
from b24desk.core.i18n import plural, translate

__all__ = ["time_left", "wait_sentence"]


def _clock(unix: float, seconds: bool) -> str:
    moment = datetime.fromtimestamp(unix).astimezone()
    return moment.strftime("%H:%M:%S" if seconds else "%H:%M")


def wait_sentence(wait: Wait) -> str:
    """'Bitrix24 allows 8 minutes of work per 10 minutes…; continuing at 10:32.'"""
    at = _clock(wait.until, seconds=wait.seconds < 120)
    if wait.kind is WaitKind.OPERATING_LIMIT:
        minutes = max(1, round(wait.limit_s / 60))
        text = translate(
            "Progress",
            "Bitrix24 allows {n} minute of its work per 10 minutes for each operation; "
            "continuing at {time}.|"
            "Bitrix24 allows {n} minutes of its work per 10 minutes for each operation; "
            "continuing at {time}.",
        )
        return plural(text, minutes).format(n=minutes, time=at)
    if wait.kind is WaitKind.QUERY_LIMIT:
        return translate("Progress", "The portal is busy; trying again at {time}.").format(time=at)
    return translate(
        "Progress", "The connection to the portal failed; trying again at {time}."
    ).format(time=at)


def time_left(seconds: float | None) -> str:
    """'about 4 minutes left'; empty when unknown."""
    if seconds is None:
        return ""
    if seconds < 60:
        return translate("Progress", "less than a minute left")
    minutes = round(seconds / 60)
    if minutes < 90:
        text = translate("Progress", "about {n} minute left|about {n} minutes left")
        return plural(text, minutes).format(n=minutes)
    hours, rest = divmod(minutes, 60)
    return translate("Progress", "about {h} h {m} min left").format(h=hours, m=rest)
