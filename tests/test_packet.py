"""The appointment packet: encryption (pypdf and qpdf agree on AES-256 R6), nothing readable without
the password, page accounting, bookmarks, the embedded FHIR bundle, and robustness to bad originals."""

# ruff: noqa: S603 (runs the system qpdf on files the test made)
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
from datetime import date

import pikepdf
import pypdf
import pytest

from medrecords_desktop.errors import Cancelled, ImportRejected, InvalidInput
from medrecords_desktop.exporters.fhir_bundle import ITEM_SYSTEM, bundle_item_resources
from medrecords_desktop.exporters.packet import (
    BUNDLE_NAME,
    PDF_TITLE,
    SECTION_TITLES,
    PacketData,
    build_packet,
    read_packet_bundle,
)
from tests import packet_samples as S

PASSWORD = "maple-otter-quiet-lantern-fig"  # noqa: S105 (a test fixture)
ON = date(2026, 11, 20)
FOOTER = "Confidential health information"


def _encrypted_pdf() -> bytes:
    src = pikepdf.open(io.BytesIO(S.make_pdf("Locked", 1)))
    buf = io.BytesIO()
    src.save(buf, encryption=pikepdf.Encryption(owner="o", user="someone-elses", R=6))
    return buf.getvalue()


def _docs() -> list:
    return [
        (
            S.document("Cardiology consult letter", "2026-10-02", "application/pdf", "consult.pdf", 1),
            S.make_pdf("Consult letter", 3, S.DOC_MARKER),
        ),
        (S.document("Chest X-ray photo", "2026-09-10", "image/png", "xray.png", 2), S.make_png()),
        (
            S.document("Damaged discharge summary", "2026-03-01", "application/pdf", "bad.pdf", 3),
            b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF",
        ),
        (S.document("Locked lab report", "2026-02-01", "application/pdf", "locked.pdf", 4), _encrypted_pdf()),
        (S.document("Two-page scan", "2025-12-01", "image/tiff", "scan.tif", 5), S.make_tiff(2)),
        (S.document("Letter in Word", "2026-03-02", "application/msword", "letter.docx", 6), b"PK\x03\x04x"),
        (
            S.document("Lab report", "2026-08-22", "application/pdf", "labs.pdf", 7),
            S.make_pdf("Lab report", 2),
        ),
        (S.document("Knee photo", "2026-05-05", "image/jpeg", "knee.jpg", 8), S.make_jpeg()),
    ]


# Included: consult 3 + xray 1 + scan 2 + labs 2 + photo 1 pages.
INCLUDED_PAGES = 9


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = PacketData(
        person=S.person(), prepared_for=S.PREPARED_FOR, prepared_on=ON, documents=_docs(), **S.records(ON)
    )
    out = tmp_path_factory.mktemp("packet") / "packet.pdf"
    calls: list[tuple[int, int, str]] = []
    result = build_packet(data, out, PASSWORD, progress=lambda d, t, m: calls.append((d, t, m)))
    return data, out, result, calls


@pytest.fixture(scope="module")
def reader(built):
    r = pypdf.PdfReader(built[1])
    assert r.decrypt(PASSWORD) != pypdf.PasswordType.NOT_DECRYPTED
    return r


def test_pypdf_opens_with_password_and_sees_aes256_revision_6(built, reader):
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert encrypt["/R"] == 6 and encrypt["/V"] == 5
    assert reader._encryption.R == 6
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"  # AES-256
    assert reader.metadata.title == PDF_TITLE  # the title exists, but only inside (see raw test)


@pytest.mark.parametrize("wrong", ["", "wrong password", PASSWORD.upper()])
def test_wrong_or_empty_password_refused(built, wrong):
    r = pypdf.PdfReader(built[1])
    assert r.decrypt(wrong) == pypdf.PasswordType.NOT_DECRYPTED
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(built[1], password=wrong)


def _qpdf() -> str:
    exe = shutil.which("qpdf")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("qpdf is not installed: .ci/run must `apt-get install -y qpdf`")
        pytest.skip("qpdf not installed (apt-get install -y qpdf)")
    return exe


def test_qpdf_reports_revision_6_aes256_and_checks_clean(built):
    qpdf, path = _qpdf(), str(built[1])
    shown = subprocess.run(
        [qpdf, "--show-encryption", f"--password={PASSWORD}", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^R = 6$", shown, re.M), shown
    assert "Supplied password is user password" in shown
    assert "modify anything: allowed" in shown  # the reader may print, copy and split as they like
    assert "stream encryption method: AESv3" in shown and "string encryption method: AESv3" in shown
    check = subprocess.run([qpdf, "--check", f"--password={PASSWORD}", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout
    needs = subprocess.run([qpdf, "--requires-password", path], capture_output=True)
    assert needs.returncode == 0  # 0 = a password is required
    for wrong in ("", "wrong"):
        bad = subprocess.run([qpdf, "--check", f"--password={wrong}", path], capture_output=True, text=True)
        assert bad.returncode != 0 and "invalid password" in (bad.stdout + bad.stderr)


def test_nothing_readable_in_the_raw_bytes(built, reader):
    raw = built[1].read_bytes()
    summary_text = "".join(reader.pages[i].extract_text() for i in range(built[2].summary_pages))
    doc_text = "".join(p.extract_text() for p in reader.pages[built[2].summary_pages :])
    # The markers are really in the decrypted content ...
    assert S.MED_MARKER in summary_text and S.PERSON_NAME in summary_text and S.DOC_MARKER in doc_text
    # ... and nowhere in the file as stored.
    for secret in (
        S.MED_MARKER,
        S.PERSON_NAME,
        "Marchbanks",
        S.DOC_MARKER,
        PDF_TITLE,
        "Vandermeer",
        "Penicillin",
        "1961-04-09",
        BUNDLE_NAME,
        "fhir",
        "Hemoglobin",
    ):
        assert secret.encode() not in raw, secret
        assert secret.encode("utf-16-be") not in raw, secret
    assert b"/CheckSum" not in raw


def test_page_count_is_summary_plus_included_pages(built, reader):
    _, _, result, _ = built
    assert len(reader.pages) == result.page_count == result.summary_pages + INCLUDED_PAGES
    # Every summary page carries the confidential footer; no included page does.
    footers = [i for i, page in enumerate(reader.pages) if FOOTER in page.extract_text()]
    assert footers == list(range(result.summary_pages))
    assert result.summary_pages >= 3  # cover + at least two summary pages with this much data


def _flat_outline(reader, items=None, depth=0):
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out.extend(_flat_outline(reader, item, depth + 1))
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return out


def test_bookmarks_one_per_section_and_per_document(built, reader):
    _, _, result, _ = built
    marks = _flat_outline(reader)
    top = [(t, p) for d, t, p in marks if d == 0]
    children = [(t, p) for d, t, p in marks if d == 1]
    assert [t for t, _ in top] == ["Cover", *(title for _, title in SECTION_TITLES), "Documents"]
    for title, page in top[1:-1]:  # each section bookmark lands on the page showing its heading
        assert title in reader.pages[page - 1].extract_text()
    included = [e for e in result.documents if e.included]
    assert len(children) == len(included) == 5
    for (title, page), entry in zip(children, included, strict=True):
        assert title.startswith(entry.title) and page == entry.first_page
    # The consult letter's bookmark opens its own first page.
    consult_page = dict(children)["Cardiology consult letter (2026-10-02)"]
    assert "Consult letter - page 1" in reader.pages[consult_page - 1].extract_text()


def test_index_gives_the_page_each_document_starts_on(built, reader):
    _, _, result, _ = built
    index_text = "".join(reader.pages[i].extract_text() for i in range(result.summary_pages))
    flat = " ".join(index_text.split())
    for entry in result.documents:
        if entry.included:
            assert f"from page {entry.first_page}" in flat
    lab_entry = next(e for e in result.documents if e.title == "Lab report")
    assert "Lab report - page 1" in reader.pages[lab_entry.first_page - 1].extract_text()
    # the contents on the cover and the footer's total agree with the real numbers
    assert f"Page 1 of {len(reader.pages)}" in " ".join(reader.pages[0].extract_text().split())


def test_bad_originals_are_skipped_and_noted(built, reader):
    _, _, result, _ = built
    notes = {e.title: e.note for e in result.documents if not e.included}
    assert notes == {
        "Damaged discharge summary": "not included (damaged PDF)",
        "Locked lab report": "not included (password-protected PDF)",
        "Letter in Word": "not included (DOCX file)",
    }
    text = " ".join("".join(reader.pages[i].extract_text() for i in range(result.summary_pages)).split())
    for note in notes.values():
        assert note in text


def test_embedded_bundle_reads_back(built):
    data, path, result, _ = built
    bundle = read_packet_bundle(path.read_bytes(), PASSWORD)
    assert bundle["type"] == "document"
    assert bundle["entry"][0]["resource"]["resourceType"] == "Composition"
    resources = bundle_item_resources(bundle)
    assert len(resources) == len(data.items()) == result.bundle_resources
    ids = {i["value"] for r in resources for i in r.get("identifier", []) if i.get("system") == ITEM_SYSTEM}
    assert ids == {item.id for item in data.items()}
    with pytest.raises(ImportRejected, match="wrong password"):
        read_packet_bundle(path.read_bytes(), "nope")


def test_read_bundle_rejects_a_pdf_without_one(tmp_path):
    with pytest.raises(ImportRejected, match="no health-summary.fhir.json"):
        read_packet_bundle(S.make_pdf("plain", 1), "")


def test_progress_reaches_the_end(built):
    calls = built[3]
    assert [d for d, _, _ in calls] == list(range(len(calls)))
    assert calls[-1][0] == calls[-1][1] - 1 and calls[-1][2] == "Done"


def test_empty_packet_says_none_recorded(tmp_path):
    data = PacketData(person=S.person(), prepared_for="", prepared_on=ON)
    result = build_packet(data, tmp_path / "empty.pdf", PASSWORD)
    r = pypdf.PdfReader(tmp_path / "empty.pdf")
    r.decrypt(PASSWORD)
    text = "".join(p.extract_text() for p in r.pages)
    assert text.count("None recorded.") == len(SECTION_TITLES)
    assert result.page_count == result.summary_pages == len(r.pages) == 2
    assert (
        read_packet_bundle((tmp_path / "empty.pdf").read_bytes(), PASSWORD)["entry"][1]["resource"]["resourceType"]
        == "Patient"
    )


@pytest.mark.parametrize("password", ["", "   "])
def test_empty_password_refused_and_nothing_written(tmp_path, password):
    data = PacketData(person=S.person(), prepared_for="x", prepared_on=ON)
    with pytest.raises(InvalidInput, match="password is required"):
        build_packet(data, tmp_path / "p.pdf", password)
    assert list(tmp_path.iterdir()) == []


def test_cancel_stops_before_anything_is_written(tmp_path):
    data = PacketData(person=S.person(), prepared_for="x", prepared_on=ON, documents=_docs()[:2])
    stop = threading.Event()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if done == 1:
            stop.set()

    with pytest.raises(Cancelled):
        build_packet(data, tmp_path / "p.pdf", PASSWORD, progress=progress, cancel=stop)
    assert list(tmp_path.iterdir()) == [] and len(seen) == 2


def test_failed_save_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "p.pdf"
    target.write_bytes(b"previous packet")

    def broken_save(self, *args, **kwargs):
        fh = args[0]
        fh.write(b"half written")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pikepdf.Pdf, "save", broken_save)
    data = PacketData(person=S.person(), prepared_for="x", prepared_on=ON)
    with pytest.raises(OSError, match="No space"):
        build_packet(data, target, PASSWORD)
    assert target.read_bytes() == b"previous packet"
    assert [p.name for p in tmp_path.iterdir()] == ["p.pdf"]


def test_active_scripts_in_originals_are_dropped(tmp_path):
    src = pikepdf.open(io.BytesIO(S.make_pdf("Scripted", 1)))
    page = src.pages[0]
    page.obj["/AA"] = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
    js_link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 10, 10],
        A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(2)"),
    )
    uri_link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 20, 10, 30],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org/"),
    )
    attachment = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[0, 40, 10, 50],
        FS=pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F="payload.exe"),
    )
    chained = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 60, 10, 70],
        A=pikepdf.Dictionary(
            S=pikepdf.Name.URI,
            URI="https://example.org/2",
            Next=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(3)"),
        ),
    )
    page.obj["/Annots"] = src.make_indirect(
        pikepdf.Array([src.make_indirect(a) for a in (js_link, uri_link, attachment, chained)])
    )
    buf = io.BytesIO()
    src.save(buf)
    data = PacketData(
        person=S.person(),
        prepared_for="x",
        prepared_on=ON,
        documents=[(S.document("Scripted", "2026-01-01", "application/pdf", "s.pdf", 1), buf.getvalue())],
    )
    result = build_packet(data, tmp_path / "p.pdf", PASSWORD)
    with pikepdf.open(tmp_path / "p.pdf", password=PASSWORD) as pdf:
        last = pdf.pages[result.page_count - 1].obj
        assert "/AA" not in last
        actions = [str(a.A.S) for a in last.Annots]
        assert actions == ["/URI", "/URI"]  # the script link and the attachment are gone
        assert all("/Next" not in a.A for a in last.Annots)


def test_names_outside_western_european_get_a_unicode_font(tmp_path):
    from medrecords_desktop.exporters.packet_style import unicode_family
    from medrecords_desktop.model.records import Person

    if unicode_family() is None:
        pytest.skip("no Unicode TrueType font (DejaVu, Noto or Arial) on this computer")
    name = "Зоя Παπαδόπουλος"
    data = PacketData(
        person=Person(id="p-1990", name=name, birth_date="1990-01-02"), prepared_for="Д-р Иванов", prepared_on=ON
    )
    build_packet(data, tmp_path / "p.pdf", PASSWORD)
    r = pypdf.PdfReader(tmp_path / "p.pdf")
    r.decrypt(PASSWORD)
    assert name in r.pages[0].extract_text() and "Д-р Иванов" in r.pages[0].extract_text()
    fonts = {str(f.get("/BaseFont")) for f in r.pages[0]["/Resources"]["/Font"].values()}
    assert any("+" in f for f in fonts), fonts  # an embedded subset, not a standard font
    raw = (tmp_path / "p.pdf").read_bytes()
    assert name.encode() not in raw and name.encode("utf-16-be") not in raw


def _truncated(fraction: float) -> bytes:
    good = S.make_pdf("Cut", 3)
    return good[: int(len(good) * fraction)]


@pytest.mark.parametrize(
    ("blob", "included", "note"),
    [
        (_truncated(0.5), False, "not included (damaged PDF)"),  # later pages would be blank
        (_truncated(0.9), False, "not included (damaged PDF)"),
        (S.make_pdf("Repairable", 3).replace(b"xref", b"xxxx"), True, ""),  # qpdf rebuilds the xref
        (b"%PDF-1.4\n", False, "not included (damaged PDF)"),
        (S.make_jpeg()[:3000], False, "not included (damaged image)"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, False, "not included (damaged image)"),
        (S.make_tiff(3), True, ""),
        (b"", False, "not included (file missing)"),
    ],
    ids=[
        "pdf-cut-half",
        "pdf-cut-90",
        "pdf-no-xref",
        "pdf-header-only",
        "jpeg-cut",
        "png-garbage",
        "tiff-3",
        "empty",
    ],
)
def test_damaged_originals(tmp_path, blob, included, note):
    doc = S.document("Original", "2026-01-01", "application/octet-stream", "original.bin", 1)
    data = PacketData(person=S.person(), prepared_for="x", prepared_on=ON, documents=[(doc, blob)])
    result = build_packet(data, tmp_path / "p.pdf", PASSWORD)
    entry = result.documents[0]
    assert (entry.included, entry.note) == (included, note)
    assert result.page_count == result.summary_pages + entry.page_count
    assert entry.page_count == (3 if included else 0)


def test_lab_table_flags_abnormal_results_and_charts_numeric_series():
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.platypus import Paragraph

    from medrecords_desktop.exporters.packet_sections import _labs

    data = PacketData(person=S.person(), prepared_for="x", prepared_on=ON, **S.records(ON))
    table = _labs(data)[0]
    rows = {row[0].text.split("<br/>")[0]: row for row in table._cellvalues[1:]}
    assert set(rows) == {
        f"<b>{t}</b>" for t in ("Creatinine", "eGFR", "Hemoglobin A1c", "LDL cholesterol", "Potassium", "Urine culture")
    }
    flags = {name: row[2].text for name, row in rows.items()}
    assert flags["<b>Hemoglobin A1c</b>"] == "H" and flags["<b>Potassium</b>"] == "L"
    assert flags["<b>Creatinine</b>"] == "" and flags["<b>Urine culture</b>"] == ""
    # abnormal latest values are bold and red; normal ones are not
    assert "#b00020" in rows["<b>Potassium</b>"][1].text and "<b>3.3 mmol/L</b>" in rows["<b>Potassium</b>"][1].text
    assert "#b00020" not in rows["<b>Creatinine</b>"][1].text
    # a chart with the reference band for each numeric series, none for a single text result
    for name, row in rows.items():
        if name == "<b>Urine culture</b>":
            assert isinstance(row[5], Paragraph)
        else:
            assert isinstance(row[5], Drawing)
            assert any(isinstance(shape, Rect) for shape in row[5].contents)  # the reference band


def test_very_long_text_is_shortened_not_a_layout_error(tmp_path):
    from medrecords_desktop.model.records import Condition, Observation

    long_text = "narrative " * 3000  # taller than a page in one table row
    data = PacketData(
        person=S.person(),
        prepared_for=long_text,
        prepared_on=ON,
        conditions=[Condition(title="Long note", note=long_text)],
        observations=[Observation(title="Pathology", value_text=long_text, date="2026-01-01")],
    )
    result = build_packet(data, tmp_path / "p.pdf", PASSWORD)
    r = pypdf.PdfReader(tmp_path / "p.pdf")
    r.decrypt(PASSWORD)
    text = "".join(p.extract_text() for p in r.pages)
    assert "(shortened)" in text and text.count("narrative") < 200
    assert result.page_count == len(r.pages)
