"""One database's side of replication: turning captured rows into records, and merging records in.

A *record* is one version of one entity (a row of a replicated table, known everywhere by a global id)::

    {"t": table, "g": global id, "h": HLC, "b": [HLCs it replaces], "o": "put" | "del", "r": row}

``r`` holds the row's columns (bytes as {"$b": base64}; integer references to other rows as the global
ids of those rows); an item also carries its source text ("src") and full-text body ("fts").

Merge rules (the same result for the same records, in any order, any number of times):
- the version with the highest HLC is the one shown (materialised into the table);
- a version that no other version replaces ("b") and that is not shown is a *conflict*: kept with its
  record (``rep_ver.rec``) until a newer version names it in "b" (settling);
- deletions are versions ("del"); a reference to an entity not here yet is filled when it arrives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..vault.changes import HOUSEHOLD_TABLES, PERSON_TABLES
from ..vault.db import Db
from .format import b64, unb64

# columns that must point somewhere (the row waits until its target arrives)
REQUIRED_REFS = {("corrections", "item_id")}
# the order in which new rows are written (targets before the rows pointing at them)
ORDER = ["persons", "users", "person_identifiers", "imports", "items", "blobs", "kept", "corrections", "tombstones"]


def natural_gid(table: str, row: dict[str, Any]) -> str | None:
    """Entities that have a name of their own everywhere (a person, a content-addressed original)."""
    if table == "blobs":
        return "b:" + str(row["name"])
    if table == "kept":
        return f"k:{row['resource_type']}|{row['source_id']}" if row.get("source_id") else None
    if table == "persons":
        return "p:" + str(row["id"])
    if table == "users":
        return "u:" + str(row["id"])
    if table == "person_identifiers":
        return f"i:{row['person_id']}|{row['system']}|{row['value']}"
    return None


_NATURAL_WHERE = {
    "blobs": ("name",),
    "kept": ("resource_type", "source_id"),
    "persons": ("id",),
    "users": ("id",),
    "person_identifiers": ("person_id", "system", "value"),
}
_ROWID_COL = {"items": "id", "imports": "id", "corrections": "id", "kept": "id"}


def _enc(v: Any) -> Any:
    return {"$b": b64(bytes(v))} if isinstance(v, (bytes, bytearray, memoryview)) else v


def _dec(v: Any) -> Any:
    return unb64(v["$b"]) if isinstance(v, dict) else v


@dataclass
class ApplyResult:
    applied: int = 0
    skipped: int = 0  # already here (duplicates)
    conflicts: int = 0
    touched: set[str] = field(default_factory=set)


class Stream:
    """The replicated tables of one database (household.db or a person's database)."""

    def __init__(self, db: Db, household: bool) -> None:
        self.db = db
        self.household = household
        self.tables = HOUSEHOLD_TABLES if household else PERSON_TABLES
        self.cols: dict[str, list[str]] = {}
        for t in self.tables:
            names = [r[1] for r in db.query(f"PRAGMA table_info({t})")]
            self.cols[t] = [c for c in names if c != _ROWID_COL.get(t)]

    # ------------------------------------------------------------------ reading rows as records
    def _rows(self, conn: Any, table: str, rids: list[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        cols = self.cols[table]
        for i in range(0, len(rids), 900):
            chunk = rids[i : i + 900]
            marks = ",".join("?" * len(chunk))
            for t in conn.execute(f"SELECT rowid, {', '.join(cols)} FROM {table} WHERE rowid IN ({marks})", chunk):
                out[int(t[0])] = dict(zip(cols, t[1:], strict=True))
        if table == "items" and out:
            ids = list(out)
            for i in range(0, len(ids), 900):
                chunk = ids[i : i + 900]
                marks = ",".join("?" * len(chunk))
                for rid, fmt, raw in conn.execute(
                    f"SELECT item_id, raw_format, raw FROM sources WHERE item_id IN ({marks})", chunk
                ):
                    out[int(rid)]["src"] = [fmt, b64(bytes(raw)) if raw is not None else None]
                for rid, body in conn.execute(f"SELECT rowid, body FROM fts WHERE rowid IN ({marks})", chunk):
                    out[int(rid)]["fts"] = body
        return out

    def _gids_of(self, conn: Any, table: str, rids: Iterable[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        lst = list(set(rids))
        for i in range(0, len(lst), 900):
            chunk = lst[i : i + 900]
            marks = ",".join("?" * len(chunk))
            for rid, gid in conn.execute(
                f"SELECT rid, gid FROM rep_ids WHERE tbl=? AND rid IN ({marks})", [table, *chunk]
            ):
                out[int(rid)] = gid
        return out

    def _encode(self, conn: Any, table: str, rows: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
        refs = self.tables[table]
        for col, target in refs.items():
            want = [r[col] for r in rows.values() if r.get(col) is not None]
            gids = self._gids_of(conn, target, want) if want else {}
            for r in rows.values():
                if r.get(col) is not None:
                    r[col] = gids.get(int(r[col]))
        for r in rows.values():
            for c, v in r.items():
                if isinstance(v, (bytes, bytearray, memoryview)):
                    r[c] = _enc(v)
        return rows

    # ------------------------------------------------------------------ capture -> records
    def _assign_targets(self, conn: Any, device: str) -> None:
        """Global ids for new rows other rows can point at, before any is exported: a reference then
        resolves even when the row it names goes out in a later segment."""
        nxt = int(conn.execute("SELECT next_gid FROM rep_state").fetchone()[0])
        new = []
        for t in ("imports", "items"):
            if t not in self.tables:
                continue
            for (rid,) in conn.execute(
                f"SELECT d.rid FROM rep_dirty d JOIN {t} x ON x.rowid = d.rid WHERE d.tbl = ? AND NOT EXISTS"
                " (SELECT 1 FROM rep_ids i WHERE i.tbl = ? AND i.rid = d.rid)",
                (t, t),
            ).fetchall():
                new.append((f"{device}.{nxt}", t, int(rid)))
                nxt += 1
        if new:
            conn.executemany("INSERT INTO rep_ids(gid, tbl, rid, hlc, op) VALUES (?,?,?,'','new')", new)
            conn.execute("UPDATE rep_state SET next_gid=?", (nxt,))

    def export(self, conn: Any, device: str, hlc: Any, limit: int = 5000) -> list[dict[str, Any]]:
        """Records for up to ``limit`` captured changes (inside the caller's transaction); clears them."""
        self._assign_targets(conn, device)
        dirty = conn.execute("SELECT tbl, rid FROM rep_dirty ORDER BY tbl, rid LIMIT ?", (limit,)).fetchall()
        if not dirty:
            return []
        by_table: dict[str, list[int]] = {}
        for t, rid in dirty:
            if t in self.tables:
                by_table.setdefault(t, []).append(int(rid))
        state = conn.execute("SELECT next_gid FROM rep_state").fetchone()
        next_gid = int(state[0])
        records: list[dict[str, Any]] = []
        plans: list[tuple[str, int, dict[str, Any] | None, tuple[str, str, str] | None]] = []
        # 1. global ids for every changed row first, so references inside the batch resolve
        for table in [t for t in ORDER if t in by_table]:
            rids = by_table[table]
            rows = self._rows(conn, table, rids)
            known = {}
            for i in range(0, len(rids), 900):
                chunk = rids[i : i + 900]
                marks = ",".join("?" * len(chunk))
                for gid, rid, h, op in conn.execute(
                    f"SELECT gid, rid, hlc, op FROM rep_ids WHERE tbl=? AND rid IN ({marks})", [table, *chunk]
                ):
                    known[int(rid)] = (gid, h, op)
            for rid in rids:
                row = rows.get(rid)
                cur = known.get(rid)
                if row is None:
                    if cur is not None:
                        plans.append((table, rid, None, cur))
                    continue
                nat = natural_gid(table, row)
                if cur is not None and nat is not None and cur[0] != nat:
                    plans.append((table, rid, None, cur))  # the row now names another entity
                    conn.execute("UPDATE rep_ids SET rid=NULL WHERE gid=?", (cur[0],))
                    cur = None
                if cur is None:
                    gid = nat
                    prev = None
                    if gid is not None:
                        prev = conn.execute("SELECT gid, hlc, op FROM rep_ids WHERE gid=?", (gid,)).fetchone()
                    else:
                        gid = f"{device}.{next_gid}"
                        next_gid += 1
                    if prev is not None:
                        conn.execute("UPDATE rep_ids SET tbl=?, rid=? WHERE gid=?", (table, rid, gid))
                        cur = (prev[0], prev[1], prev[2])
                    else:
                        conn.execute(
                            "INSERT INTO rep_ids(gid, tbl, rid, hlc, op) VALUES (?,?,?,?,?)",
                            (gid, table, rid, "", "new"),
                        )
                        cur = (gid, "", "new")
                plans.append((table, rid, row, cur))
        conn.execute("UPDATE rep_state SET next_gid=?", (next_gid,))
        # 2. rows -> records, references as global ids
        encoded: dict[tuple[str, int], dict[str, Any]] = {}
        for table in by_table:
            rows = {rid: row for t, rid, row, _ in plans if t == table and row is not None}
            for rid, r in self._encode(conn, table, rows).items():
                encoded[(table, rid)] = r
        for table, rid, row, cur in plans:
            assert cur is not None
            gid, prev_hlc, _op = cur
            if prev_hlc:
                hlc.see(prev_hlc)  # a new version always sorts after the one it replaces
            h = hlc.tick()
            bases = [prev_hlc] if prev_hlc else []
            if row is None:
                rec = {"t": table, "g": gid, "h": h, "b": bases, "o": "del", "r": None}
                conn.execute("UPDATE rep_ids SET rid=NULL, hlc=?, op='del' WHERE gid=?", (h, gid))
            else:
                rec = {"t": table, "g": gid, "h": h, "b": bases, "o": "put", "r": encoded[(table, rid)]}
                conn.execute("UPDATE rep_ids SET hlc=?, op='put' WHERE gid=?", (h, gid))
            records.append(rec)
        conn.executemany("DELETE FROM rep_dirty WHERE tbl=? AND rid=?", dirty)
        return records

    def note_own(self, conn: Any, records: list[dict[str, Any]], device: str, user: str) -> None:
        """Book the versions this device wrote (they are already in the tables)."""
        conn.executemany("UPDATE rep_ids SET dev=?, user_id=? WHERE gid=?", [(device, user, r["g"]) for r in records])
        bases = [(r["g"], b) for r in records for b in r["b"]]
        conn.executemany("INSERT OR IGNORE INTO rep_base(gid, hlc) VALUES (?,?)", bases)
        conn.executemany("UPDATE rep_ver SET rec=NULL WHERE gid=? AND hlc=?", bases)

    # ------------------------------------------------------------------ records -> rows
    def apply(self, conn: Any, records: list[dict[str, Any]], device: str, user: str) -> ApplyResult:
        """Merge one segment's records (already checked: signature and role) inside the caller's
        transaction.  Idempotent and order-independent (see the module docstring)."""
        res = ApplyResult()
        if not records:
            return res
        conn.execute("UPDATE rep_state SET applying=1")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        try:
            self._apply(conn, records, device, user, res)
        finally:
            conn.execute("UPDATE rep_state SET applying=0")
        return res

    def _lookup(self, conn: Any, sql: str, keys: list[str]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        for i in range(0, len(keys), 900):
            chunk = keys[i : i + 900]
            out += conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
        return out

    def _apply(self, conn: Any, records: list[dict[str, Any]], device: str, user: str, res: ApplyResult) -> None:
        gids = list({r["g"] for r in records})
        have_ver = {(g, h) for g, h in self._lookup(conn, "SELECT gid, hlc FROM rep_ver WHERE gid IN ({marks})", gids)}
        based = {(g, h) for g, h in self._lookup(conn, "SELECT gid, hlc FROM rep_base WHERE gid IN ({marks})", gids)}
        ids = {
            g: (t, rid, h, op, dv, us)
            for g, t, rid, h, op, dv, us in self._lookup(
                conn, "SELECT gid, tbl, rid, hlc, op, dev, user_id FROM rep_ids WHERE gid IN ({marks})", gids
            )
        }
        fresh: list[dict[str, Any]] = []
        for r in records:
            cur = ids.get(r["g"])
            if (r["g"], r["h"]) in have_ver or (cur is not None and cur[2] == r["h"]):
                res.skipped += 1  # the shown version is in rep_ids, the others in rep_ver
                continue
            have_ver.add((r["g"], r["h"]))
            r["_d"], r["_u"] = device, user
            fresh.append(r)
        if not fresh:
            return
        new_bases = [(r["g"], b) for r in fresh for b in r["b"]]
        based |= set(new_bases)
        conn.executemany("INSERT OR IGNORE INTO rep_base(gid, hlc) VALUES (?,?)", new_bases)
        conn.executemany("UPDATE rep_ver SET rec=NULL WHERE gid=? AND hlc=? AND rec IS NOT NULL", new_bases)
        # the winner per entity among what is here and what arrives
        best: dict[str, dict[str, Any]] = {}
        for r in fresh:
            b = best.get(r["g"])
            if b is None or r["h"] > b["h"]:
                best[r["g"]] = r
        winners: dict[str, dict[str, Any]] = {}
        for g, r in best.items():
            cur = ids.get(g)
            if cur is None or not cur[2] or r["h"] > cur[2]:
                winners[g] = r
        # a shown version replaced by one that does not name it becomes a conflict: keep its record
        dethroned: list[tuple[str, str, str, int | None]] = []
        for g in winners:
            cur = ids.get(g)
            if cur is not None and cur[2] and (g, cur[2]) not in based:
                dethroned.append((g, cur[0], cur[2], cur[1]))
            if cur is not None and cur[2] and cur[3] != "new":
                # the version shown until now gets its own row (with its record when it becomes a conflict)
                conn.execute(
                    "INSERT OR IGNORE INTO rep_ver(gid, hlc, dev, user_id, op, rec) VALUES (?,?,?,?,?,NULL)",
                    (g, cur[2], cur[4], cur[5], cur[3]),
                )
        if dethroned:
            by_t: dict[str, list[int]] = {}
            for _g, t, _h, rid in dethroned:
                if rid is not None:
                    by_t.setdefault(t, []).append(rid)
            rows = {t: self._encode(conn, t, self._rows(conn, t, rids)) for t, rids in by_t.items()}
            for g, t, h, rid in dethroned:
                row = rows.get(t, {}).get(rid) if rid is not None else None
                rec: dict[str, Any] = {
                    "t": t,
                    "g": g,
                    "h": h,
                    "b": [],
                    "o": "put" if row is not None else "del",
                    "r": row,
                }
                conn.execute("UPDATE rep_ver SET rec=? WHERE gid=? AND hlc=?", (json.dumps(rec), g, h))
        vers = []
        for r in fresh:
            if r is winners.get(r["g"]):
                continue  # shown: kept in rep_ids
            keep = (r["g"], r["h"]) not in based
            vers.append((r["g"], r["h"], device, user, r["o"], json.dumps(r) if keep else None))
            res.conflicts += int(keep)
        conn.executemany("INSERT OR IGNORE INTO rep_ver(gid, hlc, dev, user_id, op, rec) VALUES (?,?,?,?,?,?)", vers)
        self.materialize(conn, list(winners.values()), ids, res)
        res.applied += len(fresh)

    def materialize(
        self, conn: Any, winners: list[dict[str, Any]], ids: dict[str, tuple[Any, ...]], res: ApplyResult
    ) -> None:
        """Write the shown versions into the tables (new rows first, so references inside resolve)."""
        winners.sort(key=lambda r: (ORDER.index(r["t"]) if r["t"] in ORDER else 99, r["h"]))
        rid_of: dict[str, int] = {}
        for g, cur in ids.items():
            if cur[1] is not None:
                rid_of[g] = int(cur[1])
        news: dict[str, list[dict[str, Any]]] = {}
        for r in winners:
            if r["t"] not in self.tables:
                continue
            cur = ids.get(r["g"])  # type: ignore[assignment]
            if r["o"] == "del":
                if cur is not None and cur[1] is not None:
                    self._delete(conn, r["t"], int(cur[1]))
                    rid_of.pop(r["g"], None)
                conn.execute(
                    "INSERT INTO rep_ids(gid, tbl, rid, hlc, op, dev, user_id) VALUES (?,?,NULL,?,'del',?,?)"
                    " ON CONFLICT(gid) DO UPDATE SET rid=NULL, hlc=excluded.hlc, op='del', dev=excluded.dev,"
                    " user_id=excluded.user_id",
                    (r["g"], r["t"], r["h"], r.get("_d", ""), r.get("_u", "")),
                )
                continue
            if cur is None or cur[1] is None:
                r["_new"] = True
                news.setdefault(r["t"], []).append(r)
            else:
                r["_new"] = False
                r["_rid"] = int(cur[1])
        # row ids for new rows of tables with an integer key, assigned up front
        for t, lst in news.items():
            if t in _ROWID_COL:
                nxt = int(conn.execute(f"SELECT coalesce(max(rowid), 0) + 1 FROM {t}").fetchone()[0])
                for r in lst:
                    r["_rid"] = nxt
                    rid_of[r["g"]] = nxt
                    nxt += 1
        # gids named by references but not in this batch
        wanted = {
            v
            for r in winners
            if r["o"] == "put" and r["r"]
            for c in self.tables[r["t"]]
            if isinstance(v := r["r"].get(c), str) and v not in rid_of
        }
        if wanted:
            for g, rid in self._lookup(
                conn, "SELECT gid, rid FROM rep_ids WHERE rid IS NOT NULL AND gid IN ({marks})", list(wanted)
            ):
                rid_of[g] = int(rid)
        fixes: list[tuple[str, str, int, str]] = []
        arrived: list[str] = []
        for t in ORDER:
            lst_new = news.get(t, [])
            lst_upd = [r for r in winners if r["t"] == t and r["o"] == "put" and not r["_new"]]
            if not lst_new and not lst_upd:
                continue
            cols = self.cols[t]
            refs = self.tables[t]
            ins_rows, upd_rows, held = [], [], []
            for r in lst_new + lst_upd:
                row = r["r"]
                vals = []
                blocked = None
                for c in cols:
                    v = _dec(row.get(c))
                    if c in refs and v is not None:
                        target = rid_of.get(v)
                        if target is None:
                            if (t, c) in REQUIRED_REFS:
                                blocked = v
                            elif "_rid" in r:
                                fixes.append((v, t, r["_rid"], c))
                        v = target
                    vals.append(v)
                if blocked is not None:
                    held.append((blocked, r["g"], r["h"], json.dumps(r)))
                    continue
                if r["_new"]:
                    ins_rows.append((r, vals))
                else:
                    upd_rows.append((r, vals))
            conn.executemany("INSERT OR REPLACE INTO rep_held(need, gid, hlc, rec) VALUES (?,?,?,?)", held)
            if t in _ROWID_COL:
                key = _ROWID_COL[t]
                marks = ",".join("?" * (len(cols) + 1))
                conn.executemany(
                    f"INSERT INTO {t}({key}, {', '.join(cols)}) VALUES ({marks})",
                    [(r["_rid"], *vals) for r, vals in ins_rows],
                )
            else:
                for r, vals in ins_rows:
                    rid = self._natural_rowid(conn, t, dict(zip(cols, vals, strict=True)))
                    if rid is None:
                        cur = conn.execute(
                            f"INSERT INTO {t}({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})", vals
                        )
                        rid = int(cur.lastrowid)
                    else:
                        upd_rows.append(({**r, "_rid": rid}, vals))
                    r["_rid"] = rid
                    rid_of[r["g"]] = rid
            if upd_rows:
                sets = ", ".join(f"{c}=?" for c in cols)
                conn.executemany(f"UPDATE {t} SET {sets} WHERE rowid=?", [(*vals, r["_rid"]) for r, vals in upd_rows])
            done = [r for r, _ in ins_rows] + [r for r, _ in upd_rows]
            if t == "items" and done:
                conn.executemany("DELETE FROM sources WHERE item_id=?", [(r["_rid"],) for r, _ in upd_rows])
                conn.executemany("DELETE FROM fts WHERE rowid=?", [(r["_rid"],) for r, _ in upd_rows])
                conn.executemany(
                    "INSERT INTO sources(item_id, raw_format, raw) VALUES (?,?,?)",
                    [
                        (r["_rid"], r["r"]["src"][0], unb64(r["r"]["src"][1]) if r["r"]["src"][1] else None)
                        for r in done
                        if r["r"].get("src")
                    ],
                )
                conn.executemany(
                    "INSERT INTO fts(rowid, title, body) VALUES (?,?,?)",
                    [(r["_rid"], r["r"].get("title") or "", r["r"]["fts"] or "") for r in done if "fts" in r["r"]],
                )  # an item deleted by hand has no text row
            conn.executemany(
                "INSERT INTO rep_ids(gid, tbl, rid, hlc, op, dev, user_id) VALUES (?,?,?,?,'put',?,?) ON CONFLICT(gid)"
                " DO UPDATE SET tbl=excluded.tbl, rid=excluded.rid, hlc=excluded.hlc, op='put', dev=excluded.dev,"
                " user_id=excluded.user_id",
                [(r["g"], t, r["_rid"], r["h"], r.get("_d", ""), r.get("_u", "")) for r in done],
            )
            arrived += [r["g"] for r, _ in ins_rows]
            res.touched.update(r["g"] for r in done)
        if fixes:
            conn.executemany("INSERT INTO rep_fix(need, tbl, rid, col) VALUES (?,?,?,?)", fixes)
        if arrived:
            self._resolve(conn, arrived, res)

    def _resolve(self, conn: Any, arrived: list[str], res: ApplyResult) -> None:
        """Fill references that waited for these entities; write rows that could not be written without them."""
        fix = self._lookup(
            conn,
            "SELECT f.need, f.tbl, f.rid, f.col, i.rid FROM rep_fix f JOIN rep_ids i ON"
            " i.gid=f.need WHERE i.rid IS NOT NULL AND f.need IN ({marks})",
            arrived,
        )
        for _need, tbl, rid, col, target in fix:
            if col in self.tables.get(tbl, {}):
                conn.execute(f"UPDATE {tbl} SET {col}=? WHERE rowid=?", (target, rid))
        if fix:
            self._lookup(conn, "DELETE FROM rep_fix WHERE need IN ({marks}) RETURNING 1", arrived)
        held = self._lookup(conn, "SELECT need, gid, hlc, rec FROM rep_held WHERE need IN ({marks})", arrived)
        if held:
            self._lookup(conn, "DELETE FROM rep_held WHERE need IN ({marks}) RETURNING 1", arrived)
            recs = []
            for _need, gid, hlc, rec in held:
                cur = conn.execute("SELECT tbl, rid, hlc, op FROM rep_ids WHERE gid=?", (gid,)).fetchone()
                if cur is None or cur[2] <= hlc:
                    d = json.loads(rec)
                    d.pop("_rid", None)
                    recs.append(d)
            if recs:
                ids = {
                    r["g"]: tuple(
                        conn.execute("SELECT tbl, rid, hlc, op FROM rep_ids WHERE gid=?", (r["g"],)).fetchone() or ()
                    )
                    for r in recs
                }
                self.materialize(conn, recs, {g: v for g, v in ids.items() if v}, res)

    def _natural_rowid(self, conn: Any, table: str, row: dict[str, Any]) -> int | None:
        keys = _NATURAL_WHERE.get(table)
        if not keys or any(row.get(k) is None for k in keys):
            return None
        found = conn.execute(
            f"SELECT rowid FROM {table} WHERE {' AND '.join(f'{k}=?' for k in keys)}", [row[k] for k in keys]
        ).fetchone()
        return int(found[0]) if found else None

    def _delete(self, conn: Any, table: str, rid: int) -> None:
        if table == "items":
            conn.execute("DELETE FROM fts WHERE rowid=?", (rid,))
            conn.execute("DELETE FROM sources WHERE item_id=?", (rid,))
        conn.execute(f"DELETE FROM {table} WHERE rowid=?", (rid,))

    # ------------------------------------------------------------------ conflicts
    def open_conflicts(self) -> dict[str, list[tuple[str, str, str, dict[str, Any]]]]:
        """gid -> [(hlc, device, user, record)] of versions not shown and not settled."""
        out: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
        for gid, hlc, dev, user, rec in self.db.query(
            "SELECT gid, hlc, dev, user_id, rec FROM rep_ver WHERE rec IS NOT NULL ORDER BY gid, hlc"
        ):
            out.setdefault(gid, []).append((hlc, dev, user, json.loads(rec)))
        return out

    def current(self, gid: str) -> tuple[str, int | None, str, str] | None:
        row = self.db.one("SELECT tbl, rid, hlc, op FROM rep_ids WHERE gid=?", (gid,))
        return (row[0], row[1], row[2], row[3]) if row else None

    def current_record(self, conn: Any, gid: str) -> dict[str, Any] | None:
        cur = conn.execute("SELECT tbl, rid, hlc, op FROM rep_ids WHERE gid=?", (gid,)).fetchone()
        if cur is None:
            return None
        t, rid, h, _op = cur
        row = self._encode(conn, t, self._rows(conn, t, [rid])).get(rid) if rid is not None else None
        return {"t": t, "g": gid, "h": h, "b": [], "o": "put" if row is not None else "del", "r": row}
