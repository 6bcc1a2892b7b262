"""Documents: every document of the selected people (the timeline model, documents only) and the viewer."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..a11y import AccessibleTimelineModel
from ..models import Roles, TimelineModel, TimelineQuery
from ..widgets import DateRangeBar, EmptyState, ItemDetail, title_label
from . import View
from .timeline import TimelineDelegate


class DocumentsView(View):
    title = QT_TRANSLATE_NOOP("Views", "Documents")  # the main window shows translate("Views", title)
    open_encounter = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: TimelineModel = AccessibleTimelineModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Documents")))
        top.addStretch(1)
        self.dates = DateRangeBar()
        top.addWidget(self.dates)
        lay.addLayout(top)
        split = QSplitter()
        self.list = QListView()
        self.list.setObjectName("DocumentList")
        self.list.setAccessibleName(self.tr("Documents"))
        self.list.setModel(self.model)
        self.delegate = TimelineDelegate(self.model, self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setMouseTracking(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = EmptyState("")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        split.addWidget(self.stack)
        self.detail = ItemDetail(empty_text=self.tr("Select a document to read it here."))
        self.detail.open_encounter.connect(self.open_encounter)
        split.addWidget(self.detail)
        split.setSizes([420, 700])
        lay.addWidget(split, 1)
        self.dates.changed.connect(self.requery)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)

    def refresh(self) -> None:
        self.model.set_source(self.ctx.records, self.ctx.people)
        self.detail.set_source(self.ctx.records, self.ctx.name_of)
        self.delegate.show_person = self.ctx.person is None and len(self.ctx.people) > 1
        self.requery()

    def requery(self) -> None:
        if self.ctx.records is None:
            return
        self.detail.clear()
        df, dt = self.dates.range()
        self.model.set_query(TimelineQuery(self.ctx.person, df, dt, ["document"]))

    def clear(self) -> None:
        super().clear()
        self.detail.clear()
        self.detail.set_source(None, lambda pid: "")
        self.model.clear()

    def _update_empty(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.list)
        else:
            self.empty.setText(
                self.tr("No documents here yet.\nDrop PDFs, scans or C-CDA files onto the window to add them.")
            )
            self.stack.setCurrentWidget(self.empty)

    def _current_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        e = cur.data(Roles.Entry) if cur.isValid() else None
        if e is not None:
            self.detail.show_entry(e)

    def first_document_row(self) -> int:
        for r in range(self.model.rowCount()):
            if not self.model.index(r).data(Roles.IsHeader):
                return r
        return -1
