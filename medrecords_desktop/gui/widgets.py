"""Small widgets the views share: empty states, a date range bar, and the item detail pane."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..model.records import Item
from ..services.records import Entry, RecordService
from . import fmt, ops
from .icons import KIND_SINGULAR, kind_badge

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls

ANY_DATE = QDate(1900, 1, 1)  # the minimum of a date edit, shown as "Any"


class EmptyState(QLabel):
    """A centred grey sentence saying what to do to fill the pane."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("EmptyState")
        self.setAccessibleName(text)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMargin(24)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setAccessibleName(text)  # what a screen reader says for an empty pane


def title_label(text: str, name: str = "ViewTitle") -> QLabel:
    lab = QLabel(text)
    lab.setObjectName(name)
    lab.setAccessibleName(text)
    return lab


def a11y(w: QWidget, name: str, description: str = "") -> QWidget:
    """Give ``w`` an accessible name (and description) for screen readers; returns it."""
    w.setAccessibleName(name)
    if description:
        w.setAccessibleDescription(description)
    return w


def muted(text: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setObjectName("Muted")
    return lab


class DateEdit(QDateEdit):
    """A calendar date edit whose minimum means 'no limit' and reads "Any"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(QCoreApplication.translate("Fmt", "ddd d MMM yyyy"))
        self.setMinimumDate(ANY_DATE)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText(self.tr("Any"))
        self.setDate(ANY_DATE)
        self.setMinimumWidth(130)
        self.calendarWidget().setGridVisible(False)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        # QDateTimeEdit uses Tab to step through day/month/year; while it shows "Any" (the special
        # value) Tab never left the field: a keyboard trap.  Tab moves on to the next control; the
        # arrow keys still move between the parts of the date.
        return QWidget.focusNextPrevChild(self, next)

    def iso(self) -> str | None:
        d = self.date()
        return None if d == ANY_DATE else d.toString("yyyy-MM-dd")

    def set_iso(self, iso: str | None) -> None:
        self.setDate(QDate.fromString(iso, "yyyy-MM-dd") if iso else ANY_DATE)


class DateRangeBar(QWidget):
    """From / To date edits and a Clear button; emits ``changed`` with (from, to) ISO dates or None."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.date_from = DateEdit()
        self.date_from.setObjectName("DateFrom")
        self.date_to = DateEdit()
        self.date_to.setObjectName("DateTo")
        self.date_from.setAccessibleName(self.tr("From date"))
        self.date_from.setAccessibleDescription(self.tr("Earliest date shown; Any for no limit"))
        self.date_to.setAccessibleName(self.tr("To date"))
        self.date_to.setAccessibleDescription(self.tr("Latest date shown; Any for no limit"))
        self.clear_btn = QPushButton(self.tr("All dates"))
        self.clear_btn.setObjectName("AllDates")
        self.clear_btn.setToolTip(self.tr("Show every date"))
        self.clear_btn.setAccessibleDescription(self.tr("Show every date"))
        from_label, to_label = QLabel(self.tr("From")), QLabel(self.tr("to"))
        from_label.setBuddy(self.date_from)
        to_label.setBuddy(self.date_to)
        lay.addWidget(from_label)
        lay.addWidget(self.date_from)
        lay.addWidget(to_label)
        lay.addWidget(self.date_to)
        lay.addWidget(self.clear_btn)
        self.date_from.dateChanged.connect(self.changed)
        self.date_to.dateChanged.connect(self.changed)
        self.clear_btn.clicked.connect(self.reset)

    def reset(self) -> None:
        self.blockSignals(True)
        self.date_from.set_iso(None)
        self.date_to.set_iso(None)
        self.blockSignals(False)
        self.changed.emit()

    def range(self) -> tuple[str | None, str | None]:
        return self.date_from.iso(), self.date_to.iso()

    def set_range(self, date_from: str | None, date_to: str | None) -> None:
        self.date_from.blockSignals(True)
        self.date_to.blockSignals(True)
        self.date_from.set_iso(date_from)
        self.date_to.set_iso(date_to)
        self.date_from.blockSignals(False)
        self.date_to.blockSignals(False)
        self.changed.emit()


_HIDDEN_FIELDS = {
    "title",
    "date",
    "date_end",
    "provenance",
    "id",
    "person_id",
    "encounter_id",
    "encounter_ref",
    "patient_ref",
    "report_ref",
    "report_id",
    "codes",
    "content",
    "blob_id",
    "sha256",
    "deleted",
    "corrected",
    "date_estimated",
    "text",
    "result_refs",
    "components",
    "flags",
    "code_system",
    "value",
    "unit",
    "ref_low",
    "ref_high",
    "ref_text",
    "value_text",
    "size",
}
_LABELS = {
    "doc_type": QT_TRANSLATE_NOOP("ItemFields", "Type"),
    "mime": QT_TRANSLATE_NOOP("ItemFields", "Format"),
    "encounter_class": QT_TRANSLATE_NOOP("ItemFields", "Class"),
    "encounter_type": QT_TRANSLATE_NOOP("ItemFields", "Visit type"),
    "otc": QT_TRANSLATE_NOOP("ItemFields", "Over the counter"),
    "clinical_status": QT_TRANSLATE_NOOP("ItemFields", "Status"),
    "verification_status": QT_TRANSLATE_NOOP("ItemFields", "Verification"),
    "dose_number": QT_TRANSLATE_NOOP("ItemFields", "Dose number"),
    "body_site": QT_TRANSLATE_NOOP("ItemFields", "Body site"),
    "discharge_disposition": QT_TRANSLATE_NOOP("ItemFields", "Discharged to"),
    "code": QT_TRANSLATE_NOOP("ItemFields", "Code"),
    "author": QT_TRANSLATE_NOOP("ItemFields", "Author"),
    "category": QT_TRANSLATE_NOOP("ItemFields", "Category"),
    "conclusion": QT_TRANSLATE_NOOP("ItemFields", "Conclusion"),
    "criticality": QT_TRANSLATE_NOOP("ItemFields", "Criticality"),
    "derived_from": QT_TRANSLATE_NOOP("ItemFields", "Derived from"),
    "display": QT_TRANSLATE_NOOP("ItemFields", "Display"),
    "dose": QT_TRANSLATE_NOOP("ItemFields", "Dose"),
    "filename": QT_TRANSLATE_NOOP("ItemFields", "File name"),
    "frequency": QT_TRANSLATE_NOOP("ItemFields", "Frequency"),
    "interpretation": QT_TRANSLATE_NOOP("ItemFields", "Interpretation"),
    "location": QT_TRANSLATE_NOOP("ItemFields", "Location"),
    "lot": QT_TRANSLATE_NOOP("ItemFields", "Lot"),
    "note": QT_TRANSLATE_NOOP("ItemFields", "Note"),
    "performer": QT_TRANSLATE_NOOP("ItemFields", "Performed by"),
    "practitioner": QT_TRANSLATE_NOOP("ItemFields", "Practitioner"),
    "prescriber": QT_TRANSLATE_NOOP("ItemFields", "Prescriber"),
    "provider": QT_TRANSLATE_NOOP("ItemFields", "Provider"),
    "reaction": QT_TRANSLATE_NOOP("ItemFields", "Reaction"),
    "reason": QT_TRANSLATE_NOOP("ItemFields", "Reason"),
    "route": QT_TRANSLATE_NOOP("ItemFields", "Route"),
    "severity": QT_TRANSLATE_NOOP("ItemFields", "Severity"),
    "site": QT_TRANSLATE_NOOP("ItemFields", "Site"),
    "status": QT_TRANSLATE_NOOP("ItemFields", "Status"),
}


_INTERPRETATIONS = {
    "N": QT_TRANSLATE_NOOP("ItemFields", "Normal"),
    "H": QT_TRANSLATE_NOOP("ItemFields", "High"),
    "L": QT_TRANSLATE_NOOP("ItemFields", "Low"),
    "HH": QT_TRANSLATE_NOOP("ItemFields", "Critically high"),
    "LL": QT_TRANSLATE_NOOP("ItemFields", "Critically low"),
    "A": QT_TRANSLATE_NOOP("ItemFields", "Abnormal"),
    "AA": QT_TRANSLATE_NOOP("ItemFields", "Critically abnormal"),
}


def _tf(text: str) -> str:
    return QCoreApplication.translate("ItemFields", text)


def source_label() -> str:
    """The label of the "Source" row of ``item_fields`` in the current language."""
    return translate("ItemFields", "Source")


def flag_words(flag: str) -> str:
    """'H' -> 'High' (translated): the flag said in words, for screen readers and beside colours."""
    words = _INTERPRETATIONS.get(flag.upper())
    return _tf(words) if words else flag


_CODED_WORDS = {
    "status",
    "category",
    "clinical_status",
    "verification_status",
    "severity",
    "criticality",
    "route",
}


def item_fields(item: Item) -> list[tuple[str, str]]:
    """(label, value) pairs worth showing for an item, in the dataclass's order."""
    out: list[tuple[str, str]] = []
    if item.date:
        when = fmt.fmt_day(item.date) + (
            translate("ItemFields", " at {time}").format(time=fmt.fmt_time(item.date))
            if fmt.fmt_time(item.date)
            else ""
        )
        if item.date_end and item.date_end[:10] != item.date[:10]:
            when += f" – {fmt.fmt_day(item.date_end)}"
        estimated = translate("ItemFields", " (estimated)") if item.date_estimated else ""
        out.append((translate("ItemFields", "Date"), when + estimated))
    if item.kind == "observation":
        d = item.data()
        val = fmt.fmt_value(d.get("value"), d.get("unit"), d.get("value_text"))
        out.append((translate("ItemFields", "Result"), val))
        rng = fmt.fmt_range(d)
        if rng:
            out.append((translate("ItemFields", "Reference range"), f"{rng} {d.get('unit') or ''}".strip()))
        for c in d.get("components") or []:
            out.append(
                (
                    str(c.get("display") or c.get("code") or translate("ItemFields", "Part")),
                    fmt.fmt_value(c.get("value"), c.get("unit")),
                )
            )
    for f in dataclasses.fields(item):
        if f.name in _HIDDEN_FIELDS:
            continue
        v = getattr(item, f.name)
        if v in (None, "", [], False):
            continue
        if f.name == "code" and item.code_system:
            sysname = item.code_system.rsplit("/", 1)[-1].replace("sct", "SNOMED CT").replace("loinc.org", "LOINC")
            v = f"{v} ({sysname})"
        label = _tf(_LABELS[f.name]) if f.name in _LABELS else f.name.replace("_", " ").capitalize()
        if f.name == "interpretation":
            v = flag_words(str(v))
        elif f.name in _CODED_WORDS and isinstance(v, str) and v.islower():
            v = fmt.code_words(v)  # FHIR codes like "final", "vital-signs", in words
        if isinstance(v, list):  # activities, members, answers, services...: one per line
            v = "\n".join(
                f"{x.get('question')}: {x.get('answer')}" if isinstance(x, dict) and "question" in x else str(x)
                for x in v
            )
        elif isinstance(v, float) and f.name in ("billed", "paid", "patient_paid"):
            v = f"{v:,.2f} {getattr(item, 'currency', '') or ''}".strip()
        out.append((label, translate("ItemFields", "Yes") if v is True else str(v)))
    src = item.provenance
    if src.source_name:
        out.append(
            (
                source_label(),
                src.source_name
                + (
                    translate("ItemFields", " · imported {date}").format(date=fmt.fmt_short(src.imported_at))
                    if src.imported_at
                    else ""
                ),
            )
        )
    return out


class ItemDetail(QWidget):
    """The right-hand pane: one item's facts, and the document itself for documents."""

    open_encounter = Signal(str)

    def __init__(self, parent: QWidget | None = None, empty_text: str | None = None) -> None:
        super().__init__(parent)
        from .viewer import DocumentViewer

        self._records: RecordService | None = None
        self._people_name: Callable[[str], str] = lambda pid: ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.empty = EmptyState(empty_text or self.tr("Select an item to see its details."))
        outer.addWidget(self.empty)
        self.body = QWidget()
        outer.addWidget(self.body)
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        head = QHBoxLayout()
        self.badge = QLabel()
        self.title = QLabel()
        self.title.setObjectName("DetailTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(self.tr("Details"))
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title)
        self.subtitle = muted()
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.visit_btn = QPushButton(self.tr("Open &visit"))
        self.visit_btn.setAccessibleName(self.tr("Open the visit this belongs to"))
        self.visit_btn.setObjectName("OpenVisit")
        self.visit_btn.clicked.connect(self._open_visit)
        head.addWidget(self.visit_btn, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.form_host = QScrollArea()
        self.form_host.setWidgetResizable(True)
        self.form_host.setFrameShape(QFrame.Shape.NoFrame)
        self.form_widget = QWidget()
        self.form = QFormLayout(self.form_widget)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(6)
        self.form_host.setWidget(self.form_widget)
        lay.addWidget(self.form_host)
        self.viewer = DocumentViewer()
        self.viewer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        lay.addWidget(self.viewer, 1)
        self._encounter_id: str | None = None
        self.item: Item | None = None
        self.clear()

    def set_source(self, records: RecordService | None, name_of: Callable[[str], str]) -> None:
        self._records, self._people_name = records, name_of

    def clear(self) -> None:
        self.item = None
        self._encounter_id = None
        self.viewer.clear()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.title.clear()
        self.subtitle.clear()
        self.body.hide()
        self.empty.show()

    def show_entry(self, entry: Entry) -> None:
        if self._records is None:
            return
        item = self._records.read_item(entry.id, with_raw=False)
        ops.note_viewed(self, self._records, entry.id)  # audited on the worker
        self.item = item
        self.empty.hide()
        self.body.show()
        self.badge.setPixmap(kind_badge(item.kind, 36))
        self.title.setText(item.title or KIND_SINGULAR.get(item.kind) or item.kind)
        self.badge.setAccessibleName(KIND_SINGULAR.get(item.kind) or item.kind)
        who = self._people_name(entry.person_id)
        self.subtitle.setText(
            " · ".join(x for x in (KIND_SINGULAR.get(item.kind, item.kind), who, fmt.fmt_day(item.date)) if x)
        )
        while self.form.rowCount():
            self.form.removeRow(0)
        for label, value in item_fields(item):
            v = QLabel(value)
            v.setWordWrap(True)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(muted(label), v)
        self._encounter_id = item.encounter_id if item.kind != "encounter" else entry.id
        self.visit_btn.setVisible(self._encounter_id is not None)
        if item.kind == "document":
            self.form_host.hide()  # the viewer's own line names the file; the subtitle the rest
            d = item.data()
            self.subtitle.setText(
                " · ".join(
                    x
                    for x in (d.get("doc_type") or self.tr("Document"), who, fmt.fmt_day(item.date), d.get("author"))
                    if x
                )
            )
            self.viewer.show()
            self.viewer.show_item(self._records, entry.person_id, entry.id, item)
        else:
            self.form_host.show()
            self.viewer.clear()
            self.viewer.hide()

    def _open_visit(self) -> None:
        if self._encounter_id:
            self.open_encounter.emit(self._encounter_id)


def row_table(
    columns: tuple[str, ...], name: str, stretch: int, selection: QAbstractItemView.SelectionMode
) -> QTableWidget:
    """A read-only list of records as table rows: whole-row selection, no grid, alternating rows,
    the ``stretch`` column taking the spare width."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(30)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    hh = table.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def hline() -> QFrame:
    f = QFrame()
    f.setFrameShape(QFrame.Shape.HLine)
    f.setFrameShadow(QFrame.Shadow.Plain)
    f.setStyleSheet("color: palette(mid);")
    return f


def noop(*_: Any) -> None:
    return None
