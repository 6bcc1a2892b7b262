"""Keeping a vault on several computers through a shared folder: the use cases both faces call.

The CLI (`medrecords sync ...`) and the Devices page use these; the work is in medrecords_desktop/replica/.
See docs/design.md, "Replication".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AccessDenied, InvalidInput
from ..progress import CancelToken, Progress
from ..replica import ledger
from ..replica.format import Hlc
from ..replica.replica import HOUSEHOLD, Refused, Replica, SyncFolderMissing, SyncReport, join
from ..vault.vault import Vault

__all__ = [
    "Conflict",
    "DeviceInfo",
    "Refused",
    "SyncFolderMissing",
    "SyncReport",
    "SyncService",
    "SyncStatus",
    "Version",
]


@dataclass
class DeviceInfo:
    device_id: str
    name: str
    user_id: str
    user_name: str
    last_seen: str | None
    this_device: bool
    waiting: int = 0

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class SyncStatus:
    configured: bool
    folder: str | None = None
    folder_ok: bool = False
    device_id: str | None = None
    user_name: str = ""
    devices: list[DeviceInfo] = field(default_factory=list)
    waiting: int = 0
    partial: int = 0
    conflicts: int = 0
    refused: list[Refused] = field(default_factory=list)
    last_sync: str | None = None
    missing_originals: int = 0

    def to_json(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k not in ("devices", "refused")}
        d["devices"] = [x.to_json() for x in self.devices]
        d["refused"] = [x.to_json() for x in self.refused]
        return d


@dataclass
class Version:
    hlc: str
    device: str
    user_name: str
    when: str
    summary: str
    shown: bool

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Conflict:
    person_id: str
    gid: str
    item_id: str | None
    title: str
    versions: list[Version]

    def to_json(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in self.__dict__.items() if k != "versions"},
            "versions": [v.to_json() for v in self.versions],
        }


def _summary(rec: dict[str, Any]) -> str:
    if rec.get("o") == "del":
        return "deleted"
    r = rec.get("r") or {}
    title = str(r.get("title") or r.get("name") or rec.get("t"))
    if r.get("value_num") is not None:
        title += f": {r['value_num']:g} {r.get('unit') or ''}".rstrip()
    if r.get("deleted_at"):
        title += " (in the Trash)"
    return title


class SyncService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.replica = Replica(vault)

    def configured(self) -> bool:
        return self.replica.configured

    def setup(self, folder: Path | str) -> SyncStatus:
        """Start a new shared folder with this vault (or, for a replica whose folder was lost, seed a new
        one); then sync once."""
        what = self.replica.setup(folder)
        if what == "seeded":
            self.replica.seed_into(self.replica.folder)
        self.vault.audit("sync.setup", detail={"what": what})
        self.replica.sync_now()
        return self.status()

    @staticmethod
    def join(
        folder: Path | str,
        vault_dir: Path | str,
        passphrase: str,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> Vault:
        """A new device joins: its vault folder is made from the shared folder and the passphrase."""
        vault = join(folder, vault_dir, passphrase)
        try:
            Replica(vault).sync_now(progress, cancel)
            vault.audit("sync.join")
        except BaseException:
            vault.close()
            raise
        return vault

    def seed(
        self, folder: Path | str, progress: Progress | None = None, cancel: CancelToken | None = None
    ) -> SyncReport:
        if not self.replica.configured:
            raise InvalidInput("This vault is not kept in a shared folder yet; use setup.")
        self.replica.setup(folder)
        self.replica.seed_into(self.replica.folder, progress)
        return self.replica.sync_now(progress, cancel)

    def sync_now(self, progress: Progress | None = None, cancel: CancelToken | None = None) -> SyncReport:
        report = self.replica.sync_now(progress, cancel)
        if report.refused:
            self.vault.audit("sync.refused", detail={"changes": [r.to_json() for r in report.refused][:20]})
        return report

    # ------------------------------------------------------------------ status
    def status(self) -> SyncStatus:
        r = self.replica
        if not r.configured:
            return SyncStatus(configured=False)
        names = self.vault.user_names()
        st = SyncStatus(
            configured=True,
            folder=str(r.folder),
            folder_ok=(r.folder / "medrecords-replica.json").exists(),
            device_id=r.device,
            user_name=self.vault.user.name,
            last_sync=r.config.get("last_sync"),
        )
        last = r.config.get("last_report") or {}
        st.partial = int(last.get("partial", 0))
        st.waiting = int(last.get("waiting", 0))
        streams = r.streams()
        seen: dict[str, dict[str, int]] = {}
        for name, db, _key in streams:
            seen[name] = ledger.newest_seq_by_device(db)
            for dev, user, seq, reason in ledger.refused_segments(db, 50):
                st.refused.append(Refused(name, dev, user, seq, reason or "refused"))
        heads = r.heads() if st.folder_ok else []
        devices: dict[str, DeviceInfo] = {}
        for h in heads:
            waiting = sum(
                max(0, int(n) - seen.get(s, {}).get(h["device"], 0))
                for s, n in (h.get("streams") or {}).items()
                if s in seen
            )
            devices[h["device"]] = DeviceInfo(
                h["device"],
                str(h.get("name") or ""),
                h["user"],
                names.get(h["user"], ""),
                h.get("last_seen"),
                h["device"] == r.device,
                waiting,
            )
        if r.device not in devices:
            devices[r.device] = DeviceInfo(
                r.device,
                str(r.config.get("name") or ""),
                self.vault.user.id,
                self.vault.user.name,
                r.config.get("last_sync"),
                True,
                0,
            )
        st.devices = sorted(devices.values(), key=lambda d: (not d.this_device, d.name, d.device_id))
        st.waiting += sum(d.waiting for d in st.devices)
        st.conflicts = len(self.conflicts())
        st.missing_originals = r.missing_originals()
        return st

    # ------------------------------------------------------------------ conflicts
    def conflicts(self, person: str | None = None) -> list[Conflict]:
        from ..replica.engine import Stream

        names = self.vault.user_names()
        out: list[Conflict] = []
        pids = [self.vault.person(person).id] if person else None
        for name, db, _key in self.replica.streams():
            if name == HOUSEHOLD or (pids is not None and name not in pids):
                continue
            st = Stream(db, household=False)
            for gid, versions in st.open_conflicts().items():
                cur = st.current(gid)
                with db.lock:
                    shown = st.current_record(db.conn, gid) if cur else None
                vs = []
                if shown is not None:
                    who = ledger.writer_of(db, gid)
                    vs.append(
                        Version(
                            shown["h"],
                            who[0] if who else "",
                            names.get(who[1], "") if who else "",
                            Hlc.wall_iso(shown["h"]) if shown["h"] else "",
                            _summary(shown),
                            True,
                        )
                    )
                for hlc, dev, user, rec in versions:
                    vs.append(Version(hlc, dev, names.get(user, ""), Hlc.wall_iso(hlc), _summary(rec), False))
                item_id = f"{name}.{cur[1]}" if cur and cur[0] == "items" and cur[1] is not None else None
                title = (shown or {}).get("r", {}) or {}
                out.append(Conflict(name, gid, item_id, str(title.get("title") or _summary(versions[0][3])), vs))
        return out

    def settle(self, person_id: str, gid: str, keep_hlc: str) -> None:
        """Keep one version of a conflicting item (the shown one or another); the rest are settled."""
        from ..replica.engine import Stream

        roster = self.vault.roster
        if roster is None or roster.scope(self.vault.user.id, person_id) not in ("owner", "manage"):
            raise AccessDenied("Settling a conflict changes the record: it needs the owner or a manage grant.")
        db = self.vault.person_db(person_id)
        st = Stream(db, household=False)
        r = self.replica
        with db.transaction() as conn:
            cur = st.current_record(conn, gid)
            opens = {h: json.loads(rec) for h, rec in ledger.kept_versions(conn, gid)}
            if not opens:
                raise InvalidInput("That conflict is already settled.")
            chosen = cur if cur is not None and cur["h"] == keep_hlc else opens.get(keep_hlc)
            if chosen is None:
                raise InvalidInput("No such version of that item.")
            rec = {
                "t": chosen["t"],
                "g": gid,
                "h": r.hlc.tick(),
                "b": sorted({*opens, *([cur["h"]] if cur else [])}),
                "o": chosen["o"],
                "r": chosen["r"],
            }
            st.apply(conn, [rec], r.device, self.vault.user.id)
            r._write_segment(conn, person_id, self.vault.person_key(person_id), [rec])
        r._save()
        self.vault.audit("sync.settle", person_id=person_id, detail={"gid": gid, "kept": keep_hlc})
