"""Your own records: a form per kind of entry (Add › Lab result, Blood pressure, ...) and the Correct dialog.

Forms are built in code (QFormLayout).  Nothing is checked here: the fields go to
``EditingService.build``/``add``, and its message (``InvalidInput``) is shown in red under the form while
the dialog stays open, so the service is the one place that decides what a valid entry is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.editing import CORRECTABLE, VITALS, EditingService, find_test, lab_catalog
from ..services.records import RecordService
from ..vault.vault import Vault
from . import fmt
from .icons import KIND_SINGULAR, kind_badge
from .records_common import error_label, show_error
from .widgets import muted

KIND_TITLES: dict[str, str] = {
    "lab": "Lab result",
    "blood-pressure": "Blood pressure",
    "vital": "Vital sign",
    "medication": "Medication",
    "condition": "Condition",
    "allergy": "Allergy",
    "immunization": "Immunization",
    "procedure": "Procedure",
    "family-history": "Family history",
    "note": "Note",
}
_BADGE = {
    "lab": "observation",
    "blood-pressure": "observation",
    "vital": "observation",
    "medication": "medication",
    "condition": "condition",
    "allergy": "allergy",
    "immunization": "immunization",
    "procedure": "procedure",
    "family-history": "condition",
    "note": "document",
}


class PastDateEdit(QDateEdit):
    """A date typed as YYYY-MM-DD or picked from a calendar that offers no future days.

    Typing a future date stays possible (the keyboard is not clamped): the service then says why it
    is refused, in the form's red line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setDateRange(QDate(1900, 1, 1), QDate(2100, 12, 31))
        self.setDate(QDate.currentDate())
        self.calendarWidget().setMaximumDate(QDate.currentDate())
        self.calendarWidget().setGridVisible(False)
        self.setMinimumWidth(130)

    def iso(self) -> str:
        return self.date().toString("yyyy-MM-dd")


class OptionalDate(QWidget):
    """A checkbox ("Stopped") and a date, for dates that may not exist yet."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.date = PastDateEdit()
        self.date.setEnabled(False)
        self.check.toggled.connect(self.date.setEnabled)
        lay.addWidget(self.check)
        lay.addWidget(self.date)
        lay.addStretch(1)

    def iso(self) -> str | None:
        return self.date.iso() if self.check.isChecked() else None


def _line(placeholder: str = "", width: int | None = None) -> QLineEdit:
    e = QLineEdit()
    e.setPlaceholderText(placeholder)
    if width:
        e.setMaximumWidth(width)
    return e


def _combo(items: list[str], editable: bool = False) -> QComboBox:
    c = QComboBox()
    c.setEditable(editable)
    c.addItems(items)
    return c


def _placeholder(combo: QComboBox, text: str) -> None:
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(text)


def value_of(w: QWidget) -> Any:
    """What a field holds, as the service wants it ('' for an empty line, ISO text for dates)."""
    if isinstance(w, OptionalDate):
        return w.iso()
    if isinstance(w, PastDateEdit):
        return w.iso()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QComboBox):
        return w.currentText().strip()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, QLineEdit):
        return w.text().strip()
    raise TypeError(type(w).__name__)


class EntryDialog(QDialog):
    """Add one record by hand: a form for ``kind`` (one of EditingService's MANUAL_KINDS)."""

    saved = Signal(str)  # the new item's public id

    def __init__(
        self,
        vault: Vault,
        kind: str,
        people: dict[str, str],
        person: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.kind = kind
        self.editing = EditingService(vault)
        self.item_id: str | None = None
        self.setObjectName("EntryDialog")
        self.setWindowTitle(f"Add {KIND_TITLES.get(kind, kind).lower()}")
        self.setMinimumWidth(520)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.setSpacing(12)
        head = QHBoxLayout()
        badge = QLabel()
        badge.setPixmap(kind_badge(_BADGE.get(kind, "document"), 36))
        head.addWidget(badge)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        t = QLabel(KIND_TITLES.get(kind, kind))
        t.setObjectName("DetailTitle")
        titles.addWidget(t)
        titles.addWidget(muted("Entered by you; it is marked as your own entry everywhere it shows."))
        head.addLayout(titles, 1)
        outer.addLayout(head)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)
        outer.addLayout(self.form)
        self.person = QComboBox()
        self.person.setObjectName("EntryPerson")
        for pid, name in people.items():
            self.person.addItem(name, pid)
        if person is not None and person in people:
            self.person.setCurrentIndex(list(people).index(person))
        self.form.addRow("For", self.person)
        self.fields: dict[str, QWidget] = {}
        getattr(self, f"_build_{kind.replace('-', '_')}")()
        self.error = error_label()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_btn: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_btn.setObjectName("Primary")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    # ------------------------------------------------------------------ the forms
    def _add(self, key: str, label: str, w: QWidget) -> QWidget:
        w.setObjectName(f"field_{key}")
        self.fields[key] = w
        self.form.addRow(label, w)
        return w

    def _date(self, label: str = "Date") -> None:
        self._add("date", label, PastDateEdit())

    def _note(self) -> None:
        self._add("note", "Note", _line("optional"))

    def _build_lab(self) -> None:
        names = sorted({str(t.get("name")) for t in lab_catalog() if t.get("name")}, key=str.casefold)
        test = _combo([""] + names, editable=True)
        test.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        _placeholder(test, "e.g. Hemoglobin A1c, HbA1c, TSH")
        words = sorted(
            {str(w) for t in lab_catalog() for w in (t.get("name"), *t.get("synonyms", [])) if w},
            key=str.casefold,
        )
        comp = QCompleter(QStringListModel(words, test), test)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        test.setCompleter(comp)
        self._add("name", "Test", test)
        self._add("value", "Value", _line("a number, or a word such as Negative", 260))
        unit = _combo([], editable=True)
        _placeholder(unit, "unit")
        unit.setMinimumWidth(140)
        self._add("unit", "Unit", unit)
        self.range_hint = muted()  # the chosen test's LOINC code and usual range
        self.form.addRow("", self.range_hint)
        rng = QWidget()
        rl = QHBoxLayout(rng)
        rl.setContentsMargins(0, 0, 0, 0)
        low, high = _line("low", 110), _line("high", 110)
        low.setObjectName("field_low")
        high.setObjectName("field_high")
        rl.addWidget(low)
        rl.addWidget(QLabel("to"))
        rl.addWidget(high)
        rl.addStretch(1)
        self.fields["low"], self.fields["high"] = low, high
        self.form.addRow("Reference range", rng)
        self._date()
        self._add("lab", "Lab", _line("which laboratory (optional)"))
        self._note()
        test.currentTextChanged.connect(self._test_changed)

    def _test_changed(self, text: str) -> None:
        t = find_test(text) if text.strip() else None
        unit = self.fields["unit"]
        assert isinstance(unit, QComboBox)
        typed = unit.currentText()
        unit.clear()
        if t is None:
            unit.setEditText(typed)
            self.range_hint.clear()
            return
        units = t.get("units") or t.get("unit") or []
        units = [units] if isinstance(units, str) else list(units)
        unit.addItems(units)
        if units:
            unit.setCurrentIndex(0)  # the test's usual unit
        lo, hi = t.get("low"), t.get("high")
        usual = " · ".join(
            x
            for x in (
                f"LOINC {t.get('loinc')}" if t.get("loinc") else "",
                f"usual range {fmt.fmt_range({'ref_low': lo, 'ref_high': hi})}"
                if lo is not None or hi is not None
                else "",
            )
            if x
        )
        self.range_hint.setText(usual)

    def _build_blood_pressure(self) -> None:
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        s, d = _line("systolic", 110), _line("diastolic", 110)
        s.setObjectName("field_systolic")
        d.setObjectName("field_diastolic")
        rl.addWidget(s)
        rl.addWidget(QLabel("/"))
        rl.addWidget(d)
        rl.addWidget(QLabel("mmHg"))
        rl.addStretch(1)
        self.fields["systolic"], self.fields["diastolic"] = s, d
        self.form.addRow("Blood pressure", row)
        self._date()
        self._note()

    def _build_vital(self) -> None:
        which = _combo(list(VITALS))
        self._add("name", "Vital sign", which)
        self._add("value", "Value", _line("", 200))
        unit = self._add("unit", "Unit", _combo(list(VITALS[which.currentText()][1])))
        assert isinstance(unit, QComboBox)

        def changed(name: str) -> None:
            unit.clear()
            unit.addItems(list(VITALS[name][1]))

        which.currentTextChanged.connect(changed)
        self._date()
        self._note()

    def _build_medication(self) -> None:
        self._add("name", "Medication", _line("name as on the box, e.g. Ibuprofen 200 mg"))
        self._add("otc", "", QCheckBox("Over the counter or a supplement"))
        self._add("dose", "Dose", _line("e.g. 1 tablet"))
        self._add("frequency", "How often", _line("e.g. twice a day"))
        self._date("Started")
        self._add("stop", "Stopped", OptionalDate("Stopped on"))
        self._add("reason", "Reason", _line("what it is for (optional)"))
        self._note()

    def _build_condition(self) -> None:
        self._add("name", "Condition", _line("e.g. Asthma"))
        self._date("Since")
        self._add("status", "Status", _combo(["active", "resolved", "inactive"]))
        self._note()

    def _build_allergy(self) -> None:
        self._add("name", "Allergic to", _line("e.g. Penicillin"))
        self._add("reaction", "Reaction", _line("e.g. hives"))
        self._add("severity", "Severity", _combo(["", "mild", "moderate", "severe"]))
        self._add("category", "Category", _combo(["", "medication", "food", "environment", "biologic"]))
        self._date("Noticed")
        self._note()

    def _build_immunization(self) -> None:
        self._add("name", "Vaccine", _line("e.g. Influenza, seasonal"))
        self._date("Given on")
        self._add("lot", "Lot number", _line("optional"))
        self._add("where", "Where", _line("pharmacy or clinic (optional)"))
        self._note()

    def _build_procedure(self) -> None:
        self._add("name", "Procedure", _line("e.g. Colonoscopy"))
        self._date()
        self._add("where", "Where", _line("hospital or clinic (optional)"))
        self._note()

    def _build_family_history(self) -> None:
        self._add("name", "Condition", _line("e.g. Type 2 diabetes"))
        self._add(
            "relation",
            "Relative",
            _combo(
                [
                    "mother",
                    "father",
                    "sister",
                    "brother",
                    "grandmother",
                    "grandfather",
                    "aunt",
                    "uncle",
                    "child",
                ],
                editable=True,
            ),
        )
        self._date("Noted on")
        self._note()

    def _build_note(self) -> None:
        self._add("name", "Title", _line("e.g. Questions for the next visit"))
        self._date()
        text = QPlainTextEdit()
        text.setMinimumHeight(140)
        self._add("text", "Note", text)

    # ------------------------------------------------------------------ saving
    def values(self) -> dict[str, Any]:
        return {k: value_of(w) for k, w in self.fields.items()}

    def save(self) -> bool:
        pid = self.person.currentData()
        if pid is None:
            show_error(self.error, "Add a family member first (People › Add a family member…).")
            return False
        try:
            self.item_id = self.editing.add(pid, self.kind, self.values())
        except MedRecordsError as e:
            show_error(self.error, str(e))
            return False
        show_error(self.error, None)
        self.saved.emit(self.item_id)
        self.accept()
        return True


# ---------------------------------------------------------------------- corrections
_BY_KIND: dict[str, tuple[str, ...]] = {
    "observation": (
        "title",
        "date",
        "value",
        "value_text",
        "unit",
        "ref_low",
        "ref_high",
        "interpretation",
        "note",
    ),
    "medication": ("title", "date", "dose", "status", "note"),
    "allergy": ("title", "date", "reaction", "severity", "status", "note"),
    "immunization": ("title", "date", "lot", "status", "note"),
}
_CORRECT_LABELS = {
    "title": "Name",
    "date": "Date",
    "value": "Value",
    "value_text": "Value as text",
    "unit": "Unit",
    "ref_low": "Range low",
    "ref_high": "Range high",
    "interpretation": "Flag (H, L, A…)",
    "status": "Status",
    "dose": "Dose",
    "note": "Note",
    "reaction": "Reaction",
    "severity": "Severity",
    "lot": "Lot number",
}


def correctable_fields(kind: str) -> tuple[str, ...]:
    fields = _BY_KIND.get(kind, ("title", "date", "status", "note"))
    return tuple(f for f in fields if f in CORRECTABLE)


def current_values(records: RecordService, item_id: str) -> tuple[str, dict[str, str]]:
    """(kind, field -> the value as shown now, as text) for the fields a correction may change."""
    e = records.entry(item_id)
    r = e.row
    cols: dict[str, Any] = {
        "title": r.title,
        "date": r.date,
        "status": r.status,
        "value": r.value_num,
        "unit": r.unit,
    }
    out: dict[str, str] = {}
    for f in correctable_fields(r.kind):
        v = cols[f] if f in cols else r.data.get(f)
        out[f] = "" if v is None else (fmt.fmt_num(v) if isinstance(v, float) else str(v))
    return r.kind, out


class CorrectDialog(QDialog):
    """Correct what a source got wrong; the original is kept and can always be shown again."""

    corrected = Signal(str)

    def __init__(self, vault: Vault, item_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.item_id = item_id
        self.setObjectName("CorrectDialog")
        records = RecordService(vault)
        self.kind, self.before = current_values(records, item_id)
        title = records.entry(item_id).row.title
        self.setWindowTitle(f"Correct {KIND_SINGULAR.get(self.kind, self.kind).lower()}")
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        head = QLabel(title)
        head.setObjectName("DetailTitle")
        head.setWordWrap(True)
        lay.addWidget(head)
        lay.addWidget(
            muted(
                "Change what is wrong. The source's original stays in the vault; "
                "“Show original” on the item brings it back."
            )
        )
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLineEdit] = {}
        for f, v in self.before.items():
            e = QLineEdit(v)
            e.setObjectName(f"correct_{f}")
            self.fields[f] = e
            form.addRow(_CORRECT_LABELS.get(f, f), e)
        self.reason = QLineEdit()
        self.reason.setObjectName("correct_reason")
        self.reason.setPlaceholderText("why, e.g. “typo in the portal: the lab report says 5.4”")
        form.addRow("Reason", self.reason)
        lay.addLayout(form)
        self.error = error_label()
        lay.addWidget(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_btn = bb.button(QDialogButtonBox.StandardButton.Save)
        self.save_btn.setObjectName("Primary")
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)

    def changes(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for f, e in self.fields.items():
            new = e.text().strip()
            if new != self.before[f]:
                out[f] = new or None
        return out

    def save(self) -> bool:
        changes = self.changes()
        if not changes:
            show_error(self.error, "Nothing was changed.")
            return False
        try:
            EditingService(self.vault).correct(self.item_id, changes, self.reason.text().strip() or None)
        except MedRecordsError as e:
            show_error(self.error, str(e))
            return False
        self.corrected.emit(self.item_id)
        self.accept()
        return True
