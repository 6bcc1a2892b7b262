"""The ``meta`` key-value table of a database: small per-database state (sealed portal sign-ins, where a
sync stopped).  Values are stored as given (text or sealed bytes)."""

from __future__ import annotations

from typing import Any

from ..db import Db


def get(db: Db, key: str) -> Any:
    """The value under ``key``, or None."""
    row = db.one("SELECT value FROM meta WHERE key=?", (key,))
    return row[0] if row else None


def with_prefix(db: Db, prefix: str) -> list[tuple[str, Any]]:
    """(key, value) of every key that starts with ``prefix`` (LIKE wildcards in it are not escaped)."""
    return [(str(k), v) for k, v in db.query("SELECT key, value FROM meta WHERE key LIKE ?", (prefix + "%",))]


def put(db: Db, key: str, value: Any) -> None:
    with db.transaction() as conn:
        put_in(conn, key, value)


def put_in(conn: Any, key: str, value: Any) -> None:
    """``put`` inside a transaction the caller holds."""
    conn.execute("INSERT OR REPLACE INTO meta(key,value) VALUES (?,?)", (key, value))


def delete(db: Db, key: str) -> None:
    with db.transaction() as conn:
        delete_in(conn, key)


def delete_in(conn: Any, key: str) -> None:
    """``delete`` inside a transaction the caller holds."""
    conn.execute("DELETE FROM meta WHERE key=?", (key,))
