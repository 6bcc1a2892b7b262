"""Stored portal accounts (``portal_accounts``): in the person's own database, or in household.db for a
portal of nobody in particular.  Sign-ins and sync checkpoints live in ``meta`` (repos/meta.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..db import Db

COLUMNS = (
    "id",
    "name",
    "brand",
    "website",
    "fhir_base",
    "client_id",
    "person_id",
    "username",
    "notes",
    "status",
    "last_sync",
    "last_checked",
    "high_water",
    "patient_id",
)
# What a service may change with ``update`` (never the id, nor whose the portal is)
UPDATABLE = frozenset(COLUMNS) - {"id", "person_id"}


@dataclass(frozen=True, slots=True)
class StoredPortal:
    id: int
    name: str
    brand: str | None
    website: str | None
    fhir_base: str | None
    client_id: str | None
    person_id: str | None
    username: str | None
    notes: str | None
    status: str
    last_sync: str | None
    last_checked: str | None
    high_water: str | None
    patient_id: str | None


def all_in(db: Db) -> list[StoredPortal]:
    return [StoredPortal(*r) for r in db.query(f"SELECT {', '.join(COLUMNS)} FROM portal_accounts")]


def names_in(db: Db, *, with_api: bool) -> list[str]:
    """Names of the portals with a FHIR base (``with_api``) or with a website."""
    column = "fhir_base" if with_api else "website"
    return [str(r[0]) for r in db.query(f"SELECT name FROM portal_accounts WHERE {column} IS NOT NULL")]


def insert(
    db: Db,
    *,
    id: int,
    name: str,
    brand: str | None,
    website: str | None,
    fhir_base: str | None,
    client_id: str | None,
    person_id: str,
    username: str | None,
    notes: str | None,
    status: str,
    created: str,
) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO portal_accounts(id,name,brand,website,fhir_base,client_id,person_id,username,notes,"
            "status,created) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (id, name, brand, website, fhir_base, client_id, person_id, username, notes, status, created),
        )


def delete(db: Db, portal_id: int) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM portal_accounts WHERE id=?", (portal_id,))


def update(db: Db, portal_id: int, **cols: Any) -> None:
    """Set some of ``UPDATABLE``'s columns of one portal."""
    unknown = set(cols) - UPDATABLE
    if unknown:
        raise ValueError(f"not portal columns one may set: {sorted(unknown)}")
    if not cols:
        return
    sets = ", ".join(f"{k}=?" for k in cols)
    with db.transaction() as conn:
        conn.execute(f"UPDATE portal_accounts SET {sets} WHERE id=?", (*cols.values(), portal_id))
