"""The packet's lab table: equivalent codes are one row, the trend is in one unit with each result's range."""

from __future__ import annotations

from reportlab.graphics.shapes import PolyLine, Rect

from medrecords_desktop.exporters import packet_sections as pl
from medrecords_desktop.model.records import Observation


def _g(day: str, code: str, v: float, unit: str, lo: float, hi: float) -> Observation:
    return Observation(
        title="Glucose",
        date=day,
        code_system="http://loinc.org",
        code=code,
        value=v,
        unit=unit,
        ref_low=lo,
        ref_high=hi,
    )


def test_mass_and_molar_glucose_are_one_row_in_one_unit() -> None:
    group = [
        _g("2026-01-02", "2345-7", 95, "mg/dL", 70, 99),
        _g("2026-02-02", "14749-6", 5.4, "mmol/L", 3.9, 5.6),
        _g("2026-03-02", "14749-6", 6.1, "mmol/L", 4.0, 6.0),
    ]
    assert len({pl._lab_key(o) for o in group}) == 1
    trend = pl._in_unit_of(group[-1], group)
    assert [round(o.value, 2) for o in trend] == [round(95 / 18.016, 2), 5.4, 6.1]
    assert all(o.unit == "mmol/L" for o in trend)
    assert [round(o.ref_high, 2) for o in trend] == [round(99 / 18.016, 2), 5.6, 6.0]


def test_each_result_draws_its_own_range() -> None:
    pts = [_g("2026-01-02", "14749-6", 5.0, "mmol/L", 3.9, 5.6), _g("2026-02-02", "14749-6", 5.5, "mmol/L", 4.5, 7.0)]
    drawing = pl._trend(pts, 120)
    bands = [s for s in drawing.contents if isinstance(s, Rect) and s.fillColor == pl._BAND]
    assert len(bands) == 2
    assert bands[0].y != bands[1].y and bands[0].height != bands[1].height
    assert bands[0].x == 0 and abs(bands[0].x + bands[0].width - bands[1].x) < 1e-9
    assert [s for s in drawing.contents if isinstance(s, PolyLine)]


def test_a_unit_that_does_not_convert_stays_out_of_the_trend() -> None:
    group = [_g("2026-01-02", "2345-7", 1.0, "{index}", 0, 2), _g("2026-03-02", "2345-7", 95, "mg/dL", 70, 99)]
    assert [o.value for o in pl._in_unit_of(group[-1], group)] == [95]
    assert pl._value_text(group[-1]) == "95 mg/dL" and pl._value_text(group[0]) == "1 index"
