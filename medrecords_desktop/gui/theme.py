"""Light and dark palettes that follow the system colour scheme, plus the few style rules we add.

Fusion is used on every platform so both palettes render the same; the colours are ours.
"""

from __future__ import annotations

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

_current: Colors = LIGHT


def colors() -> Colors:
    return _current


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply(app: QApplication, dark: bool | None = None) -> None:
    """Set the palette and style sheet; ``dark=None`` follows the system."""
    global _current
    _current = DARK if (system_is_dark() if dark is None else dark) else LIGHT
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
    app.setStyleSheet(stylesheet(c))


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
    QToolBar {{ border-bottom: 1px solid {c.border}; spacing: 6px; padding: 4px 8px; }}
    QTableView, QListView, QTreeView, QTextBrowser {{ border: 1px solid {c.border}; border-radius: 6px; }}
    QTreeView::item {{ padding: 3px 2px; }}
    QListWidget#LabTests::item {{ padding: 5px 6px; }}
    QHeaderView::section {{ background: {c.alt}; border: none; border-bottom: 1px solid {c.border};
                            padding: 5px 8px; font-weight: 600; color: {c.muted}; }}
    """
