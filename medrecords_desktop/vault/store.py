"""Reading and writing record items in one person's database.

Everything here works on one ``Db`` and local integer row ids; services/records.py turns those into
public ids (``<person id>.<row id>``) and merges results across the people a user may see.

Timeline paging is keyset paging on the index ``(kind, date DESC, id DESC)``: a page at depth 900k
costs the same as the first page, because no query ever uses OFFSET.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.records import KINDS, Document, Item, Observation, Provenance, RawResource, dumps, item_from_stored
from .db import Db

FLAG_DATE_ESTIMATED = 1
FLAG_ABNORMAL = 2
FLAG_CORRECTED = 4
FLAG_MANUAL = 8

ROW_COLUMNS = (
    "id, kind, date, date_end, title, status, code_system, code, display, value_num, unit, "
    "encounter_id, report_id, flags, data, import_id, source_kind, source_name, source_id, created"
)


@dataclass(slots=False)
class Row:
    """A stored item as the views need it (cheap to build for a page of 50)."""

    rowid: int
    kind: str
    date: str
    date_end: str | None
    title: str
    status: str | None
    code_system: str | None
    code: str | None
    display: str | None
    value_num: float | None
    unit: str | None
    encounter_id: int | None
    report_id: int | None
    flags: int
    data_json: str
    import_id: int | None
    source_kind: str | None
    source_name: str | None
    source_id: str | None
    created: str

    @classmethod
    def from_tuple(cls, t: Sequence[Any]) -> Row:
        return cls(*t)

    @functools.cached_property
    def data(self) -> dict[str, Any]:
        """Kind-specific fields, parsed on first use (a timeline page rarely needs them)."""
        return json.loads(self.data_json or "{}")  # type: ignore[no-any-return]

    @property
    def abnormal(self) -> bool:
        return bool(self.flags & FLAG_ABNORMAL)

    @property
    def corrected(self) -> bool:
        return bool(self.flags & FLAG_CORRECTED)

    def summary(self) -> str:
        if self.kind == "observation":
            if self.value_num is not None:
                from ..model.units import show_value  # units as people read them: lb, °F, mmHg

                v = show_value(self.value_num, None, self.unit)
            else:
                v = self.data.get("value_text") or ""
            if v and v not in self.title:
                return f"{self.title}: {v}"
        return self.title


LOOKUP_CHUNK = 5000  # bound parameters per IN (...) lookup; SQLite allows far more, this keeps SQL small
# Small fragments are stored as they are.  Compressing each 1 KB record (even with a preset dictionary
# of FHIR strings, which gives 3.5x) costs as much CPU as writing the bytes it saves, and on two cores
# that CPU competes with the database writer for the interpreter: measured, it made a 50 MB import
# 0.5 s slower.
RAW_COMPRESS_MIN = 4096


def pack_raw(raw: str) -> bytes:
    b = raw.encode("utf-8")
    return b"\x00" + zlib.compress(b, 1) if len(b) >= RAW_COMPRESS_MIN else b


def unpack_raw(blob: bytes) -> str:
    # source text never starts with NUL, so a NUL prefix marks a compressed fragment
    return (zlib.decompress(blob[1:]) if blob[:1] == b"\x00" else bytes(blob)).decode("utf-8")


def _flags(item: Item) -> int:
    f = 0
    if item.date_estimated:
        f |= FLAG_DATE_ESTIMATED
    if isinstance(item, Observation) and item.is_abnormal():
        f |= FLAG_ABNORMAL
    if item.corrected:
        f |= FLAG_CORRECTED
    if item.provenance.source_kind == "manual":
        f |= FLAG_MANUAL
    return f


def search_text(item: Item) -> str:
    parts = [item.note or "", item.text or ""]
    if item.display and item.display != item.title:
        parts.append(item.display)
    if isinstance(item, Observation) and item.value_text:
        parts.append(item.value_text)
    return "\n".join(p for p in parts if p)


def next_rowid(conn: Any) -> int:
    """Row ids are assigned up front (inside the write transaction) so a batch can be inserted with
    executemany and items can point at encounters and reports of the same batch."""
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0])


_INSERT_ITEM = (
    "INSERT INTO items(id,kind,date,date_end,title,status,code_system,code,display,value_num,unit,"
    "encounter_id,report_id,flags,data,import_id,source_kind,source_name,source_id,fingerprint,created)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
CHUNK = 5000


def _rows_for(
    batch: Sequence[tuple[int, Item, str, int | None, int | None]], import_id: int | None, now: str
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rows, sources, fts = [], [], []
    for rowid, item, fp, enc, rep in batch:
        p = item.provenance
        rows.append(
            (
                rowid,
                item.kind,
                item.date or "",
                item.date_end,
                item.title or "",
                item.status,
                item.code_system,
                item.code,
                item.display,
                item.value_num(),
                item.unit_str(),
                enc,
                rep,
                _flags(item),
                dumps(item.data()),
                import_id,
                p.source_kind,
                p.source_name,
                p.source_id,
                fp,
                now,
            )
        )
        if p.raw:
            sources.append((rowid, p.raw_format, pack_raw(p.raw)))
        fts.append((rowid, item.title or "", search_text(item)))
    return rows, sources, fts


def _write_rows(conn: Any, rows: list[Any], sources: list[Any], fts: list[Any]) -> None:
    conn.executemany(_INSERT_ITEM, rows)
    conn.executemany("INSERT INTO sources(item_id, raw_format, raw) VALUES (?,?,?)", sources)
    conn.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", fts)


def insert_items(
    conn: Any,
    batch: Sequence[tuple[int, Item, str, int | None, int | None]],
    import_id: int | None,
    now: str,
    on_chunk: Callable[[int], None] | None = None,
) -> None:
    """Insert (rowid, item, fingerprint, encounter rowid, report rowid) tuples in the caller's transaction.

    One thread, on purpose.  SQLite releases the GIL while it works, but the sqlite3 module takes it
    back for every row to bind the parameters; any Python running beside it (building the next rows,
    encrypting files) turns each of those 90k hand-overs into a wait for the interpreter's switch
    interval.  Measured: 0.8 s of inserts alone, 1.3 s pipelined with the row building, and far worse
    with the work of another thread.  Rows are built in chunks to bound memory; ``on_chunk(rows written)``
    follows them (it may raise to abandon the caller's transaction).  A batch of more than one chunk
    belongs inside ``Db.bulk_write``.
    """
    for i in range(0, max(len(batch), 1), CHUNK):  # an empty batch still reports (0 rows written)
        _write_rows(conn, *_rows_for(batch[i : i + CHUNK], import_id, now))
        if on_chunk is not None:
            on_chunk(min(i + CHUNK, len(batch)))


def insert_kept(conn: Any, res: RawResource, import_id: int | None, now: str, table: str = "kept") -> bool:
    """Keep a resource the model does not show; False when already kept (same type and id)."""
    assert table in ("kept", "shared_resources")
    cur = conn.execute(
        f"INSERT OR IGNORE INTO {table}(resource_type, source_id, raw_format, raw, import_id, created)"
        " VALUES (?,?,?,?,?,?)",
        (res.resource_type, res.source_id, res.raw_format, pack_raw(res.raw), import_id, now),
    )
    return int(cur.rowcount) > 0


def raw_source(db: Db, rowid: int) -> tuple[str | None, str | None]:
    row = db.one("SELECT raw_format, raw FROM sources WHERE item_id=?", (rowid,))
    if not row or row[1] is None:
        return None, None
    return row[0], unpack_raw(row[1])


def get_row(db: Db, rowid: int, include_deleted: bool = False) -> Row | None:
    sql = f"SELECT {ROW_COLUMNS} FROM items WHERE id=?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    t = db.one(sql, (rowid,))
    return Row.from_tuple(t) if t else None


def row_to_item(db: Db, row: Row, with_raw: bool = True) -> Item:
    common = {
        "title": row.title,
        "date": row.date or None,
        "date_end": row.date_end,
        "status": row.status,
        "code_system": row.code_system,
        "code": row.code,
        "display": row.display,
        "date_estimated": bool(row.flags & FLAG_DATE_ESTIMATED),
        "corrected": row.corrected,
    }
    item = item_from_stored(row.kind, common, row.data)
    raw_format, raw = raw_source(db, row.rowid) if with_raw else (None, None)
    item.provenance = Provenance(
        source_kind=row.source_kind or "file",
        source_name=row.source_name or "",
        source_id=row.source_id,
        raw=raw,
        raw_format=raw_format,
        import_id=row.import_id,
        imported_at=row.created,
        entered_by=row.data.get("entered_by"),
    )
    fts = db.one("SELECT body FROM fts WHERE rowid=?", (row.rowid,))
    if fts and isinstance(item, Document):
        item.text = fts[0] or None
    return item


def timeline_page(
    db: Db,
    kinds: Iterable[str] | None,
    date_from: str | None,
    date_to: str | None,
    after: tuple[str, int] | None,
    limit: int,
) -> list[Row]:
    """Newest first.  ``after`` = (date, rowid) of the last row seen: rows strictly older come back."""
    kinds = list(kinds or KINDS)
    # Few kinds: one index range per kind, merged.  Many kinds: walk the date index once.
    groups: list[tuple[str, list[str]]] = (
        [("items_kind_time", [k]) for k in kinds] if len(kinds) <= 3 else [("items_time", kinds)]
    )
    out: list[Row] = []
    for index, group in groups:
        where = ["deleted_at IS NULL"]
        params: list[Any] = []
        if len(group) == len(KINDS):
            pass
        elif len(group) == 1:
            where.append("kind = ?")
            params.append(group[0])
        else:
            where.append(f"kind IN ({','.join('?' * len(group))})")
            params += group
        if date_from:
            where.append("date >= ?")
            params.append(date_from)
        if date_to:
            where.append("date <= ?")
            params.append(date_to + "\uffff")
        if after is not None:
            where.append("(date, id) < (?, ?)")
            params += [after[0], after[1]]
        params.append(limit)
        sql = (
            f"SELECT {ROW_COLUMNS} FROM items INDEXED BY {index} WHERE {' AND '.join(where)}"
            " ORDER BY date DESC, id DESC LIMIT ?"
        )
        out.extend(Row.from_tuple(t) for t in db.query(sql, params))
    if len(groups) > 1:
        out.sort(key=lambda r: (r.date, r.rowid), reverse=True)
    return out[:limit]


def linked_items(db: Db, encounter_rowid: int) -> list[Row]:
    rows = db.query(
        f"SELECT {ROW_COLUMNS} FROM items WHERE encounter_id=? AND deleted_at IS NULL ORDER BY kind, date, id",
        (encounter_rowid,),
    )
    return [Row.from_tuple(t) for t in rows]


def report_results(db: Db, report_rowid: int) -> list[Row]:
    rows = db.query(
        f"SELECT {ROW_COLUMNS} FROM items WHERE report_id=? AND deleted_at IS NULL ORDER BY id", (report_rowid,)
    )
    return [Row.from_tuple(t) for t in rows]


def count_linked(db: Db, encounter_rowids: Sequence[int]) -> dict[int, int]:
    if not encounter_rowids:
        return {}
    marks = ",".join("?" * len(encounter_rowids))
    rows = db.query(
        f"SELECT encounter_id, count(*) FROM items WHERE encounter_id IN ({marks}) AND deleted_at IS NULL"
        " GROUP BY encounter_id",
        list(encounter_rowids),
    )
    return {int(a): int(b) for a, b in rows}


def counts_by_kind(db: Db) -> dict[str, int]:
    rows = db.query("SELECT kind, count(*) FROM items WHERE deleted_at IS NULL GROUP BY kind")
    out = dict.fromkeys(KINDS, 0)
    out.update({k: int(n) for k, n in rows})
    return out


def fts_query(text: str) -> str | None:
    """User text to a safe FTS5 query: every word quoted, the last one as a prefix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(db: Db, text: str, limit: int = 20) -> list[tuple[float, Row, str]]:
    q = fts_query(text)
    if q is None:
        return []
    # Items in the Trash keep their text (an undone import restores whole): the join leaves them out
    # before the LIMIT, so 30,000 trashed matches cannot crowd out the live ones.
    hits = db.query(
        "SELECT fts.rowid, bm25(fts, 5.0, 1.0) AS r, snippet(fts, -1, '[', ']', '…', 12) FROM fts"
        " JOIN items ON items.id = fts.rowid WHERE fts MATCH ? AND items.deleted_at IS NULL ORDER BY r LIMIT ?",
        (q, limit * 2),
    )
    out = []
    for rowid, rank, snip in hits:
        row = get_row(db, int(rowid))
        if row is not None:
            out.append((float(rank), row, snip))
        if len(out) >= limit:
            break
    return out


def find_by_source(db: Db, source_ids: Sequence[str]) -> dict[str, int]:
    """Existing rows for these source identifiers (chunked to respect SQLite's variable limit)."""
    found: dict[str, int] = {}
    ids = list(dict.fromkeys(s for s in source_ids if s))
    for i in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[i : i + LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        for sid, rowid in db.query(f"SELECT source_id, id FROM items WHERE source_id IN ({marks})", chunk):
            found.setdefault(sid, int(rowid))
    return found


def find_by_source_full(db: Db, source_ids: Sequence[str]) -> dict[str, tuple[int, str, int]]:
    """source id -> (row id, fingerprint, flags) of existing rows (deleted ones included)."""
    found: dict[str, tuple[int, str, int]] = {}
    ids = list(dict.fromkeys(s for s in source_ids if s))
    for i in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[i : i + LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        for sid, rowid, fp, flags in db.query(
            f"SELECT source_id, id, fingerprint, flags FROM items WHERE source_id IN ({marks})", chunk
        ):
            found.setdefault(sid, (int(rowid), fp, int(flags)))
    return found


def update_item(
    conn: Any, rowid: int, item: Item, fp: str, import_id: int | None, now: str, encounter_rowid: int | None
) -> None:
    """Replace a stored item's content with a newer version from the same source."""
    p = item.provenance
    conn.execute(
        "UPDATE items SET date=?, date_end=?, title=?, status=?, code_system=?, code=?, display=?, value_num=?,"
        " unit=?, encounter_id=coalesce(?, encounter_id), flags=?, data=?, import_id=?, fingerprint=? WHERE id=?",
        (
            item.date or "",
            item.date_end,
            item.title or "",
            item.status,
            item.code_system,
            item.code,
            item.display,
            item.value_num(),
            item.unit_str(),
            encounter_rowid,
            _flags(item),
            dumps(item.data()),
            import_id,
            fp,
            rowid,
        ),
    )
    conn.execute("DELETE FROM sources WHERE item_id=?", (rowid,))
    if p.raw:
        conn.execute(
            "INSERT INTO sources(item_id, raw_format, raw) VALUES (?,?,?)", (rowid, p.raw_format, pack_raw(p.raw))
        )
    conn.execute("DELETE FROM fts WHERE rowid=?", (rowid,))
    conn.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", (rowid, item.title or "", search_text(item)))


def existing_blobs(db: Db, names: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(names), LOOKUP_CHUNK):
        chunk = list(names[i : i + LOOKUP_CHUNK])
        marks = ",".join("?" * len(chunk))
        found |= {r[0] for r in db.query(f"SELECT name FROM blobs WHERE name IN ({marks})", chunk)}
    return found


def find_by_fingerprint(db: Db, fps: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ids = list(dict.fromkeys(fps))
    for i in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[i : i + LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        for fp, rowid in db.query(f"SELECT fingerprint, id FROM items WHERE fingerprint IN ({marks})", chunk):
            found.setdefault(fp, int(rowid))
    return found


def tombstoned(db: Db, source_ids: Sequence[str], fps: Sequence[str]) -> tuple[set[str], set[str]]:
    """Source ids and fingerprints of items the user deleted: a re-import must not bring them back."""
    s_ids: set[str] = set()
    f_ids: set[str] = set()
    if db.one("SELECT 1 FROM tombstones LIMIT 1") is None:
        return s_ids, f_ids  # nothing was ever deleted (the common case): no lookups
    for i in range(0, len(source_ids), LOOKUP_CHUNK):
        chunk = list(source_ids[i : i + LOOKUP_CHUNK])
        marks = ",".join("?" * len(chunk))
        s_ids |= {r[0] for r in db.query(f"SELECT source_id FROM tombstones WHERE source_id IN ({marks})", chunk)}
    for i in range(0, len(fps), LOOKUP_CHUNK):
        chunk = list(fps[i : i + LOOKUP_CHUNK])
        marks = ",".join("?" * len(chunk))
        f_ids |= {r[0] for r in db.query(f"SELECT fingerprint FROM tombstones WHERE fingerprint IN ({marks})", chunk)}
    return s_ids, f_ids


def dumps_counts(counts: dict[str, int], kept: int) -> str:
    return json.dumps({**counts, "kept_not_shown": kept}, sort_keys=True)
