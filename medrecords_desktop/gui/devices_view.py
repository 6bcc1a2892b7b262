"""The Devices page: the computers that keep this vault in step through a shared folder (issue 20).

Each computer with its user, when it was last seen and how much of what it wrote has not arrived here yet;
the items changed on two computers at once, to settle; "Sync now"; and, where Syncthing runs on this
computer, "Add to Syncthing" (its REST API, replica/syncthing.py), otherwise which folder to share with the
sync tool the family uses.  Everything that touches the vault or the network runs off the GUI thread through
``ops.Op``; the page only shows what the core's ``SyncService`` says (services/sync.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..replica import syncthing as st
from . import fmt, icons, ops, theme
from .views import View
from .widgets import muted, row_table, title_label

if TYPE_CHECKING:
    from ..services.session import Session
    from .shell import Shell

COLUMNS = (
    QT_TRANSLATE_NOOP("DevicesView", "Computer"),
    QT_TRANSLATE_NOOP("DevicesView", "User"),
    QT_TRANSLATE_NOOP("DevicesView", "Last seen"),
    QT_TRANSLATE_NOOP("DevicesView", "Waiting"),
)
COL_NAME, COL_USER, COL_SEEN, COL_WAITING = range(len(COLUMNS))
CONFLICT_COLUMNS = (
    QT_TRANSLATE_NOOP("DevicesView", "Item and its versions"),
    QT_TRANSLATE_NOOP("DevicesView", "By"),
    QT_TRANSLATE_NOOP("DevicesView", "When"),
)
VERSION_ROLE = Qt.ItemDataRole.UserRole + 1  # (person_id, gid, hlc) on a version row


def _tr(text: str) -> str:
    return QCoreApplication.translate("DevicesView", text)


def when(iso: str | None) -> str:
    """An ISO UTC moment in this computer's time: 'today 14:05', or '2 Dec 2026 14:05' ('never' when None)."""
    if not iso:
        return QCoreApplication.translate("DevicesView", "never")
    moment = QDateTime.fromString(iso.replace("Z", "+00:00"), Qt.DateFormat.ISODate)
    if not moment.isValid():
        return iso
    local = moment.toLocalTime()
    clock = QLocale().toString(local.time(), "HH:mm")
    if local.date() == QDate.currentDate():
        return QCoreApplication.translate("DevicesView", "today {time}").format(time=clock)
    return f"{fmt.fmt_short(local.date().toString(Qt.DateFormat.ISODate))} {clock}"


def device_label(name: str, device_id: str, same_name: bool) -> str:
    """A computer's name; with the start of its id when another computer has the same name."""
    if not name:
        return device_id
    return f"{name} · {device_id[:8]}" if same_name else name


@dataclass
class SyncthingInfo:
    """What the Syncthing on this computer says about the shared folder (found on the worker thread)."""

    url: str = ""
    version: str = ""
    my_id: str = ""
    folder: st.Folder | None = None
    state: st.FolderState | None = None
    error: str = ""


@dataclass
class Snapshot:
    status: Any  # services.sync.SyncStatus
    conflicts: list[Any] = field(default_factory=list)  # services.sync.Conflict
    syncthing: SyncthingInfo | None = None  # None: no Syncthing answers on this computer
    people: dict[str, str] = field(default_factory=dict)
    same_id_copies: int = 0  # conflict copies of files only this computer writes: another computer uses its id


def same_id_copies(folder: str | None, device: str | None) -> int:
    """Conflict copies (Syncthing's ``.sync-conflict-``, Dropbox's "conflicted copy") of the head or segments
    only this computer writes.  Nobody else writes them, so a copy means another computer writes under this
    one's id: its vault folder was copied from this one instead of joining, and the two never see each other's
    changes.  File names only; nothing is read."""
    if not folder or not device or not device.isalnum():
        return 0
    root = Path(folder)
    names = [p.name for p in (root / "heads").glob(f"{device}*")]
    names += [p.name for p in (root / "seg").glob(f"*/{device}-*")]
    return sum(1 for n in names if ".sync-conflict-" in n or "conflicted copy" in n)


def _syncthing_info(find: Callable[[], st.SyncthingClient | None], folder: str | None) -> SyncthingInfo | None:
    client = find()
    if client is None:
        return None
    info = SyncthingInfo(url=client.endpoint.url)
    try:
        info.version = client.version()
        info.my_id = client.my_id()
        if folder:
            info.folder = client.folder_for_path(folder)
            if info.folder is not None and not info.folder.paused:
                info.state = client.folder_state(info.folder.id)
    except st.SyncthingError as e:
        info.error = str(e)
    finally:
        client.close()
    return info


def scan_now(find: Callable[[], st.SyncthingClient | None], folder: str) -> bool:
    """Ask the Syncthing that keeps ``folder`` to scan it now, so what "Sync now" wrote goes out at once
    (instead of at its next scan).  False when no Syncthing keeps it; a Syncthing error is no sync error."""
    client = find()
    if client is None:
        return False
    try:
        with client:
            kept = client.folder_for_path(folder)
            if kept is None or kept.paused:
                return False
            client.scan(kept.id)
            return True
    except st.SyncthingError:
        return False


def load_snapshot(session: Session, find: Callable[[], st.SyncthingClient | None]) -> Snapshot:
    """Everything the page shows, read on the database worker (never on the GUI thread)."""
    svc = session.sync
    status = svc.status()
    conflicts = svc.conflicts() if status.configured else []
    people = {p.id: p.name for p in session.persons()}
    folder = status.folder if status.configured else None
    clones = same_id_copies(folder, status.device_id) if status.configured and status.folder_ok else 0
    return Snapshot(status, conflicts, _syncthing_info(find, folder), people, clones)


def _fit_rows(table: Any, rows: int) -> None:
    """A table as tall as its rows (up to 8; it scrolls beyond), so the page has no empty box."""
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += table.verticalHeader().defaultSectionSize() * min(rows, 8)
    table.setFixedHeight(height + 2)


class DevicesView(View):
    title = cast(str, QT_TRANSLATE_NOOP("Views", "Devices"))  # the main window shows translate("Views", title)
    loaded = Signal()  # a snapshot is on the page (tests and screenshots wait for it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: Snapshot | None = None
        self.find_syncthing: Callable[[], st.SyncthingClient | None] = st.discover
        self._busy = False
        self._note = ""  # what the last action did, kept on screen across the refresh that follows it
        self.last_report: Any = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)

        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Devices")))
        top.addStretch(1)
        self.setup_btn = QPushButton(self.tr("Keep in a shared folder…"))
        self.setup_btn.setObjectName("DevicesSetup")
        self.setup_btn.setAccessibleDescription(
            self.tr("Choose a folder your sync tool keeps in step on your computers")
        )
        self.setup_btn.clicked.connect(self.choose_folder)
        top.addWidget(self.setup_btn)
        self.refresh_btn = QPushButton(self.tr("Refresh"))
        self.refresh_btn.setObjectName("DevicesRefresh")
        self.refresh_btn.clicked.connect(self.refresh)
        top.addWidget(self.refresh_btn)
        self.sync_btn = QPushButton(icons.icon("sync", theme.colors().text), self.tr("Sync now"))
        self.sync_btn.setObjectName("DevicesSyncNow")
        self.sync_btn.setDefault(True)
        self.sync_btn.setAccessibleDescription(
            self.tr("Write this computer's changes to the shared folder and read the other computers' changes")
        )
        self.sync_btn.clicked.connect(self.sync_now)
        top.addWidget(self.sync_btn)
        lay.addLayout(top)

        self.summary = QLabel("")
        self.summary.setObjectName("DevicesSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        self.progress = muted("")
        self.progress.setObjectName("DevicesProgress")
        lay.addWidget(self.progress)

        lay.addWidget(self._section(self.tr("Computers")))
        self.table = row_table(
            tuple(_tr(str(c)) for c in COLUMNS),
            "DevicesTable",
            COL_NAME,
            QAbstractItemView.SelectionMode.SingleSelection,
        )
        self.table.setAccessibleName(self.tr("Computers that keep this vault"))
        self.table.setAccessibleDescription(self.tr("Each computer, its user, when it was last seen, what is waiting"))
        self.table.setTabKeyNavigation(False)
        for col, w in ((COL_USER, 160), (COL_SEEN, 170), (COL_WAITING, 230)):
            self.table.setColumnWidth(col, w)
        lay.addWidget(self.table)

        lay.addWidget(self._section(self.tr("Conflicts to settle")))
        self.conflicts_note = muted("")
        self.conflicts_note.setObjectName("DevicesConflictsNote")
        self.conflicts_note.setWordWrap(True)
        lay.addWidget(self.conflicts_note)
        self.tree = QTreeWidget()
        self.tree.setObjectName("DevicesConflicts")
        self.tree.setHeaderLabels([_tr(str(c)) for c in CONFLICT_COLUMNS])
        self.tree.setAccessibleName(self.tr("Conflicts to settle"))
        self.tree.setAccessibleDescription(
            self.tr("Items changed on two computers at once; each lists its versions, the shown one first")
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 160)
        self.tree.setColumnWidth(2, 170)
        self.tree.currentItemChanged.connect(self._version_chosen)
        lay.addWidget(self.tree)
        row = QHBoxLayout()
        row.addStretch(1)
        self.settle_btn = QPushButton(self.tr("Keep this version"))
        self.settle_btn.setObjectName("DevicesSettle")
        self.settle_btn.setAccessibleDescription(
            self.tr("Keep the chosen version of the item; the other versions are settled on every computer")
        )
        self.settle_btn.setEnabled(False)
        self.settle_btn.clicked.connect(self.settle_chosen)
        row.addWidget(self.settle_btn)
        lay.addLayout(row)

        lay.addWidget(self._section(self.tr("Sharing the folder")))
        self.share_note = QLabel("")
        self.share_note.setObjectName("DevicesShareNote")
        self.share_note.setWordWrap(True)
        self.share_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.share_note)
        self.share_row = QWidget()
        srow = QHBoxLayout(self.share_row)
        srow.setContentsMargins(0, 0, 0, 0)
        self.peers_label = QLabel(self.tr("Share &with (Syncthing device IDs):"))
        srow.addWidget(self.peers_label)
        self.peers_edit = QLineEdit()
        self.peers_edit.setObjectName("DevicesSyncthingPeers")
        self.peers_edit.setPlaceholderText(self.tr("Optional: the other computers' device IDs, separated by spaces"))
        self.peers_edit.setAccessibleName(self.tr("Share with (Syncthing device IDs)"))
        self.peers_label.setBuddy(self.peers_edit)
        srow.addWidget(self.peers_edit, 1)
        self.syncthing_btn = QPushButton(self.tr("Add to Syncthing"))
        self.syncthing_btn.setObjectName("DevicesAddToSyncthing")
        self.syncthing_btn.setAccessibleDescription(
            self.tr("Ask the Syncthing on this computer to keep the shared folder in step")
        )
        self.syncthing_btn.clicked.connect(self.add_to_syncthing)
        srow.addWidget(self.syncthing_btn)
        lay.addWidget(self.share_row)
        lay.addStretch(1)
        self._show(None)

    def _section(self, text: str) -> QLabel:
        lab = QLabel(text)
        lab.setObjectName("SectionTitle")
        lab.setStyleSheet("font-weight: 600; margin-top: 6px;")
        return lab

    # ------------------------------------------------------------------ loading
    def _vault(self) -> Session | None:
        return self.ctx.session

    def refresh(self) -> None:
        vault = self._vault()
        if vault is None or self._busy:
            return
        find = self.find_syncthing
        self._set_busy(True, self.tr("Reading the shared folder…"))
        (ops.Op(self, lambda _ctx: load_snapshot(vault, find)).success(self._loaded).failure(self._failed).run())

    def _loaded(self, snap: Snapshot) -> None:
        self._set_busy(False, self._note)
        self._note = ""
        if self._vault() is None:  # locked while it loaded
            return
        self._show(snap)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False, "")
        self._say(ops.friendly(exc))
        if self._vault() is not None:
            ops.show_error(self, exc)
        self.loaded.emit()

    def _say(self, text: str) -> None:
        """What is going on or what the last action did, in one line under the summary (hidden when empty)."""
        self.progress.setText(text)
        self.progress.setVisible(bool(text))

    def _set_busy(self, busy: bool, text: str) -> None:
        self._busy = busy
        self._say(text)
        configured = bool(self.snapshot and self.snapshot.status.configured)
        for b in (self.sync_btn, self.refresh_btn, self.setup_btn):
            b.setEnabled(not busy)
        self.sync_btn.setEnabled(not busy and configured)
        self.syncthing_btn.setEnabled(not busy and configured)
        self.settle_btn.setEnabled(not busy and self._chosen_version() is not None)

    # ------------------------------------------------------------------ showing
    def _show(self, snap: Snapshot | None) -> None:
        self.snapshot = snap
        status = snap.status if snap is not None else None
        configured = bool(status is not None and status.configured)
        # No shared folder yet, or it is gone (this computer seeds a new one from everything it keeps).
        self.setup_btn.setVisible(status is not None and (not configured or not status.folder_ok))
        self.setup_btn.setText(
            self.tr("Choose a new shared folder…") if configured else self.tr("Keep in a shared folder…")
        )
        self.sync_btn.setEnabled(configured and not self._busy)
        self.summary.setText(self._summary_text(status, snap.same_id_copies if snap is not None else 0))
        devices = list(status.devices) if status is not None and configured else []
        self.table.setRowCount(len(devices))
        names = [d.name for d in devices]
        for n, d in enumerate(devices):
            name = device_label(d.name, d.device_id, names.count(d.name) > 1)
            if d.this_device:
                name = self.tr("{name} (this computer)").format(name=name)
            seen = when(d.last_seen)
            if d.this_device:
                waiting = ""
            elif d.waiting:
                waiting = (
                    self.tr("%n change file not here yet", "", d.waiting)
                    if d.waiting == 1
                    else self.tr("%n change files not here yet", "", d.waiting)
                )
            else:
                waiting = self.tr("nothing")
            user = d.user_name or self.tr("unknown user")
            cells = (name, user, seen, waiting)
            sentence = ", ".join(x for x in (name, user, self.tr("last seen {when}").format(when=seen), waiting) if x)
            for col, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
                if col == COL_NAME:
                    it.setToolTip(self.tr("Device {id}").format(id=d.device_id))
                    it.setIcon(icons.icon("computer", "#2f6fde" if d.this_device else "#6b7280"))
                self.table.setItem(n, col, it)
        _fit_rows(self.table, max(2, len(devices)))
        self._show_conflicts(snap)
        self._show_sharing(snap)

    def _summary_text(self, status: Any, clones: int = 0) -> str:
        if status is None:
            return ""
        if not status.configured:
            return self.tr(
                "This vault is kept on this computer only. To keep it on several computers, choose a folder "
                "that your sync tool (Syncthing, Nextcloud, Dropbox, iCloud Drive, OneDrive, or a USB stick you "
                "carry) keeps in step: “Keep in a shared folder…”. The folder holds only encrypted files."
            )
        parts = [self.tr("Kept in step through {folder}.").format(folder=status.folder)]
        if not status.folder_ok:
            parts.append(
                self.tr(
                    "The shared folder is missing: nothing is lost, this computer keeps everything. “Choose a new "
                    "shared folder…” writes everything into a new one; then your other computers join it."
                )
            )
        parts.append(self.tr("Last sync here: {when}.").format(when=when(status.last_sync)))
        if status.waiting:
            n = status.waiting
            parts.append(
                self.tr("%n change file from other computers not here yet.", "", n)
                if n == 1
                else self.tr("%n change files from other computers not here yet.", "", n)
            )
        if status.partial:
            n = status.partial
            parts.append(
                self.tr("%n file still being copied by the sync tool.", "", n)
                if n == 1
                else self.tr("%n files still being copied by the sync tool.", "", n)
            )
        if getattr(status, "missing_originals", 0):
            n = status.missing_originals
            parts.append(
                self.tr("%n original document not copied here yet.", "", n)
                if n == 1
                else self.tr("%n original documents not copied here yet.", "", n)
            )
        for r in list(status.refused)[:3]:
            parts.append(
                self.tr("Refused a change from computer {device}: {reason}").format(device=r.device, reason=r.reason)
            )
        if clones:
            parts.append(
                self.tr(
                    "Warning: another computer writes into the shared folder as this one (its vault folder was "
                    "copied from this one instead of joining), so the two do not get each other's changes. On "
                    "that computer, set its vault folder aside and join again with “medrecords --vault NEWDIR "
                    "sync setup --folder DIR” and the passphrase; what was added only there stays in the folder "
                    "set aside."
                )
            )
        return " ".join(parts)

    def _show_conflicts(self, snap: Snapshot | None) -> None:
        self.tree.clear()
        conflicts = snap.conflicts if snap is not None else []
        if snap is None or not snap.status.configured:
            self.conflicts_note.setText("")
        elif not conflicts:
            self.conflicts_note.setText(self.tr("No conflicts: every computer agrees."))
        else:
            n = len(conflicts)
            self.conflicts_note.setText(
                self.tr(
                    "%n item was changed on two computers at once. The newest version is shown; choose the "
                    "version to keep.",
                    "",
                    n,
                )
                if n == 1
                else self.tr(
                    "%n items were changed on two computers at once. The newest version is shown; choose the "
                    "version to keep.",
                    "",
                    n,
                )
            )
        people = snap.people if snap is not None else {}
        for c in conflicts:
            person = people.get(c.person_id, "")
            head = f"{c.title} — {person}" if person else c.title
            top = QTreeWidgetItem([head, "", ""])
            top.setData(0, Qt.ItemDataRole.AccessibleTextRole, self.tr("Conflict: {item}").format(item=head))
            self.tree.addTopLevelItem(top)
            for v in c.versions:
                label = (self.tr("Shown: {summary}") if v.shown else self.tr("Other: {summary}")).format(
                    summary=v.summary
                )
                moment = when(v.when) if v.when else ""
                by = v.user_name or v.device
                child = QTreeWidgetItem([label, by, moment])
                child.setData(0, VERSION_ROLE, (c.person_id, c.gid, v.hlc))
                child.setData(
                    0,
                    Qt.ItemDataRole.AccessibleTextRole,
                    self.tr("{version}, by {user}, {when}").format(version=label, user=by, when=moment),
                )
                top.addChild(child)
            top.setExpanded(True)
        rows = sum(1 + len(c.versions) for c in conflicts)
        self.tree.setFixedHeight(self.tree.header().sizeHint().height() + 26 * min(max(rows, 3), 12) + 6)
        self.tree.setVisible(bool(conflicts))
        self.settle_btn.setVisible(bool(conflicts))
        self.settle_btn.setEnabled(False)

    def _show_sharing(self, snap: Snapshot | None) -> None:
        status = snap.status if snap is not None else None
        show_syncthing = False
        if status is None or not status.configured:
            text = ""
        elif snap is not None and snap.syncthing is not None:
            info = snap.syncthing
            if info.error:
                text = self.tr("Syncthing runs on this computer, but it answered: {error}").format(error=info.error)
            elif info.folder is not None:
                others = max(0, len(info.folder.devices) - 1)
                text = (
                    self.tr(
                        "Syncthing {version} keeps the shared folder in step (folder “{label}”, shared with %n "
                        "other computer).",
                        "",
                        others,
                    )
                    if others == 1
                    else self.tr(
                        "Syncthing {version} keeps the shared folder in step (folder “{label}”, shared with %n "
                        "other computers).",
                        "",
                        others,
                    )
                ).format(version=info.version, label=info.folder.label or info.folder.id)
                if info.state is not None:
                    if info.state.in_sync:
                        text += " " + self.tr("Up to date.")
                    else:
                        n = info.state.need_items
                        text += " " + (
                            self.tr("%n file still to copy.", "", n)
                            if n == 1
                            else self.tr("%n files still to copy.", "", n)
                        )
                text += " " + self.tr("This computer's Syncthing device ID: {id}").format(id=info.my_id)
            else:
                show_syncthing = True
                text = self.tr(
                    "Syncthing {version} runs on this computer but does not keep the shared folder yet. "
                    "“Add to Syncthing” adds {folder} to it; then accept it on your other computers."
                ).format(version=info.version, folder=status.folder)
        else:
            text = self.tr(
                "Share this folder with your other computers using your sync tool (Syncthing, Nextcloud, Dropbox, "
                "iCloud Drive, OneDrive), or copy it on a USB stick: {folder}. On each other computer, run "
                "“medrecords sync setup --folder” with that folder and your passphrase."
            ).format(folder=status.folder)
        self.share_note.setText(text)
        self.share_row.setVisible(show_syncthing)
        self.syncthing_btn.setEnabled(show_syncthing and not self._busy)

    # ------------------------------------------------------------------ actions
    def sync_now(self) -> None:
        vault = self._vault()
        if vault is None or self._busy:
            return
        self._set_busy(True, self.tr("Syncing…"))

        find = self.find_syncthing
        folder = self.snapshot.status.folder if self.snapshot is not None else None

        def work(ctx: ops.OpContext) -> Any:
            report = vault.sync.sync_now(ctx.progress, ctx.cancel)
            if folder:
                scan_now(find, folder)
            return report

        (
            ops.Op(self, work)
            .with_progress(lambda d, t, what: self._say(self.tr("Syncing… {done}/{total}").format(done=d, total=t)))
            .success(self._synced)
            .failure(self._failed)
            .run()
        )

    def _synced(self, report: Any) -> None:
        self._set_busy(False, "")
        self.last_report = report
        sent, applied = report.exported, report.applied
        parts = [
            self.tr("Sent %n change,", "", sent) if sent == 1 else self.tr("Sent %n changes,", "", sent),
            self.tr("applied %n.", "", applied),
        ]
        n = report.conflicts
        if n:
            parts.append(
                self.tr("%n new conflict to settle.", "", n)
                if n == 1
                else self.tr("%n new conflicts to settle.", "", n)
            )
        n = len(report.refused)
        if n:
            parts.append(self.tr("%n change refused.", "", n) if n == 1 else self.tr("%n changes refused.", "", n))
        self._say(" ".join(parts))
        if report.applied:
            ops.announce(ops.RECORDS)
        self._after_action()

    def _after_action(self) -> None:
        self._note = self.progress.text()
        self.refresh()

    def _chosen_version(self) -> tuple[str, str, str] | None:
        it = self.tree.currentItem()
        data = it.data(0, VERSION_ROLE) if it is not None else None
        return tuple(data) if data else None  # type: ignore[return-value]

    def _version_chosen(self, *_: Any) -> None:
        self.settle_btn.setEnabled(not self._busy and self._chosen_version() is not None)

    def settle_chosen(self) -> None:
        vault = self._vault()
        chosen = self._chosen_version()
        if vault is None or chosen is None or self._busy:
            return
        person_id, gid, hlc = chosen
        self._set_busy(True, self.tr("Settling…"))
        (
            ops.Op(self, lambda _ctx: vault.sync.settle(person_id, gid, hlc))
            .success(self._settled)
            .failure(self._failed)
            .run()
        )

    def _settled(self, _result: Any) -> None:
        self._set_busy(False, self.tr("Settled. “Sync now” tells the other computers."))
        ops.announce(ops.RECORDS)
        self._after_action()

    def add_to_syncthing(self) -> None:
        vault = self._vault()
        snap = self.snapshot
        if vault is None or snap is None or not snap.status.configured or self._busy:
            return
        folder = snap.status.folder
        peers = [p for p in self.peers_edit.text().replace(",", " ").split() if p]
        folder_id = st.folder_id_for(vault.vault_id)
        find = self.find_syncthing

        def work(_ctx: ops.OpContext) -> st.Folder:
            client = find()
            if client is None:
                raise st.SyncthingError(
                    QCoreApplication.translate("DevicesView", "Syncthing no longer answers on this computer.")
                )
            with client:
                added = client.add_folder(folder, folder_id, share_with=peers)
                client.scan(added.id)
                return added

        self._set_busy(True, self.tr("Adding the folder to Syncthing…"))
        ops.Op(self, work).success(self._added).failure(self._failed).run()

    def _added(self, folder: st.Folder) -> None:
        self._set_busy(False, self.tr("Syncthing keeps the folder now (folder ID {id}).").format(id=folder.id))
        self.peers_edit.clear()
        self._after_action()

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder your sync tool keeps in step"))
        if path:
            self.setup(path)

    def setup(self, folder: str) -> None:
        vault = self._vault()
        if vault is None or self._busy:
            return
        self._set_busy(True, self.tr("Writing the vault into the shared folder…"))
        (ops.Op(self, lambda _ctx: vault.sync.setup(folder)).success(self._set_up).failure(self._failed).run())

    def _set_up(self, _status: Any) -> None:
        self._set_busy(False, "")
        self.refresh()

    def clear(self) -> None:
        super().clear()
        self._show(None)
        self._say("")


def install(shell: Shell) -> DevicesView:
    """The Devices page, last in the sidebar (registered as "devices")."""
    view = DevicesView()
    shell.add_view("devices", view, icon="sync")
    return shell.register("devices", view)
