"""Review lab results read from a document before they enter the record.

The proposals come from ``services.labreport`` (the document's text, or its pages recognised on this
computer).  The table is editable: a tick per row (keep it or not), test, LOINC, value, unit, range,
flag and date; cells the reader was unsure of are highlighted until someone edits them.  Confirm writes
the kept rows through ``confirm_results`` (linked back to the document), and the labs chart shows them.

The model reaches the rows only through attribute names (name, loinc, value, value_text, unit, low,
high, flag, date, line, confidence), so it works with whatever class the reader returns.
"""

from __future__ import annotations

import copy
import importlib
from types import ModuleType
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.session import SessionSource, session_of
from . import fmt, ops, theme
from .records_common import error_label, show_error
from .widgets import muted

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    QT_TRANSLATE_NOOP("ReviewResults", "Keep"),
    QT_TRANSLATE_NOOP("ReviewResults", "Test"),
    QT_TRANSLATE_NOOP("ReviewResults", "LOINC"),
    QT_TRANSLATE_NOOP("ReviewResults", "Value"),
    QT_TRANSLATE_NOOP("ReviewResults", "Unit"),
    QT_TRANSLATE_NOOP("ReviewResults", "Low"),
    QT_TRANSLATE_NOOP("ReviewResults", "High"),
    QT_TRANSLATE_NOOP("ReviewResults", "Flag"),
    QT_TRANSLATE_NOOP("ReviewResults", "Date"),
)


def _NOT_AVAILABLE() -> str:  # noqa: N802 - reads as the message it is
    return translate("ReviewResults", "Reading results from documents is not available in this build.")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewResults", text)


COL_KEEP, COL_TEST, COL_LOINC, COL_VALUE, COL_UNIT, COL_LOW, COL_HIGH, COL_FLAG, COL_DATE = range(len(COLUMNS))

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
_ATTR = {
    COL_TEST: "name",
    COL_LOINC: "loinc",
    COL_UNIT: "unit",
    COL_FLAG: "flag",
    COL_DATE: "date",
    COL_LOW: "low",
    COL_HIGH: "high",
}
LOW_CONFIDENCE = 0.95  # below this (anything but an exact or near-exact read) the cells are highlighted
_CHECKED = (COL_TEST, COL_VALUE, COL_UNIT)


def labreport() -> ModuleType | None:
    """The lab-report reader, when this build has it."""
    try:
        return importlib.import_module("medrecords_desktop.services.labreport")
    except ImportError:
        return None


def propose_for_document(session: SessionSource, document_id: str) -> list[Any]:
    mod = labreport()
    if mod is None:
        raise MedRecordsError(_NOT_AVAILABLE())
    return session_of(session).lab_results_from_document(document_id)


def confirm_rows(session: SessionSource, document_id: str, rows: list[Any]) -> list[str]:
    """Write the kept rows (a write: call it inside an op's work)."""
    mod = labreport()
    if mod is None:
        raise MedRecordsError(_NOT_AVAILABLE())
    return session_of(session).confirm_lab_results(document_id, rows)


def _num(text: str) -> float | None:
    return float(text.replace(",", "."))


class ProposedRowsModel(QAbstractTableModel):
    """The proposals as an editable table; each row is a copy, so Cancel leaves the reader's rows alone."""

    def __init__(self, rows: list[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = [copy.copy(r) for r in rows]
        self._keep = [True] * len(self._rows)
        self._edited: set[tuple[int, int]] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_KEEP:
            return f | Qt.ItemFlag.ItemIsUserCheckable
        return f | Qt.ItemFlag.ItemIsEditable

    def text(self, row: int, col: int) -> str:
        r = self._rows[row]
        if col == COL_VALUE:
            v = getattr(r, "value", None)
            return fmt.fmt_num(v) if v is not None else (getattr(r, "value_text", None) or "")
        if col in (COL_LOW, COL_HIGH):
            v = getattr(r, _ATTR[col], None)
            return fmt.fmt_num(v) if v is not None else ""
        if col in _ATTR:
            return str(getattr(r, _ATTR[col], None) or "")
        return ""

    def low_confidence(self, row: int) -> bool:
        conf = getattr(self._rows[row], "confidence", 1.0)
        return conf is not None and float(conf) < LOW_CONFIDENCE

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_KEEP:
            return Qt.CheckState.Checked if self._keep[row] else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) and col != COL_KEEP:
            return self.text(row, col)
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and col in _CHECKED
            and self.low_confidence(row)
            and (row, col) not in self._edited
        ):
            return QColor(theme.colors().banner_bg)
        if role == Qt.ItemDataRole.ForegroundRole and not self._keep[row]:
            return QColor(theme.colors().muted)
        if role == Qt.ItemDataRole.FontRole and col == COL_FLAG and self.text(row, col) not in ("", "N"):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            r = self._rows[row]
            conf = getattr(r, "confidence", None)
            line = getattr(r, "line", "") or ""
            tip = translate("ReviewResults", "Read as: {line}").format(line=line) if line else ""
            if conf is not None:
                percent = f"{float(conf):.0%}"
                tip += (
                    "\n"
                    + translate("ReviewResults", "Confidence {percent}").format(percent=percent)
                    + (translate("ReviewResults", " — please check") if self.low_confidence(row) else "")
                )
            return tip.strip() or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, col = index.row(), index.column()
        if col == COL_KEEP and role == Qt.ItemDataRole.CheckStateRole:
            self._keep[row] = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return True
        if role != Qt.ItemDataRole.EditRole or col == COL_KEEP:
            return False
        text = str(value).strip()
        r = self._rows[row]
        try:
            if col == COL_VALUE:
                try:
                    r.value, r.value_text = _num(text), None
                except ValueError:
                    r.value, r.value_text = None, text or None
            elif col in (COL_LOW, COL_HIGH):
                setattr(r, _ATTR[col], _num(text) if text else None)
            else:
                setattr(r, _ATTR[col], text or None)
        except ValueError:
            return False  # a range limit must be a number: the edit is refused, the old value stays
        self._edited.add((row, col))
        self.dataChanged.emit(index, index)
        return True

    def kept(self) -> list[Any]:
        return [r for r, k in zip(self._rows, self._keep, strict=True) if k]

    def row(self, n: int) -> Any:
        return self._rows[n]


class ReviewResultsDialog(QDialog):
    """The review table beside the document's text; Confirm writes the kept rows."""

    confirmed = Signal(list)  # the observation ids written

    def __init__(
        self,
        session: SessionSource,
        document_id: str,
        rows: list[Any],
        title: str = "",
        text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session_of(session)
        self.document_id = document_id
        self.ids: list[str] = []
        self.op: ops.Op | None = None
        self.setObjectName("ReviewResultsDialog")
        self.setWindowTitle(self.tr("Review results"))
        self.resize(1100, 620)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        head = QLabel(
            self.tr("Results read from “{title}”").format(title=title)
            if title
            else self.tr("Results read from the document")
        )
        head.setObjectName("DetailTitle")
        lay.addWidget(head)
        lay.addWidget(
            muted(
                self.tr(
                    "Check each row against the document. Highlighted cells were hard to read; "
                    "double-click a cell (or press F2) to fix it, untick rows that are not results. "
                    "Nothing is saved until you confirm."
                )
            )
        )
        self.model = ProposedRowsModel(rows, self)
        self.table = QTableView()
        self.table.setObjectName("ReviewTable")
        self.table.setAccessibleName(self.tr("Results read from the document"))
        self.table.setAccessibleDescription(self.tr("Space ticks or unticks a row; F2 edits a cell"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionResizeMode(COL_TEST, QHeaderView.ResizeMode.Stretch)
        for col, w in (
            (COL_KEEP, 58),
            (COL_LOINC, 80),
            (COL_VALUE, 80),
            (COL_UNIT, 90),
            (COL_LOW, 60),
            (COL_HIGH, 60),
            (COL_FLAG, 48),
            (COL_DATE, 150),
        ):
            self.table.setColumnWidth(col, w)
        split = QSplitter()
        split.addWidget(self.table)
        self.text = QPlainTextEdit()
        self.text.setObjectName("DocumentText")
        self.text.setAccessibleName(self.tr("The document's text"))
        self.text.setTabChangesFocus(True)
        self.text.setReadOnly(True)
        # a monospaced font keeps the printed columns of the report lined up
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText(text or "")
        self.text.setVisible(bool(text))
        split.addWidget(self.text)
        split.setSizes([700, 420])
        lay.addWidget(split, 1)
        self.count = muted()
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_btn = bb.addButton(self.tr("Confirm"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_btn.setObjectName("Primary")
        bb.accepted.connect(self.confirm)
        bb.rejected.connect(self.reject)
        row.addWidget(bb)
        lay.addLayout(row)
        self.table.setCurrentIndex(QModelIndex())
        self.model.dataChanged.connect(self._count)
        self._count()
        if not rows:
            show_error(self.error, self.tr("No lab results were found in this document."))
            self.confirm_btn.setEnabled(False)

    def _count(self) -> None:
        n = len(self.model.kept())
        self.count.setText(self.tr("%n of {total} rows will be added.", "", n).format(total=self.model.rowCount()))

    def confirm(self) -> bool:
        rows = self.model.kept()
        if not rows:
            show_error(self.error, self.tr("Tick at least one row, or Cancel."))
            return False
        session, document_id = self.session, self.document_id

        def work(_ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of(ops.RECORDS, confirm_rows(session, document_id, rows))

        def done(changed: ops.Changed) -> None:
            self.ids = list(changed.value)
            self.confirmed.emit(self.ids)
            self.accept()

        self.confirm_btn.setEnabled(False)

        def failed(e: BaseException) -> None:
            self.confirm_btn.setEnabled(True)
            show_error(self.error, ops.friendly(e))

        self.op = ops.write(self, work).success(done).failure(failed).run()
        return True
