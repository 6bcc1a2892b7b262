"""Import, on the GUI thread and once, the libraries that work on the worker imports lazily.

PySide6 replaces Python's ``__import__`` with its own hook, which runs for every module imported after Qt,
on whichever thread imports it. Native libraries first imported on the worker (pdfium through pypdfium2
when a scan or PDF is read) have crashed the process natively, rarely and never reproducibly, while the
GUI thread was busy in Qt. Importing them up front, while the user reads the unlock screen, means the
worker never imports a native library for the first time. It takes about 0.4 s once; a library that is
not installed (the OCR extra) is skipped.
"""

from __future__ import annotations

import importlib
import time

MODULES = (
    "pypdfium2",
    "PIL.Image",
    "pillow_heif",
    "lxml.etree",
    "pikepdf",
    "pypdf",
    "reportlab.pdfgen.canvas",
    "py7zr",
    "medrecords_desktop.importers.registry",
    "medrecords_desktop.exporters.packet",
    "medrecords_desktop.ocr.engine",
)


def prewarm(modules: tuple[str, ...] = MODULES) -> float:
    """Import ``modules`` (those missing are skipped); the seconds it took."""
    t0 = time.perf_counter()
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    return time.perf_counter() - t0
