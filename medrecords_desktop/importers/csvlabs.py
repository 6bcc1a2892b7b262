"""Lab results exported by portals and labs as CSV (or TSV, or semicolon-separated) tables.

No two exports agree, so nothing about the layout is assumed:
- the delimiter is sniffed (``csv.Sniffer``), and every usual delimiter is tried when the sniffer is
  wrong (it often is on European files, whose decimal commas look like delimiters);
- the header row is searched for, because portals put title lines ("Quest Diagnostics", "Patient: ...")
  above it, and columns are mapped by header synonyms, case-, accent-, space- and punctuation-blind;
- "long" tables (one row per result) and "wide" tables (one column per collection date) are read;
- numbers follow the file's own decimal mark (``1,234.5`` or ``1.234,5``), day/month order is decided
  from the file's dates (a day above 12 settles it), and dotted dates are day-first.

Each result becomes an Observation (category laboratory).  A row that cannot be read is skipped and
reported with its line number and the reason; nothing is guessed silently.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

from ..model.records import Observation, Provenance
from .base import ParsedFile, PatientInfo, reject
from .text import decode_text

LOINC = "http://loinc.org"
HEADER_SEARCH_ROWS = 50  # title lines a portal may put above the header
SNIFF_CHARS = 64 * 1024
MAX_WARNINGS = 200
MAX_FIELD = 1024 * 1024  # one cell; the csv module's default (128 KiB) rejects long comments
DELIMITERS = (",", ";", "\t", "|")

# Header synonyms per role, already normalised (see _norm).  Within a role, earlier tuples win when
# two columns match: "Component" is the analyte and "Test" then the panel it belongs to.  The word
# lists read better packed than one word a line, hence fmt: off.
# fmt: off
_ROLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "name": (
        ("component", "componentname", "analyte", "analytename", "resultname", "testcomponent",
         "observation", "observationname", "parameter", "analyse", "analysis", "untersuchung",
         "bezeichnung", "examen", "analisi", "prueba", "bepaling", "investigation"),
        ("test", "testname", "name", "labtest", "testdescription", "description", "item", "testtitle",
         "observationdescription", "resultdescription"),
    ),
    "value": (
        ("value", "resultvalue", "yourvalue", "yourresult", "observationvalue", "wert", "messwert",
         "valeur", "valore", "waarde", "valor"),
        ("result", "results", "ergebnis", "resultat", "uitslag", "resultado", "risultato", "befund"),
    ),
    "unit": (("unit", "units", "uom", "unitofmeasure", "unitofmeasurement", "einheit", "unite",
              "unita", "eenheid", "unidad", "unidade", "unidades"),),
    "range": (("referencerange", "refrange", "range", "normalrange", "referenceinterval",
               "referencevalues", "reference", "standardrange", "normalvalues", "normal", "expectedrange",
               "refinterval", "referenzbereich", "referenzwerte", "normbereich", "normalwerte",
               "normwert", "norm", "referenz", "valeursdereference", "valeurdereference",
               "valeursnormales", "intervallediriferimento", "valoridiriferimento", "referentiewaarden",
               "referentiewaarde", "referentie", "rangodereferencia", "valoresdereferencia",
               "valoresdereferencia"),),
    "ref_low": (("reflow", "referencelow", "low", "lowerlimit", "rangelow", "normallow", "lowernormal",
                 "min", "minimum", "lowerreference", "lowerrange", "untergrenze"),),
    "ref_high": (("refhigh", "referencehigh", "high", "upperlimit", "rangehigh", "normalhigh",
                  "uppernormal", "max", "maximum", "upperreference", "upperrange", "obergrenze"),),
    "date": (
        ("collectiondate", "collected", "datecollected", "collectiondatetime", "collectedon",
         "specimencollected", "specimencollectiondate", "drawn", "drawdate", "datedrawn",
         "dateofcollection", "collectiontime", "samplingdate", "sampledate", "entnahmedatum",
         "abnahmedatum", "dateduprelevement", "datadelprelievo", "fechademuestra"),
        ("date", "datetime", "datum", "fecha", "data", "observationdate", "testdate", "servicedate",
         "effectivedate", "dateoftest", "dateofservice", "visitdate"),
        ("resultdate", "resulted", "reported", "reportdate", "datereported", "resultdatetime",
         "befunddatum", "dateresulted"),
    ),
    "time": (("time", "uhrzeit", "zeit", "heure", "hora", "ora"),),
    "flag": (("flag", "flags", "abnormal", "abnormalflag", "abnormalflags", "interpretation", "hl",
              "highlow", "abnormalindicator", "indicator", "kennzeichen", "markierung", "drapeau",
              "indicateur", "flagged"),),
    "loinc": (("loinc", "loinccode", "loincnumber", "loincid", "loincnum"),),
    "code": (("code", "testcode", "resultcode", "componentcode", "observationcode", "analytecode"),),
    "panel": (("panel", "panelname", "order", "ordername", "orderedtest", "testgroup", "battery",
               "profile", "group", "section", "category"),),
    "comment": (("comment", "comments", "note", "notes", "remark", "remarks", "kommentar", "bemerkung",
                 "commentaire", "resultcomment"),),
    "status": (("status", "resultstatus"),),
    "specimen": (("specimen", "specimentype", "sample", "sampletype", "material", "probe"),),
    "performer": (("lab", "laboratory", "performinglab", "performedby", "performinglaboratory", "labor",
                   "laboratoire", "labname"),),
    "patient": (("patient", "patientname", "patientfullname"),),
    "birth_date": (("dob", "dateofbirth", "birthdate", "birthday", "geburtsdatum"),),
}
# fmt: on
_SYNONYM: dict[str, tuple[str, int]] = {
    word: (role, rank) for role, groups in _ROLES.items() for rank, words in enumerate(groups) for word in words
}

# fmt: off
_FLAGS: dict[str, str] = {
    "h": "H", "high": "H", "hi": "H", "+": "H", "hoch": "H", "erhoht": "H", "eleve": "H", "alto": "H",
    "l": "L", "low": "L", "lo": "L", "-": "L", "niedrig": "L", "erniedrigt": "L", "bas": "L", "bajo": "L",
    "hh": "HH", "criticalhigh": "HH", "highcritical": "HH", "ch": "HH", "h!": "HH", "panichigh": "HH",
    "ll": "LL", "criticallow": "LL", "lowcritical": "LL", "cl": "LL", "l!": "LL", "paniclow": "LL",
    "a": "A", "abnormal": "A", "abn": "A", "*": "A", "!": "A", "pathologisch": "A", "anormal": "A",
    "aa": "AA", "critical": "AA", "panic": "AA", "c": "AA",
    "n": "N", "normal": "N", "norm": "N", "wnl": "N", "withinnormallimits": "N",
}
# fmt: on

_NUM = r"[-+]?(?:\d+(?:[.,'\u2019]\d+)*|[.,]\d+)(?:[eE][-+]?\d+)?"
_VALUE_RE = re.compile(rf"^(<=|>=|≤|≥|<|>|=)?\s*({_NUM})(\s*)(.*)$")
_RANGE_RE = re.compile(rf"^({_NUM})\s*(?:-|to|bis|à|a|~|\.\.)\s*({_NUM})\s*(.*)$", re.IGNORECASE)
_LIMIT_RE = re.compile(rf"^(<=|>=|≤|≥|<|>|up to|bis|under|below|over|above)\s*({_NUM})\s*(.*)$", re.I)
_NO_RESULT = {"-", "--", "---", "n/a", "na", ".", "null", "none"}
_LOINC_RE = re.compile(r"^\d{1,7}-\d$")
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp]\.?\s?[Mm]\.?)?"
_TZ = r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|\(?[A-Z]{2,5}\)?))?"
_ISO_RE = re.compile(rf"^(\d{{4}})[-/](\d{{1,2}})[-/](\d{{1,2}})(?:(?:T|\s+|,\s*){_TIME})?{_TZ}$")
_NUMERIC_RE = re.compile(rf"^(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})\.?(?:(?:T|\s+|,\s*){_TIME})?{_TZ}$")
_MONTH_FIRST_RE = re.compile(
    rf"^(?:[A-Za-z]+,?\s+)??([A-Za-z\u00e4]{{3,9}})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
    rf"(?:(?:\s+|,\s*|\s+at\s+){_TIME})?{_TZ}$"
)
_DAY_FIRST_RE = re.compile(
    rf"^(?:[A-Za-z]+,?\s+)?(\d{{1,2}})(?:\.|st|nd|rd|th)?[\s\-]*([A-Za-z\u00e4]{{3,9}})\.?[\s\-,]+"
    rf"(\d{{4}}|\d{{2}})(?:(?:\s+|,\s*){_TIME})?{_TZ}$"
)
# fmt: off
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12, "mär": 3, "mrz": 3, "mai": 5, "okt": 10, "dez": 12, "sept": 9,
}
# fmt: on


class RowError(ValueError):
    """A cell this parser cannot read; the message is the reason shown to the user."""


# --- header and layout ------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # headers and flags repeat on every row
def _norm(cell: str) -> str:
    """Header text reduced to lowercase ASCII letters and digits, without parenthesised notes."""
    cell = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", cell)
    cell = unicodedata.normalize("NFKD", cell)
    return "".join(ch for ch in cell.lower() if ch.isascii() and ch.isalnum())


@dataclass
class Layout:
    delimiter: str
    header_row: int  # index into the rows
    header: list[str]
    columns: dict[str, int]
    date_columns: list[tuple[int, str]] = field(default_factory=list)  # wide layout: (column, header)

    @property
    def wide(self) -> bool:
        return "value" not in self.columns


def _map_header(cells: list[str]) -> dict[str, int]:
    best: dict[str, tuple[int, int]] = {}  # role -> (rank, column)
    spare: list[tuple[str, int, int]] = []
    for col, cell in enumerate(cells):
        hit = _SYNONYM.get(_norm(cell))
        if hit is None:
            continue
        role, rank = hit
        if role not in best or rank < best[role][0]:
            if role in best:
                spare.append((role, *best[role]))
            best[role] = (rank, col)
        else:
            spare.append((role, rank, col))
    columns = {role: col for role, (_, col) in best.items()}
    for role, _rank, col in spare:
        # "Test" beside "Component" names the panel; "Result" beside "Value" may name the test.
        if role == "name" and "panel" not in columns:
            columns["panel"] = col
        elif role == "value" and "name" not in columns:
            columns["name"] = col
    return columns


def _layout_in(rows: list[tuple[int, list[str]]], delimiter: str) -> tuple[int, Layout] | None:
    """The first row that reads as a lab header, with a score (roles recognised)."""
    for index, (_line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(cells) < 2:
            continue
        columns = _map_header(cells)
        if "name" not in columns:
            continue
        if "value" in columns:
            return len(columns), Layout(delimiter, index, cells, columns)
        taken = set(columns.values())
        date_columns = [(c, h.strip()) for c, h in enumerate(cells) if c not in taken and h.strip()]
        order = _date_order([h for _, h in date_columns], decimal_comma=delimiter == ";")
        dated = [(c, h) for c, h in date_columns if _try_date(h, order) is not None]
        if dated:
            return len(columns) + 1, Layout(delimiter, index, cells, columns, dated)
    return None


def _read_rows(text: str, delimiter: str, limit: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """Records with the physical line each starts on (1-based), quotes spanning lines included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    line = 1
    count = 0
    for record in reader:
        yield line, record
        line = reader.line_num + 1
        count += 1
        if limit is not None and count >= limit:
            return


def _candidate_delimiters(sample: str) -> list[str]:
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    return ([sniffed] if sniffed else []) + [d for d in DELIMITERS if d != sniffed]


def find_layout(text: str) -> Layout | None:
    """The delimiter and header row that recognise the most columns (the sniffer's pick wins ties)."""
    sample = text[:SNIFF_CHARS]
    best: tuple[int, Layout] | None = None
    with _big_fields():
        for delimiter in _candidate_delimiters(sample):
            try:
                rows = list(_read_rows(sample, delimiter, HEADER_SEARCH_ROWS))
            except csv.Error:
                continue
            found = _layout_in(rows, delimiter)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    return None if best is None else best[1]


def looks_like_lab_table(text: str) -> bool:
    """True when a header row with a test-name column and a result (or date) column is found."""
    return find_layout(text[:SNIFF_CHARS]) is not None


def looks_tabular(text: str) -> bool:
    """Several lines split into the same number (>= 2) of cells by one delimiter."""
    lines = [ln for ln in text[:SNIFF_CHARS].splitlines() if ln.strip()][:30]
    if len(lines) < 2:
        return False
    for delimiter in DELIMITERS:
        counts = [ln.count(delimiter) for ln in lines]
        common = max(set(counts), key=counts.count)
        if common >= 1 and counts.count(common) >= max(2, len(lines) * 2 // 3):
            return True
    return False


class _big_fields:  # noqa: N801 - used as a context manager like a function
    """Raise the csv module's per-field limit for one parse (it is process-wide state)."""

    def __enter__(self) -> None:
        self._old = csv.field_size_limit(MAX_FIELD)

    def __exit__(self, *exc: object) -> None:
        csv.field_size_limit(self._old)


# --- cell readers -----------------------------------------------------------------------------


def _to_float(token: str, decimal_comma: bool) -> float:
    t = token.replace("'", "").replace("\u2019", "")  # Swiss thousands separator
    if decimal_comma:
        if "," in t and "." in t:
            t = t.replace(".", "").replace(",", ".")
        elif t.count(",") == 1:
            t = t.replace(",", ".")
        elif t.count(".") > 1 and re.fullmatch(r"[-+]?\d{1,3}(?:\.\d{3})+", t):
            t = t.replace(".", "")
    else:
        if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[eE][-+]?\d+)?", t):
            t = t.replace(",", "")
        elif t.count(",") == 1 and "." not in t:
            t = t.replace(",", ".")  # "5,2" cannot be a thousands separator
    try:
        return float(t)
    except ValueError:
        raise RowError(f"{token!r} is not a number") from None


def _flag(text: str) -> str | None:
    raw = text.strip().lower()
    return _FLAGS.get(raw) or _FLAGS.get(_norm(text))


def _attached_ok(rest: str) -> bool:
    """Text glued to a number ("5.2H", "12%", "5mg/dL") that still leaves the number meaningful."""
    first = rest.split()[0]
    core = first.strip("()[]")
    if core in ("+", "++", "+++", "-"):
        return False  # "2+" is a semi-quantitative grade, not 2 with a high flag
    return _flag(core) is not None or bool(re.match(r"(?:%|[µμ]|[a-zA-Z]+/)", first))


@dataclass
class ParsedValue:
    value: float | None = None
    value_text: str | None = None
    unit: str | None = None
    flag: str | None = None


def parse_value(cell: str, decimal_comma: bool = False) -> ParsedValue:
    """'5.2', '5.2 H', '<5', '1,234.5', '12 %', '4.5 x10^3/uL', 'Negative' -> value, unit, flag.

    A value with a comparator ('<5') has no exact number: it is kept as text so that a chart never
    plots it as 5 and an abnormal check never compares it.
    """
    s = " ".join(cell.split())
    if not s or s.lower() in _NO_RESULT:
        raise RowError("no result value")
    m = _VALUE_RE.match(s)
    if m is None or (m.group(4) and not m.group(3) and not _attached_ok(m.group(4))):
        return ParsedValue(value_text=s)  # "Negative", "1:80", "5-10", "9.1O"...
    comparator, number, _gap, rest = m.groups()
    out = ParsedValue()
    units: list[str] = []
    for token in rest.split():
        core = token.strip("()[]")
        # "H" and "High" are flags; a lone lowercase "l" or "h" is more likely a unit.
        flag = _flag(core)
        if flag is not None and out.flag is None and (not core.islower() or len(core) > 2):
            out.flag = flag
        else:
            units.append(token)
    out.unit = " ".join(units) or None
    if comparator:
        comparator = {"≤": "<=", "≥": ">="}.get(comparator, comparator)
        _to_float(number, decimal_comma)  # still a number, or the row is unreadable
        out.value_text = f"{comparator}{number}"
    else:
        out.value = _to_float(number, decimal_comma)
    return out


@dataclass
class ParsedRange:
    low: float | None = None
    high: float | None = None
    unit: str | None = None


def parse_range(cell: str, decimal_comma: bool = False) -> ParsedRange:
    """'3.5-5.0', '3.5 - 5.0 mmol/L', '<200', '>60', '3,5 bis 5,0'; text ranges give no limits."""
    s = " ".join(cell.replace("\u2013", "-").replace("\u2014", "-").split())
    s = re.sub(r"([<>])\s*or\s*=\s*", r"\1=", s, flags=re.IGNORECASE)  # Quest: "> OR = 50"
    m = _RANGE_RE.match(s)
    if m is not None:
        low, high = _to_float(m.group(1), decimal_comma), _to_float(m.group(2), decimal_comma)
        return ParsedRange(low, high, m.group(3).strip() or None)
    m = _LIMIT_RE.match(s)
    if m is not None:
        bound = _to_float(m.group(2), decimal_comma)
        op = m.group(1).lower()
        if op in (">", ">=", "≥", "over", "above"):
            return ParsedRange(low=bound, unit=m.group(3).strip() or None)
        return ParsedRange(high=bound, unit=m.group(3).strip() or None)
    return ParsedRange()


def _date_order(samples: list[str], decimal_comma: bool) -> str:
    """'MDY' or 'DMY' for slash/dash dates: a first part above 12 means day-first, a second part
    above 12 month-first; with no such date, European-looking files are day-first, others US."""
    for s in samples:
        m = _NUMERIC_RE.match(" ".join(s.split()))
        if m is None or m.group(2) == ".":
            continue
        if int(m.group(1)) > 12:
            return "DMY"
        if int(m.group(3)) > 12:
            return "MDY"
    return "DMY" if decimal_comma else "MDY"


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        # Results are not from the future: '26' is 2026 up to next year, else the previous century.
        y += 2000 if 2000 + y <= Date.today().year + 1 else 1900
    return y


def _compose(y: int, mo: int, d: int, time: tuple[str | None, ...] | None) -> str:
    day = Date(y, mo, d)  # raises ValueError for 2026-02-30
    if not time or time[0] is None:
        return day.isoformat()
    hh, mm, ss, ampm = time
    hour, minute = int(hh or 0), int(mm or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for AM/PM")
        hour = hour % 12 + (12 if pm else 0)
    stamp = datetime(y, mo, d, hour, minute, int(ss or 0))
    return stamp.strftime("%Y-%m-%dT%H:%M:%S" if ss else "%Y-%m-%dT%H:%M")


def _try_date(cell: str, order: str) -> str | None:
    s = " ".join(cell.split())
    if not s:
        return None
    try:
        m = _ISO_RE.match(s)
        if m:
            return _compose(int(m[1]), int(m[2]), int(m[3]), m.groups()[3:7])
        m = _NUMERIC_RE.match(s)
        if m:
            a, sep, b, y = int(m[1]), m[2], int(m[3]), _year(m[4])
            day, month = (a, b) if sep == "." or order == "DMY" else (b, a)
            return _compose(y, month, day, m.groups()[4:8])
        m = _MONTH_FIRST_RE.match(s)
        if m and m[1][:3].lower() in _MONTHS:
            return _compose(int(m[3]), _month(m[1]), int(m[2]), m.groups()[3:7])
        m = _DAY_FIRST_RE.match(s)
        if m and m[2][:3].lower() in _MONTHS:
            return _compose(_year(m[3]), _month(m[2]), int(m[1]), m.groups()[3:7])
    except ValueError:
        return None
    return None


def _month(name: str) -> int:
    key = name.lower()
    return _MONTHS.get(key[:4], 0) or _MONTHS[key[:3]]


def parse_date(cell: str, order: str = "MDY") -> str:
    """A date or date-time as ``YYYY-MM-DD[THH:MM[:SS]]`` (wall clock; a zone is dropped)."""
    out = _try_date(cell, order)
    if out is None:
        raise RowError(f"date {cell.strip()!r} not understood")
    return out


def _loinc_ok(code: str) -> bool:
    """LOINC's mod-10 check digit: catches local codes that merely look like LOINC."""
    if not _LOINC_RE.match(code):
        return False
    body, check = code.split("-")
    total = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return (10 - total % 10) % 10 == int(check)


# --- the parser -------------------------------------------------------------------------------


@dataclass
class _Context:
    source_name: str
    layout: Layout
    decimal_comma: bool
    order: str
    warnings: list[str] = field(default_factory=list)
    dropped_warnings: int = 0
    carried: list[int] = field(default_factory=list)
    patients: dict[str, PatientInfo] = field(default_factory=dict)
    header_key: str = ""

    def warn(self, line: int, why: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(f"{self.source_name} line {line}: {why}")
        else:
            self.dropped_warnings += 1


def _cell(cells: list[str], columns: dict[str, int], role: str) -> str:
    col = columns.get(role)
    if col is None or col >= len(cells):
        return ""
    return " ".join(cells[col].split())


def _decimal_comma(rows: list[tuple[int, list[str]]], layout: Layout) -> bool:
    """The file's decimal mark, from unambiguous numbers ('5,2' vs '5.25'; '1,234' proves nothing)."""
    cols = [layout.columns[r] for r in ("value", "range", "ref_low", "ref_high") if r in layout.columns]
    cols += [c for c, _ in layout.date_columns]
    comma = point = 0
    for _line, cells in rows:
        for c in cols:
            if c < len(cells):
                comma += len(re.findall(r"\d,(?:\d{1,2}|\d{4,})(?!\d)", cells[c]))
                point += len(re.findall(r"\d\.(?:\d{1,2}|\d{4,})(?![\d.])", cells[c]))
    if comma != point:
        return comma > point
    return layout.delimiter == ";"


def parse_lab_csv(data: bytes, source_name: str) -> ParsedFile:
    """Observations from a lab results table; unreadable rows are reported with their line."""
    if not data.strip():
        raise reject(source_name, None, "the file is empty")
    text = decode_text(data, source_name)
    layout = find_layout(text)
    if layout is None:
        raise reject(
            source_name,
            None,
            f"no header row with a test name and a result column in the first {HEADER_SEARCH_ROWS} lines "
            "(expected headers such as Test, Result, Units, Reference Range, Date)",
        )
    with _big_fields():
        try:
            rows = list(_read_rows(text, layout.delimiter))
        except csv.Error as exc:
            raise reject(source_name, None, f"unreadable CSV ({exc})") from None
    header_line = rows[layout.header_row][0]
    body = rows[layout.header_row + 1 :]
    decimal_comma = _decimal_comma(body, layout)
    date_cells = [_cell(cells, layout.columns, "date") for _, cells in body]
    order = _date_order(date_cells + [h for _, h in layout.date_columns], decimal_comma)
    if layout.date_columns:
        layout.date_columns = [(c, parse_date(h, order)) for c, h in layout.date_columns]
    ctx = _Context(source_name, layout, decimal_comma, order)
    ctx.header_key = "\x1f".join(_norm(h) for h in layout.header)
    parsed = ParsedFile(source_name=source_name, format="csv")
    if not layout.wide and "date" not in layout.columns:
        parsed.warnings.append(f"{source_name}: no date column; results are imported without a date")
    header_norm = [_norm(h) for h in layout.header]
    panel = ""
    last_date: str | None = None
    for line, cells in body:
        stripped = [c.strip() for c in cells]
        if not any(stripped):
            continue
        if len(cells) == len(header_norm) and [_norm(c) for c in cells] == header_norm:
            continue  # the header repeated on each printed page
        if len(cells) == 1 or (len([c for c in stripped if c]) == 1 and len(cells) < len(layout.header)):
            panel = next(c for c in stripped if c)  # a section title such as "CHEMISTRY"
            continue
        try:
            if layout.wide:
                parsed.items.extend(_wide_row(ctx, line, cells, panel))
            else:
                obs, last_date = _long_row(ctx, line, cells, panel, last_date)
                parsed.items.append(obs)
        except RowError as exc:
            ctx.warn(line, str(exc))
    parsed.warnings.extend(ctx.warnings)
    if ctx.dropped_warnings:
        parsed.warnings.append(f"{source_name}: {ctx.dropped_warnings} more unreadable rows not listed")
    if ctx.carried:
        shown = ", ".join(str(n) for n in ctx.carried[:20]) + (" ..." if len(ctx.carried) > 20 else "")
        n_rows = "1 row" if len(ctx.carried) == 1 else f"{len(ctx.carried)} rows"
        parsed.warnings.append(f"{source_name}: {n_rows} without a date took the date of the row above (lines {shown})")
    parsed.patients = list(ctx.patients.values())
    if not parsed.items:
        first = f": {ctx.warnings[0]}" if ctx.warnings else ""
        raise reject(source_name, f"line {header_line}", f"header found but no readable result rows{first}")
    return parsed


def _common(ctx: _Context, line: int, cells: list[str], panel: str) -> dict[str, object]:
    """Fields shared by every result of a row: name, codes, unit, range, notes, patient."""
    cols = ctx.layout.columns
    name = _cell(cells, cols, "name")
    if not name:
        raise RowError("no test name")
    out: dict[str, object] = {"title": name, "category": "laboratory"}
    loinc = _cell(cells, cols, "loinc")
    code = loinc or _cell(cells, cols, "code")
    if code:
        out["code"] = code
        out["display"] = name
        if loinc or _loinc_ok(code):
            out["code_system"] = LOINC
    out["unit"] = _cell(cells, cols, "unit") or None
    ref_text = _cell(cells, cols, "range")
    low, high = _cell(cells, cols, "ref_low"), _cell(cells, cols, "ref_high")
    if ref_text:
        rng = parse_range(ref_text, ctx.decimal_comma)
        out.update(ref_text=ref_text, ref_low=rng.low, ref_high=rng.high)
        if out["unit"] is None and rng.unit:
            out["unit"] = rng.unit
    if low or high:
        out["ref_low"] = _to_float(low, ctx.decimal_comma) if low else None
        out["ref_high"] = _to_float(high, ctx.decimal_comma) if high else None
        if not ref_text:
            out["ref_text"] = f"{low}-{high}" if low and high else (f">={low}" if low else f"<={high}")
    notes = []
    panel_name = _cell(cells, cols, "panel") or panel
    if panel_name and panel_name != name:
        notes.append(f"Panel: {panel_name}")
    if specimen := _cell(cells, cols, "specimen"):
        notes.append(f"Specimen: {specimen}")
    if comment := _cell(cells, cols, "comment"):
        notes.append(comment)
    if status := _cell(cells, cols, "status"):
        out["status"] = status.lower()
    out["performer"] = _cell(cells, cols, "performer") or None
    patient = _cell(cells, cols, "patient")
    if patient:
        ref = f"csv-patient:{patient}"
        if ref not in ctx.patients:
            birth = _cell(cells, cols, "birth_date")
            ctx.patients[ref] = PatientInfo(
                ref=ref, name=patient, birth_date=(_try_date(birth, ctx.order) or "")[:10] or None
            )
        out["patient_ref"] = ref
    out["_notes"] = notes
    return out


def _observation(
    ctx: _Context,
    line: int,
    cells: list[str],
    common: dict[str, object],
    value_cell: str,
    flag_cell: str,
    date: str | None,
    key: str,
) -> Observation:
    val = parse_value(value_cell, ctx.decimal_comma)
    notes: list[str] = list(common.pop("_notes"))  # type: ignore[call-overload]
    interpretation = val.flag
    if flag_cell:
        interpretation = _flag(flag_cell)
        if interpretation is None:
            notes.append(f"Flag: {flag_cell}")
    obs = Observation(**common)  # type: ignore[arg-type]
    obs.value, obs.value_text = val.value, val.value_text
    if obs.unit is None:
        obs.unit = val.unit
    obs.interpretation = interpretation
    obs.date = date
    obs.date_estimated = date is None
    obs.note = "; ".join(notes) or None
    obs.provenance = _provenance(ctx, cells, key)
    return obs


def _provenance(ctx: _Context, cells: list[str], key: str) -> Provenance:
    # Identified by content, not by line number or file name: the same row in a renamed or
    # re-ordered export is the same result.
    canonical = ctx.header_key + "\x1e" + "\x1f".join(" ".join(c.split()) for c in cells) + "\x1e" + key
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=ctx.layout.delimiter, lineterminator="\n")
    writer.writerow(ctx.layout.header)
    writer.writerow(cells)
    return Provenance(
        source_kind="file",
        source_name=ctx.source_name,
        source_id=f"csv:{digest}",
        raw=buf.getvalue(),
        raw_format="csv",
    )


def _long_row(
    ctx: _Context, line: int, cells: list[str], panel: str, last_date: str | None
) -> tuple[Observation, str | None]:
    cols = ctx.layout.columns
    common = _common(ctx, line, cells, panel)
    date: str | None = None
    if "date" in cols:
        date_cell = _cell(cells, cols, "date")
        time_cell = _cell(cells, cols, "time")
        if date_cell:
            date = parse_date(f"{date_cell} {time_cell}".strip(), ctx.order)
        elif last_date is not None:
            date = last_date
            ctx.carried.append(line)
        else:
            raise RowError("no date")
    value_cell = _cell(cells, cols, "value")
    obs = _observation(ctx, line, cells, common, value_cell, _cell(cells, cols, "flag"), date, "")
    return obs, date if "date" in cols else last_date


def _wide_row(ctx: _Context, line: int, cells: list[str], panel: str) -> list[Observation]:
    common = _common(ctx, line, cells, panel)
    out = []
    for col, when in ctx.layout.date_columns:
        cell = " ".join(cells[col].split()) if col < len(cells) else ""
        if not cell or cell.lower() in _NO_RESULT:
            continue
        try:
            out.append(_observation(ctx, line, cells, dict(common), cell, "", when, when))
        except RowError as exc:
            ctx.warn(line, f"column {ctx.layout.header[col].strip()!r}: {exc}")
    if not out:
        raise RowError("no readable result in any date column")
    return out
