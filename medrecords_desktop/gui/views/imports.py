"""Import history: every file or download brought into the vault, per person, newest first.

An import can be taken back whole ("Undo import…") or given to another person ("Move to…"); both run
on the database worker (ops.Op) with a progress bar, and both can be restored from the Trash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.importing import ImportRecord
from ...services.people import MoveResult, plural
from .. import ops
from ..models import HCOL_SOURCE, HistoryModel
from ..people_menu import summary
from ..widgets import EmptyState, muted, title_label
from . import View


def _ask_yes(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _ask_person(parent: QWidget, title: str, text: str, names: list[str]) -> str | None:
    name, ok = QInputDialog.getItem(parent, title, text, names, 0, False)
    return name if ok and name else None


class ImportsView(View):
    title = QT_TRANSLATE_NOOP("Views", "Import history")  # the main window shows translate("Views", title)
    import_requested = Signal()
    # seams for tests (the real ones are modal dialogs)
    ask_yes: Callable[[QWidget, str, str], bool] = staticmethod(_ask_yes)  # type: ignore[assignment]
    ask_person: Callable[[QWidget, str, str, list[str]], str | None] = staticmethod(_ask_person)  # type: ignore[assignment]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        self.op: ops.Op | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(self.tr("Import history")))
        top.addStretch(1)
        self.undo_btn = QPushButton(self.tr("Undo import…"))
        self.undo_btn.setObjectName("UndoImport")
        self.undo_btn.setToolTip(
            self.tr("Take the chosen import back whole; it goes to the Trash, where you can restore it")
        )
        self.undo_btn.setAccessibleDescription(self.undo_btn.toolTip())
        self.move_btn = QPushButton(self.tr("Move to…"))
        self.move_btn.setObjectName("MoveImport")
        self.move_btn.setToolTip(self.tr("Give the chosen import to another person (duplicates there are folded)"))
        self.move_btn.setAccessibleDescription(self.move_btn.toolTip())
        btn = QPushButton(self.tr("Import files…"))
        btn.setObjectName("ImportFiles")
        btn.clicked.connect(self.import_requested)
        top.addWidget(self.undo_btn)
        top.addWidget(self.move_btn)
        top.addWidget(btn)
        lay.addLayout(top)
        lay.addWidget(
            muted(
                self.tr(
                    "Filed under the wrong person, or not wanted? Choose an import, then Undo or "
                    "Move. Both can be taken back from the Trash."
                )
            )
        )
        self.progress = QProgressBar()
        self.progress.setObjectName("HistoryProgress")
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("HistoryStatus")
        self.status.hide()
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        self.table = QTableView()
        self.table.setObjectName("HistoryTable")
        self.table.setAccessibleName(self.tr("Imports, newest first"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setAccessibleDescription(self.tr("Choose an import, then Undo import or Move to"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(HCOL_SOURCE, QHeaderView.ResizeMode.Stretch)
        for col, w in enumerate((190, 140, 300, 110, 110, 170)):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState(
            self.tr("Nothing imported yet.\nDrag files or folders onto the window, or press Ctrl+I.")
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        lay.addWidget(self.stack, 1)
        self.undo_btn.clicked.connect(lambda: self.undo_selected())
        self.move_btn.clicked.connect(lambda: self.move_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        self.setTabOrder(self.undo_btn, self.move_btn)
        self.setTabOrder(self.move_btn, btn)
        self.setTabOrder(btn, self.table)
        self._buttons()

    def refresh(self) -> None:
        assert self.ctx.records is not None
        assert self.ctx.session is not None
        rows = self.ctx.session.importing.history(self.ctx.person)
        self.model.set_rows(rows)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self._buttons()

    def clear(self) -> None:
        super().clear()
        self.model.clear()

    # ------------------------------------------------------------------ undo and move
    def selected(self) -> ImportRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_row(self, n: int) -> None:
        self.table.selectRow(n)

    def _buttons(self) -> None:
        r = self.selected()
        ok = r is not None and r.status == "ok" and (self.op is None or self.op.finished)
        self.undo_btn.setEnabled(ok)
        self.move_btn.setEnabled(ok and r is not None and r.source_kind != "move")

    def _run(self, label: str, work: Callable[[ops.OpContext], Any], done: Callable[[Any], None]) -> ops.Op:
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(label)
        self.status.show()

        def progress(d: int, total: int, text: str) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(d)
            self.status.setText(text)

        def finished(changed: ops.Changed) -> None:  # every view (this one too) was told through ops.hub()
            self.progress.hide()
            done(changed.value)
            self.refresh_if_stale()

        def failed(exc: BaseException) -> None:
            self.progress.hide()
            self.status.setText(ops.friendly(exc))
            ops.show_error(self, exc)
            self._buttons()

        def write(ctx: ops.OpContext) -> ops.Changed:  # undone or moved imports: records and maybe people
            return ops.Changed.of({ops.RECORDS, ops.PEOPLE}, work(ctx))

        self.op = ops.write(self, write).with_progress(progress).success(finished).failure(failed).run()
        self._buttons()
        return self.op

    def undo_selected(self) -> ops.Op | None:
        r = self.selected()
        if r is None or self.ctx.records is None:
            return None
        people = self.ctx.session.people if self.ctx.session is not None else None
        assert people is not None
        added = self.model.data(self.model.index(self.table.currentIndex().row(), 4)) or self.tr("everything")
        question = self.tr(
            "Take back “{source}” ({person}, {added})?\n\nEverything it added goes to the Trash as one "
            "entry; restore it from there if you change your mind."
        ).format(source=r.source_name, person=r.person, added=added)
        if not self.ask_yes(self, self.tr("Undo import"), question):
            return None
        public_id = r.public_id

        def work(ctx: ops.OpContext) -> str:
            return people.undo_import(public_id, progress=ctx.progress)

        took = self.tr("Took back {source}: it is in the Trash.").format(source=r.source_name)
        return self._run(
            self.tr("Taking back {source}…").format(source=r.source_name), work, lambda _unit: self.status.setText(took)
        )

    def move_selected(self) -> ops.Op | None:
        r = self.selected()
        if r is None or self.ctx.records is None:
            return None
        session = self.ctx.session
        assert session is not None
        others = [p for p in session.persons() if p.id != r.person_id]
        if not others:
            QMessageBox.information(self, self.tr("Move import"), self.tr("There is nobody else to move it to."))
            return None
        name = self.ask_person(
            self,
            self.tr("Move import"),
            self.tr("Whose records are in “{source}”?").format(source=r.source_name),
            [p.name for p in others],
        )
        dest = next((p for p in others if p.name == name), None)
        if dest is None:
            return None
        public_id = r.public_id

        def work(ctx: ops.OpContext) -> MoveResult:
            return session.people.move_import(public_id, dest.id or "", progress=ctx.progress)

        def done(res: MoveResult) -> None:
            self.status.setText(
                self.tr("Moved to {name}: {what}. Undo it from the Trash.").format(name=dest.name, what=summary(res))
            )

        return self._run(self.tr("Moving {source} to {name}…").format(source=r.source_name, name=dest.name), work, done)


__all__ = ["ImportsView", "plural"]
