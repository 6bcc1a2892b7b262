"""Missing records: the records each visit should have produced that have not arrived, with what to do next.

One row per overdue expectation (and, on request, the ones still on their way): visit date, person,
provider, what is missing, when it was due and how late it is.  Next steps act on the selected row:
sync the person's portal now, open the portal's official website, start a records request (a prefilled
letter PDF, saved unencrypted where the user says, after a warning), or mark it "received on paper" /
"not needed" (audited by the service; Undo takes the mark back).

The clock is a constructor parameter (``today``) so tests and screenshots can move it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.missing import LOOKBACK_DAYS, Expectation, MissingService
from ..services.portals import PortalAccount
from . import fmt, ops, theme
from .views import View
from .widgets import EmptyState, muted, row_table, title_label

COLUMNS = (
    QT_TRANSLATE_NOOP("MissingView", "Visit date"),
    QT_TRANSLATE_NOOP("MissingView", "Person"),
    QT_TRANSLATE_NOOP("MissingView", "Provider"),
    QT_TRANSLATE_NOOP("MissingView", "Visit"),
    QT_TRANSLATE_NOOP("MissingView", "Missing"),
    QT_TRANSLATE_NOOP("MissingView", "Due"),
    QT_TRANSLATE_NOOP("MissingView", "Late by"),
)
COL_DATE, COL_PERSON, COL_PROVIDER, COL_VISIT, COL_WHAT, COL_DUE, COL_LATE = range(len(COLUMNS))
EXP_ROLE = Qt.ItemDataRole.UserRole + 1

EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "MissingView",
    "Nothing is missing in the last {days} days (older visits are not chased).\n\n"
    "For every visit MedRecords checks that the records it usually produces have arrived: an after-visit "
    "summary after an office visit, results after a lab draw, a discharge summary after a hospital stay, "
    "results for tests that were ordered. Anything overdue shows up here with what to do next.",
)
LETTER_WARNING = QT_TRANSLATE_NOOP(
    "MissingView",
    "The letter holds the patient's name, date of birth and the visit it asks about. It is saved as an "
    "ordinary PDF, not encrypted: keep it somewhere private and delete it once it is sent.",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MissingView", text)


class MissingView(View):
    title = QT_TRANSLATE_NOOP("Views", "Missing records")  # the main window shows translate("Views", title)

    def __init__(self, parent: QWidget | None = None, today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.today: Callable[[], date] = today or date.today
        self.rows: list[Expectation] = []
        self.sync_op: ops.Op | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Missing records")))
        top.addStretch(1)
        self.show_waiting = QCheckBox(self.tr("Also show records still on their way"))
        self.show_waiting.setObjectName("ShowWaiting")
        self.show_waiting.toggled.connect(self.refresh)
        top.addWidget(self.show_waiting)
        lay.addLayout(top)
        self.summary = muted()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = row_table(
            tuple(_tr(c) for c in COLUMNS), "MissingTable", COL_VISIT, QAbstractItemView.SelectionMode.SingleSelection
        )
        self.table.setWordWrap(False)
        self.table.setAccessibleName(self.tr("Records not arrived yet"))
        self.table.setAccessibleDescription(self.tr("Choose a row; the next steps are the buttons below the list"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        late = self.table.horizontalHeaderItem(COL_LATE)
        if late is not None:
            late.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for col, w in (
            (COL_DATE, 120),
            (COL_PERSON, 120),
            (COL_PROVIDER, 200),
            (COL_VISIT, 170),
            (COL_WHAT, 190),
            (COL_DUE, 100),
            (COL_LATE, 90),
        ):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState(_tr(EMPTY_TEXT).format(days=LOOKBACK_DAYS))
        self.empty.setObjectName("EmptyState")
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        lay.addWidget(self.body, 1)
        self.detail = muted()
        self.detail.setWordWrap(True)
        lay.addWidget(self.detail)
        steps = QHBoxLayout()
        self.sync_btn = QPushButton(self.tr("Sync portal now"))
        self.sync_btn.setObjectName("SyncPortal")
        self.website_btn = QPushButton(self.tr("Open portal website"))
        self.website_btn.setObjectName("OpenWebsite")
        self.request_btn = QPushButton(self.tr("Request records…"))
        self.request_btn.setObjectName("RequestRecords")
        self.request_btn.setAccessibleDescription(self.tr("Make a letter asking the clinic for this record"))
        self.paper_btn = QPushButton(self.tr("Received on paper"))
        self.paper_btn.setObjectName("ReceivedOnPaper")
        self.paper_btn.setAccessibleDescription(self.tr("Mark the chosen record as received on paper"))
        self.not_needed_btn = QPushButton(self.tr("Not needed"))
        self.not_needed_btn.setAccessibleDescription(self.tr("Mark the chosen record as not needed"))
        self.not_needed_btn.setObjectName("NotNeeded")
        for b in (self.sync_btn, self.website_btn, self.request_btn):
            steps.addWidget(b)
        steps.addStretch(1)
        steps.addWidget(self.paper_btn)
        steps.addWidget(self.not_needed_btn)
        lay.addLayout(steps)
        undo = QHBoxLayout()
        self.undo_label = muted()
        self.undo_btn = QPushButton(self.tr("Undo"))
        self.undo_btn.setAccessibleDescription(self.tr("Take back the last mark"))
        self.undo_btn.setObjectName("UndoMark")
        undo.addWidget(self.undo_label, 1)
        undo.addWidget(self.undo_btn)
        lay.addLayout(undo)
        self._undo: tuple[str, str] | None = None
        self._set_undo(None, "")
        self.sync_btn.clicked.connect(self.sync_portal)
        self.website_btn.clicked.connect(self.open_website)
        self.request_btn.clicked.connect(self.request_records)
        self.paper_btn.clicked.connect(lambda: self.mark("received-on-paper"))
        self.not_needed_btn.clicked.connect(lambda: self.mark("not-needed"))
        self.undo_btn.clicked.connect(self.undo)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        order = [
            self.show_waiting,
            self.table,
            self.sync_btn,
            self.website_btn,
            self.request_btn,
            self.paper_btn,
            self.not_needed_btn,
            self.undo_btn,
        ]
        for before, after in zip(order, order[1:], strict=False):
            self.setTabOrder(before, after)
        self._selection_changed()

    # ------------------------------------------------------------------ data
    def service(self) -> MissingService | None:
        return self.ctx.session.missing if self.ctx.session is not None else None

    def refresh(self) -> None:
        svc = self.service()
        if svc is None:
            return
        try:
            rows = svc.expectations(self.ctx.person, today=self.today())
        except MedRecordsError as e:
            ops.show_error(self, e)
            rows = []
        wanted = ("overdue", "waiting") if self.show_waiting.isChecked() else ("overdue",)
        self.rows = [e for e in rows if e.status in wanted]
        self._fill()

    def _fill(self) -> None:
        c = theme.colors()
        red, grey = QBrush(QColor(c.abnormal)), QBrush(QColor(c.muted))
        today = self.today()
        self.table.setRowCount(len(self.rows))
        for n, e in enumerate(self.rows):
            due = fmt.parse_day(e.due)
            if e.status == "overdue":
                late = (
                    self.tr("%n day", "", e.days_overdue)
                    if e.days_overdue == 1
                    else self.tr("%n days", "", e.days_overdue)
                )
            elif due and due >= today:
                late = self.tr("due in %n d", "", (due - today).days)
            else:
                late = self.tr("waiting")
            cells = (
                fmt.fmt_short(e.encounter_date),
                e.person,
                e.provider or "—",
                e.encounter_title,
                e.label,
                fmt.fmt_short(e.due),
                late,
            )
            sentence = self.tr("{what} missing for the visit “{visit}” of {date}, {person}, {late}").format(
                what=e.label,
                visit=e.encounter_title,
                date=fmt.fmt_long(e.encounter_date),
                person=e.person,
                late=(self.tr("late by {late}").format(late=late) if e.status == "overdue" else late),
            )
            for col, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(EXP_ROLE, n)
                it.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
                if col == COL_LATE:
                    it.setForeground(red if e.status == "overdue" else grey)
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if e.status == "overdue":
                        f = it.font()
                        f.setBold(True)
                        it.setFont(f)
                if col == COL_WHAT and e.note:
                    it.setToolTip(e.note)
                self.table.setItem(n, col, it)
        self.table.setColumnHidden(COL_PERSON, self.ctx.person is not None)
        overdue = sum(1 for e in self.rows if e.status == "overdue")
        if overdue == 1:
            summary = self.tr("%n record is overdue. Select one to see the next steps.", "", overdue)
        elif overdue:
            summary = self.tr("%n records are overdue. Select one to see the next steps.", "", overdue)
        else:
            summary = self.tr("Every visit's expected records have arrived or are marked.")
        self.summary.setText(summary)
        self.body.setCurrentWidget(self.table if self.rows else self.empty)
        if self.rows:
            self.table.selectRow(0)
        self._selection_changed()

    def clear(self) -> None:
        super().clear()
        self.rows = []
        self.table.setRowCount(0)
        self.detail.clear()
        self._set_undo(None, "")

    # ------------------------------------------------------------------ selection
    def current(self) -> Expectation | None:
        row = self.table.currentRow()
        if not self.table.selectionModel().hasSelection() or not 0 <= row < len(self.rows):
            return None
        return self.rows[row]

    def portals_for(self, e: Expectation) -> list[PortalAccount]:
        if self.ctx.session is None:
            return []
        return [a for a in self.ctx.session.portals.accounts() if a.person_id == e.person_id]

    def _selection_changed(self) -> None:
        e = self.current()
        portals = self.portals_for(e) if e is not None else []
        api = [a for a in portals if a.has_api and a.status == "connected"]
        sites = [a for a in portals if a.website]
        self.sync_btn.setEnabled(bool(api) and (self.sync_op is None or self.sync_op.finished))
        self.sync_btn.setToolTip(
            self.tr("Fetch new records from {names}").format(names=", ".join(a.name for a in api))
            if api
            else self.tr("No connected portal for this person (add one under Portals).")
        )
        self.website_btn.setEnabled(bool(sites))
        self.website_btn.setToolTip(
            sites[0].website or "" if sites else self.tr("No portal website saved for this person.")
        )
        for b in (self.request_btn, self.paper_btn, self.not_needed_btn):
            b.setEnabled(e is not None)
        if e is None:
            self.detail.clear()
            return
        steps = "; ".join(e.next_steps) if e.next_steps else self.tr("wait a few more days")
        self.detail.setText(
            self.tr("{what} for {person}'s visit “{visit}” on {date} ({provider}). Next: {steps}.").format(
                what=e.label,
                person=e.person,
                visit=e.encounter_title,
                date=fmt.fmt_day(e.encounter_date),
                provider=e.provider or self.tr("provider unknown"),
                steps=steps,
            )
        )

    # ------------------------------------------------------------------ next steps
    def sync_portal(self) -> ops.Op | None:
        e = self.current()
        if e is None or self.ctx.session is None:
            return None
        names = [a.name for a in self.portals_for(e) if a.has_api and a.status == "connected"]
        if not names:
            return None
        svc = self.ctx.session.portals

        def work(ctx: ops.OpContext) -> ops.Changed:
            added = 0
            for n, name in enumerate(names):
                ctx.progress(n, len(names), name)
                out = svc.sync(name, cancel=ctx.cancel)
                added += sum(out.added.values())
            return ops.Changed.of({ops.RECORDS, ops.PORTALS}, added)

        def done(changed: ops.Changed) -> None:
            added = changed.value
            self.refresh_if_stale()
            self.detail.setText(
                self.tr("Portal synced: %n new record.", "", added)
                if added == 1
                else self.tr("Portal synced: %n new records.", "", added)
            )

        self.sync_btn.setEnabled(False)
        self.detail.setText(self.tr("Syncing {names}…").format(names=", ".join(names)))
        self.sync_op = ops.write(self, work).success(done).failure(self._sync_failed).run()
        return self.sync_op

    def _sync_failed(self, exc: BaseException) -> None:
        self.detail.setText(ops.friendly(exc))
        self._selection_changed()
        ops.show_error(self, exc, self.tr("Portal sync"))

    def open_website(self) -> bool:
        e = self.current()
        sites = [a.website for a in self.portals_for(e) if a.website] if e else []
        if not sites:
            return False
        return QDesktopServices.openUrl(QUrl(sites[0]))

    def request_records(self) -> ops.Op | None:
        """Write the request letter (after the warning and a file name) on the worker; the op's result is the path."""
        e = self.current()
        svc = self.service()
        if e is None or svc is None:
            return None
        answer = QMessageBox.warning(
            self,
            self.tr("Records request letter"),
            _tr(LETTER_WARNING),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Ok,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return None
        name = self.tr("records-request-{date}.pdf").format(date=e.encounter_date)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the request letter"), str(Path.home() / name), self.tr("PDF (*.pdf)")
        )
        if not path:
            return None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            try:
                svc.request_records(e, Path(path))
            except OSError as exc:
                raise MedRecordsError(str(exc)) from exc
            return ops.Changed.of(ops.REQUESTS, Path(path), e.person_id)

        def done(_changed: ops.Changed) -> None:
            self.detail.setText(
                self.tr("Letter saved to {path}. The request is tracked; print, sign and send it.").format(path=path)
            )

        return ops.write(self, work).success(done).run()

    def mark(self, status: str) -> ops.Op | None:
        e = self.current()
        svc = self.service()
        if e is None or svc is None:
            return None
        text = (
            self.tr("Marked “{what}” ({person}, {date}) as received on paper.")
            if status == "received-on-paper"
            else self.tr("Marked “{what}” ({person}, {date}) as not needed.")
        )

        def work(_ctx: ops.OpContext) -> ops.Changed:
            svc.mark(e.encounter_id, e.rule_id, status)
            return ops.Changed.of(ops.MARKS, e.encounter_id, e.person_id)

        def done(_changed: ops.Changed) -> None:
            self._set_undo(
                (e.encounter_id, e.rule_id),
                text.format(what=e.label, person=e.person, date=fmt.fmt_short(e.encounter_date)),
            )
            self.refresh_if_stale()

        return ops.write(self, work).success(done).run()

    def undo(self) -> ops.Op | None:
        svc = self.service()
        if self._undo is None or svc is None:
            return None
        enc, rule = self._undo
        self._set_undo(None, "")

        def work(_ctx: ops.OpContext) -> ops.Changed:
            svc.unmark(enc, rule)
            return ops.Changed.of(ops.MARKS, enc)

        return ops.write(self, work).success(lambda _c: self.refresh_if_stale()).run()

    def _set_undo(self, target: tuple[str, str] | None, text: str) -> None:
        self._undo = target
        self.undo_label.setText(text)
        self.undo_btn.setVisible(target is not None)
        self.undo_label.setVisible(bool(text))
