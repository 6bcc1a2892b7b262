"""The people menu: Edit…, Merge into…, Remove… for a family member, from the People menu and from the
sidebar's context menu.  ``install(window)`` adds it.

- Edit: name, date of birth, sex (errors show in the dialog; nothing saved until they are right).
- Merge into…: the dialog says what will move (records per kind, how many are already there and will be
  folded, imports) before anything happens; the merge runs on the database worker with a progress bar.
- Remove…: asks first; the person and everything of theirs go to the Trash, restorable until emptied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..model.records import Person
from ..services.people import SEXES, MergePreview, MoveResult, PeopleService
from . import ops
from .fmt import fmt_num, fmt_short
from .records_common import error_label, refresh_views, show_error

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1  # main_window.PERSON_ROLE
translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
# English source texts, translated on display with translate("PeopleMenu", …).
KIND_NAMES = {"encounter": QT_TRANSLATE_NOOP("PeopleMenu", "Visits"),
              "observation": QT_TRANSLATE_NOOP("PeopleMenu", "Results and measurements"),
              "diagnostic_report": QT_TRANSLATE_NOOP("PeopleMenu", "Reports"),
              "document": QT_TRANSLATE_NOOP("PeopleMenu", "Documents"),
              "medication": QT_TRANSLATE_NOOP("PeopleMenu", "Medications"),
              "immunization": QT_TRANSLATE_NOOP("PeopleMenu", "Immunizations"),
              "allergy": QT_TRANSLATE_NOOP("PeopleMenu", "Allergies"),
              "condition": QT_TRANSLATE_NOOP("PeopleMenu", "Conditions"),
              "procedure": QT_TRANSLATE_NOOP("PeopleMenu", "Procedures")}
SEX_WORDS = {"female": QT_TRANSLATE_NOOP("PeopleMenu", "female"),
             "male": QT_TRANSLATE_NOOP("PeopleMenu", "male"),
             "other": QT_TRANSLATE_NOOP("PeopleMenu", "other"),
             "unknown": QT_TRANSLATE_NOOP("PeopleMenu", "unknown")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("PeopleMenu", text)


def _records(n: int) -> str:
    """'1 record' / '18 records' (two source texts so English reads right without a translation file)."""
    if n == 1:
        return translate("PeopleMenu", "%n record", None, n)
    return translate("PeopleMenu", "%n records", None, n)


def _born(p: Person) -> str:
    return fmt_short(p.birth_date) if p.birth_date else translate("PeopleMenu", "no date of birth")


def summary(res: MoveResult) -> str:
    """What a merge or move did, in the language in use (MoveResult.summary() is the CLI's English)."""
    if res.moved == 1:
        s = translate("PeopleMenu", "%n item moved", None, res.moved)
    else:
        s = translate("PeopleMenu", "%n items moved", None, res.moved)
    if res.folded:
        if res.folded == 1:
            s += translate("PeopleMenu", ", %n duplicate folded into what was there", None, 1)
        else:
            s += translate("PeopleMenu", ", %n duplicates folded into what was there", None,
                                            res.folded)
    if res.skipped_deleted:
        s += translate("PeopleMenu", ", %n left out (deleted there before)", None,
                                        res.skipped_deleted)
    return s


class EditPersonDialog(QDialog):
    def __init__(self, vault: Any, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EditPersonDialog")
        self.vault, self.person = vault, person
        self.setWindowTitle(self.tr("Edit {name}").format(name=person.name))
        form = QFormLayout(self)
        self.name = QLineEdit(person.name)
        self.name.setObjectName("PersonName")
        self.born = QLineEdit(person.birth_date or "")
        self.born.setObjectName("PersonBorn")
        self.born.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.born.setAccessibleDescription(self.tr("Date of birth, written year-month-day, for example 2015-09-01"))
        self.sex = QComboBox()
        self.sex.setObjectName("PersonSex")
        self.sex.addItem("", "")
        for code in SEXES:  # the person reads the word, the service gets the code
            self.sex.addItem(_tr(SEX_WORDS.get(code, code)), code)
        self.sex.setCurrentIndex(max(self.sex.findData(person.sex or ""), 0))
        for text, field in ((self.tr("&Name"), self.name), (self.tr("&Born"), self.born),
                            (self.tr("&Sex"), self.sex)):
            lab = QLabel(text)
            lab.setBuddy(field)
            field.setAccessibleName(text.replace("&", ""))
            form.addRow(lab, field)
        self.error = error_label()
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)
        self.setTabOrder(self.name, self.born)
        self.setTabOrder(self.born, self.sex)
        self.setTabOrder(self.sex, bb)
        self.resize(420, self.sizeHint().height())

    def save(self) -> bool:
        try:
            PeopleService(self.vault).edit(self.person.id, name=self.name.text(),
                                           birth_date=self.born.text(), sex=str(self.sex.currentData() or ""))
        except MedRecordsError as e:
            show_error(self.error, str(e))
            return False
        self.accept()
        return True


class MergeDialog(QDialog):
    """Merge ``other`` into a person chosen here, after showing what will move."""

    def __init__(self, vault: Any, other: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MergeDialog")
        self.vault, self.other = vault, other
        self.op: ops.Op | None = None
        self.merged: MoveResult | None = None
        self.setWindowTitle(self.tr("Merge {name} into…").format(name=other.name))
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("<b>{name}</b> ({born}) is the same person as:").format(
            name=other.name.replace("<", "&lt;"), born=_born(other)))
        head.setWordWrap(True)
        lay.addWidget(head)
        self.target = QComboBox()
        self.target.setObjectName("MergeTarget")
        head.setBuddy(self.target)
        self.target.setAccessibleName(self.tr("The person {name} is the same as").format(name=other.name))
        self.people = [p for p in vault.persons() if p.id != other.id]
        for p in self.people:
            self.target.addItem(f"{p.name} ({_born(p)})", p.id)
        lay.addWidget(self.target)
        self.what = QLabel()
        self.what.setObjectName("MergeSummary")
        self.what.setWordWrap(True)
        lay.addWidget(self.what)
        self.tree = QTreeWidget()
        self.tree.setObjectName("MergeKinds")
        self.tree.setHeaderLabels([self.tr("What moves"), self.tr("Records")])
        self.tree.setAccessibleName(self.tr("What moves, by kind of record"))
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 260)
        lay.addWidget(self.tree, 1)
        self.after = QLabel()
        self.after.setWordWrap(True)
        lay.addWidget(self.after)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Merging"))
        self.bar.hide()
        lay.addWidget(self.bar)
        self.error = error_label()
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_btn = QPushButton(self.tr("&Merge"))
        self.merge_btn.setObjectName("MergeButton")
        self.buttons.addButton(self.merge_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_btn.clicked.connect(lambda: self.start())
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.target.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.setTabOrder(self.target, self.tree)
        self.setTabOrder(self.tree, self.merge_btn)
        self.resize(520, 460)
        self.update_preview()

    def target_id(self) -> str | None:
        data = self.target.currentData()
        return str(data) if data else None

    def update_preview(self) -> MergePreview | None:
        into = self.target_id()
        self.tree.clear()
        if into is None:
            self.what.setText(self.tr("There is nobody else to merge with."))
            self.merge_btn.setEnabled(False)
            return None
        pv = PeopleService(self.vault).merge_preview(into, self.other.id)
        imports = (self.tr("%n import", "", pv.imports) if pv.imports == 1
                   else self.tr("%n imports", "", pv.imports))
        folded = (self.tr("%n of them is already in {into}'s records", "", pv.duplicates) if pv.duplicates == 1
                  else self.tr("%n of them are already in {into}'s records", "", pv.duplicates))
        self.what.setText(
            self.tr("All of {other}'s records move to {into}: {records} from {imports}. {folded} and will be "
                    "folded, not copied twice.").format(
                other=pv.other.name, into=pv.into.name, records=_records(pv.total), imports=imports,
                folded=folded.format(into=pv.into.name))
        )
        for kind, n in sorted(pv.by_kind.items(), key=lambda t: -t[1]):
            if n:
                it = QTreeWidgetItem([_tr(KIND_NAMES[kind]) if kind in KIND_NAMES else kind, fmt_num(n)])
                it.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                self.tree.addTopLevelItem(it)
        self.after.setText(
            self.tr("{other} then goes to the Trash. Restoring {other} from the Trash undoes the merge.")
            .format(other=pv.other.name)
        )
        self.merge_btn.setEnabled(True)
        return pv

    def start(self) -> ops.Op | None:
        into = self.target_id()
        if into is None:
            return None
        vault, other = self.vault, self.other.id
        self.merge_btn.setEnabled(False)
        self.target.setEnabled(False)
        self.bar.setRange(0, 0)
        self.bar.show()

        def work(ctx: ops.OpContext) -> MoveResult:
            return PeopleService(vault).merge(into, other, progress=ctx.progress)

        def progress(done: int, total: int, _label: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

        def done(res: MoveResult) -> None:
            self.merged = res
            self.accept()

        def failed(exc: BaseException) -> None:
            self.bar.hide()
            show_error(self.error, ops.friendly(exc))
            self.merge_btn.setEnabled(True)
            self.target.setEnabled(True)

        self.op = ops.Op(self, work).with_progress(progress).success(done).failure(failed).run()
        return self.op


def _ask_yes(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def _ask_person(parent: QWidget, title: str, text: str, names: list[str]) -> str | None:
    from PySide6.QtWidgets import QInputDialog

    name, ok = QInputDialog.getItem(parent, title, text, names, 0, False)
    return name if ok and name else None


class PeopleController:
    # seams for tests (the real ones are modal boxes)
    ask_yes: Callable[[QWidget, str, str], bool] = staticmethod(_ask_yes)  # type: ignore[assignment]
    ask_person: Callable[[QWidget, str, str, list[str]], str | None] = staticmethod(_ask_person)  # type: ignore[assignment]

    def __init__(self, window: Any) -> None:
        self.window = window
        self.dialogs: list[QDialog] = []
        menu: QMenu = window.people_menu
        menu.addSeparator()
        self.act_edit = QAction(translate("PeopleMenu", "Edit…"), window)
        self.act_edit.setObjectName("EditPerson")
        self.act_merge = QAction(translate("PeopleMenu", "Merge into…"), window)
        self.act_merge.setObjectName("MergePerson")
        self.act_remove = QAction(translate("PeopleMenu", "Remove…"), window)
        self.act_remove.setObjectName("RemovePerson")
        for a in (self.act_edit, self.act_merge, self.act_remove):
            menu.addAction(a)
        self.act_edit.setStatusTip(translate("PeopleMenu", "Change the chosen person's name, date of birth or sex"))
        self.act_merge.setStatusTip(translate(
            "PeopleMenu", "The chosen person is the same as someone else: bring their records together"))
        self.act_remove.setStatusTip(translate("PeopleMenu", "Move the chosen person and their records to the Trash"))
        self.act_edit.triggered.connect(lambda: self.edit())
        self.act_merge.triggered.connect(lambda: self.merge())
        self.act_remove.triggered.connect(lambda: self.remove())
        lst = window.people_list
        lst.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        lst.customContextMenuRequested.connect(self._context_menu)
        lst.currentRowChanged.connect(lambda _r: self._enable())
        window.vault_actions.extend([self.act_edit, self.act_merge, self.act_remove])
        self._enable()

    # ------------------------------------------------------------------ which person
    def current(self) -> Person | None:
        w = self.window
        if w.vault is None:
            return None
        it = w.people_list.currentItem()
        pid = it.data(PERSON_ROLE) if it is not None else None
        if not pid:
            return None
        try:
            return w.vault.person(pid)  # type: ignore[no-any-return]
        except MedRecordsError:
            return None

    def _enable(self) -> None:
        vault = self.window.vault
        has = vault is not None and self.current() is not None
        owner = vault is not None and vault.is_owner()
        for a in (self.act_edit, self.act_merge, self.act_remove):
            a.setEnabled(has and owner)
            why = (translate("PeopleMenu", "Only the vault's owner can change people") if has
                   else translate("PeopleMenu", "Choose a person in the sidebar first"))
            a.setToolTip("" if has and owner else why)

    def context_menu(self) -> QMenu:
        menu = QMenu(self.window.people_list)
        menu.setObjectName("PersonMenu")
        for a in (self.act_edit, self.act_merge, self.act_remove):
            menu.addAction(a)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        lst = self.window.people_list
        it = lst.itemAt(pos)
        if it is None or not it.data(PERSON_ROLE):
            return
        lst.setCurrentItem(it)
        self.context_menu().exec(lst.viewport().mapToGlobal(pos))

    def _changed(self, select: str | None = None) -> None:
        w = self.window
        refresh_views(w)
        if select is not None:
            for r in range(w.people_list.count()):
                if w.people_list.item(r).data(PERSON_ROLE) == select:
                    w.people_list.setCurrentRow(r)
        self._enable()

    # ------------------------------------------------------------------ actions
    def edit(self, person: Person | None = None) -> EditPersonDialog | None:
        p = person or self.current()
        if p is None:
            return None
        dlg = EditPersonDialog(self.window.vault, p, self.window)
        dlg.accepted.connect(lambda: self._changed(p.id))
        self._keep(dlg)
        dlg.open()
        return dlg

    def merge(self, person: Person | None = None) -> MergeDialog | None:
        p = person or self.current()
        if p is None:
            return None
        dlg = MergeDialog(self.window.vault, p, self.window)

        def merged() -> None:
            into = dlg.target_id()
            self._changed(into)
            if dlg.merged is not None:
                self.window.statusBar().showMessage(
                    translate("PeopleMenu", "Merged {name}: {what}. Restore {name} from the Trash to undo.").format(
                        name=p.name, what=summary(dlg.merged)), 15000)

        dlg.accepted.connect(merged)
        self._keep(dlg)
        dlg.open()
        return dlg

    def remove(self, person: Person | None = None) -> bool:
        p = person or self.current()
        w = self.window
        if p is None or w.vault is None:
            return False
        n = int(w.vault.person_db(p.id).one("SELECT count(*) FROM items WHERE deleted_at IS NULL")[0])
        question = translate("PeopleMenu", "Move {name} and {records} to the Trash?\n\nYou can restore them from "
                             "the Trash until it is emptied.").format(name=p.name, records=_records(n))
        if not self.ask_yes(w, translate("PeopleMenu", "Remove a family member"), question):
            return False
        try:
            PeopleService(w.vault).remove(p.id)
        except MedRecordsError as e:
            ops.show_error(w, e)
            return False
        w.people_list.setCurrentRow(0)
        self._changed()
        w.statusBar().showMessage(translate("PeopleMenu", "{name} is in the Trash.").format(name=p.name), 10000)
        return True

    def move_items(self, item_ids: list[str]) -> ops.Op | None:
        """Give items (a visit brings what hangs on it) to another person; undone from the Trash."""
        w = self.window
        if w.vault is None or not item_ids:
            return None
        pid = item_ids[0].partition(".")[0]
        others = [p for p in w.vault.persons() if p.id != pid]
        if not others:
            QMessageBox.information(w, translate("PeopleMenu", "Move to another person"),
                                    translate("PeopleMenu", "There is nobody else to move it to."))
            return None
        name = self.ask_person(w, translate("PeopleMenu", "Move to another person"),
                               translate("PeopleMenu", "Whose record is this?"),
                               [p.name for p in others])
        dest = next((p for p in others if p.name == name), None)
        if dest is None:
            return None
        vault = w.vault

        def work(ctx: ops.OpContext) -> MoveResult:
            return PeopleService(vault).move_items(item_ids, dest.id, progress=ctx.progress)

        def done(res: MoveResult) -> None:
            self._changed()
            w.statusBar().showMessage(translate(
                "PeopleMenu", "Moved to {name}: {what}. Undo it from the Trash.").format(
                name=dest.name, what=summary(res)), 15000)

        return ops.Op(w, work).success(done).run()

    def _keep(self, dlg: QDialog) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dlg]


def install(window: Any) -> PeopleController:
    ctl = PeopleController(window)
    window.people_ctl = ctl
    return ctl
