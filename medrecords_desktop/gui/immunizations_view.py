"""The Immunizations view: for one person, each vaccine group with its doses (evaluated: valid, not
valid and why), what is due and when; overdue in red and marked OVERDUE in words. For everyone, one
line per person with what is due. Also puts a "due soon" line on the Everyone timeline.

``install(window)`` adds the view to the sidebar using the window's public pieces (views, stack,
view_list), like the other extensions. The forecast is computed by services/immunizations.py (about
10 ms a person: no worker thread needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.immunizations import ImmunizationService, PersonImmunizations
from . import icons, theme
from .views import View
from .widgets import title_label

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_TEXT = {"overdue": "OVERDUE", "due": "Due now", "due-soon": "Due soon", "upcoming": "Later",
              "complete": "Complete", "immune": "Immune", "aged-out": "No longer recommended for age",
              "contraindicated": "Not now: contraindicated"}
COLUMNS = ("Vaccine group / dose", "Status", "Next dose", "Earliest", "Recommended", "Past due", "Vaccine to give")


def _d(iso: str | None) -> str:
    return iso or ""


def due_line(views: list[PersonImmunizations]) -> str:
    """One line for the family: per person, how many vaccine groups are overdue, due now or due soon."""
    parts = []
    for v in views:
        due = v.due_soon()
        if not due:
            continue
        n = {s: sum(1 for g in due if g.state == s) for s in ("overdue", "due", "due-soon")}
        words = [f"{n['overdue']} OVERDUE" if n["overdue"] else "", f"{n['due']} due now" if n["due"] else "",
                 f"{n['due-soon']} due soon" if n["due-soon"] else ""]
        parts.append(f"{v.person.name.split()[0]} {', '.join(w for w in words if w)}")
    if not parts:
        return "Immunizations: nothing due in the next 60 days, by the records in this vault."
    return ("Immunizations by the records in this vault — " + "; ".join(parts)
            + ". See Immunizations, and discuss with a clinician.")


class ImmunizationsView(View):
    title = "Immunizations"

    def __init__(self, today: Callable[[], dt.date] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today
        self.result: list[PersonImmunizations] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        self.heading = title_label("Immunizations")
        lay.addWidget(self.heading)
        self.notice = QLabel()
        self.notice.setObjectName("Muted")
        self.notice.setWordWrap(True)
        lay.addWidget(self.notice)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("ImmunizationSummary")
        lay.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setObjectName("immunizationTree")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        lay.addWidget(self.tree, 1)
        self.attention = QLabel()
        self.attention.setWordWrap(True)
        self.attention.setObjectName("ImmunizationAttention")
        lay.addWidget(self.attention)

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        assert self.ctx.records is not None
        svc = ImmunizationService(self.ctx.records.vault)
        on = self.today()
        try:
            if self.ctx.person is None:
                self.result = svc.family(on)
            else:
                self.result = [svc.for_person(self.ctx.person, on)]
        except MedRecordsError as e:
            self.tree.clear()
            self.summary.setText(str(e))
            return
        self.tree.clear()
        if not self.result:
            self.summary.setText("No one in this vault yet.")
            return
        self.notice.setText(self.result[0].notice + f" As of {on.isoformat()}.")
        if self.ctx.person is None:
            self.heading.setText("Immunizations — everyone")
            self._fill_family()
        else:
            self.heading.setText(f"Immunizations — {self.result[0].person.name}")
            self._fill_person(self.result[0])
        hdr = self.tree.header()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, self.tree.columnCount()):
            hdr.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def _paint_state(self, node: QTreeWidgetItem, state: str) -> None:
        c = theme.colors()
        if state == "overdue":
            red = QBrush(QColor(c.abnormal))
            bold = QFont()
            bold.setWeight(QFont.Weight.Bold)
            for col in range(self.tree.columnCount()):
                node.setForeground(col, red)
            node.setFont(1, bold)
        elif state in ("complete", "immune", "aged-out", "contraindicated"):
            node.setForeground(1, QBrush(QColor(c.muted)))

    def _fill_person(self, v: PersonImmunizations) -> None:
        if v.missing_birth_date:
            self.summary.setText("No birth date in this person's record: add one to see what is due.")
            self.attention.clear()
            return
        counts = {s: sum(1 for g in v.groups if g.state == s) for s in ("overdue", "due", "due-soon")}
        bits = [f"{counts['overdue']} overdue" if counts["overdue"] else "",
                f"{counts['due']} due now" if counts["due"] else "",
                f"{counts['due-soon']} due in the next 60 days" if counts["due-soon"] else ""]
        self.summary.setText(", ".join(b for b in bits if b) or "Nothing due now.")
        for g in v.groups:
            valid = sum(1 for d in g.doses if d["status"] == "Valid")
            nxt = f"dose {valid + 1}" if g.state not in ("complete", "immune", "aged-out", "contraindicated") else ""
            label = f"{g.group}  ({valid} valid dose{'s' if valid != 1 else ''} of {len(g.doses)} recorded)"
            node = QTreeWidgetItem([label, STATE_TEXT.get(g.state, g.state), nxt, _d(g.earliest),
                                    _d(g.recommended), _d(g.past_due), ", ".join(g.vaccines[:2])])
            node.setToolTip(6, "\n".join(g.vaccines))
            if g.note:
                node.setText(6, g.note)
                node.setToolTip(1, g.note)
            self._paint_state(node, g.state)
            for d in g.doses:
                status = d["status"] + (f": {d['reason']}" if d["reason"] else "")
                child = QTreeWidgetItem([f"{d['date']}  {d['vaccine']}", status, "", "", "", "", f"CVX {d['cvx']}"])
                if d["status"] != "Valid":
                    child.setForeground(1, QBrush(QColor(theme.colors().abnormal)))
                node.addChild(child)
            self.tree.addTopLevelItem(node)
            node.setExpanded(g.state in ("overdue", "due", "due-soon") or any(d["status"] != "Valid" for d in g.doses))
        notes = []
        for u in v.unconfirmed:
            notes.append(f"Only a typed-in or scanned form records {u['vaccine']} on {u['date']}; no clinic or "
                         "portal record has it (listed in Missing records: ask the clinic for its record).")
        for name in v.unrecognised:
            notes.append(f"Not recognised as a vaccine the CDC schedule knows, so not counted: {name}.")
        if v.observations:
            notes.append("Conditions taken into account: " + ", ".join(v.observations) + ".")
        self.attention.setText("\n".join(notes))

    def _fill_family(self) -> None:
        self.summary.setText(due_line(self.result))
        for v in self.result:
            due = v.due_soon()
            worst = "overdue" if any(g.state == "overdue" for g in due) else (due[0].state if due else "complete")
            top = QTreeWidgetItem([v.person.name, STATE_TEXT.get(worst, worst) if due else "Nothing due soon",
                                   f"{len(due)} group{'s' if len(due) != 1 else ''}" if due else "",
                                   "", "", "", ""])
            self._paint_state(top, worst)
            for g in due:
                valid = sum(1 for d in g.doses if d["status"] == "Valid")
                child = QTreeWidgetItem([g.group, STATE_TEXT.get(g.state, g.state), f"dose {valid + 1}",
                                         _d(g.earliest), _d(g.recommended), _d(g.past_due), ", ".join(g.vaccines[:2])])
                self._paint_state(child, g.state)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.attention.clear()

    def clear(self) -> None:
        super().clear()
        self.result = []
        self.tree.clear()
        for lab in (self.summary, self.attention, self.notice):
            lab.clear()

    # ------------------------------------------------------------------ for tests and screenshots
    def rows(self) -> list[list[str]]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            n = self.tree.topLevelItem(i)
            if n is not None:
                out.append([n.text(c) for c in range(self.tree.columnCount())])
        return out


class DueSoonLine(QLabel):
    """The family's "due soon" line, shown above the Everyone timeline."""

    def __init__(self, window: Any, today: Callable[[], dt.date] | None = None) -> None:
        super().__init__()
        self.main, self.today = window, today or dt.date.today
        self.setObjectName("DueSoonLine")
        self.setWordWrap(True)
        self.setContentsMargins(16, 4, 16, 0)
        self.hide()

    def update_for(self, person: str | None) -> None:
        vault = getattr(self.main, "vault", None)
        if person is not None or vault is None:
            self.hide()
            return
        try:
            views = ImmunizationService(vault).family(self.today())
        except MedRecordsError:
            self.hide()
            return
        text = due_line(views)
        overdue = any(g.state == "overdue" for v in views for g in v.groups)
        self.setStyleSheet(f"color: {theme.colors().abnormal};" if overdue else "")
        self.setText(text)
        self.show()


class SchoolFormGaps(QLabel):
    """On the Missing records view: doses that only a typed-in school form or a scanned card
    records, with no record from the clinic or a portal ("ask the clinic for its record")."""

    def __init__(self, window: Any, today: Callable[[], dt.date] | None = None) -> None:
        super().__init__()
        self.main, self.today = window, today or dt.date.today
        self.setObjectName("ImmunizationGaps")
        self.setWordWrap(True)
        self.hide()

    def update_for(self, person: str | None) -> None:
        vault = getattr(self.main, "vault", None)
        if vault is None:
            self.hide()
            return
        svc = ImmunizationService(vault)
        try:
            views = [svc.for_person(person, self.today())] if person else svc.family(self.today())
        except MedRecordsError:
            self.hide()
            return
        lines = [f"{v.person.name}: {u['vaccine']} on {u['date']} (only on \u201c{u['source'] or 'a form'}\u201d)"
                 for v in views for u in v.unconfirmed]
        if not lines:
            self.hide()
            return
        self.setText("Immunizations with no record from the clinic or a portal \u2014 a school form or a scanned "
                     "card says they were given; ask the clinic for its record:\n" + "\n".join(lines))
        self.show()


def _follow_context(view: Any, label: Any) -> None:
    orig = view.set_context

    def set_context(ctx: Any, visible: bool) -> None:
        orig(ctx, visible)
        label.update_for(ctx.person) if ctx.records is not None else label.hide()
    view.set_context = set_context  # type: ignore[method-assign]


def install(window: Any, today: Callable[[], dt.date] | None = None) -> ImmunizationsView:
    view = ImmunizationsView(today=today)
    view.setObjectName("immunizationsView")
    window.views["immunizations"] = view
    window.stack.addWidget(view)
    it = QListWidgetItem(icons.icon("immunization", theme.colors().muted), view.title)
    it.setData(PERSON_ROLE, "immunizations")
    # before "Missing records" when that is there (rows already shown keep their place), else last
    lst = window.view_list
    rows = [lst.item(r).data(PERSON_ROLE) for r in range(lst.count())]
    if "missing" in rows:
        lst.insertItem(rows.index("missing"), it)
    else:
        lst.addItem(it)
    lst.setFixedHeight(sum(lst.sizeHintForRow(r) for r in range(lst.count())) + 12)
    labels: list[QLabel] = []
    timeline = window.views.get("timeline")
    if timeline is not None and timeline.layout() is not None:
        line = DueSoonLine(window, today)
        timeline.layout().insertWidget(1, line)
        window.due_soon_line = line
        _follow_context(timeline, line)
        labels.append(line)
    missing = window.views.get("missing")
    if missing is not None and missing.layout() is not None:
        gaps = SchoolFormGaps(window, today)
        missing.layout().insertWidget(2, gaps)
        window.immunization_gaps = gaps
        _follow_context(missing, gaps)
        labels.append(gaps)

    def on_lock() -> None:   # nothing readable stays in the window once it is locked
        for lab in labels:
            lab.clear()
            lab.hide()
    if hasattr(window, "locked"):
        window.locked.connect(on_lock)
    return view
