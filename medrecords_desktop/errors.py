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
