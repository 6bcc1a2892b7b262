"""The wrong-person question: a file (or a scan's text) names another patient than the person chosen.

The import runs on a worker; ``WrongPersonAsker.ask`` is the service's ``confirm_person`` callback: it
emits a queued signal to the GUI thread, which shows ``WrongPersonDialog``, and waits for the answer.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ..importers.base import PatientInfo
from ..model.records import Person
from . import fmt


class WrongPersonDialog(QDialog):
    """'This file is about Ruth A. Okafor, born 1958-07-02, not Alice Example.'  Import anyway or not."""

    def __init__(self, patient: PatientInfo, person: Person, file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WrongPersonDialog")
        self.setWindowTitle(self.tr("Is this the right person?"))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        name = patient.name or " ".join(x for x in (patient.given, patient.family) if x) or self.tr("another patient")
        born = self.tr(", born {date}").format(date=fmt.fmt_long(patient.birth_date)) if patient.birth_date else ""
        pborn = self.tr(", born {date}").format(date=fmt.fmt_long(person.birth_date)) if person.birth_date else ""
        self.text = QLabel(
            self.tr(
                "<b>{file}</b> is about <b>{name}</b>{born}.<br><br>"
                "You are adding it to <b>{person}</b>{person_born}.<br><br>"
                "Records filed under the wrong person can mislead a doctor. Add it to {person} anyway?"
            ).format(
                file=html.escape(Path(file).name),
                name=html.escape(name),
                born=born,
                person=html.escape(person.name),
                person_born=pborn,
            )
        )
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.text)
        bb = QDialogButtonBox()
        self.no_btn = bb.addButton(self.tr("Don't add it"), QDialogButtonBox.ButtonRole.RejectRole)
        self.yes_btn = bb.addButton(
            self.tr("Add to {person}").format(person=person.name), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.no_btn.setAccessibleDescription(self.tr("Leave the file out of these records"))
        self.yes_btn.setAccessibleDescription(self.tr("File it under this person all the same"))
        self.no_btn.setDefault(True)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)


class WrongPersonAsker(QObject):
    """Asks on the GUI thread on behalf of a worker (the import service's ``confirm_person``)."""

    _ask = Signal(object)

    def __init__(self, parent: QWidget, cancelled: threading.Event | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.cancelled = cancelled
        self.last_dialog: WrongPersonDialog | None = None
        self._ask.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def ask(self, patient: PatientInfo, person: Person, file: str) -> bool:
        box: dict[str, object] = {"event": threading.Event(), "args": (patient, person, file), "answer": False}
        self._ask.emit(box)
        event = box["event"]
        assert isinstance(event, threading.Event)
        while not event.wait(0.2):
            if self.cancelled is not None and self.cancelled.is_set():
                return False
        return bool(box["answer"])

    @Slot(object)
    def _show(self, box: dict[str, object]) -> None:
        args = box["args"]
        assert isinstance(args, tuple)
        patient, person, file = args
        dlg = WrongPersonDialog(patient, person, str(file), self.parent_widget)
        self.last_dialog = dlg
        box["answer"] = dlg.exec() == QDialog.DialogCode.Accepted
        event = box["event"]
        assert isinstance(event, threading.Event)
        event.set()
