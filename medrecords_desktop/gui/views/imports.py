"""Import history: every file or download brought into the vault, per person, newest first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.importing import ImportService
from ..models import HCOL_SOURCE, HistoryModel
from ..widgets import EmptyState, title_label
from . import View


class ImportsView(View):
    title = "Import history"
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label("Import history"))
        top.addStretch(1)
        btn = QPushButton("Import files…")
        btn.clicked.connect(self.import_requested)
        top.addWidget(btn)
        lay.addLayout(top)
        self.table = QTableView()
        self.table.setObjectName("HistoryTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(HCOL_SOURCE, QHeaderView.ResizeMode.Stretch)
        for col, w in enumerate((190, 140, 300, 110, 110, 90)):
            self.table.setColumnWidth(col, w)
        self.empty = EmptyState(
            "Nothing imported yet.\nDrag files or folders onto the window, or press Ctrl+I."
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        lay.addWidget(self.stack, 1)

    def refresh(self) -> None:
        assert self.ctx.records is not None
        rows = ImportService(self.ctx.records.vault).history(self.ctx.person)
        self.model.set_rows(rows)
        self.stack.setCurrentWidget(self.table if rows else self.empty)

    def clear(self) -> None:
        super().clear()
        self.model.clear()
