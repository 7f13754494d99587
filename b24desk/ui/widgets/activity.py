"""What the main window is busy with."""

from __future__ import annotations

import enum


class Activity(enum.Enum):
    IDLE = "idle"
    LOADING = "loading"
    RENEWING = "renewing"
