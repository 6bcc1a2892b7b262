"""Errors people can act on.  Anything else escaping a service is a bug.

Each face (GUI dialog, CLI line) shows ``str(exc)``: write messages for a person, naming the file and
the place where that applies.
"""

from __future__ import annotations


class MedRecordsError(Exception):
    """Base of every error a user can act on."""


class WrongPassphrase(MedRecordsError):
    def __init__(self) -> None:
        super().__init__("Wrong passphrase: it did not open any key in this vault.")


class VaultDamaged(MedRecordsError):
    def __init__(self, what: str, page: int | None = None, detail: str = "") -> None:
        self.what, self.page = what, page
        where = f" (page {page})" if page is not None else ""
        extra = f": {detail}" if detail else ""
        super().__init__(f"The vault file {what} is damaged{where}{extra}. Restore it from a backup.")


class VaultInUse(MedRecordsError):
    def __init__(self, path: str) -> None:
        super().__init__(f"The vault at {path} is open in another window or process. Close it there first.")


class VaultNotFound(MedRecordsError):
    pass


# The storage itself said no (SQLite's FULL, READONLY, IOERR, BUSY/LOCKED, CANTOPEN, or the same from
# the file system): vault/db.py maps them.  A write that fails so is rolled back whole.
class VaultStorageError(MedRecordsError):
    """The disk or folder under the vault refused: the message says what to do about it."""

    def __init__(self, message: str, path: str) -> None:
        self.path = path
        super().__init__(message)


class VaultFull(VaultStorageError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The disk holding the vault ({path}) is full: nothing was saved. Free some disk space, then try again.",
            path,
        )


class VaultReadOnly(VaultStorageError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The vault folder {path} is read-only: nothing was saved. Check the folder's "
            "permissions, or whether the disk or memory card is write-protected.",
            path,
        )


class VaultIOError(VaultStorageError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The disk holding the vault ({path}) reported a read or write error: nothing was "
            "saved. Check the drive; if it keeps happening, restore the vault from a backup "
            "onto a healthy drive.",
            path,
        )


class VaultBusy(VaultStorageError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The vault at {path} is in use by another program (another copy of MedRecords, a "
            "backup or sync tool): nothing was saved. Close that program, then try again.",
            path,
        )


class VaultCannotOpen(VaultStorageError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"Cannot open the vault's files in {path}. Check that the folder exists and is "
            "reachable (a drive that was removed, a network share that is disconnected).",
            path,
        )


class AccessDenied(MedRecordsError):
    """The signed-in user lacks the grant for this action."""


class NotFound(MedRecordsError):
    pass


class InvalidInput(MedRecordsError):
    """A value the user typed or passed does not make sense (a future date, an unknown kind...)."""


class ImportRejected(MedRecordsError):
    def __init__(self, file: str, where: str | None, why: str) -> None:
        self.file, self.where, self.why = file, where, why
        loc = f" at {where}" if where else ""
        super().__init__(f"{file}{loc}: {why}")


class Cancelled(MedRecordsError):
    def __init__(self) -> None:
        super().__init__("Cancelled.")
