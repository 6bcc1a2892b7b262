"""One item in a dialog: its facts, a "Corrected" badge with the original a click away, and where it came
from (portal and sync date, file and import date, or who entered it).

Opened by double-click / Enter / the context menu on timeline and document rows (installed by
``ext_records``); its buttons (Correct…, Move to Trash, Read results) call back into that installer.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..model.records import Item
from ..services.session import SessionSource, session_of
from . import fmt, ops, theme
from .entry_forms import _CORRECT_LABELS
from .icons import KIND_SINGULAR, kind_badge
from .widgets import item_fields, muted, source_label

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


class ItemActions(Protocol):
    """What the dialog's buttons ask of the installer (ext_records.RecordsController)."""

    def open_correct(self, item_id: str, parent: QWidget | None = None) -> Any: ...
    def delete(self, item_id: str) -> Any: ...  # the op moving it to the Trash, or None
    def read_results(self, document_id: str, parent: QWidget | None = None) -> Any: ...
    def can_read_results(self) -> bool: ...


def provenance_text(item: Item) -> str:
    """Where an item came from, in a sentence."""
    p = item.provenance
    when = fmt.fmt_short(p.imported_at) if p.imported_at else ""

    name = p.source_name or ""
    if p.source_kind == "manual":
        who = p.entered_by or ""
        if who:
            out = translate("Provenance", "Entered by {who}").format(who=who)
        else:
            out = translate("Provenance", "Entered by hand")
        return out + (translate("Provenance", " on {date}").format(date=when) if when else "")
    if p.source_kind == "portal":
        return translate("Provenance", "From the patient portal {name}").format(name=name) + (
            translate("Provenance", ", synced {date}").format(date=when) if when else ""
        )
    if p.source_kind == "scan":
        out = translate("Provenance", "Read from the document “{name}”").format(name=name)
        if p.entered_by:
            out += translate("Provenance", ", confirmed by {who}").format(who=p.entered_by)
        return out + (translate("Provenance", " on {date}").format(date=when) if when else "")
    if p.source_kind == "demo":
        return translate("Provenance", "Demo data (made up)")
    if p.source_kind == "packet":
        return translate("Provenance", "From the records packet {name}").format(name=name) + (
            translate("Provenance", ", imported {date}").format(date=when) if when else ""
        )
    return translate("Provenance", "From the file {name}").format(name=name or translate("Provenance", "(unnamed)")) + (
        translate("Provenance", ", imported {date}").format(date=when) if when else ""
    )


def _pill(text: str, color: str, description: str = "") -> QLabel:
    """A coloured badge; its words are the signal (the colour only repeats them)."""
    lab = QLabel(text)
    lab.setObjectName("Pill")
    lab.setAccessibleName(text)
    lab.setAccessibleDescription(description)
    lab.setStyleSheet(
        f"QLabel#Pill {{ color: white; background: {color}; border-radius: 8px; padding: 2px 8px; font-weight: 600; }}"
    )
    return lab


class ItemDetailDialog(QDialog):
    def __init__(
        self, session: SessionSource, item_id: str, actions: ItemActions | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session_of(session)
        self.item_id = item_id
        self.item_actions = actions
        self.changed = False
        self.setObjectName("ItemDetailDialog")
        self.setMinimumSize(560, 520)
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(20, 18, 20, 16)
        self.body: QWidget | None = None
        self.load()

    # ------------------------------------------------------------------ content
    def load(self) -> None:
        if self.body is not None:
            self.lay.removeWidget(self.body)
            self.body.deleteLater()
        self.body = QWidget()
        self.lay.addWidget(self.body)
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        records = self.session.records
        item = records.read_item(self.item_id, with_raw=False)
        ops.note_viewed(self, records, self.item_id)  # audited as a view, on the worker
        self.item = item
        self.setWindowTitle(item.title or KIND_SINGULAR.get(item.kind) or item.kind)
        head = QHBoxLayout()
        badge = QLabel()
        badge.setPixmap(kind_badge(item.kind, 40))
        head.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        t = QLabel(item.title)
        t.setObjectName("DetailTitle")
        t.setWordWrap(True)
        t.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(t)
        titles.addWidget(
            muted(" · ".join(x for x in (KIND_SINGULAR.get(item.kind, item.kind), fmt.fmt_day(item.date)) if x))
        )
        head.addLayout(titles, 1)
        corrected_tip = self.tr("Someone in the family corrected this item; the original is kept.")
        self.corrected_badge = _pill(self.tr("Corrected"), theme.colors().abnormal, corrected_tip)
        self.corrected_badge.setToolTip(corrected_tip)
        self.corrected_badge.setVisible(item.corrected)
        head.addWidget(self.corrected_badge, 0, Qt.AlignmentFlag.AlignTop)
        if item.provenance.source_kind == "manual":
            head.addWidget(
                _pill(self.tr("Your entry"), theme.colors().accent, self.tr("Entered by someone in the family")),
                0,
                Qt.AlignmentFlag.AlignTop,
            )
        lay.addLayout(head)

        inner = QWidget()
        form = QFormLayout(inner)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(14)
        for label, value in item_fields(item):
            if label == source_label():
                continue  # said better below
            v = QLabel(value)
            v.setWordWrap(True)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(muted(label), v)
        self.provenance = QLabel(provenance_text(item))
        self.provenance.setObjectName("Provenance")
        self.provenance.setWordWrap(True)
        form.addRow(muted(self.tr("Came from")), self.provenance)
        lay.addWidget(inner)

        self.original_box = QFrame()
        self.original_box.setObjectName("Card")
        ob = QVBoxLayout(self.original_box)
        cap = QLabel(self.tr("Original, as the source gave it"))
        cap.setObjectName("CardTitle")
        ob.addWidget(cap)
        self.original_form = QFormLayout()
        ob.addLayout(self.original_form)
        self.history = muted()
        self.history.setWordWrap(True)
        ob.addWidget(self.history)
        self.original_box.hide()
        lay.addWidget(self.original_box)
        lay.addStretch(1)
        self._fill_original()

        buttons = QHBoxLayout()
        self.original_btn = QPushButton(self.tr("Show &original"))
        self.original_btn.setObjectName("ShowOriginal")
        self.original_btn.setCheckable(True)
        self.original_btn.setVisible(item.corrected)
        self.original_btn.toggled.connect(self._toggle_original)
        self.correct_btn = QPushButton(self.tr("Co&rrect…"))
        self.correct_btn.setAccessibleName(self.tr("Correct this item"))
        self.correct_btn.setObjectName("CorrectItem")
        self.correct_btn.clicked.connect(self._correct)
        self.results_btn = QPushButton(self.tr("Read results from this document"))
        self.results_btn.setObjectName("ReadResults")
        self.results_btn.clicked.connect(self._read_results)
        self.results_btn.setVisible(
            item.kind == "document" and self.item_actions is not None and self.item_actions.can_read_results()
        )
        self.delete_btn = QPushButton(self.tr("Move to &Trash"))
        self.delete_btn.setAccessibleName(self.tr("Move this item to the Trash"))
        self.delete_btn.setObjectName("DeleteItem")
        self.delete_btn.clicked.connect(self._delete)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for b in (self.original_btn, self.correct_btn, self.results_btn, self.delete_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.correct_btn.setEnabled(self.item_actions is not None)
        self.delete_btn.setEnabled(self.item_actions is not None)
        lay.addLayout(buttons)

    def _fill_original(self) -> None:
        edits = self.session.editing
        original = edits.original_of(self.item_id)
        history = edits.corrections(self.item_id)
        if original is None:
            self.original_values: dict[str, str] = {}
            return
        changed: list[str] = []
        for c in history:
            for k in c.corrected:
                if k not in changed:
                    changed.append(k)
        self.original_values = {}
        for k in changed:
            was = original.get("value_num" if k == "value" and "value" not in original else k)
            shown = (
                self.tr("(empty)") if was in (None, "") else (fmt.fmt_num(was) if isinstance(was, float) else str(was))
            )
            self.original_values[k] = shown
            v = QLabel(shown)
            v.setObjectName(f"original_{k}")
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QCoreApplication.translate("CorrectDialog", _CORRECT_LABELS[k]) if k in _CORRECT_LABELS else k
            self.original_form.addRow(muted(label), v)
        lines = [
            self.tr("{date}: corrected by {who}").format(
                date=fmt.fmt_short(c.created), who=c.user or self.tr("someone")
            )
            + (f" — “{c.reason}”" if c.reason else "")
            for c in history
        ]
        self.history.setText("\n".join(lines))

    def _toggle_original(self, on: bool) -> None:
        self.original_box.setVisible(on)
        self.original_btn.setText(self.tr("Hide &original") if on else self.tr("Show &original"))

    # ------------------------------------------------------------------ buttons
    def _correct(self) -> None:
        dlg = self.item_actions.open_correct(self.item_id, self) if self.item_actions is not None else None
        if dlg is not None:
            dlg.corrected.connect(self._corrected)

    def _corrected(self, _item_id: str) -> None:
        self.changed = True
        self.load()

    def _delete(self) -> None:
        if self.item_actions is not None and self.item_actions.delete(self.item_id):
            self.changed = True
            self.accept()

    def _read_results(self) -> None:
        if self.item_actions is not None:
            self.item_actions.read_results(self.item_id, self)
