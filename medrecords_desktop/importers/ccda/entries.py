"""The entry handlers by section kind (see sections.py): one module per family of sections."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .context import _Doc
from .encounters import _encounters
from .medications import _immunizations, _medications
from .problems import _allergies, _problems, _procedures
from .results import _results, _social, _vitals

_HANDLERS: dict[str, Callable[[_Doc, etree._Element, str], None]] = {
    "medications": _medications,
    "discharge-medications": _medications,
    "medications-administered": _medications,
    "anesthesia": _medications,
    "immunizations": _immunizations,
    "results": _results,
    "vital-signs": _vitals,
    "social-history": _social,
    "problems": _problems,
    "past-medical-history": _problems,
    "discharge-diagnosis": _problems,
    "admission-diagnosis": _problems,
    "allergies": _allergies,
    "procedures": _procedures,
    "encounters": _encounters,
}
