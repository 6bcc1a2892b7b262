"""Reading a lab report (a scan's recognised text or a PDF's text layer) into proposed lab results.

Nothing here is saved: :func:`propose_results` returns rows for a person to review; the service
``services.labreport`` reads stored documents and writes the rows a person kept.

A result line is read as: test name, value (a number, maybe with a comparator, or a word such as
"Negative"), then in any order a unit, a reference range and a flag.  The test name is matched against
the shipped catalogue (``data/lab_tests.json``) by exact name or abbreviation first, then by fuzzy
matching that tolerates the usual recognition slips (O/0, l/1/I, S/5).  Recognised pages come with
boxes: boxes are grouped into visual rows first, so a table's cells read as one line.

Modules: ``names`` (the catalogue and name matching), ``values`` (units, values, ranges, flags, dates),
``lines`` (one result line), ``page`` (rows, columns and indentation of a whole page).
"""

from __future__ import annotations

from .lines import ProposedRow
from .names import LOINC, LabTest, catalogue, match_test
from .page import propose_results
from .values import find_date, normalise_unit, report_date

__all__ = [
    "LOINC",
    "LabTest",
    "ProposedRow",
    "catalogue",
    "find_date",
    "match_test",
    "normalise_unit",
    "propose_results",
    "report_date",
]
