"""Timeline pages while a ~50 MB import is being written: how long does a read wait for the write?

The import (the same generated FHIR bundle as bench_import.py, about 30k resources) runs on a worker
thread, as the GUI runs it; the main thread asks for a timeline page (50 items, the whole family)
every 20 ms until the import is done, and reports the latency of those answered while the import's
write transaction was open.

    python benchmarks/bench_read_during_import.py [--resources 30000]

Target (issue 17): every page under 50 ms, also during the write.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench_fhir_parse import make_bundle  # noqa: E402

from medrecords_desktop.services.importing import ImportOptions, ImportService  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402
from medrecords_desktop.vault.crypto import fast_test_kdf  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=30_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mr-read-during-import-"))
    try:
        small, big = tmp / "earlier.json", tmp / "bundle.json"
        small.write_text(json.dumps(make_bundle(600, seed=1), separators=(",", ":")))
        big.write_text(json.dumps(make_bundle(args.resources), separators=(",", ":")))
        print(f"bundle: {big.stat().st_size / 1e6:.1f} MB, about {args.resources:,} resources")
        v, _ = Vault.create(tmp / "vault", "benchmark passphrase", kdf=fast_test_kdf())
        person = v.add_person("Alex Sample", "1970-01-01", "other")
        opts = ImportOptions(person=person.id, force=True)
        ImportService(v).import_paths([small], opts)  # something to show while the big one is written
        db = v.person_db(person.id or "")
        records = RecordService(v)
        outcome: dict[str, object] = {}

        def work() -> None:
            t = time.perf_counter()
            report = ImportService(v).import_paths([big], opts)
            outcome.update(
                seconds=time.perf_counter() - t, status=report.files[0].status, added=sum(report.added.values())
            )

        worker = threading.Thread(target=work)
        during, other = [], []
        worker.start()
        while worker.is_alive():
            writing = db.conn.in_transaction
            t = time.perf_counter()
            page = records.timeline(limit=50)
            dt = time.perf_counter() - t
            (during if writing and db.conn.in_transaction else other).append(dt)
            assert len(page) == 50
            time.sleep(0.02)
        worker.join()
        print(f"import: {outcome['seconds']:.2f} s, {outcome['added']:,} items, {outcome['status']}")
        for label, xs in (("during the write transaction", during), ("while parsing and matching", other)):
            if xs:
                ms = sorted(x * 1000 for x in xs)
                p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
                print(
                    f"timeline page {label}: {len(ms)} requests, median {statistics.median(ms):.1f} ms, "
                    f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"
                )
        worst = max(during or [0.0]) * 1000
        print(f"worst page during the write: {worst:.1f} ms; target < 50 ms")
        v.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
