"""Light, dark and high-contrast palettes that follow the system, plus the few style rules we add.

Fusion is used on every platform so the palettes render the same; the colours are ours.  The
high-contrast palettes (black on white, white on black, strong focus frame) are used when the system
asks for more contrast (Qt's accessibility hints, Qt 6.10+) or when ``MEDRECORDS_HIGH_CONTRAST=1``
(``0`` forces it off; for testing on systems that do not report the setting).  Colour is never the only
signal: abnormal results also carry their H/L flag as text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alt: str
    text: str
    muted: str
    border: str
    sidebar: str
    accent: str
    accent_text: str
    day_header: str
    abnormal: str
    banner_bg: str
    banner_text: str
    selection: str


LIGHT = Colors(
    window="#f4f5f7",
    base="#ffffff",
    alt="#f8f9fb",
    text="#1d2430",
    muted="#667085",
    border="#dfe3ea",
    sidebar="#eceef2",
    accent="#2f6fde",
    accent_text="#ffffff",
    day_header="#f1f3f6",
    abnormal="#c62828",
    banner_bg="#fff4d6",
    banner_text="#6b4e00",
    selection="#dce8fb",
)
DARK = Colors(
    window="#1e2127",
    base="#252930",
    alt="#2a2e36",
    text="#e6e8ec",
    muted="#9aa3b2",
    border="#383d47",
    sidebar="#1a1d22",
    accent="#5b8ff0",
    accent_text="#ffffff",
    day_header="#2c3139",
    abnormal="#ff6b6b",
    banner_bg="#4a3b10",
    banner_text="#ffe08a",
    selection="#2f4466",
)

# High contrast: pure black/white text, borders that show, a strong focus and selection colour.
CONTRAST_LIGHT = Colors(
    window="#ffffff",
    base="#ffffff",
    alt="#f0f0f0",
    text="#000000",
    muted="#1a1a1a",
    border="#000000",
    sidebar="#ffffff",
    accent="#0033aa",
    accent_text="#ffffff",
    day_header="#e8e8e8",
    abnormal="#a00000",
    banner_bg="#ffff00",
    banner_text="#000000",
    selection="#b8d0ff",
)
CONTRAST_DARK = Colors(
    window="#000000",
    base="#000000",
    alt="#141414",
    text="#ffffff",
    muted="#f0f0f0",
    border="#ffffff",
    sidebar="#000000",
    accent="#ffff00",
    accent_text="#000000",
    day_header="#1f1f1f",
    abnormal="#ff8080",
    banner_bg="#ffff00",
    banner_text="#000000",
    selection="#00397a",
)

_current: Colors = LIGHT


def colors() -> Colors:
    return _current


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def high_contrast() -> bool:
    """True when the system asks for more contrast, or ``MEDRECORDS_HIGH_CONTRAST=1`` says so."""
    env = os.environ.get("MEDRECORDS_HIGH_CONTRAST")
    if env in ("0", "1"):
        return env == "1"
    acc = getattr(QGuiApplication.styleHints(), "accessibility", None)  # Qt 6.10+
    if acc is None:
        return False
    return bool(acc().contrastPreference() == Qt.ContrastPreference.HighContrast)


def is_high_contrast() -> bool:
    """Whether the palette in use now is a high-contrast one."""
    return _current in (CONTRAST_LIGHT, CONTRAST_DARK)


def apply(app: QApplication, dark: bool | None = None) -> None:
    """Set the palette and style sheet; ``dark=None`` follows the system (and its contrast setting)."""
    global _current
    is_dark = system_is_dark() if dark is None else dark
    if high_contrast():
        _current = CONTRAST_DARK if is_dark else CONTRAST_LIGHT
    else:
        _current = DARK if is_dark else LIGHT
    c = _current
    app.setStyle("Fusion")
    pal = QPalette()
    role = QPalette.ColorRole
    for r, v in (
        (role.Window, c.window),
        (role.Base, c.base),
        (role.AlternateBase, c.alt),
        (role.Text, c.text),
        (role.WindowText, c.text),
        (role.Button, c.base),
        (role.ButtonText, c.text),
        (role.Highlight, c.accent),
        (role.HighlightedText, c.accent_text),
        (role.ToolTipBase, c.base),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.muted),
        (role.Link, c.accent),
        (role.Mid, c.border),
        (role.Midlight, c.border),
    ):
        pal.setColor(r, QColor(v))
    pal.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(c.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(c.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(c.muted))
    app.setPalette(pal)
    app.setStyleSheet(stylesheet(c) + (contrast_rules(c) if is_high_contrast() else ""))


def contrast_rules(c: Colors) -> str:
    """Extra rules for high contrast: visible borders and a thick focus frame on every control."""
    return f"""
    QPushButton, QToolButton, QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit {{
        border: 2px solid {c.border}; border-radius: 4px; padding: 3px 6px; }}
    QPushButton:focus, QToolButton:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus,
    QDateEdit:focus, QPlainTextEdit:focus, QCheckBox:focus, QListView:focus, QTreeView:focus,
    QTableView:focus, QTextBrowser:focus {{ border: 3px solid {c.accent}; }}
    QPushButton#Primary {{ border: 2px solid {c.text}; }}
    """


def stylesheet(c: Colors) -> str:
    return f"""
    #Sidebar {{ background: {c.sidebar}; border-right: 1px solid {c.border}; }}
    #Sidebar QListWidget {{ background: transparent; border: none; outline: none; }}
    #Sidebar QListWidget::item {{ padding: 6px 8px; border-radius: 6px; margin: 1px 6px; color: {c.text}; }}
    #Sidebar QListWidget::item:selected {{ background: {c.selection}; color: {c.text}; }}
    #Sidebar QListWidget::item:hover:!selected {{ background: {c.border}; }}
    #SidebarTitle {{ font-size: 15px; font-weight: 600; padding: 2px 0; }}
    #SectionLabel {{ color: {c.muted}; font-size: 11px; font-weight: 600; letter-spacing: 0.5px;
                     padding: 10px 14px 4px 14px; }}
    #DemoBanner {{ background: {c.banner_bg}; color: {c.banner_text}; padding: 6px 12px; font-weight: 600;
                   border-bottom: 1px solid {c.border}; }}
    #ViewTitle {{ font-size: 20px; font-weight: 600; }}
    #Muted {{ color: {c.muted}; }}
    #Card {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 8px; }}
    #CardTitle {{ font-size: 14px; font-weight: 600; }}
    #ErrorLabel {{ color: {c.abnormal}; font-weight: 600; }}
    #EmptyState {{ color: {c.muted}; font-size: 14px; }}
    #DetailTitle {{ font-size: 17px; font-weight: 600; }}
    #Welcome QLabel#Hero {{ font-size: 26px; font-weight: 600; }}
    #RecoveryCode {{ font-family: monospace; font-size: 20px; font-weight: 600; letter-spacing: 2px;
                     background: {c.base}; border: 1px dashed {c.accent}; border-radius: 6px;
                     padding: 12px; }}
    QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text}; border: none; border-radius: 6px;
                           padding: 7px 18px; font-weight: 600; }}
    QPushButton#Primary:disabled {{ background: {c.border}; color: {c.muted}; }}
    QPushButton#Primary:focus {{ border: 2px solid {c.text}; }}
    QToolBar {{ border-bottom: 1px solid {c.border}; spacing: 6px; padding: 4px 8px; }}
    QTableView, QListView, QTreeView, QTextBrowser {{ border: 1px solid {c.border}; border-radius: 6px; }}
    QTreeView::item {{ padding: 3px 2px; }}
    QListWidget#LabTests::item {{ padding: 5px 6px; }}
    QHeaderView::section {{ background: {c.alt}; border: none; border-bottom: 1px solid {c.border};
                            padding: 5px 8px; font-weight: 600; color: {c.muted}; }}
    """
