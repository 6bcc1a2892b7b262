"""household.db's ``persons`` rows beyond what ``Vault`` reads, and ``person_identifiers``: the identifiers
(medical record numbers, a source's patient reference) by which an import recognises a person."""

from __future__ import annotations

from collections.abc import Iterable

from ..db import Db


def people_with_identifier(db: Db, system: str, value: str) -> list[str]:
    """Ids of the people known by this identifier."""
    return [str(r[0]) for r in db.query(
        "SELECT person_id FROM person_identifiers WHERE system=? AND value=?", (system, value))]


def remember_identifiers(db: Db, person_id: str, identifiers: Iterable[tuple[str, str]]) -> None:
    """Add (system, value) identifiers of a person; empty ones and those already known are skipped."""
    with db.transaction() as conn:
        for system, value in identifiers:
            if system and value:
                conn.execute("INSERT OR IGNORE INTO person_identifiers(person_id,system,value) VALUES (?,?,?)",
                             (person_id, system, value))
