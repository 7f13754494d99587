"""How a row's run outcome looks: words first, then a symbol and a palette-aware colour.

Colour is only a hint (never the sole carrier of meaning), and it is picked from the
current palette so that it stays readable on light and dark themes alike.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from b24desk.core.i18n import QT_TRANSLATE_NOOP
from b24desk.core.model import TaskOutcome
from b24desk.ui.language import TranslatedTexts


class Tone(enum.Enum):
    NEUTRAL = "neutral"
    BUSY = "busy"
    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"


@dataclass(frozen=True, slots=True)
class OutcomeLook:
    symbol: str
    label: str
    """In English, as written in the source: `outcome_label` gives it in the user's language."""
    tone: Tone
    rank: int  # sort order of the Status column: work still to do first, then results


OUTCOME_LOOKS: dict[TaskOutcome, OutcomeLook] = {
    TaskOutcome.QUEUED: OutcomeLook("•", QT_TRANSLATE_NOOP("Outcome", "Queued"), Tone.NEUTRAL, 1),
    TaskOutcome.RENEWING: OutcomeLook("↻", QT_TRANSLATE_NOOP("Outcome", "Renewing…"), Tone.BUSY, 2),
    TaskOutcome.RENEWED: OutcomeLook("✓", QT_TRANSLATE_NOOP("Outcome", "Renewed"), Tone.GOOD, 3),
    TaskOutcome.ALREADY_OPEN: OutcomeLook(
        "○", QT_TRANSLATE_NOOP("Outcome", "Already open"), Tone.NEUTRAL, 4
    ),
    TaskOutcome.NOT_ATTEMPTED: OutcomeLook(
        "○", QT_TRANSLATE_NOOP("Outcome", "Not attempted"), Tone.NEUTRAL, 5
    ),
    TaskOutcome.NOT_ALLOWED: OutcomeLook(
        "⊘", QT_TRANSLATE_NOOP("Outcome", "Not allowed"), Tone.WARNING, 6
    ),
    TaskOutcome.FAILED: OutcomeLook("✗", QT_TRANSLATE_NOOP("Outcome", "Failed"), Tone.BAD, 7),
    TaskOutcome.SKIPPED: OutcomeLook("↷", QT_TRANSLATE_NOOP("Outcome", "Skipped"), Tone.NEUTRAL, 8),
    TaskOutcome.RECOMPLETED: OutcomeLook(
        "↩", QT_TRANSLATE_NOOP("Outcome", "Completed again"), Tone.GOOD, 9
    ),
    TaskOutcome.CAN_RENEW: OutcomeLook(
        "✓", QT_TRANSLATE_NOOP("Outcome", "Can reopen"), Tone.NEUTRAL, 10
    ),
}

OUTCOME_LABELS = TranslatedTexts("Outcome", {o: look.label for o, look in OUTCOME_LOOKS.items()})

# (on a light background, on a dark background)
_TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    Tone.GOOD: ("#1b7a36", "#7ddc95"),
    Tone.WARNING: ("#935800", "#ffc857"),
    Tone.BAD: ("#b3261e", "#ff8a80"),
}


def outcome_label(outcome: TaskOutcome) -> str:
    """The outcome's name in the user's language ("Renewed", "Возобновлена")."""
    return OUTCOME_LABELS[outcome]


def outcome_text(outcome: TaskOutcome, reason: str = "") -> str:
    text = f"{OUTCOME_LOOKS[outcome].symbol} {OUTCOME_LABELS[outcome]}"
    return f"{text} — {reason}" if reason else text


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tone_colour(tone: Tone, palette: QPalette | None = None) -> QColor:
    """A text colour for `tone` that contrasts with the palette's base colour."""
    palette = palette if palette is not None else QGuiApplication.palette()
    if tone is Tone.NEUTRAL:
        return palette.color(QPalette.ColorRole.PlaceholderText)
    if tone is Tone.BUSY:
        return palette.color(QPalette.ColorRole.Link)
    light, dark = _TONE_COLOURS[tone]
    return QColor(dark if is_dark(palette) else light)
