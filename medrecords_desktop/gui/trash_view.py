"""The Trash: items the family deleted, newest first; restore them, or empty the Trash for good.

Deleting leaves a tombstone in the vault (the service's doing), so re-importing the same file does not
bring a deleted item back, whether it is still in the Trash or the Trash was emptied.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.editing import EditingService
from ..services.people import TrashEntry
from . import fmt, ops
from .icons import KIND_SINGULAR, kind_icon
from .views import View
from .widgets import EmptyState, muted, row_table, title_label

COLUMNS = (
    QT_TRANSLATE_NOOP("TrashView", "Deleted"),
    QT_TRANSLATE_NOOP("TrashView", "Person"),
    QT_TRANSLATE_NOOP("TrashView", "Kind"),
    QT_TRANSLATE_NOOP("TrashView", "Item"),
    QT_TRANSLATE_NOOP("TrashView", "Date"),
)
COL_DELETED, COL_PERSON, COL_KIND, COL_TITLE, COL_DATE = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Entries that stand for many items (services/people.py): one line each, restored whole.
UNIT_KINDS = {
    "import": QT_TRANSLATE_NOOP("TrashView", "Undone import"),
    "move": QT_TRANSLATE_NOOP("TrashView", "Moved away"),
    "person": QT_TRANSLATE_NOOP("TrashView", "Person"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrashView", text)


class TrashView(View):
    title = QT_TRANSLATE_NOOP("Views", "Trash")  # the main window shows translate("Views", title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TrashEntry] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Trash")))
        top.addStretch(1)
        self.restore_btn = QPushButton(self.tr("Restore"))
        self.restore_btn.setObjectName("RestoreItem")
        self.restore_btn.setAccessibleDescription(self.tr("Put the chosen items back where they were"))
        self.empty_btn = QPushButton(self.tr("Empty Trash…"))
        self.empty_btn.setObjectName("EmptyTrash")
        self.empty_btn.setAccessibleDescription(self.tr("Delete everything in the Trash for good; asks first"))
        top.addWidget(self.restore_btn)
        top.addWidget(self.empty_btn)
        lay.addLayout(top)
        note = muted(
            self.tr(
                "Deleted items stay here until the Trash is emptied; re-importing a file never brings back "
                "an item you deleted. Undone imports, moves and removed people come back whole with Restore."
            )
        )
        note.setWordWrap(True)  # a long line here set the whole window's minimum width (Spanish, 200%)
        lay.addWidget(note)
        self.table = row_table(
            tuple(_tr(c) for c in COLUMNS), "TrashTable", COL_TITLE, QAbstractItemView.SelectionMode.ExtendedSelection
        )
        self.table.setAccessibleName(self.tr("Deleted items"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setAccessibleDescription(self.tr("Choose one or more rows, then Restore"))
        for col, w in ((COL_DELETED, 150), (COL_PERSON, 130), (COL_KIND, 130), (COL_DATE, 130)):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState(
            self.tr("The Trash is empty.\nDeleted items, undone imports and removed people come here.")
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        lay.addWidget(self.body, 1)
        self.restore_btn.clicked.connect(self.restore_selected)
        self.empty_btn.clicked.connect(self.ask_empty)
        self.setTabOrder(self.restore_btn, self.empty_btn)
        self.setTabOrder(self.empty_btn, self.table)
        self.table.itemSelectionChanged.connect(self._buttons)
        self._buttons()

    def service(self) -> EditingService | None:
        return self.ctx.session.editing if self.ctx.session is not None else None

    def refresh(self) -> None:
        svc = self.service()
        if svc is None:
            return
        self.rows = svc.trash(self.ctx.person)
        self.table.setRowCount(len(self.rows))
        for n, r in enumerate(self.rows):
            unit = _tr(UNIT_KINDS[r.kind]) if r.kind in UNIT_KINDS else None
            items = r.items
            count = self.tr("%n item", "", items) if items == 1 else self.tr("%n items", "", items)
            cells = (
                f"{fmt.fmt_short(r.deleted_at)} {fmt.fmt_time(r.deleted_at)}".strip(),
                r.person,
                unit or KIND_SINGULAR.get(r.kind, r.kind),
                f"{r.title} ({count})" if unit else r.title,
                fmt.fmt_short(r.date),
            )
            sentence = ", ".join(c for c in (cells[COL_KIND], cells[COL_TITLE], cells[COL_DATE], r.person) if c)
            deleted = self.tr("deleted {when}").format(when=cells[COL_DELETED])
            for col, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.ItemDataRole.AccessibleTextRole, f"{sentence}, {deleted}")
                it.setData(ID_ROLE, r.id)
                if col == COL_KIND:
                    it.setIcon(kind_icon(r.kind))
                self.table.setItem(n, col, it)
        self.table.setColumnHidden(COL_PERSON, self.ctx.person is not None)
        self.body.setCurrentWidget(self.table if self.rows else self.empty)
        self._buttons()

    def clear(self) -> None:
        super().clear()
        self.rows = []
        self.table.setRowCount(0)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[r].id for r in rows if 0 <= r < len(self.rows)]

    def _buttons(self) -> None:
        self.restore_btn.setEnabled(bool(self.selected_ids()))
        self.empty_btn.setEnabled(bool(self.rows))

    def restore_selected(self) -> ops.Op | None:
        """Restore the selected entries on the worker; the op's ``Changed.value`` is how many came back."""
        svc = self.service()
        ids = self.selected_ids()
        if svc is None or not ids:
            return None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            n, error = 0, None
            for item_id in ids:
                try:
                    svc.restore(item_id)
                    n += 1
                except MedRecordsError as e:  # the ones restored before stay restored, and are shown
                    error = e
                    break
            return ops.Changed.of({ops.RECORDS, ops.PEOPLE}, (n, error))

        def done(changed: ops.Changed) -> None:
            _n, error = changed.value
            self.refresh_if_stale()
            if error is not None:
                ops.show_error(self, error)

        return ops.write(self, work).success(done).run()

    def ask_empty(self) -> ops.Op | None:
        """Ask, then delete for good on the worker; the op's ``Changed.value`` is how many items went."""
        svc = self.service()
        if svc is None or not self.rows:
            return None
        n = sum(r.items for r in self.rows)
        answer = QMessageBox.question(
            self,
            self.tr("Empty Trash"),
            (
                self.tr("Delete %n item for good? This cannot be undone.", "", n)
                if n == 1
                else self.tr("Delete %n items for good? This cannot be undone.", "", n)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        person = self.ctx.person

        def work(_ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of(ops.RECORDS, svc.empty_trash(person), person)

        return ops.write(self, work).success(lambda _c: self.refresh_if_stale()).run()
