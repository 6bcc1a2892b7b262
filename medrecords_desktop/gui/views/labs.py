"""Labs: pick a test by name, see its trend (reference range drawn as a band) and every result.

Tests come from RecordService.lab_tests; a test's results from lab_series (one per person when
"Everyone" is selected, each person's line in their colour).  Abnormal results are red dots.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCharts import (
    QAreaSeries,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.records import Entry
from .. import fmt, theme
from ..models import LCOL_PERSON, LCOL_TEST, LabResultsModel
from ..widgets import EmptyState, muted, title_label
from . import View

TEST_ROLE = Qt.ItemDataRole.UserRole + 1


def _msecs(iso: str) -> float:
    d = fmt.parse_day(iso)
    if d is None:
        return 0.0
    return QDateTime(datetime(d.year, d.month, d.day, 12)).toMSecsSinceEpoch()


class LabsView(View):
    title = "Labs"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LabResultsModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label("Labs"))
        top.addStretch(1)
        lay.addLayout(top)
        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Find a test")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_tests)
        self.tests = QListWidget()
        self.tests.setObjectName("LabTests")
        ll.addWidget(self.filter)
        ll.addWidget(self.tests)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        self.chart = QChart()
        self.chart.setMargins(QMargins(6, 6, 6, 6))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("LabChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.table = QTableView()
        self.table.setObjectName("LabTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(LCOL_TEST, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        for col, w in enumerate((170, 120, 200, 110, 70, 150)):
            self.table.setColumnWidth(col, w)
        self.summary = muted()
        rl.addWidget(self.chart_view, 3)
        rl.addWidget(self.summary)
        rl.addWidget(self.table, 2)
        self.right_stack = QStackedWidget()
        self.empty = EmptyState("Pick a test on the left to see its trend and every result.")
        self.right_stack.addWidget(self.empty)
        self.right_stack.addWidget(right)
        split.addWidget(self.right_stack)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([240, 860])
        lay.addWidget(split, 1)
        self.tests.currentItemChanged.connect(self._test_changed)
        self.current_test: tuple[str, str | None] | None = None

    def refresh(self) -> None:
        assert self.ctx.records is not None
        self.tests.clear()
        self.model.clear()
        self.right_stack.setCurrentWidget(self.empty)
        # One entry per test: results under one code are one series even when sources name it differently.
        seen: dict[str, int] = {}
        tests: list[tuple[str, str | None, int]] = []
        for title, code, n in self.ctx.records.lab_tests(self.ctx.person):
            key = f"code:{code}" if code else f"title:{title.casefold()}"
            if key in seen:
                t, c, m = tests[seen[key]]
                tests[seen[key]] = (t, c, m + n)
            else:
                seen[key] = len(tests)
                tests.append((title, code, n))
        for title, code, n in tests:
            it = QListWidgetItem(f"{title}")
            it.setData(TEST_ROLE, (title, code))
            it.setToolTip(
                f"{title}: {n} result{'s' if n != 1 else ''}" + (f" (LOINC {code})" if code else "")
            )
            self.tests.addItem(it)
        self.empty.setText(
            "Pick a test on the left to see its trend and every result."
            if tests
            else "No lab results yet. Import lab reports or a portal download (Ctrl+I)."
        )
        if tests:
            self.tests.setCurrentRow(0)

    def clear(self) -> None:
        super().clear()
        self.tests.clear()
        self.model.clear()
        self._reset_chart()
        self.current_test = None
        self.right_stack.setCurrentWidget(self.empty)

    def _filter_tests(self, text: str) -> None:
        t = text.casefold()
        for i in range(self.tests.count()):
            it = self.tests.item(i)
            it.setHidden(bool(t) and t not in it.text().casefold())

    def select_test(self, title: str) -> bool:
        for i in range(self.tests.count()):
            if self.tests.item(i).data(TEST_ROLE)[0] == title:
                self.tests.setCurrentRow(i)
                return True
        return False

    def _test_changed(self, cur: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if cur is None or self.ctx.records is None:
            return
        title, code = cur.data(TEST_ROLE)
        self.current_test = (title, code)
        recs = self.ctx.records
        persons = [self.ctx.person] if self.ctx.person else list(self.ctx.people)
        entries: list[Entry] = []
        for pid in persons:
            entries += [
                e
                for e in recs.lab_series(pid, code=code, title=None if code else title)
                if e.row.value_num is not None
            ]
        self.model.set_entries(entries, self.ctx.people)
        self.table.setColumnHidden(LCOL_PERSON, len({e.person_id for e in entries}) <= 1)
        self._draw(title, entries)
        flagged = sum(1 for r in range(self.model.rowCount()) if self.model.data(self.model.index(r, 4)))
        self.summary.setText(
            f"{len(entries)} result{'s' if len(entries) != 1 else ''}"
            + (f", {flagged} outside the reference range" if flagged else ", all within range")
        )
        self.right_stack.setCurrentIndex(1)

    # ------------------------------------------------------------------ chart
    def _draw(self, title: str, entries: list[Entry]) -> None:
        c = theme.colors()
        self._reset_chart()
        chart = self.chart
        dark = c is theme.DARK
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
        chart.setBackgroundBrush(QBrush(QColor(c.base)))
        chart.setBackgroundRoundness(8)
        unit = next((e.row.unit for e in entries if e.row.unit), "")
        chart.setTitle(f"{title}" + (f" ({unit})" if unit else ""))
        if not entries:
            return
        xs = [_msecs(e.row.date) for e in entries]
        ys = [float(e.row.value_num) for e in entries if e.row.value_num is not None]
        x0, x1 = min(xs), max(xs)
        if x0 == x1:
            x0, x1 = x0 - 86400000 * 30, x1 + 86400000 * 30
        pad = (x1 - x0) * 0.03
        x0, x1 = x0 - pad, x1 + pad
        latest = max(entries, key=lambda e: e.row.date).row.data
        lo, hi = latest.get("ref_low"), latest.get("ref_high")
        y_lo = min(ys + [v for v in (lo, hi) if v is not None])
        y_hi = max(ys + [v for v in (lo, hi) if v is not None])
        span = (y_hi - y_lo) or abs(y_hi) or 1.0
        y_lo, y_hi = y_lo - span * 0.12, y_hi + span * 0.12
        if min(ys) >= 0 and y_lo < 0:
            y_lo = 0.0
        ax_x = QDateTimeAxis()
        ax_x.setFormat("MMM yyyy")
        ax_x.setRange(QDateTime.fromMSecsSinceEpoch(int(x0)), QDateTime.fromMSecsSinceEpoch(int(x1)))
        ax_x.setTickCount(6)
        ax_y = QValueAxis()
        ax_y.setRange(y_lo, y_hi)
        ax_y.setLabelFormat("%.0f" if y_hi - y_lo >= 20 else "%.1f" if y_hi - y_lo >= 2 else "%.2f")
        ax_y.setTickCount(6)
        chart.addAxis(ax_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(ax_y, Qt.AlignmentFlag.AlignLeft)
        if lo is not None or hi is not None:
            # The area series does not own its edges: they are children of the chart, or QtCharts
            # would read freed memory once Python drops them.
            upper, lower = QLineSeries(chart), QLineSeries(chart)
            top_v = hi if hi is not None else y_hi
            bot_v = lo if lo is not None else y_lo
            for x in (x0, x1):
                upper.append(x, top_v)
                lower.append(x, bot_v)
            band = QAreaSeries(upper, lower)
            band.setName("Reference range")
            band.setObjectName("ReferenceBand")
            band.setBrush(QColor(46, 157, 69, 45))
            band.setPen(QPen(QColor(46, 157, 69, 110), 1, Qt.PenStyle.DashLine))
            chart.addSeries(band)
            band.attachAxis(ax_x)
            band.attachAxis(ax_y)
        by_person: dict[str, list[Entry]] = {}
        for e in entries:
            by_person.setdefault(e.person_id, []).append(e)
        flagged = QScatterSeries()
        flagged.setName("Outside range")
        flagged.setMarkerSize(10)
        flagged.setColor(QColor(c.abnormal))
        flagged.setBorderColor(QColor(c.abnormal))
        for pid, es in by_person.items():
            es.sort(key=lambda e: e.row.date)
            line = QLineSeries()
            info = self.ctx.people.get(pid)
            line.setName(info.name if info and len(by_person) > 1 else title)
            color = QColor(info.color if info else c.accent)
            line.setPen(QPen(color, 2.2))
            line.setPointsVisible(True)
            for e in es:
                x, y = _msecs(e.row.date), float(e.row.value_num or 0)
                line.append(x, y)
                if fmt.flag_of(e.row):
                    flagged.append(x, y)
            chart.addSeries(line)
            line.attachAxis(ax_x)
            line.attachAxis(ax_y)
        if flagged.count():
            chart.addSeries(flagged)
            flagged.attachAxis(ax_x)
            flagged.attachAxis(ax_y)
        for ax in (ax_x, ax_y):
            ax.setLabelsColor(QColor(c.muted))
            ax.setGridLineColor(QColor(c.border))
        chart.setTitleBrush(QBrush(QColor(c.text)))
        chart.legend().setLabelColor(QColor(c.text))

    def _reset_chart(self) -> None:
        """A fresh chart per test: removing series and axes from a live QChart leaves ghosts behind."""
        old = self.chart
        self.chart = QChart()
        self.chart.setMargins(QMargins(6, 6, 6, 6))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view.setChart(self.chart)
        old.deleteLater()

    def series_names(self) -> list[str]:
        return [s.name() for s in self.chart.series()]


__all__ = ["LabsView", "QLabel"]
