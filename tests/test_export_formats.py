# ruff: noqa: S603 (runs the system 7z on archives the test made)
"""The other export formats: generated passphrases, the 7z archive, labs CSV, the FHIR bundle and
plain PDF encryption."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest

from medrecords_desktop.errors import ImportRejected, InvalidInput
from medrecords_desktop.exporters.archive import (
    read_encrypted_archive,
    safe_member_name,
    write_encrypted_archive,
)
from medrecords_desktop.exporters.fhir_bundle import ITEM_SYSTEM, bundle_item_resources, to_fhir_bundle
from medrecords_desktop.exporters.labs_csv import COLUMNS, labs_to_csv, neutralise
from medrecords_desktop.exporters.passphrase import entropy_bits, generate_passphrase, word_list
from medrecords_desktop.exporters.pdfcrypt import encrypt_pdf_bytes
from medrecords_desktop.model.records import Document, Medication, Observation
from tests import packet_samples as S

PASSWORD = "quiet-harbor-maple-lantern-otter"  # noqa: S105 (a test fixture)


# --- passphrases ---------------------------------------------------------------------------------


def test_word_list_is_big_plain_and_unique():
    words = word_list()
    assert len(words) >= 2048
    assert all(re.fullmatch(r"[a-z]{3,9}", w) for w in words)
    assert len(set(words)) == len(words)


def test_passphrase_words_come_from_the_list_and_vary():
    phrases = {generate_passphrase() for _ in range(50)}
    assert len(phrases) == 50
    vocab = set(word_list())
    for phrase in phrases:
        parts = phrase.split("-")
        assert len(parts) == 6 and all(p in vocab for p in parts)


def test_passphrase_strength():
    assert entropy_bits(6) == pytest.approx(6 * math.log2(len(word_list())))
    assert entropy_bits(6) >= 66 and entropy_bits(5) >= 55
    assert len(generate_passphrase(8).split("-")) == 8
    with pytest.raises(ValueError, match="at least 5 words"):
        generate_passphrase(4)


# --- 7z archive ----------------------------------------------------------------------------------

FILES = {
    "documents/2026-10-02 Cardiology consult Quillon.pdf": S.make_pdf("Consult", 1, S.DOC_MARKER),
    "health-summary.fhir.json": json.dumps({"resourceType": "Bundle", "note": S.MED_MARKER}).encode(),
}


def test_archive_round_trip_and_hidden_names(tmp_path):
    out = tmp_path / "export.7z"
    write_encrypted_archive(FILES, out, PASSWORD)
    assert read_encrypted_archive(out, PASSWORD) == FILES
    raw = out.read_bytes()
    assert raw.startswith(b"7z\xbc\xaf\x27\x1c")
    for secret in ("Cardiology", "Quillon", "health-summary", "fhir", S.MED_MARKER, "documents/"):
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw, secret
    assert [p.name for p in tmp_path.iterdir()] == ["export.7z"]  # no temporary left behind


@pytest.mark.parametrize("wrong", ["", "wrong", PASSWORD[:-1]])
def test_archive_wrong_password_lists_nothing(tmp_path, wrong):
    import py7zr

    out = tmp_path / "export.7z"
    write_encrypted_archive(FILES, out, PASSWORD)
    with pytest.raises(ImportRejected, match="wrong password or damaged archive"):
        read_encrypted_archive(out, wrong)
    # Even listing the names needs the password (the header is encrypted).
    with pytest.raises(Exception):  # noqa: B017 (py7zr raises a different type per failure)
        with py7zr.SevenZipFile(out, "r", password=wrong or None) as archive:
            names = archive.getnames()
            assert not set(names) & set(FILES)
            raise AssertionError("listed without the password")  # the file names leaked


def test_archive_opens_in_7z_if_installed(tmp_path):
    exe = shutil.which("7z") or shutil.which("7zz")
    if exe is None:
        pytest.skip("no 7z command (apt-get install -y p7zip-full) to check interoperability")
    out = tmp_path / "export.7z"
    write_encrypted_archive(FILES, out, PASSWORD)
    listing = subprocess.run([exe, "l", "-slt", f"-p{PASSWORD}", str(out)], capture_output=True, text=True)
    assert listing.returncode == 0, listing.stdout + listing.stderr
    assert "7zAES" in listing.stdout and "LZMA2" in listing.stdout
    for name in FILES:
        assert f"Path = {name}" in listing.stdout
    dest = tmp_path / "x"
    subprocess.run([exe, "x", f"-p{PASSWORD}", f"-o{dest}", str(out)], capture_output=True, check=True)
    for name, data in FILES.items():
        assert (dest / name).read_bytes() == data
    bad = subprocess.run([exe, "l", "-pwrong", str(out)], capture_output=True, text=True)
    assert bad.returncode != 0 and "Cardiology" not in bad.stdout


@pytest.mark.parametrize("name", ["/etc/passwd", "../up.txt", "a/../../b", "C:/x.pdf", "", "a//b", "x\x00y"])
def test_archive_refuses_unsafe_names(tmp_path, name):
    with pytest.raises(InvalidInput):
        safe_member_name(name)
    with pytest.raises(InvalidInput):
        write_encrypted_archive({name: b"x"}, tmp_path / "a.7z", PASSWORD)
    assert list(tmp_path.iterdir()) == []


def test_archive_refuses_empty_password(tmp_path):
    with pytest.raises(InvalidInput, match="password is required"):
        write_encrypted_archive(FILES, tmp_path / "a.7z", " ")
    assert list(tmp_path.iterdir()) == []


# --- labs CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Glucose", "Glucose"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_labs_csv_neutralises_text_and_keeps_numbers():
    labs = [
        Observation(
            title="=cmd|'/c calc'!A1",
            value=-0.5,
            unit="+mmol",
            ref_low=-1.0,
            ref_high=1.0,
            date="2026-01-02",
            note="@risky",
            performer="-lab",
            code="2345-7",
        ),
        Observation(title="Glucose", value=130.0, unit="mg/dL", ref_low=70.0, ref_high=99.0, date="2026-01-01"),
        Observation(title="Culture", value_text="No growth", date="2026-01-03", interpretation="N"),
        Observation(title="Deleted one", value=1.0, date="2026-01-04", deleted=True),
    ]
    text = labs_to_csv(labs)
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == list(COLUMNS)
    assert [r["test"] for r in rows] == ["Glucose", "'=cmd|'/c calc'!A1", "Culture"]  # oldest first
    glucose, odd, culture = rows
    assert glucose["value"] == "130" and glucose["flag"] == "H"
    assert odd["value"] == "-0.5" and odd["ref_low"] == "-1"  # our own numbers stay numbers
    assert odd["unit"] == "'+mmol" and odd["note"] == "'@risky" and odd["performer"] == "'-lab"
    assert culture["value_text"] == "No growth" and culture["flag"] == ""
    # No text cell in the whole file starts with a formula trigger.
    numeric = {"value", "ref_low", "ref_high"}
    for row in rows:
        for key, cell in row.items():
            if key not in numeric:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell)


# --- FHIR bundle ---------------------------------------------------------------------------------


def _bundle_items():
    recs = S.records(date(2026, 11, 20))
    items = [i for group in recs.values() for i in group]
    items.append(
        Document(
            title="Consult letter",
            date="2026-10-02T09:30",
            mime="application/pdf",
            filename="consult.pdf",
            size=1234,
            id="d-1",
        )
    )
    return items


def test_bundle_is_an_ips_document():
    items = _bundle_items()
    bundle = to_fhir_bundle(S.person(), items)
    json.dumps(bundle)  # serialisable
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "document"
    entries = bundle["entry"]
    composition, patient = entries[0]["resource"], entries[1]["resource"]
    assert composition["resourceType"] == "Composition" and patient["resourceType"] == "Patient"
    assert composition["type"]["coding"][0]["code"] == "60591-5"
    assert composition["subject"]["reference"] == entries[1]["fullUrl"]
    codes = [s.get("code", {}).get("coding", [{}])[0].get("code") for s in composition["section"]]
    assert codes[:6] == ["10160-0", "48765-2", "11450-4", "11369-6", "30954-2", "47519-4"]
    urls = {e["fullUrl"] for e in entries}
    referenced = {ref["reference"] for s in composition["section"] for ref in s.get("entry", [])}
    assert referenced <= urls and len(referenced) == len(items)  # every item sits in one section
    resources = bundle_item_resources(bundle)
    assert len(resources) == len(items)
    for res in resources:
        ids = [i["value"] for i in res["identifier"] if i["system"] == ITEM_SYSTEM]
        assert len(ids) == 1
    assert patient["birthDate"] == "1961-04-09" and patient["name"][0]["family"] == "Marchbanks-Oyelaran"


def test_bundle_reuses_fhir_source_and_points_it_at_the_patient():
    items = _bundle_items()
    bundle = to_fhir_bundle(S.person(), items)
    patient_url = bundle["entry"][1]["fullUrl"]
    raw_based = next(r for r in bundle_item_resources(bundle) if r.get("id") == "abc")
    assert raw_based["resourceType"] == "MedicationStatement"
    assert raw_based["subject"]["reference"] == patient_url  # was Patient/src-1
    assert {"system": ITEM_SYSTEM, "value": "m-3"} in raw_based["identifier"]
    # the item's own raw text is not modified by the export
    med = next(i for i in items if i.id == "m-3")
    assert "Patient/src-1" in med.provenance.raw


def test_generated_resources_carry_the_model_fields():
    bundle = to_fhir_bundle(S.person(), _bundle_items())
    by_id = {r.get("id"): r for r in bundle_item_resources(bundle)}
    a1c = by_id["o-6"]
    assert a1c["resourceType"] == "Observation" and a1c["code"]["coding"][0]["code"] == "4548-4"
    assert a1c["valueQuantity"] == {"value": 6.9, "unit": "%"}
    assert a1c["referenceRange"][0]["high"]["value"] == 5.6
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a1c["effectiveDateTime"])
    penicillin = by_id["a-1"]
    assert penicillin["criticality"] == "high" and penicillin["reaction"][0]["severity"] == "severe"
    doc = by_id["d-1"]
    assert doc["resourceType"] == "DocumentReference" and doc["content"][0]["attachment"]["size"] == 1234
    assert doc["context"]["period"]["start"] == "2026-10-02"  # no invented time zone
    med = by_id["m-1"]
    assert med["status"] == "active" and med["dosage"][0]["text"] == "20 mg oral once daily"


def test_empty_required_sections_say_why_and_collection_mode():
    bundle = to_fhir_bundle(S.person(), [Medication(title="Aspirin", id="m")])
    sections = bundle["entry"][0]["resource"]["section"]
    assert [s["title"] for s in sections] == [
        "Medication summary",
        "Allergies and intolerances",
        "Problem list",
    ]
    assert "emptyReason" in sections[1] and "None recorded" in sections[1]["text"]["div"]
    collection = to_fhir_bundle(S.person(), [Medication(title="Aspirin", id="m")], as_ips=False)
    assert collection["type"] == "collection"
    assert [e["resource"]["resourceType"] for e in collection["entry"]] == ["Patient", "MedicationStatement"]
    # the same vault id gives the same entry URL in every export (stable re-import)
    again = to_fhir_bundle(S.person(), [Medication(title="Aspirin", id="m")], as_ips=False)
    assert collection["entry"][1]["fullUrl"] == again["entry"][1]["fullUrl"]


# --- plain PDF encryption ------------------------------------------------------------------------


def test_encrypt_pdf_bytes_r6_and_refuses_empty_password(tmp_path):
    out = tmp_path / "report.pdf"
    encrypt_pdf_bytes(S.make_pdf("Report", 1, S.DOC_MARKER), out, PASSWORD)
    with pikepdf.open(out, password=PASSWORD) as pdf:
        info = pdf.encryption
        assert info.R == 6 and info.bits == 256 and info.stream_method.name == "aesv3"
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out, password="")
    with pytest.raises(InvalidInput):
        encrypt_pdf_bytes(S.make_pdf("Report", 1), tmp_path / "other.pdf", "")
    assert sorted(os.listdir(tmp_path)) == ["report.pdf"]


def test_bundle_never_holds_nan_or_infinity():
    obs = [
        Observation(title="Odd", value=float("nan"), ref_low=float("-inf"), ref_high=2.0, id="n1"),
        Observation(title="Fine", value=1.5, id="n2"),
    ]
    bundle = to_fhir_bundle(S.person(), obs)
    text = json.dumps(bundle, allow_nan=False)  # raises on NaN/Infinity
    odd, fine = bundle_item_resources(bundle)
    assert "valueQuantity" not in odd and odd["referenceRange"] == [{"high": {"value": 2}}]
    assert fine["valueQuantity"] == {"value": 1.5}
    assert "NaN" not in text


# --- lossless export of real FHIR sources (corpus) -----------------------------------------------

_KIND_BY_TYPE = {
    "Condition": "condition",
    "MedicationStatement": "medication",
    "MedicationRequest": "medication",
    "AllergyIntolerance": "allergy",
    "Immunization": "immunization",
    "Observation": "observation",
    "Procedure": "procedure",
    "DiagnosticReport": "diagnostic_report",
}


def _without_ours(node, patient_url, urls):
    """The resource with our identifier removed and re-pointed references put back as markers."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "identifier" and isinstance(value, list):
                value = [i for i in value if i.get("system") != ITEM_SYSTEM]
                if not value:
                    continue
            if key == "reference" and value == patient_url:
                value = "<patient>"
            elif key == "reference" and value in urls:
                value = "<item>"
            out[key] = _without_ours(value, patient_url, urls)
        return out
    if isinstance(node, list):
        return [_without_ours(v, patient_url, urls) for v in node]
    return node


def _as_markers(node, source_ids):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "reference" and isinstance(value, str) and value.startswith("Patient/"):
                value = "<patient>"
            elif key == "reference" and value in source_ids:
                value = "<item>"
            out[key] = _as_markers(value, source_ids)
        return out
    if isinstance(node, list):
        return [_as_markers(v, source_ids) for v in node]
    return node


def test_fhir_sources_are_exported_unchanged_but_for_references_and_identifier():
    from medrecords_desktop.model.records import Provenance, item_class
    from tests.conftest import corpus_path

    folder = corpus_path("ips-examples")
    originals, items = [], []
    for n, path in enumerate(sorted(folder.glob("*.json"))):
        res = json.loads(path.read_text(encoding="utf-8"))
        kind = _KIND_BY_TYPE.get(res.get("resourceType"))
        if kind is None:
            continue
        item = item_class(kind)(title=path.stem, id=f"ips-{n}")
        item.provenance = Provenance(
            raw=path.read_text(encoding="utf-8"),
            raw_format="fhir+json",
            source_id=f"{res['resourceType']}/{res.get('id')}",
        )
        originals.append(res)
        items.append(item)
    assert len(items) >= 8
    bundle = to_fhir_bundle(S.person(), items)
    patient_url = bundle["entry"][1]["fullUrl"]
    urls = {e["fullUrl"] for e in bundle["entry"][2:]}
    source_ids = {i.provenance.source_id for i in items}
    exported = bundle_item_resources(bundle)
    assert len(exported) == len(items)
    for original, res, item in zip(originals, exported, items, strict=True):
        assert {"system": ITEM_SYSTEM, "value": item.id} in res["identifier"]
        assert _without_ours(res, patient_url, urls) == _as_markers(original, source_ids), item.title
