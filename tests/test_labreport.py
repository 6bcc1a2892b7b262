"""Reading lab reports into proposed results, and saving the confirmed ones as lab Observations."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from medrecords_desktop.errors import InvalidInput
from medrecords_desktop.importers.labreport import (
    ProposedRow,
    catalogue,
    find_date,
    match_test,
    normalise_unit,
    propose_results,
    report_date,
)
from medrecords_desktop.ocr import engine as ocr_engine
from medrecords_desktop.ocr.engine import OcrLine, OcrPage
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.labreport import confirm_results, results_from_document
from medrecords_desktop.services.records import RecordService
from tests.factories import prov, write_items
from tests.ocr_testset import fonts_available, generate, recognised_set, score, text_pdf

needs_fonts = pytest.mark.skipif(not fonts_available(), reason="DejaVu fonts missing (Debian: fonts-dejavu)")


# --------------------------------------------------------------------------- the catalogue
def _luhn_ok(code: str) -> bool:
    number, check = code.split("-")
    total = 0
    for n, ch in enumerate(reversed(number)):
        v = int(ch) * (2 if n % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return (10 - total % 10) % 10 == int(check)


def test_catalogue_is_sound() -> None:
    tests = catalogue()
    assert len(tests) >= 60
    codes = [t.loinc for t in tests]
    assert len(set(codes)) == len(codes)
    assert all(_luhn_ok(c) for c in codes), [c for c in codes if not _luhn_ok(c)]  # LOINC check digit
    by_code = {t.loinc: t for t in tests}
    assert by_code["4548-4"].name == "Hemoglobin A1c" and {"HbA1c", "A1C"} <= set(by_code["4548-4"].synonyms)
    assert by_code["2345-7"].units[0] == "mg/dL" and by_code["718-7"].units[0] == "g/dL"
    for t in tests:
        if t.low is not None and t.high is not None:
            assert t.low < t.high, t.name
        for u in t.units:
            assert normalise_unit(u) == u, (t.name, u)  # the catalogue speaks the normalised units


@pytest.mark.parametrize(
    "printed,loinc",
    [
        ("HbA1c", "4548-4"),
        ("A1C", "4548-4"),
        ("Hemoglobin A1c", "4548-4"),
        ("Hemoglobin AIc", "4548-4"),
        ("Hem0globin", "718-7"),
        ("Glucose, fasting", "1558-6"),
        ("Glucose", "2345-7"),
        ("GLUCOSE SERUM", "2345-7"),
        ("Potasium", "2823-3"),
        ("ALT (SGPT)", "1742-6"),
        ("Vitamin B12", "2132-9"),
        ("TSH", "3016-3"),
        ("Creatinlne", "2160-0"),
        ("Cholesterol, Total", "2093-3"),
        ("25-OH Vitamin D", "62292-8"),
    ],
)
def test_name_matching_tolerates_reading_errors(printed: str, loinc: str) -> None:
    assert match_test(printed)[0][0].loinc == loinc


def test_unknown_names_do_not_match() -> None:
    assert match_test("Patient name") == [] or match_test("Patient name")[0][1] < 0.82
    assert match_test("12345") == []


@pytest.mark.parametrize(
    "raw,norm",
    [
        ("mg/dl", "mg/dL"),
        ("MG/DL", "mg/dL"),
        ("mmol/l", "mmol/L"),
        ("µmol/L", "umol/L"),
        ("x10^3/uL", "x10^3/uL"),
        ("10*3/uL", "x10^3/uL"),
        ("K/uL", "x10^3/uL"),
        ("x10E6/uL", "x10^6/uL"),
        ("10^9/L", "x10^9/L"),
        ("mL/min/1.73m2", "mL/min/1.73m2"),
        ("mg/dI", "mg/dL"),
        ("uIU/mL", "uIU/mL"),
        ("IU/L", "IU/L"),
        ("U/L", "U/L"),
        ("fl", "fL"),
        ("sec", "s"),
        ("mm/hr", "mm/h"),
        ("%", "%"),
        ("furlongs", None),
    ],
)
def test_units_are_normalised(raw: str, norm: str | None) -> None:
    assert normalise_unit(raw) == norm


def test_lines_in_many_shapes() -> None:
    text = "\n".join(
        [
            "Riverside Lab   Patient: Ann Example   DOB: 01/02/1970",
            "Date collected: 03/14/2026 08:15   Reported: 03/15/2026",
            "Glucose, fasting .......... 104 mg/dL (70-99) H",
            "Hemoglobin A1c  6.1  %  4.0 - 5.6  H",
            "Platelets 2l5 K/uL 150-450",
            "Potassium  H  5.6  mEq/L  3.5-5.1",
            "eGFR >60 mL/min/1.73m2 >59",
            "Neutrophils 4.1 x10E3/uL 1.8-7.7",
            "Sodium: 14O mmol/l 135 - 145",
            "Troponin I  <0.01  ng/mL  <0.04",
            "Creatinine  1,12  mg/dL  0.60-1.30",
            "aPTT  36.3  H  5  25.0-35.0",  # the unit s read as 5 on a blurred photo
            "URINALYSIS",
            "Glucose  Negative  Negative",
            "Protein  Trace  Negative  A",
        ]
    )
    rows = {r.loinc: r for r in propose_results(text)}
    assert rows["1558-6"].value == 104 and rows["1558-6"].unit == "mg/dL" and rows["1558-6"].flag == "H"
    assert (rows["1558-6"].low, rows["1558-6"].high) == (70, 99)
    assert rows["4548-4"].value == 6.1 and rows["4548-4"].unit == "%" and rows["4548-4"].high == 5.6
    assert rows["777-3"].value == 215 and rows["777-3"].unit == "x10^3/uL"  # "2l5": l read for 1
    assert rows["2823-3"].flag == "H" and rows["2823-3"].unit == "mEq/L"
    assert rows["98979-8"].value_text == ">60" and rows["98979-8"].low == 59
    assert rows["751-8"].name == "Neutrophils, absolute"  # the unit says it is a count, not a percentage
    assert rows["2951-2"].value == 140 and rows["2951-2"].unit == "mmol/L"
    assert rows["10839-9"].value_text == "<0.01" and rows["10839-9"].high == 0.04
    assert rows["2160-0"].value == 1.12
    assert rows["3173-2"].unit == "s" and rows["3173-2"].value == 36.3 and rows["3173-2"].flag == "H"
    assert rows["25428-4"].value_text == "Negative" and rows["25428-4"].value is None  # urine glucose
    assert rows["20454-5"].value_text == "Trace" and rows["20454-5"].flag == "A"
    assert "2345-7" not in rows  # the urine "Glucose" is not blood glucose
    assert {r.date for r in rows.values()} == {"2026-03-14T08:15"}
    assert len(rows) == 12


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Collected: 2026-03-14 07:30", "2026-03-14T07:30"),
        ("Specimen collected 14-MAR-2026 07:42", "2026-03-14T07:42"),
        ("Reported Mar 5, 2025", "2025-03-05"),
        ("Date: 14.03.2026", "2026-03-14"),
        ("Drawn 3/4/26 8:05 PM", "2026-03-04T20:05"),
        ("Collected: 05/24/202308:50", "2023-05-24T08:50"),  # the space lost in recognition
        ("No date here", None),
    ],
)
def test_dates(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_report_date_prefers_collection_and_ignores_birth() -> None:
    lines = ["DOB: 02/11/1961", "Printed 04/01/2026", "Reported: 03/16/2026", "Collected: 03/14/2026"]
    assert report_date(lines) == "2026-03-14"
    assert report_date(["DOB: 02/11/1961"]) is None


def test_table_cells_from_boxes_are_read_as_rows() -> None:
    """A table recognised as separate boxes per cell (the OCR result shape) reads row by row."""
    cells = [
        ("Collected: 2026-01-09", 60, 40),
        ("Test", 60, 100),
        ("Result", 500, 100),
        ("Units", 700, 100),
        ("Sodium", 60, 150),
        ("139", 500, 152),
        ("mmol/L", 700, 149),
        ("135-145", 900, 151),
        ("Hemoglobin", 60, 200),
        ("11.2", 500, 198),
        ("L", 620, 201),
        ("g/dL", 700, 200),
        ("13.5-17.5", 900, 199),
    ]
    lines = [OcrLine(t, (x, y, x + 12 * len(t), y + 26), 0.95) for t, x, y in cells]
    lines.reverse()  # the engine's order is not the reading order
    rows = propose_results([OcrPage(lines=lines, width=1200, height=300)])
    assert [(r.loinc, r.value, r.unit, r.flag, r.page) for r in rows] == [
        ("2951-2", 139, "mmol/L", None, 0),
        ("718-7", 11.2, "g/dL", "L", 0),
    ]
    assert rows[0].date == "2026-01-09" and 0.9 < rows[0].confidence <= 0.95


# --------------------------------------------------------------------------- the generated set
@needs_fonts
def test_proposals_from_recognised_scans_are_right() -> None:
    """Across the generated layouts (table, leaders, monospaced hospital, phone photo), the proposal has
    the right test (LOINC), value and unit for at least 90% of the printed result lines."""
    pages, recognised = recognised_set()
    proposals = [propose_results([ocr]) for ocr in recognised]
    right, total, misses = score(list(pages), proposals)
    rate = right / total
    print(f"\nlab report proposals: {right}/{total} = {rate:.1%} right (LOINC + value + unit); misses: {misses}")
    assert total >= 40
    assert rate >= 0.90, misses
    for page, rows in zip(pages, proposals, strict=True):
        assert {r.date for r in rows} == {page.date}, page.layout
        assert len(rows) <= len(page.expected) + 1, page.layout  # few rows that were not results


@needs_fonts
def test_text_of_the_reports_is_read_exactly() -> None:
    """The same reports as plain text (a PDF's text layer): every result line is read."""
    pages = [p for seed in (3, 4, 5) for p in generate(seed)]
    proposals = [propose_results("\n".join(p.lines)) for p in pages]
    right, total, misses = score(pages, proposals)
    assert right == total, misses


# --------------------------------------------------------------------------- through the vault
def _import_report(vault, lines: list[str], encounter: str | None = None) -> str:
    pdf = text_pdf(lines)
    opts = ImportOptions(person="Alice Example", encounter=encounter)
    outcome = ImportService(vault).import_bytes(pdf, "lab-report.pdf", opts)
    assert outcome.added["document"] == 1, outcome.error
    docs = RecordService(vault).timeline(person="Alice Example", kinds=["document"])
    assert len(docs) == 1
    return docs[0].id


REPORT = [
    "Harbor Valley Lab Services",
    "Patient: Alice Example   DOB: 04/12/1980",
    "Collected: 02/03/2026 09:10",
    "Test  Result  Flag  Units  Reference Range",
    "Hemoglobin A1c  6.4  H  %  4.0-5.6",
    "Glucose, fasting  112  H  mg/dL  70-99",
    "LDL cholesterol  131  H  mg/dL  <100",
    "eGFR  >60    mL/min/1.73m2  >59",
]


def test_text_layer_pdf_is_read_without_recognition(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("OCR ran on a PDF with a text layer")

    monkeypatch.setattr(ocr_engine, "recognise_document", refuse)
    doc_id = _import_report(vault, REPORT)
    rows = results_from_document(vault, doc_id)
    assert [(r.loinc, r.value, r.value_text, r.unit) for r in rows] == [
        ("4548-4", 6.4, None, "%"),
        ("1558-6", 112, None, "mg/dL"),
        ("13457-7", 131, None, "mg/dL"),
        ("98979-8", 60, ">60", "mL/min/1.73m2"),
    ]
    assert all(r.date == "2026-02-03T09:10" for r in rows)


def test_confirmed_results_become_lab_observations(vault) -> None:
    enc = write_items(
        vault,
        "Alice Example",
        [
            __import__("medrecords_desktop.model.records", fromlist=["Encounter"]).Encounter(
                title="Annual physical", date="2026-02-03T08:30", provenance=prov("Encounter/phys")
            ),
        ],
    )
    assert enc.added["encounter"] == 1
    records = RecordService(vault)
    enc_id = records.timeline(person="Alice Example", kinds=["encounter"])[0].id
    doc_id = _import_report(vault, REPORT, encounter=enc_id)
    rows = results_from_document(vault, doc_id)
    rows[0].value = 6.5  # the person corrected a value in the review table
    ids = confirm_results(vault, doc_id, rows, "Pat Owner")
    assert len(ids) == 4
    series = records.lab_series("Alice Example", code="4548-4")
    assert [(e.row.value_num, e.row.unit, e.row.date) for e in series] == [(6.5, "%", "2026-02-03T09:10")]
    assert series[0].row.abnormal  # 6.5 is above the printed 5.6
    item = records.item(series[0].id)
    assert item.derived_from == doc_id and item.category == "laboratory"
    assert item.code_system == "http://loinc.org" and item.interpretation == "H"
    assert item.provenance.source_kind == "scan" and item.provenance.source_name == records.item(doc_id).title
    assert item.provenance.entered_by == "Pat Owner"
    assert item.encounter_id == enc_id
    egfr = records.item(next(i for i in ids if records.item(i).code == "98979-8"))
    assert egfr.value is None and egfr.value_text == ">60"  # "more than 60" is never charted as 60
    assert ("Glucose, fasting", "1558-6", 1) in records.lab_tests("Alice Example")
    # Confirming the same rows again adds nothing.
    again = confirm_results(vault, doc_id, rows, "Pat Owner")
    assert sorted(again) == sorted(ids)
    assert len(records.lab_series("Alice Example", code="4548-4")) == 1


def test_confirm_refuses_rows_without_a_value(vault) -> None:
    doc_id = _import_report(vault, REPORT)
    row = ProposedRow(
        name="Sodium",
        loinc="2951-2",
        value=None,
        value_text=None,
        unit="mmol/L",
        low=None,
        high=None,
        flag=None,
        date="2026-02-03",
        line="",
        confidence=1.0,
    )
    with pytest.raises(InvalidInput, match="Row 1 .Sodium. has no value"):
        confirm_results(vault, doc_id, [row])


def test_cli_results_from_and_confirm(cli_env, tmp_path) -> None:
    def run(*args):
        r = subprocess.run(
            [sys.executable, "-m", "medrecords_desktop.cli", *args],
            env=cli_env,  # noqa: S603
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    pdf = tmp_path / "lab-report.pdf"
    pdf.write_bytes(text_pdf(REPORT))
    run("import", str(pdf), "--person", "Alice Example")
    doc = next(e for e in json.loads(run("timeline", "--json")) if e["kind"] == "document")
    table = run("results-from", doc["id"])
    assert "4548-4" in table and "nothing saved" in table
    rows = json.loads(run("results-from", doc["id"], "--json"))
    assert [r["loinc"] for r in rows] == ["4548-4", "1558-6", "13457-7", "98979-8"]
    assert json.loads(run("timeline", "--json", "--kind", "observation") or "[]") == []
    rows_file = tmp_path / "rows.json"
    rows_file.write_text(json.dumps(rows[:2]))
    saved = json.loads(run("confirm-results", doc["id"], "--rows", str(rows_file), "--json"))
    assert len(saved["saved"]) == 2
    obs = json.loads(run("timeline", "--json", "--kind", "observation"))
    assert sorted(o["code"] for o in obs) == ["1558-6", "4548-4"]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "medrecords_desktop.cli",
            "confirm-results",
            doc["id"],  # noqa: S603
            "--rows",
            str(bad),
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode != 0 and "not JSON" in r.stderr and "Traceback" not in r.stderr


@needs_fonts
def test_document_without_text_is_recognised_on_the_fly(vault) -> None:
    """A scan stored without text (recognition was off) is read when its results are asked for."""
    pages, _ = recognised_set()
    page = next(p for p in pages if p.layout == "hospital")
    opts = ImportOptions(person="Alice Example")
    opts.ocr = False  # type: ignore[attr-defined]
    ImportService(vault).import_bytes(page.image, "ward-print.png", opts)
    doc = RecordService(vault).timeline(person="Alice Example", kinds=["document"])[0]
    assert not RecordService(vault).item(doc.id).text
    rows = results_from_document(vault, doc.id)
    right, total, misses = score([page], [rows])
    assert right / total >= 0.9, misses
    assert all(r.page == 0 and r.box is not None for r in rows)


def test_each_page_keeps_its_own_collection_date() -> None:
    rows = propose_results(
        ["Collected: 2026-01-02\nSodium 140 mmol/L", "Potassium 4.1 mmol/L", "Collected: 2026-02-03\nSodium 141 mmol/L"]
    )
    assert [(r.loinc, r.date, r.page) for r in rows] == [
        ("2951-2", "2026-01-02", 0),
        ("2823-3", "2026-01-02", 1),
        ("2951-2", "2026-02-03", 2),
    ]


def test_demo_lab_reports_read_back_as_their_own_results(tmp_path) -> None:
    """The demo family's lab report documents (text PDFs) read back as exactly the lab results the demo
    stored beside them: a check on text nobody wrote for this reader."""
    from datetime import date

    from medrecords_desktop.services.demo import PANELS, create_demo_vault
    from medrecords_desktop.vault.crypto import fast_test_kdf

    v = create_demo_vault(tmp_path / "demo", today=date(2026, 11, 1), kdf=fast_test_kdf())
    try:
        records = RecordService(v)
        checked = 0
        for doc in records.timeline(kinds=["document"], limit=500):
            if not doc.row.title.startswith("Lab report"):
                continue
            rows = results_from_document(v, doc.id)
            stored = [
                e
                for e in records.encounter_detail(doc.encounter_id).items
                if e.row.kind == "observation" and e.row.data.get("category") == "laboratory"
            ]
            at_visit = {(e.row.code, e.row.value_num, normalise_unit(e.row.unit or "")) for e in stored}
            read = {(r.loinc, r.value, r.unit) for r in rows}
            assert read <= at_visit, (doc.row.title, read - at_visit)
            panel = doc.row.title.split("—")[-1].strip()
            assert sorted(r.loinc for r in rows) == sorted(PANELS[panel]), doc.row.title
            assert all(r.date == doc.row.date[:10] for r in rows)
            checked += len(rows)
        assert checked >= 30
    finally:
        v.close()
