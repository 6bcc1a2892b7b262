"""Changes to one person's stored items after they came in: a hand entry's author, corrections, the Trash
(delete, restore, empty).  Each function is one transaction on the person's database; access checks and
audit entries stay with the caller (services/editing.py).  Imports write through ``vault/store.py``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...model.records import dumps
from ..db import Db
from ..store import ROW_COLUMNS, Row


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction of an item: who, when, why, and the fields before and after."""

    created: str
    user: str | None
    reason: str | None
    original: dict[str, Any]
    corrected: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "user": self.user,
            "reason": self.reason,
            "original": self.original,
            "corrected": self.corrected,
        }


def max_rowid(db: Db) -> int:
    row = db.one("SELECT coalesce(max(id), 0) FROM items")
    return int(row[0]) if row else 0


def set_entered_by(db: Db, rowids: Sequence[int], who: str) -> None:
    """Record in items' data who entered them (typed by hand, or confirmed from a paper report); a row that
    already names someone keeps it."""
    with db.transaction() as conn:
        for rowid in rowids:
            got = conn.execute("SELECT data FROM items WHERE id=?", (rowid,)).fetchone()
            d = json.loads(got[0] or "{}") if got else {}
            if got and "entered_by" not in d:
                d["entered_by"] = who
                conn.execute("UPDATE items SET data=? WHERE id=?", (dumps(d), rowid))


def correct(
    db: Db,
    rowid: int,
    *,
    created: str,
    user_name: str,
    reason: str | None,
    original: Mapping[str, Any],
    changes: Mapping[str, Any],
    columns: Mapping[str, Any],
    data: Mapping[str, Any],
    flags: int,
) -> None:
    """Keep the correction (with the fields as they were) and apply it: ``columns`` are item columns to set,
    ``data`` the item's new data, ``flags`` its new flags; a new title is searchable at once."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO corrections(item_id,created,user_name,reason,original,corrected) VALUES (?,?,?,?,?,?)",
            (rowid, created, user_name, reason, dumps(dict(original)), dumps(dict(changes))),
        )
        sets = ", ".join(f"{k}=?" for k in columns)
        params = [*columns.values(), dumps(dict(data)), flags, rowid]
        conn.execute(f"UPDATE items SET {sets + ', ' if sets else ''}data=?, flags=? WHERE id=?", params)
        if "title" in changes:
            conn.execute("UPDATE fts SET title=? WHERE rowid=?", (changes["title"], rowid))


def corrections(db: Db, rowid: int) -> list[Correction]:
    """An item's corrections, oldest first."""
    return [
        Correction(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]))
        for r in db.query(
            "SELECT created,user_name,reason,original,corrected FROM corrections WHERE item_id=? ORDER BY id",
            (rowid,),
        )
    ]


def to_trash(db: Db, rowid: int, when: str) -> bool:
    """Move a live item to the Trash and leave a tombstone, so re-imports skip it; False when there is no
    live item ``rowid``."""
    row = db.one("SELECT source_id, fingerprint FROM items WHERE id=? AND deleted_at IS NULL", (rowid,))
    if row is None:
        return False
    with db.transaction() as conn:
        conn.execute("UPDATE items SET deleted_at=? WHERE id=?", (when, rowid))
        conn.execute(
            "INSERT INTO tombstones(source_id,fingerprint,item_id,deleted_at) VALUES (?,?,?,?)",
            (row[0], row[1], rowid, when),
        )
        conn.execute("DELETE FROM fts WHERE rowid=?", (rowid,))
    return True


def from_trash(db: Db, rowid: int, title: str, search_text: str) -> None:
    """Bring an item back from the Trash (its tombstone goes, it is searchable again)."""
    with db.transaction() as conn:
        conn.execute("UPDATE items SET deleted_at=NULL WHERE id=?", (rowid,))
        conn.execute("DELETE FROM tombstones WHERE item_id=?", (rowid,))
        conn.execute("INSERT INTO fts(rowid,title,body) VALUES (?,?,?)", (rowid, title, search_text))


def trashed(db: Db, except_unit_prefix: str) -> list[tuple[Row, str]]:
    """(row, deleted_at) of items in the Trash one by one, newest first: not those of a Trash unit (an undone
    import or a move, kept in ``meta`` under keys starting ``except_unit_prefix``)."""
    rows = db.query(
        f"SELECT {ROW_COLUMNS}, deleted_at FROM items WHERE deleted_at IS NOT NULL"
        " AND deleted_at NOT IN (SELECT json_extract(value, '$.deleted_at') FROM meta WHERE key LIKE ?)"
        " ORDER BY deleted_at DESC",
        (except_unit_prefix + "%",),
    )
    return [(Row.from_tuple(t[:-1]), str(t[-1])) for t in rows]


def empty_trash(db: Db, drop_blob: Callable[[str], None]) -> int:
    """Delete the items in the Trash for good (tombstones stay, unlinked from them); an original file no
    other item uses goes too (``drop_blob(name)`` removes its file).  Returns how many items went."""
    with db.transaction() as conn:
        gone = conn.execute(
            "SELECT id, json_extract(data,'$.blob_id') FROM items WHERE deleted_at IS NOT NULL"
        ).fetchall()
        for rowid, blob in gone:
            conn.execute("UPDATE tombstones SET item_id=NULL WHERE item_id=?", (rowid,))
            conn.execute("DELETE FROM items WHERE id=?", (rowid,))
            if (
                blob
                and not conn.execute("SELECT 1 FROM items WHERE json_extract(data,'$.blob_id')=?", (blob,)).fetchone()
            ):
                conn.execute("DELETE FROM blobs WHERE name=?", (blob,))
                drop_blob(blob)
            conn.execute("DELETE FROM fts WHERE rowid=?", (rowid,))
            conn.execute("DELETE FROM sources WHERE item_id=?", (rowid,))
    return len(gone)
