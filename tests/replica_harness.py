"""Several devices of one vault in one test, each with its own copy of the shared folder, and a hostile
copier between those copies (what a sync tool does on a bad day: half-copied files, any order,
duplicates, conflict copies, long delays)."""

from __future__ import annotations

import json
import random
import shutil
import time as _time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medrecords_desktop.replica.replica import Replica
from medrecords_desktop.services import access
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.services.sync import SyncService
from medrecords_desktop.vault.crypto import fast_test_kdf
from medrecords_desktop.vault.vault import Vault

OWNER_PW = "owner passphrase for tests"
SIB_PW = "sibling passphrase for tests"
VIC_PW = "viewer passphrase for tests"


@dataclass
class Device:
    name: str
    vault: Vault
    folder: Path  # this device's copy of the shared folder

    @property
    def sync(self) -> SyncService:
        return SyncService(self.vault)


def start_family(base: Path) -> tuple[Device, dict[str, str]]:
    """The owner's vault with three people (P3 shared with nobody), two proxies (Sib: manage P1, view P2;
    Vic: view P1), kept in the owner's copy of the shared folder."""
    vault, _ = Vault.create(base / "vault-A", OWNER_PW, owner_name="Pat Owner", kdf=fast_test_kdf())
    people = {
        k: vault.add_person(n, b).id or ""
        for k, n, b in (
            ("P1", "Ann Parent", "1950-03-04"),
            ("P2", "Ben Child", "2012-05-06"),
            ("P3", "Cas Private", "1990-07-08"),
        )
    }
    access.add_user(vault, "Sib", SIB_PW)
    access.add_user(vault, "Vic", VIC_PW)
    access.grant(vault, "Sib", people["P1"], "manage")
    access.grant(vault, "Sib", people["P2"], "view")
    access.grant(vault, "Vic", people["P1"], "view")
    folder = base / "folder-A"
    SyncService(vault).setup(folder)
    return Device("A", vault, folder), people


def join_device(base: Path, name: str, passphrase: str, source: Path) -> Device:
    folder = base / f"folder-{name}"
    if not folder.exists():
        shutil.copytree(source, folder)
    vault = SyncService.join(folder, base / f"vault-{name}", passphrase)
    return Device(name, vault, folder)


_READ: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (relative name -> bytes); unchanged files are not read again."""
    import os

    out = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            st = os.stat(path)
            stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            cached = _READ.get(path)
            if cached is None or cached[0] != stamp or st.st_mtime_ns > _time.time_ns() - 50_000_000:
                with open(path, "rb") as f:  # a file changed in the last 50 ms may change again unseen
                    cached = (stamp, f.read())
                _READ[path] = cached
            out[os.path.relpath(path, folder)] = cached[1]
    return out


def writer_of(rel: str) -> str | None:
    """The device that writes this file (its id is in the name), or None for shared content-named files."""
    name = rel.split("/")[-1]
    for part in name.replace("-", ".").split("."):
        if part.startswith("d") and len(part) == 11 and part[1:].isalnum():
            return part
    return None


def _tool_made(rel: str) -> bool:
    return ".sync-conflict-" in rel or "conflicted copy" in rel or rel.endswith(" (1).seg")


@dataclass
class Copier:
    """Moves files between the devices' folders, badly.  ``devices`` maps each folder to its device id."""

    devices: dict[Path, str]
    rng: random.Random
    p_delay: float = 0.5
    p_partial: float = 0.15
    p_conflict: float = 0.1
    p_duplicate: float = 0.05
    stats: dict[str, int] = field(
        default_factory=lambda: {"whole": 0, "partial": 0, "conflict": 0, "duplicate": 0, "delayed": 0}
    )

    def step(self) -> None:
        folders = list(self.devices)
        snap = {f: files_of(f) for f in folders}
        pairs = [(a, b) for a in folders for b in folders if a != b]
        self.rng.shuffle(pairs)
        for src, dst in pairs:
            items = list(snap[src].items())
            self.rng.shuffle(items)
            for rel, data in items:
                if _tool_made(rel):
                    continue  # conflict copies and duplicates stay where the tool made them
                target = dst / rel
                have = snap[dst].get(rel)
                if have == data:
                    continue
                if self.rng.random() < self.p_delay:
                    self.stats["delayed"] += 1
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                r = self.rng.random()
                if r < self.p_partial:
                    target.write_bytes(data[: self.rng.randrange(0, max(1, len(data)))])
                    self.stats["partial"] += 1
                elif r < self.p_partial + self.p_conflict and have is not None:
                    # the tool keeps both versions: one under a conflict name
                    stem, _dot, ext = target.name.partition(".")
                    if self.rng.random() < 0.5:
                        (
                            target.parent / f"{stem}.sync-conflict-20261202-{self.rng.randrange(10**6):06d}.{ext}"
                        ).write_bytes(data)
                    else:
                        (target.parent / f"{stem} (vm's conflicted copy 2026-12-02).{ext}").write_bytes(have)
                        target.write_bytes(data)
                    self.stats["conflict"] += 1
                else:
                    target.write_bytes(data)
                    self.stats["whole"] += 1
                    if self.rng.random() < self.p_duplicate and rel.endswith(".seg"):
                        (target.parent / f"{target.stem} (1).seg").write_bytes(data)
                        self.stats["duplicate"] += 1

    def flush(self) -> None:
        """The tool catches up: every file whole everywhere, each device's files as that device wrote them."""
        folders = list(self.devices)
        by_dev = {d: f for f, d in self.devices.items()}
        snaps = {f: files_of(f) for f in folders}
        for src in folders:
            for rel, data in snaps[src].items():
                if _tool_made(rel):
                    continue
                w = writer_of(rel)
                if w is not None and w in by_dev and by_dev[w] != src:
                    continue  # the writer's own folder is the source
                for dst in folders:
                    t = dst / rel
                    if dst == src or (t.exists() and t.read_bytes() == data):
                        continue
                    if w is None and t.exists() and len(t.read_bytes()) >= len(data):
                        continue
                    t.parent.mkdir(parents=True, exist_ok=True)
                    t.write_bytes(data)


def converge(devices: list[Device], copier: Copier, rounds: int = 4) -> None:
    for _ in range(rounds):
        for d in devices:
            d.sync.sync_now()
        copier.flush()
    for d in devices:
        d.sync.sync_now()


def view_of(dev: Device, people: list[str]) -> dict[str, Any]:
    """What the user sees of these people on this device: counts, timeline (ids are local row numbers,
    so they are left out), corrections and conflicts."""
    svc = RecordService(dev.vault)
    names = {p.id: p.name for p in dev.vault.persons()}
    stats = svc.stats()
    out: dict[str, Any] = {}
    for pid in people:
        if pid not in names:
            out[pid] = None
            continue
        entries = []
        cursor = None
        while True:
            page = svc.timeline(pid, None, None, None, limit=500, after=cursor)
            entries += [{k: v for k, v in e.to_json().items() if k not in ("id", "encounter_id")} for e in page]
            if len(page) < 500:
                break
            cursor = svc.cursor_of(page[-1])
        db = dev.vault.person_db(pid)
        corrections = sorted(json.dumps([r[0], r[1]]) for r in db.query("SELECT original, corrected FROM corrections"))
        trashed = db.one("SELECT count(*) FROM items WHERE deleted_at IS NOT NULL")[0]
        conflicts = sorted((c.gid, tuple(sorted(v.hlc for v in c.versions))) for c in dev.sync.conflicts(pid))
        timeline = sorted(entries, key=lambda e: json.dumps(e, sort_keys=True))
        out[pid] = {
            "stats": stats[names[pid]],
            "timeline": timeline,
            "corrections": corrections,
            "trashed": trashed,
            "conflicts": conflicts,
        }
    return out


def replica(dev: Device) -> Replica:
    return Replica(dev.vault)
