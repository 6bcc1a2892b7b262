"""CSV lab results: three real-world layouts (plus a wide one), cell readers, and bad rows by line."""

from __future__ import annotations

import codecs

import pytest

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.csvlabs import (
    LOINC,
    RowError,
    parse_date,
    parse_lab_csv,
    parse_range,
    parse_value,
)
from medrecords_desktop.model.records import Observation
from tests.conftest import FIXTURES

CSV = FIXTURES / "csv"


def rows(parsed) -> list[tuple]:
    out = []
    for o in parsed.items:
        assert isinstance(o, Observation)
        assert o.category == "laboratory"
        out.append((o.title, o.date, o.value, o.value_text, o.unit, o.ref_low, o.ref_high, o.interpretation))
    return out


def test_long_layout_with_loinc_column() -> None:
    parsed = parse_lab_csv((CSV / "results_long.csv").read_bytes(), "results_long.csv")
    assert parsed.format == "csv"
    assert rows(parsed) == [
        ("Hemoglobin", "2026-04-12", 13.5, None, "g/dL", 12.0, 15.5, None),
        ("Glucose", "2026-04-12", 105.0, None, "mg/dL", 70.0, 99.0, "H"),
        ("Cholesterol, total", "2026-04-12", 1234.5, None, "mg/dL", None, 200.0, "H"),
        ("C-reactive protein", "2026-04-12", None, "<5", "mg/L", None, 5.0, None),
        ("eGFR", "2026-04-12T09:15", 72.0, None, "mL/min/1.73m2", 60.0, None, None),
        ("Potassium", "2026-04-12", 5.2, None, "mmol/L", 3.5, 5.0, "H"),
        ("Urine protein", "2026-04-12", None, "Negative", None, None, None, None),
        ("Calcium", "2026-04-12", None, "9.1O", "mg/dL", 8.6, 10.3, None),
    ]
    assert [(o.code_system, o.code) for o in parsed.items][:2] == [(LOINC, "718-7"), (LOINC, "2345-7")]
    assert parsed.items[1].note == "fasting"
    assert parsed.items[5].ref_text == "3.5 - 5.0 mmol/L"
    assert parsed.warnings == [
        "results_long.csv line 9: no result value",
        "results_long.csv line 10: date '2026-13-40' not understood",
        "results_long.csv line 11: no test name",
    ]


def test_portal_export_with_title_lines_sections_and_repeated_header() -> None:
    parsed = parse_lab_csv((CSV / "quest_export.csv").read_bytes(), "quest_export.csv")
    assert rows(parsed) == [
        ("GLUCOSE", "2026-04-12T08:30", 105.0, None, "mg/dL", 65.0, 99.0, "H"),
        ("CREATININE", "2026-04-12T08:30", 0.84, None, "mg/dL", 0.5, 1.1, None),
        ("EGFR", "2026-04-12T08:30", 92.0, None, "mL/min/1.73m2", 60.0, None, None),
        ("LDL CHOLESTEROL", "2026-04-12T08:30", 131.0, None, "mg/dL (calc)", None, 100.0, "H"),
        ("HDL CHOLESTEROL", "2026-04-12T08:30", 48.0, None, "mg/dL", 50.0, None, "L"),
        ("WHITE BLOOD CELL COUNT", "2026-01-05T07:45", 6.1, None, "Thousand/uL", 3.8, 10.8, None),
        ("PLATELET COUNT", "2026-01-05T07:45", None, "TNP", "Thousand/uL", 140.0, 400.0, None),
        ("HEMOGLOBIN", "2026-01-31", 12.9, None, "g/dL", 11.7, 15.5, None),
    ]
    # "Test Name" beside "Component" is the panel; no code column means no code system.
    assert parsed.items[0].note == "Panel: COMPREHENSIVE METABOLIC PANEL"
    assert parsed.items[0].performer == "Quest Diagnostics"
    assert all(o.code_system is None and o.code is None for o in parsed.items)
    assert parsed.warnings == [
        "quest_export.csv line 16: no result value",
        "quest_export.csv: 1 row without a date took the date of the row above (lines 9)",
    ]


def test_european_semicolon_decimal_comma_dotted_dates_with_bom() -> None:
    data = (CSV / "european.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    parsed = parse_lab_csv(data, "european.csv")
    assert rows(parsed) == [
        ("Hämoglobin", "2026-04-12T08:30", 13.5, None, "g/dl", 12.0, 15.5, None),
        ("Kalium", "2026-04-12T08:30", 5.4, None, "mmol/l", 3.5, 5.1, "H"),
        ("Ferritin", "2026-04-12T08:30", 1234.5, None, "µg/l", 15.0, 150.0, "H"),
        ("CRP", "2026-04-12T08:30", None, "<0,5", "mg/dl", None, 0.5, None),
        ("Leukozyten", "2026-02-03", 6.8, None, "/nl", 4.0, 10.0, None),
    ]
    assert parsed.warnings == ["european.csv line 8: date '31.02.2026' not understood"]


def test_wide_layout_dates_as_columns() -> None:
    parsed = parse_lab_csv((CSV / "wide.csv").read_bytes(), "wide.csv")
    assert rows(parsed) == [
        ("Hemoglobin", "2026-01-10", 12.9, None, "g/dL", 12.0, 15.5, None),
        ("Hemoglobin", "2026-04-12", 13.5, None, "g/dL", 12.0, 15.5, None),
        ("Ferritin", "2026-04-12", 18.0, None, "ng/mL", 15.0, 150.0, None),
        ("TSH", "2026-01-10", 2.1, None, "mIU/L", 0.4, 4.0, None),
        ("TSH", "2026-04-12", None, "Pending", "mIU/L", 0.4, 4.0, None),
    ]
    assert parsed.warnings == [
        "wide.csv line 5: no test name",
        "wide.csv line 6: no readable result in any date column",
    ]
    # Two results of one row are two distinct sources.
    assert parsed.items[0].provenance.source_id != parsed.items[1].provenance.source_id


def test_source_ids_are_content_hashes_stable_across_renames_and_reordering() -> None:
    data = (CSV / "results_long.csv").read_bytes()
    a = parse_lab_csv(data, "results_long.csv")
    b = parse_lab_csv(data, "renamed export (1).csv")
    ids = [o.provenance.source_id for o in a.items]
    assert ids == [o.provenance.source_id for o in b.items]
    assert len(set(ids)) == len(ids) and all(i.startswith("csv:") for i in ids)
    # The same rows in another order (and below an extra title line) keep their identifiers.
    lines = data.decode().splitlines()
    reordered = "\n".join(["My lab export", lines[0], *reversed(lines[1:])]) + "\n"
    c = parse_lab_csv(reordered.encode(), "other.csv")
    assert sorted(ids) == sorted(o.provenance.source_id for o in c.items)
    prov = a.items[1].provenance
    assert prov.source_name == "results_long.csv" and prov.raw_format == "csv"
    assert prov.raw == (
        "Date,Test,LOINC,Value,Unit,Reference Range,Flag,Comment\n2026-04-12,Glucose,2345-7,105,mg/dL,70-99,H,fasting\n"
    )


def test_tab_separated_and_utf16_give_the_same_results() -> None:
    text = (CSV / "results_long.csv").read_text()
    expected = rows(parse_lab_csv(text.encode(), "a.csv"))
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text)))
    tsv = buf.getvalue()
    assert rows(parse_lab_csv(tsv.encode(), "a.tsv")) == expected
    assert rows(parse_lab_csv(codecs.BOM_UTF16_LE + tsv.encode("utf-16-le"), "excel.txt")) == expected


def test_day_first_slashes_when_a_day_above_twelve_says_so() -> None:
    data = b"Test,Result,Units,Date\nA,1,mg,12/04/2026\nB,2,mg,13/04/2026\n"
    assert [o.date for o in parse_lab_csv(data, "uk.csv").items] == ["2026-04-12", "2026-04-13"]
    us = b"Test,Result,Units,Date\nA,1,mg,04/12/2026\nB,2,mg,04/13/2026\n"
    assert [o.date for o in parse_lab_csv(us, "us.csv").items] == ["2026-04-12", "2026-04-13"]


def test_separate_low_high_columns_time_column_and_code_check_digit() -> None:
    data = (
        b"Analyte,Code,Result,Ref Low,Ref High,Collected,Time\n"
        b"Glucose,2345-7,88,70,99,2026-04-12,07:05\n"
        b"Local thing,2345-8,1.5,,2,2026-04-12,07:05\n"
    )
    items = parse_lab_csv(data, "x.csv").items
    assert (items[0].ref_low, items[0].ref_high, items[0].ref_text) == (70.0, 99.0, "70-99")
    assert items[0].date == "2026-04-12T07:05"
    assert (items[0].code_system, items[0].code) == (LOINC, "2345-7")
    # A plain "Code" column whose value fails LOINC's check digit is a local code, not LOINC.
    assert (items[1].code_system, items[1].code, items[1].ref_low, items[1].ref_high) == (
        None,
        "2345-8",
        None,
        2.0,
    )


def test_patient_column_becomes_patient_info() -> None:
    data = b"Patient,DOB,Test,Result,Date\nSample Child,2019-03-01,Lead,2,2026-04-12\n"
    parsed = parse_lab_csv(data, "x.csv")
    assert [(p.ref, p.name, p.birth_date) for p in parsed.patients] == [
        ("csv-patient:Sample Child", "Sample Child", "2019-03-01")
    ]
    assert parsed.items[0].patient_ref == "csv-patient:Sample Child"


@pytest.mark.parametrize(
    ("data", "where", "why"),
    [
        (b"just,some,numbers\n1,2,3\n4,5,6\n", None, "no header row with a test name"),
        (
            b"Test,Result\nGlucose,\nSodium,\n",
            "line 1",
            "no readable result rows: x.csv line 2: no result value",
        ),
        (b"", None, "the file is empty"),
        (b"Test,Result\nGlucose,5\xff\n", "byte 21", "not valid UTF-8"),
    ],
)
def test_rejections_name_the_file_and_place(data: bytes, where: str | None, why: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        parse_lab_csv(data, "x.csv")
    assert exc.value.file == "x.csv"
    assert exc.value.where == where
    assert why in exc.value.why
    assert str(exc.value).startswith("x.csv")


@pytest.mark.parametrize(
    ("cell", "decimal_comma", "expected"),
    [
        ("5.2", False, (5.2, None, None, None)),
        ("5.2 H", False, (5.2, None, None, "H")),
        ("105 High", False, (105.0, None, None, "H")),
        ("5.2H", False, (5.2, None, None, "H")),
        ("13.5 (L)", False, (13.5, None, None, "L")),
        ("<5", False, (None, "<5", None, None)),
        ("≥ 60 mL/min", False, (None, ">=60", "mL/min", None)),
        ("1,234.5", False, (1234.5, None, None, None)),
        ("1,234", False, (1234.0, None, None, None)),
        ("1,234", True, (1.234, None, None, None)),
        ("1.234,5", True, (1234.5, None, None, None)),
        ("5,2", False, (5.2, None, None, None)),
        ("12 %", False, (12.0, None, "%", None)),
        ("4.5 x10^3/uL", False, (4.5, None, "x10^3/uL", None)),
        ("Negative", False, (None, "Negative", None, None)),
        ("1:80", False, (None, "1:80", None, None)),
        ("2+", False, (None, "2+", None, None)),
    ],
)
def test_parse_value(cell: str, decimal_comma: bool, expected: tuple) -> None:
    v = parse_value(cell, decimal_comma)
    assert (v.value, v.value_text, v.unit, v.flag) == expected


@pytest.mark.parametrize("cell", ["", "   ", "-", "N/A"])
def test_parse_value_without_a_result(cell: str) -> None:
    with pytest.raises(RowError, match="no result value"):
        parse_value(cell)


@pytest.mark.parametrize(
    ("cell", "decimal_comma", "expected"),
    [
        ("3.5-5.0", False, (3.5, 5.0, None)),
        ("3.5 - 5.0 mmol/L", False, (3.5, 5.0, "mmol/L")),
        ("0.5–1.2", False, (0.5, 1.2, None)),
        ("-2.0 - 2.0", False, (-2.0, 2.0, None)),
        ("<200", False, (None, 200.0, None)),
        (">60", False, (60.0, None, None)),
        ("> OR = 50", False, (50.0, None, None)),
        ("3,5 bis 5,0", True, (3.5, 5.0, None)),
        ("Negative", False, (None, None, None)),
    ],
)
def test_parse_range(cell: str, decimal_comma: bool, expected: tuple) -> None:
    r = parse_range(cell, decimal_comma)
    assert (r.low, r.high, r.unit) == expected


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("2026-04-12", "MDY", "2026-04-12"),
        ("2026-04-12T10:30:00Z", "MDY", "2026-04-12T10:30:00"),
        ("2026-04-12 10:30:15", "MDY", "2026-04-12T10:30:15"),
        ("2026/4/2", "MDY", "2026-04-02"),
        ("04/12/2026", "MDY", "2026-04-12"),
        ("04/12/2026", "DMY", "2026-12-04"),
        ("12.04.2026 08:30", "MDY", "2026-04-12T08:30"),  # dotted dates are always day-first
        ("Apr 12 2026", "MDY", "2026-04-12"),
        ("Apr 12, 2026 10:30 AM", "MDY", "2026-04-12T10:30"),
        ("April 12, 2026 12:05 AM", "MDY", "2026-04-12T00:05"),
        ("Sunday, April 12, 2026", "MDY", "2026-04-12"),
        ("12-Apr-2026", "MDY", "2026-04-12"),
        ("12 April 2026 14:00", "MDY", "2026-04-12T14:00"),
        ("04/12/26 8:05 pm", "MDY", "2026-04-12T20:05"),
    ],
)
def test_parse_date(cell: str, order: str, expected: str) -> None:
    assert parse_date(cell, order) == expected


@pytest.mark.parametrize("cell", ["2026-02-30", "13/13/2026", "yesterday", "2026-04-12 25:00", "Foo 12 2026"])
def test_parse_date_rejects_impossible_dates(cell: str) -> None:
    with pytest.raises(RowError, match="not understood"):
        parse_date(cell)
