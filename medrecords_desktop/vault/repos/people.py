"""household.db's ``persons`` rows beyond what ``Vault`` reads, and ``person_identifiers``: the identifiers
(medical record numbers, a source's patient reference) by which an import recognises a person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..db import Db


def people_with_identifier(db: Db, system: str, value: str) -> list[str]:
    """Ids of the people known by this identifier."""
    return [
        str(r[0])
        for r in db.query("SELECT person_id FROM person_identifiers WHERE system=? AND value=?", (system, value))
    ]


def remember_identifiers(db: Db, person_id: str, identifiers: Iterable[tuple[str, str]]) -> None:
    """Add (system, value) identifiers of a person; empty ones and those already known are skipped."""
    with db.transaction() as conn:
        for system, value in identifiers:
            if system and value:
                conn.execute(
                    "INSERT OR IGNORE INTO person_identifiers(person_id,system,value) VALUES (?,?,?)",
                    (person_id, system, value),
                )


EDITABLE = frozenset({"birth_date", "sex"})  # the name is in the signed roster: Vault.set_person_name


def update(db: Db, person_id: str, changes: Mapping[str, Any]) -> None:
    """Set some of ``EDITABLE``'s columns of a person."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not person columns one may set here: {sorted(unknown)}")
    if not changes:
        return
    sets = ", ".join(f"{k}=?" for k in changes)
    with db.transaction() as conn:
        conn.execute(f"UPDATE persons SET {sets} WHERE id=?", [*changes.values(), person_id])


def names_and_births(db: Db) -> dict[str, tuple[str, str | None]]:
    """id -> (name, date of birth) of every person row, those in the Trash included."""
    return {str(r[0]): (r[1], r[2]) for r in db.query("SELECT id, name, birth_date FROM persons")}


def identifiers_not_shared(db: Db, person_id: str, other_id: str) -> list[tuple[str, str]]:
    """(system, value) identifiers of ``person_id`` that ``other_id`` does not have."""
    return [
        (str(s), str(v))
        for s, v in db.query(
            "SELECT system, value FROM person_identifiers WHERE person_id=? AND (system, value) NOT IN"
            " (SELECT system, value FROM person_identifiers WHERE person_id=?)",
            (person_id, other_id),
        )
    ]


def hand_back(
    db: Db, from_person: str, to_person: str, identifiers: Iterable[Sequence[str]], portal_ids: Iterable[int]
) -> None:
    """Undo ``hand_over`` in one transaction: ``from_person`` loses these identifiers, and these portal
    accounts are ``to_person``'s again."""
    with db.transaction() as conn:
        for system, value in identifiers:
            conn.execute(
                "DELETE FROM person_identifiers WHERE person_id=? AND system=? AND value=?",
                (from_person, system, value),
            )
        for acc in portal_ids:
            conn.execute("UPDATE portal_accounts SET person_id=? WHERE id=?", (to_person, acc))


def household_portal_ids(db: Db, person_id: str) -> list[int]:
    """Ids of the portal accounts household.db holds for this person."""
    return [int(r[0]) for r in db.query("SELECT id FROM portal_accounts WHERE person_id=?", (person_id,))]


def hand_over(db: Db, from_person: str, to_person: str, identifiers: Iterable[tuple[str, str]]) -> None:
    """In one transaction: ``to_person`` gets these identifiers and ``from_person``'s household portals."""
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO person_identifiers(person_id, system, value) VALUES (?,?,?)",
            [(to_person, s, v) for s, v in identifiers],
        )
        conn.execute("UPDATE portal_accounts SET person_id=? WHERE person_id=?", (to_person, from_person))


def purge(db: Db, person_id: str, trash_key: str) -> None:
    """Delete a person's household rows for good (grants, identifiers, requests, the person, their Trash
    entry ``trash_key``); their portal accounts stay, of nobody in particular."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM grants WHERE person_id=?", (person_id,))
        conn.execute("DELETE FROM person_identifiers WHERE person_id=?", (person_id,))
        conn.execute("UPDATE portal_accounts SET person_id=NULL WHERE person_id=?", (person_id,))
        conn.execute("DELETE FROM record_requests WHERE person_id=?", (person_id,))
        conn.execute("DELETE FROM persons WHERE id=?", (person_id,))
        conn.execute("DELETE FROM settings WHERE key=?", (trash_key,))
