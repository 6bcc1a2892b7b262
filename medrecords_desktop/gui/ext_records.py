"""Adds the family's own records to a main window: ``install(window)``.

What it adds, using only the window's public pieces (``views``, ``stack``, ``view_list``, menus, toolbar):

- two views in the sidebar: Missing records and Trash;
- an Add menu (Lab result, Blood pressure, ... Note) and an "Add…" toolbar button, each opening a form;
- File › Add scan or photo… (several images become one document; the importer reads the text);
- on timeline and document rows: double-click / Enter opens the item in a dialog (Corrected badge, Show
  original, where it came from); a context menu with Details…, Correct…, Read results from this
  document, Move to Trash (Del), with Undo in the status bar;
- a "corrected" / "your entry" mark on timeline rows and a red count of overdue records on visits in the
  encounter browser, both drawn by delegates wrapped around the views' own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QInputDialog,
    QListWidgetItem,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.editing import EditingService
from ..services.importing import FileOutcome, ImportOptions, ImportService
from ..services.missing import MissingService
from ..services.records import Entry
from ..vault import store
from . import icons, ops, theme
from .entry_forms import CorrectDialog, EntryDialog, kind_title
from .item_detail import ItemDetailDialog
from .missing_view import MissingView
from .models import PERSON_ROLE, Roles
from .records_common import UndoNotice, refresh_views
from .review_results import ReviewResultsDialog, labreport, propose_for_document
from .trash_view import TrashView

ADD_KINDS = (
    "lab",
    "blood-pressure",
    "vital",
    "medication",
    "condition",
    "allergy",
    "immunization",
    "procedure",
    "family-history",
    "note",
)
translate = QCoreApplication.translate


def image_filter() -> str:
    return translate("Records", "Scans and photos (*.png *.jpg *.jpeg *.tif *.tiff *.heic *.webp *.gif *.pdf);;"
                     "All files (*)")
Index = QModelIndex | QPersistentModelIndex
# What changes the overdue counts: items added or deleted, and marks (all index lookups or small tables).
# Every write in this process goes through the person's one connection (one writer per vault), so its
# change counter tells whether records or marks changed - without counting a million rows.
_BADGE_KEY_SQL = "SELECT total_changes()"


# ---------------------------------------------------------------------- delegates
class RowMarkDelegate(QStyledItemDelegate):
    """Paints the view's own delegate, then a small "corrected" or "your entry" mark on the row."""

    def __init__(self, inner: QStyledItemDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inner = inner
        self.font = QFont()
        self.font.setPointSizeF(max(7.0, self.font.pointSizeF() - 1.5))
        self.font.setWeight(QFont.Weight.DemiBold)
        self.fm = QFontMetrics(self.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return self.inner.sizeHint(option, index)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.inner.paint(p, option, index)
        e = index.data(Roles.Entry)
        if not isinstance(e, Entry):
            return
        if e.row.corrected:
            text, color = "corrected", theme.colors().abnormal
        elif e.row.flags & store.FLAG_MANUAL:
            text, color = "your entry", theme.colors().accent
        else:
            return
        r = option.rect
        right = r.right() - 16 - (36 if getattr(self.inner, "show_person", False) else 0) - 64
        w = self.fm.horizontalAdvance(text) + 12
        box = QRect(right - w, r.top() + r.height() - 22, w, 16)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QColor(color))
        p.setBrush(QColor(theme.colors().base))
        p.drawRoundedRect(box, 8, 8)
        p.setFont(self.font)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()


class VisitBadgeDelegate(QStyledItemDelegate):
    """The visit column of the encounter browser with a red count of overdue records."""

    def __init__(self, counts: Callable[[], dict[str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = counts

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        s = super().sizeHint(option, index)
        return QSize(s.width() + 30, s.height())

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(p, option, index)
        e = index.data(Roles.Entry)
        n = self.counts().get(e.id, 0) if isinstance(e, Entry) else 0
        if not n:
            return
        r = option.rect
        d = 18
        box = QRect(r.right() - d - 6, r.top() + (r.height() - d) // 2, d, d)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(theme.colors().abnormal))
        p.drawEllipse(box)
        f = QFont()
        f.setPixelSize(11)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor("#ffffff"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, str(n))
        p.restore()


# ---------------------------------------------------------------------- the controller
class RecordsController:
    """Everything ``install`` adds, and the actions behind it (methods the tests call too)."""

    def __init__(self, window: Any, today: Callable[[], date] | None = None) -> None:
        self.window = window
        self.today: Callable[[], date] = today or date.today
        self.undo = UndoNotice(window)
        window.records_undo = self.undo
        self.dialogs: list[QWidget] = []  # open dialogs, closed on lock
        self.last_entry: EntryDialog | None = None
        self.last_correct: CorrectDialog | None = None
        self.last_detail: ItemDetailDialog | None = None
        self.last_review: ReviewResultsDialog | None = None
        self.review_op: ops.Op | None = None
        self.scan_op: ops.Op | None = None
        self.scan_outcome: FileOutcome | None = None
        self.badges: dict[str, int] = {}
        self._badge_key: object = None
        self._add_views()
        self._add_actions()
        self._hooked = False
        self.attach_core_views()
        window.locked.connect(self._on_lock)
        if getattr(window, "records", None) is not None:
            window._apply_context()

    # ------------------------------------------------------------------ building
    def _add_views(self) -> None:
        w = self.window
        self.missing = MissingView(today=self.today)
        self.trash = TrashView()
        for name, view, icon in (("missing", self.missing, "missing"), ("trash", self.trash, "trash")):
            view.setObjectName(f"{name}View")
            w.views[name] = view
            w.stack.addWidget(view)
            it = QListWidgetItem(icons.icon(icon, "#6b7280"), view.title)
            it.setData(PERSON_ROLE, name)
            w.view_list.addItem(it)
            view.records_changed.connect(self.after_change)
        lst = w.view_list
        lst.setFixedHeight(sum(lst.sizeHintForRow(r) for r in range(lst.count())) + 12)

    def _add_actions(self) -> None:
        w = self.window
        mb = w.menuBar()
        self.add_menu = QMenu(translate("Records", "&Add"), w)
        self.add_actions: dict[str, QAction] = {}
        for kind in ADD_KINDS:
            a = self.add_menu.addAction(kind_title(kind) + "…")
            a.triggered.connect(lambda _=False, k=kind: self.add_entry(k))
            self.add_actions[kind] = a
        self.add_actions["lab"].setShortcut(QKeySequence("Ctrl+Shift+L"))
        menus = getattr(w, "menus", {})  # the window's menus by English name, whatever the language shown
        view_menu = menus["View"].menuAction() if "View" in menus else next(
            (a for a in mb.actions() if a.text().replace("&", "") == "View"), None)
        if view_menu is not None:
            mb.insertMenu(view_menu, self.add_menu)
        else:
            mb.addMenu(self.add_menu)
        self.act_add = QAction(icons.icon("plus"), translate("Records", "Add…"), w)
        self.act_add.setObjectName("AddRecord")
        self.act_add.setToolTip(translate("Records", "Add a record of your own: a lab result, a blood pressure, "
                                          "a medication…"))
        self.act_add.setMenu(self.add_menu)
        self.act_add.triggered.connect(lambda: self.add_entry("lab"))
        tb = w.toolbar
        tb.insertAction(w.act_import, self.act_add)
        btn = tb.widgetForAction(self.act_add)
        if isinstance(btn, QToolButton):
            btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.act_scan = QAction(icons.icon("scan"), translate("Records", "Add scan or photo…"), w)
        self.act_scan.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.act_scan.triggered.connect(self.ask_scans)
        file_menu = mb.actions()[0].menu() if mb.actions() else None
        if file_menu is not None:
            after = next((a for a in file_menu.actions() if a is w.act_import), None)
            idx = file_menu.actions().index(after) + 1 if after is not None else 0
            before = file_menu.actions()[idx] if idx < len(file_menu.actions()) else None
            file_menu.insertAction(before, self.act_scan)
        edit_menu = menus.get("Edit") or next(
            (a.menu() for a in mb.actions() if a.text().replace("&", "") == "Edit"), None)
        self.act_details = QAction(translate("Records", "Item details…"), w)
        self.act_details.triggered.connect(lambda: self._on_current(self.show_details))
        self.act_correct = QAction(translate("Records", "Correct item…"), w)
        self.act_correct.triggered.connect(lambda: self._on_current(self.open_correct))
        self.act_delete = QAction(icons.icon("trash"), translate("Records", "Move to Trash"), w)
        self.act_delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Only where a record list has focus: Delete in a text field keeps deleting text.
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_delete.triggered.connect(lambda: self._on_current(self.delete))
        self.act_read = QAction(translate("Records", "Read results from this document…"), w)
        self.act_read.triggered.connect(lambda: self._on_current(self.read_results))
        if edit_menu is not None:
            edit_menu.addSeparator()
            for a in (self.act_details, self.act_correct, self.act_read, self.act_delete):
                edit_menu.addAction(a)
        acts = [
            self.act_add,
            self.act_scan,
            self.act_details,
            self.act_correct,
            self.act_delete,
            self.act_read,
            *self.add_actions.values(),
        ]
        w.vault_actions.extend(acts)
        for a in acts:
            a.setEnabled(getattr(w, "vault", None) is not None)

    def record_lists(self) -> list[QAbstractItemView]:
        out = []
        for name in ("timeline", "documents"):
            v = self.window.views.get(name)
            lst = getattr(v, "list", None)
            if isinstance(lst, QAbstractItemView):
                out.append(lst)
        return out

    def attach_core_views(self) -> None:
        """Hook the timeline, documents and encounter views (built on the window's first unlock)."""
        if self._hooked or "timeline" not in self.window.views:
            return
        self._hooked = True
        self._hook_lists()
        self._hook_encounters()

    def _hook_lists(self) -> None:
        for lst in self.record_lists():
            inner = lst.itemDelegate()
            if isinstance(inner, QStyledItemDelegate):
                lst.setItemDelegate(RowMarkDelegate(inner, lst))
            lst.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            lst.customContextMenuRequested.connect(lambda pos, v=lst: self._context_menu(v, pos))
            lst.activated.connect(self._activated)
            lst.addAction(self.act_delete)

    def _hook_encounters(self) -> None:
        enc = self.window.views.get("encounters")
        table = getattr(enc, "table", None)
        model = getattr(enc, "model", None)
        if table is None or model is None:
            return
        from .models import COL_VISIT

        self.badge_delegate = VisitBadgeDelegate(lambda: self.badges, table)
        table.setItemDelegateForColumn(COL_VISIT, self.badge_delegate)
        model.modelReset.connect(self.update_badges)

    # ------------------------------------------------------------------ helpers
    @property
    def vault(self) -> Any:
        return getattr(self.window, "vault", None)

    def current_entry(self) -> Entry | None:
        view = self.window.stack.currentWidget()
        lst = getattr(view, "list", None)
        if isinstance(lst, QAbstractItemView) and lst.currentIndex().isValid():
            e = lst.currentIndex().data(Roles.Entry)
            return e if isinstance(e, Entry) else None
        tree = getattr(view, "tree", None)
        if tree is not None and hasattr(tree, "currentItem") and tree.currentItem() is not None:
            e = tree.currentItem().data(0, Qt.ItemDataRole.UserRole + 1)
            return e if isinstance(e, Entry) else None
        return None

    def _on_current(self, fn: Callable[[str], Any]) -> None:
        e = self.current_entry()
        if e is not None:
            fn(e.id)

    def _activated(self, index: QModelIndex) -> None:
        e = index.data(Roles.Entry)
        if isinstance(e, Entry):
            self.show_details(e.id)

    def _context_menu(self, lst: QAbstractItemView, pos: QPoint) -> None:
        idx = lst.indexAt(pos)
        e = idx.data(Roles.Entry) if idx.isValid() else None
        if not isinstance(e, Entry):
            return
        lst.setCurrentIndex(idx)
        menu = self.context_menu_for(e, lst)
        menu.exec(lst.viewport().mapToGlobal(pos))

    def context_menu_for(self, e: Entry, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.addAction(translate("Records", "Details…")).triggered.connect(lambda: self.show_details(e.id))
        menu.addAction(translate("Records", "Correct…")).triggered.connect(lambda: self.open_correct(e.id))
        if e.row.kind == "document" and self.can_read_results():
            read = menu.addAction(translate("Records", "Read results from this document…"))
            read.triggered.connect(lambda: self.read_results(e.id))
        people = getattr(self.window, "people_ctl", None)
        if people is not None:
            move = menu.addAction(translate("Records", "Move to another person…"))
            move.triggered.connect(lambda: people.move_items([e.id]))
        menu.addSeparator()
        a = menu.addAction(icons.icon("trash"), translate("Records", "Move to Trash"))
        a.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        a.triggered.connect(lambda: self.delete(e.id))
        return menu

    def after_change(self) -> None:
        refresh_views(self.window)

    def update_badges(self) -> None:
        """Overdue counts per visit, recomputed only when the records, the marks or the day changed.

        The encounter model resets on every filter change; the counts cost a pass over every visit, so
        they are kept while a cheap fingerprint of the vault stays the same."""
        v = self.vault
        if v is None:
            self.badges, self._badge_key = {}, None
            return
        try:
            key = (
                self.today(),
                tuple(tuple(v.person_db(p.id).one(_BADGE_KEY_SQL)) for p in v.persons()),
            )
            if key != self._badge_key:
                self.badges, self._badge_key = MissingService(v).badge_counts(None, today=self.today()), key
        except MedRecordsError:
            self.badges, self._badge_key = {}, None

    def _keep(self, dlg: QWidget) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()]
        self.dialogs.append(dlg)

    def _on_lock(self) -> None:
        for op in (self.review_op, self.scan_op):
            if op is not None and not op.finished:
                op.cancel()
        for d in self.dialogs:
            d.close()
            d.deleteLater()
        self.dialogs = []
        self.last_entry = self.last_correct = self.last_detail = self.last_review = None
        self.badges, self._badge_key = {}, None
        self.undo.dismiss()
        self.undo.bar.clearMessage()

    # ------------------------------------------------------------------ actions
    def add_entry(self, kind: str) -> EntryDialog | None:
        w = self.window
        if self.vault is None:
            return None
        people = {pid: info.name for pid, info in w.people.items()}
        dlg = EntryDialog(self.vault, kind, people, w._context().person, w)
        dlg.saved.connect(self._added)
        self.last_entry = dlg
        self._keep(dlg)
        dlg.open()
        return dlg

    def _added(self, item_id: str) -> None:
        self.after_change()
        try:
            title = self.window.records.entry(item_id).row.title
        except MedRecordsError:
            title = translate("Records", "the record")
        self.undo.show(translate("Records", "Added “{title}”.").format(title=title),
                       lambda: self.delete(item_id, offer_undo=False))

    def open_correct(self, item_id: str, parent: QWidget | None = None) -> CorrectDialog | None:
        if self.vault is None:
            return None
        dlg = CorrectDialog(self.vault, item_id, parent or self.window)
        dlg.corrected.connect(lambda _id: self.after_change())
        self.last_correct = dlg
        self._keep(dlg)
        dlg.open()
        return dlg

    def show_details(self, item_id: str) -> ItemDetailDialog | None:
        if self.vault is None:
            return None
        try:
            dlg = ItemDetailDialog(self.vault, item_id, self, self.window)
        except MedRecordsError as e:
            ops.show_error(self.window, e)
            return None
        self.last_detail = dlg
        self._keep(dlg)
        dlg.open()
        return dlg

    def delete(self, item_id: str, offer_undo: bool = True) -> bool:
        if self.vault is None:
            return False
        try:
            title = self.window.records.entry(item_id).row.title
            EditingService(self.vault).delete(item_id)
        except MedRecordsError as e:
            ops.show_error(self.window, e)
            return False
        self.after_change()
        if offer_undo:
            self.undo.show(translate("Records", "Moved “{title}” to the Trash.").format(title=title),
                           lambda: self.restore(item_id))
        else:
            self.undo.show(translate("Records", "Moved “{title}” to the Trash.").format(title=title), None)
        return True

    def restore(self, item_id: str) -> bool:
        if self.vault is None:
            return False
        try:
            EditingService(self.vault).restore(item_id)
        except MedRecordsError as e:
            ops.show_error(self.window, e)
            return False
        self.after_change()
        self.undo.show("Restored.", None)
        return True

    # ------------------------------------------------------------------ paper
    def can_read_results(self) -> bool:
        return labreport() is not None

    def read_results(self, document_id: str, parent: QWidget | None = None) -> ops.Op | None:
        """Read the document (on the worker: recognition can take seconds), then open the review table."""
        vault = self.vault
        if vault is None:
            return None
        if not self.can_read_results():
            ops.show_error(
                parent or self.window,
                MedRecordsError(translate("Records", "Reading results from documents is not available in this build.")),
            )
            return None
        self.window.statusBar().showMessage(translate("Records", "Reading the document…"))

        def work(_ctx: ops.OpContext) -> tuple[list[Any], str, str | None]:
            rows = propose_for_document(vault, document_id)
            from ..services.records import RecordService

            doc = RecordService(vault).item(document_id, with_raw=False)
            return rows, doc.title, getattr(doc, "text", None)

        def done(result: tuple[list[Any], str, str | None]) -> None:
            self.window.statusBar().clearMessage()
            if self.vault is None:
                return
            rows, title, text = result
            dlg = ReviewResultsDialog(self.vault, document_id, rows, title, text, parent or self.window)
            dlg.confirmed.connect(self._confirmed)
            self.last_review = dlg
            self._keep(dlg)
            dlg.open()

        self.review_op = ops.Op(self.window, work).success(done).run()
        return self.review_op

    def _confirmed(self, ids: list[str]) -> None:
        self.after_change()
        n = len(ids)
        self.undo.show(translate("Records", "Added %n result from the document.", "", n) if n == 1
                       else translate("Records", "Added %n results from the document.", "", n), None)

    def ask_scans(self) -> None:
        if self.vault is None:
            return
        files, _ = QFileDialog.getOpenFileNames(self.window, translate("Records", "Add scan or photo"), "",
                                                image_filter())
        if not files:
            return
        person = self.window._context().person
        if person is None:
            people = self.window.people
            if len(people) == 1:
                person = next(iter(people))
            else:
                names = [p.name for p in people.values()]
                name, ok = QInputDialog.getItem(
                    self.window, translate("Records", "Add scan or photo"),
                    translate("Records", "Whose record is this?"), names, 0, False
                )
                if not ok:
                    return
                person = next(pid for pid, p in people.items() if p.name == name)
        self.import_scans([Path(f) for f in files], person)

    def import_scans(self, paths: list[Path], person: str) -> ops.Op | None:
        """Several images become one PDF document; one image or PDF is imported as it is."""
        vault = self.vault
        if vault is None or not paths:
            return None
        self.window.statusBar().showMessage(
            translate("Records", "Adding the scan… (reading its text can take a little while)"))

        from .wrong_person import WrongPersonAsker

        self.wrong_person = WrongPersonAsker(self.window)

        def work(ctx: ops.OpContext) -> FileOutcome:
            self.wrong_person.cancelled = ctx.cancel
            # A scan whose text names another patient: ask before filing it under this person.
            opts = ImportOptions(person=person, confirm_person=self.wrong_person.ask)
            svc = ImportService(vault)
            if len(paths) == 1:
                return svc.import_bytes(paths[0].read_bytes(), paths[0].name, opts, cancel=ctx.cancel)
            data = combine_pages([p.read_bytes() for p in paths], paths[0].name)
            return svc.import_bytes(data, f"{paths[0].stem} ({len(paths)} pages).pdf", opts, cancel=ctx.cancel)

        def done(outcome: FileOutcome) -> None:
            self.scan_outcome = outcome
            n = sum(outcome.added.values())
            note = "; ".join(outcome.warnings[:2])
            self.window.statusBar().showMessage(
                ((translate("Records", "Scan added (%n item)", "", n) if n == 1
                  else translate("Records", "Scan added (%n items)", "", n)) if n
                 else translate("Records", "This scan was already in the vault"))
                + (f" — {note}" if note else ""),
                15000,
            )
            self.after_change()

        def failed(exc: BaseException) -> None:
            self.window.statusBar().clearMessage()
            ops.show_error(self.window, exc, translate("Records", "Add scan or photo"))

        self.scan_op = ops.Op(self.window, work).success(done).failure(failed).run()
        return self.scan_op


def combine_pages(images: list[bytes], name: str) -> bytes:
    """Photographed pages as one PDF, in memory (the scan importer's joiner: JPEG/PNG pages kept as they are)."""
    from ..importers.scan import combine_pages as joiner

    return bytes(joiner(images, name))


def install(window: Any, today: Callable[[], date] | None = None) -> RecordsController:
    """Add Missing records, Trash, the Add menu, scans and item actions to ``window`` (a MainWindow)."""
    ctl = RecordsController(window, today)
    window.records_ext = ctl
    return ctl
