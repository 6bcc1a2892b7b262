"""Icons drawn from the SVGs in resources/icons: tinted per kind, rendered at the screen's pixel ratio.

Also the person "avatar" (a coloured disc with initials) used in the sidebar and timeline rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"


class _Translated(dict[str, str]):
    """A dict of English labels (marked with QT_TRANSLATE_NOOP) that reads them in the current language.

    Lookups translate at call time, so the language is the one loaded when a view is built, and
    modules that import these dicts (models.py too) show translated labels without changes."""

    def __init__(self, context: str, items: dict[str, object]) -> None:
        # QT_TRANSLATE_NOOP returns its text; PySide6's stubs type it as object
        super().__init__({k: str(v) for k, v in items.items()})
        self.context = context

    def __getitem__(self, key: str) -> str:
        return QCoreApplication.translate(self.context, super().__getitem__(key))

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self[key] if key in self else default


KIND_LABELS: dict[str, str] = _Translated(
    "Kinds",
    {
        "encounter": QT_TRANSLATE_NOOP("Kinds", "Visits"),
        "observation": QT_TRANSLATE_NOOP("Kinds", "Results"),
        "diagnostic_report": QT_TRANSLATE_NOOP("Kinds", "Reports"),
        "document": QT_TRANSLATE_NOOP("Kinds", "Documents"),
        "medication": QT_TRANSLATE_NOOP("Kinds", "Medications"),
        "immunization": QT_TRANSLATE_NOOP("Kinds", "Immunizations"),
        "allergy": QT_TRANSLATE_NOOP("Kinds", "Allergies"),
        "condition": QT_TRANSLATE_NOOP("Kinds", "Conditions"),
        "procedure": QT_TRANSLATE_NOOP("Kinds", "Procedures"),
        "care_plan": QT_TRANSLATE_NOOP("Kinds", "Care plans"),
        "goal": QT_TRANSLATE_NOOP("Kinds", "Goals"),
        "care_team": QT_TRANSLATE_NOOP("Kinds", "Care teams"),
        "order": QT_TRANSLATE_NOOP("Kinds", "Orders"),
        "appointment": QT_TRANSLATE_NOOP("Kinds", "Appointments"),
        "coverage": QT_TRANSLATE_NOOP("Kinds", "Coverage"),
        "dispense": QT_TRANSLATE_NOOP("Kinds", "Pharmacy fills"),
        "device": QT_TRANSLATE_NOOP("Kinds", "Devices"),
        "provenance": QT_TRANSLATE_NOOP("Kinds", "Record sources"),
        "questionnaire": QT_TRANSLATE_NOOP("Kinds", "Questionnaires"),
        "family_history": QT_TRANSLATE_NOOP("Kinds", "Family history"),
        "specimen": QT_TRANSLATE_NOOP("Kinds", "Specimens"),
        "claim": QT_TRANSLATE_NOOP("Kinds", "Claims"),
    },
)
KIND_SINGULAR: dict[str, str] = _Translated(
    "Kind",
    {
        "encounter": QT_TRANSLATE_NOOP("Kind", "Visit"),
        "observation": QT_TRANSLATE_NOOP("Kind", "Result"),
        "diagnostic_report": QT_TRANSLATE_NOOP("Kind", "Report"),
        "document": QT_TRANSLATE_NOOP("Kind", "Document"),
        "medication": QT_TRANSLATE_NOOP("Kind", "Medication"),
        "immunization": QT_TRANSLATE_NOOP("Kind", "Immunization"),
        "allergy": QT_TRANSLATE_NOOP("Kind", "Allergy"),
        "condition": QT_TRANSLATE_NOOP("Kind", "Condition"),
        "procedure": QT_TRANSLATE_NOOP("Kind", "Procedure"),
        "care_plan": QT_TRANSLATE_NOOP("Kind", "Care plan"),
        "goal": QT_TRANSLATE_NOOP("Kind", "Goal"),
        "care_team": QT_TRANSLATE_NOOP("Kind", "Care team"),
        "order": QT_TRANSLATE_NOOP("Kind", "Order"),
        "appointment": QT_TRANSLATE_NOOP("Kind", "Appointment"),
        "coverage": QT_TRANSLATE_NOOP("Kind", "Coverage"),
        "dispense": QT_TRANSLATE_NOOP("Kind", "Pharmacy fill"),
        "device": QT_TRANSLATE_NOOP("Kind", "Device"),
        "provenance": QT_TRANSLATE_NOOP("Kind", "Record source"),
        "questionnaire": QT_TRANSLATE_NOOP("Kind", "Questionnaire"),
        "family_history": QT_TRANSLATE_NOOP("Kind", "Family history"),
        "specimen": QT_TRANSLATE_NOOP("Kind", "Specimen"),
        "claim": QT_TRANSLATE_NOOP("Kind", "Claim"),
    },
)
# One hue per kind; chosen to stay readable as a white glyph background in light and dark themes.
KIND_COLORS: dict[str, str] = {
    "encounter": "#2f6fde",
    "observation": "#0f9d8a",
    "diagnostic_report": "#6a4fd8",
    "document": "#5b6b7f",
    "medication": "#d9730d",
    "immunization": "#2e9d45",
    "allergy": "#d93a3a",
    "condition": "#c2408f",
    "procedure": "#8a6d1f",
    "care_plan": "#1f7a6d",
    "goal": "#3f8f2f",
    "care_team": "#4a5fb0",
    "order": "#a05a12",
    "appointment": "#1d6fa5",
    "coverage": "#52607a",
    "dispense": "#c0621a",
    "device": "#6b6f2a",
    "provenance": "#707070",
    "questionnaire": "#7d4bb3",
    "family_history": "#a8456b",
    "specimen": "#2f8c8c",
    "claim": "#8c5a2f",
}
PERSON_COLORS = ("#2f6fde", "#c2408f", "#0f9d8a", "#d9730d", "#6a4fd8", "#2e9d45", "#b5442d", "#3d7d99")


def person_color(index: int, stored: str | None = None) -> QColor:
    return QColor(stored) if stored else QColor(PERSON_COLORS[index % len(PERSON_COLORS)])


def initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalpha()]
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


@cache
def _renderer(name: str) -> QSvgRenderer:
    return QSvgRenderer(str(ICON_DIR / f"{name}.svg"))


def tinted(name: str, color: QColor | str, size: int, dpr: float = 2.0) -> QPixmap:
    """The SVG ``name`` in one colour, ``size`` logical pixels square."""
    return _tinted(name, QColor(color).name(QColor.NameFormat.HexArgb), size, dpr)


@cache
def _tinted(name: str, color: str, size: int, dpr: float) -> QPixmap:
    px = round(size * dpr)
    img = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(name).render(p, QRectF(0, 0, px, px))
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    p.fillRect(img.rect(), QColor(color))
    p.end()
    pm = QPixmap.fromImage(img)
    pm.setDevicePixelRatio(dpr)
    return pm


def icon(name: str, color: QColor | str = "#5b6270") -> QIcon:
    ic = QIcon()
    for size in (16, 20, 24, 32):
        ic.addPixmap(tinted(name, color, size, 2.0))
    return ic


@cache
def kind_badge(kind: str, size: int = 30, dpr: float = 2.0) -> QPixmap:
    """A rounded square in the kind's colour with the white glyph: the timeline row icon."""
    px = round(size * dpr)
    img = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(KIND_COLORS.get(kind, "#5b6b7f")))
    p.drawRoundedRect(QRectF(0, 0, px, px), px * 0.28, px * 0.28)
    glyph = tinted(kind if (ICON_DIR / f"{kind}.svg").exists() else "document", "#ffffff", size, dpr)
    inset = px * 0.2
    p.drawPixmap(QRectF(inset, inset, px - 2 * inset, px - 2 * inset).toRect(), glyph)
    p.end()
    pm = QPixmap.fromImage(img)
    pm.setDevicePixelRatio(dpr)
    return pm


def kind_icon(kind: str) -> QIcon:
    return QIcon(kind_badge(kind))


@cache
def avatar(name: str, color: str, size: int = 28, dpr: float = 2.0) -> QPixmap:
    px = round(size * dpr)
    img = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    p.drawEllipse(QRectF(0, 0, px, px))
    f = QFont()
    f.setPixelSize(round(px * 0.4))
    f.setBold(True)
    p.setFont(f)
    p.setPen(QColor("#ffffff"))
    p.drawText(QRectF(0, 0, px, px), Qt.AlignmentFlag.AlignCenter, initials(name))
    p.end()
    pm = QPixmap.fromImage(img)
    pm.setDevicePixelRatio(dpr)
    return pm


def app_icon() -> QIcon:
    ic = QIcon()
    for s in (16, 32, 64, 128):
        ic.addPixmap(_app_pixmap(s))
    return ic


@cache
def _app_pixmap(size: int) -> QPixmap:
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#2f6fde"))
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    glyph = tinted("app", "#ffffff", size, 1.0)
    m = round(size * 0.15)
    p.drawPixmap(m, m, size - 2 * m, size - 2 * m, glyph)
    p.end()
    return QPixmap.fromImage(img)


ICON_SIZE = QSize(20, 20)
