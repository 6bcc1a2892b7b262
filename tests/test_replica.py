"""Replication through a shared folder (issue 20): three devices (the owner, a proxy who manages one
person, a proxy who may only view) kept in step by a hostile copier, the marker test, refused changes,
and the faults a sync tool brings (partial files, conflict copies, clock skew, months offline, a lost
folder, a rotated key)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from medrecords_desktop.errors import AccessDenied
from medrecords_desktop.replica import format as fmt
from medrecords_desktop.replica.replica import Replica, SyncFolderMissing, join
from medrecords_desktop.services import access
from medrecords_desktop.services.editing import EditingService
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.vault import Vault
from tests.factories import one_of_each, scan_document, write_items
from tests.replica_harness import (
    OWNER_PW,
    SIB_PW,
    VIC_PW,
    Copier,
    Device,
    converge,
    files_of,
    join_device,
    start_family,
    view_of,
)


def _family(tmp_path: Path) -> tuple[Device, Device, Device, dict[str, str]]:
    a, people = start_family(tmp_path)
    b = join_device(tmp_path, "B", SIB_PW, a.folder)
    c = join_device(tmp_path, "C", VIC_PW, a.folder)
    return a, b, c, people


def _copier(devs: list[Device], seed: int, **kw: float) -> Copier:
    return Copier({d.folder: Replica(d.vault).device for d in devs}, random.Random(seed), **kw)


def _live(dev: Device, pid: str, rng: random.Random, trashed: bool = False) -> str | None:
    rows = dev.vault.person_db(pid).query(
        f"SELECT id FROM items WHERE deleted_at IS {'NOT ' if trashed else ''}NULL ORDER BY id"
    )
    return f"{pid}.{rng.choice(rows)[0]}" if rows else None


def _may_write(dev: Device, pid: str) -> bool:
    r = dev.vault.roster
    return r is not None and r.scope(dev.vault.user.id, pid) in ("owner", "manage")


def _random_op(dev: Device, people: dict[str, str], rng: random.Random, n: int) -> str:
    """One thing a user does on this device (only what the app allows them)."""
    pids = [p for p in people.values() if dev.vault.can_see(p) and _may_write(dev, p)]
    if not pids or rng.random() < 0.2:
        dev.sync.sync_now()
        return "sync"
    pid = rng.choice(pids)
    ed = EditingService(dev.vault)
    r = rng.random()
    if r < 0.3:
        write_items(
            dev.vault,
            pid,
            one_of_each(f"op{n}{dev.name}", day=f"20{10 + n % 15:02d}-0{1 + n % 9}-1{n % 10}"),
            name=f"import-{n}.json",
        )
        return "import"
    if r < 0.45:
        ed.add(
            pid,
            "lab",
            {
                "name": "HbA1c",
                "value": str(5 + rng.randrange(40) / 10),
                "unit": "%",
                "date": f"2026-0{1 + rng.randrange(9)}-1{rng.randrange(10)}",
            },
        )
        return "add"
    item = _live(dev, pid, rng)
    if item is None:
        return "none"
    if r < 0.7:
        ed.correct(item, {"title": f"Corrected {n} on {dev.name}"}, reason="typo")
        return "correct"
    if r < 0.85:
        ed.delete(item)
        return "delete"
    back = _live(dev, pid, rng, trashed=True)
    if back is not None:
        ed.restore(back)
        return "restore"
    return "none"


def _run(tmp_path: Path, ops: int, seed: int) -> None:
    a, b, c, people = _family(tmp_path)
    devs = [a, b, c]
    rng = random.Random(seed)
    copier = _copier(devs, seed)
    done: dict[str, int] = {}
    for n in range(ops):
        dev = rng.choice(devs)
        if dev is a and rng.random() < 0.03:
            # the owner changes the manage proxy's grant on P2 (no key rotation: view <-> manage)
            cur = a.vault.roster.scope(b.vault.user.id, people["P2"]) if a.vault.roster else None
            access.grant(a.vault, "Sib", people["P2"], "manage" if cur == "view" else "view")
            kind = "grant"
        else:
            kind = _random_op(dev, people, rng, n)
        done[kind] = done.get(kind, 0) + 1
        copier.step()
    converge(devs, copier)
    visible = {d.name: [p for p in people.values() if d.vault.can_see(p)] for d in devs}
    assert people["P3"] not in visible["B"] and people["P3"] not in visible["C"]
    va = view_of(a, list(people.values()))
    for d in (b, c):
        vd = view_of(d, visible[d.name])
        for pid in visible[d.name]:
            assert vd[pid] == va[pid], (d.name, pid)
    # nothing lost: every item any device wrote is on the owner's device
    assert sum(sum(v["stats"].values()) for v in va.values() if v) > 0
    assert done.get("import", 0) > 0 and done.get("correct", 0) > 0 and done.get("delete", 0) > 0
    assert copier.stats["partial"] > 0 and copier.stats["conflict"] > 0
    # nobody did anything their role does not allow, so nothing was refused anywhere
    assert all(d.sync.status().refused == [] for d in devs)
    # applying everything again changes nothing (idempotent)
    for d in devs:
        again = d.sync.sync_now()
        assert again.applied == 0 and again.waiting == 0, again  # nothing left behind
    assert view_of(a, list(people.values())) == va
    for d in devs:
        d.vault.close()


def test_three_devices_converge_through_a_hostile_copier(tmp_path: Path) -> None:
    _run(tmp_path, ops=150, seed=20)


@pytest.mark.slow
def test_thousand_operations_converge(tmp_path: Path) -> None:
    _run(tmp_path, ops=1000, seed=1000)


def test_order_does_not_matter(tmp_path: Path) -> None:
    """Two fresh devices reading the same segments in opposite orders show the same records."""
    a, people = start_family(tmp_path)
    pid = people["P1"]
    write_items(a.vault, pid, one_of_each("first"))
    a.sync.sync_now()
    ed = EditingService(a.vault)
    for i, item in enumerate(a.vault.person_db(pid).query("SELECT id FROM items ORDER BY id")):
        if i % 2:
            ed.correct(f"{pid}.{item[0]}", {"title": f"changed {i}"})
        a.sync.sync_now()
    segs = sorted((a.folder / "seg" / pid).glob("*.seg"))
    assert len(segs) > 3
    views = []
    for name, order in (("X", segs), ("Y", list(reversed(segs)))):
        folder = tmp_path / f"folder-{name}"
        shutil.copytree(a.folder, folder)
        shutil.rmtree(folder / "seg" / pid)
        dev = join_device(tmp_path, name, OWNER_PW, folder)
        (folder / "seg" / pid).mkdir()
        for s in order:  # one at a time, a sync after each
            shutil.copy(s, folder / "seg" / pid / s.name)
            dev.sync.sync_now()
        views.append(view_of(dev, [pid]))
    assert views[0] == views[1] == view_of(a, [pid])


def test_marker_proxy_holding_every_file_decrypts_nothing_not_granted(tmp_path: Path) -> None:
    a, b, c, people = _family(tmp_path)
    marker = "ZQXMARKER7731"
    write_items(a.vault, people["P3"], one_of_each(marker) + [scan_document(marker)])
    a.sync.sync_now()
    for d in (b, c):
        for f in ("seg", "orig", "header", "heads", "roster"):
            if (a.folder / f).exists():
                shutil.copytree(a.folder / f, d.folder / f, dirs_exist_ok=True)
        d.sync.sync_now()
    # the proxy's device holds every file of the shared folder...
    assert (c.folder / "seg" / people["P3"]).exists() and any((c.folder / "orig" / people["P3"]).iterdir())
    for d in (b, c):
        seen: list[bytes] = []
        keys = {"household": d.vault.household_key()}
        keys.update({p: d.vault.person_key(p) for p in people.values() if d.vault.can_see(p)})
        assert people["P3"] not in keys
        # ...and everything it can decrypt: every segment under every key it holds, its own databases
        for path in list(d.folder.rglob("*")) + list(d.vault.path.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            seen.append(data)  # the bytes as they are (no plaintext marker anywhere)
            if data.startswith(fmt.MAGIC):
                for key in keys.values():
                    try:
                        seg = fmt.decode(data, key)
                    except (fmt.BadSegment, fmt.Partial):
                        continue
                    seen.append(json.dumps(seg.records).encode())
        for pid in keys:
            db = d.vault.household if pid == "household" else d.vault.person_db(pid)
            for (t,) in db.query("SELECT name FROM sqlite_master WHERE type='table'"):
                seen.append(repr(db.query(f'SELECT * FROM "{t}"')).encode())
        blob = b"\n".join(seen)
        assert marker.encode() not in blob
        assert marker.encode("utf-16-le") not in blob
        assert not (d.vault.path / "persons" / f"{people['P3']}.db").exists()
        # the segments were there and are under a key this device does not hold
        report = d.sync.sync_now()
        assert report.bad == []
    # the owner's second device, with the same files, does read the marker (the test can fail)
    d2 = join_device(tmp_path, "D", OWNER_PW, a.folder)
    rows = RecordService(d2.vault).timeline(people["P3"], None, None, None, limit=50)
    assert any(marker in r.row.title for r in rows)


def test_view_only_change_is_refused_and_reported(tmp_path: Path) -> None:
    a, b, c, people = _family(tmp_path)
    pid = people["P1"]
    write_items(a.vault, pid, one_of_each("orig"))
    a.sync.sync_now()
    shutil.copytree(a.folder, c.folder, dirs_exist_ok=True)
    c.sync.sync_now()
    # the app refuses a view-only user's change...
    item = f"{pid}.{c.vault.person_db(pid).one('SELECT min(id) FROM items')[0]}"
    with pytest.raises(AccessDenied):
        EditingService(c.vault).correct(item, {"title": "FORGED"})
    # ...so the viewer writes the database with their own program, and their device sends it
    with c.vault.person_db(pid).transaction() as conn:
        conn.execute("UPDATE items SET title='FORGED BY VIEWER' WHERE id=(SELECT min(id) FROM items)")
    out = c.sync.sync_now()
    assert out.exported == 1
    shutil.copytree(c.folder, a.folder, dirs_exist_ok=True)
    shutil.copytree(c.folder, b.folder, dirs_exist_ok=True)
    for d in (a, b):
        report = d.sync.sync_now()
        assert report.applied == (0 if d is a else 11)  # B had not read the owner's import yet
        assert [r.reason for r in report.refused] == ["1 change(s): view-only: may not change records"]
        titles = [r.row.title for r in RecordService(d.vault).timeline(pid, None, None, None, limit=50)]
        assert "FORGED BY VIEWER" not in titles
        st = d.sync.status()
        assert st.refused and st.refused[0].user_id == c.vault.user.id
    # a forged signature (a segment claiming to be the owner's) is refused too
    seg = next(p for p in sorted((c.folder / "seg" / pid).glob("*.seg")) if p.name.startswith(Replica(c.vault).device))
    raw = bytearray(seg.read_bytes())
    data = fmt.decode(bytes(raw), c.vault.person_key(pid))
    forged = fmt.encode(
        pid, data.device, 99, c.vault.person_key(pid), a.vault.user.id, data.serial, c.vault.sign, data.records or []
    )
    (a.folder / "seg" / pid / f"{data.device}-00000099.seg").write_bytes(forged)
    report = a.sync.sync_now()
    assert [r.reason for r in report.refused] == ["signature does not verify"]


def test_partial_file_waits_until_whole_and_conflict_copies_are_read(tmp_path: Path) -> None:
    a, people = start_family(tmp_path)
    pid = people["P1"]
    b = join_device(tmp_path, "B", OWNER_PW, a.folder)
    write_items(a.vault, pid, one_of_each("partial"))
    a.sync.sync_now()
    seg = max((a.folder / "seg" / pid).glob("*.seg"))
    data = seg.read_bytes()
    dst = b.folder / "seg" / pid / seg.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    for cut in (3, 40, len(data) // 2, len(data) - 1):
        dst.write_bytes(data[:cut])
        report = b.sync.sync_now()
        assert report.partial == 1 and report.applied == 0, cut
    # whole, but under a conflict copy's name (the real name holds the half copy)
    (dst.parent / f"{seg.stem}.sync-conflict-20261202-120000-ABCDEF.seg").write_bytes(data)
    report = b.sync.sync_now()
    assert report.applied == 11  # nine items, their import, one original
    dst.write_bytes(data)
    (dst.parent / f"{seg.stem} (vm's conflicted copy 2026-12-02).seg").write_bytes(data)
    assert b.sync.sync_now().applied == 0
    assert view_of(b, [pid]) == view_of(a, [pid])


def test_same_item_changed_on_two_devices_keeps_both(tmp_path: Path) -> None:
    a, people = start_family(tmp_path)
    pid = people["P1"]
    b = join_device(tmp_path, "B", OWNER_PW, a.folder)
    write_items(a.vault, pid, one_of_each("both"))
    a.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    b.sync.sync_now()
    rid = a.vault.person_db(pid).one("SELECT id FROM items WHERE title='Glucose both'")[0]
    rid_b = b.vault.person_db(pid).one("SELECT id FROM items WHERE title='Glucose both'")[0]
    EditingService(a.vault).correct(f"{pid}.{rid}", {"title": "Glucose (A says)"})
    EditingService(b.vault).correct(f"{pid}.{rid_b}", {"title": "Glucose (B says)"})
    a.sync.sync_now()
    b.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    shutil.copytree(b.folder, a.folder, dirs_exist_ok=True)
    a.sync.sync_now()
    b.sync.sync_now()
    va, vb = view_of(a, [pid]), view_of(b, [pid])
    assert va == vb
    conflicts = a.sync.conflicts()
    items = [c for c in conflicts if c.versions and "Glucose" in c.title]
    assert len(items) == 1, conflicts
    versions = items[0].versions
    assert sorted(v.summary.split(":")[0] for v in versions) == ["Glucose (A says)", "Glucose (B says)"]
    shown = next(v for v in versions if v.shown)
    assert shown.hlc == max(v.hlc for v in versions)  # the newest is shown
    # the original is kept: each device's correction row is there on both
    assert len(va[pid]["corrections"]) == 2
    # settle: keep the version not shown
    other = next(v for v in versions if not v.shown)
    a.sync.settle(pid, items[0].gid, other.hlc)
    assert not [c for c in a.sync.conflicts() if c.gid == items[0].gid]
    a.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    b.sync.sync_now()
    assert view_of(a, [pid]) == view_of(b, [pid])
    titles = {r.row.title for r in RecordService(b.vault).timeline(pid, None, None, None, limit=50)}
    assert other.summary.split(":")[0] in titles


def test_clock_skew_and_months_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A device whose clock is 6 hours fast, and one that comes back after six months: the later edit wins."""
    import time as real_time

    a, people = start_family(tmp_path)
    pid = people["P1"]
    b = join_device(tmp_path, "B", OWNER_PW, a.folder)
    write_items(a.vault, pid, one_of_each("skew"))
    a.sync.sync_now()
    rid = a.vault.person_db(pid).one("SELECT id FROM items WHERE title='Glucose skew'")[0]

    class Clock:
        offset = 0.0

        def time(self) -> float:
            return real_time.time() + self.offset

    clock = Clock()
    monkeypatch.setattr(fmt, "time", clock)
    clock.offset = 6 * 3600  # A's clock is 6 hours fast
    EditingService(a.vault).correct(f"{pid}.{rid}", {"title": "from the fast clock"})
    a.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    clock.offset = 0  # B (right clock) reads it, then edits: B's edit is later and must win
    b.sync.sync_now()
    rid_b = b.vault.person_db(pid).one("SELECT id FROM items WHERE title='from the fast clock'")[0]
    EditingService(b.vault).correct(f"{pid}.{rid_b}", {"title": "later, from the right clock"})
    b.sync.sync_now()
    shutil.copytree(b.folder, a.folder, dirs_exist_ok=True)
    a.sync.sync_now()
    assert a.vault.person_db(pid).one("SELECT title FROM items WHERE id=?", (rid,))[0] == "later, from the right clock"
    assert not a.sync.conflicts()
    # B goes away for six months while A writes a thousand things
    write_items(a.vault, pid, [x for i in range(110) for x in one_of_each(f"away{i}")][:1000])
    clock.offset = 183 * 86400
    a.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    report = b.sync.sync_now()
    assert report.applied >= 990
    assert view_of(a, [pid]) == view_of(b, [pid])


def test_lost_folder_is_seeded_again_from_a_replica(tmp_path: Path) -> None:
    a, b, c, people = _family(tmp_path)
    pid = people["P1"]
    write_items(a.vault, pid, one_of_each("seed") + [scan_document("seed")])
    a.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    b.sync.sync_now()
    shutil.rmtree(a.folder)
    with pytest.raises(SyncFolderMissing, match="missing"):
        a.sync.sync_now()
    assert a.sync.status().folder_ok is False
    # the manage proxy's replica seeds a new folder; a brand-new owner device joins it
    new = tmp_path / "new-folder"
    b.sync.setup(new)
    d = join_device(tmp_path, "D", OWNER_PW, new)
    assert view_of(d, [pid]) == view_of(a, [pid])
    assert RecordService(d.vault).verify_documents() if hasattr(RecordService, "verify_documents") else True
    rep = d.vault.verify()
    assert rep.ok, rep


def test_key_rotated_while_a_device_was_offline(tmp_path: Path) -> None:
    """The owner revokes a proxy (the person's key is rotated) while the owner's second device is away; it
    comes back, moves its copy to the new key and reads what was written since.  A device that joins
    afterwards reads everything, older segments included."""
    a, b, c, people = _family(tmp_path)
    pid = people["P1"]
    d = join_device(tmp_path, "D", OWNER_PW, a.folder)
    write_items(a.vault, pid, one_of_each("before") + [scan_document("before")])
    a.sync.sync_now()
    shutil.copytree(a.folder, d.folder, dirs_exist_ok=True)
    d.sync.sync_now()
    access.revoke(a.vault, "Vic", pid)
    write_items(a.vault, pid, one_of_each("after"))
    a.sync.sync_now()
    shutil.copytree(a.folder, d.folder, dirs_exist_ok=True)
    d.sync.sync_now()
    d.sync.sync_now()
    assert view_of(d, [pid]) == view_of(a, [pid])
    assert d.vault.verify().ok
    e = join_device(tmp_path, "E", OWNER_PW, a.folder)
    assert view_of(e, [pid]) == view_of(a, [pid])
    # the revoked viewer's device gets the files but reads nothing written after the rotation
    shutil.copytree(a.folder, c.folder, dirs_exist_ok=True)
    c.sync.sync_now()
    assert not c.vault.can_see(pid)


def test_sync_files_carry_no_health_data_in_plaintext(tmp_path: Path) -> None:
    a, people = start_family(tmp_path)
    write_items(a.vault, people["P1"], one_of_each("PLAINMARK"))
    a.sync.sync_now()
    for rel, data in files_of(a.folder).items():
        assert b"PLAINMARK" not in data and b"Ann Parent" not in data, rel
        assert "Ann" not in rel


_CHILD = """
import sys, time
from medrecords_desktop.replica.replica import Replica
from medrecords_desktop.vault.vault import Vault
from tests.factories import one_of_each, write_items
vault = Vault.open(sys.argv[1], sys.argv[2])
Replica.SEGMENT_RECORDS = 50
if sys.argv[3] == "write":
    write_items(vault, sys.argv[4], [x for i in range(60) for x in one_of_each(f"late{i}")])
print("GO", flush=True)
Replica(vault).sync_now()
print("DONE", flush=True)
time.sleep(30)
"""


def _kill_during(args: list[str], delay: float) -> bool:
    """Run the child, kill -9 it ``delay`` seconds after it starts syncing; True when it was killed mid-way."""
    import os
    import signal
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "GO"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    out = proc.stdout.read()
    proc.wait()
    return "DONE" not in out


@pytest.mark.slow
def test_kill_9_during_sync_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kill -9 while a device applies (many small segments) and while the owner's device exports: after a
    restart every record is there once, and the devices agree."""
    a, people = start_family(tmp_path)
    pid = people["P1"]
    monkeypatch.setattr(Replica, "SEGMENT_RECORDS", 50)
    write_items(a.vault, pid, [x for i in range(120) for x in one_of_each(f"bulk{i}")])
    a.sync.sync_now()
    killed = 0
    for n, delay in enumerate((0.02, 0.15, 0.4)):
        folder = tmp_path / f"folder-K{n}"
        shutil.copytree(a.folder, folder)
        vdir = tmp_path / f"vault-K{n}"
        join(folder, vdir, OWNER_PW).close()  # joined, nothing applied yet: the child applies it all
        killed += _kill_during([str(vdir), OWNER_PW, "apply"], delay)
        dev = Device(f"K{n}", Vault.open(vdir, OWNER_PW), folder)
        assert dev.vault.verify().ok
        dev.sync.sync_now()
        assert view_of(dev, [pid]) == view_of(a, [pid])
        dev.vault.close()
    assert killed >= 1  # at least one kill landed before the sync finished
    # the owner's device killed while it writes and exports
    a.vault.close()
    vdir = tmp_path / "vault-A"
    _kill_during([str(vdir), OWNER_PW, "write", pid], 0.5)
    a = Device("A", Vault.open(vdir, OWNER_PW), a.folder)
    a.sync.sync_now()
    b = join_device(tmp_path, "B", OWNER_PW, a.folder)
    assert view_of(b, [pid]) == view_of(a, [pid])
    assert not a.sync.conflicts() and not b.sync.conflicts()


def test_half_copied_original_waits_and_a_cut_copy_in_the_folder_is_written_again(tmp_path: Path) -> None:
    a, people = start_family(tmp_path)
    pid = people["P1"]
    b = join_device(tmp_path, "B", OWNER_PW, a.folder)
    write_items(a.vault, pid, [scan_document("bigscan")])
    a.sync.sync_now()
    shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
    orig = next((b.folder / "orig" / pid).iterdir())
    whole = orig.read_bytes()
    orig.write_bytes(whole[: len(whole) // 2])
    b.sync.sync_now()
    assert b.sync.status().missing_originals == 1  # the half copy was not taken
    orig.write_bytes(whole)
    b.sync.sync_now()
    assert b.sync.status().missing_originals == 0 and b.vault.verify().ok
    # the owner's own copy in the folder cut short by something: the owner's next sync writes it again
    mine = a.folder / "orig" / pid / orig.name
    mine.write_bytes(whole[:100])
    a.sync.sync_now()
    assert mine.read_bytes() == whole
