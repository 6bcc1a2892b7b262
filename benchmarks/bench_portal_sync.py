"""Benchmark: a full portal sync of one patient with 10,000 resources through the real test harness.

By default the harness behaves like a large vendor's patient API (``vendor`` rules: Observation and
DocumentReference searches must name a category, opaque paging cursors, absolute Binary URLs) and the
record holds every resource type the sync asks for: 10,000 resources (mostly Observations over all US Core
categories) and 500 documents whose bytes are separate Binary resources (500 more downloads).
``--plain`` runs the older record (ten clinical types, inline attachments) against a permissive server.

Signs in through the SMART flow, syncs into a counting sink, then runs an incremental sync.  Reports wall
time, the server's own time (sum of Server-Timing), and the client's share (wall minus server); then the
same sync through PortalService into a vault.  Target: <= 30 s for the full sync.

    scripts/setup-portal-harness && python benchmarks/bench_portal_sync.py [--page-size N] [--total N] [--plain]
        [--into-vault]

The harness's in-memory repository scans every stored resource of a type for each search; a vendor that
requires a category turns one Observation search into one per category, so the server's time grows
with the number of categories.  Real portals index; the client's own share is the figure to watch.

The harness's Memory repository scans every stored resource of a type for each ``patient=`` search
(DESIGN.md), so the server time is dominated by Observation pages; a larger page size means fewer scans.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medrecords_desktop.portals.smart import discover, sign_in  # noqa: E402
from medrecords_desktop.portals.sync import PageInfo, sync_patient  # noqa: E402
from tests.portal_support import CLIENT_ID, NODE, follow_in_browser, make_client, start_harness  # noqa: E402
from tests.vendor_data import VENDOR_CATEGORY, vendor_record  # noqa: E402

PATIENT = "bench-patient"
SHARES = {  # fraction of the record per type
    "Observation": 0.60,
    "Encounter": 0.08,
    "DiagnosticReport": 0.08,
    "MedicationRequest": 0.06,
    "Condition": 0.05,
    "DocumentReference": 0.04,
    "Procedure": 0.04,
    "MedicationStatement": 0.025,
    "Immunization": 0.02,
    "AllergyIntolerance": 0.005,
}


def synthetic_record(total: int) -> list[dict[str, Any]]:
    subj = {"reference": f"Patient/{PATIENT}"}
    out: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": PATIENT, "name": [{"family": "Bench", "given": ["Synthetic"]}]},
        {"resourceType": "Organization", "id": "bench-org", "name": "Bench Clinic"},
        {"resourceType": "Practitioner", "id": "bench-prac", "name": [{"family": "Bench"}]},
    ]
    for rtype, share in SHARES.items():
        for i in range(int(total * share)):
            r: dict[str, Any] = {"resourceType": rtype, "id": f"{rtype.lower()}-{i}"}
            day = f"20{10 + i % 16:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            if rtype in ("Immunization", "AllergyIntolerance"):
                r["patient"] = subj
            else:
                r["subject"] = subj
            if rtype == "Observation":
                r |= {
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
                    "effectiveDateTime": day,
                    "valueQuantity": {"value": 80 + i % 40, "unit": "mg/dL"},
                    "encounter": {"reference": f"Encounter/encounter-{i % 800}"},
                }
            elif rtype == "Encounter":
                r |= {
                    "status": "finished",
                    "class": {"code": "AMB"},
                    "period": {"start": day},
                    "serviceProvider": {"reference": "Organization/bench-org"},
                    "participant": [{"individual": {"reference": "Practitioner/bench-prac"}}],
                }
            elif rtype == "DocumentReference":
                r |= {
                    "status": "current",
                    "content": [{"attachment": {"contentType": "text/plain", "data": "bm90ZQ=="}}],
                }
            elif rtype == "DiagnosticReport":
                r |= {"status": "final", "code": {"text": "Panel"}, "effectiveDateTime": day}
            elif rtype in ("MedicationRequest",):
                r |= {"status": "active", "intent": "order", "medicationCodeableConcept": {"text": "Drug"}}
            elif rtype == "MedicationStatement":
                r |= {"status": "active", "medicationCodeableConcept": {"text": "Drug"}}
            elif rtype == "Immunization":
                r |= {"status": "completed", "vaccineCode": {"text": "Flu"}, "occurrenceDateTime": day}
            elif rtype == "Procedure":
                r |= {"status": "completed", "code": {"text": "Procedure"}}
            else:
                r |= {"code": {"text": rtype}}
            out.append(r)
    return out


def sync_into_vault(h: Any, page_size: int) -> dict[str, Any]:
    """The same patient synced through PortalService: parse, de-duplicate, encrypt and write per page."""
    from medrecords_desktop.services.portals import PortalService
    from medrecords_desktop.services.records import RecordService
    from medrecords_desktop.vault.crypto import fast_test_kdf
    from medrecords_desktop.vault.vault import Vault

    v, _ = Vault.create(
        Path(tempfile.mkdtemp(prefix="bench-portal-vault-")) / "v", "benchmark passphrase", kdf=fast_test_kdf()
    )
    try:
        v.add_person("Bench Patient")
        svc = PortalService(v)
        svc.add("Bench", "Bench Patient", fhir_base=h.fhir_base)
        svc.connect("Bench", follow_in_browser, timeout=10)
        t = time.perf_counter()
        out = svc.sync("Bench", page_size=page_size)
        wall = time.perf_counter() - t
        t = time.perf_counter()
        again = svc.sync("Bench", page_size=page_size)
        return {
            "resources_fetched": out.fetched,
            "items_added": sum(out.added.values()),
            "wall_s": round(wall, 2),
            "items_in_vault": sum(RecordService(v).stats()["Bench Patient"].values()),
            "incremental_wall_s": round(time.perf_counter() - t, 2),
            "incremental_added": sum(again.added.values()),
        }
    finally:
        v.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--total", type=int, default=10_000)
    # Large pages: each patient= search page costs the harness a scan of the whole type (see above).
    ap.add_argument("--page-size", type=int, default=5000)
    ap.add_argument("--documents", type=int, default=500)
    ap.add_argument("--plain", action="store_true", help="the ten clinical types against a permissive server")
    ap.add_argument(
        "--into-vault",
        action="store_true",
        help="then the same sync through PortalService into a vault (doubles the run time)",
    )
    args = ap.parse_args()
    if not NODE.exists():
        print("portal harness not installed: run scripts/setup-portal-harness", file=sys.stderr)
        return 2
    log = Path(tempfile.mkdtemp(prefix="bench-portal-")) / "harness.log"
    h = start_harness(log)
    try:
        if args.plain:
            record = synthetic_record(args.total)
        else:
            # 10,000 resources besides the Binaries: 60 % Observations, the documents, every other type.
            obs = int(args.total * 0.6)
            fixed = 2 + args.documents + 15 + 1  # Patient, Organization, documents, one of each new type, a visit
            record = vendor_record(
                PATIENT, observations=obs, documents=args.documents, extra=max(0, args.total - fixed - obs)
            )
            # The vendor lists its own Observation category in its CapabilityStatement, as Epic-like APIs do.
            h.control("vendor", {"on": True, "rules": {"extraCategories": {"Observation": [VENDOR_CATEGORY]}}})
        expected = sum(1 for r in record if r["resourceType"] != "Binary")
        t = time.perf_counter()
        for start in range(0, len(record), 2000):
            chunk = record[start : start + 2000]
            h.load(
                {
                    "resourceType": "Bundle",
                    "type": "transaction",
                    "entry": [
                        {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
                        for r in chunk
                    ],
                }
            )
        load_s = time.perf_counter() - t
        h.control("patient", {"id": PATIENT})
        h.control("max-count", {"value": max(1000, args.page_size)})
        config = discover(h.fhir_base)
        tokens = sign_in(config, CLIENT_ID, follow_in_browser, timeout=10)
        counted = 0

        def sink(resources: list[dict[str, Any]], info: PageInfo) -> None:
            nonlocal counted
            counted += len(resources)

        with make_client(config, tokens) as client:
            t = time.perf_counter()
            full = sync_patient(client, PATIENT, None, sink, page_size=args.page_size)
            full_s = time.perf_counter() - t
            full_server = client.stats.server_seconds
            client.stats.server_seconds = 0.0
            t = time.perf_counter()
            incr = sync_patient(client, PATIENT, full.high_water_mark, sink, page_size=args.page_size)
            incr_s = time.perf_counter() - t
            incr_server = client.stats.server_seconds
        from collections import Counter

        report = {
            "server": "plain" if args.plain else "vendor rules",
            "resources_loaded": len(record),
            "resources_to_sync": expected,
            "types": len({r["resourceType"] for r in record}),
            "documents": sum(1 for r in record if r["resourceType"] == "DocumentReference"),
            "load_s": round(load_s, 2),
            "page_size": args.page_size,
            "full_sync": {
                "resources": full.total,
                "pages": full.pages,
                "requests": full.stats.requests if full.stats else None,
                "wall_s": round(full_s, 2),
                "server_s": round(full_server, 2),
                "client_s": round(full_s - full_server, 2),
                "resources_per_s": round(full.total / full_s),
                "attachments_downloaded": full.attachments,
                "client_share": f"{(full_s - full_server) / full_s:.0%}",
                "searches_refused_then_per_category": [n.split(":")[0] for n in full.notes],
                "by_type": dict(Counter(full.counts).most_common()),
            },
            "incremental_sync": {
                "resources": incr.total,
                "wall_s": round(incr_s, 2),
                "server_s": round(incr_server, 2),
            },
            "target_full_sync_s": 30,
        }
        print(json.dumps(report, indent=2), flush=True)
        if args.into_vault:
            print(json.dumps({"into_vault": sync_into_vault(h, args.page_size)}, indent=2), flush=True)
        assert full.total == counted == expected and incr.total == 0, "every resource must arrive once"
        assert not full.errors, full.errors
        return 0 if full_s <= 30 else 1
    finally:
        h.stop()


if __name__ == "__main__":
    raise SystemExit(main())
