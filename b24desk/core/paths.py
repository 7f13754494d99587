"""Where b24desk keeps its files: settings in the config dir, journal and logs in the data dir.

Both follow the platform's conventions (platformdirs, app name "b24desk"). Setting the
environment variable B24DESK_HOME moves everything under one folder (`$B24DESK_HOME/config`,
`$B24DESK_HOME/data`): tests, portable installs and scripts that must not touch the real
home use it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

__all__ = [
    "APP_NAME",
    "HOME_ENV",
    "config_dir",
    "data_dir",
    "journal_path",
    "log_path",
    "profiles_path",
]

APP_NAME = "b24desk"
HOME_ENV = "B24DESK_HOME"


def _home(environ: Mapping[str, str] | None) -> Path | None:
    value = (os.environ if environ is None else environ).get(HOME_ENV, "").strip()
    # A relative home would move with the working directory; pin it once it is read.
    return Path(value).expanduser().absolute() if value else None


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Non-secret settings: the connection profiles."""
    home = _home(environ)
    if home is not None:
        return home / "config"
    return Path(platformdirs.user_config_dir(APP_NAME))


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """What b24desk writes while working: the journal of runs, logs, exports."""
    home = _home(environ)
    if home is not None:
        return home / "data"
    return Path(platformdirs.user_data_dir(APP_NAME))


def profiles_path(environ: Mapping[str, str] | None = None) -> Path:
    return config_dir(environ) / "profiles.json"


def journal_path(environ: Mapping[str, str] | None = None) -> Path:
    return data_dir(environ) / "journal.jsonl"


def log_path(environ: Mapping[str, str] | None = None) -> Path:
    return data_dir(environ) / "logs" / "b24desk.log"
