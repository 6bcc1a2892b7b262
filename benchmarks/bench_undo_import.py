"""Undo-an-import benchmark: import a generated ~30k-resource FHIR bundle beside earlier records, take the
import back in one step, check the vault is as before (counts per kind equal, verify clean), restore it
from the Trash, then move the same import to another person (every row re-written under their key).

    python benchmarks/bench_undo_import.py [--resources 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def one_run(tmp: Path, bundle: Path, n: int) -> dict[str, float]:
    from medrecords_desktop.services.editing import EditingService
    from medrecords_desktop.services.importing import ImportOptions, ImportService
    from medrecords_desktop.services.people import PeopleService, make_import_id
    from medrecords_desktop.services.records import RecordService
    from medrecords_desktop.vault.crypto import fast_test_kdf
    from medrecords_desktop.vault.vault import Vault

    v, _ = Vault.create(tmp / f"vault{n}", "benchmark passphrase", kdf=fast_test_kdf())
    try:
        # something already there that the undo must leave alone: a first copy under another name
        report = ImportService(v).import_paths([bundle], ImportOptions(create_persons=True))
        assert not report.failed, report.files[0].error
        person = v.persons()[0]
        assert person.id
        before = RecordService(v).stats()
        second = tmp / "second.json"
        data = json.loads(bundle.read_text())
        for e in data["entry"]:  # the same records with other ids and values: a second, separate import
            r = e["resource"]
            if r["resourceType"] != "Patient":
                r["id"] = "b-" + r["id"]
                if "valueQuantity" in r:
                    r["valueQuantity"]["value"] = r["valueQuantity"]["value"] + 1000
                e["fullUrl"] = "urn:uuid:" + r["id"]
        second.write_text(json.dumps(data))
        t = time.perf_counter()
        report = ImportService(v).import_paths([second], ImportOptions(person=person.id, force=True))
        imported = time.perf_counter() - t
        added = sum(report.added.values())
        last = v.person_db(person.id).one("SELECT max(id) FROM imports")[0]
        svc = PeopleService(v)
        t = time.perf_counter()
        unit = svc.undo_import(make_import_id(person.id, last))
        undo = time.perf_counter() - t
        same = RecordService(v).stats() == before
        ok = v.verify().ok
        t = time.perf_counter()
        EditingService(v).restore(unit)
        restore = time.perf_counter() - t
        restored = sum(RecordService(v).stats()[person.name].values()) - sum(before[person.name].values())
        # the same import given to another person: every row re-written under that person's key
        other = v.add_person("Other Example")
        assert other.id
        t = time.perf_counter()
        moved = svc.move_import(make_import_id(person.id, last), other.id)
        move = time.perf_counter() - t
        moved_ok = RecordService(v).stats()[person.name] == before[person.name] and v.verify().ok
        return {
            "import": imported,
            "added": added,
            "undo": undo,
            "same": same,
            "verify_ok": ok,
            "restore": restore,
            "restored": restored,
            "move": move,
            "moved": moved.moved,
            "moved_ok": moved_ok,
        }
    finally:
        v.close()


def main() -> None:
    from bench_fhir_parse import make_bundle

    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=30_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mr-undo-"))
    try:
        path = tmp / "bundle.json"
        path.write_text(json.dumps(make_bundle(args.resources), separators=(",", ":")))
        undos, restores = [], []
        for n in range(args.runs):
            r = one_run(tmp, path, n)
            undos.append(r["undo"])
            restores.append(r["restore"])
            print(
                f"run {n + 1}: import {r['import']:.2f} s ({r['added']:,} items); undo {r['undo']:.2f} s; "
                f"vault as before: {r['same']}; verify clean: {r['verify_ok']}; restore from the Trash "
                f"{r['restore']:.2f} s ({r['restored']:,} items back); move to another person "
                f"{r['move']:.2f} s ({r['moved']:,} items; source as before and verify clean: {r['moved_ok']})"
            )
        print(
            f"undo median of {args.runs}: {statistics.median(undos):.2f} s (min {min(undos):.2f}, max "
            f"{max(undos):.2f}); restore median {statistics.median(restores):.2f} s"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
