"""The Trash's units in one person's database: an undone import, or what a move or merge took away, kept
as one entry (a JSON value in ``meta`` under ``trash.unit:<n>``) whose items carry the same ``deleted_at``
stamp and a ``~`` before their source id and fingerprint (so imports do not match them).  Restoring a unit
takes them back whole; emptying the Trash forgets it.  Items deleted one by one are in repos/edits.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..db import Db

UNIT_KEY = "trash.unit:"


@dataclass(slots=True)
class TrashUnit:
    num: int
    kind: str  # import | move
    label: str
    deleted_at: str  # the stamp its items carry
    count: int
    date: str | None = None  # the import's date, or the move's
    import_id: int | None = None  # the import undone or moved (this database's)
    to: str | None = None  # a move: the person who got the copy, and the import that wrote it there
    dst_import: int | None = None
    hidden: bool = False  # a merge's: the removed person stands for it in the Trash

    def to_value(self) -> str:
        d = {k: v for k, v in asdict(self).items() if k != "num" and v is not None and v is not False}
        return json.dumps(d)

    @classmethod
    def from_value(cls, num: int, value: str) -> TrashUnit:
        d = json.loads(value)
        return cls(
            num,
            d["kind"],
            d["label"],
            d["deleted_at"],
            int(d["count"]),
            d.get("date"),
            d.get("import_id"),
            d.get("to"),
            d.get("dst_import"),
            bool(d.get("hidden")),
        )


def units(db: Db) -> list[TrashUnit]:
    return [
        TrashUnit.from_value(int(k[len(UNIT_KEY) :]), v)
        for k, v in db.query("SELECT key, value FROM meta WHERE key LIKE ?", (UNIT_KEY + "%",))
    ]


def unit(db: Db, num: int) -> TrashUnit | None:
    row = db.one("SELECT value FROM meta WHERE key=?", (UNIT_KEY + str(num),))
    return None if row is None else TrashUnit.from_value(num, row[0])


def trash_items(db: Db, rowids: Sequence[int], unit: TrashUnit, import_status: str | None = None) -> TrashUnit:
    """Put these live items in the Trash as one new unit (``unit``'s num and count are filled in here);
    ``import_status`` is set on ``unit.import_id``'s row when given.  Returns the unit as stored."""
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE items SET deleted_at=?, source_id='~' || source_id, fingerprint='~' || fingerprint"
            " WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))",
            (unit.deleted_at, json.dumps(list(rowids))),
        )
        unit.count = cur.rowcount
        last = conn.execute("SELECT key FROM meta WHERE key LIKE ?", (UNIT_KEY + "%",)).fetchall()
        unit.num = max([int(k[0][len(UNIT_KEY) :]) for k in last] or [0]) + 1
        conn.execute("INSERT INTO meta(key, value) VALUES (?,?)", (UNIT_KEY + str(unit.num), unit.to_value()))
        if import_status and unit.import_id:
            conn.execute("UPDATE imports SET status=? WHERE id=?", (import_status, unit.import_id))
    return unit


def restore(db: Db, unit: TrashUnit) -> None:
    """Bring a unit's items back; those imported again since (a live copy with the same fingerprint) are
    dropped instead, keeping the newer copies.  The import undone is 'ok' again."""
    with db.transaction() as conn:
        back = json.dumps(
            [r[0] for r in conn.execute("SELECT id FROM items WHERE deleted_at=?", (unit.deleted_at,)).fetchall()]
        )
        conn.execute(
            "UPDATE items SET deleted_at=NULL, source_id=substr(source_id, 2), fingerprint=substr(fingerprint, 2)"
            " WHERE deleted_at=?",
            (unit.deleted_at,),
        )
        again = [
            r[0]
            for r in conn.execute(
                "SELECT a.id FROM items a WHERE a.id IN (SELECT value FROM json_each(?)) AND EXISTS"
                " (SELECT 1 FROM items b WHERE b.fingerprint=a.fingerprint AND b.deleted_at IS NULL"
                "  AND b.id NOT IN (SELECT value FROM json_each(?)))",
                (back, back),
            ).fetchall()
        ]
        for rid in again:
            hard_delete(conn, rid)
        conn.execute("DELETE FROM meta WHERE key=?", (UNIT_KEY + str(unit.num),))
        if unit.import_id:
            conn.execute("UPDATE imports SET status='ok' WHERE id=?", (unit.import_id,))


def remove_import(db: Db, import_id: int) -> list[str]:
    """Delete for good what one import wrote (a move's copy) and mark it 'undone'; returns the names of the
    originals no other item uses, whose files the caller deletes after this commit."""
    gone_blobs: list[str] = []
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT id, json_extract(data,'$.blob_id') FROM items WHERE import_id=?", (import_id,)
        ).fetchall()
        for rid, _blob in rows:
            hard_delete(conn, rid)
        for _rid, blob in rows:
            if (
                blob
                and not conn.execute("SELECT 1 FROM items WHERE json_extract(data,'$.blob_id')=?", (blob,)).fetchone()
            ):
                conn.execute("DELETE FROM blobs WHERE name=?", (blob,))
                gone_blobs.append(blob)
        conn.execute("UPDATE imports SET status='undone' WHERE id=?", (import_id,))
    return gone_blobs


def forget_units(db: Db, keep_hidden: bool) -> int:
    """Forget the units (their items are deleted by repos/edits.empty_trash); an undone import's kept
    resources go too.  ``keep_hidden``: a merge's units stay (the removed person still stands for them).
    Returns how many units there were."""
    with db.transaction() as conn:
        rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE ?", (UNIT_KEY + "%",)).fetchall()
        for key, value in rows:
            u = TrashUnit.from_value(int(key[len(UNIT_KEY) :]), value)
            if u.hidden and keep_hidden:
                continue
            if u.import_id and u.kind == "import":
                conn.execute("DELETE FROM kept WHERE import_id=?", (u.import_id,))
            conn.execute("DELETE FROM meta WHERE key=?", (key,))
    return len(rows)


def hard_delete(conn: Any, rowid: int) -> None:
    """Delete one item for good, with its source, search row and corrections, and the links to it."""
    conn.execute("DELETE FROM fts WHERE rowid=?", (rowid,))
    conn.execute("DELETE FROM sources WHERE item_id=?", (rowid,))
    conn.execute("DELETE FROM corrections WHERE item_id=?", (rowid,))
    conn.execute("UPDATE items SET encounter_id=NULL WHERE encounter_id=?", (rowid,))
    conn.execute("UPDATE items SET report_id=NULL WHERE report_id=?", (rowid,))
    conn.execute("DELETE FROM items WHERE id=?", (rowid,))
