"""A Session: one unlocked vault and the services over it, made at unlock and closed at lock.

The faces (the desktop app, and in time the CLI) get every service from here and never build one
themselves nor import ``vault/``: the GUI's import-linter contract forbids it. A service is made on first
use and kept for the session, so a view asking for ``session.missing`` twice gets the same object (the
missing-records rules are read once).

Opening and creating a vault are here too (``open_session``, ``create_session``), so the unlock screen
runs them on the worker without knowing the storage.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..vault.repos import items as items_repo
from ..vault.store import FLAG_MANUAL, Row
from ..vault.vault import Vault

if TYPE_CHECKING:
    from ..model.records import Person
    from ..vault.crypto import KdfParams
    from .access import AccessService
    from .claims import ClaimsService
    from .editing import EditingService
    from .exporting import ExportService
    from .immunizations import ImmunizationService
    from .importing import ImportService
    from .missing import MissingService
    from .people import PeopleService
    from .portals import PortalService
    from .records import RecordService
    from .sync import SyncService


class Session:
    """The services of one open vault. ``Session(vault)``; ``close()`` closes the vault."""

    def __init__(self, vault: Vault, *, records: RecordService | None = None) -> None:
        self.vault = vault
        if records is not None:
            self.__dict__["records"] = records  # reuse the caller's (a ViewContext made from a RecordService)

    # ------------------------------------------------------------------ the services
    @cached_property
    def records(self) -> RecordService:
        from .records import RecordService

        return RecordService(self.vault)

    @cached_property
    def editing(self) -> EditingService:
        from .editing import EditingService

        return EditingService(self.vault)

    @cached_property
    def importing(self) -> ImportService:
        from .importing import ImportService

        return ImportService(self.vault)

    @cached_property
    def missing(self) -> MissingService:
        from .missing import MissingService

        return MissingService(self.vault)

    @cached_property
    def portals(self) -> PortalService:
        from .portals import PortalService

        return PortalService(self.vault)

    @cached_property
    def people(self) -> PeopleService:
        from .people import PeopleService

        return PeopleService(self.vault)

    @cached_property
    def exporting(self) -> ExportService:
        from .exporting import ExportService

        return ExportService(self.vault)

    @cached_property
    def claims(self) -> ClaimsService:
        from .claims import ClaimsService

        return ClaimsService(self.vault)

    @cached_property
    def immunizations(self) -> ImmunizationService:
        from .immunizations import ImmunizationService

        return ImmunizationService(self.vault)

    @cached_property
    def sync(self) -> SyncService:
        from .sync import SyncService

        return SyncService(self.vault)

    @property
    def vault_id(self) -> str:
        """The vault's own id (no health data): what names its shared folder in Syncthing."""
        return str(self.vault.header.vault_id)

    @cached_property
    def access(self) -> AccessService:
        from .access import AccessService

        return AccessService(self.vault)

    def lab_results_from_document(self, document_id: str) -> list[Any]:
        """Rows read from a stored lab report (scanned or PDF), proposed for the person to check."""
        from .labreport import results_from_document

        return list(results_from_document(self.vault, document_id))

    def confirm_lab_results(self, document_id: str, rows: list[Any]) -> list[str]:
        """Write the rows the person kept (a write: call it inside an op's work)."""
        from .labreport import confirm_results

        return list(confirm_results(self.vault, document_id, rows))

    # ------------------------------------------------------------------ the vault, as the faces see it
    @property
    def is_demo(self) -> bool:
        return bool(self.vault.header.demo)

    @property
    def warnings(self) -> list[str]:
        """What the unlock found wrong (a tampered roster or audit log): every user is told."""
        return list(getattr(self.vault, "warnings", []))

    @property
    def user(self) -> Any:
        """Who unlocked the vault (id, name, role)."""
        return self.vault.user

    def persons(self) -> list[Person]:
        return self.vault.persons()

    def person(self, ref: str) -> Person:
        return self.vault.person(ref)

    def is_owner(self) -> bool:
        return self.vault.is_owner()

    def add_person(self, name: str, birth_date: str | None = None) -> Person:
        return self.vault.add_person(name, birth_date)

    def audit_entries(self, **kw: Any) -> list[Any]:
        return list(self.vault.audit_entries(**kw))

    def check_audit(self) -> list[Any]:
        """Every audit chain this user can read, checked (a report per chain; ``bad`` names the first bad entry)."""
        return list(self.vault.check_audit())

    def chain_label(self, chain: str) -> str:
        return str(self.vault.chain_label(chain))

    def user_names(self) -> dict[str, str]:
        return dict(self.vault.user_names())

    def change_counter(self) -> tuple[int, ...]:
        """A cheap fingerprint of every write made through this process's connections (SQLite's
        ``total_changes()`` per person database): equal twice means nothing was written in between."""
        return tuple(items_repo.total_changes(self.vault.person_db(p.id)) for p in self.vault.persons())

    def item_count(self, person_id: str) -> int:
        """How many records ``person_id`` has (not counting the Trash)."""
        return items_repo.live_count(self.vault.person_db(person_id))

    def close(self) -> None:
        self.vault.close()


SessionSource = Session | Vault


def session_of(source: SessionSource) -> Session:
    """The session of ``source``: itself, or a new one over an open vault (tests and dialogs opened alone)."""
    return source if isinstance(source, Session) else Session(source)


def open_session(path: Path | str, passphrase: str) -> Session:
    """Unlock the vault at ``path`` (slow: the passphrase's key derivation; run it on the worker)."""
    return Session(Vault.open(path, passphrase))


def create_session(path: Path | str, passphrase: str, owner: str, kdf: KdfParams | None = None) -> tuple[Session, str]:
    """A new vault at ``path`` with its owner as the first person; returns the session and the recovery code."""
    vault, code = Vault.create(path, passphrase, owner_name=owner, kdf=kdf)
    vault.add_person(owner)
    return Session(vault), code


def open_demo_session(path: Path | str) -> Session:
    """The demo vault (made on first use)."""
    from .demo import open_or_create_demo

    return Session(open_or_create_demo(path))


def fast_kdf_for_tests() -> KdfParams:
    """The quick key derivation the test runs and screenshot tools use (MEDRECORDS_FAST_KDF)."""
    from ..vault.crypto import fast_test_kdf

    return fast_test_kdf()


__all__ = [
    "FLAG_MANUAL",
    "Row",
    "Session",
    "SessionSource",
    "create_session",
    "open_demo_session",
    "open_session",
    "session_of",
]
