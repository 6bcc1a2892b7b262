"""The people menu: Edit…, Merge into…, Remove… for a family member, from the People menu and from the
sidebar's context menu.  ``install(window)`` adds it.

- Edit: name, date of birth, sex (errors show in the dialog; nothing saved until they are right).
- Merge into…: the dialog says what will move (records per kind, how many are already there and will be
  folded, imports) before anything happens; the merge runs on the database worker with a progress bar.
- Remove…: asks first; the person and everything of theirs go to the Trash, restorable until emptied.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
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
from ..services.people import SEXES, MergePreview, MoveResult
from ..services.records import Entry
from ..services.session import SessionSource, session_of
from . import ops
from .fmt import fmt_num, fmt_short
from .records_common import error_label, show_error
from .shell import MENU_PEOPLE, Shell

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1  # main_window.PERSON_ROLE
translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
# English source texts, translated on display with translate("PeopleMenu", …).
KIND_NAMES = {
    "encounter": QT_TRANSLATE_NOOP("PeopleMenu", "Visits"),
    "observation": QT_TRANSLATE_NOOP("PeopleMenu", "Results and measurements"),
    "diagnostic_report": QT_TRANSLATE_NOOP("PeopleMenu", "Reports"),
    "document": QT_TRANSLATE_NOOP("PeopleMenu", "Documents"),
    "medication": QT_TRANSLATE_NOOP("PeopleMenu", "Medications"),
    "immunization": QT_TRANSLATE_NOOP("PeopleMenu", "Immunizations"),
    "allergy": QT_TRANSLATE_NOOP("PeopleMenu", "Allergies"),
    "condition": QT_TRANSLATE_NOOP("PeopleMenu", "Conditions"),
    "procedure": QT_TRANSLATE_NOOP("PeopleMenu", "Procedures"),
}
SEX_WORDS = {
    "female": QT_TRANSLATE_NOOP("PeopleMenu", "female"),
    "male": QT_TRANSLATE_NOOP("PeopleMenu", "male"),
    "other": QT_TRANSLATE_NOOP("PeopleMenu", "other"),
    "unknown": QT_TRANSLATE_NOOP("PeopleMenu", "unknown"),
}


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
            s += translate("PeopleMenu", ", %n duplicates folded into what was there", None, res.folded)
    if res.skipped_deleted:
        s += translate("PeopleMenu", ", %n left out (deleted there before)", None, res.skipped_deleted)
    return s


class EditPersonDialog(QDialog):
    def __init__(self, session: SessionSource, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EditPersonDialog")
        self.session, self.person = session_of(session), person
        self.op: ops.Op | None = None
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
        for text, field in ((self.tr("&Name"), self.name), (self.tr("&Born"), self.born), (self.tr("&Sex"), self.sex)):
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

    def save(self) -> ops.Op:
        """Save on the worker; what is wrong shows in the form, which stays open."""
        people, pid = self.session.people, self.person.id or ""
        name, born, sex = self.name.text(), self.born.text(), str(self.sex.currentData() or "")

        def work(_ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of(ops.PEOPLE, people.edit(pid, name=name, birth_date=born, sex=sex), pid)

        self.op = (
            ops.write(self, work)
            .success(lambda _c: self.accept())
            .failure(lambda e: show_error(self.error, ops.friendly(e)))
            .run()
        )
        return self.op


class MergeDialog(QDialog):
    """Merge ``other`` into a person chosen here, after showing what will move."""

    def __init__(self, session: SessionSource, other: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MergeDialog")
        self.session, self.other = session_of(session), other
        self.op: ops.Op | None = None
        self.merged: MoveResult | None = None
        self.setWindowTitle(self.tr("Merge {name} into…").format(name=other.name))
        lay = QVBoxLayout(self)
        head = QLabel(
            self.tr("<b>{name}</b> ({born}) is the same person as:").format(
                name=other.name.replace("<", "&lt;"), born=_born(other)
            )
        )
        head.setWordWrap(True)
        lay.addWidget(head)
        self.target = QComboBox()
        self.target.setObjectName("MergeTarget")
        head.setBuddy(self.target)
        self.target.setAccessibleName(self.tr("The person {name} is the same as").format(name=other.name))
        self.people = [p for p in self.session.persons() if p.id != other.id]
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
        pv = self.session.people.merge_preview(into, self.other.id or "")
        imports = self.tr("%n import", "", pv.imports) if pv.imports == 1 else self.tr("%n imports", "", pv.imports)
        folded = (
            self.tr("%n of them is already in {into}'s records", "", pv.duplicates)
            if pv.duplicates == 1
            else self.tr("%n of them are already in {into}'s records", "", pv.duplicates)
        )
        self.what.setText(
            self.tr(
                "All of {other}'s records move to {into}: {records} from {imports}. {folded} and will be "
                "folded, not copied twice."
            ).format(
                other=pv.other.name,
                into=pv.into.name,
                records=_records(pv.total),
                imports=imports,
                folded=folded.format(into=pv.into.name),
            )
        )
        for kind, n in sorted(pv.by_kind.items(), key=lambda t: -t[1]):
            if n:
                it = QTreeWidgetItem([_tr(KIND_NAMES[kind]) if kind in KIND_NAMES else kind, fmt_num(n)])
                it.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                self.tree.addTopLevelItem(it)
        self.after.setText(
            self.tr("{other} then goes to the Trash. Restoring {other} from the Trash undoes the merge.").format(
                other=pv.other.name
            )
        )
        self.merge_btn.setEnabled(True)
        return pv

    def start(self) -> ops.Op | None:
        into = self.target_id()
        if into is None:
            return None
        people, other = self.session.people, self.other.id or ""
        self.merge_btn.setEnabled(False)
        self.target.setEnabled(False)
        self.bar.setRange(0, 0)
        self.bar.show()

        def work(ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of({ops.PEOPLE, ops.RECORDS}, people.merge(into, other, progress=ctx.progress))

        def progress(done: int, total: int, _label: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

        def done(changed: ops.Changed) -> None:
            self.merged = changed.value
            self.accept()

        def failed(exc: BaseException) -> None:
            self.bar.hide()
            show_error(self.error, ops.friendly(exc))
            self.merge_btn.setEnabled(True)
            self.target.setEnabled(True)

        self.op = ops.write(self, work).with_progress(progress).success(done).failure(failed).run()
        return self.op


def _ask_yes(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _ask_person(parent: QWidget, title: str, text: str, names: list[str]) -> str | None:
    from PySide6.QtWidgets import QInputDialog

    name, ok = QInputDialog.getItem(parent, title, text, names, 0, False)
    return name if ok and name else None


class PeopleController:
    # seams for tests (the real ones are modal boxes)
    ask_yes: Callable[[QWidget, str, str], bool] = staticmethod(_ask_yes)  # type: ignore[assignment]
    ask_person: Callable[[QWidget, str, str, list[str]], str | None] = staticmethod(_ask_person)  # type: ignore[assignment]

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.window = shell.widget()  # the parent of dialogs and questions
        self.dialogs: list[QDialog] = []
        w = self.window
        self.act_edit = QAction(translate("PeopleMenu", "Edit…"), w)
        self.act_edit.setObjectName("EditPerson")
        self.act_merge = QAction(translate("PeopleMenu", "Merge into…"), w)
        self.act_merge.setObjectName("MergePerson")
        self.act_remove = QAction(translate("PeopleMenu", "Remove…"), w)
        self.act_remove.setObjectName("RemovePerson")
        shell.add_action(self.act_edit, MENU_PEOPLE, separator=True)
        for a in (self.act_merge, self.act_remove):
            shell.add_action(a, MENU_PEOPLE)
        self.act_edit.setStatusTip(translate("PeopleMenu", "Change the chosen person's name, date of birth or sex"))
        self.act_merge.setStatusTip(
            translate("PeopleMenu", "The chosen person is the same as someone else: bring their records together")
        )
        self.act_remove.setStatusTip(translate("PeopleMenu", "Move the chosen person and their records to the Trash"))
        self.act_edit.triggered.connect(lambda: self.edit())
        self.act_merge.triggered.connect(lambda: self.merge())
        self.act_remove.triggered.connect(lambda: self.remove())
        shell.set_person_menu(self.context_menu)
        shell.person_changed.connect(lambda _pid: self._enable())
        shell.add_row_menu(self._row_menu, order=50)
        self._enable()

    # ------------------------------------------------------------------ which person
    def current(self) -> Person | None:
        session, pid = self.shell.session, self.shell.current_person()
        if session is None or not pid:
            return None
        try:
            return session.person(pid)
        except MedRecordsError:
            return None

    def _enable(self) -> None:
        session = self.shell.session
        has = session is not None and self.current() is not None
        owner = session is not None and session.is_owner()
        for a in (self.act_edit, self.act_merge, self.act_remove):
            a.setEnabled(has and owner)
            why = (
                translate("PeopleMenu", "Only the vault's owner can change people")
                if has
                else translate("PeopleMenu", "Choose a person in the sidebar first")
            )
            a.setToolTip("" if has and owner else why)

    def context_menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu(parent or self.window)
        menu.setObjectName("PersonMenu")
        for a in (self.act_edit, self.act_merge, self.act_remove):
            menu.addAction(a)
        return menu

    def _row_menu(self, e: Entry, menu: QMenu) -> None:
        move = menu.addAction(translate("Records", "Move to another person…"))
        move.triggered.connect(lambda: self.move_items([e.id]))

    def _changed(self, select: str | None = None) -> None:
        """After a write (the views were told through the shell): choose ``select`` in the sidebar."""
        if select is not None:
            self.shell.choose_person(select)
        self._enable()

    # ------------------------------------------------------------------ actions
    def edit(self, person: Person | None = None) -> EditPersonDialog | None:
        p, session = person or self.current(), self.shell.session
        if p is None or session is None:
            return None
        dlg = EditPersonDialog(session, p, self.window)
        dlg.accepted.connect(lambda: self._changed(p.id))
        self._keep(dlg)
        dlg.open()
        return dlg

    def merge(self, person: Person | None = None) -> MergeDialog | None:
        p, session = person or self.current(), self.shell.session
        if p is None or session is None:
            return None
        dlg = MergeDialog(session, p, self.window)

        def merged() -> None:
            into = dlg.target_id()
            self._changed(into)
            if dlg.merged is not None:
                self.shell.statusBar().showMessage(
                    translate("PeopleMenu", "Merged {name}: {what}. Restore {name} from the Trash to undo.").format(
                        name=p.name, what=summary(dlg.merged)
                    ),
                    15000,
                )

        dlg.accepted.connect(merged)
        self._keep(dlg)
        dlg.open()
        return dlg

    def remove(self, person: Person | None = None) -> ops.Op | None:
        p = person or self.current()
        w, session = self.window, self.shell.session
        if p is None or session is None or not p.id:
            return None
        n = session.item_count(p.id)
        question = translate(
            "PeopleMenu",
            "Move {name} and {records} to the Trash?\n\nYou can restore them from the Trash until it is emptied.",
        ).format(name=p.name, records=_records(n))
        if not self.ask_yes(w, translate("PeopleMenu", "Remove a family member"), question):
            return None
        people, pid = session.people, p.id

        def work(_ctx: ops.OpContext) -> ops.Changed:
            people.remove(pid)
            return ops.Changed.of({ops.PEOPLE, ops.RECORDS}, pid, pid)

        def done(_c: ops.Changed) -> None:
            self.shell.choose_person(None)
            self._changed()
            self.shell.statusBar().showMessage(
                translate("PeopleMenu", "{name} is in the Trash.").format(name=p.name), 10000
            )

        return ops.write(w, work).success(done).run()

    def move_items(self, item_ids: list[str]) -> ops.Op | None:
        """Give items (a visit brings what hangs on it) to another person; undone from the Trash."""
        w, session = self.window, self.shell.session
        if session is None or not item_ids:
            return None
        pid = item_ids[0].partition(".")[0]
        others = [p for p in session.persons() if p.id != pid]
        if not others:
            QMessageBox.information(
                w,
                translate("PeopleMenu", "Move to another person"),
                translate("PeopleMenu", "There is nobody else to move it to."),
            )
            return None
        name = self.ask_person(
            w,
            translate("PeopleMenu", "Move to another person"),
            translate("PeopleMenu", "Whose record is this?"),
            [p.name for p in others],
        )
        dest = next((p for p in others if p.name == name), None)
        if dest is None:
            return None
        people = session.people

        def work(ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of(ops.RECORDS, people.move_items(item_ids, dest.id or "", progress=ctx.progress))

        def done(changed: ops.Changed) -> None:
            res: MoveResult = changed.value
            self._changed()
            self.shell.statusBar().showMessage(
                translate("PeopleMenu", "Moved to {name}: {what}. Undo it from the Trash.").format(
                    name=dest.name, what=summary(res)
                ),
                15000,
            )

        return ops.write(w, work).success(done).run()

    def _keep(self, dlg: QDialog) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dlg]


def install(shell: Shell) -> PeopleController:
    """Edit…, Merge into…, Remove… in the People menu and the sidebar; Move to another person… on record rows."""
    return shell.register("people", PeopleController(shell))
