"""Replication benchmark (issue 20): a large vault replicated to a new device through a shared folder.

    python benchmarks/bench_sync.py [--resources 100000] [--originals-mb 0] [--changes 100]

1. builds a vault: one person, a generated FHIR bundle of --resources resources imported (and, with
   --originals-mb, large scanned originals of that many MB in all, stored as encrypted files);
2. starts a shared folder (the first export);
3. a new device joins with the passphrase and the folder, in a child process (its peak memory is the
   child's): time until the timeline shows (the first segment of the person applied), until complete, and
   the apply rate once the files are there (records merged per second of merging, and overall);
4. --changes corrections on the first device a week later (its clock moved on 7 days), synced, then read
   by the second device.
The KDF is the test one (the passphrase's Argon2id is not what is measured).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
PASSPHRASE = "benchmark passphrase"


def build(tmp: Path, resources: int, originals_mb: int) -> tuple[Path, Path, dict[str, float]]:
    from bench_fhir_parse import make_bundle

    from medrecords_desktop.importers.base import ParsedFile
    from medrecords_desktop.model.records import Document, Provenance
    from medrecords_desktop.services.importing import ImportOptions, ImportService
    from medrecords_desktop.services.sync import SyncService
    from medrecords_desktop.vault.crypto import fast_test_kdf
    from medrecords_desktop.vault.vault import Vault

    figures: dict[str, float] = {}
    bundle = tmp / "bundle.json"
    bundle.write_text(json.dumps(make_bundle(resources), separators=(",", ":")))
    vdir, folder = tmp / "vault-A", tmp / "shared"
    v, _ = Vault.create(vdir, PASSPHRASE, owner_name="Bench Owner", kdf=fast_test_kdf())
    try:
        t = time.perf_counter()
        report = ImportService(v).import_paths([bundle], ImportOptions(create_persons=True))
        assert not report.failed, report.files[0].error
        figures["import_s"] = time.perf_counter() - t
        person = v.persons()[0]
        assert person.id
        if originals_mb:
            chunk = 8 * 1024 * 1024
            docs = []
            for i in range(max(1, originals_mb * 1024 * 1024 // chunk)):
                body = (f"scan {i} ".encode() * (chunk // 8 + 1))[:chunk]
                docs.append(
                    Document(
                        title=f"Scan {i}",
                        date="2025-01-01",
                        mime="application/octet-stream",
                        content=body,
                        provenance=Provenance(source_kind="file", source_name="scans", source_id=f"scan-{i}"),
                    )
                )
            t = time.perf_counter()
            ImportService(v).write_parsed(
                ParsedFile(source_name="scans", format="test", items=docs), ImportOptions(person=person.id)
            )
            figures["originals_import_s"] = time.perf_counter() - t
        figures["items"] = int(v.person_db(person.id).one("SELECT count(*) FROM items")[0])
        t = time.perf_counter()
        SyncService(v).setup(folder)
        figures["first_export_s"] = time.perf_counter() - t
    finally:
        v.close()
    figures["folder_mb"] = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
    return vdir, folder, figures


def join_child(folder: str, vdir: str) -> None:
    """Run in a child process: join, sync, print figures as JSON."""
    from medrecords_desktop.replica.replica import Replica, join
    from medrecords_desktop.services.records import RecordService

    t0 = time.perf_counter()
    v = join(folder, vdir, PASSPHRASE)
    joined = time.perf_counter() - t0
    rep = Replica(v).sync_now()
    total = time.perf_counter() - t0
    svc = RecordService(v)
    page = svc.timeline(None, None, None, None, limit=50)
    stats = svc.stats()
    v.close()
    print(
        json.dumps(
            {
                "join_s": joined,
                "complete_s": total,
                "timeline_s": joined + (rep.first_shown or 0),
                "applied": rep.applied,
                "apply_s": rep.apply_seconds,
                "read_s": rep.read_seconds,
                "sync_s": rep.seconds,
                "first_page": len(page),
                "stats": stats,
                "peak_mb": peak_mb(),
            }
        )
    )


def peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: ru_maxrss would carry the parent's peak
    across fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--originals-mb", type=int, default=0)
    ap.add_argument("--changes", type=int, default=100)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--join-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.join_child:
        join_child(*args.join_child)
        return
    import os

    tmp = Path(tempfile.mkdtemp(prefix="mr-sync-"))
    os.environ["MEDRECORDS_DEVICE_DIR"] = str(tmp / "device-state")
    try:
        vdir, folder, figs = build(tmp, args.resources, args.originals_mb)
        print(
            f"vault: {int(figs['items']):,} items, import {figs['import_s']:.1f} s; first export to the shared "
            f"folder {figs['first_export_s']:.1f} s; shared folder {figs['folder_mb']:.0f} MB"
        )
        vb = tmp / "vault-B"
        out = subprocess.run(
            [sys.executable, __file__, "--join-child", str(folder), str(vb)],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        j = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"new device: joined in {j['join_s']:.2f} s; timeline shows after {j['timeline_s']:.2f} s; complete "
            f"after {j['complete_s']:.1f} s ({j['applied']:,} records)"
        )
        print(
            f"  apply rate once the files are there: {j['applied'] / max(j['apply_s'], 1e-9):,.0f} records/s "
            f"merging ({j['apply_s']:.1f} s), {j['applied'] / max(j['sync_s'], 1e-9):,.0f} records/s overall "
            f"(reading and decrypting {j['read_s']:.1f} s)"
        )
        print(f"  peak memory of the joining process: {j['peak_mb']:.0f} MB")
        changes_after_a_week(tmp, vdir, vb, folder, args.changes)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def changes_after_a_week(tmp: Path, va: Path, vb: Path, folder: Path, n: int) -> None:
    import random

    from medrecords_desktop.replica import format as fmt
    from medrecords_desktop.services.editing import EditingService
    from medrecords_desktop.services.records import RecordService
    from medrecords_desktop.services.sync import SyncService
    from medrecords_desktop.vault.vault import Vault

    class WeekLater:
        @staticmethod
        def time() -> float:
            return time.time() + 7 * 86400

    fmt.time = WeekLater  # type: ignore[assignment]
    a = Vault.open(va, PASSPHRASE)
    try:
        pid = a.persons()[0].id
        assert pid
        rows = [r[0] for r in a.person_db(pid).query("SELECT id FROM items WHERE kind='observation' LIMIT 5000")]
        ed = EditingService(a)
        for rid in random.Random(7).sample(rows, min(n, len(rows))):
            ed.correct(f"{pid}.{rid}", {"title": f"Corrected {rid}"}, reason="benchmark")
        t = time.perf_counter()
        ra = SyncService(a).sync_now()
        send = time.perf_counter() - t
        want = RecordService(a).stats()
    finally:
        a.close()
    b = Vault.open(vb, PASSPHRASE)
    try:
        t = time.perf_counter()
        rb = SyncService(b).sync_now()
        recv = time.perf_counter() - t
        same = RecordService(b).stats() == want
    finally:
        b.close()
    print(
        f"{n} corrections a week later: sent in {send:.2f} s ({ra.exported} records), read by the other device "
        f"in {recv:.2f} s ({rb.applied} records applied); same counts on both: {same}"
    )


if __name__ == "__main__":
    main()
