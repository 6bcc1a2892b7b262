"""Audit: who opened, imported, exported or shared what, newest first, with the chain checked.

Entries come from the signed, chained logs (vault/audit.py): household.db's and those in the databases
of the people this user may see (so a proxy sees only entries about them, and the household-wide ones).
Each time the view is filled it re-verifies every chain and, when one is broken, shows a red banner
naming the first entry that does not match (an edit, a removal, a forged signature or a cut-off end).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import theme
from .fmt import fmt_short
from .views import View
from .widgets import DateRangeBar, muted, title_label

LIMIT = 1000
COL_WHEN, COL_USER, COL_ACTION, COL_PERSON, COL_DETAIL = range(5)
# English source texts, translated on display with translate("AuditView", …).
ACTION_TEXT = {
    "vault.create": QT_TRANSLATE_NOOP("AuditView", "Created the vault"),
    "vault.unlock": QT_TRANSLATE_NOOP("AuditView", "Unlocked the vault"),
    "vault.backup": QT_TRANSLATE_NOOP("AuditView", "Made a backup"),
    "vault.restore": QT_TRANSLATE_NOOP("AuditView", "Restored a backup"),
    "vault.verify": QT_TRANSLATE_NOOP("AuditView", "Checked the vault"),
    "import": QT_TRANSLATE_NOOP("AuditView", "Imported"),
    "item.view": QT_TRANSLATE_NOOP("AuditView", "Opened a record"),
    "item.add": QT_TRANSLATE_NOOP("AuditView", "Added a record"),
    "item.correct": QT_TRANSLATE_NOOP("AuditView", "Corrected a record"),
    "item.delete": QT_TRANSLATE_NOOP("AuditView", "Deleted a record"),
    "item.restore": QT_TRANSLATE_NOOP("AuditView", "Restored a record"),
    "item.save_copy": QT_TRANSLATE_NOOP("AuditView", "Saved a copy"),
    "trash.empty": QT_TRANSLATE_NOOP("AuditView", "Emptied the trash"),
    "export.packet": QT_TRANSLATE_NOOP("AuditView", "Exported an appointment packet"),
    "export.bundle": QT_TRANSLATE_NOOP("AuditView", "Exported an archive"),
    "export.labs_csv": QT_TRANSLATE_NOOP("AuditView", "Exported labs (CSV)"),
    "grant": QT_TRANSLATE_NOOP("AuditView", "Granted access"),
    "revoke": QT_TRANSLATE_NOOP("AuditView", "Revoked access"),
    "user.add": QT_TRANSLATE_NOOP("AuditView", "Added a user"),
    "user.remove": QT_TRANSLATE_NOOP("AuditView", "Removed a user"),
    "user.passwd": QT_TRANSLATE_NOOP("AuditView", "Changed a passphrase"),
    "person.add": QT_TRANSLATE_NOOP("AuditView", "Added a person"),
    "portal.add": QT_TRANSLATE_NOOP("AuditView", "Added a portal"),
    "portal.connect": QT_TRANSLATE_NOOP("AuditView", "Connected a portal"),
    "portal.sync": QT_TRANSLATE_NOOP("AuditView", "Synced a portal"),
    "portal.remove": QT_TRANSLATE_NOOP("AuditView", "Removed a portal"),
    "missing.mark": QT_TRANSLATE_NOOP("AuditView", "Marked a record as received"),
    "missing.unmark": QT_TRANSLATE_NOOP("AuditView", "Unmarked a record"),
    "request.create": QT_TRANSLATE_NOOP("AuditView", "Started a records request"),
    "request.update": QT_TRANSLATE_NOOP("AuditView", "Updated a records request"),
}
_HIDDEN_DETAIL = {"encounters"}  # ids, not useful to read


def when_text(ts: str) -> str:
    """The entry's UTC timestamp in local time: '12 Apr 2026 14:05'."""
    try:
        t = datetime.fromisoformat(ts).astimezone()
    except ValueError:
        return ts
    return f"{fmt_short(t.date().isoformat())} {t:%H:%M}"


def detail_text(detail: dict[str, Any]) -> str:
    parts = []
    for k, v in detail.items():
        if k in _HIDDEN_DETAIL or v in (None, "", [], {}):
            continue
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        elif isinstance(v, dict):
            v = ", ".join(f"{a} {b}" for a, b in v.items())
        parts.append(f"{k.replace('_', ' ')}: {v}")
    return "; ".join(parts)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditView", text)


def action_text(action: str) -> str:
    return _tr(ACTION_TEXT[action]) if action in ACTION_TEXT else action


class AuditView(View):
    title = QT_TRANSLATE_NOOP("Views", "Audit")  # the main window shows translate("Views", title)
    shows_audit = True  # every write adds to what this view shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users: dict[str, str] = {}
        self.bad_entry: int | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Audit")))
        top.addStretch(1)
        self.dates = DateRangeBar()
        top.addWidget(self.dates)
        lay.addLayout(top)
        self.banner = QLabel()
        self.banner.setObjectName("AuditBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        c = theme.colors()  # theme.py is the GUI helper's: the banner's look is set here
        self.banner.setStyleSheet(
            f"QLabel#AuditBanner {{ background: {c.banner_bg}; color: {c.abnormal}; "
            f"border: 1px solid {c.abnormal}; border-radius: 6px; padding: 8px 12px; "
            "font-weight: 600; }"
        )
        lay.addWidget(self.banner)
        filters = QHBoxLayout()
        self.user = QComboBox()
        self.user.setObjectName("AuditUser")
        self.person = QComboBox()
        self.person.setObjectName("AuditPerson")
        self.action = QComboBox()
        self.action.setObjectName("AuditAction")
        for label, box in (
            (self.tr("User"), self.user),
            (self.tr("Person"), self.person),
            (self.tr("Action"), self.action),
        ):
            lab = QLabel(label)
            lab.setBuddy(box)
            box.setAccessibleName(self.tr("Show entries by: {what}").format(what=label))
            filters.addWidget(lab)
            box.setMinimumWidth(170)
            filters.addWidget(box)
        filters.addStretch(1)
        lay.addLayout(filters)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("AuditTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("User"), self.tr("Action"), self.tr("Person"), self.tr("Details")]
        )
        self.table.setAccessibleName(self.tr("Audit entries, newest first"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between entries
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        for col in (COL_WHEN, COL_USER, COL_ACTION, COL_PERSON):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.count = muted(" ")
        lay.addWidget(self.count)
        self.dates.changed.connect(self.requery)
        for box in (self.user, self.person, self.action):
            box.currentIndexChanged.connect(self.requery)
        self.setTabOrder(self.user, self.person)
        self.setTabOrder(self.person, self.action)
        self.setTabOrder(self.action, self.table)

    def _fill_filters(self) -> None:
        v = self.ctx.session
        assert v is not None
        self.users = v.user_names()
        actions = sorted({e.action for e in v.audit_entries(limit=100_000)})
        for box in (self.user, self.person, self.action):
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("Anyone") if box is not self.action else self.tr("Any action"), None)
        for uid, name in sorted(self.users.items(), key=lambda t: t[1].casefold()):
            self.user.addItem(name, uid)
        for pid, info in self.ctx.people.items():
            self.person.addItem(info.name, pid)
        for a in actions:
            self.action.addItem(action_text(a), a)
        if self.ctx.person is not None:
            self.person.setCurrentIndex(max(0, self.person.findData(self.ctx.person)))
        for box in (self.user, self.person, self.action):
            box.blockSignals(False)

    def refresh(self) -> None:
        records = self.ctx.records
        if records is None:
            return
        self._fill_filters()
        self.verify()
        self.requery()

    def verify(self) -> int | None:
        """Check the HMAC chain; show the banner naming the first bad entry when it is broken."""
        v = self.ctx.session
        if v is None:
            return None
        # every hash is recomputed; signatures from the entry this computer already verified on (cheap)
        reports = v.check_audit()
        broken = next((r for r in reports if r.bad is not None), None)
        self.bad_entry = broken.bad if broken else None
        self.bad_chain = broken.chain if broken else None
        if broken is None:
            self.banner.hide()
        else:
            where = (
                "" if broken.chain == "household" else self.tr(" of {chain}").format(chain=v.chain_label(broken.chain))
            )
            self.banner.setText(
                self.tr(
                    "⚠ The audit log has been tampered with: entry #{n}{where} does not match the chain ({reason}: it "
                    "was edited or removed outside the app, signed by someone else, or the newest entries were cut "
                    "off). Entries from #{n} on cannot be trusted. Restore the vault from a backup if you did not "
                    "expect this."
                ).format(n=broken.bad, where=where, reason=broken.reason)
            )
            self.banner.show()
        return self.bad_entry

    def requery(self) -> None:
        v = self.ctx.session
        if v is None:
            return
        since, until = self.dates.range()
        rows = v.audit_entries(
            user_id=self.user.currentData(),
            person_id=self.person.currentData(),
            action=self.action.currentData(),
            since=since,
            until=until,
            limit=LIMIT,
        )
        if not v.is_owner():  # entries about people this user may not see stay hidden
            rows = [e for e in rows if e.person_id is None or e.person_id in self.ctx.people]
        self.table.setRowCount(len(rows))
        bad = self.bad_entry
        for r, e in enumerate(rows):
            person = self.ctx.name_of(e.person_id) if e.person_id else ""
            cells = [
                when_text(e.ts),
                self.users.get(e.user_id or "", e.user_id or ""),
                action_text(e.action),
                person,
                detail_text(e.detail),
            ]
            sentence = ", ".join(t for t in (cells[COL_ACTION], cells[COL_WHEN], cells[COL_USER], person) if t)
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
                if c == COL_WHEN:
                    it.setToolTip(self.tr("Entry #{n} — {ts}").format(n=e.id, ts=e.ts))
                    it.setData(Qt.ItemDataRole.UserRole, e.id)
                if c == COL_ACTION:
                    it.setToolTip(e.action)
                if bad is not None and e.chain == getattr(self, "bad_chain", None) and e.id >= bad:
                    it.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, it)
        more = self.tr(" (the newest; narrow the filters to see older ones)") if len(rows) >= LIMIT else ""
        n = len(rows)
        count = self.tr("%n entry", "", n) if n == 1 else self.tr("%n entries", "", n)
        self.count.setText(count + more)

    def actions_shown(self) -> list[str]:
        items = [self.table.item(r, COL_ACTION) for r in range(self.table.rowCount())]
        return [it.toolTip() for it in items if it is not None]

    def clear(self) -> None:
        super().clear()
        self.table.setRowCount(0)
        self.banner.hide()
        self.users = {}
        for box in (self.user, self.person, self.action):
            box.blockSignals(True)
            box.clear()
            box.blockSignals(False)
