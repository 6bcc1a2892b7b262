"""Import benchmark: a generated ~50 MB FHIR bundle (about 30k resources) into a real vault.

Reports the whole import (detect, parse, match, de-duplicate, encrypt blobs, one transaction, index)
beside a plain json.load of the same file, and the peak memory of the import process.

    python benchmarks/bench_import.py [--resources 30000] [--runs 3]

Target (issue 3): <= 3 s and < 500 MB peak on this 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from medrecords_desktop.vault.crypto import fast_test_kdf
from medrecords_desktop.vault.vault import Vault
from medrecords_desktop.services.importing import ImportOptions, ImportService
v, _ = Vault.create({vault!r}, "benchmark passphrase", kdf=fast_test_kdf())
t = time.perf_counter()
report = ImportService(v).import_paths([{bundle!r}], ImportOptions(create_persons=True))
dt = time.perf_counter() - t
f = report.files[0]
print(json.dumps({{"seconds": dt, "added": sum(f.added.values()), "kinds": dict(f.added), "kept": f.kept,
                  "status": f.status, "error": f.error,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
t = time.perf_counter()
again = ImportService(v).import_paths([{bundle!r}], ImportOptions(create_persons=True))
print(json.dumps({{"reimport_seconds": time.perf_counter() - t, "reimport_added": sum(again.added.values())}}))
v.close()
"""


def main() -> None:
    from bench_fhir_parse import make_bundle

    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=30_000)
    ap.add_argument("--runs", type=int, default=3, help="imports, each into a new vault (default 3)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mr-import-"))
    try:
        bundle = make_bundle(args.resources)
        path = tmp / "bundle.json"
        path.write_text(json.dumps(bundle, separators=(",", ":")))
        size = path.stat().st_size
        loads = []
        for _ in range(3):
            t = time.perf_counter()
            with open(path, "rb") as f:
                json.load(f)
            loads.append(time.perf_counter() - t)
        print(f"bundle: {size / 1e6:.1f} MB, {len(bundle['entry']):,} resources")
        print(f"json.load alone: {statistics.median(loads):.2f} s (median of 3)")
        del bundle
        times, peaks = [], []
        for n in range(args.runs):
            code = CHILD.format(root=str(ROOT), vault=str(tmp / f"vault{n}"), bundle=str(path))
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            first, second = (json.loads(line) for line in out.stdout.splitlines()[-2:])
            times.append(first["seconds"])
            peaks.append(first["peak_mb"])
            print(
                f"import into the vault: {first['seconds']:.2f} s ({first['added']:,} items, {first['kept']:,} "
                f"kept not shown; {first['status']}), peak RSS {first['peak_mb']:.0f} MB; re-import "
                f"{second['reimport_seconds']:.2f} s, {second['reimport_added']} added"
            )
        print(
            f"median of {args.runs}: {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
            f"peak RSS at most {max(peaks):.0f} MB; target <= 3 s and < 500 MB"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
