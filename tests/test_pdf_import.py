"""PDF import on real PDFs made here: reportlab for content, pikepdf for active content and encryption."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.pdf import parse_pdf, pdf_date, pdf_has_text_layer
from medrecords_desktop.model.records import Document


def make_pdf(lines: list[str], title: str | None = "Lab report 2026-04-12", pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    if title is not None:
        c.setTitle(title)
    for page in range(pages):
        for n, line in enumerate(lines):
            c.drawString(72, 720 - 18 * n, f"{line} (page {page + 1})" if pages > 1 else line)
        c.showPage()
    c.save()
    return buf.getvalue()


def rewrite(data: bytes, edit, **save: object) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
    return out.getvalue()


def only_document(parsed) -> Document:
    assert parsed.format == "pdf"
    assert len(parsed.items) == 1
    doc = parsed.items[0]
    assert isinstance(doc, Document)
    return doc


LAB = ["Hemoglobin 13.5 g/dL", "Glucose 105 mg/dL (H)"]


def test_text_metadata_and_original_bytes() -> None:
    def set_date(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/CreationDate"] = "D:20260412103000+02'00'"

    data = rewrite(make_pdf(LAB), set_date)
    doc = only_document(parse_pdf(data, "visit.pdf", doc_type="lab report"))
    assert doc.content == data  # stored byte for byte
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.size == len(data)
    assert doc.mime == "application/pdf" and doc.filename == "visit.pdf" and doc.doc_type == "lab report"
    assert doc.title == "Lab report 2026-04-12"
    assert doc.date == "2026-04-12T10:30:00" and doc.date_estimated  # file date, not a visit date
    assert "Hemoglobin 13.5 g/dL" in doc.text and "Glucose 105 mg/dL (H)" in doc.text
    assert doc.flags == []
    assert doc.provenance.source_id == f"sha256:{doc.sha256}" and doc.provenance.raw_format == "pdf"
    # What is stored is still the PDF people can open.
    assert PdfReader(io.BytesIO(doc.content)).pages[0].extract_text().startswith("Hemoglobin")


def test_arguments_win_over_metadata_and_file_name_is_the_last_resort() -> None:
    data = make_pdf(LAB)
    doc = only_document(parse_pdf(data, "a.pdf", title="Discharge papers", date="2026-03-01"))
    assert (doc.title, doc.date, doc.date_estimated) == ("Discharge papers", "2026-03-01", False)
    untitled = make_pdf(LAB, title=None)  # reportlab writes "untitled"
    assert PdfReader(io.BytesIO(untitled)).metadata.title == "untitled"
    doc = only_document(parse_pdf(untitled, "folder/scan 3.pdf"))
    assert doc.title == "scan 3.pdf"

    def drop_info(pdf: pikepdf.Pdf) -> None:
        del pdf.trailer["/Info"]

    doc = only_document(parse_pdf(rewrite(untitled, drop_info), "x.pdf"))
    assert (doc.date, doc.date_estimated) == (None, True)


def _add_open_action_js(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def test_javascript_open_action_is_flagged_even_inside_object_streams() -> None:
    data = rewrite(make_pdf(LAB), _add_open_action_js, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/JavaScript" not in data  # compressed away: only a structural walk can find it
    parsed = parse_pdf(data, "js.pdf")
    doc = only_document(parsed)
    assert doc.flags == ["pdf-javascript"]
    assert parsed.warnings == ["js.pdf: contains JavaScript; stored inert, it is never run or opened"]
    assert doc.content == data and "Hemoglobin" in doc.text


def test_javascript_in_names_tree_and_page_additional_action() -> None:
    def names_js(pdf: pikepdf.Pdf) -> None:
        action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1")))
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), action]))
        )

    def page_aa(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.AA = pikepdf.Dictionary(
            O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
        )

    for edit in (names_js, page_aa):
        doc = only_document(parse_pdf(rewrite(make_pdf(LAB), edit), "js.pdf"))
        assert doc.flags == ["pdf-javascript"]


def test_launch_action_and_embedded_file_are_flagged() -> None:
    def launch(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))

    parsed = parse_pdf(rewrite(make_pdf(LAB), launch), "launch.pdf")
    assert only_document(parsed).flags == ["pdf-launch"]
    assert "launch action" in parsed.warnings[0]

    def attach(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["payload.txt"] = pikepdf.AttachedFileSpec(pdf, b"hello", mime_type="text/plain")

    data = rewrite(make_pdf(LAB), attach, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    parsed = parse_pdf(data, "attach.pdf")
    assert only_document(parsed).flags == ["pdf-embedded-files"]
    assert parsed.warnings == ["attach.pdf: contains embedded files; stored inert, it is never run or opened"]
    # The attachment is still there in what is stored (nothing is stripped).
    with pikepdf.open(io.BytesIO(only_document(parsed).content)) as pdf:
        assert list(pdf.attachments) == ["payload.txt"]


def test_encrypted_with_a_user_password_is_stored_without_text() -> None:
    locked = pikepdf.Encryption(user="s3cret", owner="o", R=6)
    data = rewrite(make_pdf(LAB), _add_open_action_js, encryption=locked)
    parsed = parse_pdf(data, "locked.pdf")
    doc = only_document(parsed)
    assert doc.text is None and doc.note == "encrypted, text not extracted"
    assert doc.content == data
    assert "pdf-encrypted" in doc.flags and "pdf-javascript" in doc.flags
    assert "locked.pdf: password-protected PDF: stored, text not extracted" in parsed.warnings
    assert not pdf_has_text_layer(data)


def test_owner_password_only_still_gives_text() -> None:
    data = rewrite(make_pdf(LAB), lambda pdf: None, encryption=pikepdf.Encryption(user="", owner="o", R=6))
    doc = only_document(parse_pdf(data, "owner.pdf"))
    assert doc.flags == ["pdf-encrypted"] and "Hemoglobin" in doc.text and doc.note is None


def test_damaged_pdf_is_stored_with_a_warning() -> None:
    data = make_pdf(LAB, pages=3)
    cut = data[: len(data) * 2 // 3]
    parsed = parse_pdf(cut, "cut.pdf")
    doc = only_document(parsed)
    assert doc.content == cut and doc.sha256 == hashlib.sha256(cut).hexdigest()
    assert parsed.warnings and "damaged" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "the file is empty"),
        (b"<html><body>Session expired</body></html>", "not a PDF"),
        (b"%PDF", "truncated PDF header"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "truncated PDF: nothing follows the header"),
    ],
)
def test_not_a_pdf_is_rejected(data: bytes, why: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        parse_pdf(data, "report.pdf")
    assert exc.value.file == "report.pdf" and why in exc.value.why


def test_text_layer_detection() -> None:
    assert pdf_has_text_layer(make_pdf(LAB))
    # A scan: one page that is only a picture.
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(Image.new("L", (200, 280), 230)), 50, 100, width=400, height=560)
    c.showPage()
    c.save()
    scan = buf.getvalue()
    assert not pdf_has_text_layer(scan)
    doc = only_document(parse_pdf(scan, "scan.pdf"))
    assert doc.text is None
    assert not pdf_has_text_layer(b"not a pdf")


def test_long_pdf_text_covers_every_page() -> None:
    doc = only_document(parse_pdf(make_pdf(LAB, pages=30), "long.pdf"))
    assert "(page 1)" in doc.text and "(page 30)" in doc.text


def test_text_extraction_is_bounded_by_pages_characters_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import medrecords_desktop.importers.pdf as pdf_module

    data = make_pdf(LAB, pages=5)
    monkeypatch.setattr(pdf_module, "MAX_TEXT_PAGES", 2)
    parsed = parse_pdf(data, "long.pdf")
    assert "(page 2)" in parsed.items[0].text and "(page 3)" not in parsed.items[0].text
    assert parsed.warnings == ["long.pdf: text of pages after 2 is not searchable"]
    monkeypatch.setattr(pdf_module, "MAX_TEXT_PAGES", 500)
    monkeypatch.setattr(pdf_module, "MAX_TEXT_CHARS", 30)
    parsed = parse_pdf(data, "long.pdf")
    assert len(parsed.items[0].text) == 30
    assert "only the first 30 characters" in parsed.warnings[0]
    monkeypatch.setattr(pdf_module, "MAX_TEXT_CHARS", 2_000_000)
    monkeypatch.setattr(pdf_module, "TEXT_TIME_BUDGET", -1.0)
    parsed = parse_pdf(data, "long.pdf")
    assert parsed.items[0].text is None
    assert parsed.warnings == ["long.pdf: text of pages after 0 is not searchable (too slow to read)"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("D:20260412103000+02'00'", "2026-04-12T10:30:00"),
        ("D:202604121030", "2026-04-12T10:30"),
        ("D:20260412", "2026-04-12"),
        ("20260412", "2026-04-12"),
        ("D:19700101000000Z", None),
        ("D:20261341", None),
        ("garbage", None),
        (None, None),
    ],
)
def test_pdf_date(raw: str | None, expected: str | None) -> None:
    assert pdf_date(raw) == expected
