"""Encounter browser: visits filtered by date, person and provider; a visit's linked items; open any one.

"Filter by date, open the visit, open the exact document" is three clicks: the date range, the row,
the document in the visit's list (it opens in the viewer below the list).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.records import EncounterDetail, Entry
from .. import fmt, theme
from ..a11y import AccessibleEncounterModel, row_sentence
from ..icons import KIND_LABELS, kind_icon
from ..models import (
    COL_DATE,
    COL_ITEMS,
    COL_PERSON,
    COL_PROVIDER,
    COL_VISIT,
    EncounterModel,
    EncounterQuery,
    Roles,
)
from ..widgets import DateRangeBar, EmptyState, ItemDetail, muted, title_label
from . import View

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
_ORDER = (
    "document",
    "diagnostic_report",
    "observation",
    "medication",
    "procedure",
    "immunization",
    "condition",
    "allergy",
)


class EncountersView(View):
    title = QT_TRANSLATE_NOOP("Views", "Encounters")  # the main window shows translate("Views", title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: EncounterModel = AccessibleEncounterModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Encounters")))
        top.addStretch(1)
        self.dates = DateRangeBar()
        self.provider = QLineEdit()
        self.provider.setObjectName("ProviderFilter")
        self.provider.setPlaceholderText(self.tr("Provider or clinic"))
        self.provider.setAccessibleName(self.tr("Filter by provider or clinic"))
        self.provider.setClearButtonEnabled(True)
        self.provider.setMinimumWidth(180)
        top.addWidget(self.dates)
        top.addWidget(self.provider)
        lay.addLayout(top)
        split = QSplitter()
        self.table = QTableView()
        self.table.setObjectName("EncounterTable")
        self.table.setAccessibleName(self.tr("Visits"))
        self.table.setAccessibleDescription(self.tr("Newest first; select one to see what is linked to it"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between visits
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(COL_DATE, QHeaderView.ResizeMode.ResizeToContents)  # dates differ by language
        hh.setSectionResizeMode(COL_VISIT, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(COL_PROVIDER, QHeaderView.ResizeMode.Stretch)
        hh.setHighlightSections(False)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)  # read from the start
        for col, w in ((COL_DATE, 178), (COL_PROVIDER, 190), (COL_PERSON, 120), (COL_ITEMS, 52)):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState("")
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)
        split.addWidget(self.table_stack)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        self.head = QLabel()
        self.head.setObjectName("DetailTitle")
        self.head.setWordWrap(True)
        self.head_sub = muted()
        self.head_sub.setWordWrap(True)
        rl.addWidget(self.head)
        rl.addWidget(self.head_sub)
        self.tree = QTreeWidget()
        self.tree.setObjectName("EncounterItems")
        self.tree.setHeaderLabels([self.tr("Linked to this visit"), self.tr("Result")])
        self.tree.setAccessibleName(self.tr("Linked to this visit"))
        self.tree.setColumnWidth(0, 330)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.item_detail = ItemDetail(empty_text=self.tr("Click a document or result above to open it here."))
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(self.tree)
        vsplit.addWidget(self.item_detail)
        vsplit.setStretchFactor(0, 1)
        vsplit.setStretchFactor(1, 3)
        vsplit.setSizes([290, 450])
        rl.addWidget(vsplit, 1)
        self.right_stack = QStackedWidget()
        self.no_visit = EmptyState(self.tr("Select a visit to see everything linked to it."))
        self.right_stack.addWidget(self.no_visit)
        self.right_stack.addWidget(right)
        split.addWidget(self.right_stack)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 480])
        self._split = split
        self._sized = False
        lay.addWidget(split, 1)
        self.detail: EncounterDetail | None = None
        self._provider_timer = QTimer(self)
        self._provider_timer.setSingleShot(True)
        self._provider_timer.setInterval(300)
        self._provider_timer.timeout.connect(self.requery)
        self.provider.textChanged.connect(self._provider_timer.start)
        self.dates.changed.connect(self.requery)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # The first real width is known only now: give the visit list a bit more than half.
        super().showEvent(event)
        if not self._sized and self._split.width() > 0:
            self._sized = True
            w = self._split.width()
            self._split.setSizes([int(w * 0.57), w - int(w * 0.57)])

    def refresh(self) -> None:
        self.model.set_source(self.ctx.records, self.ctx.people)
        self.item_detail.set_source(self.ctx.records, self.ctx.name_of)
        self.table.setColumnHidden(COL_PERSON, self.ctx.person is not None)
        self.requery()

    def requery(self) -> None:
        if self.ctx.records is None:
            return
        self._clear_detail()
        df, dt = self.dates.range()
        self.model.set_query(EncounterQuery(self.ctx.person, df, dt, self.provider.text().strip() or None))

    def clear(self) -> None:
        super().clear()
        self._clear_detail()
        self.item_detail.set_source(None, lambda pid: "")
        self.model.clear()

    def _clear_detail(self) -> None:
        self.detail = None
        self.tree.clear()
        self.head.clear()
        self.head_sub.clear()
        self.item_detail.clear()
        self.right_stack.setCurrentWidget(self.no_visit)

    def _update_empty(self) -> None:
        if self.model.rowCount() > 0:
            self.table_stack.setCurrentWidget(self.table)
            return
        filtered = self.dates.range() != (None, None) or bool(self.provider.text().strip())
        self.empty.setText(
            self.tr("No visits match these filters. Widen the dates or clear the provider.")
            if filtered
            else self.tr("No visits yet. Import records from a portal or a file (Ctrl+I).")
        )
        self.table_stack.setCurrentWidget(self.empty)

    # ------------------------------------------------------------------ selecting
    def select_encounter(self, encounter_id: str) -> bool:
        for row in range(self.model.rowCount()):
            e = self.model.entry_at(row)
            if e is not None and e.id == encounter_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        # Not on the loaded pages (or filtered out): show it anyway.
        if self.ctx.records is not None:
            self.show_encounter(encounter_id)
            return True
        return False

    def _row_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        e: Entry | None = cur.data(Roles.Entry) if cur.isValid() else None
        if e is not None:
            self.show_encounter(e.id)

    def show_encounter(self, encounter_id: str) -> None:
        assert self.ctx.records is not None
        d = self.ctx.records.encounter_detail(encounter_id)
        self.detail = d
        enc = d.encounter.row
        data = enc.data
        self.head.setText(enc.title)
        self.head.setAccessibleName(enc.title)
        when = fmt.fmt_day(enc.date)
        if enc.date_end and enc.date_end[:10] != enc.date[:10]:
            when += f" – {fmt.fmt_day(enc.date_end)}"
        who = self.ctx.name_of(d.encounter.person_id)
        self.head_sub.setText(
            " · ".join(x for x in (when, who, data.get("provider"), data.get("practitioner"), data.get("reason")) if x)
        )
        self.tree.clear()
        self.item_detail.clear()
        groups: dict[str, list[Entry]] = {}
        in_reports = {r.id for results in d.report_results.values() for r in results}
        for e in d.items:
            if e.id in in_reports:
                continue  # shown under their report
            groups.setdefault(e.row.kind, []).append(e)
        red = QBrush(QColor(theme.colors().abnormal))
        first_doc: QTreeWidgetItem | None = None
        for kind in sorted(groups, key=lambda k: _ORDER.index(k) if k in _ORDER else 99):
            top = QTreeWidgetItem([f"{KIND_LABELS.get(kind) or kind} ({len(groups[kind])})"])
            top.setData(
                0,
                Qt.ItemDataRole.AccessibleTextRole,
                f"{KIND_LABELS.get(kind) or kind}, " + self.tr("%n item(s)", "", len(groups[kind])),
            )
            top.setIcon(0, kind_icon(kind))
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            self.tree.addTopLevelItem(top)
            for e in groups[kind]:
                node = self._node(e, red)
                top.addChild(node)
                if kind == "document" and first_doc is None:
                    first_doc = node
                for res in d.report_results.get(e.id, []):
                    node.addChild(self._node(res, red))
            top.setExpanded(True)
        if not d.items:
            self.tree.addTopLevelItem(QTreeWidgetItem([self.tr("Nothing else is linked to this visit.")]))
        self.right_stack.setCurrentIndex(1)

    def _node(self, e: Entry, red: QBrush) -> QTreeWidgetItem:
        flag = fmt.flag_of(e.row)
        value = fmt.value_text(e.row)
        same_day = e.row.data.get("visit_link") == "same day"  # linked by its day, the file did not say
        title = (e.row.title + "  " + self.tr("(same day)")) if same_day else e.row.title
        node = QTreeWidgetItem([title, (value + (f"  {flag}" if flag else "")) if value else ""])
        node.setData(0, ENTRY_ROLE, e)
        node.setIcon(0, kind_icon(e.row.kind))
        tip = fmt.subtitle(e.row) or e.row.title
        if same_day:
            tip += "\n" + self.tr(
                "Linked to this visit because it is of the same day and organization (the file did not say)."
            )
        node.setToolTip(0, tip)
        sentence = row_sentence(e.row)
        for col in (0, 1):
            node.setData(col, Qt.ItemDataRole.AccessibleTextRole, sentence)
        if flag:
            node.setForeground(1, red)
            f = node.font(1)
            f.setBold(True)
            node.setFont(1, f)
        return node

    def _tree_changed(self, cur: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        e = cur.data(0, ENTRY_ROLE) if cur is not None else None
        if isinstance(e, Entry):
            self.item_detail.show_entry(e)

    def document_nodes(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount() if top is not None else 0):
                node = top.child(j) if top is not None else None
                e = node.data(0, ENTRY_ROLE) if node is not None else None
                if node is not None and isinstance(e, Entry) and e.row.kind == "document":
                    out.append(node)
        return out


__all__ = ["EncountersView", "COL_ITEMS"]
