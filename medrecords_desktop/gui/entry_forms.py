"""Your own records: a form per kind of entry (Add › Lab result, Blood pressure, ...) and the Correct dialog.

Forms are built in code (QFormLayout).  Nothing is checked here: the fields go to
``EditingService.build``/``add``, and its message (``InvalidInput``) is shown in red under the form while
the dialog stays open, so the service is the one place that decides what a valid entry is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QStringListModel, Qt, Signal
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
from ..services.session import SessionSource, session_of
from . import fmt, ops
from .icons import KIND_SINGULAR, kind_badge
from .records_common import error_label, show_error
from .widgets import muted

KIND_TITLES: dict[str, str] = {
    "lab": QT_TRANSLATE_NOOP("EntryKinds", "Lab result"),
    "blood-pressure": QT_TRANSLATE_NOOP("EntryKinds", "Blood pressure"),
    "vital": QT_TRANSLATE_NOOP("EntryKinds", "Vital sign"),
    "medication": QT_TRANSLATE_NOOP("EntryKinds", "Medication"),
    "condition": QT_TRANSLATE_NOOP("EntryKinds", "Condition"),
    "allergy": QT_TRANSLATE_NOOP("EntryKinds", "Allergy"),
    "immunization": QT_TRANSLATE_NOOP("EntryKinds", "Immunization"),
    "procedure": QT_TRANSLATE_NOOP("EntryKinds", "Procedure"),
    "family-history": QT_TRANSLATE_NOOP("EntryKinds", "Family history"),
    "note": QT_TRANSLATE_NOOP("EntryKinds", "Note"),
}
# Coded answers: the service gets the code, the person reads the words.
_CODED: dict[str, tuple[tuple[str, str], ...]] = {
    "status": (
        ("active", QT_TRANSLATE_NOOP("EntryCodes", "active")),
        ("resolved", QT_TRANSLATE_NOOP("EntryCodes", "resolved")),
        ("inactive", QT_TRANSLATE_NOOP("EntryCodes", "inactive")),
    ),
    "severity": (
        ("", ""),
        ("mild", QT_TRANSLATE_NOOP("EntryCodes", "mild")),
        ("moderate", QT_TRANSLATE_NOOP("EntryCodes", "moderate")),
        ("severe", QT_TRANSLATE_NOOP("EntryCodes", "severe")),
    ),
    "category": (
        ("", ""),
        ("medication", QT_TRANSLATE_NOOP("EntryCodes", "medication")),
        ("food", QT_TRANSLATE_NOOP("EntryCodes", "food")),
        ("environment", QT_TRANSLATE_NOOP("EntryCodes", "environment")),
        ("biologic", QT_TRANSLATE_NOOP("EntryCodes", "biologic")),
    ),
    "relation": (
        ("mother", QT_TRANSLATE_NOOP("EntryCodes", "mother")),
        ("father", QT_TRANSLATE_NOOP("EntryCodes", "father")),
        ("sister", QT_TRANSLATE_NOOP("EntryCodes", "sister")),
        ("brother", QT_TRANSLATE_NOOP("EntryCodes", "brother")),
        ("grandmother", QT_TRANSLATE_NOOP("EntryCodes", "grandmother")),
        ("grandfather", QT_TRANSLATE_NOOP("EntryCodes", "grandfather")),
        ("aunt", QT_TRANSLATE_NOOP("EntryCodes", "aunt")),
        ("uncle", QT_TRANSLATE_NOOP("EntryCodes", "uncle")),
        ("child", QT_TRANSLATE_NOOP("EntryCodes", "child")),
    ),
    "vital": (
        ("weight", QT_TRANSLATE_NOOP("EntryCodes", "weight")),
        ("height", QT_TRANSLATE_NOOP("EntryCodes", "height")),
        ("temperature", QT_TRANSLATE_NOOP("EntryCodes", "temperature")),
        ("pulse", QT_TRANSLATE_NOOP("EntryCodes", "pulse")),
        ("spo2", QT_TRANSLATE_NOOP("EntryCodes", "oxygen saturation (SpO2)")),
        ("glucose", QT_TRANSLATE_NOOP("EntryCodes", "glucose")),
        ("respiratory-rate", QT_TRANSLATE_NOOP("EntryCodes", "respiratory rate")),
    ),
}


def kind_title(kind: str) -> str:
    """The form's title for ``kind`` in the current language ("Lab result")."""
    return QCoreApplication.translate("EntryKinds", KIND_TITLES.get(kind, kind))


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
        self.check.setAccessibleName(label.replace("&", ""))
        self.date = PastDateEdit()
        self.date.setAccessibleName(self.tr("{label}: date").format(label=label.replace("&", "")))
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


def _coded(which: str, editable: bool = False) -> QComboBox:
    """A combo of translated words whose item data is the code the service expects."""
    c = QComboBox()
    c.setEditable(editable)
    for code, words in _CODED[which]:
        c.addItem(QCoreApplication.translate("EntryCodes", words) if words else "", code)
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
        i = w.currentIndex()
        code = w.itemData(i) if i >= 0 else None
        if isinstance(code, str) and w.itemText(i) == w.currentText():
            return code  # a coded answer picked from the list (shown translated)
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
        session: SessionSource,
        kind: str,
        people: dict[str, str],
        person: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session_of(session)
        self.kind = kind
        self.editing: EditingService = self.session.editing
        self.op: ops.Op | None = None
        self.item_id: str | None = None
        self.setObjectName("EntryDialog")
        self.setWindowTitle(self.tr("Add {kind}").format(kind=kind_title(kind).lower()))
        self.setAccessibleName(self.windowTitle())
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
        t = QLabel(kind_title(kind))
        t.setObjectName("DetailTitle")
        titles.addWidget(t)
        titles.addWidget(muted(self.tr("Entered by you; it is marked as your own entry everywhere it shows.")))
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
        self.person.setAccessibleName(self.tr("For whom"))
        self.form.addRow(self.tr("&For"), self.person)
        self.fields: dict[str, QWidget] = {}
        getattr(self, f"_build_{kind.replace('-', '_')}")()
        self.error = error_label()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_btn: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_btn.setObjectName("Primary")
        self.save_btn.setAccessibleName(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    # ------------------------------------------------------------------ the forms
    def _add(self, key: str, label: str, w: QWidget) -> QWidget:
        """One row of the form; ``label`` (already translated) also names the field for screen readers."""
        w.setObjectName(f"field_{key}")
        self.fields[key] = w
        self.form.addRow(label, w)
        if label and isinstance(w, (QLineEdit, QComboBox, QDateEdit, QPlainTextEdit)):
            w.setAccessibleName(label.replace("&", ""))
        return w

    def _date(self, label: str | None = None) -> None:
        self._add("date", label or self.tr("Date"), PastDateEdit())

    def _note(self) -> None:
        self._add("note", self.tr("Note"), _line(self.tr("optional")))

    def _build_lab(self) -> None:
        names = sorted({t.name for t in lab_catalog()}, key=str.casefold)
        test = _combo([""] + names, editable=True)
        test.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        _placeholder(test, self.tr("e.g. Hemoglobin A1c, HbA1c, TSH"))
        words = sorted(
            {w for t in lab_catalog() for w in (t.name, *t.synonyms) if w},
            key=str.casefold,
        )
        comp = QCompleter(QStringListModel(words, test), test)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        test.setCompleter(comp)
        self._add("name", self.tr("Test"), test)
        self._add("value", self.tr("Value"), _line(self.tr("a number, or a word such as Negative"), 260))
        unit = _combo([], editable=True)
        _placeholder(unit, self.tr("unit"))
        unit.setMinimumWidth(140)
        self._add("unit", self.tr("Unit"), unit)
        self.range_hint = muted()  # the chosen test's LOINC code and usual range
        self.form.addRow("", self.range_hint)
        rng = QWidget()
        rl = QHBoxLayout(rng)
        rl.setContentsMargins(0, 0, 0, 0)
        low, high = _line(self.tr("low"), 110), _line(self.tr("high"), 110)
        low.setObjectName("field_low")
        high.setObjectName("field_high")
        low.setAccessibleName(self.tr("Reference range, low"))
        high.setAccessibleName(self.tr("Reference range, high"))
        rl.addWidget(low)
        rl.addWidget(QLabel(self.tr("to")))
        rl.addWidget(high)
        rl.addStretch(1)
        self.fields["low"], self.fields["high"] = low, high
        self.form.addRow(self.tr("Reference range"), rng)
        self._date()
        self._add("lab", self.tr("Lab"), _line(self.tr("which laboratory (optional)")))
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
        units = list(t.units)
        unit.addItems(units)
        if units:
            unit.setCurrentIndex(0)  # the test's usual unit
        lo, hi = t.low, t.high
        usual = " · ".join(
            x
            for x in (
                f"LOINC {t.loinc}" if t.loinc else "",
                self.tr("usual range {range}").format(range=fmt.fmt_range({"ref_low": lo, "ref_high": hi}))
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
        s, d = _line(self.tr("systolic"), 110), _line(self.tr("diastolic"), 110)
        s.setObjectName("field_systolic")
        d.setObjectName("field_diastolic")
        s.setAccessibleName(self.tr("Systolic pressure (the top number), mmHg"))
        d.setAccessibleName(self.tr("Diastolic pressure (the bottom number), mmHg"))
        rl.addWidget(s)
        rl.addWidget(QLabel("/"))
        rl.addWidget(d)
        rl.addWidget(QLabel("mmHg"))
        rl.addStretch(1)
        self.fields["systolic"], self.fields["diastolic"] = s, d
        self.form.addRow(self.tr("Blood pressure"), row)
        self._date()
        self._note()

    def _build_vital(self) -> None:
        which = _coded("vital")
        self._add("name", self.tr("Vital sign"), which)
        self._add("value", self.tr("Value"), _line("", 200))
        unit = self._add("unit", self.tr("Unit"), _combo(list(VITALS[which.currentData()][1])))
        assert isinstance(unit, QComboBox)

        def changed(_index: int) -> None:
            unit.clear()
            unit.addItems(list(VITALS[which.currentData()][1]))

        which.currentIndexChanged.connect(changed)
        self._date()
        self._note()

    def _build_medication(self) -> None:
        self._add("name", self.tr("Medication"), _line(self.tr("name as on the box, e.g. Ibuprofen 200 mg")))
        self._add("otc", "", QCheckBox(self.tr("Over the counter or a supplement")))
        self._add("dose", self.tr("Dose"), _line(self.tr("e.g. 1 tablet")))
        self._add("frequency", self.tr("How often"), _line(self.tr("e.g. twice a day")))
        self._date(self.tr("Started"))
        self._add("stop", self.tr("Stopped"), OptionalDate(self.tr("Stopped on")))
        self._add("reason", self.tr("Reason"), _line(self.tr("what it is for (optional)")))
        self._note()

    def _build_condition(self) -> None:
        self._add("name", self.tr("Condition"), _line(self.tr("e.g. Asthma")))
        self._date(self.tr("Since"))
        self._add("status", self.tr("Status"), _coded("status"))
        self._note()

    def _build_allergy(self) -> None:
        self._add("name", self.tr("Allergic to"), _line(self.tr("e.g. Penicillin")))
        self._add("reaction", self.tr("Reaction"), _line(self.tr("e.g. hives")))
        self._add("severity", self.tr("Severity"), _coded("severity"))
        self._add("category", self.tr("Category"), _coded("category"))
        self._date(self.tr("Noticed"))
        self._note()

    def _build_immunization(self) -> None:
        self._add("name", self.tr("Vaccine"), _line(self.tr("e.g. Influenza, seasonal")))
        self._date(self.tr("Given on"))
        self._add("lot", self.tr("Lot number"), _line(self.tr("optional")))
        self._add("where", self.tr("Where"), _line(self.tr("pharmacy or clinic (optional)")))
        self._note()

    def _build_procedure(self) -> None:
        self._add("name", self.tr("Procedure"), _line(self.tr("e.g. Colonoscopy")))
        self._date()
        self._add("where", self.tr("Where"), _line(self.tr("hospital or clinic (optional)")))
        self._note()

    def _build_family_history(self) -> None:
        self._add("name", self.tr("Condition"), _line(self.tr("e.g. Type 2 diabetes")))
        self._add("relation", self.tr("Relative"), _coded("relation", editable=True))
        self._date(self.tr("Noted on"))
        self._note()

    def _build_note(self) -> None:
        self._add("name", self.tr("Title"), _line(self.tr("e.g. Questions for the next visit")))
        self._date()
        text = QPlainTextEdit()
        text.setMinimumHeight(140)
        text.setTabChangesFocus(True)  # Tab leaves the note (no keyboard trap); Ctrl+Tab inserts nothing
        self._add("text", self.tr("Note"), text)

    # ------------------------------------------------------------------ saving
    def values(self) -> dict[str, Any]:
        return {k: value_of(w) for k, w in self.fields.items()}

    def save(self) -> bool:
        pid = self.person.currentData()
        if pid is None:
            show_error(self.error, self.tr("Add a family member first (People › Add a family member…)."))
            return False
        values, kind, editing = self.values(), self.kind, self.editing
        try:
            editing.build(kind, values)  # what is wrong with the form is said at once, in the form
        except MedRecordsError as e:
            show_error(self.error, str(e))
            return False

        def work(_ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of(ops.RECORDS, editing.add(pid, kind, values), pid)

        def done(changed: ops.Changed) -> None:
            self.item_id = changed.value
            show_error(self.error, None)
            self.saved.emit(changed.value)
            self.accept()

        self.op = ops.write(self, work).success(done).failure(lambda e: show_error(self.error, ops.friendly(e))).run()
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
    "title": QT_TRANSLATE_NOOP("CorrectDialog", "Name"),
    "date": QT_TRANSLATE_NOOP("CorrectDialog", "Date"),
    "value": QT_TRANSLATE_NOOP("CorrectDialog", "Value"),
    "value_text": QT_TRANSLATE_NOOP("CorrectDialog", "Value as text"),
    "unit": QT_TRANSLATE_NOOP("CorrectDialog", "Unit"),
    "ref_low": QT_TRANSLATE_NOOP("CorrectDialog", "Range low"),
    "ref_high": QT_TRANSLATE_NOOP("CorrectDialog", "Range high"),
    "interpretation": QT_TRANSLATE_NOOP("CorrectDialog", "Flag (H, L, A…)"),
    "status": QT_TRANSLATE_NOOP("CorrectDialog", "Status"),
    "dose": QT_TRANSLATE_NOOP("CorrectDialog", "Dose"),
    "note": QT_TRANSLATE_NOOP("CorrectDialog", "Note"),
    "reaction": QT_TRANSLATE_NOOP("CorrectDialog", "Reaction"),
    "severity": QT_TRANSLATE_NOOP("CorrectDialog", "Severity"),
    "lot": QT_TRANSLATE_NOOP("CorrectDialog", "Lot number"),
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
        out[f] = "" if v is None else (fmt.plain_num(v) if isinstance(v, float) else str(v))
    return r.kind, out


class CorrectDialog(QDialog):
    """Correct what a source got wrong; the original is kept and can always be shown again."""

    corrected = Signal(str)

    def __init__(self, session: SessionSource, item_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session_of(session)
        self.item_id = item_id
        self.op: ops.Op | None = None
        self.setObjectName("CorrectDialog")
        records = self.session.records
        self.kind, self.before = current_values(records, item_id)
        title = records.entry(item_id).row.title
        self.setWindowTitle(self.tr("Correct {kind}").format(kind=(KIND_SINGULAR.get(self.kind) or self.kind).lower()))
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        head = QLabel(title)
        head.setObjectName("DetailTitle")
        head.setWordWrap(True)
        lay.addWidget(head)
        lay.addWidget(
            muted(
                self.tr(
                    "Change what is wrong. The source's original stays in the vault; "
                    "“Show original” on the item brings it back."
                )
            )
        )
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLineEdit] = {}
        for f, v in self.before.items():
            e = QLineEdit(v)
            e.setObjectName(f"correct_{f}")
            self.fields[f] = e
            label = self.tr(_CORRECT_LABELS[f]) if f in _CORRECT_LABELS else f
            e.setAccessibleName(label)
            form.addRow(label, e)
        self.reason = QLineEdit()
        self.reason.setObjectName("correct_reason")
        self.reason.setPlaceholderText(self.tr("why, e.g. “typo in the portal: the lab report says 5.4”"))
        self.reason.setAccessibleName(self.tr("Reason for the correction"))
        form.addRow(self.tr("Reason"), self.reason)
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
            show_error(self.error, self.tr("Nothing was changed."))
            return False
        editing, item_id, reason = self.session.editing, self.item_id, self.reason.text().strip() or None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            editing.correct(item_id, changes, reason)
            return ops.Changed.of(ops.RECORDS, item_id)

        def done(_changed: ops.Changed) -> None:
            self.corrected.emit(item_id)
            self.accept()

        self.op = ops.write(self, work).success(done).failure(lambda e: show_error(self.error, ops.friendly(e))).run()
        return True
