"""Import with progress, cancel and a report; asks whose record a file is when the service is unsure.

The import runs on the database worker (ops.Op).  The service's ``choose_person`` callback is called
on that worker; it is answered on the GUI thread: the worker emits a queued signal carrying a
threading.Event and waits on it while the dialog asks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..importers.base import PatientInfo
from ..model.records import Person
from ..services.importing import ImportProgress, ImportReport
from ..services.session import SessionSource, session_of
from . import ops, theme
from .fmt import fmt_short
from .icons import KIND_LABELS, KIND_SINGULAR
from .ops import Op, OpContext, friendly

# How each file went (ImportReport file status), translated on display.
FILE_STATUS = {
    "ok": QT_TRANSLATE_NOOP("ImportDialog", "Imported"),
    "failed": QT_TRANSLATE_NOOP("ImportDialog", "Not imported"),
    "cancelled": QT_TRANSLATE_NOOP("ImportDialog", "Cancelled"),
    "skipped": QT_TRANSLATE_NOOP("ImportDialog", "Skipped"),
}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@dataclass
class PersonQuestion:
    patient: PatientInfo
    candidates: list[Person]
    file: str
    answered: threading.Event = field(default_factory=threading.Event)
    answer: str | None = None


class ChoosePersonDialog(QDialog):
    """Whose records are in this file? One of the candidates, a new person, or skip the file."""

    def __init__(self, q: PersonQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Whose records are these?"))
        self.setMinimumWidth(440)
        lay = QVBoxLayout(self)
        lay.setSpacing(8)
        p = q.patient
        label = p.name or " ".join(x for x in (p.given, p.family) if x) or self.tr("an unnamed patient")
        born = self.tr(", born {date}").format(date=fmt_short(p.birth_date)) if p.birth_date else ""
        head = QLabel(
            self.tr(
                "<b>{file}</b> holds records for <b>{name}</b>{born}.<br>Which person in your vault is this?"
            ).format(file=_esc(Path(q.file).name), name=_esc(label), born=born)
        )
        head.setWordWrap(True)
        lay.addWidget(head)
        self.group = QButtonGroup(self)
        self.choices: dict[int, str] = {}
        from ..services.importing import match_reason

        for n, person in enumerate(q.candidates):  # the likeliest first, each with the reason
            born_p = self.tr(" (born {date})").format(date=fmt_short(person.birth_date)) if person.birth_date else ""
            rb = QRadioButton(f"{person.name}{born_p} — {match_reason(person, p)[1]}")
            self.group.addButton(rb, n)
            self.choices[n] = person.id
            lay.addWidget(rb)
        rb = QRadioButton(self.tr("A new person: {name}").format(name=label))
        self.group.addButton(rb, len(q.candidates))
        self.choices[len(q.candidates)] = "create"
        lay.addWidget(rb)
        self.group.button(0).setChecked(True)
        bb = QDialogButtonBox()
        bb.addButton(self.tr("Import for this person"), QDialogButtonBox.ButtonRole.AcceptRole)
        bb.addButton(self.tr("Skip this file"), QDialogButtonBox.ButtonRole.RejectRole)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)

    def choice(self) -> str | None:
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        return self.choices.get(self.group.checkedId())


class ImportDialog(QDialog):
    """Runs one import and shows its report.  ``imported`` fires on the GUI thread with the report."""

    imported = Signal(object)
    _ask = Signal(object)

    def __init__(self, session: SessionSource, paths: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import"))
        self.setMinimumSize(620, 420)
        self.session, self.paths = session_of(session), paths
        self.report: ImportReport | None = None
        self.op: Op | None = None
        lay = QVBoxLayout(self)
        n = len(paths)
        self.heading = QLabel(self.tr("Importing %n item…", "", n) if n == 1 else self.tr("Importing %n items…", "", n))
        self.heading.setObjectName("CardTitle")
        lay.addWidget(self.heading)
        self.current = QLabel(" ")
        self.current.setObjectName("Muted")
        lay.addWidget(self.current)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(self.tr("Import progress"))
        lay.addWidget(self.bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setObjectName("ImportReport")
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Result"), self.tr("Added"), self.tr("Duplicates")])
        self.tree.setAccessibleName(self.tr("What each file gave"))
        self.tree.setColumnWidth(0, 280)
        self.tree.setColumnWidth(1, 120)
        self.tree.hide()
        lay.addWidget(self.tree, 1)
        self.problems = QLabel()  # full messages: the tree would cut long ones off
        self.problems.setObjectName("ErrorLabel")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()
        lay.addWidget(self.problems)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.setAccessibleDescription(self.tr("Stop the import; what was already added stays"))
        self.cancel_btn.clicked.connect(self.cancel)
        self.close_btn = QPushButton(self.tr("Close"))
        self.close_btn.setObjectName("Primary")
        self.close_btn.clicked.connect(self.accept)
        self.close_btn.hide()
        row.addWidget(self.cancel_btn)
        row.addWidget(self.close_btn)
        lay.addLayout(row)
        self._ask.connect(self._answer_question, Qt.ConnectionType.QueuedConnection)

    def start(self) -> Op:
        importing, paths = self.session.importing, self.paths

        def work(ctx: OpContext) -> ops.Changed:
            def progress(p: ImportProgress) -> None:
                ctx.progress(round(1000 * p.fraction()), 1000, p.label())

            report = importing.import_paths(
                paths, choose_person=self._choose_on_worker, progress=progress, cancel=ctx.cancel
            )
            return ops.Changed.of({ops.RECORDS, ops.PEOPLE}, report)  # an import may add a person

        self.op = ops.write(self, work).with_progress(self._progress).success(self._finished).failure(self._failed)
        self.op.run()
        return self.op

    def cancel(self) -> None:
        if self.op is not None and not self.op.finished:
            self.op.cancel()
            self.cancel_btn.setEnabled(False)
            self.current.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    # ------------------------------------------------------------------ worker side
    def _choose_on_worker(self, patient: PatientInfo, candidates: list[Person], file: str) -> str | None:
        q = PersonQuestion(patient, candidates, file)
        self._ask.emit(q)
        while not q.answered.wait(0.2):
            if self.op is not None and self.op.ctx.cancel.is_set():
                return None
        return q.answer

    # ------------------------------------------------------------------ GUI side
    @Slot(object)
    def _answer_question(self, q: PersonQuestion) -> None:
        dlg = ChoosePersonDialog(q, self)
        dlg.exec()
        q.answer = dlg.choice()
        q.answered.set()

    def _progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.current.setText(label)

    def _finished(self, changed: ops.Changed) -> None:
        report: ImportReport = changed.value
        self.report = report
        self.show_report(report)
        self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.heading.setText(self.tr("Import failed"))
        self.summary.setText(friendly(exc))
        self.summary.setObjectName("ErrorLabel")
        self.summary.setStyleSheet(f"color: {theme.colors().abnormal};")
        self._closing_buttons()

    def _closing_buttons(self) -> None:
        self.cancel_btn.hide()
        self.close_btn.show()
        self.close_btn.setDefault(True)

    def show_report(self, report: ImportReport) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        added = sum(report.added.values())
        failed = len(report.failed)
        cancelled = sum(1 for f in report.files if f.status == "cancelled")
        self.heading.setText(self.tr("Import cancelled") if cancelled else self.tr("Import finished"))
        self.current.setText("")
        nfiles = len(report.files)
        files = self.tr("%n file", "", nfiles) if nfiles == 1 else self.tr("%n files", "", nfiles)
        parts = [
            (
                self.tr("Added %n item from {files}", "", added)
                if added == 1
                else self.tr("Added %n items from {files}", "", added)
            ).format(files=files)
        ]
        if report.duplicates:
            parts.append(self.tr("%n already in the vault (skipped)", "", report.duplicates))
        if failed:
            parts.append(
                self.tr("%n file could not be imported", "", failed)
                if failed == 1
                else self.tr("%n files could not be imported", "", failed)
            )
        self.summary.setText("; ".join(parts) + ".")
        kinds = ", ".join(
            f"{n} {(KIND_LABELS if n != 1 else KIND_SINGULAR).get(k, k).lower()}" for k, n in report.added.most_common()
        )
        if kinds:
            self.summary.setText(self.summary.text() + f"\n{kinds}.")
        self.tree.clear()
        red = theme.colors().abnormal
        for f in report.files:
            status = (
                QCoreApplication.translate("ImportDialog", FILE_STATUS[f.status])
                if f.status in FILE_STATUS
                else f.status
            )
            node = QTreeWidgetItem([Path(f.file).name, status, str(sum(f.added.values())), str(f.duplicates)])
            if f.status == "failed":
                node.setForeground(1, theme_color(red))
            if f.error:
                node.setToolTip(1, f.error)
            if f.patients_found or f.people:
                found = "; ".join(f.patients_found) or self.tr("no patient named in the file")
                into = ", ".join(f.people) or self.tr("nobody")
                node.addChild(
                    QTreeWidgetItem(
                        [self.tr("Patient in the file: {found} → imported into {into}").format(found=found, into=into)]
                    )
                )
            if f.linked_same_day:
                node.addChild(
                    QTreeWidgetItem([self.tr("%n linked to the visit of the same day", "", f.linked_same_day)])
                )
            for w in f.warnings:
                node.addChild(QTreeWidgetItem([self.tr("Note: {text}").format(text=w)]))
            if f.people:
                node.setToolTip(0, self.tr("For {people}").format(people=", ".join(f.people)))
            node.setData(
                0,
                Qt.ItemDataRole.AccessibleTextRole,
                self.tr("{file}: {status}, {added} added, {dups} duplicates").format(
                    file=node.text(0), status=status, added=node.text(2), dups=node.text(3)
                ),
            )
            self.tree.addTopLevelItem(node)
            node.setExpanded(True)
            for i in range(node.childCount()):
                sub_item = node.child(i)
                if sub_item is not None:
                    sub_item.setFirstColumnSpanned(True)
        self.tree.show()
        errors = [
            f"{Path(f.file).name}: {f.error.removeprefix(Path(f.file).name).lstrip(' :')}"
            for f in report.files
            if f.error
        ]
        self.problems.setText("\n".join(errors))
        self.problems.setVisible(bool(errors))
        self._closing_buttons()


def theme_color(hex_color: str):  # noqa: ANN201 - tiny adapter for QTreeWidgetItem.setForeground
    from PySide6.QtGui import QBrush, QColor

    return QBrush(QColor(hex_color))
