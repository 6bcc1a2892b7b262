"""One person's ``imports`` table (a row per file or sync written, with its status and counts) and the
bookkeeping of an import's transaction around ``vault/store.py``'s item inserts: its row, its originals'
rows, the check for our own items coming home, and rolling an import back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..db import Db


@dataclass(frozen=True, slots=True)
class StoredImport:
    id: int
    started: str
    source_kind: str
    source_name: str | None
    format: str | None
    counts: str | None  # JSON: items added per kind (vault/store.py dumps_counts)
    status: str  # running | ok | failed | undone | moved | rolled back


def history(db: Db) -> list[StoredImport]:
    """Every import of this database, newest first."""
    return [
        StoredImport(*r)
        for r in db.query(
            "SELECT id, started, source_kind, source_name, format, counts, status FROM imports ORDER BY id DESC"
        )
    ]


def begin(
    conn: Any,
    *,
    started: str,
    source_kind: str,
    source_name: str | None,
    format: str | None,
    sha256: str | None,
    user_id: str,
) -> int:
    """The import's row, in the caller's transaction; returns its id."""
    cur = conn.execute(
        "INSERT INTO imports(started,source_kind,source_name,format,sha256,user_id) VALUES (?,?,?,?,?,?)",
        (started, source_kind, source_name, format, sha256, user_id),
    )
    return int(cur.lastrowid)


def finish(conn: Any, import_id: int, finished: str, counts: str) -> None:
    """Mark the import done, with its counts (in the caller's transaction)."""
    conn.execute("UPDATE imports SET finished=?, counts=?, status='ok' WHERE id=?", (finished, counts, import_id))


def add_blob_rows(conn: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """(name, sha256, size, mime, created, inline data or None) of originals, once each by name."""
    conn.executemany("INSERT OR IGNORE INTO blobs(name,sha256,size,mime,created,data) VALUES (?,?,?,?,?,?)", rows)


def blob_named(db: Db, name: str) -> bool:
    return db.one("SELECT 1 FROM blobs WHERE name=?", (name,)) is not None


def is_empty(db: Db) -> bool:
    """No items and no tombstones: a first import has nothing to compare with."""
    row = db.one("SELECT NOT EXISTS (SELECT 1 FROM items) AND NOT EXISTS (SELECT 1 FROM tombstones)")
    return bool(row and row[0])


def present_rowids(db: Db, rowids: Sequence[int]) -> set[int]:
    """Which of these row ids exist (live or in the Trash)."""
    if not rowids:
        return set()
    ids = list(rowids)
    return {int(r[0]) for r in db.query(f"SELECT id FROM items WHERE id IN ({','.join('?' * len(ids))})", ids)}


def roll_back(db: Db, import_id: int) -> None:
    """Remove what an import wrote (its items, their search rows, kept resources) and say so on its row."""
    with db.transaction() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE import_id=?", (import_id,))]
        for rid in ids:
            conn.execute("DELETE FROM fts WHERE rowid=?", (rid,))
        conn.execute("DELETE FROM items WHERE import_id=?", (import_id,))
        conn.execute("DELETE FROM kept WHERE import_id=?", (import_id,))
        conn.execute("UPDATE imports SET status='rolled back' WHERE id=?", (import_id,))


def get(db: Db, import_id: int) -> StoredImport | None:
    row = db.one(
        "SELECT id, started, source_kind, source_name, format, counts, status FROM imports WHERE id=?", (import_id,)
    )
    return None if row is None else StoredImport(*row)
