"""Full-text search: results with snippets (the matched words in bold), opened in place on the right."""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from . import fmt, theme
from .a11y import AccessibleSearchModel
from .icons import KIND_SINGULAR, kind_badge
from .models import Roles, SearchModel
from .views import View
from .widgets import EmptyState, ItemDetail, muted, title_label

ROW_H = 86


def snippet_html(snippet: str) -> str:
    """FTS snippets mark hits with [ and ]: escape everything, then bold the marked words."""
    return html.escape(snippet).replace("[", "<b>").replace("]", "</b>")


class SearchDelegate(QStyledItemDelegate):
    def __init__(self, view: SearchView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(200, ROW_H)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        c = theme.colors()
        r = option.rect
        p.save()
        if option.state & QStyle.StateFlag.State_Selected:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(c.selection))
            p.drawRoundedRect(r.adjusted(4, 2, -4, -2), 6, 6)
        p.drawPixmap(QRect(r.left() + 12, r.top() + 10, 28, 28), kind_badge(index.data(Roles.Kind), 28))
        who = self.view.ctx.name_of(index.data(Roles.PersonId))
        meta = " · ".join(
            x for x in (KIND_SINGULAR.get(index.data(Roles.Kind)) or "", fmt.fmt_day(index.data(Roles.Day)), who) if x
        )
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(r.width() - 64)
        doc.setHtml(
            f"<b>{html.escape(str(index.data()))}</b><br><span style='color:{c.muted}'>"
            f"{html.escape(meta)}</span><br>"
            f"<span style='color:{c.text}'>{snippet_html(index.data(Roles.Snippet) or '')}</span>"
        )
        p.translate(r.left() + 52, r.top() + 9)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, QColor(c.text))
        ctx.clip = QRect(0, 0, r.width() - 64, ROW_H - 12).toRectF()
        doc.documentLayout().draw(p, ctx)
        p.restore()


class SearchView(View):
    title = QT_TRANSLATE_NOOP("Views", "Search")  # the main window shows translate("Views", title)
    open_encounter = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: SearchModel = AccessibleSearchModel(self, lambda pid: self.ctx.name_of(pid))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        self.heading = title_label(self.tr("Search"))
        top.addWidget(self.heading)
        top.addStretch(1)
        self.count = muted()
        top.addWidget(self.count)
        lay.addLayout(top)
        split = QSplitter()
        self.list = QListView()
        self.list.setObjectName("SearchResults")
        self.list.setAccessibleName(self.tr("Search results"))
        self.list.setModel(self.model)
        self.list.setItemDelegate(SearchDelegate(self))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = EmptyState(self.tr("Type in the search field (Ctrl+F) to search every record, note and document."))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        split.addWidget(self.stack)
        self.detail = ItemDetail(empty_text=self.tr("Select a result to open it here."))
        self.detail.open_encounter.connect(self.open_encounter)
        split.addWidget(self.detail)
        split.setSizes([520, 600])
        lay.addWidget(split, 1)
        self.list.selectionModel().currentChanged.connect(self._current_changed)

    def refresh(self) -> None:
        self.detail.set_source(self.ctx.records, self.ctx.name_of)
        if self.model.text:
            self.run_search(self.model.text)

    def run_search(self, text: str) -> int:
        text = text.strip()
        self.detail.clear()
        if self.ctx.records is None or not text:
            self.model.clear()
            self.count.clear()
            self.heading.setText(self.tr("Search"))
            self.stack.setCurrentWidget(self.empty)
            return 0
        hits = self.ctx.records.search(text, self.ctx.person, limit=50)
        self.model.set_results(text, hits)
        self.heading.setText(self.tr("Results for “{text}”").format(text=text))
        self.count.setText(
            self.tr("%n found", "", len(hits)) + (self.tr(" (best 50 shown)") if len(hits) >= 50 else "")
        )
        self.list.setAccessibleDescription(self.count.text())
        if hits:
            self.stack.setCurrentWidget(self.list)
        else:
            self.empty.setText(self.tr("Nothing found for “{text}”.\nTry fewer or different words.").format(text=text))
            self.stack.setCurrentWidget(self.empty)
        return len(hits)

    def clear(self) -> None:
        super().clear()
        self.detail.clear()
        self.detail.set_source(None, lambda pid: "")
        self.model.clear()
        self.count.clear()
        self.heading.setText(self.tr("Search"))
        self.stack.setCurrentWidget(self.empty)

    def _current_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        e = cur.data(Roles.Entry) if cur.isValid() else None
        if e is not None:
            self.detail.show_entry(e)
