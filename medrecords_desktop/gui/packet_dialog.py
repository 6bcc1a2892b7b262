""" "Prepare for an appointment": choose what goes into the encrypted PDF packet, write it, show the result.

The dialog only gathers a ``PacketChoice``; the export service does the work on the database worker
(ops.Op) with progress and Cancel.  A generated password is shown once, on the result page, with a
Copy button; what we copy is taken back from the clipboard after ``clear_after_ms`` if it is still
there.  The default file name carries the date only, never the person's name (the file may be
e-mailed or left in a Downloads folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..errors import AccessDenied, Cancelled
from ..exporters.packet import PacketResult
from ..exporters.packet_i18n import LANGUAGES as PACKET_LANGUAGES
from ..exporters.passphrase import generate_passphrase
from ..services.exporting import INCLUDABLE, PACKET_MIMES, PacketChoice
from ..services.session import SessionSource, session_of
from . import fmt, i18n, ops, theme
from .ops import Op, OpContext, friendly
from .widgets import DateEdit, muted, title_label

CLEAR_AFTER_MS = 30_000
ID_ROLE = Qt.ItemDataRole.UserRole + 7
# English source texts, translated on display with translate("PacketDialog", …).
KIND_NAMES = {
    "medication": QT_TRANSLATE_NOOP("PacketDialog", "Medications"),
    "allergy": QT_TRANSLATE_NOOP("PacketDialog", "Allergies"),
    "condition": QT_TRANSLATE_NOOP("PacketDialog", "Problems"),
    "immunization": QT_TRANSLATE_NOOP("PacketDialog", "Immunizations"),
    "observation": QT_TRANSLATE_NOOP("PacketDialog", "Lab results and vitals"),
    "encounter": QT_TRANSLATE_NOOP("PacketDialog", "Visits"),
    "procedure": QT_TRANSLATE_NOOP("PacketDialog", "Procedures"),
    "document": QT_TRANSLATE_NOOP("PacketDialog", "Documents (attached after the summary)"),
    "care_plan": QT_TRANSLATE_NOOP("PacketDialog", "Care plan, goals, upcoming visits"),
}


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def _tr(text: str) -> str:
    return QCoreApplication.translate("PacketDialog", text)


class TimedClipboard:
    """Copy text and take it back after a while, only if the clipboard still holds exactly our text.

    ``guard`` is the main window's ClipboardGuard when there is one, so locking also takes it back.
    """

    def __init__(self, guard: object | None = None, clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        self.guard = guard
        self.clear_after_ms = clear_after_ms

    def copy(self, text: str) -> None:
        if self.guard is not None and hasattr(self.guard, "copy"):
            self.guard.copy(text)
        else:
            QGuiApplication.clipboard().setText(text)
        # No context object: the timer must fire even after the dialog is gone.
        QTimer.singleShot(self.clear_after_ms, lambda: self._take_back(text))

    def _take_back(self, text: str) -> None:
        cb = QGuiApplication.clipboard()
        if cb.text() == text:
            cb.clear()
        if self.guard is not None and getattr(self.guard, "ours", None) == text:
            self.guard.ours = None  # type: ignore[attr-defined]


def default_file_name(today: date | None = None) -> str:
    # The date only, never the person's name; the words follow the language.
    return QCoreApplication.translate("PacketDialog", "health-summary-{date}.pdf").format(
        date=(today or date.today()).isoformat()
    )


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


@dataclass
class _Doc:
    id: str
    title: str
    day: str
    encounter_id: str | None


class PacketDialog(QDialog):
    """Form page -> (progress) -> result page.  ``packet_result`` holds the PacketResult once written."""

    def __init__(
        self,
        session: SessionSource,
        person_id: str | None = None,
        clipboard: object | None = None,
        clear_after_ms: int = CLEAR_AFTER_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prepare for an appointment"))
        self.setObjectName("PacketDialog")
        self.session = session_of(session)
        self.records = self.session.records
        self.clip = TimedClipboard(clipboard, clear_after_ms)
        self.op: Op | None = None
        self.packet_result: PacketResult | None = None
        self.password_used: str | None = None
        self._docs: list[_Doc] = []
        self.refused = False
        self.resize(860, 760)
        lay = QVBoxLayout(self)
        self.pages = QStackedWidget()
        lay.addWidget(self.pages)
        self._build_form()
        self._build_result()
        people = self.session.persons()
        for p in people:
            self.person.addItem(p.name, p.id)
        if person_id is not None:
            idx = self.person.findData(person_id)
            if idx >= 0:
                self.person.setCurrentIndex(idx)
        self.person.currentIndexChanged.connect(self._person_changed)
        self.date_from.dateChanged.connect(self._reload_lists)
        self.date_to.dateChanged.connect(self._reload_lists)
        self.visits.itemChanged.connect(lambda _it: self._default_documents())
        self._person_changed()

    # ------------------------------------------------------------------ building
    def _build_form(self) -> None:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(8, 4, 8, 4)
        self.inputs = QWidget()  # disabled while the export runs; the buttons below stay usable
        lay = QVBoxLayout(self.inputs)
        lay.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.inputs, 1)
        lay.addWidget(title_label(self.tr("Prepare for an appointment")))
        intro = muted(
            self.tr(
                "One password-protected PDF: a summary of the chosen records, then the chosen "
                "documents. Give the password to the doctor separately."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.person = QComboBox()
        self.person.setObjectName("PacketPerson")
        person_label = QLabel(self.tr("&Person"))
        person_label.setBuddy(self.person)
        self.person.setAccessibleName(self.tr("Person"))
        form.addRow(person_label, self.person)
        dates = QHBoxLayout()
        self.date_from = DateEdit()
        self.date_from.setObjectName("PacketFrom")
        self.date_to = DateEdit()
        self.date_to.setObjectName("PacketTo")
        self.date_from.setAccessibleName(self.tr("Records from"))
        self.date_to.setAccessibleName(self.tr("Records up to"))
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        from_label = QLabel(self.tr("Records &from"))
        from_label.setBuddy(self.date_from)
        form.addRow(from_label, dates)
        self.refusal = QLabel()
        self.refusal.setObjectName("ErrorLabel")
        self.refusal.setWordWrap(True)
        self.refusal.hide()
        lay.addLayout(form)
        lay.addWidget(self.refusal)

        lists = QGridLayout()
        grey = theme.colors().muted
        lists.addWidget(
            QLabel(
                self.tr(
                    "<b>Visits</b> <span style='color:{grey}'>(none ticked: every visit in the dates)</span>"
                ).format(grey=grey)
            ),
            0,
            0,
        )
        lists.addWidget(
            QLabel(
                self.tr("<b>Documents to attach</b> <span style='color:{grey}'>(PDFs and images)</span>").format(
                    grey=grey
                )
            ),
            0,
            1,
        )
        self.visits = QListWidget()
        self.visits.setObjectName("PacketVisits")
        self.visits.setAccessibleName(self.tr("Visits"))
        self.visits.setAccessibleDescription(
            self.tr(
                "Tick the visits to include; none ticked means every visit in the dates. Space ticks the current one."
            )
        )
        self.documents = QListWidget()
        self.documents.setObjectName("PacketDocuments")
        self.documents.setAccessibleName(self.tr("Documents to attach"))
        self.documents.setAccessibleDescription(self.tr("PDFs and images; Space ticks the current one"))
        lists.addWidget(self.visits, 1, 0)
        lists.addWidget(self.documents, 1, 1)
        lists.setRowStretch(1, 1)
        lay.addLayout(lists, 1)

        lay.addWidget(QLabel(self.tr("<b>Include</b>")))
        kinds = QGridLayout()
        self.kinds: dict[str, QCheckBox] = {}
        for n, k in enumerate(INCLUDABLE):
            cb = QCheckBox(_tr(KIND_NAMES[k]) if k in KIND_NAMES else k)
            cb.setChecked(True)
            self.kinds[k] = cb
            kinds.addWidget(cb, n // 4, n % 4)
        self.kinds["document"].toggled.connect(self.documents.setEnabled)
        lay.addLayout(kinds)

        form2 = QFormLayout()
        form2.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.prepared_for = QLineEdit()
        self.prepared_for.setObjectName("PreparedFor")
        self.prepared_for.setPlaceholderText(self.tr("e.g. Dr. Lee, cardiology, 3 December"))
        prepared_label = QLabel(self.tr("Prepared f&or"))
        prepared_label.setBuddy(self.prepared_for)
        self.prepared_for.setAccessibleName(self.tr("Prepared for"))
        form2.addRow(prepared_label, self.prepared_for)
        # The packet's own language: the doctor's language may differ from the family's (and the app's).
        self.language = QComboBox()
        self.language.setObjectName("PacketLanguage")
        for code, name in PACKET_LANGUAGES.items():  # each language named in itself
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current())))
        language_label = QLabel(self.tr("Packet lan&guage"))
        language_label.setBuddy(self.language)
        self.language.setAccessibleName(self.tr("Packet language"))
        self.language.setAccessibleDescription(
            self.tr(
                "The language the summary is printed in, for the doctor "
                "who reads it; the records' own words stay as recorded"
            )
        )
        form2.addRow(language_label, self.language)
        pw = QVBoxLayout()
        self.pw_group = QButtonGroup(self)
        self.pw_generate = QRadioButton(self.tr("Generate a passphrase (shown once, after the packet is written)"))
        self.pw_own = QRadioButton(self.tr("Use my own password"))
        self.pw_group.addButton(self.pw_generate)
        self.pw_group.addButton(self.pw_own)
        self.pw_generate.setChecked(True)
        own = QHBoxLayout()
        self.password = QLineEdit()
        self.password.setObjectName("PacketPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Your password for the packet"))
        self.password2 = QLineEdit()
        self.password2.setObjectName("PacketPassword2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2.setPlaceholderText(self.tr("Again, to confirm"))
        self.password2.setAccessibleName(self.tr("Your password again, to confirm"))
        own.addWidget(self.password)
        own.addWidget(self.password2)
        pw.addWidget(self.pw_generate)
        pw.addWidget(self.pw_own)
        pw.addLayout(own)
        form2.addRow(self.tr("Password"), pw)
        dest = QHBoxLayout()
        self.out_path = QLineEdit(str(default_folder() / default_file_name()))
        self.out_path.setObjectName("PacketOutPath")
        self.out_path.setAccessibleName(self.tr("Save as"))
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.setAccessibleName(self.tr("Choose where to save the packet"))
        self.browse.clicked.connect(self.choose_destination)
        self.browse.setAutoDefault(False)  # Enter in a field creates the packet; it never opens the chooser
        dest.addWidget(self.out_path, 1)
        dest.addWidget(self.browse)
        save_label = QLabel(self.tr("&Save as"))
        save_label.setBuddy(self.out_path)
        form2.addRow(save_label, dest)
        lay.addLayout(form2)
        self.pw_own.toggled.connect(self._pw_mode)
        self._pw_mode(False)
        lay = outer

        self.error = QLabel()
        self.error.setObjectName("ErrorLabel")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        self.status = muted(" ")
        self.bar = QProgressBar()
        self.bar.setObjectName("PacketProgress")
        self.bar.setAccessibleName(self.tr("Writing the packet"))
        self.bar.hide()
        lay.addWidget(self.status)
        lay.addWidget(self.bar)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.clicked.connect(self._cancel)
        self.cancel_btn.setAutoDefault(False)
        self.create_btn = QPushButton(self.tr("Create packet"))
        self.create_btn.setObjectName("Primary")
        self.create_btn.clicked.connect(self.create_packet)
        row.addWidget(self.cancel_btn)
        row.addWidget(self.create_btn)
        lay.addLayout(row)
        order = [
            self.person,
            self.date_from,
            self.date_to,
            self.visits,
            self.documents,
            *self.kinds.values(),
            self.prepared_for,
            self.language,
            self.pw_generate,
            self.pw_own,
            self.password,
            self.password2,
            self.out_path,
            self.browse,
            self.cancel_btn,
            self.create_btn,
        ]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.form_page = page
        self.pages.addWidget(page)
        # The default button, set once it is inside the dialog: set earlier, Qt did not record it as the
        # dialog's main default, and after Tab had passed over it Enter no longer created the packet.
        self.create_btn.setDefault(True)

    def _build_result(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 4, 8, 4)
        self.result_title = title_label(self.tr("Packet ready"))
        lay.addWidget(self.result_title)
        self.result_where = muted()
        self.result_where.setWordWrap(True)
        self.result_where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.result_where)
        self.pw_box = QWidget()
        pl = QVBoxLayout(self.pw_box)
        pl.setContentsMargins(0, 8, 0, 8)
        pw_label = QLabel(
            self.tr(
                "<b>The packet's password</b> — write it down or copy it now; it is not shown "
                "again and not stored anywhere."
            )
        )
        pw_label.setWordWrap(True)
        pl.addWidget(pw_label)
        prow = QHBoxLayout()
        self.generated = QLabel()
        self.generated.setObjectName("RecoveryCode")
        self.generated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_btn = QPushButton(self.tr("Copy"))
        self.copy_btn.setObjectName("CopyPassword")
        self.copy_btn.setAccessibleName(self.tr("Copy the packet's password"))
        self.copy_btn.clicked.connect(self.copy_password)
        prow.addWidget(self.generated, 1)
        prow.addWidget(self.copy_btn)
        pl.addLayout(prow)
        self.copied = muted(" ")
        pl.addWidget(self.copied)
        lay.addWidget(self.pw_box)
        self.report = QTextBrowser()
        self.report.setObjectName("PacketReport")
        self.report.setAccessibleName(self.tr("What the packet holds"))
        self.report.setTabChangesFocus(True)  # Tab moves on to Close (no trap)
        lay.addWidget(self.report, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_btn = QPushButton(self.tr("Close"))
        self.close_btn.setObjectName("Primary")
        self.close_btn.clicked.connect(self.accept)
        row.addWidget(self.close_btn)
        lay.addLayout(row)
        self.result_page = page
        self.pages.addWidget(page)

    # ------------------------------------------------------------------ the choice
    def person_id(self) -> str | None:
        data = self.person.currentData()
        return str(data) if data else None

    def _person_changed(self) -> None:
        pid = self.person_id()
        scope = self.session.access.scope_of(pid) if pid else None
        if pid is None:
            self.refusal.setText(self.tr("There is nobody in this vault whose records you may export."))
        elif scope not in ("owner", "manage"):
            name = self.person.currentText()
            self.refusal.setText(
                self.tr(
                    "Your access to {name} is view-only: you cannot export their records. "
                    "Ask the vault's owner for “manage” access."
                ).format(name=name)
            )
        self.refused = pid is None or scope not in ("owner", "manage")
        self.refusal.setVisible(self.refused)
        self.create_btn.setEnabled(not self.refused)
        self._reload_lists()

    def _reload_lists(self) -> None:
        pid = self.person_id()
        self.visits.blockSignals(True)
        self.visits.clear()
        self._docs = []
        if pid is not None:
            df, dt = self.date_from.iso(), self.date_to.iso()
            for e, linked in self.records.encounters(pid, df, dt, limit=500):
                provider = e.row.data.get("provider") or ""
                text = f"{fmt.fmt_short(e.row.date)}  {e.row.title}" + (f" — {provider}" if provider else "")
                it = QListWidgetItem(text)
                it.setToolTip(
                    self.tr("%n linked record", "", linked) if linked == 1 else self.tr("%n linked records", "", linked)
                )
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                it.setCheckState(Qt.CheckState.Unchecked)
                it.setData(ID_ROLE, e.id)
                self.visits.addItem(it)
            for d in self.records.timeline(pid, kinds=["document"], limit=2000):
                if d.row.data.get("mime") in PACKET_MIMES:
                    self._docs.append(_Doc(d.id, d.row.title, d.row.date, d.encounter_id))
        self.visits.blockSignals(False)
        self._default_documents()

    def chosen_visits(self) -> list[str]:
        return [
            self.visits.item(r).data(ID_ROLE)
            for r in range(self.visits.count())
            if self.visits.item(r).checkState() == Qt.CheckState.Checked
        ]

    def _default_documents(self) -> None:
        """Tick the documents of the ticked visits, or else those dated within the range."""
        visits = set(self.chosen_visits())
        df, dt = self.date_from.iso(), self.date_to.iso()
        self.documents.clear()
        for d in self._docs:
            day = (d.day or "")[:10]
            in_range = (not df or day >= df) and (not dt or day <= dt)
            wanted = (d.encounter_id in visits) if visits else in_range
            it = QListWidgetItem(f"{fmt.fmt_short(d.day)}  {d.title}")
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            it.setData(ID_ROLE, d.id)
            self.documents.addItem(it)

    def chosen_documents(self) -> list[str]:
        return [
            self.documents.item(r).data(ID_ROLE)
            for r in range(self.documents.count())
            if self.documents.item(r).checkState() == Qt.CheckState.Checked
        ]

    def choice(self) -> PacketChoice:
        pid = self.person_id()
        assert pid is not None
        include = [k for k, cb in self.kinds.items() if cb.isChecked()]
        return PacketChoice(
            person=pid,
            date_from=self.date_from.iso(),
            date_to=self.date_to.iso(),
            encounters=self.chosen_visits(),
            include=include,
            prepared_for=self.prepared_for.text().strip(),
            lang=self.language.currentData(),
            documents=self.chosen_documents() if "document" in include else [],
        )

    def _pw_mode(self, own: bool) -> None:
        self.password.setEnabled(own)
        self.password2.setEnabled(own)

    def choose_destination(self) -> None:
        start = self.out_path.text().strip() or str(default_folder() / default_file_name())
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the packet as"), start, self.tr("PDF (*.pdf)"))
        if path:
            self.out_path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    # ------------------------------------------------------------------ running
    def _problem(self) -> str | None:
        if self.person_id() is None or self.refused:
            return self.refusal.text() or self.tr("Choose a person.")
        if not any(cb.isChecked() for cb in self.kinds.values()):
            return self.tr("Tick at least one kind of record to include.")
        out = self.out_path.text().strip()
        if not out:
            return self.tr("Choose where to save the packet.")
        if not Path(out).parent.is_dir():
            return self.tr("The folder {folder} does not exist.").format(folder=Path(out).parent)
        if self.pw_own.isChecked():
            if len(self.password.text()) < 8:
                return self.tr("The password needs at least 8 characters (a few words are best).")
            if self.password.text() != self.password2.text():
                return self.tr("The two passwords differ.")
        return None

    def create_packet(self) -> None:
        problem = self._problem()
        self.error.setText(problem or "")
        if problem:
            return
        password = self.password.text() if self.pw_own.isChecked() else generate_passphrase()
        choice, out = self.choice(), Path(self.out_path.text().strip())
        svc = self.session.exporting

        def work(ctx: OpContext) -> ops.Changed:  # the export is audited: the audit view refills
            return ops.Changed.of(
                ops.AUDIT, svc.packet(choice, out, password, progress=ctx.progress, cancel=ctx.cancel)
            )

        self._running(True)
        self.op = (
            ops.write(self, work)
            .with_progress(self._progress)
            .success(lambda c: self._done(c.value, password))
            .failure(self._failed)
            .run()
        )

    def _running(self, on: bool) -> None:
        self.inputs.setEnabled(not on)
        self.bar.setVisible(on)
        self.bar.setRange(0, 0)
        self.create_btn.setEnabled(not on and not self.refused)
        if on:
            self.status.setText(self.tr("Starting…"))

    def _progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(label)

    def _cancel(self) -> None:
        if self.op is not None and not self.op.finished:
            self.op.cancel()
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def _failed(self, exc: BaseException) -> None:
        self._running(False)
        self.status.setText(" ")
        if isinstance(exc, Cancelled):
            self.error.setText(self.tr("Cancelled: nothing was written."))
        elif isinstance(exc, AccessDenied):
            self.error.setText(str(exc))
        else:
            self.error.setText(friendly(exc))

    def _done(self, result: PacketResult, password: str) -> None:
        self._running(False)
        self.packet_result = result
        generated = not self.pw_own.isChecked()
        self.password_used = password
        self.pw_box.setVisible(generated)
        self.generated.setText(password if generated else "")
        self.password.clear()
        self.password2.clear()
        size_kb = max(1, result.size // 1024)
        self.result_where.setText(
            self.tr("Saved to {path} — {pages}, {size} KB, encrypted with AES-256.").format(
                path=result.path,
                size=size_kb,
                pages=(
                    self.tr("%n page", "", result.page_count)
                    if result.page_count == 1
                    else self.tr("%n pages", "", result.page_count)
                ),
            )
        )
        self.report.setHtml(self._report_html(result))
        self.pages.setCurrentWidget(self.result_page)
        # The form's control that had the focus is hidden now: give it to the result (keyboard users and
        # screen readers would otherwise be left nowhere).
        first = self.copy_btn if self.copy_btn.isVisible() else self.close_btn
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.close_btn.setDefault(True)

    def copy_password(self) -> None:
        if self.password_used:
            self.clip.copy(self.password_used)
            secs = max(1, self.clip.clear_after_ms // 1000)
            self.copied.setText(self.tr("Copied. The clipboard will be cleared in %n seconds.", "", secs))

    @staticmethod
    def _report_html(r: PacketResult) -> str:
        c = theme.colors()

        def esc(s: str) -> str:
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        pages_n = (
            translate("PacketDialog", "%n page", None, r.page_count)
            if r.page_count == 1
            else translate("PacketDialog", "%n pages", None, r.page_count)
        )
        parts = [
            f"<h3>{pages_n}</h3><p>"
            + translate(
                "PacketDialog", "Summary: pages 1–{last}. An embedded FHIR file carries {n} records for another app."
            ).format(last=r.summary_pages, n=r.bundle_resources)
            + "</p>"
        ]
        inc = [d for d in r.documents if d.included]
        skipped = [d for d in r.documents if not d.included]
        parts.append("<h3>" + translate("PacketDialog", "Attached documents ({n})").format(n=len(inc)) + "</h3>")
        if inc:
            parts.append("<table cellspacing=0 cellpadding=3>")
            for d in inc:
                pages = translate("PacketDialog", "page {n}").format(n=d.first_page) + (
                    ", " + translate("PacketDialog", "%n pages", None, d.page_count) if d.page_count != 1 else ""
                )
                parts.append(
                    f"<tr><td>{esc(fmt.fmt_short(d.date))}</td><td>{esc(d.title)}</td>"
                    f"<td style='color:{c.muted}'>{esc(d.type_label)} — {pages}</td></tr>"
                )
            parts.append("</table>")
        else:
            parts.append(f"<p style='color:{c.muted}'>" + translate("PacketDialog", "None.") + "</p>")
        if skipped:
            parts.append(
                "<h3>"
                + translate("PacketDialog", "Not attached ({n})").format(n=len(skipped))
                + "</h3><table cellspacing=0 cellpadding=3>"
            )
            skipped_word = translate("PacketDialog", "skipped")
            for d in skipped:
                parts.append(
                    f"<tr><td>{esc(fmt.fmt_short(d.date))}</td><td>{esc(d.title)}</td>"
                    f"<td style='color:{c.abnormal}'>{esc(d.note or skipped_word)}</td></tr>"
                )
            parts.append("</table>")
        return "".join(parts)

    def reject(self) -> None:
        if self.op is not None and not self.op.finished:
            self.op.cancel()  # the export stops at its next step; nothing is written
        super().reject()
