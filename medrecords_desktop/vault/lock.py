"""One writer per vault: an OS file lock held for as long as the vault is open.

The lock is advisory (flock on POSIX, msvcrt on Windows) and released by the OS when the process
dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import VaultInUse
from .db import storage_error


class VaultLock:
    def __init__(self, vault_dir: Path) -> None:
        self.path = Path(vault_dir) / "vault.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:  # a read-only or unreachable folder: say so, not "internal error"
            raise (storage_error(e, self.path.parent, opening=True) or e) from None
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise VaultInUse(str(self.path.parent)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None
