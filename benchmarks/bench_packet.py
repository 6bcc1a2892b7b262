"""Benchmark: an appointment packet of about 100 pages with 40 included documents.

Generates the originals first (reportlab PDFs of 1-4 pages, a few JPEG/PNG scans), then times only
``build_packet`` (summary layout, merge, bookmarks, bundle, AES-256 encryption, atomic write).
Target: <= 2 s on the 2-core development machine.

    cd <checkout> && .venv/bin/python benchmarks/bench_packet.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from medrecords_desktop.exporters.packet import PacketData, build_packet  # noqa: E402
from medrecords_desktop.model.records import Observation  # noqa: E402
from tests import packet_samples as S  # noqa: E402

ON = date(2026, 11, 20)
KINDS = ("Clinic letter", "Lab report", "Discharge summary", "Imaging report", "Referral")


def documents() -> list:
    docs = []
    for n in range(40):
        day = (ON - timedelta(days=17 * n)).isoformat()
        title = f"{KINDS[n % len(KINDS)]} {n + 1}"
        if n in (7, 23):
            docs.append((S.document(title, day, "image/jpeg", f"scan{n}.jpg", n), S.make_jpeg(1600, 2200)))
        elif n == 31:
            docs.append((S.document(title, day, "image/png", f"scan{n}.png", n), S.make_png(1200, 1600)))
        else:
            docs.append(
                (
                    S.document(title, day, "application/pdf", f"doc{n}.pdf", n),
                    S.make_pdf(title, 1 + (n * 7) % 4, seed=n),
                )
            )
    return docs


def data() -> PacketData:
    recs = S.records(ON)
    # A fuller lab history: 25 tests, 8 results each.
    labs = []
    for t in range(25):
        for k in range(8):
            labs.append(
                Observation(
                    title=f"Analyte {t + 1:02d}",
                    code=f"{1000 + t}-{t % 9}",
                    code_system="http://loinc.org",
                    value=50 + t + (k * 7 + t) % 13,
                    unit="mg/dL",
                    ref_low=52.0,
                    ref_high=70.0 + t,
                    date=(ON - timedelta(days=45 * (8 - k))).isoformat(),
                    id=f"b-{t}-{k}",
                )
            )
    recs["observations"] = recs["observations"] + labs
    return PacketData(person=S.person(), prepared_for=S.PREPARED_FOR, prepared_on=ON, documents=documents(), **recs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    packet_data = data()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "packet.pdf"
        for _ in range(args.runs):
            start = time.perf_counter()
            result = build_packet(packet_data, out, "bench-pass-phrase-words")
            times.append(time.perf_counter() - start)
    included = sum(1 for e in result.documents if e.included)
    print(
        f"pages={result.page_count} (summary {result.summary_pages}) "
        f"documents={included}/{len(result.documents)} "
        f"size={result.size / 1e6:.1f} MB bundle_resources={result.bundle_resources}"
    )
    print(
        f"build+encrypt: min {min(times):.3f} s, median {statistics.median(times):.3f} s "
        f"over {len(times)} runs "
        f"(target <= 2 s)"
    )


if __name__ == "__main__":
    main()
