"""Change capture for replication (issue 20): SQLite triggers mark every changed row of a replicated
table in a local ``rep_dirty`` table, so services write as they always did and nothing is missed.

Installed only in vaults kept in a shared folder (``replica/config.json`` exists, see
medrecords_desktop/replica/): :func:`install` is idempotent (``IF NOT EXISTS``) and cheap, so the vault
calls :func:`install_if_replicated` each time it opens a database.  While the replica applies records
from other devices it sets ``rep_state.applying`` to 1 inside its transaction, so what it writes is not
captured again.

Tables replicated, and the integer columns that point at other rows (turned into global ids in records):
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .db import Db

# table -> {column: table it points at}
PERSON_TABLES: dict[str, dict[str, str]] = {
    "imports": {},
    "items": {"encounter_id": "items", "report_id": "items", "import_id": "imports"},
    "corrections": {"item_id": "items"},
    "tombstones": {"item_id": "items"},
    "blobs": {},
    "kept": {"import_id": "imports"},
}
HOUSEHOLD_TABLES: dict[str, dict[str, str]] = {"persons": {}, "users": {}, "person_identifiers": {}}
CONFIG = Path("replica") / "config.json"

_STATE = """
CREATE TABLE IF NOT EXISTS rep_state (k INTEGER PRIMARY KEY CHECK (k = 0), applying INTEGER NOT NULL DEFAULT 0,
    next_seq INTEGER NOT NULL DEFAULT 1, next_gid INTEGER NOT NULL DEFAULT 1);
INSERT OR IGNORE INTO rep_state(k) VALUES (0);
CREATE TABLE IF NOT EXISTS rep_dirty (tbl TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (tbl, rid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rep_ids (gid TEXT PRIMARY KEY, tbl TEXT NOT NULL, rid INTEGER, hlc TEXT NOT NULL,
    op TEXT NOT NULL DEFAULT 'put', dev TEXT NOT NULL DEFAULT '', user_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX IF NOT EXISTS rep_ids_row ON rep_ids(tbl, rid) WHERE rid IS NOT NULL;
CREATE TABLE IF NOT EXISTS rep_ver (gid TEXT NOT NULL, hlc TEXT NOT NULL, dev TEXT NOT NULL, user_id TEXT NOT NULL,
    op TEXT NOT NULL, rec TEXT, PRIMARY KEY (gid, hlc)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rep_ver_open ON rep_ver(gid) WHERE rec IS NOT NULL;
CREATE TABLE IF NOT EXISTS rep_base (gid TEXT NOT NULL, hlc TEXT NOT NULL, PRIMARY KEY (gid, hlc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rep_fix (need TEXT NOT NULL, tbl TEXT NOT NULL, rid INTEGER NOT NULL, col TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rep_fix_need ON rep_fix(need);
CREATE TABLE IF NOT EXISTS rep_held (need TEXT NOT NULL, gid TEXT NOT NULL, hlc TEXT NOT NULL, rec TEXT NOT NULL,
    PRIMARY KEY (need, gid, hlc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rep_seen (sha TEXT PRIMARY KEY, dev TEXT NOT NULL, seq INTEGER NOT NULL,
    user_id TEXT, records INTEGER NOT NULL, refused INTEGER NOT NULL DEFAULT 0, reason TEXT, hlc TEXT,
    applied TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rep_seen_dev ON rep_seen(dev, seq);
CREATE TABLE IF NOT EXISTS rep_keys (kid TEXT PRIMARY KEY, key BLOB NOT NULL)
"""


def _trigger_sql(table: str, extra_items_source: bool = False) -> list[str]:
    out = []
    for event, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = f"rep_{table}_{event[0].lower()}"
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} "
            f"WHEN (SELECT applying FROM rep_state) = 0 BEGIN "
            f"INSERT OR IGNORE INTO rep_dirty(tbl, rid) VALUES ('{table}', {ref}.rowid); END"
        )
    return out


def _source_triggers() -> list[str]:
    # an item's original source text changes with the item (update_item rewrites both)
    out = []
    for event, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS rep_sources_{event[0].lower()} AFTER {event} ON sources "
            f"WHEN (SELECT applying FROM rep_state) = 0 BEGIN "
            f"INSERT OR IGNORE INTO rep_dirty(tbl, rid) VALUES ('items', {ref}.item_id); END"
        )
    return out


def install(db: Db, household: bool) -> None:
    """Create the replica's tables and triggers in ``db`` (idempotent)."""
    tables = HOUSEHOLD_TABLES if household else PERSON_TABLES
    stmts = [s.strip() for s in _STATE.split(";") if s.strip()]
    for t in tables:
        stmts += _trigger_sql(t)
    if not household:
        stmts += _source_triggers()
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='rep_keys'").fetchone():
            return  # installed (rep_keys is the newest table)
        for s in stmts:
            conn.execute(s)


def replicated(vault_dir: Path) -> bool:
    return (Path(vault_dir) / CONFIG).exists()


def install_if_replicated(vault_dir: Path, db: Db, household: bool) -> None:
    if replicated(vault_dir):
        install(db, household)


def replica_device(vault_dir: Path) -> str | None:
    """This replica's device id (letters and digits), or None for a vault kept in one place."""
    import json

    try:
        dev = json.loads((Path(vault_dir) / CONFIG).read_text("utf-8")).get("device")
    except (OSError, ValueError):
        return None
    return dev if isinstance(dev, str) and dev.isalnum() else None
