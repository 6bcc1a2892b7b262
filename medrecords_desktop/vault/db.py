"""SQLCipher connections: raw keys, the pragmas the security model depends on, and error mapping.

Every database is opened with a random 256-bit raw key (``PRAGMA key = "x'..'"``), so SQLCipher's own
passphrase KDF never runs; the key is hex generated here, never user text formatted into SQL.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from ..errors import VaultDamaged

CACHE_KIB = 64 * 1024
BULK_CACHE_KIB = 16 * 1024  # during Db.bulk_write
WAL_AUTOCHECKPOINT = 1000  # pages: SQLite's default

PRAGMAS = (
    "PRAGMA temp_store = MEMORY",  # FILE would spill plaintext rows into temp files
    "PRAGMA secure_delete = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    f"PRAGMA cache_size = -{CACHE_KIB}",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
)

_PAGE_RE = re.compile(r"page (\d+)")


class Db:
    """One SQLCipher database, used from any thread but one statement at a time (an RLock)."""

    def __init__(self, path: Path, key: bytes, label: str) -> None:
        self.path, self.label = Path(path), label
        self.lock = threading.RLock()
        self.closed = False
        if not self.path.exists():
            self.path.touch(mode=0o600)  # SQLite gives -wal/-shm the database file's mode
        self.conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
        # SQLCipher's own log would print page errors on stderr; we report them ourselves.
        self.conn.execute("PRAGMA cipher_log_level = NONE")
        try:
            self.conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            self.conn.execute("PRAGMA cipher_memory_security = OFF")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as e:
            page = self._damaged_page()
            self.conn.close()
            raise VaultDamaged(label, page, str(e)) from None
        for p in PRAGMAS:
            self.conn.execute(p)

    def _damaged_page(self) -> int | None:
        try:
            rows = self.conn.execute("PRAGMA cipher_integrity_check").fetchall()
        except sqlcipher3.DatabaseError:
            return 1
        for (msg,) in rows:
            m = _PAGE_RE.search(str(msg))
            if m:
                return int(m.group(1))
        return 1

    def integrity_problems(self) -> list[str]:
        with self.lock:
            out = [str(r[0]) for r in self.conn.execute("PRAGMA cipher_integrity_check").fetchall()]
            if out:
                return out  # quick_check would only fail on the same pages
            try:
                rows = self.conn.execute("PRAGMA quick_check").fetchall()
            except sqlcipher3.DatabaseError as e:
                return [f"quick_check failed: {e}"]
            out += [str(r[0]) for r in rows if r[0] != "ok"]
        return out

    def execute(self, sql: str, params: Any = ()) -> sqlcipher3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlcipher3.DatabaseError as e:
                if "not a database" in str(e) or "malformed" in str(e):
                    raise VaultDamaged(self.label, self._damaged_page(), str(e)) from None
                raise

    def one(self, sql: str, params: Any = ()) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception: all or nothing."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def pragma(self, name: str) -> Any:
        row = self.one(f"PRAGMA {name}")
        return row[0] if row else None

    def checkpoint(self) -> None:
        with self.lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def bulk_write(self) -> Iterator[None]:
        """Around one large write (tens of MiB, one transaction): a small cache, and no checkpoint at the commit.

        - A big batch would fill the whole page cache with new pages before the commit writes them
          out (64 MiB more at an import's peak); a 16 MiB cache spills them to the WAL as it goes,
          which costs no time: those pages are written either way.
        - SQLite checkpoints inside the COMMIT that crosses ``wal_autocheckpoint``; that copy (and its
          fsync) is a tenth of a second the user waits for, although the data is already durable in
          the WAL.  Here it runs on a helper thread once the write is done, while the caller reports
          back; readers wait for it at most as long as they would have.
        """
        with self.lock:
            self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            with self.lock:
                if not self.closed:
                    self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                    self.conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")
            threading.Thread(target=self._passive_checkpoint, name="wal-checkpoint", daemon=True).start()

    def _passive_checkpoint(self) -> None:
        with self.lock:
            if self.closed:
                return
            try:
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlcipher3.Error:
                pass  # a checkpoint that cannot run now runs at the next commit or at close

    def backup_to(self, dest: Path, key: bytes) -> None:
        """A consistent copy through SQLite's backup API, encrypted under the same key."""
        target = sqlcipher3.connect(str(dest))
        try:
            target.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            with self.lock:
                self.conn.backup(target)
        finally:
            target.close()

    def rekey(self, key: bytes) -> None:
        with self.lock:
            self.conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.DatabaseError:
                pass
            self.conn.close()
