"""Timeline view: every item of the selected people, newest first, grouped by day, with filters.

The list is a QListView over TimelineModel (keyset pages via fetchMore); a delegate draws day
headers and item rows (kind badge, title, grey facts line, value with H/L in red, person initials).
Rows grow with the font (large text) and read as one sentence to screen readers (``a11y``).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...model.records import KINDS
from .. import fmt, theme
from ..a11y import AccessibleTimelineModel
from ..icons import KIND_LABELS, avatar, kind_badge
from ..models import Roles, TimelineModel, TimelineQuery
from ..widgets import DateRangeBar, EmptyState, ItemDetail, title_label
from . import View

HEADER_H = 34
ROW_H = 54  # at the default font; rows grow with larger fonts (see TimelineDelegate.row_height)


class TimelineDelegate(QStyledItemDelegate):
    """Paints header rows and item rows; all strings come precomputed from the model."""

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.show_person = True
        base = QFont()
        self.f_title = QFont(base)
        self.f_title.setPointSizeF(base.pointSizeF() + 0.5)
        self.f_title.setWeight(QFont.Weight.DemiBold)
        self.f_small = QFont(base)
        self.f_small.setPointSizeF(max(7.5, base.pointSizeF() - 0.5))
        self.f_header = QFont(base)
        self.f_header.setWeight(QFont.Weight.Bold)
        self.fm_title = QFontMetrics(self.f_title)
        self.fm_small = QFontMetrics(self.f_small)
        # Two text lines and their gaps: the row holds larger system fonts instead of clipping them.
        self.line_title = max(20, self.fm_title.height() + 2)
        self.line_small = max(18, self.fm_small.height() + 2)
        self.row_h = max(ROW_H, 8 + self.line_title + 1 + self.line_small + 7)
        self.header_h = max(HEADER_H, QFontMetrics(self.f_header).height() + 14)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(200, self.header_h if index.data(Roles.IsHeader) else self.row_h)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        c = theme.colors()
        r = option.rect
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if index.data(Roles.IsHeader):
            p.fillRect(r, QColor(c.day_header))
            p.setPen(QColor(c.text))
            p.setFont(self.f_header)
            p.drawText(
                r.adjusted(16, 0, -16, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                str(index.data()),
            )
            p.restore()
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(c.selection))
            p.drawRoundedRect(r.adjusted(6, 2, -6, -2), 6, 6)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            p.fillRect(r.adjusted(6, 2, -6, -2), QColor(c.alt))
        kind = index.data(Roles.Kind)
        row_h = self.row_h
        lt, ls = self.line_title, self.line_small
        p.drawPixmap(QRect(r.left() + 18, r.top() + (row_h - 30) // 2, 30, 30), kind_badge(kind))
        right = r.right() - 16
        if self.show_person:
            info = self.model.person(index.data(Roles.PersonId))
            if info is not None:
                p.drawPixmap(QRect(right - 24, r.top() + (row_h - 24) // 2, 24, 24), avatar(info.name, info.color, 24))
                right -= 36
        value, flag = index.data(Roles.Value), index.data(Roles.Flag)
        time = index.data(Roles.Time)
        value_w = 0
        if value:
            text = value + (f"  {flag}" if flag else "")
            value_w = self.fm_title.horizontalAdvance(text) + 8
            p.setFont(self.f_title)
            p.setPen(QColor(c.abnormal if flag else c.text))
            p.drawText(QRect(right - value_w, r.top() + 8, value_w, lt), Qt.AlignmentFlag.AlignRight, text)
        if time:
            p.setFont(self.f_small)
            p.setPen(QColor(c.muted))
            tw = max(80, self.fm_small.horizontalAdvance(time) + 8)
            p.drawText(QRect(right - tw, r.top() + 8 + lt, tw, ls), Qt.AlignmentFlag.AlignRight, time)
        left = r.left() + 60
        width = max(40, right - left - max(value_w, 60 if time else 0) - 8)
        p.setFont(self.f_title)
        p.setPen(QColor(c.text))
        p.drawText(
            QRect(left, r.top() + 8, width, lt),
            Qt.AlignmentFlag.AlignLeft,
            self.fm_title.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, width),
        )
        sub = index.data(Roles.Subtitle)
        if sub:
            p.setFont(self.f_small)
            p.setPen(QColor(c.muted))
            p.drawText(
                QRect(left, r.top() + 9 + lt, width, ls),
                Qt.AlignmentFlag.AlignLeft,
                self.fm_small.elidedText(sub, Qt.TextElideMode.ElideRight, width),
            )
        p.restore()


class JumpDialog(QDialog):
    def __init__(self, parent: QWidget | None, start: QDate) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Jump to date"))
        lay = QVBoxLayout(self)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("JumpCalendar")
        self.calendar.setAccessibleName(self.tr("Date to jump to"))
        self.calendar.setAccessibleDescription(self.tr("Arrow keys move the day; Enter jumps"))
        self.calendar.setSelectedDate(start)
        self.calendar.setGridVisible(False)
        lay.addWidget(self.calendar)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        self.calendar.activated.connect(self.accept)
        lay.addWidget(bb)


class KindFilter(QToolButton):
    """A drop-down of checkable kinds; ``changed`` when the set changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("All kinds"))
        self.setObjectName("KindFilter")
        self.setAccessibleName(self.tr("Kinds of record shown"))
        self.setAccessibleDescription(self.tr("All kinds"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab; Space opens the menu
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self)
        self.actions_by_kind: dict[str, QAction] = {}
        all_act = menu.addAction(self.tr("Show all kinds"))
        all_act.triggered.connect(self.select_all)
        menu.addSeparator()
        for k in KINDS:
            a = menu.addAction(KIND_LABELS[k])
            a.setCheckable(True)
            a.setChecked(True)
            a.setIcon(_icon(k))
            a.toggled.connect(self._toggled)
            self.actions_by_kind[k] = a
        self.setMenu(menu)

    def kinds(self) -> list[str] | None:
        chosen = [k for k, a in self.actions_by_kind.items() if a.isChecked()]
        return None if len(chosen) == len(KINDS) else chosen

    def set_kinds(self, kinds: list[str] | None) -> None:
        for k, a in self.actions_by_kind.items():
            a.blockSignals(True)
            a.setChecked(kinds is None or k in kinds)
            a.blockSignals(False)
        self._toggled()

    def select_all(self) -> None:
        self.set_kinds(None)

    def _toggled(self) -> None:
        ks = self.kinds()
        if ks is None:
            self.setText(self.tr("All kinds"))
        elif len(ks) == 1:
            self.setText(KIND_LABELS[ks[0]])
        else:
            self.setText(self.tr("%n kinds", "", len(ks)))
        self.setAccessibleDescription(self.text() if ks is None else ", ".join(KIND_LABELS[k] for k in ks))
        self.changed.emit()


def _icon(kind: str):  # noqa: ANN202 - small helper
    from ..icons import kind_icon

    return kind_icon(kind)


class TimelineView(View):
    title = QT_TRANSLATE_NOOP("Views", "Timeline")  # the main window shows translate("Views", title)
    open_encounter = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: TimelineModel = AccessibleTimelineModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Timeline")))
        top.addStretch(1)
        self.dates = DateRangeBar()
        self.kinds = KindFilter()
        self.jump_btn = QPushButton(self.tr("&Jump to date…"))
        self.jump_btn.setObjectName("JumpToDate")
        self.jump_btn.setAccessibleName(self.tr("Jump to date"))
        top.addWidget(self.dates)
        top.addWidget(self.kinds)
        top.addWidget(self.jump_btn)
        lay.addLayout(top)
        split = QSplitter()
        self.list = QListView()
        self.list.setObjectName("TimelineList")
        self.list.setAccessibleName(self.tr("Timeline"))
        self.list.setAccessibleDescription(self.tr("Records newest first, grouped by day"))
        self.list.setModel(self.model)
        self.delegate = TimelineDelegate(self.model, self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setMouseTracking(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(False)
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(400)
        self.empty = EmptyState("")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.empty)
        split.addWidget(self.list_stack)
        self.detail = ItemDetail()
        self.detail.open_encounter.connect(self.open_encounter)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 440])
        lay.addWidget(split, 1)
        self.dates.changed.connect(self.requery)
        self.kinds.changed.connect(self.requery)
        self.jump_btn.clicked.connect(self.ask_jump)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)

    # ------------------------------------------------------------------ data
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
        self.model.set_query(TimelineQuery(self.ctx.person, df, dt, self.kinds.kinds()))
        self.list.scrollToTop()

    def jump_to(self, iso_day: str) -> None:
        """Show the timeline from ``iso_day`` back: a new query with date_to."""
        self.dates.set_range(self.dates.range()[0], iso_day)

    def ask_jump(self) -> None:
        dt = self.dates.range()[1]
        d = QDate.fromString(dt, "yyyy-MM-dd") if dt else QDate.currentDate()
        dlg = JumpDialog(self, d)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.jump_to(dlg.calendar.selectedDate().toString("yyyy-MM-dd"))

    def clear(self) -> None:
        super().clear()
        self.detail.clear()
        self.detail.set_source(None, lambda pid: "")
        self.model.clear()

    def _update_empty(self) -> None:
        if self.model.rowCount() > 0:
            self.list_stack.setCurrentWidget(self.list)
            return
        filtered = self.dates.range() != (None, None) or self.kinds.kinds() is not None
        self.empty.setText(
            self.tr("Nothing matches these filters.\nTry a wider date range or more kinds (or click “All dates”).")
            if filtered
            else self.tr("No records yet.\nDrag files or folders onto this window, or choose File › Import… (Ctrl+I).")
        )
        self.list_stack.setCurrentWidget(self.empty)

    def _current_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        e = cur.data(Roles.Entry) if cur.isValid() else None
        if e is not None:
            self.detail.show_entry(e)

    def select_item(self, item_id: str) -> bool:
        row = self.model.row_of(item_id)
        if row < 0:
            return False
        idx = self.model.index(row)
        self.list.setCurrentIndex(idx)
        self.list.scrollTo(idx)
        return True

    def current_text(self) -> str | None:
        idx = self.list.currentIndex()
        e = idx.data(Roles.Entry) if idx.isValid() else None
        if e is None:
            return None
        return f"{fmt.fmt_day(e.row.date)}  {e.row.summary()}"
