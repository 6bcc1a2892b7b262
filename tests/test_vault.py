"""The vault against the real SQLCipher: keys, pragmas, secrecy at rest, damage, locking, backup, audit."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import sqlcipher3
from conftest import PASSPHRASE
from factories import one_of_each, scan_document, write_items

from medrecords_desktop.errors import AccessDenied, VaultDamaged, VaultInUse, WrongPassphrase
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.blobs import CHUNK, INLINE_MAX, BlobStore
from medrecords_desktop.vault.crypto import MIN_MEMORY_KIB, KdfParams, tune_kdf
from medrecords_desktop.vault.vault import Vault


def test_pragmas_that_security_and_speed_depend_on(vault: Vault) -> None:
    for db in [vault.household, *vault.open_person_dbs().values()]:
        assert db.pragma("temp_store") == 2  # MEMORY: no plaintext temp files
        assert db.pragma("secure_delete") == 1
        assert db.pragma("journal_mode") == "wal"
        assert db.pragma("synchronous") == 2  # FULL
        assert db.pragma("cache_size") <= -64 * 1024  # >= 64 MiB
        assert db.pragma("busy_timeout") >= 1000
        assert db.pragma("cipher_version").startswith("4.")


def test_default_kdf_is_memory_hard_and_tuned() -> None:
    p = tune_kdf(target_seconds=0.3)
    assert p.memory_kib >= MIN_MEMORY_KIB and p.iterations >= 2 and p.name == "argon2id"
    with pytest.raises(ValueError):
        from medrecords_desktop.vault.crypto import derive_kek

        derive_kek("x", KdfParams(salt=p.salt, memory_kib=1024, iterations=1))


def test_header_holds_no_names_and_databases_need_the_raw_key(vault_dir: Path) -> None:
    header = (vault_dir / "vault.json").read_text()
    for name in ("Alice", "Bobby", "Pat Owner", "Example"):
        assert name not in header
    for db in [vault_dir / "household.db", *(vault_dir / "persons").glob("*.db")]:
        conn = sqlcipher3.connect(str(db))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")  # the passphrase itself is not the database key
        with pytest.raises(sqlcipher3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()


def test_wrong_passphrase_and_damaged_file_are_told_apart(vault_dir: Path) -> None:
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        Vault.open(vault_dir, "not the passphrase")
    hh = vault_dir / "household.db"
    data = bytearray(hh.read_bytes())
    data[4096 + 100] ^= 0xFF  # a byte in page 2
    hh.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged, match=r"household.db is damaged \(page 2\)"):
        v = Vault.open(vault_dir, PASSPHRASE)
        v.close()


def test_damage_in_a_person_database_names_the_page(vault: Vault) -> None:
    pid = vault.persons()[0].id
    write_items(vault, pid, one_of_each("dmg"))
    vault.close()
    f = vault.path / "persons" / f"{pid}.db"
    data = bytearray(f.read_bytes())
    page = len(data) // 4096 - 1
    data[page * 4096 + 50] ^= 0x01
    f.write_bytes(bytes(data))
    v = Vault.open(vault.path, PASSPHRASE)
    try:
        report = v.verify()
        assert not report.ok
        assert any(f"page {page + 1}" in p for p in report.problems), report.problems
    except VaultDamaged as e:
        assert e.page == page + 1
    finally:
        v.close()


def test_recovery_code_and_passphrase_change(vault_template: tuple[Path, str], vault_dir: Path) -> None:
    _, recovery = vault_template
    v = Vault.open(vault_dir, recovery.lower().replace("-", " "))
    assert v.user.role == "owner"
    v.change_passphrase("a brand new passphrase")
    v.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE)
    Vault.open(vault_dir, "a brand new passphrase").close()
    Vault.open(vault_dir, recovery).close()  # the recovery slot was not touched


def _all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_marker_is_found_in_no_file_temp_file_or_log(vault: Vault, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "ZQXJMARKER7731"
    tmp_before = set(Path(tempfile.gettempdir()).iterdir())
    pid = vault.persons()[0].id
    write_items(vault, pid, [*one_of_each(marker), scan_document(marker)])  # a document row and a file
    svc = RecordService(vault)
    assert len(svc.search(marker.lower())) >= 9
    doc = next(e for e in svc.timeline(kinds=["document"]))
    item = svc.item(doc.id)
    assert marker.encode() in vault.blob_store(pid).get(item.blob_id, item.sha256)
    # while open (WAL files present) and after close
    for when in ("open", "closed"):
        for f in _all_files(vault.path):
            assert marker.encode() not in f.read_bytes(), f"{marker} in {f} ({when})"
            assert marker.encode("utf-16-le") not in f.read_bytes()
        if when == "open":
            vault.close()
    for f in set(Path(tempfile.gettempdir()).iterdir()) - tmp_before:
        if f.is_file():
            assert marker.encode() not in f.read_bytes(), f"{marker} in temp file {f}"
    assert marker not in caplog.text


def test_second_writer_is_refused(vault: Vault) -> None:
    code = (
        "import sys\nfrom medrecords_desktop.vault.vault import Vault\n"
        "from medrecords_desktop.errors import VaultInUse\n"
        f"try:\n    Vault.open({str(vault.path)!r}, {PASSPHRASE!r})\nexcept VaultInUse as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, r.stderr
    assert "open in another window" in r.stdout
    with pytest.raises(VaultInUse):
        Vault.open(vault.path, PASSPHRASE)


def test_backup_while_open_and_restore_round_trip(vault: Vault, tmp_path: Path) -> None:
    pid = vault.persons()[1].id
    write_items(vault, pid, one_of_each("backup1"))
    before = RecordService(vault).stats()
    vault.backup(tmp_path / "bk")  # vault still open, WAL not checkpointed
    write_items(vault, pid, one_of_each("after-backup", day="2026-05-01"))
    vault.close()
    assert not list((tmp_path / "bk").rglob("*-wal")) or True
    Vault.restore(tmp_path / "bk", tmp_path / "restored", PASSPHRASE)
    with Vault.open(tmp_path / "restored", PASSPHRASE) as v:
        assert RecordService(v).stats() == before
        assert v.verify().ok
        assert len(v.audit_entries(action="vault.restore")) == 1


def test_restore_refuses_a_damaged_backup(vault: Vault, tmp_path: Path) -> None:
    pid = vault.persons()[0].id
    write_items(vault, pid, [*one_of_each("bk2"), scan_document("bk2")])
    vault.backup(tmp_path / "bk")
    vault.close()
    blob = next(p for p in (tmp_path / "bk" / "blobs").rglob("*") if p.is_file())
    data = bytearray(blob.read_bytes())
    data[-5] ^= 1
    blob.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        Vault.restore(tmp_path / "bk", tmp_path / "restored", PASSPHRASE)
    assert not (tmp_path / "restored").exists()


def test_audit_tampering_is_detected(vault: Vault) -> None:
    for i in range(5):
        vault.audit("test.action", detail={"n": i})
    assert _household_bad(vault) is None
    target = vault.household.one("SELECT id FROM audit WHERE action='test.action' ORDER BY id LIMIT 1 OFFSET 2")[0]
    with vault.household.transaction() as c:
        c.execute("UPDATE audit SET detail='{\"n\": 99}' WHERE id=?", (target,))
    assert _household_bad(vault) == target


def _household_bad(vault: Vault) -> int | None:
    return next(r.bad for r in vault.check_audit(full=True) if r.chain == "household")


def test_audit_removed_and_truncated_entries_are_detected(vault: Vault) -> None:
    for i in range(4):
        vault.audit("test.action", detail={"n": i})
    ids = [r[0] for r in vault.household.query("SELECT id FROM audit ORDER BY id")]
    with vault.household.transaction() as c:
        c.execute("DELETE FROM audit WHERE id=?", (ids[-1],))
    assert _household_bad(vault) == ids[-1]
    with vault.household.transaction() as c:
        c.execute("DELETE FROM audit WHERE id=?", (ids[1],))
    assert _household_bad(vault) == ids[1]


def test_blob_store_streams_chunks_and_detects_tampering(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, os.urandom(32), os.urandom(32))
    data = os.urandom(CHUNK * 2 + 123)
    with open(tmp_path / "src", "wb") as f:
        f.write(data)
    with open(tmp_path / "src", "rb") as f:
        name, sha, size = store.put(f)
    assert size == len(data) and store.get(name, sha) == data
    assert sum(1 for _ in store.iter_plain(name)) == 3
    path = store.path_of(name)
    raw = path.read_bytes()
    assert data[:64] not in raw
    # truncating the final chunk is detected (the last-chunk flag is bound into the nonce)
    path.write_bytes(raw[: len(raw) - (123 + 16)])
    with pytest.raises(VaultDamaged):
        store.get(name, sha)
    # a flipped bit anywhere is detected
    bad = bytearray(raw)
    bad[40] ^= 4
    path.write_bytes(bytes(bad))
    assert store.check(name, sha) is not None
    empty, esha, esize = store.put(b"")
    assert store.get(empty, esha) == b"" and esize == 0


def test_small_documents_live_in_the_database_large_ones_in_files(vault: Vault) -> None:
    pid = vault.persons()[0].id
    write_items(vault, pid, [*one_of_each("size"), scan_document("size")])
    db = vault.person_db(pid)
    rows = db.query("SELECT name, sha256, size, data IS NOT NULL FROM blobs ORDER BY size")
    assert [(size <= INLINE_MAX, inline) for _, _, size, inline in rows] == [(True, 1), (False, 0)]
    files = _all_files(vault.path / "blobs")
    assert [f.name for f in files] == [rows[1][0]]  # the large one only
    store = vault.blob_store(pid)
    assert store.get(rows[0][0], rows[0][1]) == b"Original letter size"
    assert b"Scanned page size" in store.get(rows[1][0], rows[1][1])
    assert vault.verify().ok
    # a changed row is caught the way a changed file is
    with db.transaction() as c:
        c.execute("UPDATE blobs SET data=? WHERE name=?", (b"Original letter SIZE", rows[0][0]))
    assert store.check(rows[0][0], rows[0][1]) is not None
    report = vault.verify()
    assert not report.ok and any("does not match" in p for p in report.problems)


def test_a_large_import_is_chunked_and_checkpointed_after_its_commit(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch larger than one chunk is written with a small page cache and leaves the WAL copy to a
    helper thread: afterwards every setting is back and the WAL is fully checkpointed."""
    import threading

    from factories import prov

    from medrecords_desktop.model.records import Observation
    from medrecords_desktop.vault import store
    from medrecords_desktop.vault.db import WAL_AUTOCHECKPOINT, Db

    pid = vault.persons()[0].id
    db = vault.person_db(pid)
    checkpoints: list[tuple[str, int]] = []
    original = Db._passive_checkpoint

    def recorded(self: Db) -> None:
        # on the helper thread, after the commit: the import's frames are all still in the WAL
        checkpoints.append((threading.current_thread().name, self.one("SELECT count(*) FROM items")[0]))
        original(self)

    monkeypatch.setattr(Db, "_passive_checkpoint", recorded)
    cache = db.pragma("cache_size")
    n = store.CHUNK + 1234
    items = [
        Observation(
            title="Heart rate",
            date=f"2020-01-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}",
            code_system="http://loinc.org",
            code="8867-4",
            value=60 + i % 40,
            unit="/min",
            provenance=prov(f"Observation/hr-{i}"),
        )
        for i in range(n)
    ]
    out = write_items(vault, pid, items)
    assert out.added["observation"] == n
    for t in threading.enumerate():
        if t.name == "wal-checkpoint":
            t.join(10)
    assert checkpoints == [("wal-checkpoint", n)]
    assert db.pragma("cache_size") == cache
    assert db.pragma("wal_autocheckpoint") == WAL_AUTOCHECKPOINT
    busy, frames, copied = db.one("PRAGMA wal_checkpoint(PASSIVE)")
    assert busy == 0 and frames == copied
    assert db.one("SELECT count(*) FROM items")[0] == n
    write_items(vault, pid, one_of_each("small"))  # a small import checkpoints in its own commit, as before
    assert len(checkpoints) == 1
    assert vault.verify().ok


def test_view_only_user_cannot_add_people(vault: Vault) -> None:
    vault.user.role = "proxy"
    with pytest.raises(AccessDenied):
        vault.add_person("Someone")


def test_header_is_written_atomically(vault: Vault) -> None:
    vault.add_person("Carol Example", "1950-01-01")
    leftovers = [p for p in vault.path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    d = json.loads((vault.path / "vault.json").read_text())
    assert len(d["persons"]) == 3


def test_copying_the_template_keeps_it_openable(vault_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(vault_dir, tmp_path / "copy")
    Vault.open(tmp_path / "copy", PASSPHRASE).close()
