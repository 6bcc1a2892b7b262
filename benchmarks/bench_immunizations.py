"""Speed of the immunization evaluator and forecaster (CDC CDSi supporting data).

Usage: ``python benchmarks/bench_immunizations.py [--cdsi DIR] [--runs N] [--report]``

1. All CDC test cases (the v4.45 healthy childhood and adult workbook in ../shared/cdsi or $MEDRECORDS_CDSI):
   wall time to evaluate and forecast every case (reading the workbook is timed apart). Target: < 10 s.
   ``--report`` also prints the pass-rate table per vaccine group and the failing cases.
2. A family of five (two young children, a teenager, two adults) with 200 doses between them, every
   vaccine group evaluated for each person. Target: < 100 ms. Needs no external data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medrecords_desktop.immunization.data import load  # noqa: E402
from medrecords_desktop.immunization.engine import Engine  # noqa: E402
from medrecords_desktop.immunization.model import Dose, Patient  # noqa: E402

AS_OF = dt.date(2026, 6, 1)
# common CVX codes by age band, used to make a plausible (not necessarily valid) history
CHILD = ["20", "110", "120", "08", "10", "49", "48", "133", "215", "116", "119", "03", "21", "94", "83", "141", "150"]
TEEN = ["115", "165", "114", "147", "163", "162", "141", "150", "208", "21", "03", "83", "08"]
ADULT = ["115", "113", "09", "187", "150", "141", "208", "300", "309", "215", "33", "43", "52", "303", "305"]


def family(seed: int = 7) -> list[tuple[Patient, list[Dose]]]:
    rng = random.Random(seed)
    people = [
        (Patient(dt.date(2023, 3, 14), "F"), CHILD, 45),
        (Patient(dt.date(2020, 9, 2), "M"), CHILD, 45),
        (Patient(dt.date(2011, 1, 20), "F"), CHILD + TEEN, 40),
        (Patient(dt.date(1984, 6, 5), "F"), ADULT, 35),
        (Patient(dt.date(1981, 11, 30), "M"), ADULT, 35),
    ]
    out = []
    for patient, codes, n in people:
        span = (AS_OF - patient.birth_date).days
        doses = [
            Dose(patient.birth_date + dt.timedelta(days=rng.randrange(0, span)), rng.choice(codes)) for _ in range(n)
        ]
        out.append((patient, doses))
    assert sum(len(d) for _, d in out) == 200
    return out


def bench_family(engine: Engine, runs: int) -> float:
    fam = family()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for patient, doses in fam:
            engine.assess(patient, doses, AS_OF)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--cdsi", type=Path, default=Path(os.environ.get("MEDRECORDS_CDSI", ROOT.parent / "shared" / "cdsi"))
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    sup = load()
    print(f"load the shipped supporting data {sup.version}: {1000 * (time.perf_counter() - t0):.0f} ms")
    engine = Engine(sup)
    engine.assess(Patient(dt.date(2020, 1, 1)), [], AS_OF)  # warm the caches
    fam = bench_family(engine, args.runs)
    verdict = "OK" if fam < 0.1 else "SLOW"
    print(
        f"family of 5, 200 doses, all vaccine groups: {1000 * fam:.1f} ms (median of {args.runs}; "
        f"target < 100 ms) {verdict}"
    )

    wb = args.cdsi / "test-cases" / "cdsi-healthy-childhood-and-adult-test-cases-v4.45.xlsx"
    if not wb.exists():
        print(f"CDC test cases not found at {wb}: skipping that figure")
        return 0
    from medrecords_desktop.immunization import cdc_cases

    t0 = time.perf_counter()
    cases = cdc_cases.read_cases(wb)
    read_s = time.perf_counter() - t0
    times, out = [], []
    for _ in range(max(1, args.runs // 2)):
        t0 = time.perf_counter()
        out = cdc_cases.run_all(cases, Engine(sup))
        times.append(time.perf_counter() - t0)
    run_s = statistics.median(times)
    ok = sum(o.ok for o in out)
    print(
        f"all {len(cases)} CDC cases: {run_s:.2f} s to evaluate and forecast (+ {read_s:.2f} s to read the "
        f"workbook; target < 10 s) {'OK' if run_s + read_s < 10 else 'SLOW'}; fully right {ok}/{len(out)} "
        f"({100 * ok / len(out):.1f}%)"
    )
    if args.report:
        print()
        print(cdc_cases.report(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
