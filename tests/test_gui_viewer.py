"""The in-app document viewer: PDF, image, C-CDA/XML and text from decrypted bytes; saving a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdf")

from factories import prov, write_items  # noqa: E402
from gui_helpers import make_pdf  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.gui.viewer import DocumentViewer, render_xml  # noqa: E402
from medrecords_desktop.model.records import Document  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402

CCDA = b"""<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <title>Continuity of Care Document</title>
  <component><structuredBody>
    <component><section><title>Allergies</title>
      <text><table><thead><tr><th>Substance</th><th>Reaction</th></tr></thead>
        <tbody><tr><td>Penicillin &amp; co</td><td>Hives</td></tr></tbody></table></text>
    </section></component>
    <component><section><title>Plan</title>
      <text><paragraph>Return in <content>2 weeks</content>.</paragraph>
        <list><item>Walk daily</item></list></text>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>"""


def png_bytes() -> bytes:
    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(QColor("#2f6fde"))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data.data())


@pytest.fixture
def docs(vault):
    items = [
        Document(
            title="Scan",
            date="2026-01-02",
            mime="application/pdf",
            filename="scan.pdf",
            content=make_pdf("Scan", ["page one"]),
            provenance=prov("Doc/pdf"),
        ),
        Document(
            title="Photo",
            date="2026-01-03",
            mime="image/png",
            filename="photo.png",
            content=png_bytes(),
            provenance=prov("Doc/png"),
        ),
        Document(
            title="CCD",
            date="2026-01-04",
            mime="application/xml",
            filename="ccd.xml",
            content=CCDA,
            provenance=prov("Doc/xml"),
        ),
        Document(
            title="Note",
            date="2026-01-05",
            mime="text/plain",
            content=b"Plain note <b>not html</b>",
            provenance=prov("Doc/txt"),
        ),
    ]
    write_items(vault, "Alice Example", items)
    rec = RecordService(vault)
    return rec, {e.row.title: e for e in rec.timeline(kinds=["document"])}


def show(viewer: DocumentViewer, rec: RecordService, entry) -> None:
    viewer.show_item(rec, entry.person_id, entry.id, rec.item(entry.id))


def test_each_kind_of_document(qtbot, docs) -> None:
    rec, by_title = docs
    v = DocumentViewer()
    qtbot.addWidget(v)
    v.resize(600, 700)
    v.show()
    show(v, rec, by_title["Scan"])
    assert v.mode == "pdf" and v.pdf.pageCount() == 1
    show(v, rec, by_title["Photo"])  # a second document replaces the first cleanly
    assert v.mode == "image" and v.image_label.pixmap().width() == 40
    show(v, rec, by_title["CCD"])
    text = v.text.toPlainText()
    assert v.mode == "text"
    assert "Continuity of Care Document" in text and "Allergies" in text and "Penicillin & co" in text
    assert "Return in 2 weeks." in text and "Walk daily" in text
    show(v, rec, by_title["Note"])
    assert v.text.toPlainText() == "Plain note <b>not html</b>"  # shown as text, never as markup
    v.clear()
    assert v.mode == "empty" and not v.save_btn.isEnabled()


def test_xml_rendering_is_escaped_and_safe() -> None:
    html = render_xml(b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lt;script&gt;x</title></ClinicalDocument>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    bomb = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert "root:" not in render_xml(bomb)
    assert "could not be read" in render_xml(b"<unclosed>")


def test_save_copy_warns_writes_and_audits(qtbot, docs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    rec, by_title = docs
    v = DocumentViewer()
    qtbot.addWidget(v)
    show(v, rec, by_title["Scan"])
    warned: list[str] = []

    def fake_warning(parent, title, text, *a, **k):  # noqa: ANN001, ANN202
        warned.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    v.save_copy()  # cancelled at the warning: nothing written
    assert warned and "NOT be encrypted" in warned[0]
    assert not (tmp_path / "out").exists()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Save)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "copy.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    v.save_copy()
    assert ops.settle()  # written and audited on the worker
    assert target.read_bytes().startswith(b"%PDF-")
    actions = [e.action for e in reversed(rec.vault.audit_entries())]
    assert actions[-1] == "item.save_copy"
