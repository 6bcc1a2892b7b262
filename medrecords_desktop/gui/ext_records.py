"""The family's own records, a feature on the shell: ``install(shell)`` (gui/shell.py).

What it adds, through the shell's protocol only (views, actions in menus named by id, row decorations and
row menus, the session's services, writes through ``ops.write``):

- two views in the sidebar: Missing records and Trash;
- an Add menu (Lab result, Blood pressure, ... Note) and an "Add…" toolbar button, each opening a form;
- File › Add scan or photo… (several images become one document; the importer reads the text);
- on timeline and document rows: double-click / Enter opens the item in a dialog (Corrected badge, Show
  original, where it came from); a context menu with Details…, Correct…, Read results from this
  document, Move to Trash (Del), with Undo in the status bar;
- a "corrected" / "your entry" mark on timeline rows and a red count of overdue records on visits in the
  encounter browser, both drawn by row decorators the shell paints after the views' own delegates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.importing import FileOutcome, ImportOptions
from ..services.records import Entry
from ..services.session import FLAG_MANUAL, Session
from . import icons, ops, theme
from .entry_forms import CorrectDialog, EntryDialog, kind_title
from .item_detail import ItemDetailDialog
from .missing_view import MissingView
from .records_common import UndoNotice
from .review_results import ReviewResultsDialog, labreport, propose_for_document
from .shell import ACTION_IMPORT, MENU_ADD, MENU_EDIT, MENU_FILE, MENU_VIEW, ROWS_VISITS, Shell
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
    return translate(
        "Records", "Scans and photos (*.png *.jpg *.jpeg *.tif *.tiff *.heic *.webp *.gif *.pdf);;All files (*)"
    )


# ---------------------------------------------------------------------- row decorations
class RowMark:
    """A small "corrected" or "your entry" mark on a timeline or document row."""

    extra_width = 0

    def __init__(self) -> None:
        self.font = QFont()
        self.font.setPointSizeF(max(7.0, self.font.pointSizeF() - 1.5))
        self.font.setWeight(QFont.Weight.DemiBold)
        self.fm = QFontMetrics(self.font)

    def rows_reloaded(self) -> None:
        pass

    def paint(self, p: QPainter, option: QStyleOptionViewItem, e: Entry, show_person: bool) -> None:
        if e.row.corrected:
            text, color = "corrected", theme.colors().abnormal
        elif e.row.flags & FLAG_MANUAL:
            text, color = "your entry", theme.colors().accent
        else:
            return
        r = option.rect
        right = r.right() - 16 - (36 if show_person else 0) - 64
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


class VisitBadge:
    """A red count of overdue records on a visit in the encounter browser."""

    extra_width = 30

    def __init__(self, counts: Callable[[], dict[str, int]], reloaded: Callable[[], None]) -> None:
        self.counts = counts
        self.rows_reloaded = reloaded

    def paint(self, p: QPainter, option: QStyleOptionViewItem, e: Entry, show_person: bool) -> None:
        n = self.counts().get(e.id, 0)
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

    def __init__(self, shell: Shell, today: Callable[[], date] | None = None) -> None:
        self.shell = shell
        self.window = shell.widget()  # the parent of dialogs and messages
        self.today: Callable[[], date] = today or date.today
        self.undo = UndoNotice(shell.widget())  # type: ignore[arg-type]
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
        shell.decorate_rows(RowMark())
        shell.decorate_rows(VisitBadge(lambda: self.badges, self.update_badges), ROWS_VISITS)
        shell.add_row_menu(self._row_menu, order=10)
        shell.add_row_menu(self._row_menu_trash, order=90)
        shell.add_row_action(self.act_delete)
        shell.row_activated.connect(lambda e: self.show_details(e.id))
        shell.locked.connect(self._on_lock)

    # ------------------------------------------------------------------ building
    def _add_views(self) -> None:
        self.missing = MissingView(today=self.today)
        self.trash = TrashView()
        self.shell.add_view("missing", self.missing, icon="missing")
        self.shell.add_view("trash", self.trash, icon="trash")

    def _add_actions(self) -> None:
        sh = self.shell
        w = sh.widget()
        self.add_menu = QMenu(translate("Records", "&Add"), w)
        self.add_actions: dict[str, QAction] = {}
        for kind in ADD_KINDS:
            a = self.add_menu.addAction(kind_title(kind) + "…")
            a.triggered.connect(lambda _=False, k=kind: self.add_entry(k))
            self.add_actions[kind] = a
        self.add_actions["lab"].setShortcut(QKeySequence("Ctrl+Shift+L"))
        sh.add_menu(MENU_ADD, self.add_menu, before=MENU_VIEW)
        self.act_add = QAction(icons.icon("plus"), translate("Records", "Add…"), w)
        self.act_add.setObjectName("AddRecord")
        self.act_add.setToolTip(
            translate("Records", "Add a record of your own: a lab result, a blood pressure, a medication…")
        )
        self.act_add.setMenu(self.add_menu)
        self.act_add.triggered.connect(lambda: self.add_entry("lab"))
        sh.add_action(self.act_add, toolbar_before=ACTION_IMPORT)
        btn = sh.toolbar.widgetForAction(self.act_add)
        if isinstance(btn, QToolButton):
            btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.act_scan = QAction(icons.icon("scan"), translate("Records", "Add scan or photo…"), w)
        self.act_scan.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.act_scan.triggered.connect(self.ask_scans)
        sh.add_action(self.act_scan, MENU_FILE, after=ACTION_IMPORT)
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
        sh.add_action(self.act_details, MENU_EDIT, separator=True)
        for a in (self.act_correct, self.act_read, self.act_delete):
            sh.add_action(a, MENU_EDIT)
        for a in self.add_actions.values():
            sh.add_action(a)

    # ------------------------------------------------------------------ helpers
    @property
    def session(self) -> Session | None:
        return self.shell.session

    def current_entry(self) -> Entry | None:
        return self.shell.current_entry()

    def _on_current(self, fn: Callable[[str], Any]) -> None:
        e = self.current_entry()
        if e is not None:
            fn(e.id)

    def _row_menu(self, e: Entry, menu: QMenu) -> None:
        menu.addAction(translate("Records", "Details…")).triggered.connect(lambda: self.show_details(e.id))
        menu.addAction(translate("Records", "Correct…")).triggered.connect(lambda: self.open_correct(e.id))
        if e.row.kind == "document" and self.can_read_results():
            read = menu.addAction(translate("Records", "Read results from this document…"))
            read.triggered.connect(lambda: self.read_results(e.id))

    def _row_menu_trash(self, e: Entry, menu: QMenu) -> None:
        menu.addSeparator()
        a = menu.addAction(icons.icon("trash"), translate("Records", "Move to Trash"))
        a.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        a.triggered.connect(lambda: self.delete(e.id))

    def context_menu_for(self, e: Entry, parent: QWidget) -> QMenu:
        """A record row's context menu, with every feature's entries (the shell builds it)."""
        return self.shell.row_menu(e, parent)

    def update_badges(self) -> None:
        """Overdue counts per visit, recomputed only when the records, the marks or the day changed.

        The encounter model resets on every filter change; the counts cost a pass over every visit, so
        they are kept while a cheap fingerprint of the vault (its connections' change counters) stays the same."""
        s = self.session
        if s is None:
            self.badges, self._badge_key = {}, None
            return
        try:
            key = (self.today(), s.change_counter())
            if key != self._badge_key:
                self.badges, self._badge_key = s.missing.badge_counts(None, today=self.today()), key
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
        sh = self.shell
        if self.session is None:
            return None
        people = {pid: info.name for pid, info in sh.people.items()}
        dlg = EntryDialog(self.session, kind, people, sh.current_person(), self.window)
        dlg.saved.connect(self._added)
        self.last_entry = dlg
        self._keep(dlg)
        dlg.open()
        return dlg

    def _added(self, item_id: str) -> None:
        s = self.session
        try:
            title = s.records.entry(item_id).row.title if s is not None else ""
        except MedRecordsError:
            title = translate("Records", "the record")
        self.undo.show(
            translate("Records", "Added “{title}”.").format(title=title), lambda: self.delete(item_id, offer_undo=False)
        )

    def open_correct(self, item_id: str, parent: QWidget | None = None) -> CorrectDialog | None:
        if self.session is None:
            return None
        dlg = CorrectDialog(self.session, item_id, parent or self.window)
        self.last_correct = dlg
        self._keep(dlg)
        dlg.open()
        return dlg

    def show_details(self, item_id: str) -> ItemDetailDialog | None:
        if self.session is None:
            return None
        try:
            dlg = ItemDetailDialog(self.session, item_id, self, self.window)
        except MedRecordsError as e:
            ops.show_error(self.window, e)
            return None
        self.last_detail = dlg
        self._keep(dlg)
        dlg.open()
        return dlg

    def delete(self, item_id: str, offer_undo: bool = True) -> ops.Op | None:
        """Move an item to the Trash (on the worker); the status bar offers Undo once it is done."""
        s = self.session
        if s is None:
            return None
        try:
            title = s.records.entry(item_id).row.title
        except MedRecordsError as e:
            ops.show_error(self.window, e)
            return None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            s.editing.delete(item_id)
            return ops.Changed.of(ops.RECORDS, item_id)

        def done(_c: ops.Changed) -> None:
            self.undo.show(
                translate("Records", "Moved “{title}” to the Trash.").format(title=title),
                (lambda: self.restore(item_id)) if offer_undo else None,
            )

        return ops.write(self.window, work).success(done).run()

    def restore(self, item_id: str) -> ops.Op | None:
        s = self.session
        if s is None:
            return None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            s.editing.restore(item_id)
            return ops.Changed.of(ops.RECORDS, item_id)

        return ops.write(self.window, work).success(lambda _c: self.undo.show("Restored.", None)).run()

    # ------------------------------------------------------------------ paper
    def can_read_results(self) -> bool:
        return labreport() is not None

    def read_results(self, document_id: str, parent: QWidget | None = None) -> ops.Op | None:
        """Read the document (on the worker: recognition can take seconds), then open the review table."""
        session = self.session
        if session is None:
            return None
        if not self.can_read_results():
            ops.show_error(
                parent or self.window,
                MedRecordsError(translate("Records", "Reading results from documents is not available in this build.")),
            )
            return None
        self.shell.statusBar().showMessage(translate("Records", "Reading the document…"))

        def work(_ctx: ops.OpContext) -> tuple[list[Any], str, str | None]:
            rows = propose_for_document(session, document_id)
            doc = session.records.item(document_id, with_raw=False)
            return rows, doc.title, getattr(doc, "text", None)

        def done(result: tuple[list[Any], str, str | None]) -> None:
            self.shell.statusBar().clearMessage()
            if self.session is None:
                return
            rows, title, text = result
            dlg = ReviewResultsDialog(self.session, document_id, rows, title, text, parent or self.window)
            dlg.confirmed.connect(self._confirmed)
            self.last_review = dlg
            self._keep(dlg)
            dlg.open()

        self.review_op = ops.Op(self.window, work).success(done).run()
        return self.review_op

    def _confirmed(self, ids: list[str]) -> None:
        n = len(ids)
        self.undo.show(
            translate("Records", "Added %n result from the document.", "", n)
            if n == 1
            else translate("Records", "Added %n results from the document.", "", n),
            None,
        )

    def ask_scans(self) -> None:
        if self.session is None:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self.window, translate("Records", "Add scan or photo"), "", image_filter()
        )
        if not files:
            return
        person = self.shell.current_person()
        if person is None:
            people = self.shell.people
            if len(people) == 1:
                person = next(iter(people))
            else:
                names = [p.name for p in people.values()]
                name, ok = QInputDialog.getItem(
                    self.window,
                    translate("Records", "Add scan or photo"),
                    translate("Records", "Whose record is this?"),
                    names,
                    0,
                    False,
                )
                if not ok:
                    return
                person = next(pid for pid, p in people.items() if p.name == name)
        self.import_scans([Path(f) for f in files], person)

    def import_scans(self, paths: list[Path], person: str) -> ops.Op | None:
        """Several images become one PDF document; one image or PDF is imported as it is."""
        session = self.session
        if session is None or not paths:
            return None
        bar = self.shell.statusBar()
        bar.showMessage(translate("Records", "Adding the scan… (reading its text can take a little while)"))

        from .wrong_person import WrongPersonAsker

        self.wrong_person = WrongPersonAsker(self.window)

        def work(ctx: ops.OpContext) -> ops.Changed:
            self.wrong_person.cancelled = ctx.cancel
            # A scan whose text names another patient: ask before filing it under this person.
            opts = ImportOptions(person=person, confirm_person=self.wrong_person.ask)
            svc = session.importing
            if len(paths) == 1:
                out = svc.import_bytes(paths[0].read_bytes(), paths[0].name, opts, cancel=ctx.cancel)
            else:
                data = combine_pages([p.read_bytes() for p in paths], paths[0].name)
                out = svc.import_bytes(data, f"{paths[0].stem} ({len(paths)} pages).pdf", opts, cancel=ctx.cancel)
            return ops.Changed.of(ops.RECORDS, out, person)

        def done(changed: ops.Changed) -> None:
            outcome: FileOutcome = changed.value
            self.scan_outcome = outcome
            n = sum(outcome.added.values())
            note = "; ".join(outcome.warnings[:2])
            bar.showMessage(
                (
                    (
                        translate("Records", "Scan added (%n item)", "", n)
                        if n == 1
                        else translate("Records", "Scan added (%n items)", "", n)
                    )
                    if n
                    else translate("Records", "This scan was already in the vault")
                )
                + (f" — {note}" if note else ""),
                15000,
            )

        def failed(exc: BaseException) -> None:
            bar.clearMessage()
            ops.show_error(self.window, exc, translate("Records", "Add scan or photo"))

        self.scan_op = ops.write(self.window, work).success(done).failure(failed).run()
        return self.scan_op


def combine_pages(images: list[bytes], name: str) -> bytes:
    """Photographed pages as one PDF, in memory (the scan importer's joiner: JPEG/PNG pages kept as they are)."""
    from ..importers.scan import combine_pages as joiner

    return bytes(joiner(images, name))


def install(shell: Shell, today: Callable[[], date] | None = None) -> RecordsController:
    """Add Missing records, Trash, the Add menu, scans and item actions to the shell (registered as "records")."""
    return shell.register("records", RecordsController(shell, today))
