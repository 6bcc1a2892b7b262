"""Family and proxy access: scope enforced by the cryptography, grants, revoke with key rotation."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlcipher3
from conftest import PASSPHRASE, ROOT
from factories import one_of_each, scan_document, write_items

from medrecords_desktop.errors import AccessDenied, NotFound, WrongPassphrase
from medrecords_desktop.model.records import Document
from medrecords_desktop.services import access
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault import device
from medrecords_desktop.vault.blobs import BlobStore
from medrecords_desktop.vault.crypto import KdfParams, derive_kek, open_sealed, subkey, unwrap
from medrecords_desktop.vault.header import Header
from medrecords_desktop.vault.vault import Vault

PROXY_PW = "sibling passphrase 42"


def _setup(vault: Vault, scope: str = "view") -> tuple[str, str]:
    alice, bobby = vault.persons()
    write_items(vault, alice.id, [*one_of_each("alice1"), scan_document("alice1")])
    write_items(vault, bobby.id, [*one_of_each("bobby1"), scan_document("bobby1")])
    access.add_user(vault, "Sam", PROXY_PW)
    access.grant(vault, "Sam", "Alice Example", scope)
    return alice.id, bobby.id


def _keys_of(vault_dir: Path, passphrase: str) -> dict[str, bytes]:
    """Every data key a passphrase can reach, the way an attacker with a debugger would get them."""
    h = Header.read(vault_dir)
    out: dict[str, bytes] = {}
    for u in h.users:
        for s in u.slots:
            kek = derive_kek(passphrase, KdfParams.from_json(s.kdf))
            private = unwrap(kek, s.wrapped_private, f"{h.vault_id}:{u.id}:{s.id}")
            if private is None:
                continue
            for name, sealed in u.keys.items():
                key = open_sealed(private, sealed, f"{h.vault_id}:seal:{u.id}:{name}")
                if key:
                    out[name] = key
    return out


def _opens(db: Path, key: bytes) -> bool:
    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute(f"PRAGMA key = \"x'{subkey(key, 'sqlcipher').hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def test_proxy_sees_only_the_granted_person_everywhere(vault: Vault) -> None:
    alice_id, bobby_id = _setup(vault)
    vault.close()
    with Vault.open(vault.path, PROXY_PW) as v:
        assert v.user.name == "Sam" and v.user.role == "proxy"
        assert [p.name for p in v.persons()] == ["Alice Example"]
        svc = RecordService(v)
        assert set(svc.stats()) == {"Alice Example"}
        assert {e.person_id for e in svc.timeline(limit=500)} == {alice_id}
        assert all(e.person_id == alice_id for e in svc.search("bobby1")) and not svc.search("bobby1")
        with pytest.raises(AccessDenied):
            v.person_db(bobby_id)
        with pytest.raises(NotFound):  # a proxy cannot even tell the person exists
            svc.timeline(person=bobby_id)


def test_proxy_keys_cannot_open_other_people_files(vault: Vault) -> None:
    alice_id, bobby_id = _setup(vault)
    vault.close()
    keys = _keys_of(vault.path, PROXY_PW)
    assert set(keys) == {"household", f"person:{alice_id}"}
    bob_db = vault.path / "persons" / f"{bobby_id}.db"
    assert not any(_opens(bob_db, k) for k in keys.values())
    assert _opens(vault.path / "persons" / f"{alice_id}.db", keys[f"person:{alice_id}"])
    blob = next((vault.path / "blobs" / bobby_id).rglob("*[0-9a-f]"))
    for k in keys.values():
        store = BlobStore(blob.parent.parent, subkey(k, "blob-aead"), subkey(k, "blob-name"))
        assert store.check(blob.name, "00" * 32) is not None


def test_view_only_proxy_cannot_import_or_add_people(vault: Vault) -> None:
    alice_id, _ = _setup(vault, "view")
    vault.close()
    with Vault.open(vault.path, PROXY_PW) as v:
        with pytest.raises(AccessDenied, match="view-only"):
            write_items(v, alice_id, one_of_each("nope"))
        with pytest.raises(AccessDenied):
            v.add_person("Mallory")
        with pytest.raises(AccessDenied):
            access.grant(v, "Sam", "Alice Example", "manage")


def test_manage_proxy_can_import(vault: Vault) -> None:
    alice_id, _ = _setup(vault, "manage")
    vault.close()
    with Vault.open(vault.path, PROXY_PW) as v:
        out = write_items(v, alice_id, one_of_each("by-sam", day="2026-06-01"))
        assert sum(out.added.values()) == 9
        assert len(v.audit_entries(action="import", user_id=v.user.id)) == 1
        # it is in Alice's own database, signed by Sam, not in the household database every proxy reads
        assert v.household.one("SELECT count(*) FROM audit WHERE action='import'")[0] == 0


def test_revoke_rotates_the_key_and_keeps_the_data(vault: Vault) -> None:
    alice_id, _ = _setup(vault)
    old = _keys_of(vault.path, PROXY_PW)[f"person:{alice_id}"]
    before = RecordService(vault).stats()
    access.revoke(vault, "Sam", "Alice Example")
    assert RecordService(vault).stats() == before
    docs = [RecordService(vault).item(e.id) for e in RecordService(vault).timeline(kinds=["document"], person=alice_id)]
    assert len(docs) == 2  # one in the database, one (too large for it) a file
    for item in docs:
        assert isinstance(item, Document) and b"alice1" in vault.blob_store(alice_id).get(item.blob_id, item.sha256)
    assert vault.verify().ok
    vault.close()
    db = vault.path / "persons" / f"{alice_id}.db"
    assert not _opens(db, old)
    old_store = BlobStore(vault.path / "blobs" / alice_id, subkey(old, "blob-aead"), subkey(old, "blob-name"))
    files = [f for f in (vault.path / "blobs" / alice_id).rglob("*") if f.is_file()]
    assert len(files) == 1
    for f in files:
        assert old_store.check(f.name, "00" * 32) is not None
    assert f"person:{alice_id}" not in _keys_of(vault.path, PROXY_PW)
    with Vault.open(vault.path, PROXY_PW) as v:
        assert v.persons() == []
    with Vault.open(vault.path, PASSPHRASE) as v:
        actions = [e.action for e in v.audit_entries()]
        assert {"user.add", "grant", "revoke"} <= set(actions)


def test_removing_a_user_gives_the_household_database_a_new_key(vault: Vault) -> None:
    """A removed proxy who kept a copy of the old vault.json (a shared family computer) can no longer
    open household.db with their passphrase; every remaining user can, and the audit chain still
    verifies across the change (earlier entries under the earlier key)."""
    alice_id, bobby_id = _setup(vault)
    access.add_user(vault, "Pat", "pat's own long passphrase")
    access.grant(vault, "Pat", "Bobby Example", "view")
    household = vault.path / "household.db"
    sams_old = _keys_of(vault.path, PROXY_PW)["household"]
    assert _opens(household, sams_old)
    before = len(vault.audit_entries(limit=10**6))
    access.remove_user(vault, "Sam")
    assert not _opens(household, sams_old)
    assert _opens(household, vault._keys["household"])
    assert not Header.read(vault.path).pending
    assert vault.verify().ok  # the chain spans both keys
    assert len(vault.audit_entries(limit=10**6)) > before
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault.path, PROXY_PW)
    with Vault.open(vault.path, "pat's own long passphrase") as v:  # resealed to the remaining proxy
        assert v.audit_problem is None
        assert [p.name for p in v.persons()] == ["Bobby Example"]
        assert RecordService(v).stats()["Bobby Example"]
    with Vault.open(vault.path, PASSPHRASE) as v:
        assert v.audit_problem is None
        assert {"user.remove", "revoke"} <= {e.action for e in v.audit_entries()}
        # an entry written under the old household key is still tamper-evident
        first = v.household.one("SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 1")[0]
        with v.household.transaction() as c:
            c.execute("UPDATE audit SET detail='{\"changed\": 1}' WHERE id=?", (first,))
        (hh,) = [r for r in v.check_audit(full=True) if r.chain == "household"]
        assert hh.bad == first


REMOVER = r"""
import os, signal, sys
sys.path[:0] = [{root!r}, {tests!r}]
from medrecords_desktop.vault.vault import Vault
from medrecords_desktop.services import access
v = Vault.open({path!r}, {pw!r})
print("start", flush=True)
die_at = sys.argv[1]
def progress(done, total, what):
    print(done, what.replace(" ", "_"), flush=True)
    if die_at == what:
        os.kill(os.getpid(), signal.SIGKILL)
access.remove_user(v, "Sam", progress=progress)
print("done", flush=True)
v.close()
"""


@pytest.mark.parametrize(
    ("plan", "rotated"),
    [
        ("exporting the household database", False),  # before the commit point: undone on open
        ("switching the household key", True),  # after it: finished on open
    ],
)
def test_kill_9_while_removing_a_user_leaves_one_household_key(
    vault: Vault, tmp_path: Path, plan: str, rotated: bool
) -> None:
    _setup(vault)
    vault.close()
    old = _keys_of(vault.path, PASSPHRASE)["household"]
    script = REMOVER.format(root=str(ROOT), tests=str(ROOT / "tests"), path=str(vault.path), pw=PASSPHRASE)
    proc = subprocess.run([sys.executable, "-c", script, plan], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    with Vault.open(vault.path, PASSPHRASE) as v:  # recovery runs on open
        assert not Header.read(vault.path).pending
        assert v.verify().ok and v.audit_problem is None
        current = v._keys["household"]
        assert ("Sam" in [u.name for u in access.list_users(v)]) == (not rotated)
    household = vault.path / "household.db"
    assert _opens(household, current)
    assert (current != old) == rotated
    assert _opens(household, old) == (not rotated)  # exactly one key works
    assert not list(vault.path.glob("household.rotating*"))
    sam_in_header = "household" in _keys_of(vault.path, PROXY_PW)
    assert sam_in_header == (not rotated)


REVOKER = r"""
import os, signal, sys
sys.path[:0] = [{root!r}, {tests!r}]
from medrecords_desktop.vault.vault import Vault
from medrecords_desktop.services import access
v = Vault.open({path!r}, {pw!r})
print("start", flush=True)
die_at = sys.argv[1]  # "time": the parent kills us; else kill ourselves at this progress event
def progress(done, total, what):
    print(done, what.replace(" ", "_"), flush=True)
    if die_at in (what, f"{{done}}:{{what}}"):
        os.kill(os.getpid(), signal.SIGKILL)
access.revoke(v, "Sam", "Alice Example", progress=progress)
print("done", flush=True)
v.close()
"""


def test_kill_9_during_revoke_leaves_exactly_one_valid_key(vault: Vault, tmp_path: Path) -> None:
    alice_id, _ = _setup(vault)
    docs = [
        Document(
            title=f"Scan {i}",
            date="2026-01-02",
            mime="application/octet-stream",
            content=os.urandom(60_000) + f"doc{i}".encode(),
            provenance=one_of_each("x")[0].provenance,
        )
        for i in range(150)
    ]
    for i, d in enumerate(docs):
        d.provenance = type(d.provenance)(source_id=f"scan/{i}")
    write_items(vault, alice_id, docs)
    expected = RecordService(vault).stats()["Alice Example"]
    vault.close()
    rng = random.Random(int(os.environ.get("CRASH_SEED", "3")))
    snapshot = tmp_path / "snapshot"
    import shutil

    shutil.copytree(vault.path, snapshot, ignore=shutil.ignore_patterns("vault.lock"))
    outcomes = []
    plans = [
        "time",
        "time",
        "time",
        "0:exporting the database",
        f"{rng.randrange(150)}:re-encrypting documents",
        "switching keys",
    ]
    for round_, plan in enumerate(plans):
        target = tmp_path / f"round{round_}"
        shutil.copytree(snapshot, target)
        # each round is another copy of one vault: to this device, a rollback of the last round's
        device.forget(Header.read(target).vault_id)
        old = _keys_of(target, PASSPHRASE)[f"person:{alice_id}"]
        script = REVOKER.format(root=str(ROOT), tests=str(ROOT / "tests"), path=str(target), pw=PASSPHRASE)
        log = tmp_path / f"revoke{round_}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([sys.executable, "-c", script, plan], stdout=out)
            while "start" not in log.read_text() and proc.poll() is None:
                time.sleep(0.01)
            if plan == "time":
                time.sleep(rng.random() * 0.6)
                proc.send_signal(signal.SIGKILL)
            proc.wait()
        with Vault.open(target, PASSPHRASE) as v:  # recovery runs on open
            assert not Header.read(target).pending
            assert v.verify().ok
            assert RecordService(v).stats()["Alice Example"] == expected
            current = v.person_key(alice_id)
        db = target / "persons" / f"{alice_id}.db"
        assert _opens(db, current)
        rotated = current != old
        assert _opens(db, old) == (not rotated)  # exactly one key works
        sam_has = f"person:{alice_id}" in _keys_of(target, PROXY_PW)
        assert sam_has == (not rotated)
        outcomes.append(("rotated" if rotated else "rolled back", plan, log.read_text().split()[-2:]))
    print(json.dumps(outcomes))
    assert outcomes[-1][0] == "rotated"  # killed after the commit point: finished on open
    assert outcomes[-3][0] == "rolled back"  # killed before it: undone on open
