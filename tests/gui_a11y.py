"""Which GUI files are accessible and translated, and the checks the accessibility/i18n tests share.

Issue 24 converts the GUI file by file.  A file is *converted* when every user-visible string in it goes
through Qt's translation (``tr``/``translate``/``QT_TRANSLATE_NOOP``), its strings are translated in
``resources/i18n/*.ts``, and its windows give every interactive widget an accessible name.  To convert
another file: move it from NOT_YET_CONVERTED to CONVERTED, add a factory for each of its windows to
WINDOWS in tests/test_gui_accessibility.py, run ``scripts/update-translations`` and translate the new
strings.  NOT_YET_CONVERTED may only
shrink (tests/test_gui_i18n.py checks it against the list frozen when issue 24 began).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

GUI = Path(__file__).resolve().parents[1] / "medrecords_desktop" / "gui"

# gui/ files whose strings and widgets are done (paths relative to gui/).
CONVERTED = frozenset(
    {
        "__init__.py",
        "a11y.py",
        "access_view.py",
        "app.py",
        "audit_view.py",
        "claims_view.py",
        "devices_view.py",
        "entry_forms.py",
        "ext_records.py",
        "ext_sharing.py",
        "fmt.py",
        "focus_ring.py",
        "help_dialog.py",
        "i18n.py",
        "immunizations_view.py",
        "main_window.py",
        "prewarm.py",
        "import_dialog.py",
        "icons.py",
        "item_detail.py",
        "missing_view.py",
        "models.py",
        "ops.py",
        "packet_dialog.py",
        "people_menu.py",
        "portals_view.py",
        "records_common.py",
        "review_results.py",
        "search.py",
        "sentences.py",
        "settings.py",
        "shell.py",
        "theme.py",
        "trash_view.py",
        "unlock.py",
        "viewer.py",
        "widgets.py",
        "wrong_person.py",
        "views/__init__.py",
        "views/documents.py",
        "views/encounters.py",
        "views/imports.py",
        "views/labs.py",
        "views/medications.py",
        "views/timeline.py",
    }
)
# Not yet converted (issue 24: other sessions were editing them when the foundation was laid).
# This set may only shrink: convert a file, then move it to CONVERTED.
NOT_YET_CONVERTED: frozenset[str] = frozenset()


def gui_files() -> set[str]:
    return {p.relative_to(GUI).as_posix() for p in GUI.rglob("*.py") if "__pycache__" not in p.parts}


# --------------------------------------------------------------------------- strings outside tr()
# Calls whose string arguments a person reads.  Methods (any receiver) and constructors/helpers.
TEXT_METHODS = frozenset(
    {
        "setText",
        "setWindowTitle",
        "setToolTip",
        "setStatusTip",
        "setWhatsThis",
        "setPlaceholderText",
        "setAccessibleName",
        "setAccessibleDescription",
        "setSpecialValueText",
        "setSuffix",
        "setPrefix",
        "setHeaderLabels",
        "setHorizontalHeaderLabels",
        "setVerticalHeaderLabels",
        "setLabelText",
        "setTitle",
        "setPlainText",
        "setMarkdown",
        "setHtml",
        "setTabText",
        "setItemText",
        "addItem",
        "addItems",
        "insertItem",
        "addAction",
        "addMenu",
        "addButton",
        "addTab",
        "addRow",
        "showMessage",
        "show_text",
        "information",
        "warning",
        "critical",
        "question",
        "getSaveFileName",
        "getOpenFileName",
        "getOpenFileNames",
        "getExistingDirectory",
    }
)
TEXT_CONSTRUCTORS = frozenset(
    {
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QToolButton",
        "QGroupBox",
        "QAction",
        "QMenu",
        "QMessageBox",
        "QTreeWidgetItem",
        "QListWidgetItem",
        "QTableWidgetItem",
        "QLineEdit",
        "EmptyState",
        "title_label",
        "muted",
        "_pill",
        "_primary",
        "_line",
        "show_error",
        "OptionalDate",
        "ItemDetail",
    }
)
# Literals that are the same in every language (units, codes, product names).
SAME_IN_EVERY_LANGUAGE = frozenset({"mmHg", "LOINC", "CVX", ".pdf", "MedRecords", "MedRecords Vault"})


@dataclass(frozen=True)
class Literal:
    file: str
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.call}({self.text!r})"


def _has_words(text: str) -> bool:
    text = re.sub(r"<[^>]*>", "", text)  # HTML markup is not words
    return any(c.isalpha() for c in text) and text.strip() not in SAME_IN_EVERY_LANGUAGE


def _literals(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """String literals a person would read in an argument expression (not those inside a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if _has_words(node.value):
            yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        if _has_words(text):
            yield node, text
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for e in node.elts:
            yield from _literals(e)
    elif isinstance(node, ast.Call):
        f = node.func
        # "literal {x}".format(...) and "literal".join(...) are still literals; tr()/translate() are not.
        if isinstance(f, ast.Attribute) and f.attr in ("format", "lower", "upper", "capitalize", "strip"):
            yield from _literals(f.value)


def _call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def untranslated_literals(path: Path) -> list[Literal]:
    """Every user-visible string literal passed to a Qt text setter/constructor outside tr()/translate()."""
    tree = ast.parse(path.read_text("utf-8"))
    rel = path.relative_to(GUI).as_posix() if path.is_relative_to(GUI) else path.name
    out: list[Literal] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name not in TEXT_METHODS and name not in TEXT_CONSTRUCTORS:
            continue
        args = list(node.args) + [k.value for k in node.keywords if k.arg not in ("objectName",)]
        for a in args:
            for lit, text in _literals(a):
                out.append(Literal(rel, getattr(lit, "lineno", node.lineno), name, text))
    return out


# --------------------------------------------------------------------------- accessible names
def interactive_classes() -> tuple[type, ...]:
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSlider,
        QAbstractSpinBox,
        QCalendarWidget,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    return (
        QAbstractButton,
        QLineEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
        QPlainTextEdit,
        QTextEdit,
        QAbstractSlider,
        QCalendarWidget,
        QPdfView,
    )


def _compound() -> tuple[type, ...]:
    """Widgets whose inner parts (a combo's line edit, a view's corner button) are theirs, not ours."""
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QAbstractSpinBox,
        QCalendarWidget,
        QComboBox,
        QLineEdit,
        QScrollBar,
    )

    return (QComboBox, QAbstractSpinBox, QCalendarWidget, QAbstractItemView, QLineEdit, QPdfView, QScrollBar)


def interactive_widgets(root) -> list:  # noqa: ANN001 - QWidget
    """``root`` and its descendants a person operates, without the parts of compound widgets."""
    from PySide6.QtWidgets import QMenu, QScrollBar, QWidget

    classes, compound = interactive_classes(), _compound()
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, (QScrollBar, QMenu)) or not isinstance(w, classes):
            continue
        p = w.parentWidget()
        inner = False
        while p is not None and p is not root.parentWidget():
            if isinstance(p, compound):
                inner = True
                break
            p = p.parentWidget()
        if not inner:
            out.append(w)
    return out


def accessible_name(w) -> str:  # noqa: ANN001 - QWidget
    """What a screen reader announces as the widget's name."""
    from PySide6.QtGui import QAccessible

    iface = QAccessible.queryAccessibleInterface(w)
    return (iface.text(QAccessible.Text.Name) if iface is not None else "") or ""


def _has_buddy(w) -> bool:  # noqa: ANN001
    from PySide6.QtWidgets import QLabel

    top = w.window()
    return any(lab.buddy() is w and lab.text().strip() for lab in top.findChildren(QLabel))


def unnamed(root) -> list[str]:  # noqa: ANN001 - QWidget
    """Interactive widgets under ``root`` without an accessible name, described for a failure message."""
    from PySide6.QtWidgets import QAbstractItemView, QComboBox

    bad = []
    for w in interactive_widgets(root):
        name = accessible_name(w).strip()
        # A combo's fallback name is its current item and a list has none: both need a real name.
        if isinstance(w, (QComboBox, QAbstractItemView)) and not (w.accessibleName().strip() or _has_buddy(w)):
            name = ""
        if not name:
            bad.append(f"{type(w).__name__} objectName={w.objectName()!r} in {type(root).__name__}")
    return bad


WindowFactory = Callable[..., object]
