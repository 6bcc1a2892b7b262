"""household.db's ``users`` and ``grants`` tables: names and grants kept for display and for the audit log's
names.  Nothing is decided from them (the owner-signed roster, vault/roster.py, decides); services/access.py
writes them beside the roster."""

from __future__ import annotations

from ..db import Db


def name_in_use(db: Db, name: str) -> bool:
    """Whether an active user has this name (case-insensitively)."""
    return db.one("SELECT 1 FROM users WHERE name=? COLLATE NOCASE AND removed IS NULL", (name,)) is not None


def add(db: Db, user_id: str, name: str, role: str, created: str) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO users(id,name,role,created) VALUES (?,?,?,?)", (user_id, name, role, created))


def mark_removed(db: Db, user_id: str, when: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE users SET removed=? WHERE id=?", (when, user_id))


def set_grant(db: Db, user_id: str, person_id: str, scope: str, created: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO grants(user_id,person_id,scope,created) VALUES (?,?,?,?)",
            (user_id, person_id, scope, created),
        )


def delete_grant(db: Db, user_id: str, person_id: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM grants WHERE user_id=? AND person_id=?", (user_id, person_id))
