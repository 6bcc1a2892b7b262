"""Text recognition of scans and photos: the engine offline, the import hook, multi-page files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from medrecords_desktop.importers.scan import combine_pages, needs_ocr, ocr_document
from medrecords_desktop.ocr import engine as ocr_engine
from medrecords_desktop.ocr.engine import OcrLine, OcrPage, group_rows, recognise, recognise_document
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.records import RecordService
from tests.ocr_testset import font_path, fonts_available, recognised_set

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not fonts_available(), reason="DejaVu fonts missing (Debian: fonts-dejavu)")


def word_image(words: list[str], fmt: str = "PNG", size: tuple[int, int] = (640, 400)) -> bytes:
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    f = ImageFont.truetype(str(font_path("sans")), 34)
    for n, w in enumerate(words):
        d.text((30, 30 + 60 * n), w, font=f, fill="black")
    out = io.BytesIO()
    im.save(out, fmt)
    return out.getvalue()


def test_engine_runs_offline_and_leaves_no_files(tmp_path: Path) -> None:
    """The models ship in the wheel: with every network connection refused and an empty private temp
    folder and home, recognition works, nothing is written to disk (ONNX Runtime's telemetry queue
    included) and the recognised text is not logged."""
    image = tmp_path / "in.png"
    image.write_bytes(word_image(["QUOKKA 4821"]))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    script = f"""
import socket, sys, logging
logging.basicConfig(level=logging.DEBUG)
def refuse(*a, **k):
    raise OSError("network used")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from medrecords_desktop.ocr.engine import recognise
page = recognise(open({str(image)!r}, 'rb').read())
print("RESULT", " ".join(ln.text for ln in page.lines))
"""
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT), HOME=str(scratch))
    r = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,  # noqa: S603
        text=True,
        timeout=300,
        cwd=str(scratch),
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert "QUOKKA" in r.stdout and "4821" in r.stdout
    assert "QUOKKA" not in r.stderr  # nothing recognised reaches the log
    assert list(scratch.iterdir()) == []


def test_layouts_are_recognised() -> None:
    pages, recognised = recognised_set()
    for page, ocr in zip(pages, recognised, strict=True):
        text = ocr.text()
        assert ocr.width > 500 and ocr.height > 500 and ocr.seconds > 0
        assert ocr.mean_confidence() > 0.8, page.layout
        for word in page.words:
            assert word.casefold() in text.casefold(), (page.layout, word)
        print(f"{page.layout}: {len(ocr.lines)} lines in {ocr.seconds:.2f} s")
    photo = next(o for p, o in zip(pages, recognised, strict=True) if p.layout == "photo")
    assert abs(photo.skew) > 0.5  # the photo is askew, and the rows are still read whole


def test_rows_are_grouped_across_a_skewed_page() -> None:
    """Cells of one table row are grouped even when the page slopes by more than half a line."""
    slope = 0.03  # about 1.7 degrees: 30 px over a 1000 px row, lines 40 px apart
    lines = []
    for row in range(3):
        for col, text in enumerate((f"Test{row}", f"{row}.5", "mg/dL", "1-9")):
            x = 100 + 300 * col
            y = 100 + 40 * row + slope * x
            lines.append(OcrLine(text, (x, y, x + 120, y + 24), 0.9, angle=1.7))
    page = OcrPage(lines=lines, width=1400, height=400)
    rows = group_rows(page.lines, page.skew)
    assert [[c.text for c in r] for r in rows] == [[f"Test{n}", f"{n}.5", "mg/dL", "1-9"] for n in range(3)]
    assert page.text().splitlines()[1] == "Test1  1.5  mg/dL  1-9"


def test_scan_import_makes_the_text_searchable(vault) -> None:
    """Each generated report, imported through the real import path, is found by its words."""
    pages, _ = recognised_set()
    svc = ImportService(vault)
    records = RecordService(vault)
    for page in pages:
        ext = "jpg" if page.mime == "image/jpeg" else "png"
        opts = ImportOptions(person="Alice Example", force=True)  # the generated reports name made-up patients
        outcome = svc.import_bytes(page.image, f"scan-{page.layout}.{ext}", opts)
        assert outcome.status == "ok" and outcome.added["document"] == 1, outcome.error
        assert any("text recognised on this computer" in w for w in outcome.warnings), outcome.warnings
    for page in pages:
        for word in page.words:
            hits = records.search(word, person="Alice Example")
            assert hits, (page.layout, word)
            assert all(h.row.kind == "document" for h in hits)
    docs = records.timeline(person="Alice Example", kinds=["document"])
    assert len(docs) == len(pages)
    for e in docs:
        item = records.item(e.id)
        assert item.doc_type == "Scan" and item.text and len(item.text) > 200


def test_multipage_tiff_and_pages_combined_into_one_pdf(vault) -> None:
    first, second = word_image(["WALRUS 17"]), word_image(["PELICAN 42"])
    # Several photographed pages into one document: one PDF, two pages, each recognised.
    pdf = combine_pages([first, word_image(["PELICAN 42"], "JPEG")])
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert needs_ocr("application/pdf", pdf)
    pages = recognise_document(pdf, "application/pdf")
    assert ["WALRUS" in p.text() for p in pages] == [True, False]
    assert "PELICAN" in pages[1].text()
    # A multi-page TIFF from a scanner.
    frames = [Image.open(io.BytesIO(b)) for b in (first, second)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    tiff = recognise_document(out.getvalue(), "image/tiff")
    assert len(tiff) == 2 and "PELICAN" in tiff[1].text()
    # Through the import: the scanned PDF's text is searchable, pages in order.
    outcome = ImportService(vault).import_bytes(pdf, "two pages.pdf", ImportOptions(person="Alice Example"))
    assert outcome.added["document"] == 1
    hits = RecordService(vault).search("pelican", person="Alice Example")
    assert len(hits) == 1
    text = RecordService(vault).item(hits[0].id).text or ""
    assert text.index("WALRUS") < text.index("PELICAN")


def test_combine_pages_rejects_what_is_not_an_image() -> None:
    from medrecords_desktop.errors import ImportRejected

    with pytest.raises(ImportRejected, match="page 2"):
        combine_pages([word_image(["ONE"]), b"not an image at all"], "visit.pdf")
    with pytest.raises(ImportRejected, match="no pages"):
        combine_pages([], "visit.pdf")


def test_text_pdf_is_not_recognised_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from medrecords_desktop.importers.pdf import parse_pdf
    from tests.ocr_testset import text_pdf

    def refuse(*a, **k):
        raise AssertionError("OCR ran on a PDF with a text layer")

    monkeypatch.setattr(ocr_engine, "recognise_document", refuse)
    data = text_pdf(["Sodium 140 mmol/L 135-145"])
    parsed = parse_pdf(data, "portal.pdf")
    ocr_document(parsed, data)
    assert "Sodium 140" in (parsed.items[0].text or "")
    assert parsed.items[0].doc_type is None


def test_recognition_failure_keeps_the_file(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(*a, **k):
        raise ocr_engine.OcrUnavailable("Text recognition is not installed (test).")

    # The engine itself fails to load, whichever way the page reaches it (decoded by the importer).
    monkeypatch.setattr(ocr_engine, "engine", unavailable)
    outcome = ImportService(vault).import_bytes(
        word_image(["HERON"]), "note.png", ImportOptions(person="Alice Example")
    )
    assert outcome.added["document"] == 1
    assert any("stored without recognised text" in w for w in outcome.warnings)


def test_ocr_can_be_switched_off(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("OCR ran although switched off")

    monkeypatch.setattr(ocr_engine, "recognise_document", refuse)
    opts = ImportOptions(person="Alice Example")
    opts.ocr = False  # type: ignore[attr-defined]  # the field the lead adds to ImportOptions
    outcome = ImportService(vault).import_bytes(word_image(["IBIS"]), "ibis.png", opts)
    assert outcome.added["document"] == 1
    assert not any("recognised" in w for w in outcome.warnings)


def test_a_photo_is_decoded_once_on_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """The importer's own check decodes the picture; recognition reads that decode, not the bytes again."""
    from PIL import ImageFile

    from medrecords_desktop.importers.image import parse_image

    loads = []
    real_load = ImageFile.ImageFile.load

    def counting_load(self):  # type: ignore[no-untyped-def]
        if self.tile:  # pixels still to decode
            loads.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    data = word_image(["PLOVER 7.5"], fmt="JPEG", size=(4400, 1600))
    parsed = parse_image(data, "plover.jpg")
    assert parsed.decoded is not None and parsed.decoded.size == (2200, 800)  # DCT-scaled to half
    ocr_document(parsed, data)
    assert "PLOVER" in (parsed.items[0].text or "")
    assert parsed.decoded is None  # released
    assert len(loads) == 1, loads  # one decode in all


def test_recognise_single_image_bytes() -> None:
    page = recognise(word_image(["OSPREY 3.14"]))
    assert json.dumps(page.text()).count("OSPREY") == 1
    assert all(0 < ln.confidence <= 1 for ln in page.lines)
    x0, y0, x1, y1 = page.lines[0].box
    assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height


@pytest.mark.parametrize("turned", [180, 90, 270])
def test_pages_scanned_upside_down_or_sideways_are_read_upright(turned: int) -> None:
    """A report fed into the scanner the wrong way round reads like the upright one: its words, its
    rows (a test name with its value on one line), and the turn that made it right."""
    pages, recognised = recognised_set()
    page, upright = next((p, o) for p, o in zip(pages, recognised, strict=True) if p.layout == "table")
    with Image.open(io.BytesIO(page.image)) as im:
        out = io.BytesIO()
        im.rotate(turned, expand=True).save(out, "PNG")  # Pillow turns counter-clockwise
    got = recognise(out.getvalue())
    assert (got.rotation + turned) % 360 == 0
    text = got.text().casefold()
    for word in page.words:
        assert word.casefold() in text, word
    assert got.mean_confidence() > 0.9
    assert got.text().splitlines()[:8] == upright.text().splitlines()[:8]


def test_an_upright_page_keeps_its_first_reading() -> None:
    pages, recognised = recognised_set()
    assert all(o.rotation == 0 for o in recognised)
    page = next(p for p in pages if p.layout == "table")
    with Image.open(io.BytesIO(page.image)) as im:
        arr_page = ocr_engine.recognise_image(im)
    assert arr_page.rotation == 0 and arr_page.mean_confidence() >= ocr_engine.TRY_TURNED_BELOW


def test_progress_cancel_and_one_shared_engine() -> None:
    import threading

    from medrecords_desktop.errors import Cancelled

    pdf = combine_pages([word_image(["FINCH"]), word_image(["ROBIN"]), word_image(["WREN"])])
    seen: list[tuple[int, int]] = []

    class StopAfterFirst:
        def is_set(self) -> bool:
            return len(seen) >= 1

    with pytest.raises(Cancelled):
        recognise_document(pdf, "application/pdf", progress=lambda d, t: seen.append((d, t)), cancel=StopAfterFirst())
    assert seen == [(1, 3)]
    # Built once, whichever thread asks first.
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(ocr_engine.engine())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(e is got[0] for e in got)


def test_damaged_scans_never_escape_as_a_bug() -> None:
    """Cut and scrambled scanned PDFs and images through the registry: a clear rejection or a stored file
    with a warning, never another exception."""
    import random

    from medrecords_desktop.errors import ImportRejected
    from medrecords_desktop.importers.registry import parse_bytes

    rng = random.Random(7)  # noqa: S311 - test data
    png = word_image(["EGRET 12"])
    pdf = combine_pages([png])
    for original, name in ((pdf, "scan.pdf"), (png, "scan.png")):
        for n in range(8):
            data = bytearray(original)
            if n % 2:
                data = data[: rng.randint(len(data) // 3, len(data) - 1)]
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(64, len(data))] = rng.randrange(256)
            try:
                parsed = parse_bytes(bytes(data), name)
            except ImportRejected as e:
                assert name in str(e)
                continue
            assert parsed and parsed[0].items
