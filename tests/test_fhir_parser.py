"""FHIR R4 JSON / NDJSON parser: a golden bundle, corpus-wide accounting, hostile input."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.base import MAX_JSON_DEPTH, ParsedFile
from medrecords_desktop.importers.fhir import datatypes as fhir_datatypes
from medrecords_desktop.importers.fhir import (
    looks_like_fhir_json,
    looks_like_ndjson,
    parse_fhir_json,
    parse_fhir_ndjson,
    parse_fhir_resources,
)
from medrecords_desktop.importers.fhir import read as fhir_read
from medrecords_desktop.model.records import Document, Observation
from tests.conftest import CORPUS, FIXTURES, corpus_path

GOLDEN = FIXTURES / "fhir" / "golden-bundle.json"

# ------------------------------------------------------------------------------------------------
# Golden bundle: every expected value written out by hand from the fixture.

EXPECTED_ITEMS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "encounter",
        "Encounter/enc1",
        {
            "title": "Check-up",
            "date": "2024-03-05T09:30:00",
            "date_end": "2024-03-05T10:05:59",
            "date_estimated": False,
            "status": "finished",
            "code_system": "http://snomed.info/sct",
            "code": "185349003",
            "encounter_class": "AMB",
            "provider": "Riverside Clinic",
            "practitioner": "Dr. Greg House",
            "location": "Riverside Clinic, Room 4",
            "reason": "Annual review",
            "patient_ref": "Patient/p1",
        },
    ),
    (
        "observation",
        "Observation/glu",
        {
            "title": "Glucose",
            "date": "2024-03-05T09:45:12",
            "date_estimated": False,
            "code_system": "http://loinc.org",
            "code": "15074-8",
            "value": 5.4,
            "unit": "mmol/L",
            "ref_low": 3.9,
            "ref_high": 5.5,
            "ref_text": "3.9-5.5",
            "interpretation": "N",
            "category": "laboratory",
            "encounter_ref": "Encounter/enc1",
            "patient_ref": "Patient/p1",
            "report_ref": "DiagnosticReport/dr1",
            "performer": "Riverside Clinic",
            "note": "Fasting sample.",
        },
    ),
    (
        "observation",
        "Observation/bp",
        {
            "title": "Blood pressure 120/80 mmHg",
            "date": "2024-03-05T09:40:00",
            "value": None,
            "value_text": "120/80",
            "unit": "mm[Hg]",  # stored as UCUM, shown as mmHg
            "category": "vital-signs",
            "code": "85354-9",
            "encounter_ref": "Encounter/enc1",
        },
    ),
    (
        "observation",
        "urn:uuid:6c1d1c3e-0000-4000-8000-000000000010",
        {
            "title": "Tobacco smoking status",
            "date": "2024-03-05T11:00:00",
            "date_estimated": True,
            "value_text": "Never smoked tobacco",
            "category": "social-history",
            "encounter_ref": None,
        },
    ),
    (
        "observation",
        "Observation/str",
        {"title": "Urine colour", "date": "2024-03-05", "value_text": "Pale yellow"},
    ),
    (
        "observation",
        "Observation/bool",
        {"title": "Pregnancy test", "date": "2024-03-01", "date_estimated": True, "value_text": "No"},
    ),
    (
        "observation",
        "Observation/int",
        {"title": "Steps", "date": "2024-03-04T00:00:00", "date_end": "2024-03-04T23:59:59", "value": 8042.0},
    ),
    (
        "diagnostic_report",
        "DiagnosticReport/dr1",
        {
            "title": "Comprehensive metabolic panel",
            "date": "2024-03-05T09:45:00",
            "category": "LAB",
            "conclusion": "Normal.",
            "result_refs": ["Observation/glu"],
            "performer": "Riverside Clinic",
            "encounter_ref": "Encounter/enc1",
        },
    ),
    (
        "document",
        "DiagnosticReport/dr1#presentedForm[0]",
        {
            "title": "Report text",
            "mime": "text/plain",
            "doc_type": "report",
            "text": "Glucose 5.4 mmol/L (3.9-5.5). No concerns.",
            "encounter_ref": "Encounter/enc1",
        },
    ),
    (
        "document",
        "DocumentReference/dr-html",
        {
            "title": "Discharge summary",
            "date": "2024-03-05T09:30:00",
            "mime": "text/html",
            "filename": "discharge.html",
            "text": "Discharge summary\nHome on day 3 & walking.",
            "author": "Dr. Greg House",
            "encounter_ref": "Encounter/enc1",
            "code": "18842-5",
        },
    ),
    (
        "document",
        "DocumentReference/dr-pdf",
        {
            "title": "Scanned letter",
            "date": "2024-02-01",
            "mime": "application/pdf",
            "filename": "letter.pdf",
            "text": None,
        },
    ),
    (
        "document",
        "DocumentReference/dr-pdf#content[1]",
        {"title": "Scanned letter", "content": None, "sha256": None},
    ),
    (
        "medication",
        "MedicationRequest/mr1",
        {
            "title": "metformin 500 MG Oral Tablet",
            "code": "860975",
            "date": "2024-03-05",
            "dose": "500 mg",
            "route": "oral",
            "frequency": "2 per 1 d",
            "reason": "Type 2 diabetes",
            "prescriber": "Dr. Greg House",
            "encounter_ref": "Encounter/enc1",
            "status": "active",
        },
    ),
    (
        "medication",
        "MedicationStatement/ms1",
        {
            "title": "amlodipine 5 MG Oral Tablet",
            "code": "197361",
            "date": "2023-01-10",
            "dose": "5 mg daily",
        },
    ),
    (
        "immunization",
        "Immunization/imm1",
        {
            "title": "Influenza, seasonal, injectable",
            "code": "140",
            "date": "2023-10-01T10:00:00",
            "lot": "LOT-42",
            "site": "left deltoid",
            "performer": "Riverside Clinic",
            "dose_number": "1",
        },
    ),
    (
        "allergy",
        "AllergyIntolerance/al1",
        {
            "title": "Penicillin G",
            "date": "2015-05-05",
            "date_estimated": True,
            "reaction": "Hives",
            "severity": "moderate",
            "criticality": "high",
            "category": "medication",
            "status": "active",
        },
    ),
    (
        "condition",
        "Condition/c1",
        {
            "title": "Diabetes mellitus type 2",
            "date": "2019-06-01",
            "date_estimated": True,
            "clinical_status": "active",
            "verification_status": "confirmed",
            "category": "problem-list-item",
        },
    ),
    (
        "procedure",
        "Procedure/pr-1",
        {
            "title": "Appendectomy",
            "date": "2010-07-01T08:00:00",
            "date_end": "2010-07-01T09:30:00",
            "performer": "Dr. Greg House",
            "body_site": "abdomen",
            "encounter_ref": "Encounter/enc1",
        },
    ),
    (
        "care_plan",
        "CarePlan/cp1",
        {"title": "Care plan", "status": "active", "intent": "plan", "patient_ref": "Patient/p1"},
    ),
]


@pytest.fixture(scope="module")
def golden() -> ParsedFile:
    return parse_fhir_json(GOLDEN.read_bytes(), "golden-bundle.json")


def test_golden_items_in_order_with_expected_values(golden: ParsedFile) -> None:
    got = [(i.kind, i.provenance.source_id) for i in golden.items]
    assert got == [(k, sid) for k, sid, _ in EXPECTED_ITEMS]
    for item, (_kind, sid, fields) in zip(golden.items, EXPECTED_ITEMS, strict=True):
        for name, want in fields.items():
            assert getattr(item, name) == want, f"{sid}.{name}"
        assert item.provenance.source_kind == "file"
        assert item.provenance.source_name == "golden-bundle.json"
        assert item.provenance.raw_format == "fhir+json"
        if "patient_ref" not in fields:
            assert item.patient_ref == "Patient/p1", sid


def test_golden_patient(golden: ParsedFile) -> None:
    assert len(golden.patients) == 1
    p = golden.patients[0]
    assert (p.ref, p.name, p.given, p.family) == (
        "Patient/p1",
        "Alice Jane Testperson",
        "Alice Jane",
        "Testperson",
    )
    assert (p.birth_date, p.sex, p.identifiers) == ("1980-02-29", "female", [("urn:example:mrn", "MRN-001")])
    assert p.raw is not None and json.loads(p.raw)["id"] == "p1"


def test_golden_components_and_codings(golden: ParsedFile) -> None:
    bp = next(i for i in golden.items if i.provenance.source_id == "Observation/bp")
    assert isinstance(bp, Observation)
    assert [(c["code"], c["value"], c["unit"]) for c in bp.components] == [
        ("8480-6", 120.0, "mm[Hg]"),
        ("8462-4", 80.0, "mm[Hg]"),
    ]
    assert bp.components[1]["interpretation"] == "N"
    glu = next(i for i in golden.items if i.provenance.source_id == "Observation/glu")
    assert [(c.system, c.code) for c in glu.codes] == [("urn:example:local", "GLU")]


def test_golden_documents_carry_their_bytes(golden: ParsedFile) -> None:
    src = json.loads(GOLDEN.read_text())
    by_id = {e["resource"].get("id"): e["resource"] for e in src["entry"]}
    html = base64.b64decode(by_id["b1"]["data"])
    pdf = base64.b64decode(by_id["dr-pdf"]["content"][0]["attachment"]["data"])
    report = base64.b64decode(by_id["dr1"]["presentedForm"][0]["data"])
    docs = {d.provenance.source_id: d for d in golden.items if isinstance(d, Document)}
    for sid, want in (
        ("DocumentReference/dr-html", html),  # through attachment.url -> Binary/b1 in the bundle
        ("DocumentReference/dr-pdf", pdf),
        ("DiagnosticReport/dr1#presentedForm[0]", report),
    ):
        d = docs[sid]
        assert d.content == want
        assert d.size == len(want)
        assert d.sha256 == hashlib.sha256(want).hexdigest()
        # The bytes live in the document; the raw fragment does not repeat them as base64.
        assert d.provenance.raw is not None and '"data"' not in d.provenance.raw
        assert json.loads(d.provenance.raw)["id"] == sid.split("/")[1].split("#")[0]
    assert "<script" not in (docs["DocumentReference/dr-html"].text or "")
    assert "alert" not in (docs["DocumentReference/dr-html"].text or "")


def test_golden_kept_and_warnings(golden: ParsedFile) -> None:
    kept = {(k.resource_type, k.source_id) for k in golden.kept}
    assert kept == {
        ("Organization", "Organization/org1"),
        ("Practitioner", "Practitioner/pr1"),
        ("Location", "Location/loc1"),
        ("Medication", "Medication/med2"),
        ("Binary", "Binary/b1"),
    }
    binary = next(k for k in golden.kept if k.resource_type == "Binary")
    assert json.loads(binary.raw) == {"resourceType": "Binary", "id": "b1", "contentType": "text/html"}
    assert len(golden.warnings) == 1
    assert "dr-pdf" in golden.warnings[0] and "outside this file" in golden.warnings[0]


def test_golden_raw_is_compact_json_of_the_resource(golden: ParsedFile) -> None:
    src = json.loads(GOLDEN.read_text())
    by_key = {}
    for e in src["entry"]:
        r = e["resource"]
        by_key[f"{r['resourceType']}/{r['id']}" if "id" in r else e["fullUrl"]] = r
    glu = next(i for i in golden.items if i.provenance.source_id == "Observation/glu")
    assert glu.provenance.raw == json.dumps(by_key["Observation/glu"], separators=(",", ":"), ensure_ascii=False)
    for it in golden.items:
        if not isinstance(it, Document) and it.kind != "diagnostic_report":
            assert json.loads(it.provenance.raw or "") == by_key[it.provenance.source_id or ""]
    # A report whose presentedForm became documents keeps everything but the decoded bytes.
    dr = next(i for i in golden.items if i.kind == "diagnostic_report")
    want = copy.deepcopy(by_key["DiagnosticReport/dr1"])
    del want["presentedForm"][0]["data"]
    assert json.loads(dr.provenance.raw or "") == want


def test_compact_files_keep_each_resource_source_text() -> None:
    """Compact input: raw is the source text itself (decimals as written), same items otherwise."""
    bundle = json.loads(GOLDEN.read_text())
    glu = next(e["resource"] for e in bundle["entry"] if e["resource"].get("id") == "glu")
    compact = json.dumps(bundle, separators=(",", ":"), ensure_ascii=False)
    compact = compact.replace('"value":5.4,', '"value":5.40,')  # a decimal json.dumps would not write
    pf = parse_fhir_json(compact.encode(), "compact.json")
    pretty = parse_fhir_json(GOLDEN.read_bytes(), "golden-bundle.json")
    assert [(i.kind, i.provenance.source_id, i.title, i.date, i.value_num()) for i in pf.items] == [
        (i.kind, i.provenance.source_id, i.title, i.date, i.value_num()) for i in pretty.items
    ]
    item = next(i for i in pf.items if i.provenance.source_id == "Observation/glu")
    assert '"value":5.40,' in (item.provenance.raw or "")
    assert json.loads(item.provenance.raw or "") == glu
    assert [k.raw for k in pf.kept] == [k.raw for k in pretty.kept]
    # NDJSON lines are kept as written too.
    line = json.dumps(glu, separators=(",", ":")).replace('"value":5.4,', '"value":5.40,')
    nd = parse_fhir_ndjson((line + "\n").encode(), "lab.ndjson")
    assert nd.items[0].provenance.raw == line


def test_compact_but_truncated_or_odd_files_fall_back_to_the_strict_decoder() -> None:
    compact = json.dumps(json.loads(GOLDEN.read_text()), separators=(",", ":")).encode()
    e = _rejected(compact[:-40])
    assert "truncated" in e.why and e.where is not None and e.where.startswith("line 1, column ")
    e = _rejected(compact.replace(b'"value":5.4,', b'"value":Infinity,'))
    assert "not valid JSON" in e.why
    e = _rejected(compact + b"x")
    assert "not valid JSON" in e.why
    # Entries in an unusual shape are still read (through json.loads).
    odd = b'{"resourceType":"Bundle","entry":[1,{"resource":{"resourceType":"Basic","id":"b"}}],"x":[]}'
    assert [k.source_id for k in parse_fhir_json(odd, "odd.json").kept] == ["Basic/b"]


def test_the_compact_scanner_takes_json_whitespace_only() -> None:
    """The fast scanner skips what JSON calls whitespace (space, tab, CR, LF) and nothing else: a vertical
    tab or form feed between tokens is not JSON and is refused as json.loads refuses it, and a compact file
    saved with a final newline still keeps each resource's source text."""
    for bad in (b"\x0b", b"\x0c"):
        odd = b'{"resourceType":"Bundle",' + bad + b'"entry":[{"resource":{"resourceType":"Basic","id":"b"}}]}'
        assert "not valid JSON" in _rejected(odd).why
    compact = (
        b'{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","id":"c",'
        b'"code":{"text":"Caf\\u00e9 asthma"}}}]}'
    )
    for tail in (b"", b"\n", b"\r\n"):
        pf = parse_fhir_json(compact + tail, "compact.json")
        assert pf.items[0].provenance.raw == '{"resourceType":"Condition","id":"c","code":{"text":"Caf\\u00e9 asthma"}}'


def test_resources_api_matches_file_api_and_marks_portal(golden: ParsedFile) -> None:
    bundle = json.loads(GOLDEN.read_text())
    pf = parse_fhir_resources([bundle], "portal:Riverside", source_kind="portal")
    assert [(i.kind, i.provenance.source_id) for i in pf.items] == [
        (i.kind, i.provenance.source_id) for i in golden.items
    ]
    assert {i.provenance.source_kind for i in pf.items} == {"portal"}


def test_ndjson_of_the_golden_resources_resolves_across_lines() -> None:
    bundle = json.loads(GOLDEN.read_text())
    # Bulk exports have no fullUrls: references are relative, resolved by Type/id.
    lines = []
    for e in bundle["entry"]:
        r = copy.deepcopy(e["resource"])
        if r["resourceType"] == "Binary" or "id" not in r:
            continue
        text = json.dumps(r).replace("urn:uuid:6c1d1c3e-0000-4000-8000-000000000001", "Patient/p1")
        text = text.replace("urn:uuid:6c1d1c3e-0000-4000-8000-000000000030", "Medication/med2")
        lines.append(text)
    pf = parse_fhir_ndjson(("\n".join(lines) + "\n\n").encode(), "bulk.ndjson")
    assert pf.format == "fhir-ndjson"
    ms = next(i for i in pf.items if i.provenance.source_id == "MedicationStatement/ms1")
    assert ms.title == "amlodipine 5 MG Oral Tablet"
    enc = next(i for i in pf.items if i.kind == "encounter")
    assert (enc.provider, enc.location, enc.patient_ref) == (
        "Riverside Clinic",
        "Riverside Clinic, Room 4",
        "Patient/p1",
    )
    # Binary/b1 is absent here: the document is listed without content, with a warning naming the line.
    html_doc = next(i for i in pf.items if i.provenance.source_id == "DocumentReference/dr-html")
    assert isinstance(html_doc, Document) and html_doc.content is None
    assert any(w.startswith("line ") and "dr-html" in w for w in pf.warnings)


def test_sniffers() -> None:
    pretty = GOLDEN.read_bytes()
    assert looks_like_fhir_json(pretty[:4096])
    assert not looks_like_ndjson(pretty[:4096])
    nd = b'{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b"}\n'
    assert looks_like_ndjson(nd) and looks_like_ndjson(b"\xef\xbb\xbf" + nd)
    assert looks_like_fhir_json(nd)
    assert not looks_like_fhir_json(b'{"name": "not fhir"}')
    assert not looks_like_ndjson(b'{"a":1}\n{"b":2}\n')
    assert not looks_like_fhir_json(b"<ClinicalDocument xmlns='urn:hl7-org:v3'>")
    assert not looks_like_ndjson(b"resourceType,id\nPatient,1\n")
    # A long first line seen only in part: NDJSON unless it is a minified Bundle.
    assert looks_like_ndjson(b'{"resourceType":"DocumentReference","id":"d","content":[{"attachment":{"data":"QUJD')
    assert not looks_like_ndjson(b'{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourc')


def test_single_line_ndjson_saved_as_json_is_read() -> None:
    nd = (
        b'{"resourceType":"Patient","id":"a"}\n'
        b'{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/a"},"code":{"text":"Asthma"}}\n'
    )
    pf = parse_fhir_json(nd, "export.json")
    assert pf.format == "fhir-ndjson" and [p.ref for p in pf.patients] == ["Patient/a"]
    assert pf.items[0].patient_ref == "Patient/a"


def test_references_of_every_form() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:aaaa",
                "resource": {"resourceType": "Patient", "name": [{"text": "No Id"}]},
            },
            {
                "fullUrl": "http://a.example/fhir/Observation/14",
                "resource": {
                    "resourceType": "Observation",
                    "id": "14",
                    "code": {"text": "A"},
                    "subject": {"reference": "urn:uuid:aaaa"},
                    "valueQuantity": {"value": 1},
                },
            },
            {
                "fullUrl": "http://b.example/fhir/Observation/14",
                "resource": {
                    "resourceType": "Observation",
                    "id": "14",
                    "code": {"text": "B"},
                    "valueQuantity": {"value": 2},
                },
            },
            {
                "fullUrl": "http://b.example/fhir/DiagnosticReport/r",
                "resource": {
                    "resourceType": "DiagnosticReport",
                    "id": "r",
                    "code": {"text": "R"},
                    "subject": {"reference": "urn:uuid:aaaa"},
                    "result": [
                        {"reference": "Observation/14/_history/3"},
                        {"reference": "http://a.example/fhir/Observation/14"},
                    ],
                },
            },
        ],
    }
    pf = parse_fhir_resources([bundle], "refs.json")
    assert pf.patients[0].ref == "urn:uuid:aaaa"
    a = pf.items[0]
    assert a.patient_ref == "urn:uuid:aaaa" and a.provenance.source_id == "Observation/14"
    report = next(i for i in pf.items if i.kind == "diagnostic_report")
    assert report.patient_ref == "urn:uuid:aaaa"
    assert report.result_refs == ["Observation/14", "Observation/14"]


def test_undated_results_take_the_report_date_and_encounter() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r",
        "code": {"text": "Panel"},
        "issued": "2020-02-02T10:00:00Z",
        "encounter": {"reference": "Encounter/e"},
        "result": [{"reference": "Observation/o"}],
    }
    obs = {"resourceType": "Observation", "id": "o", "code": {"text": "K"}, "valueQuantity": {"value": 4.1}}
    other = {
        "resourceType": "Observation",
        "id": "x",
        "code": {"text": "Na"},
        "valueQuantity": {"value": 140},
        "encounter": {"reference": "Encounter/e"},
    }
    enc = {"resourceType": "Encounter", "id": "e", "period": {"start": "2020-02-01"}}
    pf = parse_fhir_resources([obs, report, other, enc], "r.json")
    o, r, x, _e = pf.items
    assert (r.date, r.date_estimated) == ("2020-02-02T10:00:00", True)  # issued, not effective
    assert (o.date, o.date_estimated, o.encounter_ref, o.report_ref) == (
        "2020-02-02T10:00:00",
        True,
        "Encounter/e",
        "DiagnosticReport/r",
    )
    assert (x.date, x.date_estimated) == ("2020-02-01", True)


def test_medications_named_by_contained_or_ingredient_and_contained_performers() -> None:
    req = {
        "resourceType": "MedicationRequest",
        "id": "m",
        "contained": [
            {
                "resourceType": "Medication",
                "id": "mix",
                "ingredient": [
                    {"itemCodeableConcept": {"text": "Sodium chloride 0.9%"}},
                    {"itemCodeableConcept": {"text": "Potassium"}},
                ],
            },
            {"resourceType": "Practitioner", "id": "doc", "name": [{"text": "Dr. Contained"}]},
        ],
        "medicationReference": {"reference": "#mix"},
        "requester": {"reference": "#doc"},
    }
    dr = {"resourceType": "DocumentReference", "id": "empty", "status": "current", "description": "Letter"}
    pf = parse_fhir_resources([req, dr], "m.json")
    med, doc = pf.items
    assert (med.title, med.prescriber) == ("Sodium chloride 0.9% + Potassium", "Dr. Contained")
    assert isinstance(doc, Document) and (doc.title, doc.content) == ("Letter", None)
    assert any("without content" in w for w in pf.warnings)


def test_unread_shapes_are_kept_not_dropped() -> None:
    """Wrong JSON types where FHIR wants objects: no traceback, nothing lost."""
    res = {
        "resourceType": "Observation",
        "id": "odd",
        "code": "glucose",
        "subject": "Patient/1",
        "valueQuantity": [1, 2],
        "referenceRange": {"low": 1},
        "component": [1, "x", {"code": 5}],
        "effectiveDateTime": 20240101,
        "category": "lab",
        "interpretation": "H",
        "performer": {"reference": 3},
    }
    pf = parse_fhir_resources([res], "odd.json")
    assert len(pf.items) + len(pf.kept) == 1


def test_fuzzed_golden_never_raises_anything_but_import_rejected() -> None:
    """Replace random values of the golden bundle with values of the wrong type, many times."""
    bundle = json.loads(GOLDEN.read_text())
    rng = random.Random(20261125)  # noqa: S311 -- reproducible fuzzing, not secrets
    weird: list[Any] = [None, 0, -1.5, True, "", "x", [], {}, [None], {"reference": 7}, "#missing", 1e308]

    def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [prefix] if prefix else []
        if isinstance(node, dict):
            for k, v in node.items():
                out += paths(v, (*prefix, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out += paths(v, (*prefix, i))
        return out

    all_paths = [p for p in paths(bundle) if len(p) > 3]  # inside resources
    for _ in range(300):
        b = copy.deepcopy(bundle)
        for p in rng.sample(all_paths, 3):
            node = b
            try:
                for k in p[:-1]:
                    node = node[k]
                node[p[-1]] = rng.choice(weird)
            except (KeyError, IndexError, TypeError):
                continue
        try:
            pf = parse_fhir_json(json.dumps(b).encode(), "fuzz.json")
        except ImportRejected:
            continue
        n = sum(1 for e in b["entry"] if isinstance(e.get("resource"), dict))
        assert len(pf.items) + len(pf.kept) + len(pf.patients) >= n


# ------------------------------------------------------------------------------------------------
# Corpus: counts per kind derived independently from the raw JSON.

KIND_OF = {
    "Encounter": "encounter",
    "Observation": "observation",
    "DiagnosticReport": "diagnostic_report",
    "MedicationRequest": "medication",
    "MedicationStatement": "medication",
    "Immunization": "immunization",
    "AllergyIntolerance": "allergy",
    "Condition": "condition",
    "Procedure": "procedure",
    # importers/fhir/care.py
    "CarePlan": "care_plan",
    "Goal": "goal",
    "CareTeam": "care_team",
    "ServiceRequest": "order",
    "Appointment": "appointment",
    "Coverage": "coverage",
    "MedicationDispense": "dispense",
    "Device": "device",
    "Provenance": "provenance",
    "QuestionnaireResponse": "questionnaire",
    "FamilyMemberHistory": "family_history",
    "Specimen": "specimen",
    "ExplanationOfBenefit": "claim",
}


def _flatten(res: dict[str, Any], out: list[tuple[str | None, dict[str, Any]]], full: str | None = None) -> None:
    if res.get("resourceType") == "Bundle":
        for e in res.get("entry", []):
            if isinstance(e.get("resource"), dict):
                _flatten(e["resource"], out, e.get("fullUrl"))
    else:
        out.append((full, res))


def _expected(resources: list[tuple[str | None, dict[str, Any]]]) -> tuple[Counter[str], int, int, set[str]]:
    """(items per kind, patients, kept, keys of all resources) the file should give."""
    keys = set()
    by_ref: dict[str, dict[str, Any]] = {}
    for full, r in resources:
        key = f"{r['resourceType']}/{r['id']}" if "id" in r else full
        if key:
            keys.add(key)
            by_ref[key] = r
        if full:
            by_ref[full] = r
    attached_binaries = set()
    for _full, r in resources:
        atts = (
            [c.get("attachment", {}) for c in r.get("content", [])] if r["resourceType"] == "DocumentReference" else []
        )
        atts += r.get("presentedForm", []) if r["resourceType"] == "DiagnosticReport" else []
        for a in atts:
            url = a.get("url", "")
            target = by_ref.get(url) or by_ref.get("/".join(url.split("/")[-2:]))
            if "data" not in a and target is not None and target["resourceType"] == "Binary":
                attached_binaries.add(id(target))
    kinds: Counter[str] = Counter()
    patients = kept = 0
    for _full, r in resources:
        rt = r["resourceType"]
        if rt == "Patient":
            patients += 1
        elif rt in KIND_OF:
            kinds[KIND_OF[rt]] += 1
            if rt == "DiagnosticReport":
                kinds["document"] += len(r.get("presentedForm", []))
        elif rt == "DocumentReference":
            kinds["document"] += max(1, len(r.get("content", [])))
        elif rt == "Binary" and id(r) not in attached_binaries:
            kinds["document"] += 1
        else:
            kept += 1
    return kinds, patients, kept, keys


def _check_accounting(pf: ParsedFile, resources: list[tuple[str | None, dict[str, Any]]]) -> None:
    kinds, patients, kept, keys = _expected(resources)
    # what the clinical rules set aside (statements that there is none, empty results) is kept verbatim
    assert pf.counts() + pf.set_aside == +kinds
    assert len(pf.patients) == patients
    assert len(pf.kept) == kept + sum(pf.set_aside.values())
    extra_docs = sum(len(r.get("presentedForm", [])) for _f, r in resources if r["resourceType"] == "DiagnosticReport")
    extra_docs += sum(
        max(0, len(r.get("content", [])) - 1) for _f, r in resources if r["resourceType"] == "DocumentReference"
    )
    assert len(pf.items) + len(pf.kept) + len(pf.patients) == len(resources) + extra_docs
    seen = {(i.provenance.source_id or "").split("#")[0] for i in pf.items}
    seen |= {k.source_id for k in pf.kept} | {p.ref for p in pf.patients}
    assert keys <= seen, f"resources not accounted for: {sorted(keys - seen)[:5]}"
    assert not [w for w in pf.warnings if "could not be read" in w], pf.warnings
    for it in pf.items:
        assert it.provenance.raw and json.loads(it.provenance.raw)["resourceType"]
        assert it.title
        if it.date is not None:
            assert fhir_datatypes._DATE_RE.fullmatch(it.date), it.date
            assert len(it.date) in (10, 16, 19), it.date


def _corpus_files(folder: str, pattern: str) -> list[str]:
    d = CORPUS / folder
    return sorted(p.name for p in d.glob(pattern)) if d.is_dir() else ["(corpus absent)"]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("folder", "name"),
    [("fhir-spec-examples", n) for n in _corpus_files("fhir-spec-examples", "*.json")]
    + [("ips-examples", n) for n in _corpus_files("ips-examples", "*.json")],
)
def test_corpus_json_file_parses_and_accounts_for_every_resource(folder: str, name: str) -> None:
    path = corpus_path(folder, name)
    data = path.read_bytes()
    assert looks_like_fhir_json(data[:4096])
    pf = parse_fhir_json(data, name)
    resources: list[tuple[str | None, dict[str, Any]]] = []
    _flatten(json.loads(data), resources)
    _check_accounting(pf, resources)


@pytest.mark.corpus
@pytest.mark.parametrize("name", _corpus_files("synthea-bulk-10-patients", "*.ndjson"))
def test_corpus_ndjson_file_parses_and_accounts_for_every_resource(name: str) -> None:
    path = corpus_path("synthea-bulk-10-patients", name)
    data = path.read_bytes()
    assert looks_like_ndjson(data[:65536])
    pf = parse_fhir_ndjson(data, name)
    resources = [(None, json.loads(line)) for line in data.splitlines() if line.strip()]
    _check_accounting(pf, resources)


@pytest.mark.corpus
def test_corpus_bulk_export_links_to_its_patients() -> None:
    folder = corpus_path("synthea-bulk-10-patients")
    raw = (folder / "Patient.000.ndjson").read_bytes()
    patients = parse_fhir_ndjson(raw, "Patient.000.ndjson")
    refs = {p.ref for p in patients.patients}
    assert refs == {f"Patient/{json.loads(line)['id']}" for line in raw.splitlines() if line.strip()}
    assert all(p.name and p.birth_date and p.sex for p in patients.patients)
    encounters = parse_fhir_ndjson((folder / "Encounter.000.ndjson").read_bytes(), "Encounter.000.ndjson")
    enc_keys = {e.provenance.source_id for e in encounters.items}
    for name in ("Condition.000.ndjson", "Procedure.000.ndjson", "DocumentReference.000.ndjson"):
        pf = parse_fhir_ndjson((folder / name).read_bytes(), name)
        assert {i.patient_ref for i in pf.items} <= refs
        linked = [i.encounter_ref for i in pf.items if i.encounter_ref]
        assert linked and set(linked) <= enc_keys
    docs = parse_fhir_ndjson((folder / "DocumentReference.000.ndjson").read_bytes(), "x")
    assert all(isinstance(d, Document) and d.content and d.text for d in docs.items)


# ------------------------------------------------------------------------------------------------
# Hostile input: refused with the file and the place, quickly, with no traceback.


def _rejected(data: bytes, *, ndjson: bool = False) -> ImportRejected:
    parse = parse_fhir_ndjson if ndjson else parse_fhir_json
    with pytest.raises(ImportRejected) as ei:
        parse(data, "evil.json")
    assert ei.value.file == "evil.json"
    assert str(ei.value).startswith("evil.json")
    return ei.value


def test_invalid_utf8_names_the_byte_offset() -> None:
    data = b'{"resourceType":"Patient","name":[{"text":"Ren\xe9"}]}'
    e = _rejected(data)
    assert e.where == f"byte offset {data.index(b'\xe9')}" and "UTF-8" in e.why


def test_invalid_utf8_in_ndjson_names_the_line() -> None:
    e = _rejected(b'{"resourceType":"Patient"}\n{"resourceType":"Patient","id":"\xff"}\n', ndjson=True)
    assert e.where is not None and e.where.startswith("line 2, byte 32")


def test_malformed_json_names_line_and_column() -> None:
    e = _rejected(b'{"resourceType": "Patient",\n  "id": ,\n}')
    assert e.where == "line 2, column 9" and "not valid JSON" in e.why


def test_truncated_file_says_so() -> None:
    data = GOLDEN.read_bytes()
    e = _rejected(data[: len(data) // 2])
    assert "truncated" in e.why and e.where is not None and e.where.startswith("line ")


def test_truncated_ndjson_names_the_last_line() -> None:
    data = b'{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b"}\n{"resourceType":"Pat'
    e = _rejected(data, ndjson=True)
    assert e.where is not None and e.where.startswith("line 3,") and "truncated" in e.why


def test_bad_ndjson_line_is_reported_with_its_number() -> None:
    data = b'{"resourceType":"Patient","id":"a"}\n\n{"resourceType":"Patient" "id":"b"}\n'
    e = _rejected(data, ndjson=True)
    assert e.where == "line 3, column 27"


def _nested(depth: int) -> bytes:
    # depth counts the top-level object as 1
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return ('{"resourceType":"Basic","id":"n","extension":' + inner + "}").encode()


def test_nesting_at_the_limit_is_accepted_and_one_deeper_refused() -> None:
    pf = parse_fhir_json(_nested(MAX_JSON_DEPTH), "deep-ok.json")
    assert [k.resource_type for k in pf.kept] == ["Basic"]
    e = _rejected(_nested(MAX_JSON_DEPTH + 1))
    assert "nested deeper" in e.why and e.where == f"line 1, column {45 + MAX_JSON_DEPTH}"


def test_very_deep_or_unbalanced_nesting_is_refused_without_recursion() -> None:
    limit = sys.getrecursionlimit()
    for data in (b"[" * 1_000_000, b'{"a":' * 200_000, _nested(50_000), b"[" * 200 + b"]" * 150):
        e = _rejected(data)
        assert "nested deeper" in e.why or "truncated" in e.why or "not valid JSON" in e.why
    assert sys.getrecursionlimit() == limit
    e = _rejected(b'{"resourceType":"Patient"}\n' + b"[" * 500 + b"]" * 500 + b"\n", ndjson=True)
    assert e.where == "line 2" and "nested deeper" in e.why


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = "[" * 500 + '\\"[' + "{" * 300
    data = json.dumps(
        {"resourceType": "Observation", "id": "s", "code": {"text": text}, "valueString": "]]\\"}
    ).encode()
    pf = parse_fhir_json(data, "strings.json")
    assert pf.items[0].title == text


def test_file_over_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fhir_read, "MAX_JSON_BYTES", 1000)  # where the limit is read
    e = _rejected(b'{"resourceType":"Patient","id":"' + b"x" * 2000 + b'"}')
    assert "limited to" in e.why


def test_ndjson_line_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fhir_read, "MAX_NDJSON_LINE", 100)
    data = b'{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"' + b"b" * 200 + b'"}\n'
    e = _rejected(data, ndjson=True)
    assert e.where == "line 2" and "longer than" in e.why


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b'{"name": "not a resource"}', "no resourceType"),
        (b'{"resourceType": 5}', "no resourceType"),
        (b"[1, 2, 3]", "expected an object"),
        (b'"just a string"', "expected an object"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"resourceType":"Observation","valueQuantity":{"value":NaN}}', "not valid JSON"),
    ],
)
def test_json_that_is_not_fhir(data: bytes, why: str) -> None:
    assert why in _rejected(data).why


def test_ndjson_line_that_is_not_fhir_names_the_line() -> None:
    e = _rejected(b'{"resourceType":"Patient"}\n{"id":"x"}\n', ndjson=True)
    assert e.where == "line 2" and "resourceType" in e.why
    assert "no FHIR resources" in _rejected(b"\n\n", ndjson=True).why


def test_huge_numbers_and_strings_are_bounded() -> None:
    big = (
        json.dumps(
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [
                    {
                        "resource": {
                            "resourceType": "Observation",
                            "id": "a",
                            "code": {"text": "A"},
                            "valueQuantity": {"value": 1e308 * 10},
                        }
                    },
                    {
                        "resource": {
                            "resourceType": "Observation",
                            "id": "b",
                            "code": {"text": "B"},
                            "valueInteger": 10**400,
                        }
                    },
                    {
                        "resource": {
                            "resourceType": "Observation",
                            "id": "c",
                            "code": {"text": "C"},
                            "valueString": "x" * 5_000_000,
                        }
                    },
                ],
            }
        )
        .replace("Infinity", "1e999")
        .encode()
    )
    pf = parse_fhir_json(big, "big.json")
    (c,) = pf.items
    # not representable (no inf, no overflow): no value left, so not a result; kept verbatim
    assert pf.set_aside["observation"] == 2 and {k.source_id for k in pf.kept} == {"Observation/a", "Observation/b"}
    assert c.value_text is not None and len(c.value_text) == 5_000_000
    e = _rejected(b'{"resourceType":"Observation",\n"valueInteger":' + b"9" * 5000 + b"}")
    assert e.where == "line 2, column 16" and "digits" in e.why


def test_bad_base64_is_a_warning_not_a_crash() -> None:
    res = {
        "resourceType": "DocumentReference",
        "id": "d",
        "content": [{"attachment": {"contentType": "text/plain", "data": "abc"}}],
    }
    pf = parse_fhir_resources([res], "b64.json")
    (doc,) = pf.items
    assert isinstance(doc, Document) and doc.content is None
    assert any("base64" in w for w in pf.warnings)
    assert '"data":"abc"' in (doc.provenance.raw or "")  # kept, since it is not in the document


def test_benchmark_generator_smoke() -> None:
    """The benchmark's generator makes a bundle this parser reads completely."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from bench_fhir_parse import make_bundle
    finally:
        sys.path.pop(0)
    bundle = make_bundle(600)
    pf = parse_fhir_json(json.dumps(bundle).encode(), "bench.json")
    resources: list[tuple[str | None, dict[str, Any]]] = []
    _flatten(bundle, resources)
    _check_accounting(pf, resources)
    bps = [i for i in pf.items if i.code == "85354-9"]
    assert bps and all(i.title.startswith("Blood pressure ") and i.title.endswith(" mmHg") for i in bps)
