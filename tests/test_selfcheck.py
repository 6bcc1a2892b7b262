"""``medrecords selfcheck`` in-process: the same steps the bundle smoke test runs on the frozen app."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from medrecords_desktop.cli import main, selfcheck


def test_selfcheck_passes_and_reports_one_line(qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "page.png"
    assert main(["selfcheck", "--image", str(image)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("selfcheck OK: medrecords ")
    items = sum(selfcheck.EXPECTED.values())
    assert f"imported {items} items" in out[0]
    assert ("OCR read the test line" in out[0]) == selfcheck.ocr_available()
    expected_renderer = "gui.TimelineModel" if selfcheck.gui_available() else "QListWidget"
    assert expected_renderer in out[0]
    saved = QImage(str(image))
    assert saved.width() == selfcheck.PAGE_W and saved.height() == selfcheck.PAGE_H
    assert selfcheck.ink_fraction(saved)[0] > 0.005


def test_missing_sample_fails_naming_the_step(
    qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(selfcheck, "BUNDLE", tmp_path / "gone.json")
    assert main(["selfcheck", "--no-ocr"]) == 1
    err = capsys.readouterr().err
    assert "selfcheck failed at 'import sample record'" in err and "gone.json" in err


def test_wrong_expectation_is_reported(
    qapp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(selfcheck, "EXPECTED", {**selfcheck.EXPECTED, "observation": 3})
    assert main(["selfcheck", "--no-ocr"]) == 1
    assert "observation 2 (expected 3)" in capsys.readouterr().err


def test_blank_page_is_detected(qapp) -> None:
    blank = QImage(200, 100, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    framed = QImage(blank)
    p = QPainter(framed)
    p.setPen(QColor("grey"))
    p.drawRect(0, 0, 199, 99)  # a list's frame alone is not content
    p.end()
    text = QImage(blank)
    p = QPainter(text)
    p.setPen(Qt.GlobalColor.black)
    for y in range(12, 100, 16):
        p.drawText(8, y, "2026-03-02  observation  Glucose 92 mg/dL")
    p.end()
    assert selfcheck.ink_fraction(blank)[0] == 0
    assert selfcheck.ink_fraction(framed)[1] < 3  # two colours: judged blank
    assert selfcheck.ink_fraction(text)[0] > 0.005 and selfcheck.ink_fraction(text)[1] >= 3
