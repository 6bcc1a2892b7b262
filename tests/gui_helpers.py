"""Shared pieces of the GUI tests: isolated settings, a PDF made on the fly, records written for real."""

from __future__ import annotations

import io
from pathlib import Path

from factories import one_of_each, prov, write_items

from medrecords_desktop.model.records import Document


def make_pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 770, title)
    for n, line in enumerate(lines):
        c.drawString(72, 740 - 18 * n, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def fill(vault, person: str = "Alice Example") -> None:
    """Two visits a year apart for one person; the newer one has a PDF lab letter linked to it."""
    new = one_of_each("zebra", "2026-04-12")
    old = one_of_each("yak", "2025-03-01")
    pdf = Document(
        title="Lab letter zebra",
        date="2026-04-12",
        mime="application/pdf",
        filename="letter.pdf",
        doc_type="Lab report",
        content=make_pdf("Lab letter", ["Glucose 5.4 mmol/L"]),
        text="Lab letter zebra glucose",
        encounter_ref="Encounter/zebra",
        provenance=prov("DocumentReference/pdf-zebra"),
    )
    write_items(vault, person, [*new, pdf])
    write_items(vault, person, old, name="older.json")


def settings_in(tmp_path: Path):
    from PySide6.QtCore import QSettings

    from medrecords_desktop.gui.settings import AppSettings

    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
