"""Replication through real Syncthing (issue 20): a vault carried to a new device by two Syncthing instances on
127.0.0.1, the way a family would use it.

    python benchmarks/bench_syncthing.py [--resources 20000] [--changes 100]

1. builds a vault (benchmarks/bench_sync.py's builder: one person, a generated FHIR bundle of --resources
   resources) and starts its shared folder inside instance A's folder;
2. adds the folder to Syncthing A with the app's own REST client (``add_folder``, shared with B), B accepts the
   offer (``accept``): time until B's copy is whole (Syncthing's transfer), then the new device joins from it
   (time until complete);
3. --changes corrections on A, ``sync now`` (then a REST scan, as the Devices page does), Syncthing carries
   them, ``sync now`` on B: the time from A's sync to B showing them.
Needs the ``syncthing`` program (Debian package); the KDF is the test one.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=20_000)
    ap.add_argument("--changes", type=int, default=100)
    args = ap.parse_args()
    if shutil.which("syncthing") is None:
        sys.exit("bench_syncthing: the syncthing program is not installed (Debian package syncthing)")
    from bench_sync import PASSPHRASE, build

    from medrecords_desktop.replica import syncthing as st
    from medrecords_desktop.services.editing import EditingService
    from medrecords_desktop.services.records import RecordService
    from medrecords_desktop.services.sync import SyncService
    from medrecords_desktop.vault.vault import Vault
    from tests.syncthing_harness import Cluster, tree, wait_until

    tmp = Path(tempfile.mkdtemp(prefix="mr-bench-st-"))
    os.environ["MEDRECORDS_DEVICE_DIR"] = str(tmp / "device-state")
    cluster = Cluster(tmp / "st", 2, share=False).start()
    try:
        a, b = cluster.peers
        vdir, folder, figs = build(tmp, args.resources, 0)
        shared_a = a.folder / "MedRecords"
        shutil.move(str(folder), shared_a)
        v = Vault.open(vdir, PASSPHRASE)
        SyncService(v).setup(shared_a)  # the same vault, its folder now where Syncthing A keeps it
        vault_id = v.header.vault_id
        v.close()
        mb = sum(p.stat().st_size for p in shared_a.rglob("*") if p.is_file()) / 1e6
        print(f"vault: {int(figs['items']):,} items; shared folder {mb:.0f} MB")
        fid = st.folder_id_for(vault_id)
        ca, cb = (st.SyncthingClient(st.read_config(p.config_xml)) for p in (a, b))
        t0 = time.perf_counter()
        ca.add_folder(shared_a, fid, share_with=[b.device_id])
        wait_until(lambda: any(p.id == fid for p in cb.pending_folders()), 60, "the offer")
        shared_b = b.folder / "MedRecords"
        cb.accept(next(p for p in cb.pending_folders() if p.id == fid), shared_b)
        want = tree(shared_a)
        wait_until(lambda: tree(shared_b) == want and cb.folder_state(fid).in_sync, 3600, "B's copy", poll=0.5)
        carried = time.perf_counter() - t0
        print(f"Syncthing: folder offered, accepted and whole on B after {carried:.1f} s ({mb / carried:.1f} MB/s)")
        t = time.perf_counter()
        vb = SyncService.join(shared_b, tmp / "vault-B", PASSPHRASE)
        joined = time.perf_counter() - t
        n_b = sum(sum(x.values()) for x in RecordService(vb).stats().values())
        vb.close()
        print(
            f"new device: joined and complete after {joined:.1f} s more ({n_b:,} items shown); "
            f"{carried + joined:.1f} s from 'Add to Syncthing' to a complete replica"
        )

        va = Vault.open(vdir, PASSPHRASE)
        pid = va.persons()[0].id
        assert pid
        rows = [r[0] for r in va.person_db(pid).query("SELECT id FROM items WHERE kind='observation' LIMIT 5000")]
        ed = EditingService(va)
        for rid in random.Random(7).sample(rows, min(args.changes, len(rows))):
            ed.correct(f"{pid}.{rid}", {"title": f"Corrected {rid}"}, reason="benchmark")
        t = time.perf_counter()
        SyncService(va).sync_now()
        ca.scan(fid)
        expected = RecordService(va).stats()
        va.close()
        want = tree(shared_a)

        def arrived() -> bool:
            cb.scan(fid)
            return tree(shared_b) == want

        wait_until(arrived, 600, "the changes on B", poll=0.1)
        carried = time.perf_counter() - t
        vb = Vault.open(tmp / "vault-B", PASSPHRASE)
        rep = SyncService(vb).sync_now()
        total = time.perf_counter() - t
        same = RecordService(vb).stats() == expected
        titles = sum(1 for r in vb.person_db(pid).query("SELECT title FROM items WHERE title LIKE 'Corrected %'"))
        vb.close()
        print(
            f"{args.changes} corrections: on B's disk {carried:.2f} s after A's 'sync now' started, shown on B "
            f"after {total:.2f} s ({rep.applied} records applied; {titles} corrected titles; same counts: {same})"
        )
        ca.close()
        cb.close()
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
