"""Connection profiles: the non-secret settings of each connection, in one JSON file.

The file lives in the per-user config directory and never holds a secret (those go to
SecretStore). It is rewritten atomically; a damaged file is set aside, never overwritten.

Why one file of ~520 lines: the file's format, its validation with a message per bad field and
the atomic rewrite belong together; nothing else reads the file.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import unicodedata
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeGuard, get_args

from b24desk.core import paths
from b24desk.core.credentials.webhook_url import (
    WebhookUrlError,
    oauth_server_address,
    portal_address,
)
from b24desk.core.i18n import translate
from b24desk.core.redact import redacted_logger

__all__ = [
    "AUTH_KINDS",
    "RATE_PRESETS",
    "AuthKind",
    "Profile",
    "ProfileConfigError",
    "ProfileError",
    "ProfileStore",
    "RatePreset",
    "clean_profile_name",
    "default_profiles_path",
]

log = redacted_logger(__name__)

AuthKind = Literal["webhook", "oauth"]
RatePreset = Literal["auto", "standard", "enterprise"]
AUTH_KINDS: tuple[AuthKind, ...] = get_args(AuthKind)
RATE_PRESETS: tuple[RatePreset, ...] = get_args(RatePreset)

FILE_FORMAT_VERSION = 1
PROFILES_FILE_NAME = "profiles.json"
MAX_NAME_LENGTH = 64
MAX_CLIENT_ID_LENGTH = 200


class ProfileError(ValueError):
    """A profile or the profiles file cannot be used; the message says how to fix it."""


class ProfileConfigError(ProfileError):
    """The profiles file could not be read or written.

    `kept_as` is where a damaged file was moved, so that nothing is lost.
    """

    def __init__(self, message: str, kept_as: Path | None = None) -> None:
        super().__init__(message)
        self.kept_as = kept_as


def default_profiles_path() -> Path:
    """`profiles.json` in the config dir (under $B24DESK_HOME/config when that is set)."""
    return paths.config_dir() / PROFILES_FILE_NAME


def _is_auth_kind(value: object) -> TypeGuard[AuthKind]:
    return value in AUTH_KINDS


def _is_rate_preset(value: object) -> TypeGuard[RatePreset]:
    return value in RATE_PRESETS


def clean_profile_name(name: str) -> str:
    """The name as it will be stored, or ProfileError saying what is wrong with it."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ProfileError(
            translate(
                "Profiles", 'A profile name cannot be empty: type a short name, such as "Main".'
            )
        )
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ProfileError(
            translate(
                "Profiles",
                "A profile name can have at most {max} characters: choose a shorter one.",
            ).format(max=MAX_NAME_LENGTH)
        )
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise ProfileError(
            translate(
                "Profiles",
                "A profile name cannot contain control or invisible characters: type it again.",
            )
        )
    return cleaned


def _same_name(a: str, b: str) -> bool:
    # Some password stores treat names case-insensitively, and "Work"/"work" confuse people.
    return a.casefold() == b.casefold()


@dataclass(frozen=True)
class Profile:
    """One connection's non-secret settings."""

    name: str
    portal_url: str
    auth_kind: AuthKind
    webhook_user_id: int | None = None
    oauth_client_id: str | None = None
    rate_preset: RatePreset = field(default="auto")
    ca_bundle: str | None = None
    """A PEM file of extra certificate authorities, for portals on a company's own server."""
    oauth_server: str | None = None
    """Where OAuth tokens are refreshed; None means Bitrix24's own (oauth.bitrix.info)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_profile_name(self.name))
        self._check_portal_url()
        self._check_ca_bundle()
        if not _is_rate_preset(self.rate_preset):
            raise ProfileError(
                f"The rate preset must be one of {', '.join(RATE_PRESETS)}: pick one of these."
            )
        if self.auth_kind == "webhook":
            self._check_webhook_fields()
        elif self.auth_kind == "oauth":
            self._check_oauth_fields()
        else:
            raise ProfileError(
                f"The connection kind must be one of {', '.join(AUTH_KINDS)}: pick one of these."
            )

    def _check_portal_url(self) -> None:
        try:
            normalised = portal_address(self.portal_url)
        except WebhookUrlError as exc:
            raise ProfileError(str(exc)) from exc
        if normalised != self.portal_url:
            raise ProfileError(
                "The portal address must be written as scheme and host only, such as "
                "https://yourcompany.bitrix24.com: use portal_address() to normalise it."
            )

    def _check_ca_bundle(self) -> None:
        bundle = self.ca_bundle
        if bundle is None:
            return
        if (
            not isinstance(bundle, str)
            or not bundle.strip()
            or any(unicodedata.category(ch).startswith("C") for ch in bundle)
        ):
            raise ProfileError(
                translate(
                    "Profiles",
                    "The certificate authority file must be given as the path of a PEM file: "
                    "choose the file again.",
                )
            )

    def _check_webhook_fields(self) -> None:
        user_id = self.webhook_user_id
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
            raise ProfileError(
                "A webhook profile needs the webhook's user id, a positive number: add the "
                "profile again from its webhook URL."
            )
        if self.oauth_client_id is not None:
            raise ProfileError(
                "A webhook profile has no OAuth client id: leave it empty or choose the OAuth "
                "connection kind."
            )
        if self.oauth_server is not None:
            raise ProfileError(
                "A webhook profile has no OAuth server: leave it empty or choose the OAuth "
                "connection kind."
            )

    def _check_oauth_fields(self) -> None:
        client_id = self.oauth_client_id
        if (
            not isinstance(client_id, str)
            or not client_id
            or len(client_id) > MAX_CLIENT_ID_LENGTH
            or any(ch.isspace() or not ch.isprintable() for ch in client_id)
        ):
            raise ProfileError(
                translate(
                    "Profiles",
                    "An OAuth profile needs the application's client id (such as "
                    "local.abc123.456), without spaces: copy it from the local application's "
                    "settings in Bitrix24.",
                )
            )
        if self.webhook_user_id is not None:
            raise ProfileError(
                "An OAuth profile has no webhook user id: leave it empty or choose the webhook "
                "connection kind."
            )
        if self.oauth_server is not None:
            try:
                normalised = oauth_server_address(self.oauth_server)
            except WebhookUrlError as exc:
                raise ProfileError(str(exc)) from exc
            if normalised != self.oauth_server:
                raise ProfileError(
                    "The OAuth server address must be written as scheme and host only, such as "
                    "https://oauth.bitrix.info: use portal_address() to normalise it."
                )

    def to_json(self) -> dict[str, Any]:
        # The optional settings are written only when set, so files stay as they were.
        optional = {"ca_bundle": self.ca_bundle, "oauth_server": self.oauth_server}
        return {
            "name": self.name,
            "portal_url": self.portal_url,
            "auth_kind": self.auth_kind,
            "webhook_user_id": self.webhook_user_id,
            "oauth_client_id": self.oauth_client_id,
            "rate_preset": self.rate_preset,
            **{key: value for key, value in optional.items() if value is not None},
        }

    @classmethod
    def from_json(cls, data: object) -> Profile:
        if not isinstance(data, dict):
            raise ProfileError("a profile entry is not an object")
        name, portal_url = data.get("name"), data.get("portal_url")
        auth_kind, rate_preset = data.get("auth_kind"), data.get("rate_preset", "auto")
        user_id, client_id = data.get("webhook_user_id"), data.get("oauth_client_id")
        if not isinstance(name, str) or not isinstance(portal_url, str):
            raise ProfileError("a profile entry has no name or portal address")
        if not _is_auth_kind(auth_kind) or not _is_rate_preset(rate_preset):
            raise ProfileError(f'profile "{name}" has an unknown connection kind or rate preset')
        if (user_id is not None and not isinstance(user_id, int)) or (
            client_id is not None and not isinstance(client_id, str)
        ):
            raise ProfileError(f'profile "{name}" has a user id or client id of the wrong type')
        ca_bundle, oauth_server = data.get("ca_bundle"), data.get("oauth_server")
        if (ca_bundle is not None and not isinstance(ca_bundle, str)) or (
            oauth_server is not None and not isinstance(oauth_server, str)
        ):
            raise ProfileError(
                f'profile "{name}" has a certificate file or OAuth server of the wrong type'
            )
        return cls(
            name,
            portal_url,
            auth_kind,
            user_id,
            client_id,
            rate_preset,
            ca_bundle=ca_bundle,
            oauth_server=oauth_server,
        )


@dataclass
class _Document:
    profiles: list[Profile] = field(default_factory=list)
    last_used: str | None = None

    def find(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if _same_name(p.name, name)), None)


class ProfileStore:
    """All connection profiles and the last used one, read from and written to one file.

    Every call reads the file afresh, so a window and a CLI run see each other's changes.
    Profiles added with `session_only` live in this object alone: they are listed and found
    like the others, but never written, so nothing of them is left when the process ends.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path or default_profiles_path()
        self._session: list[Profile] = []

    @property
    def path(self) -> Path:
        return self._path

    def profiles(self) -> list[Profile]:
        return list(self._load().profiles)

    def names(self) -> list[str]:
        return [p.name for p in self._load().profiles]

    def get(self, name: str) -> Profile:
        return _require(self._load(), name)

    def add(self, profile: Profile, *, session_only: bool = False) -> None:
        """Save the profile; with `session_only`, keep it in memory for this process only."""
        document = self._load()
        _refuse_duplicate(document, profile.name)
        if session_only:
            self._session.append(profile)
            return
        document.profiles.append(profile)
        self._save(document)

    def is_session_only(self, name: str) -> bool:
        """Whether the named profile lives only in memory (see `add`)."""
        return self._session_profile(name) is not None

    def _session_profile(self, name: str) -> Profile | None:
        return next((p for p in self._session if _same_name(p.name, name)), None)

    def check_name_free(self, name: str) -> None:
        """Raise ProfileError if the name is unusable or already taken."""
        _refuse_duplicate(self._load(), clean_profile_name(name))

    def replace(self, profile: Profile) -> None:
        """Store new settings for an existing profile of the same name."""
        document = self._load()
        old = _require(document, profile.name)
        if old in self._session:
            self._session = [profile if p == old else p for p in self._session]
            return
        document.profiles = [profile if p == old else p for p in document.profiles]
        if document.last_used is not None and _same_name(document.last_used, old.name):
            document.last_used = profile.name
        self._save(document)

    def remove(self, name: str) -> Profile:
        """Remove the profile's settings (its secrets are the SecretStore's business)."""
        document = self._load()
        profile = _require(document, name)
        if profile in self._session:
            self._session.remove(profile)
            return profile
        document.profiles = [p for p in document.profiles if p != profile]
        if document.last_used is not None and _same_name(document.last_used, profile.name):
            document.last_used = None
        self._save(document)
        return profile

    def last_used(self) -> Profile | None:
        document = self._load()
        return document.find(document.last_used) if document.last_used else None

    def set_last_used(self, name: str) -> None:
        document = self._load()
        profile = _require(document, name)
        if profile in self._session:
            return  # the next start must not look for a profile that is gone by then
        document.last_used = profile.name
        self._save(document)

    # --- file ---------------------------------------------------------------------------

    def _load(self) -> _Document:
        document = self._load_file()
        for profile in self._session:
            if document.find(profile.name) is None:
                document.profiles.append(profile)
        return document

    def _load_file(self) -> _Document:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return _Document()
        except OSError as exc:
            raise ProfileConfigError(
                translate(
                    "Profiles",
                    "The connection profiles file {path} could not be read ({reason}): check "
                    "its permissions.",
                ).format(path=self._path, reason=exc.strerror or type(exc).__name__)
            ) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self._set_aside(translate("Profiles", "it is not valid JSON")) from exc
        if _written_by_newer_version(data):
            # Not damaged, just newer: leave it where the newer b24desk expects it.
            raise ProfileConfigError(
                translate(
                    "Profiles",
                    "The connection profiles file {path} was written by a newer version of "
                    "b24desk: update b24desk to use these profiles.",
                ).format(path=self._path)
            )
        try:
            return _parse_document(data)
        except ProfileError as exc:
            raise self._set_aside(str(exc)) from exc

    def _set_aside(self, reason: str) -> ProfileConfigError:
        base = f"{self._path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
        kept_as, counter = self._path.with_name(base), 1
        while kept_as.exists():
            counter += 1
            kept_as = self._path.with_name(f"{base}-{counter}")
        try:
            os.replace(self._path, kept_as)
        except OSError as exc:
            return ProfileConfigError(
                translate(
                    "Profiles",
                    "The connection profiles file {path} is damaged ({reason}) and could not "
                    "be moved aside ({error}): move or repair it, then try again.",
                ).format(path=self._path, reason=reason, error=exc.strerror or type(exc).__name__)
            )
        log.warning("damaged profiles file %s moved to %s: %s", self._path, kept_as, reason)
        return ProfileConfigError(
            translate(
                "Profiles",
                "The connection profiles file {path} is damaged ({reason}); it was kept as "
                "{kept_as} next to it, and b24desk now has no profiles: add your connections "
                "again, or repair that file and put it back.",
            ).format(path=self._path, reason=reason, kept_as=kept_as.name),
            kept_as=kept_as,
        )

    def _save(self, document: _Document) -> None:
        data = {
            "version": FILE_FORMAT_VERSION,
            "last_used": document.last_used,
            "profiles": [p.to_json() for p in document.profiles if p not in self._session],
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        try:
            _atomic_write(self._path, text)
        except OSError as exc:
            raise ProfileConfigError(
                translate(
                    "Profiles",
                    "The connection profiles could not be saved to {path} ({reason}): check "
                    "free disk space and permissions.",
                ).format(path=self._path, reason=exc.strerror or type(exc).__name__)
            ) from exc


def _refuse_duplicate(document: _Document, name: str) -> None:
    existing = document.find(name)
    if existing is not None:
        raise ProfileError(
            translate(
                "Profiles",
                'A profile named "{name}" already exists: choose another name or remove the '
                "old profile first.",
            ).format(name=existing.name)
        )


def _require(document: _Document, name: str) -> Profile:
    profile = document.find(name)
    if profile is None:
        raise ProfileError(
            translate(
                "Profiles",
                'There is no connection profile named "{name}": check the name or add the '
                "profile first.",
            ).format(name=" ".join(name.split()))
        )
    return profile


def _written_by_newer_version(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    version = data.get("version")
    return isinstance(version, int) and version > FILE_FORMAT_VERSION


def _parse_document(data: object) -> _Document:
    if not isinstance(data, dict) or data.get("version") != FILE_FORMAT_VERSION:
        raise ProfileError("its layout is not the one b24desk writes")
    entries, last_used = data.get("profiles"), data.get("last_used")
    if not isinstance(entries, list) or not (last_used is None or isinstance(last_used, str)):
        raise ProfileError("its layout is not the one b24desk writes")
    document = _Document(last_used=last_used)
    for entry in entries:
        profile = Profile.from_json(entry)
        if document.find(profile.name) is not None:
            raise ProfileError(f'the profile name "{profile.name}" appears twice')
        document.profiles.append(profile)
    if last_used is not None and document.find(last_used) is None:
        document.last_used = None
    return document


def _atomic_write(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one, even after a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open directories this way.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
