"""Rotating one person's key (after a revoke), or the household key (after a user is removed), so
the old key opens nothing, surviving kill -9.

Protocol; the header write in step 4 is the single commit point:
1. header.pending = {person, stage "started"}; the new key is sealed to the owner inside ``pending``.
2. ``persons/<pid>.rotating.db`` = sqlcipher_export of the database under the new key.
3. Every blob re-encrypted under the new key into ``blobs/<pid>.rotating/``; names updated in the new db.
4. Header: keepers' sealed keys replaced by the new key, the revoked user's removed, and the new
   owner-signed roster (the grant gone), stage "swap".  Keepers come from that roster only.
5. Swap files: old db closed (its WAL checkpointed away), rotating db renamed over it, blob folders
   swapped, pending cleared.
On open, :func:`recover` rolls an unfinished rotation back (before 4) or forward (after 4), so exactly
one key is valid for the person at every moment.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from ..fsutil import fsync_dir
from ..progress import Progress  # the core's one progress shape: (done, total, what)
from .blobs import BlobStore
from .crypto import new_key, seal, subkey
from .header import Header

if TYPE_CHECKING:
    from .db import Db
    from .roster import Roster
    from .vault import Vault


def _paths(vault_dir: Path, pid: str) -> tuple[Path, Path, Path, Path]:
    return (
        vault_dir / "persons" / f"{pid}.db",
        vault_dir / "persons" / f"{pid}.rotating.db",
        vault_dir / "blobs" / pid,
        vault_dir / "blobs" / f"{pid}.rotating",
    )


def rotate_person_key(
    vault: Vault, pid: str, drop_user: str | None, progress: Progress | None = None, roster: Roster | None = None
) -> None:
    """Give ``pid`` a new key; the users ``roster`` (the next, owner-signed version; default: the current
    one) says may see ``pid`` get it, nobody else (``drop_user`` is only recorded in ``pending``)."""
    roster = roster if roster is not None else vault.roster_copy()
    _db_path, new_db, _blob_dir, new_blob_dir = _paths(vault.path, pid)
    key = new_key()
    # 1. announce
    cleanup(vault.path, pid)
    _announce(vault, {"person": pid, "drop_user": drop_user}, pid, key)
    # 2. export the database under the new key
    if progress:
        progress(0, 1, "exporting the database")
    _export(vault.person_db(pid), new_db, key)
    # 3. re-encrypt the blobs and rename them in the new database
    blobs = _reencrypt(vault, pid, new_db, new_blob_dir, key, progress)
    for f in (new_db.with_name(new_db.name + "-journal"),):
        f.unlink(missing_ok=True)
    fsync_dir(new_db.parent)
    # 4. commit point: one atomic header write
    name = f"person:{pid}"
    in_header = {u.id for u in vault.header.users}
    for u in vault.header.users:
        u.keys.pop(name, None)  # every entry: names planted in vault.json go too
    vault.commit_roster(roster)
    keepers = [uid for uid in roster.holders(name) if uid in in_header]
    vault._keys[name] = key
    for uid in keepers:
        vault.seal_for(uid, name, key)
    if vault.user.id not in keepers:
        vault._keys.pop(name, None)
    vault.header.pending = {"person": pid, "stage": "swap"}
    vault.header.write(vault.path)
    if progress:
        progress(len(blobs), len(blobs), "switching keys")
    # 5. swap files
    vault.forget_person_db(pid)
    finish_swap(vault.path, vault.header)
    if progress:
        progress(len(blobs), len(blobs), "done")


def rekey_local(vault: Vault, pid: str, key: bytes) -> None:
    """Replication: the person's key was rotated on another device; move this device's copy (database and
    original files) to it.  The new names of the originals are the ones the rotating device gave them, so
    the records it sends about them find the rows here (the replica's own tables are kept in step)."""
    db_path, new_db, blob_dir, new_blob_dir = _paths(vault.path, pid)
    cleanup(vault.path, pid)
    _export(vault.person_db(pid), new_db, key)
    _reencrypt(vault, pid, new_db, new_blob_dir, key, None, replica=True)
    vault.forget_person_db(pid)
    _swap_db(db_path, new_db)
    if new_blob_dir.exists():
        old = blob_dir.with_name(f"{pid}.old")
        if blob_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(blob_dir, old)
        os.replace(new_blob_dir, blob_dir)
        shutil.rmtree(old, ignore_errors=True)


def _reencrypt(
    vault: Vault,
    pid: str,
    new_db: Path,
    new_blob_dir: Path,
    key: bytes,
    progress: Progress | None,
    replica: bool = False,
) -> list[tuple[str, str, int]]:
    """Re-encrypt the person's original files under ``key`` and rename them in the exported database."""
    old_store = vault.blob_store(pid)
    new_store = BlobStore(new_blob_dir, subkey(key, "blob-aead"), subkey(key, "blob-name"))
    conn = _connect(new_db, key)
    try:
        blobs: list[tuple[str, str, int]] = conn.execute("SELECT name, sha256, data IS NOT NULL FROM blobs").fetchall()
        renames: dict[str, str] = {}
        for n, (name, sha, inline) in enumerate(blobs):
            if progress:
                progress(n, len(blobs), "re-encrypting documents")
            if inline:  # already re-encrypted: it is part of the exported database
                renames[name] = new_store.name_for(sha)
                continue
            new_name, new_sha, _ = new_store.put(old_store.iter_plain(name, sha))
            assert new_sha == sha
            renames[name] = new_name
        conn.execute("BEGIN")
        if replica:
            # what changes here is what the rotating device sends: not captured as this device's change
            conn.execute("UPDATE rep_state SET applying=1")
            for old, new in renames.items():
                if old != new:
                    # the rotating device sends the renamed original as a new entity: this row waits for it
                    conn.execute(
                        "UPDATE rep_ids SET gid=?, hlc='', op='new' WHERE gid=? AND tbl='blobs'",
                        ("b:" + new, "b:" + old),
                    )
        for old, new in renames.items():
            conn.execute("UPDATE blobs SET name=? WHERE name=?", (new, old))
        for rowid, data in conn.execute("SELECT id, data FROM items WHERE kind='document'").fetchall():
            d = json.loads(data)
            if d.get("blob_id") in renames:
                d["blob_id"] = renames[d["blob_id"]]
                conn.execute(
                    "UPDATE items SET data=? WHERE id=?",
                    (json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False), rowid),
                )
        if replica:
            conn.execute("UPDATE rep_state SET applying=0")
        conn.execute("COMMIT")
    finally:
        conn.close()
    return blobs


def rotate_household_key(
    vault: Vault, drop_user: str, progress: Progress | None = None, roster: Roster | None = None
) -> None:
    """Remove ``drop_user`` from the vault and give the household database a new key.

    A removed user held the household key (every user does: it opens the list of people and the
    audit log).  With a copy of an old vault.json and their passphrase they could still open
    household.db; after this, that key opens nothing.  Same protocol as a person's rotation: the
    header write that drops the user and seals the new key to everyone else is the commit point,
    and :func:`recover` finishes or undoes the rotation on the next open after a crash.

    The audit chain is not re-signed (that would also hide any earlier tampering): the old audit key
    and the last entry it signed are kept in the new database's ``meta``, and the chain continues
    under the new key (see audit.verify).
    """
    from .audit import add_epoch

    vault_dir = vault.path
    roster = roster if roster is not None else vault.roster_copy()
    new_db = vault_dir / "household.rotating.db"
    key = new_key()
    # 1. announce
    _remove_db(new_db)
    _announce(vault, {"household": True, "drop_user": drop_user}, "household", key)
    if progress:
        progress(0, 2, "exporting the household database")
    # 2. export under the new key; the audit chain goes on under the new audit key
    _export(vault.household, new_db, key)
    conn = _connect(new_db, key)
    try:
        add_epoch(conn, vault.audit_key)
    finally:
        conn.close()
    fsync_dir(vault_dir)
    # 3. commit point: the user gone and the new key sealed to everyone else, in one header write
    vault.header.users = [u for u in vault.header.users if u.id != drop_user]
    in_header = {u.id for u in vault.header.users}
    for u in vault.header.users:
        u.keys.pop("household", None)
    vault.rebox_names(roster, key)
    vault.commit_roster(roster)
    for uid in roster.holders("household"):
        if uid in in_header:
            vault.seal_for(uid, "household", key)
    vault.header.pending = {"household": True, "stage": "swap"}
    vault.header.write(vault_dir)
    if progress:
        progress(1, 2, "switching the household key")
    # 4. swap files and carry on under the new key
    vault.household.close()
    finish_swap(vault_dir, vault.header)
    vault.reopen_household(key)
    if progress:
        progress(2, 2, "done")


def _announce(vault: Vault, pending: dict[str, object], label: str, key: bytes) -> None:
    """Step 1 of a rotation: the header says what is being rotated, with the new key sealed to the owner."""
    from .crypto import b64d

    roster = vault.roster_copy()
    sealed = seal(b64d(roster.users[roster.owner].box), key, f"{vault.header.vault_id}:pending:{label}")
    vault.header.pending = {**pending, "stage": "started", "sealed_for_owner": sealed}
    vault.header.write(vault.path)


def _export(db: Db, new_db: Path, key: bytes) -> None:
    """Step 2: a copy of ``db`` (schema version included) encrypted under ``key``."""
    db.checkpoint()
    with db.lock:
        db.conn.execute(f"ATTACH DATABASE ? AS rotated KEY \"x'{subkey(key, 'sqlcipher').hex()}'\"", (str(new_db),))
        try:
            db.conn.execute("SELECT sqlcipher_export('rotated')")
            version = db.conn.execute("PRAGMA user_version").fetchone()[0]
            db.conn.execute(f"PRAGMA rotated.user_version = {int(version)}")
        finally:
            db.conn.execute("DETACH DATABASE rotated")


def _connect(new_db: Path, key: bytes) -> sqlcipher3.Connection:
    """The exported copy, opened to finish it before the commit point."""
    conn = sqlcipher3.connect(str(new_db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{subkey(key, 'sqlcipher').hex()}'\"")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def finish_swap(vault_dir: Path, header: Header) -> None:
    if header.pending.get("household"):
        _swap_db(vault_dir / "household.db", vault_dir / "household.rotating.db")
        header.pending = {}
        header.write(vault_dir)
        return
    pid = header.pending["person"]
    db_path, new_db, blob_dir, new_blob_dir = _paths(vault_dir, pid)
    _swap_db(db_path, new_db)
    if new_blob_dir.exists():
        old = blob_dir.with_name(f"{pid}.old")
        if blob_dir.exists():
            if old.exists():
                shutil.rmtree(old)
            os.replace(blob_dir, old)
        os.replace(new_blob_dir, blob_dir)
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(blob_dir.with_name(f"{pid}.old"), ignore_errors=True)
    header.pending = {}
    header.write(vault_dir)


def _swap_db(db_path: Path, new_db: Path) -> None:
    if new_db.exists():
        for suffix in ("-wal", "-shm", "-journal"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(new_db, db_path)
        fsync_dir(db_path.parent)


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def cleanup(vault_dir: Path, pid: str) -> None:
    _, new_db, _, new_blob_dir = _paths(vault_dir, pid)
    _remove_db(new_db)
    shutil.rmtree(new_blob_dir, ignore_errors=True)


def recover(vault_dir: Path, header: Header) -> None:
    """Finish (after the commit point) or undo (before it) a rotation a crash interrupted."""
    if not header.pending:
        return
    if header.pending.get("stage") == "swap":
        finish_swap(vault_dir, header)
    else:
        if header.pending.get("household"):
            _remove_db(vault_dir / "household.rotating.db")
        else:
            cleanup(vault_dir, header.pending["person"])
        header.pending = {}
        header.write(vault_dir)
