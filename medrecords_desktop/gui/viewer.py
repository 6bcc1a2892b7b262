"""The document viewer: PDFs (QtPdf), images and text/C-CDA shown from decrypted bytes in memory.

Nothing decrypted ever touches the disk here: the PDF is read by QPdfDocument from a QBuffer over a
QByteArray, images are decoded by QImage from bytes.  "Save a copy…" is the one way out, and it
warns that the copy is not encrypted.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..model.records import Document, Item
from ..services.records import RecordService
from . import ops

_CDA_NS = "urn:hl7-org:v3"


class DocumentViewer(QWidget):
    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        bar = QHBoxLayout()
        self.info = QLabel()
        self.info.setObjectName("Muted")
        self.save_btn = QPushButton(self.tr("&Save a copy…"))
        self.save_btn.setObjectName("SaveCopy")
        self.save_btn.setAccessibleName(self.tr("Save a copy of this document"))
        self.save_btn.setAccessibleDescription(self.tr("The copy is not encrypted"))
        self.setAccessibleName(self.tr("Document viewer"))
        self.save_btn.clicked.connect(self.save_copy)
        bar.addWidget(self.info, 1)
        bar.addWidget(self.save_btn)
        lay.addLayout(bar)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.pdf = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setAccessibleName(self.tr("PDF document"))
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Fit-to-width with an as-needed scroll bar can oscillate forever (bar shown -> narrower ->
        # shorter -> bar hidden -> wider...): keep the bar.
        self.pdf_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_scroll = QScrollArea()
        self.image_scroll.setWidgetResizable(True)
        self.image_scroll.setWidget(self.image_label)
        self.image_scroll.setAccessibleName(self.tr("Image of the document"))
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setAccessibleName(self.tr("Text of the document"))
        self.text.setTabChangesFocus(True)  # Tab leaves the document (no keyboard trap)
        self.empty = QLabel(self.tr("No document open."))
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (self.empty, self.pdf_view, self.image_scroll, self.text):
            self.stack.addWidget(w)
        self._data: QByteArray | None = None
        self._buffer: QBuffer | None = None
        self._bytes: bytes | None = None
        self._name = ""
        self._records: RecordService | None = None
        self._item_id: str | None = None
        self.mode = "empty"
        self.clear()

    # ------------------------------------------------------------------ showing
    def show_item(self, records: RecordService, person_id: str, item_id: str, item: Item) -> None:
        self.clear()
        self._records, self._item_id = records, item_id
        if not isinstance(item, Document):
            return
        data: bytes | None = None
        if item.blob_id:
            data = records.document_bytes(person_id, item)
        self._name = item.filename or f"{item.title or self.tr('document')}"
        mime = (item.mime or "").lower()
        size = self.tr("{size} KB").format(size=round(len(data) / 1024)) if data else ""
        self.info.setText(" · ".join(x for x in (item.filename or item.doc_type, mime, size) if x))
        if data is None:
            self.show_text(item.text or self.tr("This document has no original file, only its text, which is empty."))
            return
        self._bytes = data
        self.save_btn.setEnabled(True)
        if mime == "application/pdf" or data[:5] == b"%PDF-":
            self.show_pdf(data)
        elif mime.startswith("image/"):
            self.show_image(data)
        elif "xml" in mime or data.lstrip()[:1] == b"<":
            self.text.setHtml(render_xml(data))
            self._set_mode("text")
        else:
            self.show_text(data.decode("utf-8", errors="replace"))

    def show_pdf(self, data: bytes) -> None:
        # A fresh QPdfDocument per file: reloading one document from a new device can stall QtPdf's
        # renderer.  The buffer is the document's child, so both go together.
        old = self.pdf
        self.pdf = QPdfDocument(self)
        self._data = QByteArray(data)
        self._buffer = QBuffer(self._data, self.pdf)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self.pdf_view.setDocument(self.pdf)
        old.deleteLater()
        if self.pdf.status() == QPdfDocument.Status.Error or self.pdf.pageCount() == 0:
            self.show_text(
                self.tr("This PDF could not be displayed (it may be damaged). Save a copy to open it elsewhere.")
            )
            return
        self._set_mode("pdf")

    def show_image(self, data: bytes) -> None:
        img = QImage.fromData(data)
        if img.isNull():
            self.show_text(self.tr("This image could not be decoded."))
            return
        pm = QPixmap.fromImage(img)
        width = max(200, self.image_scroll.viewport().width() - 20)
        self.image_label.setPixmap(
            pm if pm.width() <= width else pm.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )
        self._set_mode("image")

    def show_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self._set_mode("text")

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self.stack.setCurrentWidget(
            {"empty": self.empty, "pdf": self.pdf_view, "image": self.image_scroll, "text": self.text}[mode]
        )

    def clear(self) -> None:
        if self._buffer is not None:
            old = self.pdf
            self.pdf = QPdfDocument(self)
            self.pdf_view.setDocument(self.pdf)
            old.close()
            old.deleteLater()  # takes its buffer along
        self._buffer, self._data, self._bytes = None, None, None
        self.image_label.clear()
        self.text.clear()
        self.info.clear()
        self.save_btn.setEnabled(False)
        self._item_id = None
        self._set_mode("empty")

    # ------------------------------------------------------------------ saving
    def save_copy(self) -> None:
        if self._bytes is None:
            return
        answer = QMessageBox.warning(
            self,
            self.tr("Save an unencrypted copy?"),
            self.tr(
                "The copy you save will NOT be encrypted: anyone who can open that folder can read it.\n\n"
                "Save it only where you mean to share it, and delete it when you are done."
            ),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Save:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy"), self._name)
        if path:
            self.write_copy(path)

    def write_copy(self, path: str) -> ops.Op:
        """Write the copy and audit it, on the worker; ``saved`` fires once both are done."""
        data, records, item_id = self._bytes, self._records, self._item_id
        assert data is not None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            with open(path, "wb") as f:
                f.write(data)
            if records is not None and item_id:
                records.note_saved_copy(item_id)
            return ops.Changed.of(ops.AUDIT, path)

        return ops.write(self, work).success(lambda _c: self.saved.emit(path)).run()


def render_xml(data: bytes) -> str:
    """C-CDA (or any XML) as readable HTML: document title, then each section's title and narrative."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        msg = QCoreApplication.translate("Viewer", "This XML document could not be read ({reason}).")
        return f"<p>{html.escape(msg.format(reason=e))}</p>"
    ns = {"h": _CDA_NS}
    out = []
    title = root.findtext("h:title", namespaces=ns) or etree.QName(root).localname
    out.append(f"<h2>{html.escape(title)}</h2>")
    sections = root.findall(".//h:section", ns)
    if not sections:
        text = " ".join(" ".join(root.itertext()).split())
        return "".join(out) + f"<p>{html.escape(text)}</p>"
    for sec in sections:
        st = sec.findtext("h:title", namespaces=ns)
        body = sec.find("h:text", ns)
        if not st and body is None:
            continue
        out.append(f"<h3>{html.escape(st or QCoreApplication.translate('Viewer', 'Section'))}</h3>")
        if body is not None:
            out.append(_narrative(body))
    return "".join(out)


def _narrative(el: object) -> str:
    from lxml import etree

    parts: list[str] = []
    assert isinstance(el, etree._Element)

    def text_of(e: etree._Element) -> str:
        return html.escape(" ".join("".join(e.itertext()).split()))

    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag == "table":
            rows = []
            for tr in child.iter(f"{{{_CDA_NS}}}tr"):
                cells = [c for c in tr if isinstance(c.tag, str) and etree.QName(c).localname in ("td", "th")]
                rows.append(
                    "<tr>"
                    + "".join(f"<{etree.QName(c).localname}>{text_of(c)}</{etree.QName(c).localname}>" for c in cells)
                    + "</tr>"
                )
            parts.append('<table border="1" cellspacing="0" cellpadding="4">' + "".join(rows) + "</table>")
        elif tag == "list":
            items = [f"<li>{text_of(i)}</li>" for i in child if isinstance(i.tag, str)]
            parts.append("<ul>" + "".join(items) + "</ul>")
        else:
            t = text_of(child)
            if t:
                parts.append(f"<p>{t}</p>")
    if el.text and el.text.strip():
        parts.insert(0, f"<p>{html.escape(el.text.strip())}</p>")
    return "".join(parts)
