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

from PySide6.QtCore import QPoint, Qt
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
from ..services.people import SEXES, MergePreview, MoveResult, PeopleService, plural
from . import ops
from .records_common import error_label, refresh_views, show_error

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1  # main_window.PERSON_ROLE
KIND_NAMES = {"encounter": "Visits", "observation": "Results and measurements", "diagnostic_report": "Reports",
              "document": "Documents", "medication": "Medications", "immunization": "Immunizations",
              "allergy": "Allergies", "condition": "Conditions", "procedure": "Procedures"}


class EditPersonDialog(QDialog):
    def __init__(self, vault: Any, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EditPersonDialog")
        self.vault, self.person = vault, person
        self.setWindowTitle(f"Edit {person.name}")
        form = QFormLayout(self)
        self.name = QLineEdit(person.name)
        self.born = QLineEdit(person.birth_date or "")
        self.born.setPlaceholderText("YYYY-MM-DD")
        self.sex = QComboBox()
        self.sex.addItems(["", *SEXES])
        self.sex.setCurrentText(person.sex or "")
        form.addRow("Name", self.name)
        form.addRow("Born", self.born)
        form.addRow("Sex", self.sex)
        self.error = error_label()
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)
        self.resize(420, self.sizeHint().height())

    def save(self) -> bool:
        try:
            PeopleService(self.vault).edit(self.person.id or "", name=self.name.text(),
                                           birth_date=self.born.text(), sex=self.sex.currentText())
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
        self.setWindowTitle(f"Merge {other.name} into…")
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{other.name}</b> ({other.birth_date or 'no date of birth'}) is the same person as:")
        head.setWordWrap(True)
        lay.addWidget(head)
        self.target = QComboBox()
        self.target.setObjectName("MergeTarget")
        self.people = [p for p in vault.persons() if p.id != other.id]
        for p in self.people:
            self.target.addItem(f"{p.name} ({p.birth_date or 'no date of birth'})", p.id)
        lay.addWidget(self.target)
        self.what = QLabel()
        self.what.setObjectName("MergeSummary")
        self.what.setWordWrap(True)
        lay.addWidget(self.what)
        self.tree = QTreeWidget()
        self.tree.setObjectName("MergeKinds")
        self.tree.setHeaderLabels(["What moves", "Records"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 260)
        lay.addWidget(self.tree, 1)
        self.after = QLabel()
        self.after.setWordWrap(True)
        lay.addWidget(self.after)
        self.bar = QProgressBar()
        self.bar.hide()
        lay.addWidget(self.bar)
        self.error = error_label()
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_btn = QPushButton("Merge")
        self.merge_btn.setObjectName("MergeButton")
        self.buttons.addButton(self.merge_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_btn.clicked.connect(lambda: self.start())
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.target.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.resize(520, 460)
        self.update_preview()

    def target_id(self) -> str | None:
        data = self.target.currentData()
        return str(data) if data else None

    def update_preview(self) -> MergePreview | None:
        into = self.target_id()
        self.tree.clear()
        if into is None:
            self.what.setText("There is nobody else to merge with.")
            self.merge_btn.setEnabled(False)
            return None
        pv = PeopleService(self.vault).merge_preview(into, self.other.id or "")
        self.what.setText(
            f"All of {pv.other.name}'s records move to {pv.into.name}: {plural(pv.total, 'record')} from "
            f"{plural(pv.imports, 'import')}. {plural(pv.duplicates, 'of them is', 'of them are')} already in "
            f"{pv.into.name}'s records and will be folded, not copied twice."
        )
        for kind, n in sorted(pv.by_kind.items(), key=lambda t: -t[1]):
            if n:
                it = QTreeWidgetItem([KIND_NAMES.get(kind, kind), f"{n:,}"])
                it.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                self.tree.addTopLevelItem(it)
        self.after.setText(
            f"{pv.other.name} then goes to the Trash. Restoring {pv.other.name} from the Trash undoes the merge."
        )
        self.merge_btn.setEnabled(True)
        return pv

    def start(self) -> ops.Op | None:
        into = self.target_id()
        if into is None:
            return None
        vault, other = self.vault, self.other.id or ""
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
        self.act_edit = QAction("Edit…", window)
        self.act_edit.setObjectName("EditPerson")
        self.act_merge = QAction("Merge into…", window)
        self.act_merge.setObjectName("MergePerson")
        self.act_remove = QAction("Remove…", window)
        self.act_remove.setObjectName("RemovePerson")
        for a in (self.act_edit, self.act_merge, self.act_remove):
            menu.addAction(a)
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
            a.setToolTip("" if has and owner else "Only the vault's owner can change people" if has
                         else "Choose a person in the sidebar first")

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
                    f"Merged {p.name}: {dlg.merged.summary()}. Restore {p.name} from the Trash to undo.", 15000)

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
        if not self.ask_yes(w, "Remove a family member",
                            f"Move {p.name} and {plural(n, 'record')} to the Trash?\n\nYou can restore them from "
                            "the Trash until it is emptied."):
            return False
        try:
            PeopleService(w.vault).remove(p.id or "")
        except MedRecordsError as e:
            ops.show_error(w, e)
            return False
        w.people_list.setCurrentRow(0)
        self._changed()
        w.statusBar().showMessage(f"{p.name} is in the Trash.", 10000)
        return True

    def move_items(self, item_ids: list[str]) -> ops.Op | None:
        """Give items (a visit brings what hangs on it) to another person; undone from the Trash."""
        w = self.window
        if w.vault is None or not item_ids:
            return None
        pid = item_ids[0].partition(".")[0]
        others = [p for p in w.vault.persons() if p.id != pid]
        if not others:
            QMessageBox.information(w, "Move to another person", "There is nobody else to move it to.")
            return None
        name = self.ask_person(w, "Move to another person", "Whose record is this?", [p.name for p in others])
        dest = next((p for p in others if p.name == name), None)
        if dest is None:
            return None
        vault = w.vault

        def work(ctx: ops.OpContext) -> MoveResult:
            return PeopleService(vault).move_items(item_ids, dest.id or "", progress=ctx.progress)

        def done(res: MoveResult) -> None:
            self._changed()
            w.statusBar().showMessage(f"Moved to {dest.name}: {res.summary()}. Undo it from the Trash.", 15000)

        return ops.Op(w, work).success(done).run()

    def _keep(self, dlg: QDialog) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dlg]


def install(window: Any) -> PeopleController:
    ctl = PeopleController(window)
    window.people_ctl = ctl
    return ctl
