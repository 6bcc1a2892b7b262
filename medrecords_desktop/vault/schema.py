"""Database schemas as ordered migrations (``PRAGMA user_version`` is the applied count).

Never edit a released migration: append a new one.  tests/test_migrations.py builds a database at
every earlier version, fills it, and migrates it to the latest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .db import Db

Migration = str | Callable[["Db"], None]

HOUSEHOLD: list[Migration] = [
    # 1: people, users, grants, audit
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE users (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT NULL,
        created TEXT NOT NULL, removed TEXT
    );
    CREATE TABLE persons (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, birth_date TEXT, sex TEXT, color TEXT,
        is_demo INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL
    );
    CREATE TABLE person_identifiers (
        person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        system TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (system, value, person_id)
    );
    CREATE TABLE grants (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        scope TEXT NOT NULL CHECK (scope IN ('view', 'manage')), created TEXT NOT NULL,
        PRIMARY KEY (user_id, person_id)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, ts TEXT NOT NULL, user_id TEXT, action TEXT NOT NULL,
        person_id TEXT, item_id TEXT, detail TEXT NOT NULL DEFAULT '{}', mac BLOB NOT NULL
    );
    CREATE INDEX audit_ts ON audit(ts);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: portal accounts and paper-records requests
    """
    CREATE TABLE portal_accounts (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, brand TEXT, website TEXT, fhir_base TEXT,
        client_id TEXT, person_id TEXT REFERENCES persons(id) ON DELETE SET NULL, username TEXT,
        notes TEXT, status TEXT NOT NULL DEFAULT 'new', last_sync TEXT, last_checked TEXT,
        high_water TEXT, patient_id TEXT, tokens TEXT, created TEXT NOT NULL
    );
    CREATE TABLE record_requests (
        id INTEGER PRIMARY KEY, person_id TEXT REFERENCES persons(id) ON DELETE CASCADE,
        provider TEXT NOT NULL, what TEXT NOT NULL, asked_on TEXT NOT NULL, due_on TEXT,
        status TEXT NOT NULL DEFAULT 'asked', notes TEXT, created TEXT NOT NULL
    );
    """,
    # 3: the household's directory of providers (organisations, practitioners, locations from imports)
    """
    CREATE TABLE shared_resources (
        id INTEGER PRIMARY KEY, resource_type TEXT NOT NULL, source_id TEXT, raw_format TEXT, raw BLOB,
        import_id INTEGER, created TEXT NOT NULL
    );
    CREATE UNIQUE INDEX shared_source ON shared_resources(resource_type, source_id) WHERE source_id IS NOT NULL;
    """,
    # 4: audit entries signed by their writer and hash-chained (vault/audit.py); older ones keep their HMAC
    """
    ALTER TABLE audit ADD COLUMN hash BLOB;
    ALTER TABLE audit ADD COLUMN sig BLOB;
    """,
]

PERSON: list[Migration] = [
    # 1: items, provenance, documents, full text
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, source_kind TEXT NOT NULL,
        source_name TEXT NOT NULL, format TEXT, sha256 TEXT, user_id TEXT, counts TEXT,
        status TEXT NOT NULL DEFAULT 'running'
    );
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        date TEXT NOT NULL DEFAULT '',
        date_end TEXT,
        title TEXT NOT NULL DEFAULT '',
        status TEXT,
        code_system TEXT,
        code TEXT,
        display TEXT,
        value_num REAL,
        unit TEXT,
        encounter_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        report_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        flags INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL DEFAULT '{}',
        import_id INTEGER REFERENCES imports(id),
        source_kind TEXT,
        source_name TEXT,
        source_id TEXT,
        fingerprint TEXT,
        created TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX items_kind_time ON items(kind, date DESC, id DESC);
    CREATE INDEX items_time ON items(date DESC, id DESC);
    CREATE INDEX items_encounter ON items(encounter_id) WHERE encounter_id IS NOT NULL;
    CREATE INDEX items_source ON items(source_id) WHERE source_id IS NOT NULL;
    CREATE INDEX items_fp ON items(fingerprint);
    CREATE INDEX items_code ON items(code, date) WHERE code IS NOT NULL;
    CREATE TABLE sources (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        raw_format TEXT, raw BLOB
    );
    CREATE TABLE kept (
        id INTEGER PRIMARY KEY, resource_type TEXT NOT NULL, source_id TEXT, raw_format TEXT,
        raw BLOB, import_id INTEGER REFERENCES imports(id), created TEXT NOT NULL
    );
    CREATE UNIQUE INDEX kept_source ON kept(resource_type, source_id) WHERE source_id IS NOT NULL;
    CREATE TABLE blobs (
        name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mime TEXT,
        created TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
    """,
    # 2: corrections (the original kept) and the user's deletions (re-import must not resurrect)
    """
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        created TEXT NOT NULL, user_name TEXT, reason TEXT, original TEXT NOT NULL, corrected TEXT NOT NULL
    );
    CREATE INDEX corrections_item ON corrections(item_id);
    CREATE TABLE tombstones (
        source_id TEXT, fingerprint TEXT, item_id INTEGER, deleted_at TEXT NOT NULL
    );
    CREATE INDEX tombstones_source ON tombstones(source_id);
    CREATE INDEX tombstones_fp ON tombstones(fingerprint);
    """,
    # 3: the user's answers about expected records (received on paper, not needed)
    """
    CREATE TABLE expectation_marks (
        encounter_id INTEGER NOT NULL, rule_id TEXT NOT NULL, status TEXT NOT NULL, note TEXT,
        user_name TEXT, created TEXT NOT NULL, PRIMARY KEY (encounter_id, rule_id)
    );
    """,
    # 4: items that no visit claims, by kind and date (the missing-records window fallback)
    """
    CREATE INDEX items_unlinked ON items(kind, date) WHERE encounter_id IS NULL AND deleted_at IS NULL;
    """,
    # 5: small originals stored in the database itself (NULL: an encrypted file, see vault/blobs.py)
    """
    ALTER TABLE blobs ADD COLUMN data BLOB;
    """,
    # 6: the audit entries about this person, signed by their writer (vault/audit.py), readable only
    #    by the users who may see the person
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, ts TEXT NOT NULL, user_id TEXT, action TEXT NOT NULL,
        person_id TEXT, item_id TEXT, detail TEXT NOT NULL DEFAULT '{}', mac BLOB NOT NULL DEFAULT x'',
        hash BLOB, sig BLOB
    );
    CREATE INDEX audit_ts ON audit(ts);
    """,
    # 7: the person's portal accounts and records requests, moved out of household.db (which every user
    #    can open) on the next unlock by a user who may see the person (Vault._move_private_rows)
    """
    CREATE TABLE portal_accounts (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, brand TEXT, website TEXT, fhir_base TEXT,
        client_id TEXT, person_id TEXT, username TEXT, notes TEXT, status TEXT NOT NULL DEFAULT 'new',
        last_sync TEXT, last_checked TEXT, high_water TEXT, patient_id TEXT, tokens TEXT, created TEXT NOT NULL
    );
    CREATE TABLE record_requests (
        id INTEGER PRIMARY KEY, person_id TEXT, provider TEXT NOT NULL, what TEXT NOT NULL,
        asked_on TEXT NOT NULL, due_on TEXT, status TEXT NOT NULL DEFAULT 'asked', notes TEXT,
        created TEXT NOT NULL
    );
    """,
]


def migrate(db: Db, migrations: list[Migration], upto: int | None = None) -> int:
    """Apply the migrations not yet applied (each in its own transaction); return the version."""
    target = len(migrations) if upto is None else upto
    version = int(db.pragma("user_version") or 0)
    while version < target:
        step = migrations[version]
        with db.transaction() as conn:
            if callable(step):
                step(db)
            else:
                for stmt in _statements(step):
                    conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        version += 1
    return version


def _statements(script: str) -> list[str]:
    # Our migrations contain no semicolons inside literals or triggers, so a split is exact.
    return [s.strip() for s in script.split(";") if s.strip()]
