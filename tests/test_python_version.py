"""PySide6 6.12 on CPython 3.11 aborts ("Fatal Python error: none_dealloc") after about 5,000 calls of a
method returning None.  The project requires 3.12+; this keeps that requirement honest."""

from __future__ import annotations

import sys


def test_python_is_new_enough() -> None:
    assert sys.version_info >= (3, 12)


def test_twenty_thousand_none_returning_calls(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    for i in range(20_000):
        label.setText(str(i))
        label.setObjectName("l")
    assert label.text() == "19999"
