"""Labs: pick a test by name, see its trend (each result's reference range drawn as a band) and every result.

Tests come from RecordService.lab_index, grouped by model.units: equivalent LOINC codes are one test
(mass and molar glucose, HbA1c's variants) drawn in one unit, converted; results in a unit that cannot
be converted are a test of their own, listed apart, never on the same axis.  Lab tests first, then vital
signs, each sorted by name.  A test's results come from lab_series (one line per person when "Everyone"
is selected, each in their colour).  Abnormal results are red dots.  The time axis names each month once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QDateTime, QLocale, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...model.units import VITAL_CODES, analyte_of, convert, display_unit, preferred_unit, test_group, to_ucum
from ...services.records import Entry
from .. import fmt, i18n, theme
from ..models import LCOL_PERSON, LCOL_TEST, LabResultsModel
from ..sentences import flag_phrase
from ..widgets import EmptyState, muted, title_label
from . import View

TEST_ROLE = Qt.ItemDataRole.UserRole + 1
# The list's group headings (kept in English as item data, shown translated).
GROUPS = {
    "Lab tests": QT_TRANSLATE_NOOP("LabsView", "Lab tests"),
    "Vital signs": QT_TRANSLATE_NOOP("LabsView", "Vital signs"),
}


def _tr(text: str) -> str:
    """A QT_TRANSLATE_NOOP-marked text of this view, translated."""
    return QCoreApplication.translate("LabsView", text)


def _month(y: int, m: int, with_year: bool = True) -> str:
    """A month as the language writes it ('Sep 2026'; Spanish 'sept 2026')."""
    return QLocale().toString(QDate(y, m, 1), "MMM yyyy" if with_year else "yyyy")


HEADER_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class LabTest:
    """One entry of the Labs list: every code and name that is this test, in one unit."""

    name: str
    codes: list[str]
    titles: list[str]
    vital: bool
    count: int
    unit: str | None  # the chart's unit
    choices: list[str | None]  # units the series can be shown in
    units: set[str] = field(default_factory=set)  # units of the results it holds
    apart: bool = False  # a series in a unit that does not convert to the test's main unit
    others: list[str] = field(default_factory=list)  # units listed apart


def build_tests(index: list[tuple[str, str | None, str | None, str | None, int]]) -> list[LabTest]:
    """Group (title, code, unit, category, count) rows into tests: equivalent codes together (mass and
    molar glucose, HbA1c's variants), results in a unit that cannot be converted listed apart."""
    groups: dict[str, list[tuple[str, str | None, str | None, str | None, int]]] = {}
    for title, code, unit, cat, n in index:
        key = test_group(code) or (f"code:{code}" if code else f"title:{title.casefold()}")
        groups.setdefault(key, []).append((title, code, to_ucum(unit), cat, n))
    out: list[LabTest] = []
    for rows in groups.values():
        names: dict[str, int] = {}
        for title, _c, _u, _cat, n in rows:
            names[title] = names.get(title, 0) + n
        a = analyte_of(rows[0][1])
        name = a.name if a is not None else max(names, key=lambda t: (names[t], t))
        codes = list(dict.fromkeys(c for _t, c, _u, _cat, _n in rows if c))
        vital = any(cat == "vital-signs" or (c or "") in VITAL_CODES for _t, c, _u, cat, _n in rows)
        per_unit: dict[str, int] = {}
        for _t, _c, u, _cat, n in rows:
            per_unit[u or ""] = per_unit.get(u or "", 0) + n
        code = codes[0] if codes else None
        main = preferred_unit([u for u, n in per_unit.items() for _ in range(n)], code) or ""
        together = {u for u in per_unit if convert(1.0, u, main, code) is not None}
        apart = [u for u in per_unit if u not in together]
        choices: list[str | None] = [*sorted(together, key=lambda u: -per_unit[u])]
        if a is not None:
            for alt in (a.mass_unit, a.molar_unit):
                if alt and alt not in choices and convert(1.0, main, alt, code) is not None:
                    choices.append(alt)
        out.append(
            LabTest(
                name=name,
                codes=codes,
                titles=list(names),
                vital=vital,
                count=sum(per_unit[u] for u in together),
                unit=main,
                choices=choices,
                units=together,
                others=apart,
            )
        )
        for u in apart:
            out.append(
                LabTest(
                    name=QCoreApplication.translate("LabsView", "{test} (in {unit})").format(
                        test=name, unit=display_unit(u) or u or QCoreApplication.translate("LabsView", "no unit")
                    ),
                    codes=codes,
                    titles=list(names),
                    vital=vital,
                    count=per_unit[u],
                    unit=u,
                    choices=[u],
                    units={u},
                    apart=True,
                )
            )
    return out


def month_axis(x0: float, x1: float) -> QCategoryAxis:
    """A time axis labelled at month starts, each month once (every 2nd, 3rd... month on long spans)."""
    start = QDateTime.fromMSecsSinceEpoch(int(x0)).date()
    end = QDateTime.fromMSecsSinceEpoch(int(x1)).date()
    months = (end.year() - start.year()) * 12 + end.month() - start.month() + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 8)
    ax = QCategoryAxis()
    ax.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    ax.setRange(x0, x1)
    ax.setStartValue(x0)
    y, m = start.year(), start.month()
    while (y, m) <= (end.year(), end.month()):
        if (m - 1) % step == 0:
            at = QDateTime(datetime(y, m, 1)).toMSecsSinceEpoch()
            if x0 <= at <= x1:
                label = _month(y, m, step < 12)
                ax.append(label, float(at))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    if not ax.categoriesLabels():  # a span inside one month: name that month once, mid-axis
        ax.append(_month(start.year(), start.month()), (x0 + x1) / 2)
    return ax


def _msecs(iso: str) -> float:
    d = fmt.parse_day(iso)
    if d is None:
        return 0.0
    return QDateTime(datetime(d.year, d.month, d.day, 12)).toMSecsSinceEpoch()


class LabsView(View):
    title = QT_TRANSLATE_NOOP("Views", "Labs")  # the main window shows translate("Views", title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LabResultsModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(title_label(QCoreApplication.translate("Views", "Labs")))
        top.addStretch(1)
        show_in = QLabel(self.tr("&Show in"))
        top.addWidget(show_in)
        self.unit_box = QComboBox()
        self.unit_box.setObjectName("LabUnit")
        show_in.setBuddy(self.unit_box)
        self.unit_box.setAccessibleName(self.tr("Unit of the chart"))
        self.unit_box.setToolTip(self.tr("The unit the chart shows this test in; results in other units are converted"))
        self.unit_box.setAccessibleDescription(self.unit_box.toolTip())
        self.unit_box.currentIndexChanged.connect(self._unit_changed)
        top.addWidget(self.unit_box)
        lay.addLayout(top)
        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Find a test"))
        self.filter.setAccessibleName(self.tr("Find a test"))
        self.filter.setAccessibleDescription(self.tr("Type part of a test's name to shorten the list"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_tests)
        self.tests = QListWidget()
        self.tests.setObjectName("LabTests")
        self.tests.setAccessibleName(self.tr("Tests"))
        self.tests.setAccessibleDescription(self.tr("Choose a test to see its trend and every result"))
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
        self.chart_view.setAccessibleName(self.tr("Trend chart"))
        self.chart_view.setAccessibleDescription(
            self.tr(
                "A picture of the results over time; Show as table gives the same points as rows, and "
                "every result is also listed in the table below"
            )
        )
        # The chart's table alternative: the same points (the chart's unit, each result's own range) as
        # rows a screen reader reads and a keyboard walks; "Show as table" switches between the two.
        self.as_table = QPushButton(self.tr("Show as &table"))
        self.as_table.setObjectName("ChartAsTable")
        self.as_table.setCheckable(True)
        self.as_table.setAccessibleName(self.tr("Show the trend chart as a table"))
        self.as_table.setAccessibleDescription(
            self.tr("Every point of the chart as a row: date, value in the chart's unit and reference range")
        )
        self.as_table.toggled.connect(self._show_as_table)
        self.series_model = QStandardItemModel(self)
        self.series_table = QTableView()
        self.series_table.setObjectName("ChartTable")
        self.series_table.setModel(self.series_model)
        self.series_table.setAccessibleName(self.tr("Trend chart as a table"))
        self.series_table.setTabKeyNavigation(False)
        self.series_table.verticalHeader().hide()
        self.series_table.setShowGrid(False)
        self.series_table.setAlternatingRowColors(True)
        self.series_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.series_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.series_table.horizontalHeader().setStretchLastSection(True)
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.chart_view)
        self.chart_stack.addWidget(self.series_table)
        self.table = QTableView()
        self.table.setObjectName("LabTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Every result"))
        self.table.setAccessibleDescription(self.tr("The results of the chosen test, newest first"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
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
        switch = QHBoxLayout()
        switch.addStretch(1)
        switch.addWidget(self.as_table)
        rl.addLayout(switch)
        rl.addWidget(self.chart_stack, 3)
        rl.addWidget(self.summary)
        rl.addWidget(self.table, 2)
        self.right_stack = QStackedWidget()
        self.empty = EmptyState(self.tr("Pick a test on the left to see its trend and every result."))
        self.right_stack.addWidget(self.empty)
        self.right_stack.addWidget(right)
        split.addWidget(self.right_stack)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([240, 860])
        lay.addWidget(split, 1)
        QWidget.setTabOrder(self.unit_box, self.filter)
        QWidget.setTabOrder(self.filter, self.tests)
        QWidget.setTabOrder(self.tests, self.as_table)
        QWidget.setTabOrder(self.as_table, self.chart_view)
        QWidget.setTabOrder(self.chart_view, self.series_table)
        QWidget.setTabOrder(self.series_table, self.table)
        self.tests.currentItemChanged.connect(self._test_changed)
        self.current_test: tuple[str, str | None] | None = None
        self._current: LabTest | None = None
        self._entries: list[Entry] = []
        self.chart_unit: str | None = None
        self.plotted: list[tuple[float, float]] = []
        self.bands: list[tuple[float, float | None, float | None]] = []

    def refresh(self) -> None:
        assert self.ctx.records is not None
        self.tests.clear()
        self.model.clear()
        self.right_stack.setCurrentWidget(self.empty)
        tests = build_tests(self.ctx.records.lab_index(self.ctx.person))
        labs = sorted((t for t in tests if not t.vital), key=lambda t: t.name.casefold())
        vitals = sorted((t for t in tests if t.vital), key=lambda t: t.name.casefold())
        for header, group in (("Lab tests", labs), ("Vital signs", vitals)):
            if not group:
                continue
            shown = _tr(GROUPS[header])
            h = QListWidgetItem(shown.upper())
            h.setData(Qt.ItemDataRole.AccessibleTextRole, shown)
            h.setFlags(Qt.ItemFlag.NoItemFlags)
            f = h.font()
            f.setBold(True)
            f.setPointSizeF(max(f.pointSizeF() * 0.85, 7.0))
            h.setFont(f)
            h.setData(HEADER_ROLE, header)
            self.tests.addItem(h)
            for t in group:
                it = QListWidgetItem(t.name)
                it.setData(TEST_ROLE, t)
                codes = ", ".join(c for c in t.codes if c)
                tip = (
                    self.tr("{test}: %n result", "", t.count)
                    if t.count == 1
                    else self.tr("{test}: %n results", "", t.count)
                ).format(test=t.name)
                tip += f" (LOINC {codes})" if codes else ""
                it.setToolTip(tip)
                it.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tip)
                self.tests.addItem(it)
        self.empty.setText(
            self.tr("Pick a test on the left to see its trend and every result.")
            if tests
            else self.tr("No lab results yet. Import lab reports or a portal download (Ctrl+I).")
        )
        first = next((i for i in range(self.tests.count()) if self.tests.item(i).data(TEST_ROLE)), None)
        if first is not None:
            self.tests.setCurrentRow(first)

    def test_names(self) -> list[str]:
        """The tests listed, in order (headers left out)."""
        return [self.tests.item(i).text() for i in range(self.tests.count()) if self.tests.item(i).data(TEST_ROLE)]

    def headers(self) -> list[str]:
        return [
            self.tests.item(i).data(HEADER_ROLE)
            for i in range(self.tests.count())
            if self.tests.item(i).data(HEADER_ROLE)
        ]

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
            if it.data(TEST_ROLE) is None:
                continue
            it.setHidden(bool(t) and t not in it.text().casefold())

    def select_test(self, title: str) -> bool:
        for i in range(self.tests.count()):
            t = self.tests.item(i).data(TEST_ROLE)
            if t is not None and (t.name == title or title in t.titles):
                self.tests.setCurrentRow(i)
                return True
        return False

    def _test_changed(self, cur: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if cur is None or self.ctx.records is None:
            return
        test: LabTest | None = cur.data(TEST_ROLE)
        if test is None:
            return
        self.current_test = (test.name, test.codes[0] if test.codes else None)
        self._current = test
        recs = self.ctx.records
        persons = [self.ctx.person] if self.ctx.person else list(self.ctx.people)
        entries: list[Entry] = []
        for pid in persons:
            got: list[Entry] = []
            for code in test.codes:
                got += recs.lab_series(pid, code=code)
            for title in test.titles if not test.codes else ():
                got += recs.lab_series(pid, title=title)
            entries += [
                e
                for e in got
                if e.row.value_num is not None
                and (
                    (to_ucum(e.row.unit) or "") in test.units
                    if test.apart
                    else convert(1.0, e.row.unit, test.unit, e.row.code) is not None
                )
            ]
        entries.sort(key=lambda e: e.row.date)
        self._entries = entries
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        for u in test.choices:
            self.unit_box.addItem(display_unit(u) or u or self.tr("(no unit)"), u)
        self.unit_box.setCurrentIndex(max(0, test.choices.index(test.unit) if test.unit in test.choices else 0))
        self.unit_box.setEnabled(len(test.choices) > 1)
        self.unit_box.blockSignals(False)
        self.model.set_entries(entries, self.ctx.people)
        self.table.setColumnHidden(LCOL_PERSON, len({e.person_id for e in entries}) <= 1)
        self._draw(test.name, entries, test.unit)
        self.right_stack.setCurrentIndex(1)

    def _unit_changed(self, _i: int) -> None:
        test = getattr(self, "_current", None)
        unit = self.unit_box.currentData()
        if test is None or unit is None:
            return
        test.unit = unit
        self._draw(test.name, self._entries, unit)

    def _summarise(self, entries: list[Entry], unit: str | None, converted: int) -> None:
        flagged = sum(1 for r in range(self.model.rowCount()) if self.model.data(self.model.index(r, 4)))
        n = len(entries)
        text = self.tr("%n result", "", n) if n == 1 else self.tr("%n results", "", n)
        text += self.tr(", %n outside the reference range", "", flagged) if flagged else self.tr(", all within range")
        if converted:
            shown = display_unit(unit) or unit or ""
            text += self.tr(
                "; %n converted to {unit} for the chart (the table shows them as reported)", "", converted
            ).format(unit=shown)
        test = getattr(self, "_current", None)
        if test is not None and test.others:
            text += self.tr(". Also reported in {units}: listed apart").format(
                units=", ".join(display_unit(u) or u for u in test.others)
            )
        self.summary.setText(text)

    # ------------------------------------------------------------------ chart
    def _draw(self, title: str, entries: list[Entry], unit: str | None = None) -> None:
        c = theme.colors()
        self._reset_chart()
        chart = self.chart
        dark = c is theme.DARK
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
        chart.setBackgroundBrush(QBrush(QColor(c.base)))
        chart.setBackgroundRoundness(8)
        if unit is None:
            unit = next((to_ucum(e.row.unit) for e in entries if e.row.unit), None)
        shown_unit = display_unit(unit) or ""
        chart.setTitle(f"{title}" + (f" ({shown_unit})" if shown_unit else ""))
        self.chart_unit = unit
        # Every point and every range in the chart's one unit; a result that does not convert is not here.
        points: list[tuple[Entry, float, float, float | None, float | None]] = []
        converted = 0
        for e in entries:
            v = convert(float(e.row.value_num), e.row.unit, unit, e.row.code) if e.row.value_num is not None else None
            if v is None:
                continue
            if (to_ucum(e.row.unit) or "") != (unit or ""):
                converted += 1
            lo, hi = e.row.data.get("ref_low"), e.row.data.get("ref_high")
            lo = convert(float(lo), e.row.unit, unit, e.row.code) if lo is not None else None
            hi = convert(float(hi), e.row.unit, unit, e.row.code) if hi is not None else None
            points.append((e, _msecs(e.row.date), v, lo, hi))
        self.plotted = [(x, v) for _e, x, v, _lo, _hi in points]
        self.bands = [(x, lo, hi) for _e, x, _v, lo, hi in points]
        self._fill_series_table(title, [(e, v, lo, hi) for e, _x, v, lo, hi in points], unit)
        self._summarise(entries, unit, converted)
        if not points:
            return
        xs = [p[1] for p in points]
        ys = [p[2] for p in points]
        x0, x1 = min(xs), max(xs)
        if x0 == x1:
            x0, x1 = x0 - 86400000 * 30, x1 + 86400000 * 30
        pad = (x1 - x0) * 0.03
        x0, x1 = x0 - pad, x1 + pad
        bounds = [v for p in points for v in (p[3], p[4]) if v is not None]
        y_lo = min(ys + bounds)
        y_hi = max(ys + bounds)
        span = (y_hi - y_lo) or abs(y_hi) or 1.0
        y_lo, y_hi = y_lo - span * 0.12, y_hi + span * 0.12
        if min(ys) >= 0 and y_lo < 0:
            y_lo = 0.0
        ax_x = month_axis(x0, x1)
        ax_y = QValueAxis()
        ax_y.setRange(y_lo, y_hi)
        ax_y.setLabelFormat("%.0f" if y_hi - y_lo >= 20 else "%.1f" if y_hi - y_lo >= 2 else "%.2f")
        ax_y.setTickCount(6)
        chart.setLocalizeNumbers(True)  # axis numbers with the language's decimal mark ('50,1')
        chart.setLocale(i18n.locale())
        chart.addAxis(ax_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(ax_y, Qt.AlignmentFlag.AlignLeft)
        # Each result's own reference range, drawn over the stretch of time nearest to it (a step band),
        # never the newest range under results that had their own.
        ranged = sorted(((x, lo, hi) for _e, x, _v, lo, hi in points if lo is not None or hi is not None))
        if ranged:
            upper, lower = QLineSeries(chart), QLineSeries(chart)
            for i, (x, lo, hi) in enumerate(ranged):
                left = x0 if i == 0 else (ranged[i - 1][0] + x) / 2
                right = x1 if i == len(ranged) - 1 else (x + ranged[i + 1][0]) / 2
                top_v = hi if hi is not None else y_hi
                bot_v = lo if lo is not None else y_lo
                for xx in (left, right):
                    upper.append(xx, top_v)
                    lower.append(xx, bot_v)
            band = QAreaSeries(upper, lower)
            band.setName(self.tr("Reference range"))
            band.setObjectName("ReferenceBand")
            band.setBrush(QColor(46, 157, 69, 45))
            band.setPen(QPen(QColor(46, 157, 69, 110), 1, Qt.PenStyle.DashLine))
            chart.addSeries(band)
            band.attachAxis(ax_x)
            band.attachAxis(ax_y)
        by_person: dict[str, list[tuple[Entry, float, float]]] = {}
        for e, x, v, _lo, _hi in points:
            by_person.setdefault(e.person_id, []).append((e, x, v))
        flagged = QScatterSeries()
        flagged.setName(self.tr("Outside range"))
        flagged.setMarkerSize(10)
        flagged.setColor(QColor(c.abnormal))
        flagged.setBorderColor(QColor(c.abnormal))
        for pid, es in by_person.items():
            es.sort(key=lambda p: p[1])
            line = QLineSeries()
            info = self.ctx.people.get(pid)
            line.setName(info.name if info and len(by_person) > 1 else title)
            color = QColor(info.color if info else c.accent)
            line.setPen(QPen(color, 2.2))
            line.setPointsVisible(True)
            for e, x, y in es:
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

    # ------------------------------------------------------------------ the chart as a table
    def _show_as_table(self, on: bool) -> None:
        self.chart_stack.setCurrentWidget(self.series_table if on else self.chart_view)
        self.as_table.setText(self.tr("Show as &chart") if on else self.tr("Show as &table"))

    def _fill_series_table(
        self, title: str, points: list[tuple[Entry, float, float | None, float | None]], unit: str | None
    ) -> None:
        """One row per plotted point, oldest first like the chart: its value in the chart's unit (converted
        as the chart converted it) and its own reference range in that unit."""
        shown_unit = display_unit(unit) or ""
        several = len({e.person_id for e, *_ in points}) > 1
        m = self.series_model
        m.clear()
        m.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Person"),
                self.tr("Value"),
                self.tr("Reference range"),
                self.tr("Compared with the range"),
            ]
        )
        self.series_table.setColumnHidden(1, not several)
        for e, v, lo, hi in points:
            info = self.ctx.people.get(e.person_id)
            person = info.name if info is not None else ""
            shown: float | None = v
            if (to_ucum(e.row.unit) or "") != (unit or ""):  # converted for the chart: 4 significant digits
                shown, lo, hi = (None if n is None else float(f"{n:.4g}") for n in (v, lo, hi))
            value = fmt.fmt_value(shown, unit)
            rng = fmt.fmt_range({"ref_low": lo, "ref_high": hi}) if lo is not None or hi is not None else ""
            rng_text = f"{rng} {shown_unit}".strip() if rng else ""
            words = flag_phrase(e.row) or "—"
            sentence = self.tr("{test} {value} on {date}: {compared}").format(
                test=title, value=value, date=fmt.fmt_long(e.row.date), compared=words
            )
            if rng_text:
                sentence += "; " + self.tr("reference range {range}").format(range=rng_text)
            if several and person:
                sentence += f"; {person}"
            row = [
                QStandardItem(fmt.fmt_day(e.row.date)),
                QStandardItem(person),
                QStandardItem(value),
                QStandardItem(rng_text),
                QStandardItem(words),
            ]
            for it in row:
                it.setEditable(False)
                it.setData(sentence, Qt.ItemDataRole.AccessibleTextRole)
            row[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if fmt.flag_of(e.row):
                for it in (row[2], row[4]):
                    it.setForeground(QBrush(QColor(theme.colors().abnormal)))
            m.appendRow(row)
        self.series_table.setAccessibleDescription(
            self.tr("Each point of the {test} chart, oldest first, in {unit}").format(
                test=title, unit=shown_unit or self.tr("the reported unit")
            )
        )
        self.series_table.resizeColumnsToContents()

    def series_rows(self) -> list[list[str]]:
        """The table alternative's cells, row by row (what a screen reader can read of the chart)."""
        m = self.series_model
        return [[m.item(r, c).text() for c in range(m.columnCount())] for r in range(m.rowCount())]

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
