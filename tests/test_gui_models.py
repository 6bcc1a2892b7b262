"""The GUI's item models checked by pytest-qt's model tester, and their paging, without any view."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from factories import write_items  # noqa: E402
from gui_helpers import fill  # noqa: E402
from PySide6.QtCore import QModelIndex  # noqa: E402

from medrecords_desktop.gui.models import (  # noqa: E402
    COL_ITEMS,
    COL_VISIT,
    LCOL_FLAG,
    EncounterModel,
    EncounterQuery,
    HistoryModel,
    LabResultsModel,
    PersonInfo,
    Roles,
    SearchModel,
    TimelineModel,
    TimelineQuery,
)
from medrecords_desktop.model.records import Observation, Provenance  # noqa: E402
from medrecords_desktop.services.importing import ImportService  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402


@pytest.fixture(autouse=True)
def _app(qapp):  # icons in DecorationRole need a QGuiApplication
    return qapp


@pytest.fixture
def records(vault) -> RecordService:
    fill(vault)
    return RecordService(vault)


def people(vault) -> dict[str, PersonInfo]:
    return {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}


def many_observations(vault, n: int) -> None:
    items = [
        Observation(
            title=f"Weight {i}",
            date=f"2020-01-{1 + i % 28:02d}T08:{i % 60:02d}",
            code="29463-7",
            value=70 + i % 10,
            unit="kg",
            provenance=Provenance(source_id=f"Observation/w{i}"),
        )
        for i in range(n)
    ]
    write_items(vault, "Bobby Example", items, name="weights.json")


def test_timeline_model_passes_the_model_tester(qtmodeltester, records: RecordService) -> None:
    m = TimelineModel()
    m.set_source(records, people(records.vault))
    m.set_query(TimelineQuery())
    assert m.rowCount() > 0
    qtmodeltester.check(m, force_py=True)


def test_timeline_pages_on_demand(vault) -> None:
    many_observations(vault, 450)
    m = TimelineModel()
    m.set_source(RecordService(vault), people(vault))
    m.set_query(TimelineQuery())
    assert m.items_loaded == TimelineModel.PAGE and m.canFetchMore(QModelIndex())
    m.fetchMore(QModelIndex())
    assert m.items_loaded == 2 * TimelineModel.PAGE
    m.fetchMore(QModelIndex())
    assert m.items_loaded == 450 and not m.canFetchMore(QModelIndex())
    items = [m.index(r).data(Roles.Entry) for r in range(m.rowCount()) if not m.index(r).data(Roles.IsHeader)]
    assert len({e.id for e in items}) == 450  # no row twice across page borders
    keys = [(e.row.date, e.row.rowid) for e in items]
    assert keys == sorted(keys, reverse=True)
    # One header per day, directly above that day's first item.
    days = [m.index(r).data(Roles.Day) for r in range(m.rowCount()) if m.index(r).data(Roles.IsHeader)]
    assert len(days) == len(set(days)) == 28
    m.clear()
    assert m.rowCount() == 0 and not m.canFetchMore(QModelIndex())


def test_encounter_model(qtmodeltester, records: RecordService) -> None:
    m = EncounterModel()
    m.set_source(records, people(records.vault))
    m.set_query(EncounterQuery())
    assert [m.index(r, COL_VISIT).data() for r in range(m.rowCount())] == ["Visit zebra", "Visit yak"]
    assert m.index(0, COL_ITEMS).data() == 4  # result, report and letter from the factory, plus the PDF
    qtmodeltester.check(m, force_py=True)
    m.set_query(EncounterQuery(provider="clinic yak"))
    assert m.rowCount() == 1 and m.index(0, COL_VISIT).data() == "Visit yak"


def test_lab_model_flags(qtmodeltester, vault) -> None:
    write_items(
        vault,
        "Alice Example",
        [
            Observation(
                title="Glucose",
                date="2026-01-01",
                code="2345-7",
                value=7.2,
                unit="mmol/L",
                ref_low=3.9,
                ref_high=5.6,
                provenance=Provenance(source_id="Observation/g-hi"),
            ),
            Observation(
                title="Glucose",
                date="2026-02-01",
                code="2345-7",
                value=3.1,
                unit="mmol/L",
                ref_low=3.9,
                ref_high=5.6,
                provenance=Provenance(source_id="Observation/g-lo"),
            ),
            Observation(
                title="Glucose",
                date="2026-03-01",
                code="2345-7",
                value=5.0,
                unit="mmol/L",
                ref_low=3.9,
                ref_high=5.6,
                provenance=Provenance(source_id="Observation/g-ok"),
            ),
        ],
    )
    rec = RecordService(vault)
    m = LabResultsModel()
    m.set_entries(rec.lab_series("Alice Example", code="2345-7"), people(vault))
    assert [m.index(r, LCOL_FLAG).data(Roles.Flag) for r in range(3)] == ["", "L", "H"]
    assert "H" in m.index(2, LCOL_FLAG).data()
    qtmodeltester.check(m, force_py=True)


def test_search_and_history_models(qtmodeltester, records: RecordService) -> None:
    s = SearchModel()
    s.set_results("zebra", records.search("zebra"))
    assert s.rowCount() > 0
    qtmodeltester.check(s, force_py=True)
    h = HistoryModel()
    h.set_rows(ImportService(records.vault).history())
    assert h.rowCount() == 2 and h.index(0, 4).data().endswith("items")
    qtmodeltester.check(h, force_py=True)
