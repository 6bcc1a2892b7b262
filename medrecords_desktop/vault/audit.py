"""Append-only audit log, each entry chained to the previous one by an HMAC.

mac_n = HMAC(audit_key, mac_{n-1} || canonical(entry_n)); the head (last id and mac) is kept in
``meta`` in the same transaction, so an edited, removed or truncated entry breaks the chain.
The key derives from the household key: tamper-evidence against edits of the file, not against
someone who holds that key (said in the README).  When the household key changes (a user removed),
earlier entries stay signed by the earlier key, kept in ``meta`` (see add_epoch).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .db import Db

GENESIS = b"\x00" * 32


@dataclass
class AuditEntry:
    id: int
    ts: str
    user_id: str | None
    action: str
    person_id: str | None
    item_id: str | None
    detail: dict[str, Any]


def _canon(ts: str, user: str | None, action: str, person: str | None, item: str | None, detail: str) -> bytes:
    return json.dumps([ts, user, action, person, item, detail], separators=(",", ":")).encode()


def append(
    db: Db, key: bytes, user_id: str | None, action: str, person_id: str | None = None,
    item_id: str | None = None, detail: dict[str, Any] | None = None,
) -> None:
    ts = datetime.now(UTC).isoformat(timespec="seconds")
    detail_s = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False)
    with db.transaction() as conn:
        row = conn.execute("SELECT value FROM meta WHERE key='audit_head'").fetchone()
        prev = bytes.fromhex(row[0].split(":")[1]) if row else GENESIS
        mac = hmac.new(key, prev + _canon(ts, user_id, action, person_id, item_id, detail_s), hashlib.sha256).digest()
        cur = conn.execute(
            "INSERT INTO audit(ts,user_id,action,person_id,item_id,detail,mac) VALUES (?,?,?,?,?,?,?)",
            (ts, user_id, action, person_id, item_id, detail_s, mac),
        )
        conn.execute(
            "INSERT OR REPLACE INTO meta(key,value) VALUES ('audit_head', ?)", (f"{cur.lastrowid}:{mac.hex()}",)
        )


def add_epoch(conn: Any, old_key: bytes) -> None:
    """Before the household key changes: the entries so far stay signed by ``old_key``, the chain
    goes on under the new key.  Kept in ``meta`` of the database the new key opens (whoever reads it
    holds the new key, which can sign anything anyway); nothing already signed is signed again."""
    head = conn.execute("SELECT value FROM meta WHERE key='audit_head'").fetchone()
    last = int(head[0].split(":")[0]) if head else 0
    row = conn.execute("SELECT value FROM meta WHERE key='audit_epochs'").fetchone()
    epochs = json.loads(row[0]) if row else []
    epochs.append([last, old_key.hex()])
    conn.execute("INSERT OR REPLACE INTO meta(key,value) VALUES ('audit_epochs', ?)", (json.dumps(epochs),))


def _epochs(db: Db) -> list[tuple[int, bytes]]:
    """(last entry id, key) of each earlier household key, oldest first."""
    row = db.one("SELECT value FROM meta WHERE key='audit_epochs'")
    return [(int(last), bytes.fromhex(k)) for last, k in json.loads(row[0])] if row else []


def verify(db: Db, key: bytes) -> int | None:
    """None when the chain is intact, else the id of the first bad entry."""
    prev = GENESIS
    last_id = 0
    expected_id = None
    epochs = _epochs(db)
    for rid, ts, user, action, person, item, detail, mac in db.query(
        "SELECT id,ts,user_id,action,person_id,item_id,detail,mac FROM audit ORDER BY id"
    ):
        if expected_id is not None and rid != expected_id:
            return expected_id  # an entry was removed
        signer = next((k for last, k in epochs if rid <= last), key)
        want = hmac.new(signer, prev + _canon(ts, user, action, person, item, detail), hashlib.sha256).digest()
        if not hmac.compare_digest(want, bytes(mac)):
            return int(rid)
        prev, last_id, expected_id = bytes(mac), int(rid), int(rid) + 1
    head = db.one("SELECT value FROM meta WHERE key='audit_head'")
    if head:
        hid, hmac_hex = head[0].split(":")
        if int(hid) != last_id or hmac_hex != prev.hex():
            return last_id + 1  # the newest entries were cut off
    elif last_id:
        return 1
    return None


def entries(
    db: Db, *, user_id: str | None = None, person_id: str | None = None, action: str | None = None,
    since: str | None = None, until: str | None = None, limit: int = 500,
) -> list[AuditEntry]:
    where, params = [], []
    for col, val in (("user_id", user_id), ("person_id", person_id), ("action", action)):
        if val:
            where.append(f"{col} = ?")
            params.append(val)
    if since:
        where.append("ts >= ?")
        params.append(since)
    if until:
        where.append("ts <= ?")
        params.append(until + "\uffff")
    sql = "SELECT id,ts,user_id,action,person_id,item_id,detail FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [
        AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"))
        for r in db.query(sql, params)
    ]
