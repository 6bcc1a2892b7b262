"""``medrecords selfcheck``: prove an installed copy (above all the PyInstaller bundle) works end to end.

It creates a throw-away vault in a temporary folder, imports a small made-up FHIR record shipped as
package data, renders one timeline page offscreen into a QImage and checks it is not blank, draws a
PDF page with QtPdf and a line chart with QtCharts (the document viewer's and the lab view's engines),
reads a line of drawn text with the OCR engine when the install has it, verifies the vault, and
prints one line.  Each step uses the real parts (SQLCipher, the importer, Qt's
platform plugin, fonts, the icon SVGs), so a bundle that lost a shared library, a Qt plugin or a data
file fails here with the step named, instead of on a user's first click.

The timeline is drawn by the desktop app's own model and delegate when the GUI package is present;
a plain QListWidget stands in only when it is not (a CLI-only install).  Nothing is written outside
the temporary folder, which is removed at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MedRecordsError

BUNDLE = Path(__file__).resolve().parents[1] / "data" / "selfcheck-bundle.json"
# What the shipped record must yield; the import is checked against it, so a parser regression or a
# missing data file shows up as a count mismatch rather than as a pass.
EXPECTED = {"encounter": 1, "observation": 2, "condition": 1, "immunization": 1}
PAGE_W, PAGE_H = 720, 480
# Native modules a bundle can silently lose (they are imported lazily by the features that use them).
NATIVE_MODULES = (
    "lxml.etree",
    "pikepdf",
    "pypdf",
    "reportlab.pdfgen.canvas",
    "PIL.Image",
    "pillow_heif",
    "py7zr",
    "cryptography.hazmat.primitives.kdf.argon2",
    "sqlcipher3",
)


class SelfCheckFailed(MedRecordsError):
    """A step of the self-check failed; the message names the step."""


@dataclass
class Outcome:
    steps: list[tuple[str, float]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def step(self, name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            result = fn()
        except MedRecordsError as e:
            raise SelfCheckFailed(f"selfcheck failed at '{name}': {e}") from None
        except Exception as e:  # any failure here is what the self-check exists to report
            raise SelfCheckFailed(f"selfcheck failed at '{name}': {type(e).__name__}: {e}") from None
        self.steps.append((name, time.perf_counter() - t0))
        return result


def register(sub: Any) -> None:
    p = sub.add_parser("selfcheck", help="check this install: vault, import, offscreen rendering, verify")
    p.add_argument("--image", metavar="PNG", help="also save the rendered timeline page here (made-up data)")
    p.add_argument("--no-ocr", action="store_true", help="skip the OCR step (it takes a few seconds)")
    p.add_argument("-v", "--verbose", action="store_true", help="print each step with its time")
    p.set_defaults(run=cmd_selfcheck)


def _check_modules() -> int:
    import importlib

    for name in NATIVE_MODULES:
        importlib.import_module(name)
    return len(NATIVE_MODULES)


def _create_vault(folder: Path) -> Any:
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault

    # A throw-away vault: the cheapest KDF the vault accepts keeps the check quick; the passphrase
    # is random and never shown.
    vault, _recovery = Vault.create(
        folder / "vault", secrets.token_urlsafe(18), owner_name="Selfcheck", kdf=fast_test_kdf()
    )
    return vault


def _import(vault: Any) -> dict[str, int]:
    from ..services.importing import ImportOptions, ImportService

    if not BUNDLE.is_file():
        raise SelfCheckFailed(f"the sample record {BUNDLE} is missing from this installation")
    report = ImportService(vault).import_paths([BUNDLE], ImportOptions(create_persons=True))
    if report.failed:
        raise SelfCheckFailed(f"import failed: {report.failed[0].error}")
    added = dict(report.added)
    wrong = {k: (added.get(k, 0), n) for k, n in EXPECTED.items() if added.get(k, 0) != n}
    if wrong:
        detail = ", ".join(f"{k} {got} (expected {want})" for k, (got, want) in sorted(wrong.items()))
        raise SelfCheckFailed(f"the sample record imported wrongly: {detail}")
    return added


def gui_available() -> bool:
    """True when the desktop GUI package is installed beside this module (not a CLI-only install)."""
    spec = importlib.util.find_spec(f"{__package__.rsplit('.', 1)[0]}.gui")
    # origin None is a namespace package: a stray gui/ folder without __init__.py is not the GUI.
    return spec is not None and spec.origin is not None


def _qt_app() -> Any:
    # Offscreen always: the self-check must work over ssh, in CI and in a container.  Only affects
    # this process, and only when no QApplication exists yet (under pytest-qt one already does).
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(sys.argv[:1])
    return app


def _render_gui_timeline(vault: Any) -> tuple[Any, int, str]:
    """The app's own timeline (model + delegate) in a QListView; returns (image, rows, renderer)."""
    from PySide6.QtWidgets import QListView

    from ..gui.models import PersonInfo, TimelineModel, TimelineQuery
    from ..gui.views.timeline import TimelineDelegate
    from ..services.records import RecordService

    records = RecordService(vault)
    people = {p.id: PersonInfo(p.id, p.name, p.color or "#2f6fde") for p in records.people()}
    model = TimelineModel()
    model.set_source(records, people)
    model.set_query(TimelineQuery())
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(TimelineDelegate(model, view))
    view.setUniformItemSizes(False)
    view.resize(PAGE_W, PAGE_H)
    image = view.grab().toImage()
    rows = model.rowCount()
    view.deleteLater()
    return image, rows, "gui.TimelineModel+TimelineDelegate"


def _render_fallback_timeline(vault: Any) -> tuple[Any, int, str]:
    """No GUI package: a QListWidget with one line per item still exercises Qt, fonts and the platform."""
    from PySide6.QtWidgets import QListWidget

    from ..services.records import RecordService

    entries = RecordService(vault).timeline(limit=50)
    widget = QListWidget()
    for e in entries:
        widget.addItem(f"{(e.row.date or '')[:10]}  {e.row.kind}  {e.row.summary()}")
    widget.resize(PAGE_W, PAGE_H)
    image = widget.grab().toImage()
    widget.deleteLater()
    return image, len(entries), "QListWidget (GUI package absent)"


def ink_fraction(image: Any) -> tuple[float, int]:
    """Share of sampled pixels that differ from the background (the commonest colour), and colour count.

    A page whose text or icons failed to draw (no fonts, no platform plugin, an empty model) is one
    flat colour, perhaps with a frame: a tiny fraction and very few colours.
    """
    w, h = image.width(), image.height()
    counts: Counter[int] = Counter(image.pixel(x, y) for y in range(0, h, 2) for x in range(0, w, 2))
    total = sum(counts.values())
    if not total:
        return 0.0, 0
    background = counts.most_common(1)[0][1]
    return (total - background) / total, len(counts)


def _render(vault: Any, save_to: str | None) -> dict[str, Any]:
    app = _qt_app()
    render = _render_gui_timeline if gui_available() else _render_fallback_timeline
    image, rows, renderer = render(vault)
    app.processEvents()
    if rows == 0:
        raise SelfCheckFailed("the timeline page has no rows")
    fraction, colours = ink_fraction(image)
    # Text on a list page inks a few percent of it; under 0.5 % or fewer than 3 colours is blank.
    if fraction < 0.005 or colours < 3:
        raise SelfCheckFailed(f"the rendered timeline page is blank ({fraction:.2%} inked, {colours} colours)")
    if save_to:
        image.save(save_to, "PNG")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication

    return {
        "renderer": renderer,
        "rows": rows,
        "inked": fraction,
        "colours": colours,
        "qt": pyside_version,
        "platform": QGuiApplication.platformName(),
    }


def _sample_pdf() -> bytes:
    """A one-page PDF made here (made-up text), so no document has to ship for the check."""
    import io

    from reportlab.lib.pagesizes import A6
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A6)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(30, 330, "MedRecords selfcheck")
    c.setFont("Helvetica", 11)
    for n in range(12):
        c.drawString(30, 300 - 18 * n, f"Line {n + 1}: made-up text for the PDF viewer")
    c.showPage()
    c.save()
    return buf.getvalue()


def _render_pdf_and_chart() -> str:
    """QtPdf (the document viewer) and QtCharts (lab trends): both draw something, from the bundle too."""
    from PySide6.QtCharts import QChart, QChartView, QLineSeries
    from PySide6.QtCore import QBuffer, QByteArray, QSize
    from PySide6.QtPdf import QPdfDocument

    _qt_app()
    data = QByteArray(_sample_pdf())
    buf = QBuffer(data)
    buf.open(QBuffer.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() != 1:
        raise SelfCheckFailed(f"QtPdf could not open a PDF (status {doc.status().name})")
    page = doc.render(0, QSize(300, 420))
    pdf_ink, _ = ink_fraction(page)
    doc.close()
    if pdf_ink < 0.005:
        raise SelfCheckFailed("QtPdf rendered a blank page")
    series = QLineSeries()
    for x, y in ((0, 92), (1, 97), (2, 88), (3, 104)):
        series.append(x, y)
    chart = QChart()
    chart.addSeries(series)
    chart.createDefaultAxes()
    view = QChartView(chart)
    view.resize(320, 200)
    chart_ink, _ = ink_fraction(view.grab().toImage())
    view.deleteLater()
    if chart_ink < 0.005:
        raise SelfCheckFailed("QtCharts drew a blank chart")
    return f"PDF page {pdf_ink:.1%} and chart {chart_ink:.1%} inked"


def ocr_available() -> bool:
    """True when this install has the OCR package (it needs rapidocr, onnxruntime and numpy)."""
    spec = importlib.util.find_spec(f"{__package__.rsplit('.', 1)[0]}.ocr")
    if spec is None or spec.origin is None:
        return False
    # A bundle built with MEDRECORDS_BUNDLE_NO_OCR=1 has the app's module but not the engine.
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def _recognise_text() -> str:
    """OCR on a line of made-up text drawn here: the engine, its models and native libraries all load."""
    import io

    from PIL import Image
    from PySide6.QtCore import QBuffer, Qt
    from PySide6.QtGui import QFont, QImage, QPainter

    from ..ocr.engine import recognise_image

    _qt_app()
    img = QImage(560, 110, QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.white)
    p = QPainter(img)
    font = QFont()
    font.setPixelSize(44)
    p.setFont(font)
    p.setPen(Qt.GlobalColor.black)
    p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, "Glucose 92 mg/dL")
    p.end()
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 6.12 takes str only
    with Image.open(io.BytesIO(bytes(buf.data().data()))) as im:
        page = recognise_image(im.convert("RGB"))
    text = " ".join(line.text for line in page.lines)
    if "92" not in text or "glucose" not in text.lower():
        raise SelfCheckFailed(f"OCR read {len(page.lines)} lines but not the test text")
    return f"OCR read the test line in {page.seconds:.2f} s"


def _convert_units() -> str:
    """Glucose mg/dL to mmol/L and mm[Hg] through ucumvert and pint: both load data files at first use,
    which a bundle can lose without any import failing."""
    from ..model.units import convert, display_unit

    mmol = convert(90.0, "mg/dL", "mmol/L", "2345-7")
    if mmol is None or abs(mmol - 4.995) > 0.01:
        raise SelfCheckFailed(f"glucose 90 mg/dL converted to {mmol} mmol/L, expected about 5.0")
    if display_unit("mm[Hg]") != "mmHg":
        raise SelfCheckFailed(f"mm[Hg] shown as {display_unit('mm[Hg]')!r}")
    return f"units: 90 mg/dL glucose = {mmol:.2f} mmol/L"


def _verify(vault: Any) -> tuple[int, int]:
    report = vault.verify()
    if not report.ok:
        raise SelfCheckFailed(f"vault verification: {report.problems[0]}")
    return report.databases, report.blobs


def run_selfcheck(image: str | None = None, log: Callable[[str], None] | None = None, ocr: bool = True) -> Outcome:
    """All steps; raises SelfCheckFailed naming the failed step."""
    out = Outcome()
    t0 = time.perf_counter()
    out.facts["modules"] = out.step("native modules", _check_modules)
    with tempfile.TemporaryDirectory(prefix="medrecords-selfcheck-") as tmp:
        vault = out.step("create vault", lambda: _create_vault(Path(tmp)))
        try:
            out.facts["cipher"] = out.step(
                "sqlcipher", lambda: (vault.household.one("PRAGMA cipher_version") or ("?",))[0]
            )
            out.facts["added"] = out.step("import sample record", lambda: _import(vault))
            out.facts["render"] = out.step("render timeline offscreen", lambda: _render(vault, image))
            out.facts["pdf_chart"] = out.step("render PDF page and chart", _render_pdf_and_chart)
            out.facts["units"] = out.step("convert units (UCUM)", _convert_units)
            if ocr and ocr_available():
                out.facts["ocr"] = out.step("recognise text (OCR)", _recognise_text)
            out.facts["verified"] = out.step("verify vault", lambda: _verify(vault))
        finally:
            vault.close()
    out.facts["total"] = time.perf_counter() - t0
    if log is not None:
        for name, secs in out.steps:
            log(f"  {name:28} {secs * 1000:8.0f} ms")
    return out


def summary_line(out: Outcome) -> str:
    from .. import __version__

    f = out.facts
    r = f["render"]
    dbs, blobs = f["verified"]
    items = sum(f["added"].values())
    return (
        f"selfcheck OK: medrecords {__version__}, Python {sys.version.split()[0]}, Qt {r['qt']} "
        f"({r['platform']}), SQLCipher {f['cipher']}; {f['modules']} native modules; "
        f"imported {items} items; "
        f"timeline page drawn by {r['renderer']} ({r['rows']} rows, {r['inked']:.1%} inked); "
        f"{f['pdf_chart']}; {f['units']}; {f.get('ocr', 'OCR not checked')}; "
        f"verified {dbs} databases, {blobs} documents; {f['total']:.2f} s"
    )


def cmd_selfcheck(args: argparse.Namespace, ctx: Any) -> int:
    log = (lambda s: print(s, file=sys.stderr)) if args.verbose else None
    try:
        out = run_selfcheck(args.image, log, ocr=not args.no_ocr)
    except SelfCheckFailed as e:
        print(f"medrecords: {e}", file=sys.stderr)
        return 1
    print(summary_line(out))
    return 0
