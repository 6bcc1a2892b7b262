"""Format detection from content alone, on files made here and on every file of the corpus."""

from __future__ import annotations

import codecs
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.detect import FORMATS, detect_format
from tests.conftest import FIXTURES, corpus_path

CDA = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>\n'
    b"<!-- exported by a portal -->\n"
    b'<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">\n'
    b'  <realmCode code="US"/>\n</ClinicalDocument>\n'
)
PATIENT = {"resourceType": "Patient", "id": "p1", "name": [{"family": "Sample"}]}


def pdf_bytes() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "After-visit summary")
    c.showPage()
    c.save()
    return buf.getvalue()


def image_bytes(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buf, format=fmt)
    return buf.getvalue()


def zip_bytes(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, b"x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(), "pdf"),
        (b"\r\n\r\n" + pdf_bytes(), "pdf"),  # junk before the header, as some mail gateways leave it
        (image_bytes("PNG"), "image"),
        (image_bytes("JPEG"), "image"),
        (image_bytes("TIFF"), "image"),
        (image_bytes("GIF"), "image"),
        (image_bytes("WEBP"), "image"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image"),
        (zip_bytes(["IHE_XDM/SUBSET01/METADATA.XML", "IHE_XDM/SUBSET01/DOC0001.XML", "INDEX.HTM"]), "xdm"),
        (zip_bytes(["photos/a.jpg", "notes.txt"]), "zip"),
        (json.dumps(PATIENT, indent=2).encode(), "fhir-json"),
        (codecs.BOM_UTF8 + b"\n  " + json.dumps(PATIENT).encode(), "fhir-json"),
        (json.dumps(PATIENT).encode() + b"\n", "fhir-json"),  # one line and nothing after: plain JSON
        (b"".join(json.dumps({**PATIENT, "id": str(i)}).encode() + b"\n" for i in range(3)), "fhir-ndjson"),
        (b"\r\n\n" + json.dumps(PATIENT).encode() + b"\r\n" + json.dumps(PATIENT).encode(), "fhir-ndjson"),
        (CDA, "ccda"),
        (codecs.BOM_UTF8 + CDA, "ccda"),
        (
            CDA.replace(b"<Clinical", b"<cda:Clinical")
            .replace(b"</Clinical", b"</cda:Clinical")
            .replace(b"xmlns=", b"xmlns:cda="),
            "ccda",
        ),
        (codecs.BOM_UTF16_LE + CDA.decode().replace("UTF-8", "UTF-16").encode("utf-16-le"), "ccda"),
        (b"Saw Dr. Lee today. Blood pressure fine, recheck in 6 months.\n", "text"),
        (codecs.BOM_UTF16_LE + "Notes, written in Notepad\r\n".encode("utf-16-le"), "text"),
        (b"Test,Result,Units,Date\nGlucose,105,mg/dL,2026-04-12\n", "csv"),
    ],
)
def test_detects_from_content(data: bytes, expected: str) -> None:
    assert expected in FORMATS
    assert detect_format(data, "download.bin") == expected


def test_the_extension_never_overrides_content() -> None:
    assert detect_format(pdf_bytes(), "labs.csv") == "pdf"
    assert detect_format(CDA, "record.json") == "ccda"
    assert detect_format(json.dumps(PATIENT).encode(), "summary.xml") == "fhir-json"
    assert detect_format(image_bytes("PNG"), "letter.pdf") == "image"
    lab = (FIXTURES / "csv" / "quest_export.csv").read_bytes()
    assert detect_format(lab, "quest.txt") == "csv"  # a recognisable lab header decides by itself


def test_the_name_only_breaks_a_tie_between_csv_and_text() -> None:
    table = b"alpha,beta,gamma\n1,2,3\n4,5,6\n7,8,9\n"
    assert detect_format(table, "export.csv") == "csv"  # the CSV parser then says what is wrong
    assert detect_format(table, "export.txt") == "text"
    prose = b"Dear parent,\nyour child's results are normal.\nKind regards\n"
    assert detect_format(prose, "letter.csv") == "text"  # not a table: the name cannot make it one


@pytest.mark.parametrize("name", ["results_long.csv", "quest_export.csv", "european.csv", "wide.csv"])
def test_csv_fixtures_are_csv(name: str) -> None:
    assert detect_format((FIXTURES / "csv" / name).read_bytes(), name) == "csv"


@pytest.mark.parametrize(
    ("data", "where", "why"),
    [
        (b"", None, "the file is empty"),
        (b"   \n\t\n", None, "only white space"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, None, "gzip archive"),
        (b"MZ\x90\x00" + b"\x00" * 60, None, "Windows program"),
        (bytes(range(256)) * 4, None, "binary data"),
        (b"Glucose 105 mg/dL\nSodium \xe9 140\n", "byte 25", "not valid UTF-8"),
        (b"[1, 2, 3]", "$", "JSON array"),
        (b'{"name": "not fhir"}', "$", "not a FHIR resource"),
        (b'{"a": 1}\n{"b": 2}\n', "$", "not a FHIR resource"),
        (b'<?xml version="1.0"?><Patient xmlns="http://hl7.org/fhir"/>', "<Patient>", "FHIR XML"),
        (b"<!DOCTYPE html>\n<html><body>Session expired</body></html>", "<html>", "web page"),
        (b'<?xml version="1.0"?><catalog/>', "<catalog>", "not a C-CDA"),
        (b"PK\x03\x04" + b"\x00" * 30, None, "damaged zip"),
    ],
)
def test_rejections_say_what_and_where(data: bytes, where: str | None, why: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        detect_format(data, "upload.dat")
    assert exc.value.file == "upload.dat"
    assert exc.value.where == where
    assert why in exc.value.why


def test_invalid_utf8_late_in_a_big_text_file_names_its_offset() -> None:
    data = b"Note line\n" * 10_000 + b"\xff\xfe broken"
    with pytest.raises(ImportRejected) as exc:
        detect_format(data, "notes.txt")
    assert exc.value.where == "byte 100000"


def _expected(path: Path) -> str:
    if path.suffix == ".ndjson":
        return "fhir-ndjson"
    if path.suffix == ".json":
        return "fhir-json"
    if path.parent.name == "ccda" and path.suffix == ".xml":
        return "ccda"
    if path.suffix == ".md":
        return "text"
    raise AssertionError(f"no expectation for {path}")


@pytest.mark.corpus
def test_every_corpus_file_is_detected() -> None:
    root = corpus_path()
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert len(files) > 300
    wrong: list[str] = []
    started = time.perf_counter()
    total = 0
    for path in files:
        data = path.read_bytes()
        total += len(data)
        try:
            got = detect_format(data, path.name)
        except ImportRejected as exc:
            got = f"rejected: {exc}"
        if got != _expected(path):
            wrong.append(f"{path.relative_to(root)}: {got}")
    elapsed = time.perf_counter() - started
    assert wrong == []
    print(f"\ndetected {len(files)} corpus files ({total / 2**20:.1f} MiB) in {elapsed * 1000:.0f} ms")


def test_real_heic_photo_is_an_image() -> None:
    from medrecords_desktop.importers.image import heif_supported

    if not heif_supported():
        pytest.skip("pillow-heif is not installed")
    assert detect_format(image_bytes("HEIF"), "IMG_0001.HEIC") == "image"
