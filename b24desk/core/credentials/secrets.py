"""Secret parts of a connection live only in the OS password store, through `keyring`.

Never a file: when no trustworthy store is usable, the caller is told why (KeyringUnavailable)
and may switch this store to memory for the current session (`use_session_only`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import InitError, KeyringLocked, NoKeyringError, PasswordDeleteError

from b24desk.core.i18n import translate
from b24desk.core.redact import redact, redacted_logger, register_secret

__all__ = [
    "SERVICE_NAME",
    "KeyringProblem",
    "KeyringUnavailable",
    "SecretKind",
    "SecretStore",
]

log = redacted_logger(__name__)

SERVICE_NAME = "b24desk"
# Read, never written: asking for it makes a locked or refusing store show itself.
_PROBE_USERNAME = "b24desk:availability-check"
# keyrings.alt stores secrets in files that are plain text, base64 or protected by a
# master password typed on stdin (impossible in a GUI): none is acceptable here.
_INSECURE_MODULE_PREFIXES = ("keyrings.alt",)


class SecretKind(enum.StrEnum):
    WEBHOOK_CODE = "webhook_code"
    ACCESS_TOKEN = "access_token"
    REFRESH_TOKEN = "refresh_token"
    CLIENT_SECRET = "client_secret"


class KeyringProblem(enum.Enum):
    NO_BACKEND = "no_backend"
    LOCKED = "locked"
    INSECURE = "insecure"
    FAILED = "failed"


class KeyringUnavailable(RuntimeError):
    """No trustworthy password store can be used; the message says why and what to do."""

    def __init__(self, problem: KeyringProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def _unavailable(problem: KeyringProblem, detail: str = "") -> KeyringUnavailable:
    if problem is KeyringProblem.NO_BACKEND:
        text = translate(
            "Keyring",
            "No password store is available on this computer (install and unlock GNOME "
            "Keyring or KWallet, or sign in to a desktop session that provides one), so "
            "b24desk cannot keep this connection's secret: {offer}",
        )
    elif problem is KeyringProblem.LOCKED:
        text = translate(
            "Keyring",
            "The password store is locked or the request to unlock it was refused (unlock "
            "GNOME Keyring or KWallet and try again), so b24desk cannot keep this "
            "connection's secret: {offer}",
        )
    elif problem is KeyringProblem.INSECURE:
        text = translate(
            "Keyring",
            "The active password store ({detail}) keeps passwords in a file that is not "
            "safely encrypted, so b24desk will not use it (use GNOME Keyring or KWallet, or "
            "remove the keyrings.alt package): {offer}",
        )
    else:
        text = translate(
            "Keyring",
            "The password store did not work ({detail}), so b24desk cannot keep this "
            "connection's secret (check that GNOME Keyring or KWallet is running and "
            "unlocked, then try again): {offer}",
        )
    offer = translate(
        "Keyring",
        "you can use this connection for this session only, and b24desk will forget its "
        "secret when it closes.",
    )
    return KeyringUnavailable(problem, text.format(detail=detail, offer=offer))


def _backend_label(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _refusal(backend: KeyringBackend) -> KeyringUnavailable | None:
    """Why this concrete backend must not hold secrets, or None if it may."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        # null.Keyring silently drops what it is given: as bad as none at all.
        return _unavailable(KeyringProblem.NO_BACKEND)
    if type(backend).__module__.startswith(_INSECURE_MODULE_PREFIXES):
        return _unavailable(KeyringProblem.INSECURE, _backend_label(backend))
    return None


def _usable_backend(active: KeyringBackend) -> KeyringBackend:
    if not isinstance(active, ChainerBackend):
        refusal = _refusal(active)
        if refusal is not None:
            raise refusal
        return active
    # A chain writes to its first member; pick the first trustworthy one ourselves so a
    # plaintext member is never written to or read from.
    members: list[KeyringBackend] = list(active.backends)
    for member in members:
        if _refusal(member) is None:
            return member
    refusals = [r for r in map(_refusal, members) if r is not None]
    insecure = [r for r in refusals if r.problem is KeyringProblem.INSECURE]
    raise (insecure or refusals or [_unavailable(KeyringProblem.NO_BACKEND)])[0]


class SecretStore:
    """Secrets per profile, under service "b24desk" and usernames "<profile>:<kind>".

    Uses the process's `keyring` backend (looked up on each call, so `keyring.set_keyring`
    takes effect at once) unless one is passed in.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, str] | None = None

    @property
    def is_session_only(self) -> bool:
        return self._memory is not None

    def use_session_only(self) -> None:
        """Keep secrets in memory from now on; they are gone when the process ends."""
        if self._memory is None:
            log.warning("secrets are kept in memory for this session only")
            self._memory = {}

    @property
    def backend_name(self) -> str:
        if self._memory is not None:
            return "memory (this session only)"
        return _backend_label(self._backend or keyring.get_keyring())

    def check(self) -> None:
        """Raise KeyringUnavailable unless secrets can be kept safely right now."""
        if self._memory is None:
            with self._translated_errors():
                self._keyring().get_password(SERVICE_NAME, _PROBE_USERNAME)

    def set(self, profile: str, kind: SecretKind, value: str) -> None:
        if not value:
            raise ValueError(f"The {kind.value.replace('_', ' ')} to store is empty.")
        register_secret(value)
        username = _username(profile, kind)
        if self._memory is not None:
            self._memory[username] = value
            return
        with self._translated_errors():
            self._keyring().set_password(SERVICE_NAME, username, value)

    def get(self, profile: str, kind: SecretKind) -> str | None:
        username = _username(profile, kind)
        if self._memory is not None:
            value = self._memory.get(username)
        else:
            with self._translated_errors():
                value = self._keyring().get_password(SERVICE_NAME, username)
        register_secret(value)
        return value

    def delete(self, profile: str, kind: SecretKind) -> None:
        """Remove one secret; removing one that is not there is fine."""
        username = _username(profile, kind)
        if self._memory is not None:
            self._memory.pop(username, None)
            return
        with self._translated_errors():
            backend = self._keyring()
            try:
                backend.delete_password(SERVICE_NAME, username)
            except PasswordDeleteError:
                # Backends say "no such password" this way; make sure that is all it meant.
                if backend.get_password(SERVICE_NAME, username) is not None:
                    raise

    def delete_profile(self, profile: str) -> None:
        for kind in SecretKind:
            self.delete(profile, kind)

    def save_tokens(self, profile: str, access_token: str, refresh_token: str) -> None:
        """Store a refreshed OAuth pair; the refresh token first, as it is the one that lasts."""
        if not access_token or not refresh_token:
            raise ValueError("Both the access token and the refresh token must be non-empty.")
        self.set(profile, SecretKind.REFRESH_TOKEN, refresh_token)
        self.set(profile, SecretKind.ACCESS_TOKEN, access_token)

    def _keyring(self) -> KeyringBackend:
        return _usable_backend(self._backend or keyring.get_keyring())

    @contextmanager
    def _translated_errors(self) -> Iterator[None]:
        try:
            yield
        except KeyringUnavailable:
            raise
        except NoKeyringError as exc:
            raise _unavailable(KeyringProblem.NO_BACKEND) from exc
        except KeyringLocked as exc:
            raise _unavailable(KeyringProblem.LOCKED) from exc
        except InitError as exc:
            raise _unavailable(
                KeyringProblem.FAILED, translate("Keyring", "it could not be opened")
            ) from exc
        except Exception as exc:
            # Backends raise their own errors too (D-Bus, prompts dismissed, OS errors);
            # to the user every one of them means the same: the store cannot be used.
            log.warning("password store failed: %s", redact(f"{type(exc).__name__}: {exc}"))
            raise _unavailable(KeyringProblem.FAILED, type(exc).__name__) from exc


def _username(profile: str, kind: SecretKind) -> str:
    if not profile:
        raise ValueError("A profile name is needed to store its secrets.")
    return f"{profile}:{kind.value}"
