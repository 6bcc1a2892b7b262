"""Lab reports in any layout: the reader finds results by what they are, on text, on boxes and on PDFs.

The broad checks run on PDFs with a text layer (fast: no recognition) from tests/labpages.py, on both the
pages the reader was tuned on and the held-out ones; a few recognised pages check the scan path.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from medrecords_desktop.importers.labreport import propose_results
from medrecords_desktop.importers.pdf import text_layer_pages
from medrecords_desktop.ocr import engine as ocr_engine
from medrecords_desktop.ocr.engine import OcrLine, OcrPage
from tests.labpages import (
    HELD_OUT_SEED_BASE,
    LAYOUTS,
    NO_RESULT_LAYOUTS,
    fonts_available,
    make_page,
    pages,
    score_page,
)

needs_fonts = pytest.mark.skipif(not fonts_available(), reason="DejaVu fonts missing (Debian: fonts-dejavu)")


def _one(text: str):
    rows = propose_results(text)
    assert len(rows) == 1, [(r.name, r.value) for r in rows]
    return rows[0]


# --------------------------------------------------------------------------- spellings
@pytest.mark.parametrize(
    "printed,low,high",
    [
        ("70-99", 70, 99),
        ("70 - 99", 70, 99),
        ("70 to 99", 70, 99),
        ("70 – 99", 70, 99),
        ("(70-99)", 70, 99),
        ("[70-99]", 70, 99),
        ("Normal range: 70 to 99 mg/dL", 70, 99),
        ("Reference interval 70 - 99", 70, 99),
        ("Reference interval: 70-99", 70, 99),
        ("Ref: 70-99", 70, 99),
        ("Ref range 70-99", 70, 99),
        ("(Reference: 70-99)", 70, 99),
        ("< 200", None, 200),
        ("<200", None, 200),
        ("up to 200", None, 200),
        (">40", 40, None),
        ("> 40", 40, None),
    ],
)
def test_each_range_spelling(printed: str, low: float | None, high: float | None) -> None:
    r = _one(f"Glucose  97 mg/dL  {printed}")
    assert (r.loinc, r.value, r.unit, r.low, r.high) == ("2345-7", 97, "mg/dL", low, high)


def test_decimal_range_with_an_en_dash() -> None:
    r = _one("Potassium 5.2 mmol/L 3.5 – 5.1 H")
    assert (r.loinc, r.value, r.low, r.high, r.flag) == ("2823-3", 5.2, 3.5, 5.1, "H")


@pytest.mark.parametrize(
    "line,flag",
    [
        ("Potassium 5.6 H mmol/L 3.5-5.1", "H"),
        ("Potassium 5.6 HIGH mmol/L 3.5-5.1", "H"),
        ("Potassium 5.6 High mmol/L 3.5-5.1", "H"),
        ("Potassium 3.1 L mmol/L 3.5-5.1", "L"),
        ("Potassium 3.1 LOW mmol/L 3.5-5.1", "L"),
        ("Potassium 5.6H mmol/L 3.5-5.1", "H"),
        ("Potassium 5.6 * mmol/L 3.5-5.1", "A"),
        ("Potassium 5.6* mmol/L 3.5-5.1", "A"),
        ("Potassium 5.6 mmol/L 3.5-5.1 A", "A"),
        ("Potassium 5.6 mmol/L 3.5-5.1 Abnormal", "A"),
        ("Potassium 4.6 mmol/L 3.5-5.1", None),
    ],
)
def test_each_flag_spelling(line: str, flag: str | None) -> None:
    assert _one(line).flag == flag


# --------------------------------------------------------------------------- layouts as text
def test_the_block_layout_from_the_issue() -> None:
    """The report that failed: one test per block, the result and range on the line under the name."""
    text = "\n".join(
        [
            "Glucose",
            "    Result: 97 mg/dL     Normal range: 70 to 99 mg/dL",
            "Potassium",
            "    Result: 5.2 mmol/L  HIGH     Normal range: 3.5 to 5.1 mmol/L",
        ]
    )
    rows = propose_results(text)
    assert [(r.loinc, r.value, r.unit, r.low, r.high, r.flag) for r in rows] == [
        ("2345-7", 97, "mg/dL", 70, 99, None),
        ("2823-3", 5.2, "mmol/L", 3.5, 5.1, "H"),
    ]
    assert not any(r.name.startswith("Result") for r in rows)


def test_label_value_pairs_over_several_lines() -> None:
    text = (
        "Test: Sodium\nResult: 149 mmol/L   Flag: High\nReference interval: 135-145\n\n"
        "Analyte: Hemoglobin\nValue: 11.0 g/dL\nRef: 13.5 - 17.5\nFlag: L"
    )
    rows = propose_results(text)
    assert [(r.loinc, r.value, r.low, r.high, r.flag) for r in rows] == [
        ("2951-2", 149, 135, 145, "H"),
        ("718-7", 11.0, 13.5, 17.5, "L"),
    ]


def test_values_before_names() -> None:
    text = (
        "Result  Flag  Units  Test  Reference\n97  mg/dL  Glucose  70-99\n5.9 H mmol/L Potassium 3.5-5.1\n"
        "4.9 mg/L C reactive protein < 10.0"
    )
    rows = propose_results(text)
    assert [(r.loinc, r.value, r.unit, r.high, r.flag) for r in rows] == [
        ("2345-7", 97, "mg/dL", 99, None),
        ("2823-3", 5.9, "mmol/L", 5.1, "H"),
        ("1988-5", 4.9, "mg/L", 10, None),
    ]


def test_range_on_the_next_line_and_several_results_on_one() -> None:
    rows = propose_results(
        "Glucose  104 mg/dL  H\n   Reference range: 70 - 99 mg/dL\n"
        "Na 140 mmol/L (136-145)   K 4.2 mmol/L (3.5-5.1)   Cl 101 mmol/L (98-107)"
    )
    assert [(r.loinc, r.value, r.low, r.high) for r in rows] == [
        ("2345-7", 104, 70, 99),
        ("2951-2", 140, 136, 145),
        ("2823-3", 4.2, 3.5, 5.1),
        ("2075-0", 101, 98, 107),
    ]


def test_a_range_bracket_run_into_the_next_name() -> None:
    # Recognition drops the gap between two results of one row: "(80-200)Eos %".
    rows = propose_results("T3, total 99 ng/dL (80-200)Eos % 1.6 % (1.0-4.0)BUN 11 mg/dL (7-20)")
    assert [(r.value, r.unit, r.low, r.high) for r in rows] == [
        (99, "ng/dL", 80, 200),
        (1.6, "%", 1.0, 4.0),
        (11, "mg/dL", 7, 20),
    ]


def test_wrapped_names_and_comment_lines() -> None:
    text = "\n".join(
        [
            "Mean corpuscular hemoglobin  41.2 H g/dL 32.0-36.0",  # would be MCH alone: the next line says MCHC
            "concentration",
            "Comment: Specimen slightly hemolyzed.",
            "Absolute",  # the first half of a name, its value on the next line
            "neutrophil count 7.9 H x10^3/uL 1.8-7.7",
            "Please note new reference interval from 01/2024.",
        ]
    )
    rows = propose_results(text)
    assert [(r.loinc, r.value, r.low, r.high) for r in rows] == [("786-4", 41.2, 32, 36), ("751-8", 7.9, 1.8, 7.7)]


def test_unknown_test_kept_when_a_value_and_unit_follow() -> None:
    rows = propose_results("Zinc 85 ug/dL 60-120\nHomocysteine 9.1 umol/L 5.0-15.0\nRoom 12 on floor 3")
    assert [(r.name, r.loinc, r.value, r.unit, r.low) for r in rows] == [
        ("Zinc", None, 85, "ug/dL", 60),
        ("Homocysteine", None, 9.1, "umol/L", 5.0),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dear Ms Quill,\nYour glucose and cholesterol were normal and your potassium was slightly high.\n"
        "We would like to repeat the sodium and potassium tests in 3 months.\nPlease take 20 mg daily.",
        "Diagnosis: pneumonia. History of type 2 diabetes (A1C 7.2% in 2023).\n"
        "Labs on admission showed a WBC of 14.2 and CRP above 100; both improved before discharge.\n"
        "Medications: Metformin 500 mg twice daily. Blood pressure 128/76, pulse 78.",
        "03/14/2024   Hemoglobin A1c   83036   1   $25.00\n03/14/2024   Lipid panel   80061   1   $38.50\n"
        "Total charges: $135.45   Balance due: $37.25",
    ],
)
def test_pages_without_results_propose_none(text: str) -> None:
    assert propose_results(text) == []


# --------------------------------------------------------------------------- geometry
def _page(cells: list[tuple[str, float, float]], h: float = 20) -> OcrPage:
    return OcrPage([OcrLine(t, (x, y, x + 9 * len(t), y + h), 0.97) for t, x, y in cells], 1300, 1700)


def test_two_columns_read_as_two_results_per_row_and_ranges_go_to_their_column() -> None:
    page = _page(
        [
            ("Sodium", 50, 100),
            ("140 mmol/L", 250, 100),
            ("Zinc", 650, 100),
            ("85 ug/dL", 850, 100),
            ("Ref: 135-145", 70, 130),
            ("Ref: 60-120", 670, 130),
        ]
    )
    rows = propose_results(page)
    assert [(r.name, r.value, r.low, r.high) for r in rows] == [("Sodium", 140, 135, 145), ("Zinc", 85, 60, 120)]
    assert rows[1].box is not None and rows[1].box[0] >= 650  # the second result's own place on the page


def test_an_indented_comment_is_not_taken_for_the_rest_of_a_name() -> None:
    page = _page(
        [
            ("Absolute", 50, 100),
            ("7.9", 400, 100),
            ("x10^3/uL", 480, 100),
            ("neutrophil count", 50, 124),
            ("lymphocyte count", 140, 170),
            ("Lymphocytes", 50, 200),
            ("2.1", 400, 200),
            ("x10^3/uL", 480, 200),
        ]
    )
    rows = propose_results(page)
    assert [r.loinc for r in rows][0] == "751-8"  # joined: right under the name
    page = _page([("Absolute", 50, 100), ("7.9", 400, 100), ("x10^3/uL", 480, 100), ("neutrophil count", 150, 124)])
    assert [r.loinc for r in propose_results(page)] != ["751-8"]  # under the value column: not the name


# --------------------------------------------------------------------------- generated layouts, text layer
@needs_fonts
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_right_from_a_text_layer(layout: str) -> None:
    """Five tuned and five held-out pages of each layout: names, values, units, ranges and flags."""
    tuned = pages("tuned", 5, (layout,), first=40)
    held = pages("held-out", 5, (layout,), first=40)
    for split, group in (("tuned", tuned), ("held-out", held)):
        right = total = extra = 0
        misses: list[str] = []
        for page in group:
            r, t, e, m = score_page(page, propose_results(text_layer_pages(page.pdf)))
            right, total, extra, misses = right + r, total + t, extra + e, misses + m
        assert total >= 25
        assert right / total >= 0.95, (split, misses)
        assert extra <= 1, split


@needs_fonts
@pytest.mark.parametrize("layout", NO_RESULT_LAYOUTS)
def test_generated_pages_without_results_propose_none(layout: str) -> None:
    for page in (make_page(layout, 3), make_page(layout, HELD_OUT_SEED_BASE + 3, held_out=True)):
        assert propose_results(text_layer_pages(page.pdf)) == []


def test_the_split_is_enforced() -> None:
    with pytest.raises(ValueError, match="held-out"):
        make_page("block", 5, held_out=True)
    with pytest.raises(ValueError, match="tuning"):
        make_page("block", HELD_OUT_SEED_BASE + 1)


@needs_fonts
def test_text_layer_cells_follow_column_gaps() -> None:
    page = make_page("refcolumns", 7)
    got = text_layer_pages(page.pdf)[0]
    texts = [ln.text for ln in got.lines]
    first = page.expected[0]
    assert first.name in texts  # the name is a cell of its own, not run into its value
    assert all(ln.box[0] < ln.box[2] and ln.box[1] < ln.box[3] for ln in got.lines)


# --------------------------------------------------------------------------- recognised pages
@needs_fonts
@pytest.mark.slow
@pytest.mark.parametrize("layout,look", [("block", "photo"), ("twocolumn", "fax")])
def test_recognised_pages_read_right(layout: str, look: str) -> None:
    page = make_page(layout, 7)  # a tuned page: the held-out figures come from benchmarks/bench_ocr.py
    data, _ = page.image(look)
    r, t, extra, misses = score_page(page, propose_results([ocr_engine.recognise(data)]))
    assert r / t >= 0.8 and extra == 0, misses  # this fax page: 12 of 15 (a glued "36L mg/dL", a lost ">")


# --------------------------------------------------------------------------- photo handling
def _jpeg(size: tuple[int, int], orientation: int | None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.new("RGB", size, "white").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_big_jpeg_is_decoded_small_and_turned_by_its_exif_tag() -> None:
    data = _jpeg((4032, 3024), 6)
    with ocr_engine._open(data) as im:
        ocr_engine.draft(im)
        im.load()
        assert max(im.size) <= 2 * ocr_engine.OCR_SIDE and max(im.size) >= ocr_engine.OCR_SIDE
        assert ocr_engine.exif_turned(im)
        arr = ocr_engine._to_array(im)
    assert arr.shape[0] > arr.shape[1] and max(arr.shape[:2]) == ocr_engine.OCR_SIDE  # portrait, 2000 px


def test_a_black_and_white_page_is_softened_to_grey_before_recognition() -> None:
    page = Image.new("1", (800, 300), 1)
    page.paste(0, (100, 100, 700, 104))  # a thin black stroke
    grey_two_levels = page.convert("L")
    for im in (page, grey_two_levels):
        assert ocr_engine._bilevel(im)
        arr = ocr_engine._to_array(im)
        assert 2 < len({int(v) for v in arr[90:115, 400, 0]}) and arr.min() < 60  # grey edges, stroke kept
    photo = Image.new("L", (50, 50), 200)
    photo.paste(100, (10, 10, 20, 20))
    photo.paste(30, (30, 30, 40, 40))
    assert not ocr_engine._bilevel(photo)


def test_no_second_reading_when_the_phone_said_which_way_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def blurry(arr):
        calls.append(arr.shape)
        return OcrPage([OcrLine("Glucose 97 mg/dL", (10, 10, 300, 30), 0.7)], arr.shape[1], arr.shape[0])

    monkeypatch.setattr(ocr_engine, "_recognise_array", blurry)
    ocr_engine.recognise(_jpeg((800, 600), 1))
    assert len(calls) == 1
    ocr_engine.recognise(_jpeg((800, 600), None))  # no tag: a low confidence still tries upside down
    assert len(calls) == 3


@needs_fonts
def test_a_portal_pdf_in_the_vault_is_read_by_its_word_positions(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """`results-from` on a stored text PDF: the columns come from the PDF's positions (no recognition)."""
    from medrecords_desktop.services.importing import ImportOptions, ImportService
    from medrecords_desktop.services.labreport import results_from_document
    from medrecords_desktop.services.records import RecordService

    def refuse(*a, **k):
        raise AssertionError("OCR ran on a PDF with a text layer")

    monkeypatch.setattr(ocr_engine, "recognise_document", refuse)
    page = make_page("twocolumn", 11)
    opts = ImportOptions(person="Alice Example", force=True)  # the generated page names its own patient
    outcome = ImportService(vault).import_bytes(page.pdf, "results.pdf", opts)
    assert outcome.added["document"] == 1, outcome.error
    doc = RecordService(vault).timeline(person="Alice Example", kinds=["document"])[0]
    rows = results_from_document(vault, doc.id)
    right, total, extra, misses = score_page(page, rows)
    assert right == total and extra == 0, misses
    assert all(r.box is not None and r.page == 0 for r in rows)


def test_a_lone_letter_after_a_result_is_its_unit_not_a_new_test() -> None:
    # A recognised refcolumns row on a fax: the unit "s" read as "S" (or printed "Sec", "SEC") in its own
    # cell, followed by the range cell.  It was cut off as a test named "S" and the row lost unit and range.
    for unit_cell in ("S", "Sec", "SEC", "s"):
        page = _page(
            [
                ("Prothrombin time", 140, 540),
                ("8.8", 620, 540),
                ("L", 796, 540),
                (unit_cell, 925, 540),
                ("11.0 - 13.5", 1128, 540),
            ],
            h=36,
        )
        rows = propose_results(page)
        assert [(r.name, r.value, r.unit, r.low, r.high, r.flag) for r in rows] == [
            ("Prothrombin time", 8.8, "s", 11.0, 13.5, "L")
        ], unit_cell
    # A unit in capitals is not a test name either ("FL" for fL).
    rows = propose_results(_page([("MCV", 140, 540), ("88", 620, 540), ("FL", 796, 540), ("80 - 100", 1128, 540)]))
    assert [(r.name, r.unit, r.low, r.high) for r in rows] == [("MCV", "fL", 80, 100)]
    # A real test in the next cell still starts a result of its own.
    rows = propose_results(
        _page(
            [
                ("Sodium", 50, 100),
                ("140", 250, 100),
                ("mmol/L", 330, 100),
                ("Zinc", 650, 100),
                ("85", 850, 100),
                ("ug/dL", 930, 100),
            ]
        )
    )
    assert [(r.name, r.value, r.unit) for r in rows] == [("Sodium", 140, "mmol/L"), ("Zinc", 85, "ug/dL")]


def _row_picture(words: list[tuple[str, int]], size: int = 30) -> tuple[object, list[OcrLine]]:
    """A white strip with words drawn at x positions (DejaVu Sans), as the engine's BGR array, and each
    word's box as the detector would give it."""
    import numpy as np
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size)
    im = Image.new("L", (1500, 200), 255)
    draw = ImageDraw.Draw(im)
    lines = []
    for text, x in words:
        draw.text((x, 80), text, font=font, fill=0)
        x0, y0, x1, y1 = draw.textbbox((x, 80), text, font=font)
        lines.append(OcrLine(text, (x0 - 3, y0 - 4, x1 + 3, y1 + 4), 0.99))
    arr = np.ascontiguousarray(np.asarray(im.convert("RGB"))[:, :, ::-1])
    return arr, lines


@needs_fonts
def test_ink_no_detected_box_covers_is_read_on_its_own() -> None:
    # The detector sees a page at about half size and drops a lone flag ("L") or unit ("s"), most of all
    # on faxes; the ink left uncovered on a text row is recognised by itself and added as a box.
    arr, lines = _row_picture([("MCHC", 140), ("25.2", 620), ("L", 808), ("g/dL", 923), ("32.0-36.0", 1130)])
    detected = [ln for ln in lines if ln.text != "L"]
    got = ocr_engine._missed_ink(arr, detected)
    assert [ln.text for ln in got] == ["L"]
    assert 790 < got[0].box[0] < 830
    rows = propose_results(OcrPage(detected + got, 1500, 200))
    assert [(r.name, r.value, r.unit, r.flag) for r in rows] == [("MCHC", 25.2, "g/dL", "L")]
    # Nothing is added when every word was found, nor for specks, a dotted leader or a rule.
    assert ocr_engine._missed_ink(arr, lines) == []
    arr[60, 300:1400] = 0  # a table rule above the row
    arr[110:112, 400:560:8] = 0  # a dotted leader
    arr[150, 200] = arr[40, 700] = arr[120, 1450] = 0  # specks
    assert ocr_engine._missed_ink(arr, lines) == []


@pytest.mark.parametrize(
    "line,value,unit,flag",
    [
        ("Pro time  9.2LS  [11.0 - 13.5]", 9.2, "s", "L"),  # value, flag and a unit read in capitals, in one word
        ("LDH  325*U/L  (140-280)", 325, "U/L", "A"),  # a glued '*' flag and unit
        ("Hgb  9.2L g/dL  12.0-15.5", 9.2, "g/dL", "L"),
    ],
)
def test_a_value_flag_and_unit_run_together(line: str, value: float, unit: str, flag: str) -> None:
    r = _one(line)
    assert (r.value, r.unit, r.flag) == (value, unit, flag)
