"""The Claims view: what payers were billed (Blue Button 2.0 / CARIN claims synced from a payer portal),
with the visit each claim matches, and the billed visits the family has no records of."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.claims import ClaimRow
from . import fmt, icons
from .shell import Shell
from .views import View
from .widgets import EmptyState, muted, row_table, title_label

COLUMNS = (
    QT_TRANSLATE_NOOP("ClaimsView", "Date"),
    QT_TRANSLATE_NOOP("ClaimsView", "Person"),
    QT_TRANSLATE_NOOP("ClaimsView", "Provider"),
    QT_TRANSLATE_NOOP("ClaimsView", "What was billed"),
    QT_TRANSLATE_NOOP("ClaimsView", "Billed"),
    QT_TRANSLATE_NOOP("ClaimsView", "Plan paid"),
    QT_TRANSLATE_NOOP("ClaimsView", "Records"),
)
COL_DATE, COL_PERSON, COL_PROVIDER, COL_WHAT, COL_BILLED, COL_PAID, COL_RECORDS = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    """A QT_TRANSLATE_NOOP-marked text of this view, translated."""
    return QCoreApplication.translate("ClaimsView", text)


def money(value: float | None, currency: str) -> str:
    """An amount as the language writes it: '$1,840.00' in English, '1840,00 US$' in Spanish."""
    if value is None:
        return ""
    from PySide6.QtCore import QLocale

    loc = QLocale()
    if loc.language() in (QLocale.Language.English, QLocale.Language.C):
        return f"${value:,.2f}" if currency == "USD" else f"{value:,.2f} {currency}"
    return loc.toCurrencyString(value, "US$" if currency == "USD" else currency, 2)


def records_text(r: ClaimRow) -> str:
    """What the vault has of the billed visit, in the language in use (ClaimRow.records_text is the CLI's)."""
    if r.visit_title:
        return QCoreApplication.translate("ClaimsView", "Visit: {title}").format(title=r.visit_title)
    if r.has_records:
        return QCoreApplication.translate("ClaimsView", "Other records that day")
    return QCoreApplication.translate("ClaimsView", "No records of this visit")


class ClaimsView(View):
    title = QT_TRANSLATE_NOOP("Views", "Claims")  # the main window shows translate("Views", title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ClaimRow] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(title_label(QCoreApplication.translate("Views", "Claims")))
        self.summary = muted("")
        self.summary.setObjectName("ClaimsSummary")
        lay.addWidget(self.summary)
        self.table = row_table(
            tuple(_tr(c) for c in COLUMNS), "ClaimsTable", COL_WHAT, QAbstractItemView.SelectionMode.SingleSelection
        )
        self.table.setAccessibleName(self.tr("Claims"))
        self.table.setAccessibleDescription(self.tr("What your health plan was billed, one visit a row"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        for col, w in (
            (COL_DATE, 110),
            (COL_PERSON, 120),
            (COL_PROVIDER, 200),
            (COL_BILLED, 100),
            (COL_PAID, 100),
            (COL_RECORDS, 230),
        ):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState(
            self.tr(
                "No claims yet.\nAdd your health plan's portal (Medicare Blue Button, or your insurer's "
                "patient access API) under Portals & sources and sync it: each billed visit appears here."
            )
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        lay.addWidget(self.body, 1)

    def refresh(self) -> None:
        if self.ctx.records is None:
            return
        assert self.ctx.session is not None
        self.rows = self.ctx.session.claims.claims(self.ctx.person)
        self.table.setRowCount(len(self.rows))
        missing = 0
        for n, r in enumerate(self.rows):
            cells = (
                fmt.fmt_short(r.date),
                r.person,
                r.provider or "",
                "; ".join(r.services),
                money(r.billed, r.currency),
                money(r.paid, r.currency),
                records_text(r),
            )
            sentence = ", ".join(
                x
                for x in (
                    fmt.fmt_long(r.date),
                    r.person,
                    r.provider or "",
                    "; ".join(r.services),
                    cells[COL_BILLED],
                    cells[COL_RECORDS],
                )
                if x
            )
            for col, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(ID_ROLE, r.id)
                if col in (COL_BILLED, COL_PAID):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == COL_WHAT:
                    it.setIcon(icons.kind_icon("claim"))
                if col == COL_RECORDS and not r.has_records:
                    it.setForeground(QColor("#b5442d"))
                it.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
                self.table.setItem(n, col, it)
            missing += not r.has_records
        self.table.setColumnHidden(COL_PERSON, self.ctx.person is not None)
        billed = sum(r.billed or 0 for r in self.rows)
        n = len(self.rows)
        text = (
            self.tr("%n claim, {amount} billed.", "", n) if n == 1 else self.tr("%n claims, {amount} billed.", "", n)
        ).format(amount=money(billed, "USD"))
        if missing == 1:
            text += " " + self.tr("%n billed visit without any records: see Missing records.", "", missing)
        elif missing:
            text += " " + self.tr("%n billed visits without any records: see Missing records.", "", missing)
        else:
            text += " " + self.tr("Every billed visit has records.")
        self.summary.setText(text)
        self.body.setCurrentWidget(self.table if self.rows else self.empty)

    def clear(self) -> None:
        super().clear()
        self.rows = []
        self.table.setRowCount(0)


def install(shell: Shell) -> ClaimsView:
    """Add the Claims view to the sidebar (after the views already there); registered as "claims"."""
    view = ClaimsView()
    shell.add_view("claims", view, icon="claim")
    return shell.register("claims", view)
