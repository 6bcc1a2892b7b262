"""Append-only audit logs: each entry signed by the user who wrote it, and chained.

Since vault header version 2 (see roster.py) every database keeps its own chain: household.db the
entries about nobody in particular (unlocks, users added), each person's database the entries about
that person (imports, views, exports, grants), so a proxy reads only the entries about the people
granted to them.  An entry is::

    hash_n = SHA-256(hash_{n-1} || canonical([chain, id, ts, user, action, person, item, detail]))
    sig_n  = Ed25519(writer's signing key, "medrecords-audit-v2\0" || hash_n)
    hash_0 = SHA-256("medrecords-audit-v2\0" || vault id || "\0" || chain)     (chain: "household" or a person id)

The writer's signing key lives only in their keyslot, and its public half is in the owner-signed
roster: nobody can add an entry in someone else's name, and changing or removing any entry breaks
every later hash, hence every later signature.  Cutting off the newest entries, or putting back an
older copy of a database, is what the device state catches (vault/device.py).

Entries written before the upgrade ("legacy", ``sig`` NULL) are verified the old way:
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .db import Db

GENESIS = b"\x00" * 32
_DOMAIN = b"medrecords-audit-v2\x00"


@dataclass
class AuditEntry:
    id: int
    ts: str
    user_id: str | None
    action: str
    person_id: str | None
    item_id: str | None
    detail: dict[str, Any]
    chain: str = "household"


def _canon(ts: str, user: str | None, action: str, person: str | None, item: str | None, detail: str) -> bytes:
    return json.dumps([ts, user, action, person, item, detail], separators=(",", ":")).encode()


def append(
    db: Db,
    key: bytes,
    user_id: str | None,
    action: str,
    person_id: str | None = None,
    item_id: str | None = None,
    detail: dict[str, Any] | None = None,
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
    """None when the legacy (HMAC) part of household.db's chain is intact, else the first bad id."""
    prev = GENESIS
    last_id = 0
    expected_id = None
    epochs = _epochs(db)
    signed = "sig" in {r[1] for r in db.query("PRAGMA table_info(audit)")}
    for rid, ts, user, action, person, item, detail, mac in db.query(
        "SELECT id,ts,user_id,action,person_id,item_id,detail,mac FROM audit"
        + (" WHERE sig IS NULL" if signed else "")
        + " ORDER BY id"
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


# ---------------------------------------------------------------------------- signed chains (v2)
def genesis(vault_id: str, chain: str) -> bytes:
    return hashlib.sha256(_DOMAIN + vault_id.encode() + b"\x00" + chain.encode()).digest()


def _canon2(
    chain: str, rid: int, ts: str, user: str | None, action: str, person: str | None, item: str | None, detail: str
) -> bytes:
    return json.dumps([chain, rid, ts, user, action, person, item, detail], separators=(",", ":")).encode()


def append_signed(
    db: Db,
    vault_id: str,
    chain: str,
    sign_private: bytes,
    user_id: str,
    action: str,
    person_id: str | None = None,
    item_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> tuple[int, bytes]:
    """Append one signed entry to ``db``'s chain; return (its id, its hash)."""
    from .roster import sign

    ts = datetime.now(UTC).isoformat(timespec="microseconds")  # orders entries across chains
    detail_s = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False)
    with db.transaction() as conn:
        last = conn.execute("SELECT id, hash FROM audit WHERE sig IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        top = conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
        prev = bytes(last[1]) if last else genesis(vault_id, chain)
        rid = int(top) + 1
        h = hashlib.sha256(prev + _canon2(chain, rid, ts, user_id, action, person_id, item_id, detail_s)).digest()
        sig = sign(sign_private, _DOMAIN + h)
        conn.execute(
            "INSERT INTO audit(id,ts,user_id,action,person_id,item_id,detail,mac,hash,sig)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (rid, ts, user_id, action, person_id, item_id, detail_s, b"", h, sig),
        )
        conn.execute("INSERT OR REPLACE INTO meta(key,value) VALUES ('audit_head2', ?)", (f"{rid}:{h.hex()}",))
    return rid, h


@dataclass
class ChainReport:
    chain: str
    bad: int | None = None  # the first bad entry's id
    reason: str = ""
    head: tuple[int, str] | None = None  # (id, hash hex) of the newest signed entry
    count: int = 0
    rolled_back: str = ""  # set when the chain is behind what this device saw (see device.py)
    checked: int = 0  # signatures checked
    legacy: int = 0  # entries from before the signed chain
    by_id: dict[int, str] = field(default_factory=dict)


def verify_chain(
    db: Db,
    vault_id: str,
    chain: str,
    sign_keys: Mapping[str, bytes] | None,
    seen: tuple[int, str] | None = None,
    legacy_key: bytes | None = None,
) -> ChainReport:
    """Check ``db``'s signed chain: every hash, and every signature after the position this device
    already verified (``seen``: any change before it changes the hash at ``seen`` too).  ``sign_keys``
    None: the roster could not be verified, so signatures are not checked (the caller says so)."""
    from .roster import verify_sig

    rep = ChainReport(chain)
    if legacy_key is not None:
        rep.bad = verify(db, legacy_key)
        if rep.bad is not None:
            rep.reason = "an entry from before the signed log was changed or removed"
            return rep
    prev = genesis(vault_id, chain)
    expected: int | None = None
    seen_ok = seen is None
    keys = {uid: k for uid, k in (sign_keys or {}).items()}
    for rid, ts, user, action, person, item, detail, h, sig in db.query(
        "SELECT id,ts,user_id,action,person_id,item_id,detail,hash,sig FROM audit ORDER BY id"
    ):
        rid = int(rid)
        rep.count += 1
        if sig is None:
            if expected is not None:
                return _bad(rep, rid, "an unsigned entry after the signed ones")
            rep.legacy += 1
            continue
        if expected is not None and rid != expected:
            return _bad(rep, expected, "the entry was removed")
        want = hashlib.sha256(prev + _canon2(chain, rid, ts, user, action, person, item, detail)).digest()
        if h is None or bytes(h) != want:
            return _bad(rep, rid, "the entry was changed")
        if seen is not None and rid == seen[0]:
            if want.hex() != seen[1]:
                return _bad(rep, rid, "the entry differs from the one this device saw")
            seen_ok = True
        elif seen is None or rid > seen[0]:
            if sign_keys is not None:
                pub = keys.get(str(user))
                if pub is None or not verify_sig(pub, bytes(sig), _DOMAIN + want):
                    return _bad(rep, rid, "its signature is not its writer's")
                rep.checked += 1
        prev, expected = want, rid + 1
        rep.head = (rid, want.hex())
    head = db.one("SELECT value FROM meta WHERE key='audit_head2'")
    if head and rep.head and head[0] != f"{rep.head[0]}:{rep.head[1]}":
        return _bad(rep, rep.head[0] + 1, "the newest entries were cut off")
    if head and not rep.head:
        return _bad(rep, 1, "the signed entries were removed")
    if not seen_ok and seen is not None:
        rep.rolled_back = f"it ends at entry {rep.head[0] if rep.head else 0}, but this device has seen entry {seen[0]}"
    return rep


def _bad(rep: ChainReport, rid: int, reason: str) -> ChainReport:
    rep.bad, rep.reason = rid, reason
    return rep


def entries(
    db: Db,
    *,
    user_id: str | None = None,
    person_id: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
    chain: str = "household",
) -> list[AuditEntry]:
    where: list[str] = []
    params: list[str | int] = []
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
        AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"), chain) for r in db.query(sql, params)
    ]
