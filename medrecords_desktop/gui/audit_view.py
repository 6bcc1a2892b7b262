"""Audit: who opened, imported, exported or shared what, newest first, with the chain checked.

Entries come from the signed, chained logs (vault/audit.py): household.db's and those in the databases
of the people this user may see (so a proxy sees only entries about them, and the household-wide ones).
Each time the view is filled it re-verifies every chain and, when one is broken, shows a red banner
naming the first entry that does not match (an edit, a removal, a forged signature or a cut-off end).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
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
from .views import View
from .widgets import DateRangeBar, muted, title_label

LIMIT = 1000
COL_WHEN, COL_USER, COL_ACTION, COL_PERSON, COL_DETAIL = range(5)
ACTION_TEXT = {
    "vault.create": "Created the vault", "vault.unlock": "Unlocked the vault",
    "vault.backup": "Made a backup", "vault.restore": "Restored a backup",
    "vault.verify": "Checked the vault",
    "import": "Imported",
    "item.view": "Opened a record", "item.add": "Added a record", "item.correct": "Corrected a record",
    "item.delete": "Deleted a record", "item.restore": "Restored a record", "item.save_copy": "Saved a copy",
    "trash.empty": "Emptied the trash", "export.packet": "Exported an appointment packet",
    "export.bundle": "Exported an archive", "export.labs_csv": "Exported labs (CSV)",
    "grant": "Granted access", "revoke": "Revoked access", "user.add": "Added a user",
    "user.remove": "Removed a user", "user.passwd": "Changed a passphrase", "person.add": "Added a person",
    "portal.add": "Added a portal", "portal.connect": "Connected a portal", "portal.sync": "Synced a portal",
    "portal.remove": "Removed a portal", "missing.mark": "Marked a record as received",
    "missing.unmark": "Unmarked a record", "request.create": "Started a records request",
    "request.update": "Updated a records request",
}
_HIDDEN_DETAIL = {"encounters"}  # ids, not useful to read


def when_text(ts: str) -> str:
    """The entry's UTC timestamp in local time: '12 Apr 2026 14:05'."""
    try:
        t = datetime.fromisoformat(ts).astimezone()
    except ValueError:
        return ts
    return f"{t.day} {t:%b %Y %H:%M}"


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


class AuditView(View):
    title = "Audit"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users: dict[str, str] = {}
        self.bad_entry: int | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label("Audit"))
        top.addStretch(1)
        self.dates = DateRangeBar()
        top.addWidget(self.dates)
        lay.addLayout(top)
        self.banner = QLabel()
        self.banner.setObjectName("AuditBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        c = theme.colors()  # theme.py is the GUI helper's: the banner's look is set here
        self.banner.setStyleSheet(f"QLabel#AuditBanner {{ background: {c.banner_bg}; color: {c.abnormal}; "
                                  f"border: 1px solid {c.abnormal}; border-radius: 6px; padding: 8px 12px; "
                                  "font-weight: 600; }")
        lay.addWidget(self.banner)
        filters = QHBoxLayout()
        self.user = QComboBox()
        self.user.setObjectName("AuditUser")
        self.person = QComboBox()
        self.person.setObjectName("AuditPerson")
        self.action = QComboBox()
        self.action.setObjectName("AuditAction")
        for label, box in (("User", self.user), ("Person", self.person), ("Action", self.action)):
            filters.addWidget(QLabel(label))
            box.setMinimumWidth(170)
            filters.addWidget(box)
        filters.addStretch(1)
        lay.addLayout(filters)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("AuditTable")
        self.table.setHorizontalHeaderLabels(["When", "User", "Action", "Person", "Details"])
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

    def _fill_filters(self) -> None:
        records = self.ctx.records
        assert records is not None
        v = records.vault
        self.users = v.user_names()
        actions = sorted({e.action for e in v.audit_entries(limit=100_000)})
        for box in (self.user, self.person, self.action):
            box.blockSignals(True)
            box.clear()
            box.addItem("Anyone" if box is not self.action else "Any action", None)
        for uid, name in sorted(self.users.items(), key=lambda t: t[1].casefold()):
            self.user.addItem(name, uid)
        for pid, info in self.ctx.people.items():
            self.person.addItem(info.name, pid)
        for a in actions:
            self.action.addItem(ACTION_TEXT.get(a, a), a)
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
        records = self.ctx.records
        if records is None:
            return None
        v = records.vault
        # every hash is recomputed; signatures from the entry this computer already verified on (cheap)
        reports = v.check_audit()
        broken = next((r for r in reports if r.bad is not None), None)
        self.bad_entry = broken.bad if broken else None
        self.bad_chain = broken.chain if broken else None
        if broken is None:
            self.banner.hide()
        else:
            where = "" if broken.chain == "household" else f" of {v.chain_label(broken.chain)}"
            self.banner.setText(
                f"⚠ The audit log has been tampered with: entry #{broken.bad}{where} does not match the "
                f"chain ({broken.reason}: it was edited or removed outside the app, signed by someone else, or "
                f"the newest entries were cut off). Entries from #{broken.bad} on cannot be trusted. Restore "
                "the vault from a backup if you did not expect this.")
            self.banner.show()
        return self.bad_entry

    def requery(self) -> None:
        records = self.ctx.records
        if records is None:
            return
        v = records.vault
        since, until = self.dates.range()
        rows = v.audit_entries(user_id=self.user.currentData(),
                               person_id=self.person.currentData(), action=self.action.currentData(),
                               since=since, until=until, limit=LIMIT)
        if not v.is_owner():  # entries about people this user may not see stay hidden
            rows = [e for e in rows if e.person_id is None or e.person_id in self.ctx.people]
        self.table.setRowCount(len(rows))
        bad = self.bad_entry
        for r, e in enumerate(rows):
            person = self.ctx.name_of(e.person_id) if e.person_id else ""
            cells = [when_text(e.ts), self.users.get(e.user_id or "", e.user_id or ""),
                     ACTION_TEXT.get(e.action, e.action), person, detail_text(e.detail)]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == COL_WHEN:
                    it.setToolTip(f"Entry #{e.id} — {e.ts}")
                    it.setData(Qt.ItemDataRole.UserRole, e.id)
                if c == COL_ACTION:
                    it.setToolTip(e.action)
                if bad is not None and e.chain == getattr(self, "bad_chain", None) and e.id >= bad:
                    it.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, it)
        more = " (the newest; narrow the filters to see older ones)" if len(rows) >= LIMIT else ""
        self.count.setText(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}{more}")

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
