"""SQLCipher connections: raw keys, the pragmas the security model depends on, and error mapping.

Every database is opened with a random 256-bit raw key (``PRAGMA key = "x'..'"``), so SQLCipher's own
passphrase KDF never runs; the key is hex generated here, never user text formatted into SQL.

Errors: "not a database / malformed" becomes :class:`VaultDamaged`; SQLite's FULL, READONLY, IOERR,
BUSY/LOCKED and CANTOPEN (and the same conditions from the file system) become the typed errors of
:func:`storage_error`, whose messages say what to do.  A transaction that fails so is rolled back whole.

Reads never wait for a write: while another thread holds the connection (a long import transaction, a
checkpoint), :meth:`Db.query` reads the last committed state through a second, read-only connection
(WAL lets readers run beside the one writer).  Uncontended reads, and reads by the writing thread itself
(which must see its own uncommitted rows), use the main connection as before.
"""

from __future__ import annotations

import contextlib
import errno
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from ..errors import (
    VaultBusy,
    VaultCannotOpen,
    VaultDamaged,
    VaultFull,
    VaultIOError,
    VaultReadOnly,
    VaultStorageError,
)

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

# SQLite primary result codes (the low byte of the extended code) that the user can act on.
_SQLITE_CODES: dict[int, Callable[[str], VaultStorageError]] = {
    5: VaultBusy,  # SQLITE_BUSY: another connection holds a lock past busy_timeout
    6: VaultBusy,  # SQLITE_LOCKED
    8: VaultReadOnly,  # SQLITE_READONLY
    10: VaultIOError,  # SQLITE_IOERR
    13: VaultFull,  # SQLITE_FULL
    14: VaultCannotOpen,  # SQLITE_CANTOPEN
}
# File-system errors that can only be about the storage (blob files, the lock file, a new database).
_ERRNOS: dict[int, Callable[[str], VaultStorageError]] = {
    errno.ENOSPC: VaultFull,
    errno.EDQUOT: VaultFull,
    errno.EROFS: VaultReadOnly,
    errno.EIO: VaultIOError,
}
# ...and, where the vault's own files are being opened, also these.
_OPEN_ERRNOS: dict[int, Callable[[str], VaultStorageError]] = {
    **_ERRNOS,
    errno.EACCES: VaultReadOnly,
    errno.EPERM: VaultReadOnly,
    errno.ENOENT: VaultCannotOpen,
    errno.ENOTDIR: VaultCannotOpen,
}


def vault_folder(db_path: Path) -> Path:
    """The vault folder a database lives in (household.db at its top, persons/<pid>.db one below)."""
    return db_path.parent.parent if db_path.parent.name == "persons" else db_path.parent


def storage_error(exc: BaseException, folder: Path, opening: bool = False) -> VaultStorageError | None:
    """The typed error for a SQLite or OS failure of the storage itself, or None for anything else."""
    cls: Callable[[str], VaultStorageError] | None = None
    if isinstance(exc, sqlcipher3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int):
            cls = _SQLITE_CODES.get(code & 0xFF)
    elif isinstance(exc, OSError) and exc.errno is not None:
        cls = (_OPEN_ERRNOS if opening else _ERRNOS).get(exc.errno)
    return cls(str(folder)) if cls is not None else None


class Db:
    """One SQLCipher database, used from any thread but one statement at a time (an RLock)."""

    def __init__(self, path: Path, key: bytes, label: str) -> None:
        self.path, self.label = Path(path), label
        self.folder = vault_folder(self.path)
        self.lock = threading.RLock()
        self.closed = False
        self._key = key
        self._reader: sqlcipher3.Connection | None = None  # opened on the first read that meets a write
        self._read_lock = threading.Lock()
        try:
            if not self.path.exists():
                self.path.touch(mode=0o600)  # SQLite gives -wal/-shm the database file's mode
            self.conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
        except (OSError, sqlcipher3.Error) as e:
            raise (storage_error(e, self.folder, opening=True) or e) from None
        # SQLCipher's own log would print page errors on stderr; we report them ourselves.
        self.conn.execute("PRAGMA cipher_log_level = NONE")
        try:
            self.conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            self.conn.execute("PRAGMA cipher_memory_security = OFF")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as e:
            mapped = storage_error(e, self.folder, opening=True)
            page = None if mapped else self._damaged_page()
            self.conn.close()
            raise (mapped or VaultDamaged(label, page, str(e))) from None
        try:
            for p in PRAGMAS:
                self.conn.execute(p)
        except sqlcipher3.Error as e:
            self.conn.close()
            raise (storage_error(e, self.folder, opening=True) or e) from None

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
            try:
                return self.conn.execute(sql, params)
            except sqlcipher3.Error as e:
                raise (storage_error(e, self.folder) or e) from None

    def query(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        if not self.lock.acquire(blocking=False):  # another thread is writing: do not wait for it
            return self._read_committed(sql, params)
        try:
            return self._fetch(self.conn, sql, params)
        finally:
            self.lock.release()

    def _fetch(self, conn: sqlcipher3.Connection, sql: str, params: Any) -> list[tuple[Any, ...]]:
        try:
            rows: list[tuple[Any, ...]] = conn.execute(sql, params).fetchall()
            return rows
        except sqlcipher3.DatabaseError as e:
            if "not a database" in str(e) or "malformed" in str(e):
                page = self._damaged_page() if conn is self.conn else None  # the writer's is not ours to use
                raise VaultDamaged(self.label, page, str(e)) from None
            raise (storage_error(e, self.folder) or e) from None

    def _read_committed(self, sql: str, params: Any) -> list[tuple[Any, ...]]:
        """A read through the read-only connection: the last committed state, while a write goes on."""
        with self._read_lock:
            if self.closed:
                raise sqlcipher3.ProgrammingError("Cannot operate on a closed database.")
            if self._reader is None:
                self._reader = self._open_reader()
            return self._fetch(self._reader, sql, params)

    def _open_reader(self) -> sqlcipher3.Connection:
        conn = sqlcipher3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{self._key.hex()}'\"")
            conn.execute("PRAGMA cipher_memory_security = OFF")
            for p in PRAGMAS:
                if "journal_mode" not in p:  # WAL is a property of the file, set by the writer
                    conn.execute(p)
            conn.execute("PRAGMA query_only = ON")
        except sqlcipher3.Error as e:
            conn.close()
            raise (storage_error(e, self.folder, opening=True) or e) from None
        return conn

    def _close_reader(self) -> None:
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def one(self, sql: str, params: Any = ()) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception: all or nothing."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.Error as e:
                raise (storage_error(e, self.folder) or e) from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as e:
                if self.conn.in_transaction:  # SQLite rolls back by itself on some errors (FULL, IOERR)
                    with contextlib.suppress(sqlcipher3.Error):  # the first error is the one to report
                        self.conn.execute("ROLLBACK")
                mapped = storage_error(e, self.folder) if isinstance(e, (sqlcipher3.Error, OSError)) else None
                if mapped is not None:
                    raise mapped from None
                raise

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
            self._close_reader()
            self._key = key

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self._close_reader()
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.DatabaseError:
                pass
            self.conn.close()
