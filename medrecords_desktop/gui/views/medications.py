"""Medications with allergies, conditions and immunizations: four lists side by side, newest first."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import fmt, theme
from ..icons import kind_badge
from ..widgets import title_label
from . import View

# (kind, card title, columns, how to fill a row from (row.data, row))
SECTIONS = (
    (
        "medication",
        QT_TRANSLATE_NOOP("MedicationsView", "Medications"),
        (
            QT_TRANSLATE_NOOP("MedicationsView", "Medication"),
            QT_TRANSLATE_NOOP("MedicationsView", "Dose"),
            QT_TRANSLATE_NOOP("MedicationsView", "Since"),
            QT_TRANSLATE_NOOP("MedicationsView", "Status"),
        ),
    ),
    (
        "allergy",
        QT_TRANSLATE_NOOP("MedicationsView", "Allergies"),
        (
            QT_TRANSLATE_NOOP("MedicationsView", "Allergy"),
            QT_TRANSLATE_NOOP("MedicationsView", "Reaction"),
            QT_TRANSLATE_NOOP("MedicationsView", "Severity"),
            QT_TRANSLATE_NOOP("MedicationsView", "Since"),
        ),
    ),
    (
        "condition",
        QT_TRANSLATE_NOOP("MedicationsView", "Conditions"),
        (
            QT_TRANSLATE_NOOP("MedicationsView", "Condition"),
            QT_TRANSLATE_NOOP("MedicationsView", "Status"),
            QT_TRANSLATE_NOOP("MedicationsView", "Since"),
        ),
    ),
    (
        "immunization",
        QT_TRANSLATE_NOOP("MedicationsView", "Immunizations"),
        (
            QT_TRANSLATE_NOOP("MedicationsView", "Vaccine"),
            QT_TRANSLATE_NOOP("MedicationsView", "Date"),
            QT_TRANSLATE_NOOP("MedicationsView", "Lot"),
        ),
    ),
)
LIMIT = 500
# Coded statuses and severities as a person reads them (the code is capitalised when unknown).
_WORDS = (
    QT_TRANSLATE_NOOP("Status", "Active"),
    QT_TRANSLATE_NOOP("Status", "Stopped"),
    QT_TRANSLATE_NOOP("Status", "Completed"),
    QT_TRANSLATE_NOOP("Status", "Resolved"),
    QT_TRANSLATE_NOOP("Status", "Inactive"),
    QT_TRANSLATE_NOOP("Status", "On-hold"),
    QT_TRANSLATE_NOOP("Status", "Intended"),
    QT_TRANSLATE_NOOP("Status", "Remission"),
    QT_TRANSLATE_NOOP("Status", "Recurrence"),
    QT_TRANSLATE_NOOP("Status", "Mild"),
    QT_TRANSLATE_NOOP("Status", "Moderate"),
    QT_TRANSLATE_NOOP("Status", "Severe"),
)


def _word(code: str | None) -> str:
    """'active' -> 'Active' ('Activo'): a status or severity code in words."""
    return QCoreApplication.translate("Status", (code or "").capitalize()) if code else ""


def _tr(text: str) -> str:
    return QCoreApplication.translate("MedicationsView", text)


def _fit_columns(tree: QTreeWidget) -> None:
    """The name column takes the spare width; with large text or a narrow window the other columns
    share what is left (never narrower than their heading; long values elided, full text in tooltips)."""
    hdr = tree.header()
    n = tree.columnCount()
    hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    width = tree.viewport().width()
    fm = hdr.fontMetrics()
    head = tree.headerItem()
    heads = {c: fm.horizontalAdvance(head.text(c)) + 24 for c in range(n)}
    wanted = {c: max(tree.sizeHintForColumn(c), heads[c]) for c in range(1, n)}
    need = max(heads[0] + 8, min(tree.sizeHintForColumn(0) + 16, int(width * 0.45)))
    room = width - need
    if n <= 1 or width <= 0 or sum(wanted.values()) <= room:
        for c in range(1, n):
            hdr.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        return
    left, k = room, len(wanted)
    for c, w in sorted(wanted.items(), key=lambda kv: kv[1]):  # narrow columns first, the rest share
        size = max(min(w, left // k), heads[c])
        hdr.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        hdr.resizeSection(c, size)
        left, k = left - size, k - 1


class MedicationsView(View):
    title = QT_TRANSLATE_NOOP("Views", "Medications")  # the main window shows translate("Views", title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(title_label(self.tr("Medications, allergies, conditions and immunizations")))
        grid = QGridLayout()
        grid.setSpacing(12)
        self.trees: dict[str, QTreeWidget] = {}
        self.counts: dict[str, QLabel] = {}
        for n, (kind, title, cols) in enumerate(SECTIONS):
            card = QWidget()
            card.setObjectName("Card")
            card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            cl = QVBoxLayout(card)
            cl.setContentsMargins(12, 10, 12, 12)
            head = QHBoxLayout()
            badge = QLabel()
            badge.setPixmap(kind_badge(kind, 24))
            t = QLabel(_tr(title))
            t.setObjectName("CardTitle")
            cnt = QLabel()
            cnt.setObjectName("Muted")
            head.addWidget(badge)
            head.addWidget(t)
            head.addStretch(1)
            head.addWidget(cnt)
            cl.addLayout(head)
            tree = QTreeWidget()
            tree.setObjectName(f"{kind}List")
            tree.setHeaderLabels([_tr(c) for c in cols])
            tree.setAccessibleName(_tr(title))
            tree.setRootIsDecorated(False)
            tree.setUniformRowHeights(True)
            tree.setAlternatingRowColors(True)
            tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            tree.header().setStretchLastSection(False)
            cl.addWidget(tree)
            self.trees[kind] = tree
            self.counts[kind] = cnt
            grid.addWidget(card, n // 2, n % 2)
        lay.addLayout(grid, 1)

    def refresh(self) -> None:
        assert self.ctx.records is not None
        red = QBrush(QColor(theme.colors().abnormal))
        muted = QBrush(QColor(theme.colors().muted))
        show_person = self.ctx.person is None and len(self.ctx.people) > 1
        for kind, _title, cols in SECTIONS:
            tree = self.trees[kind]
            tree.clear()
            tree.setHeaderLabels([_tr(c) for c in cols] + ([self.tr("Person")] if show_person else []))
            entries = self.ctx.records.timeline(self.ctx.person, kinds=[kind], limit=LIMIT)
            for e in entries:
                d = e.row.data
                since = fmt.fmt_short(e.row.date)
                if kind == "medication":
                    vals = [e.row.title, d.get("dose") or "", since, _word(e.row.status)]
                elif kind == "allergy":
                    vals = [
                        e.row.title,
                        d.get("reaction") or "",
                        _word(d.get("severity")),
                        since,
                    ]
                elif kind == "condition":
                    vals = [e.row.title, _word(d.get("clinical_status") or e.row.status), since]
                else:
                    vals = [e.row.title, since, d.get("lot") or ""]
                if show_person:
                    vals.append(self.ctx.name_of(e.person_id))
                node = QTreeWidgetItem(vals)
                for col, text in enumerate(vals):  # cells may be elided when space is short
                    node.setToolTip(col, text)
                if kind == "allergy" and (d.get("criticality") == "high" or d.get("severity") == "severe"):
                    node.setForeground(0, red)
                    node.setForeground(2, red)
                    # Red is not the only signal: the words say it too (tooltip and screen readers).
                    warn = self.tr("High risk")
                    node.setToolTip(0, f"{e.row.title} — {warn}")
                    node.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{e.row.title}, {warn}")
                    if not vals[2]:
                        node.setText(2, warn)
                if kind == "medication" and (e.row.status or "active") not in ("active", ""):
                    for col in range(len(vals)):
                        node.setForeground(col, muted)
                tree.addTopLevelItem(node)
            self.counts[kind].setText(f"{len(entries)}" if entries else self.tr("none recorded"))
            _fit_columns(tree)
            if not entries:
                hint = QTreeWidgetItem([self.tr("Nothing recorded yet.")])
                hint.setForeground(0, muted)
                hint.setFlags(Qt.ItemFlag.NoItemFlags)
                tree.addTopLevelItem(hint)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        for tree in self.trees.values():
            _fit_columns(tree)

    def clear(self) -> None:
        super().clear()
        for tree in self.trees.values():
            tree.clear()
        for lab in self.counts.values():
            lab.clear()

    def titles(self, kind: str) -> list[str]:
        tree = self.trees[kind]
        nodes = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        return [n.text(0) for n in nodes if n is not None and n.flags() != Qt.ItemFlag.NoItemFlags]
