"""Copying a person's items into another person's database: what a move or a merge writes.  The items,
their sources, search rows, corrections and visit marks are written as one import of kind ``move`` in the
destination (one transaction), each original re-encrypted under the destination's key; records the
destination holds already are folded into theirs, and those its user deleted stay out.  The caller puts
the source's part in the Trash (repos/trash.py) and checks who may do this."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..blobs import INLINE_MAX, BlobStore
from ..db import Db

_COLS = (
    "i.id, i.kind, i.date, i.date_end, i.title, i.status, i.code_system, i.code, i.display, i.value_num, i.unit,"
    " i.encounter_id, i.report_id, i.flags, i.data, i.import_id, i.source_kind, i.source_name, i.source_id,"
    " i.fingerprint, i.created, s.raw_format, s.raw, f.title, f.body"
)


@dataclass
class CopyOutcome:
    dst_import: int  # the destination's import that holds the copy
    started: str
    source_rowids: list[int]  # the live source items asked for (all of them leave the source)
    moved: int = 0  # items written into the destination
    folded: int = 0  # duplicates of what the destination already held
    skipped_deleted: int = 0  # the destination's user had deleted these
    by_kind: Counter[str] = field(default_factory=Counter)


def copy_items(
    src: Db,
    dst: Db,
    src_blobs: BlobStore,
    dst_blobs: BlobStore,
    rowids: Sequence[int],
    *,
    label: str,
    user_id: str,
    clock: Callable[[], str],
    progress: Callable[[int, int], None] | None = None,
) -> CopyOutcome:
    """Copy the live items ``rowids`` of ``src`` into ``dst`` (see the module's docstring); ``clock()`` gives
    the time stamps (ISO)."""
    now = clock()
    result = CopyOutcome(0, now, [])
    wanted = set(rowids)
    rows = [
        r
        for r in src.query(
            f"SELECT {_COLS} FROM items i LEFT JOIN sources s ON s.item_id=i.id LEFT JOIN fts f ON f.rowid=i.id"
            " WHERE i.deleted_at IS NULL ORDER BY i.id"
        )
        if r[0] in wanted
    ]
    total = len(rows)
    if progress:
        progress(0, total)
    # Identity in the destination, as the importer sees it: live source ids, then fingerprints.
    live_sid: dict[str, tuple[int, str]] = {}
    live_fp: dict[str, int] = {}
    for rid, sid, fp in dst.query("SELECT id, source_id, fingerprint FROM items WHERE deleted_at IS NULL"):
        if sid:
            live_sid.setdefault(sid, (rid, fp))
        if fp:
            live_fp.setdefault(fp, rid)
    dead_sid = {r[0] for r in dst.query("SELECT source_id FROM tombstones WHERE source_id IS NOT NULL")}
    dead_fp = {r[0] for r in dst.query("SELECT fingerprint FROM tombstones WHERE fingerprint IS NOT NULL")}
    new_blob_files: list[str] = []
    mapping: dict[int, int] = {}
    try:
        with dst.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO imports(started,source_kind,source_name,format,sha256,user_id) VALUES (?,?,?,?,?,?)",
                (now, "move", label, "moved", None, user_id),
            )
            dst_import = int(cur.lastrowid)
            next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0])
            fresh = []
            for r in rows:
                rid, sid, fp = r[0], r[18], r[19]
                if (sid and sid in dead_sid) or (fp and fp in dead_fp):
                    result.skipped_deleted += 1
                    continue
                hit = live_sid.get(sid) if sid else None
                if hit is not None and hit[1] == fp:
                    mapping[rid] = hit[0]
                    result.folded += 1
                    continue
                if fp and fp in live_fp:
                    mapping[rid] = live_fp[fp]
                    result.folded += 1
                    continue
                mapping[rid] = next_id
                next_id += 1
                fresh.append(r)
            item_rows: list[tuple[Any, ...]] = []
            source_rows: list[tuple[Any, ...]] = []
            fts_rows: list[tuple[Any, ...]] = []
            for n, r in enumerate(fresh):
                rid, sid, fp = r[0], r[18], r[19]
                if sid and sid in live_sid:  # the destination uses this id for another record
                    sid = f"{sid}#fp:{(fp or '')[:12]}"
                data_json = r[14] or "{}"
                if '"blob_id"' in data_json:
                    data = json.loads(data_json)
                    blob = data.get("blob_id")
                    if blob:
                        data["blob_id"] = _copy_blob(conn, src, src_blobs, dst_blobs, blob, new_blob_files)
                        data_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
                new_id = mapping[rid]
                enc = mapping.get(r[11]) if r[11] is not None else None
                rep = mapping.get(r[12]) if r[12] is not None else None
                item_rows.append(
                    (new_id, *r[1:11], enc, rep, r[13], data_json, dst_import, r[16], r[17], sid, fp, r[20])
                )
                if r[22] is not None:
                    source_rows.append((new_id, r[21], r[22]))
                fts_rows.append((new_id, r[23] if r[23] is not None else r[4], r[24] or ""))
                result.by_kind[r[1]] += 1
                if progress and n % 5000 == 0:
                    progress(n, total)
            conn.executemany(
                "INSERT INTO items(id,kind,date,date_end,title,status,code_system,code,display,value_num,unit,"
                "encounter_id,report_id,flags,data,import_id,source_kind,source_name,source_id,fingerprint,"
                "created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                item_rows,
            )
            conn.executemany("INSERT INTO sources(item_id, raw_format, raw) VALUES (?,?,?)", source_rows)
            conn.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", fts_rows)
            old_ids = [r[0] for r in fresh]
            for i in range(0, len(old_ids), 5000):
                chunk = old_ids[i : i + 5000]
                marks = ",".join("?" * len(chunk))
                for item_id, created, user, reason, original, corrected in src.query(
                    f"SELECT item_id, created, user_name, reason, original, corrected FROM corrections"
                    f" WHERE item_id IN ({marks}) ORDER BY id",
                    chunk,
                ):
                    conn.execute(
                        "INSERT INTO corrections(item_id,created,user_name,reason,original,corrected)"
                        " VALUES (?,?,?,?,?,?)",
                        (mapping[item_id], created, user, reason, original, corrected),
                    )
                for enc_id, rule, status, note, user, created in src.query(
                    f"SELECT encounter_id, rule_id, status, note, user_name, created FROM expectation_marks"
                    f" WHERE encounter_id IN ({marks})",
                    chunk,
                ):
                    conn.execute(
                        "INSERT OR IGNORE INTO expectation_marks VALUES (?,?,?,?,?,?)",
                        (mapping[enc_id], rule, status, note, user, created),
                    )
            result.moved = len(fresh)
            conn.execute(
                "UPDATE imports SET finished=?, counts=?, status='ok' WHERE id=?",
                (clock(), json.dumps({**result.by_kind, "kept_not_shown": 0}, sort_keys=True), dst_import),
            )
    except BaseException:
        for name in new_blob_files:
            if not dst.one("SELECT 1 FROM blobs WHERE name=?", (name,)):
                dst_blobs.delete(name)
        raise
    result.dst_import = dst_import
    result.source_rowids = [r[0] for r in rows]
    return result


def _copy_blob(conn: Any, src: Db, src_blobs: BlobStore, dst_blobs: BlobStore, name: str, written: list[str]) -> str:
    """An original re-encrypted under the destination person's key; returns its name there."""
    row = src.one("SELECT sha256, size, mime, created, data FROM blobs WHERE name=?", (name,))
    if row is None:
        return name  # nothing stored (should not happen): keep the reference as it was
    sha, size, mime, created, inline = row
    new_name = dst_blobs.name_for(sha)
    if conn.execute("SELECT 1 FROM blobs WHERE name=?", (new_name,)).fetchone():
        return str(new_name)
    if inline is not None or size <= INLINE_MAX:
        data = bytes(inline) if inline is not None else src_blobs.get(name, sha)
        conn.execute(
            "INSERT INTO blobs(name,sha256,size,mime,created,data) VALUES (?,?,?,?,?,?)",
            (new_name, sha, size, mime, created, data),
        )
    else:
        put_name, put_sha, _ = dst_blobs.put(src_blobs.iter_plain(name, sha))
        written.append(put_name)
        conn.execute(
            "INSERT INTO blobs(name,sha256,size,mime,created,data) VALUES (?,?,?,?,?,NULL)",
            (put_name, put_sha, size, mime, created),
        )
        new_name = put_name
    return str(new_name)
