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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.immunizations import PersonImmunizations
from ..services.session import Session
from . import theme
from .fmt import fmt_long, fmt_short
from .shell import Shell
from .views import View
from .widgets import title_label

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
CTX = "ImmunizationsView"
# English source texts, translated on display with translate(CTX, …); lupdate needs the context
# written out, so calls spell "ImmunizationsView".
STATE_TEXT = {
    "overdue": QT_TRANSLATE_NOOP("ImmunizationsView", "OVERDUE"),
    "due": QT_TRANSLATE_NOOP("ImmunizationsView", "Due now"),
    "due-soon": QT_TRANSLATE_NOOP("ImmunizationsView", "Due soon"),
    "upcoming": QT_TRANSLATE_NOOP("ImmunizationsView", "Later"),
    "complete": QT_TRANSLATE_NOOP("ImmunizationsView", "Complete"),
    "immune": QT_TRANSLATE_NOOP("ImmunizationsView", "Immune"),
    "aged-out": QT_TRANSLATE_NOOP("ImmunizationsView", "No longer recommended for age"),
    "contraindicated": QT_TRANSLATE_NOOP("ImmunizationsView", "Not now: contraindicated"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("ImmunizationsView", "Vaccine group / dose"),
    QT_TRANSLATE_NOOP("ImmunizationsView", "Status"),
    QT_TRANSLATE_NOOP("ImmunizationsView", "Next dose"),
    QT_TRANSLATE_NOOP("ImmunizationsView", "Earliest"),
    QT_TRANSLATE_NOOP("ImmunizationsView", "Recommended"),
    QT_TRANSLATE_NOOP("ImmunizationsView", "Past due"),
    QT_TRANSLATE_NOOP("ImmunizationsView", "Vaccine to give"),
)
# How the CDSi evaluation names a dose (immunization/model.py); the reason after it comes from CDC data.
DOSE_STATUS = {
    "Valid": QT_TRANSLATE_NOOP("ImmunizationsView", "Valid"),
    "Not Valid": QT_TRANSLATE_NOOP("ImmunizationsView", "Not Valid"),
    "Extraneous": QT_TRANSLATE_NOOP("ImmunizationsView", "Extraneous"),
    "Sub-standard": QT_TRANSLATE_NOOP("ImmunizationsView", "Sub-standard"),
}
# Why a dose does not count, worded as the CDC test cases word them (immunization/model.py R_*).
DOSE_REASON = {
    r: r
    for r in (
        QT_TRANSLATE_NOOP("ImmunizationsView", "Age: Too Young"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Age: Too Old"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Interval: Too Soon"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Live Virus Conflict"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Inadvertent Vaccine"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Not a preferable or allowable vaccine"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Series Already Complete"),
        QT_TRANSLATE_NOOP("ImmunizationsView", "Skipped"),
    )
}
# The engine's notice (immunization/engine.py NOTICE), said in the language in use.
NOTICE_PREFIX = "Information to discuss with a clinician, not medical advice."


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("ImmunizationsView", text, None, n)


def _state(state: str) -> str:
    return _tr(STATE_TEXT[state]) if state in STATE_TEXT else state


def _dose_status(status: str) -> str:
    return _tr(DOSE_STATUS[status]) if status in DOSE_STATUS else status


def _reasons(text: str) -> str:
    """'Age: Too Young; Live Virus Conflict' in the language in use (unknown reasons as given)."""
    return "; ".join(_tr(r) if r in DOSE_REASON else r for r in text.split("; "))


def _d(iso: str | None) -> str:
    """A forecast date as the language writes it ('1 Jun 2016', '1 jun 2016')."""
    return fmt_short(iso) if iso else ""


def _next_dose(valid: int) -> str:
    return QCoreApplication.translate("ImmunizationsView", "dose {n}").format(n=valid + 1)


def _notice(text: str, version: str | None) -> str:
    if text.startswith(NOTICE_PREFIX) and version:
        return QCoreApplication.translate(
            "ImmunizationsView",
            "Information to discuss with a clinician, not medical advice. "
            "Follows CDC CDSi supporting data version {version}.",
        ).format(version=version)
    return text


def due_line(views: list[PersonImmunizations]) -> str:
    """One line for the family: per person, how many vaccine groups are overdue, due now or due soon."""
    parts = []
    for v in views:
        due = v.due_soon()
        if not due:
            continue
        n = {s: sum(1 for g in due if g.state == s) for s in ("overdue", "due", "due-soon")}
        words = [
            QCoreApplication.translate("ImmunizationsView", "%n OVERDUE", None, n["overdue"]) if n["overdue"] else "",
            QCoreApplication.translate("ImmunizationsView", "%n due now", None, n["due"]) if n["due"] else "",
            QCoreApplication.translate("ImmunizationsView", "%n due soon", None, n["due-soon"])
            if n["due-soon"]
            else "",
        ]
        parts.append(f"{v.person.name.split()[0]} {', '.join(w for w in words if w)}")
    if not parts:
        return QCoreApplication.translate(
            "ImmunizationsView", "Immunizations: nothing due in the next 60 days, by the records in this vault."
        )
    return QCoreApplication.translate(
        "ImmunizationsView",
        "Immunizations by the records in this vault — {who}. See Immunizations, and discuss with a clinician.",
    ).format(who="; ".join(parts))


class ImmunizationsView(View):
    title = QT_TRANSLATE_NOOP("Views", "Immunizations")  # the main window shows translate("Views", title)
    due_soon_line: DueSoonLine  # shown on the timeline (install() puts them there)
    school_form_gaps: SchoolFormGaps  # shown on Missing records

    def __init__(self, today: Callable[[], dt.date] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today
        self.result: list[PersonImmunizations] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        self.heading = title_label(self.tr("Immunizations"))
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
        self.tree.setHeaderLabels([_tr(c) for c in COLUMNS])
        self.tree.setAccessibleName(self.tr("Vaccines and what is due"))
        self.tree.setAccessibleDescription(
            self.tr(
                "One row per vaccine group with its status and the dates of the next dose; expand a row to hear "
                "each recorded dose and whether it counts."
            )
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        lay.addWidget(self.tree, 1)
        self.attention = QLabel()
        self.attention.setWordWrap(True)
        self.attention.setObjectName("ImmunizationAttention")
        lay.addWidget(self.attention)

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        assert self.ctx.session is not None
        svc = self.ctx.session.immunizations
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
            self.summary.setText(self.tr("No one in this vault yet."))
            return
        first = self.result[0]
        self.notice.setText(
            _notice(first.notice, getattr(first, "data_version", None))
            + " "
            + self.tr("As of {date}.").format(date=fmt_long(on.isoformat()))
        )
        if self.ctx.person is None:
            self.heading.setText(self.tr("Immunizations — everyone"))
            self._fill_family()
        else:
            self.heading.setText(self.tr("Immunizations — {name}").format(name=first.person.name))
            self._fill_person(first)
        self.heading.setAccessibleName(self.heading.text())
        hdr = self.tree.header()
        # Columns fit the vaccine groups' rows; a dose row spans the whole width (date, vaccine, whether it
        # counts and why, CVX), so a long reason neither widens Status nor pushes the dates out of view.
        fm, hfm = self.tree.fontMetrics(), hdr.fontMetrics()
        bold = QFont(self.tree.font())
        bold.setWeight(QFont.Weight.Bold)
        bfm = QFontMetrics(bold)  # OVERDUE is bold; headers may be bold in the style sheet
        tops = [t for t in (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())) if t]
        pad = 3 * fm.averageCharWidth()
        last = self.tree.columnCount() - 1
        for col in range(last):
            hdr.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            head = str(hdr.model().headerData(col, Qt.Orientation.Horizontal))
            widths = [hfm.horizontalAdvance(head), bfm.horizontalAdvance(head)]
            widths += [bfm.horizontalAdvance(t.text(col)) for t in tops]
            indent = self.tree.indentation() if col == 0 else 0
            self.tree.setColumnWidth(col, max(widths) + pad + indent)
        hdr.setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)

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
            self.summary.setText(self.tr("No birth date in this person's record: add one to see what is due."))
            self.attention.clear()
            return
        counts = {s: sum(1 for g in v.groups if g.state == s) for s in ("overdue", "due", "due-soon")}
        bits = [
            self.tr("%n overdue", "", counts["overdue"]) if counts["overdue"] else "",
            self.tr("%n due now", "", counts["due"]) if counts["due"] else "",
            self.tr("%n due in the next 60 days", "", counts["due-soon"]) if counts["due-soon"] else "",
        ]
        self.summary.setText(", ".join(b for b in bits if b) or self.tr("Nothing due now."))
        for g in v.groups:
            valid = sum(1 for d in g.doses if d["status"] == "Valid")
            nxt = _next_dose(valid) if g.state not in ("complete", "immune", "aged-out", "contraindicated") else ""
            # Two source texts so that English reads right without a translation file ("1 valid dose").
            counted = (
                self.tr("%n valid dose of {recorded} recorded", "", valid)
                if valid == 1
                else self.tr("%n valid doses of {recorded} recorded", "", valid)
            )
            label = f"{g.group}  ({counted.format(recorded=len(g.doses))})"
            node = QTreeWidgetItem(
                [
                    label,
                    _state(g.state),
                    nxt,
                    _d(g.earliest),
                    _d(g.recommended),
                    _d(g.past_due),
                    ", ".join(g.vaccines[:2]),
                ]
            )
            node.setData(0, Qt.ItemDataRole.AccessibleTextRole, self._sentence(g.group, g.state, nxt, g))
            node.setToolTip(6, "\n".join(g.vaccines))
            if g.note:
                node.setText(6, g.note)
                node.setToolTip(1, g.note)
            self._paint_state(node, g.state)
            for d in g.doses:
                status = _dose_status(d["status"]) + (f": {_reasons(d['reason'])}" if d["reason"] else "")
                child = QTreeWidgetItem([f"{_d(d['date'])}  {d['vaccine']}", status, "", "", "", "", f"CVX {d['cvx']}"])
                # Shown as one line across the row (see refresh); the columns keep the parts for copying/tests.
                child.setText(0, f"{_d(d['date'])}  {d['vaccine']}  \u2014  {status}  ({child.text(6)})")
                child.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{d['vaccine']}, {fmt_long(d['date'])}, {status}")
                if d["status"] != "Valid":
                    child.setForeground(0, QBrush(QColor(theme.colors().abnormal)))
                    child.setForeground(1, QBrush(QColor(theme.colors().abnormal)))
                node.addChild(child)
            self.tree.addTopLevelItem(node)
            for i in range(node.childCount()):  # spanning only takes once the row is in the tree
                if (kid := node.child(i)) is not None:
                    kid.setFirstColumnSpanned(True)
            node.setExpanded(g.state in ("overdue", "due", "due-soon") or any(d["status"] != "Valid" for d in g.doses))
        notes = []
        for u in v.unconfirmed:
            # The date stays in the record's form (YYYY-MM-DD): it is what the form and the clinic will quote.
            notes.append(
                self.tr(
                    "Only a typed-in or scanned form records {vaccine} on {date}; no clinic or portal "
                    "record has it (listed in Missing records: ask the clinic for its record)."
                ).format(vaccine=u["vaccine"], date=u["date"])
            )
        for name in v.unrecognised:
            notes.append(
                self.tr("Not recognised as a vaccine the CDC schedule knows, so not counted: {name}.").format(name=name)
            )
        if v.observations:
            notes.append(self.tr("Conditions taken into account: {list}.").format(list=", ".join(v.observations)))
        self.attention.setText("\n".join(notes))

    def _fill_family(self) -> None:
        self.summary.setText(due_line(self.result))
        for v in self.result:
            due = v.due_soon()
            worst = "overdue" if any(g.state == "overdue" for g in due) else (due[0].state if due else "complete")
            groups = (
                (self.tr("%n group", "", len(due)) if len(due) == 1 else self.tr("%n groups", "", len(due)))
                if due
                else ""
            )
            top = QTreeWidgetItem(
                [v.person.name, _state(worst) if due else self.tr("Nothing due soon"), groups, "", "", "", ""]
            )
            top.setData(
                0, Qt.ItemDataRole.AccessibleTextRole, ", ".join(t for t in (v.person.name, top.text(1), groups) if t)
            )
            self._paint_state(top, worst)
            for g in due:
                valid = sum(1 for d in g.doses if d["status"] == "Valid")
                child = QTreeWidgetItem(
                    [
                        g.group,
                        _state(g.state),
                        _next_dose(valid),
                        _d(g.earliest),
                        _d(g.recommended),
                        _d(g.past_due),
                        ", ".join(g.vaccines[:2]),
                    ]
                )
                child.setData(
                    0, Qt.ItemDataRole.AccessibleTextRole, self._sentence(g.group, g.state, _next_dose(valid), g)
                )
                self._paint_state(child, g.state)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.attention.clear()

    def _sentence(self, group: str, state: str, nxt: str, g: Any) -> str:
        """What a screen reader says for a vaccine group: 'MMR, OVERDUE, dose 2, recommended 1 June 2016'."""
        parts = [group, _state(state), nxt]
        if g.recommended:
            parts.append(self.tr("recommended {date}").format(date=fmt_long(g.recommended)))
        if g.past_due and state == "overdue":
            parts.append(self.tr("past due since {date}").format(date=fmt_long(g.past_due)))
        return ", ".join(p for p in parts if p)

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

    def __init__(self, today: Callable[[], dt.date] | None = None) -> None:
        super().__init__()
        self.today = today or dt.date.today
        self.setObjectName("DueSoonLine")
        self.setWordWrap(True)
        self.setContentsMargins(16, 4, 16, 0)
        self.hide()

    def update_for(self, session: Session, person: str | None) -> None:
        if person is not None:
            self.hide()
            return
        try:
            views = session.immunizations.family(self.today())
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

    def __init__(self, today: Callable[[], dt.date] | None = None) -> None:
        super().__init__()
        self.today = today or dt.date.today
        self.setObjectName("ImmunizationGaps")
        self.setWordWrap(True)
        self.hide()

    def update_for(self, session: Session, person: str | None) -> None:
        svc = session.immunizations
        try:
            views = [svc.for_person(person, self.today())] if person else svc.family(self.today())
        except MedRecordsError:
            self.hide()
            return
        lines = [
            self.tr("{name}: {vaccine} on {date} (only on \u201c{source}\u201d)").format(
                name=v.person.name, vaccine=u["vaccine"], date=u["date"], source=u["source"] or self.tr("a form")
            )
            for v in views
            for u in v.unconfirmed
        ]
        if not lines:
            self.hide()
            return
        self.setText(
            self.tr(
                "Immunizations with no record from the clinic or a portal \u2014 a school form or a "
                "scanned card says they were given; ask the clinic for its record:"
            )
            + "\n"
            + "\n".join(lines)
        )
        self.show()


def install(shell: Shell, today: Callable[[], dt.date] | None = None) -> ImmunizationsView:
    """The Immunizations view (before Missing records when that is there), the family's "due soon" line on
    the timeline and the school-form gaps on Missing records (registered as "immunizations")."""
    view = ImmunizationsView(today=today)
    shell.add_view("immunizations", view, icon="immunization", before="missing")
    view.due_soon_line = DueSoonLine(today)
    view.school_form_gaps = SchoolFormGaps(today)
    shell.add_strip("timeline", view.due_soon_line, index=1)
    shell.add_strip("missing", view.school_form_gaps, index=2)
    return shell.register("immunizations", view)
