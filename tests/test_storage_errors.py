"""The storage says no: a full disk, a read-only folder, a locked database, a file that cannot be opened.

Each failure is made real (SQLite's own ``max_page_count``, ``query_only``, a second connection holding
the write lock, a read-only mount, a folder where a database file should be), and each test checks
the message a person sees (the CLI's one line, the import report, the GUI's message box) and that
nothing was half-written: the vault's databases and blob files are exactly as before.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from medrecords_desktop.errors import (
    VaultBusy,
    VaultCannotOpen,
    VaultFull,
    VaultIOError,
    VaultReadOnly,
)
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault import db as db_module
from medrecords_desktop.vault.crypto import subkey
from medrecords_desktop.vault.vault import Vault
from tests.conftest import PASSPHRASE

FULL = "is full: nothing was saved. Free some disk space, then try again."
READ_ONLY = "is read-only: nothing was saved. Check the folder's permissions"
BUSY = "is in use by another program"
CANNOT_OPEN = "Check that the folder exists and is reachable"


def make_bundle_file(tmp_path: Path, n: int) -> Path:
    """A FHIR bundle from the import benchmark's generator (one patient, n resources)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from bench_fhir_parse import make_bundle
    finally:
        sys.path.pop(0)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(make_bundle(n), separators=(",", ":")))
    return path


def snapshot(vault: Vault) -> dict[str, Any]:
    """Every row of every table of every database, and every blob file (name and size)."""
    out: dict[str, Any] = {}
    dbs = {"household": vault.household, **{p.id or "": vault.person_db(p.id or "") for p in vault.persons()}}
    for name, db in dbs.items():
        tables = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            if "fts" in t:  # full-text shadow tables follow the items table; their blocks are not comparable
                continue
            out[f"{name}.{t}"] = db.query(f'SELECT * FROM "{t}" ORDER BY rowid')
    blobs = vault.path / "blobs"
    out["blob files"] = (
        sorted((str(p.relative_to(blobs)), p.stat().st_size) for p in blobs.rglob("*") if p.is_file())
        if blobs.exists()
        else []
    )
    return out


def _person_db(vault: Vault, name: str) -> db_module.Db:
    return vault.person_db(vault.person(name).id or "")


# --------------------------------------------------------------------------- a full disk
def test_full_disk_during_an_import_leaves_the_vault_as_it_was(vault: Vault, tmp_path: Path) -> None:
    bundle = make_bundle_file(tmp_path, 1200)
    db = _person_db(vault, "Alice Example")
    before = snapshot(vault)
    pages = db.pragma("page_count")
    db.execute(f"PRAGMA max_page_count = {pages + 40}")  # room for a start, not for the whole file

    report = ImportService(vault).import_paths([bundle], ImportOptions(person="Alice Example", force=True))
    (f,) = report.files
    assert f.status == "failed"
    assert f.error == str(VaultFull(str(vault.path)))
    assert FULL in (f.error or "") and str(vault.path) in (f.error or "")
    assert snapshot(vault) == before

    db.execute("PRAGMA max_page_count = 1073741823")  # space again: the same import now goes through
    report = ImportService(vault).import_paths([bundle], ImportOptions(person="Alice Example", force=True))
    assert report.files[0].status == "ok" and sum(report.added.values()) > 1000


def test_full_disk_in_the_cli_is_one_line(cli_env: dict[str, str], tmp_path: Path, monkeypatch, capsys) -> None:
    bundle = make_bundle_file(tmp_path, 600)
    for k in ("MEDRECORDS_PASSPHRASE", "MEDRECORDS_VAULT", "MEDRECORDS_TEST_FAST_KDF"):
        monkeypatch.setenv(k, cli_env[k])
    # Every database may keep its size but not grow (SQLite never shrinks max_page_count below it).
    monkeypatch.setattr(db_module, "PRAGMAS", (*db_module.PRAGMAS, "PRAGMA max_page_count = 1"))
    from medrecords_desktop.cli import main

    code = main(["import", str(bundle), "--person", "Alice Example", "--force"])
    err = capsys.readouterr().err
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert FULL in lines[0] and "Traceback" not in err and "internal error" not in err


def test_full_disk_in_the_gui_is_a_message_not_a_bug(qtbot, vault: Vault) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from medrecords_desktop.gui import ops

    before = snapshot(vault)
    vault.household.execute("PRAGMA max_page_count = 1")

    def work(_ctx: ops.OpContext) -> None:
        with vault.household.transaction() as conn:  # a setting far larger than the room left
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", ("note", "x" * 400_000))

    parent = QWidget()
    qtbot.addWidget(parent)
    op = ops.Op(parent, work).run()
    qtbot.waitUntil(lambda: op.finished, timeout=10_000)
    box = parent.findChild(QMessageBox, "ErrorBox")
    assert box is not None, "no message box"
    assert FULL in box.text() and "bug" not in box.text()
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()
    vault.household.execute("PRAGMA max_page_count = 1073741823")
    assert snapshot(vault) == before


# --------------------------------------------------------------------------- read-only
def test_a_read_only_database_refuses_the_write_whole(vault: Vault, tmp_path: Path) -> None:
    """SQLite's READONLY (as ``query_only`` makes it answer) during an import: mapped, nothing written."""
    bundle = make_bundle_file(tmp_path, 300)
    db = _person_db(vault, "Alice Example")
    before = snapshot(vault)
    db.execute("PRAGMA query_only = ON")
    report = ImportService(vault).import_paths([bundle], ImportOptions(person="Alice Example", force=True))
    assert report.files[0].status == "failed"
    assert READ_ONLY in (report.files[0].error or "")
    db.execute("PRAGMA query_only = OFF")
    assert snapshot(vault) == before


@pytest.fixture
def read_only_mount(vault_dir: Path, tmp_path: Path):
    """The vault folder seen through a read-only bind mount (needs root, as CI and this project's machines are)."""
    ro = tmp_path / "read-only-vault"
    ro.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a read-only mount needs root")
    if subprocess.run(["mount", "--bind", str(vault_dir), str(ro)], capture_output=True).returncode != 0:
        pytest.skip("mount --bind is not permitted here")
    try:
        r = subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        yield ro
    finally:
        subprocess.run(["umount", str(ro)], check=True)


def test_a_read_only_vault_folder_says_so(read_only_mount: Path, cli_env: dict[str, str]) -> None:
    with pytest.raises(VaultReadOnly) as e:
        Vault.open(read_only_mount, PASSPHRASE)
    assert READ_ONLY in str(e.value) and str(read_only_mount) in str(e.value)
    r = subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", "stats"],
        capture_output=True,
        text=True,
        env=dict(cli_env, MEDRECORDS_VAULT=str(read_only_mount)),
        timeout=120,
    )
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"medrecords: error: {VaultReadOnly(str(read_only_mount))}"]


# --------------------------------------------------------------------------- locked by another program
def test_a_database_locked_by_another_program(vault: Vault, tmp_path: Path) -> None:
    bundle = make_bundle_file(tmp_path, 300)
    alice = vault.person("Alice Example").id or ""
    db = vault.person_db(alice)
    RecordService(vault).timeline(person=alice)
    before = snapshot(vault)
    other = sqlcipher3.connect(str(db.path), isolation_level=None)  # another program, holding the write lock
    try:
        other.execute(f"PRAGMA key = \"x'{subkey(vault.person_key(alice), 'sqlcipher').hex()}'\"")
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM meta WHERE key='nothing'")
        db.execute("PRAGMA busy_timeout = 100")
        report = ImportService(vault).import_paths([bundle], ImportOptions(person="Alice Example", force=True))
        assert report.files[0].status == "failed"
        assert report.files[0].error == str(VaultBusy(str(vault.path)))
        assert BUSY in (report.files[0].error or "")
        assert RecordService(vault).timeline(person=alice) == []  # reads still work beside the lock
    finally:
        other.execute("ROLLBACK")
        other.close()
    db.execute("PRAGMA busy_timeout = 5000")
    assert snapshot(vault) == before
    opts = ImportOptions(person="Alice Example", force=True)
    assert ImportService(vault).import_paths([bundle], opts).files[0].status == "ok"


# --------------------------------------------------------------------------- cannot open
def test_a_database_that_cannot_be_opened(vault_dir: Path, cli_env: dict[str, str]) -> None:
    v = Vault.open(vault_dir, PASSPHRASE)
    bobby = v.person("Bobby Example").id or ""
    v.close()
    db_file = vault_dir / "persons" / f"{bobby}.db"
    db_file.unlink()
    db_file.mkdir()  # something that is not a database file, where the database should be
    with pytest.raises(VaultCannotOpen) as e:  # at unlock (every audit chain is checked) or at the first read
        v = Vault.open(vault_dir, PASSPHRASE)
        try:
            RecordService(v).timeline(person=bobby)
        finally:
            v.close()
    assert CANNOT_OPEN in str(e.value) and str(vault_dir) in str(e.value)
    r = subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", "timeline", "--person", "Bobby Example"],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"medrecords: error: {VaultCannotOpen(str(vault_dir))}"]


def test_a_vault_folder_that_is_gone(vault_dir: Path, tmp_path: Path) -> None:
    """The lock file cannot be made: the folder vanished between reading the header and locking it."""
    from medrecords_desktop.vault.lock import VaultLock

    with pytest.raises(VaultCannotOpen) as e:
        VaultLock(tmp_path / "unplugged-drive" / "vault").acquire()
    assert CANNOT_OPEN in str(e.value)


# --------------------------------------------------------------------------- the mapping itself
@pytest.mark.parametrize(
    "err,cls,words",
    [
        (errno.ENOSPC, VaultFull, "Free some disk space"),
        (errno.EROFS, VaultReadOnly, "write-protected"),
        (errno.EIO, VaultIOError, "restore the vault from a backup"),
    ],
)
def test_the_mapping_of_file_system_errors(vault: Vault, err: int, cls: type, words: str) -> None:
    """What the OS says about the disk (as os.write raises it) becomes the same typed errors as SQLite's."""
    e = db_module.storage_error(OSError(err, os.strerror(err)), vault.path)
    assert isinstance(e, cls) and words in str(e) and str(vault.path) in str(e)
    # ...and only those: a missing file or a permission problem while writing is not about the disk
    assert db_module.storage_error(OSError(errno.ENOENT, "x"), vault.path) is None
    assert isinstance(db_module.storage_error(OSError(errno.ENOENT, "x"), vault.path, opening=True), VaultCannotOpen)


def test_a_full_disk_while_writing_a_large_original(vault_dir: Path, tmp_path: Path) -> None:
    """Originals over 256 KiB are files under blobs/: here on a 64 KiB tmpfs, so the OS says ENOSPC."""
    from medrecords_desktop.model.records import Document
    from tests.factories import prov, write_items

    blobs = vault_dir / "blobs"
    blobs.mkdir(exist_ok=True)
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(blobs)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        v = Vault.open(vault_dir, PASSPHRASE)
        try:
            before = snapshot(v)
            big = Document(
                title="Scan",
                date="2026-04-12",
                mime="application/octet-stream",
                content=os.urandom(600_000),
                provenance=prov("DocumentReference/big"),
            )
            with pytest.raises(VaultFull) as e:
                write_items(v, "Alice Example", [big])
            assert FULL in str(e.value)
            assert snapshot(v) == before
            assert not [p for p in blobs.rglob("*") if p.is_file()]  # no partial file left behind
        finally:
            v.close()
    finally:
        subprocess.run(["umount", str(blobs)], check=True)
