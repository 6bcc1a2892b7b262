"""Benchmark of the FHIR JSON parser on a large synthetic bundle.

Generates a ~50 MB collection Bundle of ~30k resources (mostly laboratory and vital-sign Observations,
some Encounters, Conditions and DocumentReferences with inline text notes) into a temporary folder,
then times ``json.loads`` alone against ``parse_fhir_json`` (best of N runs) and reports the peak
memory of one parse (tracemalloc, measured in a separate run because tracing slows Python down).

All values are invented by a seeded random generator: no health data of anyone.

    python benchmarks/bench_fhir_parse.py [--resources 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from medrecords_desktop.importers.fhir import parse_fhir_json  # noqa: E402

LABS = [
    ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 12.0, 17.5),
    ("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 99),
    ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.6, 1.3),
    ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 135, 145),
    ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.5, 5.1),
    ("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", 4.0, 11.0),
    ("777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", 150, 400),
    ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 0, 200),
]
VITALS = [
    ("8867-4", "Heart rate", "/min", "/min"),
    ("8310-5", "Body temperature", "Cel", "Cel"),
    ("29463-7", "Body weight", "kg", "kg"),
    ("9279-1", "Respiratory rate", "/min", "/min"),
]
CONDITIONS = [
    ("44054006", "Diabetes mellitus type 2"),
    ("38341003", "Hypertension"),
    ("195662009", "Acute viral pharyngitis"),
]


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _dt(rng: random.Random) -> str:
    return (
        f"{rng.randint(2005, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}-05:00"
    )


def _entry(res: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{res['id']}", "resource": res}


def make_bundle(n: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311 -- invented test values, not secrets
    pid = _uid(rng)
    org = {"resourceType": "Organization", "id": _uid(rng), "name": "Example Community Clinic"}
    prac = {
        "resourceType": "Practitioner",
        "id": _uid(rng),
        "name": [{"family": "Example", "given": ["Pat"], "prefix": ["Dr."]}],
    }
    entries = [
        _entry(
            {
                "resourceType": "Patient",
                "id": pid,
                "name": [{"use": "official", "family": "Sample", "given": ["Alex"]}],
                "birthDate": "1970-01-01",
                "gender": "other",
            }
        ),
        _entry(org),
        _entry(prac),
    ]
    patient = {"reference": f"urn:uuid:{pid}"}
    encounters: list[str] = []
    n_enc, n_cond, n_doc = n // 15, n // 30, n // 24
    for _ in range(n_enc):
        eid = _uid(rng)
        encounters.append(eid)
        start = _dt(rng)
        entries.append(
            _entry(
                {
                    "resourceType": "Encounter",
                    "id": eid,
                    "meta": {
                        "lastUpdated": start,
                        "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter"],
                    },
                    "identifier": [{"use": "official", "system": "urn:example:enc", "value": eid}],
                    "status": "finished",
                    "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                    "type": [
                        {
                            "coding": [
                                {
                                    "system": "http://snomed.info/sct",
                                    "code": "185349003",
                                    "display": "Encounter for check up",
                                }
                            ],
                            "text": "Encounter for check up",
                        }
                    ],
                    "subject": patient,
                    "participant": [{"individual": {"reference": f"urn:uuid:{prac['id']}"}}],
                    "period": {"start": start, "end": start},
                    "serviceProvider": {"reference": f"urn:uuid:{org['id']}"},
                }
            )
        )
    for _ in range(n_cond):
        code, name = rng.choice(CONDITIONS)
        entries.append(
            _entry(
                {
                    "resourceType": "Condition",
                    "id": _uid(rng),
                    "clinicalStatus": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                "code": "active",
                            }
                        ]
                    },
                    "verificationStatus": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                "code": "confirmed",
                            }
                        ]
                    },
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                    "code": "encounter-diagnosis",
                                }
                            ]
                        }
                    ],
                    "code": {
                        "coding": [{"system": "http://snomed.info/sct", "code": code, "display": name}],
                        "text": name,
                    },
                    "subject": patient,
                    "encounter": {"reference": f"urn:uuid:{rng.choice(encounters)}"},
                    "onsetDateTime": _dt(rng),
                    "recordedDate": _dt(rng),
                }
            )
        )
    note_words = "the patient was seen today for a routine visit and is doing well overall plan follow up".split()
    for _ in range(n_doc):
        text = " ".join(rng.choice(note_words) for _ in range(1200)).encode()
        entries.append(
            _entry(
                {
                    "resourceType": "DocumentReference",
                    "id": _uid(rng),
                    "status": "current",
                    "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3", "display": "Progress note"}]},
                    "subject": patient,
                    "date": _dt(rng),
                    "author": [{"reference": f"urn:uuid:{prac['id']}"}],
                    "content": [
                        {
                            "attachment": {
                                "contentType": "text/plain; charset=utf-8",
                                "data": base64.b64encode(text).decode(),
                            }
                        }
                    ],
                    "context": {"encounter": [{"reference": f"urn:uuid:{rng.choice(encounters)}"}]},
                }
            )
        )
    n_obs = n - len(entries)
    for i in range(n_obs):
        oid = _uid(rng)
        enc = {"reference": f"urn:uuid:{rng.choice(encounters)}"}
        when = _dt(rng)
        if i % 10 == 0:
            obs: dict[str, Any] = {
                "resourceType": "Observation",
                "id": oid,
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "vital-signs",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [{"system": "http://loinc.org", "code": "85354-9", "display": "Blood pressure panel"}],
                    "text": "Blood pressure",
                },
                "subject": patient,
                "encounter": enc,
                "effectiveDateTime": when,
                "component": [
                    {
                        "code": {
                            "coding": [
                                {
                                    "system": "http://loinc.org",
                                    "code": "8480-6",
                                    "display": "Systolic blood pressure",
                                }
                            ]
                        },
                        "valueQuantity": {
                            "value": rng.randint(100, 150),
                            "unit": "mmHg",
                            "system": "http://unitsofmeasure.org",
                            "code": "mm[Hg]",
                        },
                    },
                    {
                        "code": {
                            "coding": [
                                {
                                    "system": "http://loinc.org",
                                    "code": "8462-4",
                                    "display": "Diastolic blood pressure",
                                }
                            ]
                        },
                        "valueQuantity": {
                            "value": rng.randint(60, 95),
                            "unit": "mmHg",
                            "system": "http://unitsofmeasure.org",
                            "code": "mm[Hg]",
                        },
                    },
                ],
            }
        elif i % 3 == 0:
            code, name, unit, ucum = rng.choice(VITALS)
            obs = {
                "resourceType": "Observation",
                "id": oid,
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "vital-signs",
                                "display": "Vital Signs",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [{"system": "http://loinc.org", "code": code, "display": name}],
                    "text": name,
                },
                "subject": patient,
                "encounter": enc,
                "effectiveDateTime": when,
                "issued": when,
                "valueQuantity": {
                    "value": round(rng.uniform(10, 120), 1),
                    "unit": unit,
                    "system": "http://unitsofmeasure.org",
                    "code": ucum,
                },
            }
        else:
            code, name, unit, lo, hi = rng.choice(LABS)
            value = round(rng.uniform(lo * 0.7, hi * 1.3 + 1), 2)
            obs = {
                "resourceType": "Observation",
                "id": oid,
                "meta": {
                    "lastUpdated": when,
                    "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"],
                },
                "identifier": [{"system": "urn:example:lab-result", "value": oid}],
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "laboratory",
                                "display": "Laboratory",
                            }
                        ],
                        "text": "Laboratory",
                    }
                ],
                "code": {
                    "coding": [
                        {"system": "http://loinc.org", "code": code, "display": name},
                        {
                            "system": "urn:example:local-lab-codes",
                            "code": f"L{code}",
                            "display": name.split(" [")[0],
                        },
                    ],
                    "text": name.split(" [")[0],
                },
                "subject": patient,
                "encounter": enc,
                "effectiveDateTime": when,
                "issued": when,
                "performer": [{"reference": f"urn:uuid:{org['id']}", "display": "Example Community Clinic"}],
                "valueQuantity": {
                    "value": value,
                    "unit": unit,
                    "system": "http://unitsofmeasure.org",
                    "code": unit,
                },
                "interpretation": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                                "code": "H" if value > hi else "L" if value < lo else "N",
                            }
                        ]
                    }
                ],
                "referenceRange": [
                    {
                        "low": {
                            "value": lo,
                            "unit": unit,
                            "system": "http://unitsofmeasure.org",
                            "code": unit,
                        },
                        "high": {
                            "value": hi,
                            "unit": unit,
                            "system": "http://unitsofmeasure.org",
                            "code": unit,
                        },
                        "text": f"{lo}-{hi} {unit}",
                    }
                ],
                "note": [{"text": "Specimen received in good condition; result verified by the laboratory."}],
            }
        entries.append(_entry(obs))
    return {"resourceType": "Bundle", "id": _uid(rng), "type": "collection", "entry": entries}


def best_of(runs: int, fn: Any, *, gc_off: bool = False) -> tuple[float, float, Any]:
    """Best wall-clock and best CPU seconds of ``runs`` calls (the machine is shared: CPU time is
    the steadier figure), and the last result."""
    wall = cpu = float("inf")
    result = None
    for _ in range(runs):
        result = None
        gc.collect()
        if gc_off:
            gc.disable()
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
        gc.enable()
    return wall, cpu, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=30_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one parse")
    args = ap.parse_args()

    bundle = make_bundle(args.resources)
    with tempfile.TemporaryDirectory(prefix="bench-fhir-") as tmp:
        path = Path(tmp) / "bundle.json"
        path.write_text(json.dumps(bundle, separators=(",", ":")), encoding="utf-8")
        data = path.read_bytes()
        pretty_path = Path(tmp) / "bundle-pretty.json"
        pretty_path.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
        pretty = pretty_path.read_bytes()
    del bundle
    print(f"bundle: {len(data) / 1e6:.1f} MB compact ({len(pretty) / 1e6:.1f} MB indented), {args.resources} resources")
    print(f"{'':34s}{'wall s':>8s}{'cpu s':>8s}")

    def row(label: str, wall: float, cpu: float) -> None:
        print(f"{label:34s}{wall:8.3f}{cpu:8.3f}")

    w, c, _ = best_of(args.runs, lambda: json.loads(data))
    row("json.loads", w, c)
    w, c, _ = best_of(args.runs, lambda: json.loads(data), gc_off=True)
    row("json.loads (gc paused)", w, c)
    w, c, parsed = best_of(args.runs, lambda: parse_fhir_json(data, "bundle.json"))
    row("parse_fhir_json", w, c)
    counts = dict(sorted(parsed.counts().items()))
    print(f"  items: {counts}, kept: {len(parsed.kept)}, patients: {len(parsed.patients)}")
    del parsed
    w, c, _ = best_of(args.runs, lambda: parse_fhir_json(pretty, "bundle-pretty.json"))
    row("parse_fhir_json (indented file)", w, c)
    gc.collect()

    if args.profile:
        import cProfile
        import pstats

        pr = cProfile.Profile()
        pr.enable()
        parse_fhir_json(data, "bundle.json")
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(15)

    tracemalloc.start()
    parsed = parse_fhir_json(data, "bundle.json")
    assert parsed.items
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak traced memory of one parse: {peak / 2**20:.0f} MiB (input {len(data) / 2**20:.0f} MiB)")
    print(f"process max RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
