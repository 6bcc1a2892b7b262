"""This device's replica of a vault, kept in step through a shared folder (see docs/design.md, "Replication").

Local state, beside the vault (no health data in plaintext):
  replica/config.json     this device's id and name, the shared folder, the clock, the last sync's figures
  replica/segments/<stream>/<sha>.seg   every segment this device wrote or read (the folder can be re-seeded)
  replica/rosters/<serial>.json         every signed roster version seen
and in each database the rep_* tables of vault/changes.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, MedRecordsError
from ..progress import CancelToken, Progress
from ..vault import changes
from ..vault.crypto import b64d
from ..vault.db import Db
from ..vault.header import Header
from ..vault.roster import Roster, RosterInvalid, verify_sig
from ..vault.vault import Vault
from . import format as fmt
from .engine import Stream

MARKER = "medrecords-replica.json"
HOUSEHOLD = "household"


class SyncFolderMissing(MedRecordsError):
    pass


class SyncCancelled(MedRecordsError):
    pass


@dataclass
class Refused:
    stream: str
    device: str
    user_id: str
    seq: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class SyncReport:
    exported: int = 0
    applied: int = 0
    segments_read: int = 0
    partial: int = 0
    duplicates: int = 0
    refused: list[Refused] = field(default_factory=list)
    conflicts: int = 0
    waiting: int = 0  # whole segments that cannot be read yet (their roster version or key has not arrived)
    bad: list[str] = field(default_factory=list)
    seconds: float = 0.0
    first_shown: float | None = None  # seconds until the first person's records were applied
    read_seconds: float = 0.0  # reading, checking and decrypting segments
    apply_seconds: float = 0.0  # merging records into the databases (commits included)

    def to_json(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "refused"}
        d["refused"] = [r.to_json() for r in self.refused]
        return d


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Replica:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.dir = vault.path / "replica"
        self.config_path = vault.path / changes.CONFIG
        self.config: dict[str, Any] = json.loads(self.config_path.read_text()) if self.config_path.exists() else {}
        self.hlc = fmt.Hlc(self.config.get("device", ""), self.config.get("hlc", ""))
        self._index: dict[str, tuple[int, int, str]] = {}
        self._rosters: dict[int, Roster] = {}

    # ------------------------------------------------------------------ configuration
    @property
    def configured(self) -> bool:
        return bool(self.config.get("device"))

    @property
    def device(self) -> str:
        return str(self.config["device"])

    @property
    def folder(self) -> Path:
        return Path(self.config["folder"])

    def _save(self) -> None:
        self.config["hlc"] = self.hlc.stamp()
        fmt.write_atomic(self.config_path, json.dumps(self.config, indent=1).encode())

    def setup(self, folder: Path | str) -> str:
        """Start a shared folder, or seed a new one for a replica whose folder was lost.  Returns what
        happened ("started", "seeded", "same")."""
        folder = Path(folder).expanduser().absolute()
        marker = folder / MARKER
        vid = self.vault.header.vault_id
        if marker.exists():
            theirs = json.loads(marker.read_text()).get("vault_id")
            if theirs != vid:
                raise InvalidInput(f"{folder} holds another vault's replica; choose an empty folder.")
            if self.configured:
                self.config["folder"] = str(folder)
                self._save()
                return "same"
            raise InvalidInput(
                f"{folder} already holds this vault, written by other devices. This vault folder has records of its "
                "own: join from a new vault folder instead (medrecords --vault NEWDIR sync setup --folder DIR), "
                "so that nothing is stored twice."
            )
        if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
            raise InvalidInput(f"{folder} is not empty and is not a MedRecords shared folder; choose an empty folder.")
        folder.mkdir(parents=True, exist_ok=True)
        seeding = self.configured
        if not seeding:
            self.config = {"device": "d" + os.urandom(5).hex(), "name": platform.node() or "this computer"}
            self.hlc = fmt.Hlc(self.config["device"])
        self.config["folder"] = str(folder)
        self.dir.mkdir(exist_ok=True)
        self._save()
        fmt.write_atomic(marker, fmt.canonical({"format": "medrecords-replica", "version": 1, "vault_id": vid}))
        if not seeding:
            self._install(mark_all=True)
        return "seeded" if seeding else "started"

    def _install(self, mark_all: bool) -> None:
        for name, db, _key in self.streams():
            household = name == HOUSEHOLD
            changes.install(db, household)
            if mark_all:
                with db.transaction() as conn:
                    for t in changes.HOUSEHOLD_TABLES if household else changes.PERSON_TABLES:
                        conn.execute(f"INSERT OR IGNORE INTO rep_dirty(tbl, rid) SELECT '{t}', rowid FROM {t}")

    def streams(self) -> list[tuple[str, Db, bytes]]:
        out = [(HOUSEHOLD, self.vault.household, self.vault.household_key())]
        for pid in self.vault.person_ids():
            if self.vault.can_see(pid):
                out.append((pid, self.vault.person_db(pid), self.vault.person_key(pid)))
        return out

    def _check_folder(self) -> None:
        if not self.configured:
            raise InvalidInput(
                "This vault is not kept in a shared folder yet: run 'medrecords sync setup --folder DIR'."
            )
        marker = self.folder / MARKER
        if not marker.exists():
            raise SyncFolderMissing(
                f"The shared folder {self.folder} is missing (or not synced yet). Nothing is lost: this computer keeps "
                "everything. To start again, run 'medrecords sync setup --folder NEWDIR' here; the other computers "
                "then join NEWDIR."
            )

    # ------------------------------------------------------------------ rosters and headers
    def _owner_key(self) -> bytes:
        r = self.vault.roster
        if r is None:
            raise InvalidInput("The vault's roster did not verify; replication is off until it is repaired.")
        return b64d(r.users[r.owner].sign)

    def _rosters_known(self) -> dict[int, Roster]:
        if self._rosters:
            return self._rosters
        owner, vid = self._owner_key(), self.vault.header.vault_id
        for d in (self.dir / "rosters", self.folder / "roster"):
            for p in sorted(d.glob("*.json")) if d.exists() else []:
                if fmt.is_temp(p.name):
                    continue
                try:
                    doc = json.loads(p.read_bytes())
                    r = Roster.verify(doc, owner, vid)
                except (ValueError, RosterInvalid, OSError):
                    continue
                if r.serial not in self._rosters:
                    self._rosters[r.serial] = r
                    local = self.dir / "rosters" / f"{r.serial}.json"
                    if not local.exists():
                        fmt.write_atomic(local, fmt.canonical(doc))
        cur = self.vault.roster
        if cur is not None:
            self._rosters.setdefault(cur.serial, cur)
        return self._rosters

    def _exchange_headers(self) -> list[str]:
        """Publish this device's vault.json and rosters; adopt a newer roster's vault.json."""
        gained: list[str] = []
        best: tuple[int, Header] | None = None
        hdir = self.folder / "header"
        for p in sorted(hdir.glob("*.json")) if hdir.exists() else []:
            if p.stem == self.device or fmt.is_temp(p.name):
                continue
            try:
                h = Header.read_file(p)
                r = Roster.verify(h.roster, self._owner_key(), self.vault.header.vault_id)
            except (MedRecordsError, RosterInvalid, ValueError, OSError):
                continue
            if (
                self.vault.roster is not None
                and r.serial > self.vault.roster.serial
                and (best is None or r.serial > best[0])
            ):
                best = (r.serial, h)
        if best is not None:
            # changes captured under the old keys go out first (a rotated person's database is re-encrypted)
            for name, db, key in self.streams():
                self._export_stream(name, db, key, SyncReport())
            gained = self.vault.adopt_header(best[1])
            for name in gained:
                pid = name.removeprefix("person:")
                if name.startswith("person:"):
                    changes.install(self.vault.person_db(pid), household=False)
        mine = hdir / f"{self.device}.json"
        data = json.dumps(self.vault.header.to_json(), indent=1).encode()
        if not mine.exists() or mine.read_bytes() != data:
            fmt.write_atomic(mine, data)
        roster_doc = self.vault.header.roster
        if self.vault.roster is not None:
            serial = self.vault.roster.serial
            rp = self.folder / "roster" / f"{serial}.{self.device}.json"
            doc = fmt.canonical(roster_doc)
            if not rp.exists() or rp.read_bytes() != doc:  # missing, or cut short by a copier: again
                fmt.write_atomic(rp, doc)
            local = self.dir / "rosters" / f"{serial}.json"
            if not local.exists():
                fmt.write_atomic(local, fmt.canonical(roster_doc))
        # every roster version this replica holds stays readable in the folder: segments name older versions too
        for p in (self.dir / "rosters").glob("*.json") if (self.dir / "rosters").exists() else []:
            dst = self.folder / "roster" / f"{p.stem}.{self.device}.json"
            data = p.read_bytes()
            if not dst.exists() or dst.read_bytes() != data:
                fmt.write_atomic(dst, data)
        self._rosters = {}
        return gained

    # ------------------------------------------------------------------ one sync
    def sync_now(self, progress: Progress | None = None, cancel: CancelToken | None = None) -> SyncReport:
        t0 = time.perf_counter()
        self._check_folder()
        report = SyncReport()
        self._exchange_headers()
        streams = self.streams()
        for n, (name, db, key) in enumerate(streams):
            if cancel is not None and cancel.is_set():
                raise SyncCancelled("Sync stopped; what was applied is kept, the rest comes next time.")
            if progress:
                progress(n, len(streams), "household" if name == HOUSEHOLD else "a person's records")
            self._sync_stream(name, db, key, report, cancel, t0)
            if name != HOUSEHOLD:
                self._originals(name, db)
        self._write_head()
        self.config["last_sync"] = _now()
        self.config["last_report"] = {
            "partial": report.partial,
            "waiting": report.waiting,
            "refused": len(report.refused),
            "bad": report.bad[:20],
        }
        self._save()
        report.seconds = time.perf_counter() - t0
        if progress:
            progress(len(streams), len(streams), "done")
        return report

    def _sign_segment(self) -> tuple[str, int]:
        roster = self.vault.roster
        return self.vault.user.id, (roster.serial if roster is not None else 0)

    def _write_segment(self, conn: Any, name: str, key: bytes, records: list[dict[str, Any]]) -> str:
        """Encode, keep locally, book as seen (in the caller's transaction); published after commit."""
        seq = int(conn.execute("SELECT next_seq FROM rep_state").fetchone()[0])
        user, serial = self._sign_segment()
        data = fmt.encode(name, self.device, seq, key, user, serial, self.vault.sign, records)
        sha = hashlib.sha256(data).hexdigest()
        fmt.write_atomic(self.dir / "segments" / name / f"{sha}.seg", data)
        conn.execute(
            "INSERT OR IGNORE INTO rep_seen(sha, dev, seq, user_id, records, applied, hlc) VALUES (?,?,?,?,?,?,?)",
            (sha, self.device, seq, user, len(records), _now(), records[-1]["h"]),
        )
        conn.execute("UPDATE rep_state SET next_seq=?", (seq + 1,))
        return sha

    SEGMENT_RECORDS = 5000

    def _export_stream(self, name: str, db: Db, key: bytes, report: SyncReport) -> None:
        st = Stream(db, name == HOUSEHOLD)
        # the clock never goes behind what this replica has written or read (config.json may be older after
        # a crash), and never reuses a sequence number already in the folder (a vault restored from a backup)
        newest = db.one("SELECT max(hlc) FROM rep_seen")
        if newest and newest[0]:
            self.hlc.see(str(newest[0]))
        out = self.folder / "seg" / name
        prefix = f"{self.device}-"
        used = [
            int(n[len(prefix) : len(prefix) + 8])
            for n in (os.listdir(out) if out.exists() else [])
            if n.startswith(prefix) and n[len(prefix) : len(prefix) + 8].isdigit()
        ]
        if used:
            with db.transaction() as conn:
                conn.execute("UPDATE rep_state SET next_seq = max(next_seq, ?)", (max(used) + 1,))
        while True:
            with db.transaction() as conn:
                recs = st.export(conn, self.device, self.hlc, limit=self.SEGMENT_RECORDS)
                if not recs:
                    break
                st.note_own(conn, recs, self.device, self.vault.user.id)
                self._write_segment(conn, name, key, recs)
                report.exported += len(recs)
            self._save()  # the clock never goes back, even after a crash
        self._publish(name, db)

    def _keyring(self, name: str, db: Db, key: bytes) -> dict[str, bytes]:
        """Every key this stream's segments were written under that this device may read: the current one,
        those its database remembers (they travel with it through a key rotation), and those the folder's
        keyring files give under a key held here.  A keyring file ``keys/<stream>/<kid>.<device>.key``
        holds the older keys, AES-GCM under the key ``kid``: whoever holds the new key reads the history;
        a user who lost access (and kept only old keys) reads nothing new."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        kid = fmt.key_id(key)
        with db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO rep_keys(kid, key) VALUES (?,?)", (kid, key))
        keys = {k: bytes(v) for k, v in db.query("SELECT kid, key FROM rep_keys")}
        kdir = self.folder / "keys" / name
        found: dict[str, bytes] = {}
        for _ in range(3):  # a chain of rotations: newer files open older ones
            for p in sorted(kdir.glob("*.key")) if kdir.exists() else []:
                k_of = p.name.split(".")[0]
                if k_of not in keys or fmt.is_temp(p.name):
                    continue
                data = p.read_bytes()
                try:
                    plain = AESGCM(fmt.seg_key(keys[k_of])).decrypt(data[:12], data[12:], f"keyring:{name}".encode())
                    for k, v in json.loads(plain).items():
                        if k not in keys:
                            keys[k] = found[k] = fmt.unb64(v)
                except (InvalidTag, ValueError):
                    continue
        if found:
            with db.transaction() as conn:
                conn.executemany("INSERT OR IGNORE INTO rep_keys(kid, key) VALUES (?,?)", list(found.items()))
        older = {k: fmt.b64(v) for k, v in keys.items() if k != kid}
        mine = kdir / f"{kid}.{self.device}.key"
        intact = False
        if mine.exists():
            data = mine.read_bytes()
            try:
                plain = AESGCM(fmt.seg_key(key)).decrypt(data[:12], data[12:], f"keyring:{name}".encode())
                intact = sorted(json.loads(plain)) == sorted(older)
            except (InvalidTag, ValueError):
                intact = False  # cut short or altered by something: written again
        if older and not intact:
            nonce = os.urandom(12)
            ct = AESGCM(fmt.seg_key(key)).encrypt(nonce, json.dumps(older).encode(), f"keyring:{name}".encode())
            fmt.write_atomic(mine, nonce + ct)
        return keys

    def _publish(self, name: str, db: Db) -> None:
        out = self.folder / "seg" / name
        have = {e.name: e.stat().st_size for e in os.scandir(out)} if out.exists() else {}
        for sha, seq in db.query("SELECT sha, seq FROM rep_seen WHERE dev=?", (self.device,)):
            fname = fmt.seg_name(self.device, int(seq))
            src = self.dir / "segments" / name / f"{sha}.seg"
            if not src.exists() or have.get(fname) == src.stat().st_size:
                continue
            fmt.write_atomic(out / fname, src.read_bytes())  # missing, or cut short by something: again

    def _sync_stream(
        self, name: str, db: Db, key: bytes, report: SyncReport, cancel: CancelToken | None, t0: float
    ) -> None:
        self._export_stream(name, db, key, report)
        st = Stream(db, name == HOUSEHOLD)
        t_read = time.perf_counter()
        seen = {r[0] for r in db.query("SELECT sha FROM rep_seen")}
        keys = self._keyring(name, db, key)
        pending: list[tuple[dict[str, Any], str, str]] = []
        this_pass: set[str] = set()
        for d in (self.folder / "seg" / name, self.dir / "segments" / name):
            if not d.exists():
                continue
            local = d == self.dir / "segments" / name
            for entry in os.scandir(d):
                if fmt.is_temp(entry.name) or not entry.is_file():
                    continue
                st_ = entry.stat()
                cached = self._index.get(entry.path)
                if cached and cached[:2] == (st_.st_size, st_.st_mtime_ns) and cached[2] in seen:
                    report.duplicates += int(cached[2] in this_pass)
                    this_pass.add(cached[2])
                    continue
                data = Path(entry.path).read_bytes()
                sha = hashlib.sha256(data).hexdigest()
                self._index[entry.path] = (st_.st_size, st_.st_mtime_ns, sha)
                if sha in seen:
                    report.duplicates += int(sha in this_pass)  # the same segment under two names
                    continue
                this_pass.add(sha)
                try:
                    head, _ = fmt.read_header(data)
                except fmt.Partial:
                    report.partial += 1
                    continue
                except fmt.BadSegment as e:
                    report.bad.append(f"{entry.name}: {e}")
                    continue
                if head["stream"] != name:
                    report.bad.append(f"{entry.name}: belongs to another stream")
                    continue
                if local and head["device"] == self.device:
                    # written by an export whose transaction never committed (the app was killed): its
                    # changes are still captured and went out again in another segment
                    Path(entry.path).unlink(missing_ok=True)
                    continue
                if head["kid"] not in keys:
                    report.waiting += 1  # under a key this device does not hold (yet)
                    continue
                seen.add(sha)
                # decrypted one at a time when applied: memory holds one segment, not the whole history
                pending.append((head, entry.path, sha))
        report.read_seconds += time.perf_counter() - t_read
        rosters = self._rosters_known() if pending else {}
        pending.sort(key=lambda x: (x[0]["device"], int(x[0]["seq"]), x[2]))
        with db.bulk_write() if len(pending) > 1 else contextlib.nullcontext():
            self._apply_pending(name, db, st, pending, rosters, report, cancel, t0, keys)

    def _apply_pending(
        self,
        name: str,
        db: Db,
        st: Stream,
        pending: list[tuple[dict[str, Any], str, str]],
        rosters: dict[int, Roster],
        report: SyncReport,
        cancel: CancelToken | None,
        t0: float,
        keys: dict[str, bytes],
    ) -> None:
        for head, path, sha in pending:
            if cancel is not None and cancel.is_set():
                raise SyncCancelled("Sync stopped; what was applied is kept, the rest comes next time.")
            t1 = time.perf_counter()
            try:
                data = Path(path).read_bytes()
                if hashlib.sha256(data).hexdigest() != sha:
                    continue  # changed since it was looked at: next time
                seg = fmt.decode(data, keys[head["kid"]])
            except (OSError, fmt.Partial):
                continue
            except fmt.BadSegment as e:
                report.bad.append(f"{Path(path).name}: {e}")
                continue
            finally:
                report.read_seconds += time.perf_counter() - t1
            roster = rosters.get(seg.serial)
            if roster is None:
                report.waiting += 1
                continue
            signer = roster.users.get(seg.user)
            if signer is None or not fmt.signature_ok(seg, b64d(signer.sign)):
                report.refused.append(Refused(name, seg.device, seg.user, seg.seq, "signature does not verify"))
                self._book(db, seg, data, name, refused=len(seg.records or []), reason="bad signature")
                continue
            ok, refused, reason = [], 0, ""
            for rec in seg.records or []:
                why = allowed(roster, seg.user, name, rec)
                if why is None:
                    ok.append(rec)
                else:
                    refused += 1
                    reason = why
            if refused:
                report.refused.append(Refused(name, seg.device, seg.user, seg.seq, f"{refused} change(s): {reason}"))
            for r in ok:
                self.hlc.see(r["h"])
            t1 = time.perf_counter()
            with db.transaction() as conn:
                res = st.apply(conn, ok, seg.device, seg.user)
                self._book(db, seg, data, name, refused, reason, conn=conn)
            report.apply_seconds += time.perf_counter() - t1
            report.applied += res.applied
            report.conflicts += res.conflicts
            report.segments_read += 1
            if report.first_shown is None and name != HOUSEHOLD and res.applied:
                report.first_shown = time.perf_counter() - t0

    def _book(
        self, db: Db, seg: fmt.Segment, data: bytes, name: str, refused: int, reason: str, conn: Any = None
    ) -> None:
        local = self.dir / "segments" / name / f"{seg.sha}.seg"
        if not local.exists():
            fmt.write_atomic(local, data)
        sql = (
            "INSERT OR IGNORE INTO rep_seen(sha, dev, seq, user_id, records, refused, reason, hlc, applied)"
            " VALUES (?,?,?,?,?,?,?,?,?)"
        )
        args = (
            seg.sha,
            seg.device,
            seg.seq,
            seg.user,
            len(seg.records or []),
            refused,
            reason or None,
            max((r["h"] for r in seg.records or []), default=""),
            _now(),
        )
        if conn is not None:
            conn.execute(sql, args)
        else:
            with db.transaction() as c:
                c.execute(sql, args)

    # ------------------------------------------------------------------ original documents (files)
    def _originals(self, pid: str, db: Db) -> None:
        """Originals kept as files: publish this device's (again when the folder's copy is not whole), take the
        others' once they decrypt and match their SHA-256 (a half-copied file waits)."""
        store = self.vault.blob_store(pid)
        shared = self.folder / "orig" / pid
        names = db.query("SELECT name, sha256 FROM blobs WHERE data IS NULL")
        if not names:
            return
        there = {e.name: e.stat().st_size for e in os.scandir(shared)} if shared.exists() else {}
        for name, sha in names:
            local = store.path_of(name)
            if local.exists():
                if there.get(name) != local.stat().st_size:
                    fmt.write_atomic(shared / name, local.read_bytes())
            elif name in there:
                fmt.write_atomic(local, (shared / name).read_bytes())
                try:
                    for _chunk in store.iter_plain(name, sha):
                        pass
                except (MedRecordsError, ValueError, OSError):
                    local.unlink(missing_ok=True)  # not whole yet: next time

    def missing_originals(self) -> int:
        n = 0
        for name, db, _key in self.streams():
            if name == HOUSEHOLD:
                continue
            store = self.vault.blob_store(name)
            names = db.query("SELECT name FROM blobs WHERE data IS NULL")
            n += sum(1 for (b,) in names if not store.path_of(b).exists())
        return n

    # ------------------------------------------------------------------ heads
    def _write_head(self) -> None:
        streams = {}
        for name, db, _key in self.streams():
            row = db.one("SELECT next_seq FROM rep_state")
            streams[name] = int(row[0]) - 1 if row else 0
        body = fmt.canonical(
            {
                "device": self.device,
                "name": self.config.get("name", ""),
                "user": self.vault.user.id,
                "last_seen": _now(),
                "hlc": self.hlc.stamp(),
                "streams": streams,
            }
        ).decode()
        sig = self.vault.sign(b"medrecords-head-v1\x00" + body.encode())
        fmt.write_atomic(
            self.folder / "heads" / f"{self.device}.json", json.dumps({"body": body, "sig": fmt.b64(sig)}).encode()
        )

    def heads(self) -> list[dict[str, Any]]:
        """Every device's head whose signature verifies with its user's key (latest roster)."""
        out = []
        roster = self.vault.roster
        d = self.folder / "heads"
        for p in sorted(d.glob("*.json")) if d.exists() else []:
            if fmt.is_temp(p.name):
                continue
            try:
                doc = json.loads(p.read_bytes())
                body = json.loads(doc["body"])
                u = roster.users.get(body["user"]) if roster else None
                if u is None or not verify_sig(
                    b64d(u.sign), fmt.unb64(doc["sig"]), b"medrecords-head-v1\x00" + doc["body"].encode()
                ):
                    continue
            except (ValueError, KeyError, TypeError, OSError):
                continue
            out.append(body)
        return out

    # ------------------------------------------------------------------ seeding a new folder
    def seed_into(self, folder: Path, progress: Progress | None = None) -> int:
        """Copy every segment this replica holds, and its originals, into a new shared folder."""
        n = 0
        streams = self.streams()
        for i, (name, db, _key) in enumerate(streams):
            if progress:
                progress(i, len(streams), "copying")
            out = folder / "seg" / name
            for sha, dev, seq in db.query("SELECT sha, dev, seq FROM rep_seen"):
                src = self.dir / "segments" / name / f"{sha}.seg"
                if not src.exists():
                    continue
                dst = out / fmt.seg_name(dev, int(seq))
                if dst.exists() and hashlib.sha256(dst.read_bytes()).hexdigest() != sha:
                    dst = out / f"{dev}-{int(seq):08d}.{sha[:12]}.seg"
                if not dst.exists():
                    fmt.write_atomic(dst, src.read_bytes())
                    n += 1
            if name != HOUSEHOLD:
                self._originals(name, db)
        for p in (self.dir / "rosters").glob("*.json"):
            dst = folder / "roster" / f"{p.stem}.{self.device}.json"
            if not dst.exists():
                fmt.write_atomic(dst, p.read_bytes())
        return n


def allowed(roster: Roster, user: str, stream: str, rec: dict[str, Any]) -> str | None:
    """None when ``user`` could make this change under ``roster``; else why not."""
    role = roster.role(user)
    if role is None:
        return "not a user of the vault in the roster it names"
    table = rec.get("t")
    if stream == HOUSEHOLD:
        if table not in changes.HOUSEHOLD_TABLES:
            return f"no table {table!r} in the household"
        if table in ("persons", "users"):
            return None if role == "owner" else "only the owner changes people and users"
        pid = (rec.get("r") or {}).get("person_id") or str(rec.get("g", "")).removeprefix("i:").split("|")[0]
        return None if roster.scope(user, pid) in ("owner", "manage") else "no manage grant for that person"
    if table not in changes.PERSON_TABLES:
        return f"no table {table!r} in a person's records"
    scope = roster.scope(user, stream)
    if scope in ("owner", "manage"):
        return None
    return "view-only: may not change records" if scope == "view" else "no grant for this person"


def join(folder: Path | str, vault_dir: Path | str, passphrase: str) -> Vault:
    """A new device: a vault folder made from the shared folder and the user's passphrase, nothing else."""
    from ..vault.crypto import open_sealed, subkey
    from ..vault.schema import HOUSEHOLD as HOUSEHOLD_SCHEMA
    from ..vault.schema import migrate

    folder = Path(folder).expanduser().absolute()
    vault_dir = Path(vault_dir).expanduser().absolute()
    marker = folder / MARKER
    if not marker.exists():
        raise InvalidInput(f"{folder} is not a MedRecords shared folder (no {MARKER}); is it synced yet?")
    if vault_dir.exists() and any(vault_dir.iterdir()):
        raise InvalidInput(f"{vault_dir} is not empty; a new device joins into a new vault folder.")
    headers: list[tuple[int, Header]] = []
    for p in sorted((folder / "header").glob("*.json")):
        if fmt.is_temp(p.name):
            continue
        with contextlib.suppress(MedRecordsError, ValueError, KeyError):
            h = Header.read_file(p)
            serial = int(json.loads(h.roster["body"])["serial"]) if h.roster else 0
            headers.append((serial, h))
    if not headers:
        raise InvalidInput(f"{folder} holds no vault header yet; wait for the sync tool to finish copying.")
    headers.sort(key=lambda x: -x[0])
    last_error: Exception | None = None
    for _serial, h in headers:
        try:
            uid, private = Vault._find_slot(h, passphrase)
        except MedRecordsError as e:
            last_error = e
            continue
        vault_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(vault_dir, 0o700)
        h.pending = {}
        h.write(vault_dir)
        hh = open_sealed(private, h.user(uid).keys["household"], Vault._aad_for(h, uid, "household"))
        if hh is None:
            shutil.rmtree(vault_dir)
            raise InvalidInput("Your keyslot in the shared folder holds no household key; ask the owner.")
        db = Db(vault_dir / "household.db", subkey(hh, "sqlcipher"), "household.db")
        try:
            migrate(db, HOUSEHOLD_SCHEMA)
            with db.transaction() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO users(id,name,role,created) VALUES (?,?,?,?)", (uid, "", "proxy", _now())
                )
                conn.execute("INSERT OR IGNORE INTO meta(key,value) VALUES ('vault_id', ?)", (h.vault_id,))
        finally:
            db.close()
        (vault_dir / "replica").mkdir()
        fmt.write_atomic(
            vault_dir / changes.CONFIG,
            json.dumps(
                {"device": "d" + os.urandom(5).hex(), "name": platform.node() or "this computer", "folder": str(folder)}
            ).encode(),
        )
        vault = Vault.open(vault_dir, passphrase)
        return vault
    raise last_error or InvalidInput("The passphrase opens no keyslot in the shared folder.")


Callback = Callable[[int, int, str], None]
