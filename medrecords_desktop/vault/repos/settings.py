"""The ``settings`` key-value table of household.db (JSON text values): e.g. the people in the Trash."""

from __future__ import annotations

from ..db import Db


def get(db: Db, key: str) -> str | None:
    row = db.one("SELECT value FROM settings WHERE key=?", (key,))
    return None if row is None else str(row[0])


def with_prefix(db: Db, prefix: str) -> list[tuple[str, str]]:
    """(key, value) of the keys starting with ``prefix``, by key."""
    return [
        (str(k), str(v))
        for k, v in db.query("SELECT key, value FROM settings WHERE key LIKE ? ORDER BY key", (prefix + "%",))
    ]


def put(db: Db, key: str, value: str) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)", (key, value))


def delete(db: Db, key: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM settings WHERE key=?", (key,))
