"""The Claims view: what payers were billed (Blue Button 2.0 / CARIN claims synced from a payer portal),
with the visit each claim matches, and the billed visits the family has no records of."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidgetItem,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.claims import ClaimRow, ClaimsService
from . import fmt, icons
from .views import View
from .widgets import EmptyState, muted, row_table, title_label

COLUMNS = ("Date", "Person", "Provider", "What was billed", "Billed", "Plan paid", "Records")
COL_DATE, COL_PERSON, COL_PROVIDER, COL_WHAT, COL_BILLED, COL_PAID, COL_RECORDS = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def money(value: float | None, currency: str) -> str:
    if value is None:
        return ""
    return f"${value:,.2f}" if currency == "USD" else f"{value:,.2f} {currency}"


class ClaimsView(View):
    title = "Claims"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ClaimRow] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(title_label("Claims"))
        self.summary = muted("")
        self.summary.setObjectName("ClaimsSummary")
        lay.addWidget(self.summary)
        self.table = row_table(COLUMNS, "ClaimsTable", COL_WHAT, QAbstractItemView.SelectionMode.SingleSelection)
        for col, w in ((COL_DATE, 110), (COL_PERSON, 120), (COL_PROVIDER, 200), (COL_BILLED, 100),
                       (COL_PAID, 100), (COL_RECORDS, 230)):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState(
            "No claims yet.\nAdd your health plan's portal (Medicare Blue Button, or your insurer's patient "
            "access API) under Portals & sources and sync it: each billed visit appears here."
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        lay.addWidget(self.body, 1)

    def refresh(self) -> None:
        if self.ctx.records is None:
            return
        self.rows = ClaimsService(self.ctx.records.vault).claims(self.ctx.person)
        self.table.setRowCount(len(self.rows))
        missing = 0
        for n, r in enumerate(self.rows):
            cells = (fmt.fmt_short(r.date), r.person, r.provider or "", "; ".join(r.services),
                     money(r.billed, r.currency), money(r.paid, r.currency), r.records_text)
            for col, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(ID_ROLE, r.id)
                if col in (COL_BILLED, COL_PAID):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == COL_WHAT:
                    it.setIcon(icons.kind_icon("claim"))
                if col == COL_RECORDS and not r.has_records:
                    it.setForeground(QColor("#b5442d"))
                self.table.setItem(n, col, it)
            missing += not r.has_records
        self.table.setColumnHidden(COL_PERSON, self.ctx.person is not None)
        billed = sum(r.billed or 0 for r in self.rows)
        self.summary.setText(
            f"{len(self.rows)} claim{'s' if len(self.rows) != 1 else ''}, {money(billed, 'USD')} billed. "
            + (f"{missing} billed visit{'s' if missing != 1 else ''} without any records: see Missing records."
               if missing else "Every billed visit has records.")
        )
        self.body.setCurrentWidget(self.table if self.rows else self.empty)

    def clear(self) -> None:
        super().clear()
        self.rows = []
        self.table.setRowCount(0)


def install(window: object) -> ClaimsView:
    """Add the Claims view to the main window's sidebar (after the views already there)."""
    from .models import PERSON_ROLE

    view = ClaimsView()
    view.setObjectName("claimsView")
    window.views["claims"] = view  # type: ignore[attr-defined]
    window.stack.addWidget(view)  # type: ignore[attr-defined]
    it = QListWidgetItem(icons.icon("claim", "#6b7280"), view.title)
    it.setData(PERSON_ROLE, "claims")
    lst = window.view_list  # type: ignore[attr-defined]
    lst.addItem(it)
    lst.setFixedHeight(sum(lst.sizeHintForRow(r) for r in range(lst.count())) + 12)
    return view
