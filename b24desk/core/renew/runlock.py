"""One run at a time per portal on this computer, whichever window or command starts it.

A run is owned by the process that holds its portal's lock file (next to the journal) with
an OS lock: `fcntl.flock` on POSIX, `msvcrt.locking` on Windows. The OS drops the lock when
the process ends, however it ends, so a lock is never left behind by a crash and a run whose
lock nobody holds is a stopped run that may be settled. A second window or command on the
same portal is told that a run is going on (and by which process) instead of settling that
live run as if it had crashed.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from b24desk.core.i18n import translate
from b24desk.core.renew.journal import JournalError

__all__ = ["PortalLock", "RunInProgress"]


class RunInProgress(JournalError):
    """Another process is running a renew or undo on this portal right now."""

    def __init__(self, portal: str, pid: int | None) -> None:
        self.portal = portal
        self.pid = pid
        who = (
            translate("Renew", "process {pid}").format(pid=pid)
            if pid
            else translate("Renew", "another process")
        )
        super().__init__(
            translate(
                "Renew",
                "Another b24desk window or command ({who}) is reopening or completing tasks on "
                "{portal} right now. Wait until it has finished, then try again.",
            ).format(who=who, portal=portal)
        )


class PortalLock:
    """`with PortalLock(journal_path, portal): ...` holds the portal's run lock (or raises
    RunInProgress at once; it never waits)."""

    def __init__(self, journal_path: Path, portal: str) -> None:
        digest = hashlib.sha1(portal.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        self.path = journal_path.with_name(f"run-{digest}.lock")
        self.portal = portal
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise JournalError(
                translate(
                    "Journal",
                    "b24desk cannot write its journal at {path} ({reason}). Free some disk "
                    "space or check the folder's permissions, then try again.",
                ).format(path=self.path, reason=exc.strerror or exc)
            ) from exc
        if not _try_lock(handle):
            try:
                handle.seek(0)
                text = handle.read().strip()
            except OSError:  # Windows refuses reading a locked region
                text = ""
            finally:
                handle.close()
            raise RunInProgress(self.portal, int(text) if text.isdigit() else None)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            handle.seek(0)
            handle.truncate()
            _unlock(handle)
        finally:
            handle.close()

    def held_elsewhere(self) -> bool:
        """Is another process running on this portal now? (Takes and drops the lock.)"""
        if self._handle is not None:
            return False
        try:
            self.acquire()
        except RunInProgress:
            return True
        self.release()
        return False

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
