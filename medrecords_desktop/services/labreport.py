"""Reading a lab report (a scan's recognised text or a PDF's text layer) into proposed lab results.

Nothing here is saved on its own: :func:`propose_results` returns rows for a person to review (the GUI's
review table, or ``medrecords results-from``), and :func:`confirm_results` writes the rows the person
kept as laboratory Observations linked back to the document.

A result line is read as: test name, value (a number, maybe with a comparator, or a word such as
"Negative"), then in any order a unit, a reference range and a flag.  The test name is matched against
the shipped catalogue (``data/lab_tests.json``) by exact name or abbreviation first, then by fuzzy
matching that tolerates the usual recognition slips (O/0, l/1/I, S/5).  Recognised pages come with
boxes: boxes are grouped into visual rows first, so a table's cells read as one line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, NotFound
from ..model.units import code_for_unit

if TYPE_CHECKING:
    from ..ocr.engine import CancelToken, OcrPage
    from ..vault.vault import Vault

LOINC = "http://loinc.org"
NAME_THRESHOLD = 0.82  # fuzzy name score below which a line is not taken as that test
PREFIX_SCORE = 0.81  # a name that is only the start of a test's name
UNIT_DECIDES = 0.78  # a weaker name match that its unit singles out is still taken


# --------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class LabTest:
    name: str
    loinc: str
    synonyms: tuple[str, ...]
    units: tuple[str, ...]
    low: float | None
    high: float | None
    decimals: int
    specimen: str
    panel: str
    kind: str  # quantity | text
    normal: str | None = None


@cache
def catalogue() -> tuple[LabTest, ...]:
    """The shipped list of common lab tests."""
    text = resources.files("medrecords_desktop.data").joinpath("lab_tests.json").read_text("utf-8")
    out = []
    for t in json.loads(text)["tests"]:
        out.append(LabTest(
            name=t["name"], loinc=t["loinc"], synonyms=tuple(t.get("synonyms", ())),
            units=tuple(t.get("units", ())), low=t.get("low"), high=t.get("high"),
            decimals=int(t.get("decimals", 1)), specimen=t.get("specimen", ""), panel=t.get("panel", ""),
            kind=t.get("kind", "quantity"), normal=t.get("normal"),
        ))
    return tuple(out)


def _key(s: str) -> str:
    """Names compared case-blind, punctuation as spaces ("Glucose, fasting" == "glucose fasting")."""
    s = s.casefold().replace("µ", "u").replace("μ", "u")
    return " ".join(re.sub(r"[^0-9a-z%#]+", " ", s).split())


_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "8": "b"})


def _fold(key: str) -> str:
    """Characters recognition confuses, made equal (for comparing names only, never values)."""
    return key.translate(_FOLD).replace(" ", "")


def _bare(s: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", s)


@cache
def _aliases() -> tuple[dict[str, list[LabTest]], dict[str, list[LabTest]], list[tuple[str, LabTest]],
                        dict[str, list[LabTest]]]:
    exact: dict[str, list[LabTest]] = {}
    folded: dict[str, list[LabTest]] = {}
    fuzzy: list[tuple[str, LabTest]] = []
    short: dict[str, list[LabTest]] = {}  # "Mg", "K", "pH": matched with their case ("mg" is a unit)
    for t in catalogue():
        for alias in (t.name, *t.synonyms):
            k = _key(alias)
            if not k:
                continue
            if len(k) <= 2:
                short.setdefault(_bare(alias), []).append(t)
                continue
            exact.setdefault(k, []).append(t)
            folded.setdefault(_fold(k), []).append(t)
            if len(k) >= 4:
                fuzzy.append((k, t))
    return exact, folded, fuzzy, short


MAX_NAME_WORDS = 7  # the longest printed names ("Mean corpuscular hemoglobin concentration, blood")


@cache
def match_test(name: str) -> list[tuple[LabTest, float]]:
    """Candidate tests for a printed name, best first, each with a score in 0..1."""
    k = _key(name)
    if not k or not re.search(r"[a-z]", k) or len(k.split()) > MAX_NAME_WORDS:
        return []
    exact, folded, fuzzy, short = _aliases()
    if len(k) <= 2:
        return [(t, 1.0) for t in short.get(_bare(name), ())]
    found: dict[str, tuple[LabTest, float]] = {}

    def add(t: LabTest, score: float) -> None:
        if t.loinc not in found or found[t.loinc][1] < score:
            found[t.loinc] = (t, score)

    for t in exact.get(k, ()):
        add(t, 1.0)
    for t in folded.get(_fold(k), ()):
        add(t, 0.98)
    words = set(k.split())
    for alias, t in fuzzy:
        if len(alias) <= len(k) and set(alias.split()) <= words:
            # "Glucose, serum, fasting" holds "glucose": a match that weakens as the extra words grow.
            add(t, 0.80 + 0.18 * len(alias) / len(k))
            continue
        if len(k) >= 10 and alias.startswith(k) and alias[len(k)] != " " and len(alias) > len(k):
            # Cut off by a narrow column inside a word ("Mean cell hemoglobin c"): the longer name.
            add(t, 0.97)
            continue
        if len(k) >= 4 and alias.startswith(k + " "):
            # A shortened name ("Neutrophils" for "Neutrophils, absolute", "Protein"): too vague alone,
            # just under the threshold; the unit printed beside it decides (see _pick).
            add(t, PREFIX_SCORE)
            continue
        if len(k) < 4:
            continue
        sm = difflib.SequenceMatcher(None, k, alias, autojunk=False)
        if sm.real_quick_ratio() < NAME_THRESHOLD or sm.quick_ratio() < NAME_THRESHOLD:
            continue
        ratio = sm.ratio()
        if ratio >= NAME_THRESHOLD:
            add(t, ratio * 0.97)
    return sorted(found.values(), key=lambda p: -p[1])


# --------------------------------------------------------------------------- units, ranges, flags
_U = r"(?:u|µ|μ|mc)"  # micro, as printed or as recognised
_L = r"[lLI1]"  # litre, often recognised as I or 1
_UNIT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"[x×*]?\s?10\s?(?:\^|\*|e|E)?\s?(?:3|³)\s?/\s?" + _U + _L, "x10^3/uL"),
    (r"[x×*]?\s?10\s?(?:\^|\*|e|E)?\s?(?:3|³)\s?/\s?mm3", "x10^3/uL"),
    (r"(?:K|thou|THOU)\s?/\s?(?:" + _U + _L + r"|mm3)", "x10^3/uL"),
    (r"[x×*]?\s?10\s?(?:\^|\*|e|E)?\s?(?:6|⁶)\s?/\s?" + _U + _L, "x10^6/uL"),
    (r"(?:M|mil|MIL)\s?/\s?(?:" + _U + _L + r"|mm3)", "x10^6/uL"),
    (r"[x×*]?\s?10\s?(?:\^|\*|e|E)?\s?(?:9|⁹)\s?/\s?" + _L, "x10^9/L"),
    (r"[x×*]?\s?10\s?(?:\^|\*|e|E)?\s?(?:12|¹²)\s?/\s?" + _L, "x10^12/L"),
    (r"m" + _L + r"\s?/\s?min\s?/\s?1[.,]73\s?m(?:2|²|\^2)?", "mL/min/1.73m2"),
    (r"m" + _L + r"\s?/\s?min", "mL/min/1.73m2"),
    (r"mg\s?/\s?d" + _L, "mg/dL"),
    (r"g\s?/\s?d" + _L, "g/dL"),
    (r"ng\s?/\s?d" + _L, "ng/dL"),
    (_U + r"g\s?/\s?d" + _L, "ug/dL"),
    (r"mmol\s?/\s?mol", "mmol/mol"),
    (r"mmol\s?/\s?" + _L, "mmol/L"),
    (_U + r"mol\s?/\s?" + _L, "umol/L"),
    (r"nmol\s?/\s?" + _L, "nmol/L"),
    (r"pmol\s?/\s?" + _L, "pmol/L"),
    (r"mEq\s?/\s?" + _L, "mEq/L"),
    (r"m[I1l]U\s?/\s?m" + _L, "mIU/mL"),
    (r"m[I1l]U\s?/\s?" + _L, "mIU/L"),
    (_U + r"[I1l]U\s?/\s?m" + _L, "uIU/mL"),
    (r"[I1l]U\s?/\s?" + _L, "IU/L"),
    (r"U\s?/\s?" + _L, "U/L"),
    (r"ng\s?/\s?m" + _L, "ng/mL"),
    (r"pg\s?/\s?m" + _L, "pg/mL"),
    (_U + r"g\s?/\s?m" + _L + r"(?:\s?FEU)?", "ug/mL FEU"),
    (r"mg\s?/\s?" + _L + r"\s?FEU", "mg/L FEU"),
    (r"mg\s?/\s?" + _L, "mg/L"),
    (_U + r"g\s?/\s?" + _L, "ug/L"),
    (r"g\s?/\s?" + _L, "g/L"),
    (r"mg\s?/\s?g", "mg/g"),
    (r"mg\s?/\s?mmol", "mg/mmol"),
    (r"mm\s?/\s?h(?:r|our)?", "mm/h"),
    (r"L\s?/\s?L", "L/L"),
    (r"f" + _L, "fL"),
    (r"pg", "pg"),
    (r"sec(?:onds?|s)?|s", "s"),
    (r"%", "%"),
)
# "s" (seconds) only in lower case: a capital S next to a number is more often a misread 5.
_UNIT_RE = [
    (re.compile(r"(?<![\w/])(?:" + p + r")(?![\w/])", 0 if norm == "s" else re.IGNORECASE), norm)
    for p, norm in _UNIT_PATTERNS
]
# A value with its unit glued on ("33mg/dL", "23.5.s"), split only where a known unit follows.
_GLUED_UNIT = re.compile(
    r"(?<![\w./^])(\d+(?:[.,]\d+)?)\.?(?=(?:" + "|".join(p for p, _ in _UNIT_PATTERNS) + r")(?![\w]))",
    re.IGNORECASE,
)
_GLUED_FLAG = re.compile(
    r"(?<=\d\s)(H|L|HH|LL)(?=(?:" + "|".join(p for p, _ in _UNIT_PATTERNS) + r")(?![\w]))"
)
_GLUED_VALUE_FLAG = re.compile(  # "10.7Ls": value, flag and unit in one word
    r"(?<![\w./^])(\d+(?:[.,]\d+)?)(H|L|HH|LL)(?=(?:" + "|".join(p for p, _ in _UNIT_PATTERNS) + r")(?![\w]))"
)
_NUM = r"\d+(?:[.,]\d+)?"
_RANGE_RES = (
    (re.compile(rf"(?<![\w.])({_NUM})\s*(?:-|–|—|to)\s*({_NUM})(?![\w.])"), "both"),
    (re.compile(rf"(?:<=|≤|<|less than|up to|below)\s*({_NUM})"), "high"),
    (re.compile(rf"(?:>=|≥|>|greater than|above)\s*({_NUM})"), "low"),
    (re.compile(rf"(?<![\w.])({_NUM})\s*-(?=\s*(?:\)|$))"), "low"),  # "(40-)": 40 and over
    (re.compile(rf"(?<![\w.\d])-\s*({_NUM})(?=\s*(?:\)|$))"), "high"),  # "(-200)": up to 200
)
_FLAGS = {
    "H": "H", "HI": "H", "HIGH": "H", "L": "L", "LO": "L", "LOW": "L", "HH": "HH", "LL": "LL",
    "A": "A", "ABN": "A", "ABNORMAL": "A", "*": "A", "!": "A", "C": "AA", "CRIT": "AA", "CRITICAL": "AA",
    "H*": "HH", "L*": "LL", "N": "N", "NORMAL": "N",
}
_TEXT_VALUES = (
    "negative", "positive", "trace", "normal", "not detected", "detected", "non-reactive", "nonreactive",
    "reactive", "clear", "cloudy", "hazy", "yellow", "straw", "amber", "none seen", "few", "moderate",
    "large", "small", "absent", "present", "neg", "pos",
)
_TEXT_VALUE_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(v) for v in sorted(_TEXT_VALUES, key=len, reverse=True))
    + r"|[1-4]\s?\+)(?![\w-])", re.IGNORECASE,
)
# A number as recognised: digits with the letters OCR mistakes for digits inside (1O4, l.2, 5S).
_VALUE_TOKEN = re.compile(
    r"^(<=|>=|<|>|≤|≥)?([0-9OoIlS]*[0-9][0-9OoIlS]*(?:[.,][0-9OoIlS]+)*)(\*|H|L|HH|LL)?$"
)
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "S": "5"})
_LETTER_FIX = str.maketrans({"0": "o", "1": "l", "5": "s"})
_NOT_A_NAME = {"test", "tests", "result", "results", "units", "unit", "flag", "reference", "range", "ref"}


def normalise_unit(text: str) -> str | None:
    for rx, norm in _UNIT_RE:
        if rx.fullmatch(text.strip()):
            return norm
    return None


def _to_float(s: str) -> float | None:
    s = s.translate(_DIGIT_FIX)
    if "," in s and "." not in s:
        head, _, tail = s.partition(",")
        s = head + tail if len(tail) == 3 and len(head) <= 3 else head + "." + tail  # 1,200 vs 5,4
    try:
        return float(s)
    except ValueError:
        return None


# --------------------------------------------------------------------------- dates
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_TIME = r"(?:[ T,]*(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?)?"  # recognition may drop the space
_DATE_RES = (
    re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})" + _TIME),  # ISO
    re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2}(?!\d))" + _TIME),  # 03/14/2026, 14.03.2026
    re.compile(r"\b([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME),  # Mar 14, 2026
    re.compile(r"(?<!\d)(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})" + _TIME),  # 14-Mar-2026, 14 March 2026
)
_DATE_KIND = (
    (re.compile(r"collect|drawn|specimen|sampl|obtained", re.I), 1),
    (re.compile(r"report|result|final|verif|received|resulted|released", re.I), 2),
    (re.compile(r"\bdate\b|\bservice\b|\bvisit\b", re.I), 3),
)
_NOT_REPORT_DATE = re.compile(r"birth|\bdob\b|\bborn\b|d\.o\.b|printed|\bage\b", re.I)


def _mk_date(y: int, mo: int, d: int, hh: str | None, mi: str | None, ampm: str | None) -> str | None:
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        day = datetime(y, mo, d)
    except ValueError:
        return None
    if not 1950 <= y <= 2100:
        return None
    if hh is None or mi is None:
        return day.strftime("%Y-%m-%d")
    h = int(hh)
    if ampm:
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    if h > 23 or int(mi) > 59:
        return day.strftime("%Y-%m-%d")
    return f"{day:%Y-%m-%d}T{h:02d}:{int(mi):02d}"


def find_date(text: str) -> str | None:
    """The first date in ``text`` as YYYY-MM-DD[THH:MM], or None."""
    best: tuple[int, str] | None = None
    for n, rx in enumerate(_DATE_RES):
        for m in rx.finditer(text):
            g = m.groups()
            if n == 0:
                got = _mk_date(int(g[0]), int(g[1]), int(g[2]), g[3], g[4], g[5])
            elif n == 1:
                a, b = int(g[0]), int(g[1])
                if "." in m.group(0)[:6] or a > 12:  # 14.03.2026 and 14/03/2026 are day first
                    a, b = b, a
                got = _mk_date(int(g[2]), a, b, g[3], g[4], g[5])
            elif n == 2:
                mo = _MONTHS.get(g[0][:3].casefold())
                got = _mk_date(int(g[2]), mo, int(g[1]), g[3], g[4], g[5]) if mo else None
            else:
                mo = _MONTHS.get(g[1][:3].casefold())
                got = _mk_date(int(g[2]), mo, int(g[0]), g[3], g[4], g[5]) if mo else None
            if got and (best is None or m.start() < best[0]):
                best = (m.start(), got)
    return best[1] if best else None


def report_date(lines: Iterable[str]) -> str | None:
    """The specimen's collection date if printed, else the report date, else the first other date."""
    found: list[tuple[int, int, str]] = []
    for n, line in enumerate(lines):
        if _NOT_REPORT_DATE.search(line):
            continue
        got = find_date(line)
        if not got:
            continue
        rank = next((r for rx, r in _DATE_KIND if rx.search(line)), 4)
        found.append((rank, n, got))
    return min(found)[2] if found else None


# --------------------------------------------------------------------------- rows
@dataclass
class ProposedRow:
    name: str  # the catalogue's name when the test is known, else the name as printed
    loinc: str | None
    value: float | None
    value_text: str | None  # a word result ("Negative") or a result with a comparator ("<0.01")
    unit: str | None
    low: float | None
    high: float | None
    flag: str | None  # H, L, HH, LL, A, AA (critical), N, as printed
    date: str | None
    line: str  # the line as read, for the review table
    confidence: float  # 0..1: name match x recognition confidence x unit fit
    printed_name: str = ""
    page: int | None = None  # index of the recognised page, for the review table's picture
    ref_text: str | None = None
    box: tuple[float, float, float, float] | None = None  # the row on that page (x0, y0, x1, y1)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ProposedRow:
        names = set(cls.__dataclass_fields__)
        missing = {"name"} - set(d)
        if missing:
            raise InvalidInput(f"A row is missing {', '.join(sorted(missing))}.")
        kw = {k: v for k, v in d.items() if k in names}
        kw.setdefault("loinc", None)
        for k in ("value", "value_text", "unit", "low", "high", "flag", "date"):
            kw.setdefault(k, None)
        kw.setdefault("line", "")
        kw.setdefault("confidence", 1.0)
        if kw.get("box") is not None:
            kw["box"] = tuple(kw["box"])
        return cls(**kw)


@dataclass
class _Line:
    text: str
    confidence: float = 1.0
    page: int | None = None
    box: tuple[float, float, float, float] | None = None


def _clean(line: str) -> str:
    s = line.replace("–", "-").replace("—", "-").replace("≤", "<=").replace("≥", ">=").replace("×", "x")
    s = re.sub(r"(?<=\d)\.{2,}(?=\d)", ".", s)  # "37..4": a decimal point read twice
    s = re.sub(r"(?:\s?[.·•_]){2,}", " ", s)  # leader dots: "Glucose ........ 104"
    s = s.replace("|", " ").replace("\t", " ")
    # What is left of leaders glued to the value (".3.9.", ".(9-48)"): labs print 0.5, never .5.
    s = re.sub(r"(?:(?<=\s)|^)[.·•]+(?=\S)", "", s)
    s = re.sub(r"(?<=[\w)%])\.(?=\s|$|\()", "", s)
    # A unit or a range glued to the value ("33mg/dL(<100)"): cut them apart.
    s = _GLUED_VALUE_FLAG.sub(r"\1 \2 ", s)
    s = _GLUED_UNIT.sub(r"\1 ", s)
    # A flag run into its neighbour by recognition: "9.2 Ls" (flag L, unit s), "6.3 %HIGH".
    s = _GLUED_FLAG.sub(r"\1 ", s)
    s = re.sub(r"(?<=\d\s%)(?=(?:H|L|HIGH|LOW|A|ABN|ABNORMAL|High|Low|Abnormal)\b)", " ", s)
    s = re.sub(r"(?<=[^\s(])\((?=[<>\d])", " (", s)
    s = re.sub(r"(?<=\w):(?=\s)", " ", s)  # "Glucose: 104"
    # A range's closing bracket run into the next result's name by recognition ("(80-200)Eos %").
    s = re.sub(r"(?<=\d\))(?=[A-Za-z])", " ", s)
    return " ".join(s.split())


_Value = tuple[float | None, str | None, str | None, int]  # number, text, attached flag, tokens used
_MULTI_DOT = float("nan")  # marks a value whose decimal point is in doubt ("2.8.1")


def _resolve_dots(raw: str, test: LabTest | None) -> float | None:
    digits = raw.replace(".", "").translate(_DIGIT_FIX)
    if not digits.isdigit() or test is None:
        return None
    places = test.decimals
    if places <= 0:
        return float(digits)
    if len(digits) <= places:
        return None
    return float(digits[:-places] + "." + digits[-places:])


def _value_at(tokens: list[str], k: int) -> _Value | None:
    """A value starting at token k: (number, text, attached flag, tokens used), or None."""
    tok = tokens[k]
    comp = ""
    used = 1
    if tok in ("<", ">", "<=", ">=") and k + 1 < len(tokens):
        comp, tok, used = tok, tokens[k + 1], 2
    m = _VALUE_TOKEN.match(tok)
    if m:
        if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", tok):
            return None
        raw = m.group(2)
        if raw.count(".") > 1:
            # "2.8.1": next to leader dots the recogniser sees a dot between every digit; which one is
            # the decimal point is decided with the test's usual precision (see _read_line).
            return _MULTI_DOT, raw, None, used
        number = _to_float(raw)
        if number is None:
            return None
        comp = m.group(1) or comp
        flag = {"*": "A"}.get(m.group(3) or "", m.group(3))
        return number, (f"{comp}{m.group(2).translate(_DIGIT_FIX)}" if comp else None), flag, used
    if used == 1:
        rest = " ".join(tokens[k:k + 2])
        tm = _TEXT_VALUE_RE.match(rest)
        if tm:
            word = tm.group(1)
            shown = word.replace(" ", "") if word[0].isdigit() else word[0].upper() + word[1:].lower()
            used = len(word.split())
            glued = tokens[k + used - 1][len(word.split()[-1]):] if k + used - 1 < len(tokens) else ""
            return None, shown, "A" if glued == "*" else None, used
    return None


def _parse_rest(rest: str) -> tuple[str | None, float | None, float | None, str | None, str | None, str]:
    """Unit, low, high, flag and range text from what follows the value, and what is left over."""
    unit = low = high = flag = ref_text = None
    best: tuple[int, int, int, str] | None = None
    for rx, norm in _UNIT_RE:
        m = rx.search(rest)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1])):
            best = (m.start(), m.end(), 0, norm)
    if best is not None:
        unit = best[3]
        rest = rest[: best[0]] + " " + rest[best[1]:]
    for rx, which in _RANGE_RES:
        m = rx.search(rest)
        if not m:
            continue
        ref_text = m.group(0).strip()
        if which == "both":
            low, high = _to_float(m.group(1)), _to_float(m.group(2))
        elif which == "high":
            high = _to_float(m.group(1))
        else:
            low = _to_float(m.group(1))
        rest = rest[: m.start()] + " " + rest[m.end():]
        break
    left: list[str] = []
    for tok in rest.replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ").split():
        f = _FLAGS.get(tok.upper())
        if f and flag is None:
            flag = f
        elif not f:
            left.append(tok)
    return unit, low, high, flag, ref_text, " ".join(left)


# Words that may follow a result on its line; more than two others make it a sentence, not a result.
_RESULT_WORDS = {"reference", "ref", "range", "normal", "units", "flag", "fasting", "feu", "final", "result",
                 "abnormal", "high", "low", "critical", "corrected", "see", "note", "interval", "adult"}


def _looks_like_prose(left: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]{2,}", left) if w.casefold() not in _RESULT_WORDS
             and not _TEXT_VALUE_RE.fullmatch(w)]
    return len(words) > 2


def _fuzzy_unit(rest: str, units: Sequence[str]) -> tuple[str | None, float]:
    """A unit mangled by recognition ("7m/dl", "S" for s), judged against the units the test uses:
    (unit, confidence factor).  An unreadable unit-like token ("7p/6") gets the test's usual unit,
    marked by a low factor so that the review table asks the person to look."""
    best: tuple[float, str | None] = (0.0, None)
    garbled = False
    for tok in rest.split():
        if any(tok.casefold() == u.casefold() for u in units):
            return next(u for u in units if tok.casefold() == u.casefold()), 1.0
        misread = tok.translate(_LETTER_FIX).casefold()  # "5" for s, "0" for o in a unit cell
        if misread != tok.casefold() and any(misread == u.casefold() for u in units):
            return next(u for u in units if misread == u.casefold()), 0.85
        if not re.search(r"[/%]", tok) or re.fullmatch(r"[\d.,<>=()\-]+", tok):
            continue
        garbled = True
        for u in units:
            r = difflib.SequenceMatcher(None, tok.casefold(), u.casefold()).ratio()
            if r > best[0]:
                best = (r, u)
    if best[0] >= 0.6:
        return best[1], 0.85
    if garbled:
        return units[0], 0.6
    return None, 1.0


def _strip_name(tokens: list[str]) -> tuple[list[str], str | None]:
    """The name without a flag column printed before the value ("Potassium H 5.6"), and that flag."""
    out = list(tokens)
    flag = None
    while len(out) > 1 and out[-1].upper().strip("()[]") in _FLAGS and len(out[-1].strip("()[]")) <= 2:
        whole = match_test(" ".join(out))
        if whole and whole[0][1] >= 0.97 and (not match_test(" ".join(out[:-1]))
                                             or match_test(" ".join(out[:-1]))[0][1] < whole[0][1]):
            break  # "Urea N", "Mean cell hemoglobin c": the letter is part of the name
        flag = flag or _FLAGS[out.pop().upper().strip("()[]")]
    return out, flag


def _read_line(ln: _Line, section: str, date: str | None) -> ProposedRow | None:
    text = _clean(ln.text)
    tokens = text.split()
    if len(tokens) < 2 or (not re.search(r"\d", text) and not _TEXT_VALUE_RE.search(text)):
        return None
    best: tuple[float, int, LabTest | None, _Value, str] | None = None
    tried = 0
    for k in range(1, min(len(tokens), MAX_NAME_WORDS + 2)):
        val = _value_at(tokens, k)
        if val is None:
            continue
        tried += 1
        if tried > 4:
            break
        name_tokens, pre_flag = _strip_name(tokens[:k])
        if pre_flag and not val[2]:
            val = (val[0], val[1], pre_flag, val[3])
        name = " ".join(name_tokens).strip(" :-,")
        if not re.search(r"[A-Za-z]", name) or _key(name) in _NOT_A_NAME:
            continue
        unit_guess, *_, left_k = _parse_rest(" ".join(tokens[k + val[3]:]))
        if _looks_like_prose(left_k):
            continue  # a sentence with a number in it ("return in 3 months"), not a result
        cands = _candidates(name, section)
        test, score = _pick(cands, unit_guess, val[0] is None)
        if best is None or score > best[0] + 1e-9:
            best = (score, k, test, val, name)
        if score >= 0.999:
            break
    if best is None:
        return None
    score, k, test, (number, vtext, vflag, used), name = best
    doubtful = number is not None and number != number  # NaN: the decimal point is in doubt
    if doubtful:
        number, vtext = _resolve_dots(vtext or "", test), None
        if number is None:
            return None
    rest = " ".join(tokens[k + used:])
    unit, low, high, flag, ref_text, left = _parse_rest(rest)
    if _looks_like_prose(left):
        return None
    flag = vflag or flag
    if test is None or score < NAME_THRESHOLD:
        # Unknown test: only a line that looks like a result (a unit or a range) is proposed.
        if unit is None and ref_text is None:
            return None
        if _key(name) in _NOT_A_NAME or len(re.sub(r"[^A-Za-z]", "", name)) < 3:
            return None
        test, score = None, 0.4
    unit_fit = 1.0
    if unit is None and test is not None and test.units:
        unit, unit_fit = _fuzzy_unit(rest, test.units)
    if test is not None:
        if unit is None and test.units and number is not None:
            unit_fit = 0.85
        elif unit is not None and test.units and unit not in test.units:
            unit_fit = 0.7
    return ProposedRow(
        name=test.name if test else name, loinc=test.loinc if test else None, value=number,
        value_text=vtext, unit=unit, low=low, high=high, flag=flag, date=date, line=ln.text.strip(),
        confidence=round(score * ln.confidence * unit_fit * (0.6 if doubtful else 1.0), 3),
        printed_name=name, page=ln.page, ref_text=ref_text, box=ln.box,
    )


def _candidates(name: str, section: str) -> list[tuple[LabTest, float]]:
    cands = match_test(name)
    if re.search(r"urin|\bUA\b", section, re.I):
        # Under a urinalysis heading "Glucose" and "Protein" mean the urine tests.
        for t, s in match_test(f"{name} urine"):
            if t.specimen == "urine" and s >= 0.95:
                cands = [(t, 1.0), *cands]
                break
    return cands


def _pick(cands: list[tuple[LabTest, float]], unit: str | None, word: bool) -> tuple[LabTest | None, float]:
    """Best candidate; among near-equal names the one whose units (or word/number kind) fit."""
    if not cands:
        return None, 0.0
    top = cands[0][1]
    first = cands[0][0]
    if unit and first.units and unit not in first.units:
        # "Neutrophils 4.1 x10^3/uL" is the absolute count, not the percentage the bare name suggests.
        for t, s in cands[1:]:
            same_word = _key(t.name).split()[0] == _key(first.name).split()[0]
            if unit in t.units and s >= UNIT_DECIDES and same_word:
                return t, max(s, NAME_THRESHOLD)
    if unit and first.units and unit not in first.units and top < 0.95:
        # "MICROALBUMIN/CREATININE 33 mg/g": holds "creatinine", but only the ratio is in mg/g.
        by_unit = [(t, s) for t, s in cands[1:] if s >= UNIT_DECIDES and unit in t.units]
        if by_unit:
            return by_unit[0][0], max(by_unit[0][1], NAME_THRESHOLD)
    if top < NAME_THRESHOLD and unit:
        # "Protein 7.1 g/dL": of the tests whose names start so, only one is measured in g/dL.
        fitting = [t for t, s in cands if s >= UNIT_DECIDES and unit in t.units]
        if len(fitting) == 1:
            return fitting[0], NAME_THRESHOLD
    close = [(t, s) for t, s in cands if s >= top - 0.03]
    if len(close) > 1:
        def fit(t: LabTest) -> int:
            if word:
                return 2 if t.kind == "text" else 0
            return (2 if unit and unit in t.units else 0) + (1 if t.kind == "quantity" else 0)

        close.sort(key=lambda p: (-fit(p[0]), -p[1]))
        return close[0][0], top
    return cands[0]


def _is_heading(text: str) -> bool:
    t = _clean(text)
    if not t or re.search(r"\d", t):
        return False
    letters = re.sub(r"[^A-Za-z]", "", t)
    return len(letters) >= 4 and (t.isupper() or t.endswith(":") or "panel" in t.lower())


# --------------------------------------------------------------------------- the page reader
# A result is found by what its parts are (a test name, a value, a unit, a range, a flag), wherever the
# lab put them: a row is cut into several results when it holds more than one, a row that starts with a
# value takes its name from the line above (blocks, label-value pairs, wrapped names) or from the words
# after the value (values printed before names), and a row that is only a range, a flag or the rest of a
# long name completes the result above it, in the same column.  Labels ("Result:", "Normal range:",
# "Ref:", "Flag:") are read as what they announce and then dropped.
_NAME_LABEL = re.compile(r"(?i)\b(?:test\s*name|test|analyte|component|parameter|investigation)\s*:")
_VALUE_LABEL = re.compile(r"(?i)\b(?:your\s+value|result|value|observed)\s*:")
_RANGE_LABEL = re.compile(
    r"(?i)\b(?:normal\s+range|normal\s+values?|reference\s+(?:interval|range|values?)|ref(?:erence)?\.?\s*"
    r"(?:range|interval)?|standard\s+range|expected(?:\s+(?:range|value))?|bio\.?\s*ref\.?\s*interval)"
    r"(?:\s*:|(?=\s*[<>≤≥(\[\d])|(?=\s*$))"
)
_FLAG_LABEL = re.compile(r"(?i)\b(?:flag|status|interpretation)\s*:")
_UNIT_LABEL = re.compile(r"(?i)\bunits?\s*:")
_MONEY = re.compile(r"[$€£]\s?\d")
_RANGE_WORDS = {"to", "up", "less", "than", "below", "above", "greater", "and", "over", "under"}


@dataclass
class _Tok:
    text: str
    x0: float
    x1: float
    cell: int


@dataclass
class _Row:
    toks: list[_Tok]
    confidence: float
    page: int | None
    box: tuple[float, float, float, float] | None
    raw: str
    labels: set[str]
    height: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.toks)


def _strip_labels(s: str, labels: set[str]) -> str:
    for name, rx in (("name", _NAME_LABEL), ("value", _VALUE_LABEL), ("range", _RANGE_LABEL),
                     ("flag", _FLAG_LABEL), ("unit", _UNIT_LABEL)):
        if rx.search(s):
            labels.add(name)
            s = rx.sub(" ", s)
    return s


def _make_row(cells: Sequence[tuple[str, float, float]], confidence: float, page: int | None,
              box: tuple[float, float, float, float] | None) -> _Row:
    labels: set[str] = set()
    toks: list[_Tok] = []
    for n, (text, x0, x1) in enumerate(cells):
        clean = _clean(_strip_labels(text, labels))
        words = clean.split()
        if not words:
            continue
        total = max(1, len(clean))
        pos = 0
        for w in words:
            at = clean.find(w, pos)
            pos = at + len(w)
            toks.append(_Tok(w, x0 + (x1 - x0) * at / total, x0 + (x1 - x0) * pos / total, n))
    height = (box[3] - box[1]) if box else 0.0
    return _Row(toks, confidence, page, box, "  ".join(c[0] for c in cells), labels, height)


def _text_row(line: str, page: int | None) -> _Row:
    """A line of text: its cells are the runs between wide gaps (recognised rows are stored with two
    spaces between boxes, and print-outs pad their columns)."""
    return _make_row([(c, 0.0, 0.0) for c in re.split(r"\s{2,}|\t", line.strip())], 1.0, page, None)


def _rows_of(source: str | OcrPage | Sequence[OcrPage] | Sequence[str]) -> list[_Row]:
    if isinstance(source, str):
        return [_text_row(s, None) for s in source.splitlines()]
    pages: Sequence[Any] = [source] if hasattr(source, "lines") else source
    out: list[_Row] = []
    for n, page in enumerate(pages):
        if isinstance(page, str):
            out.extend(_text_row(s, n) for s in page.splitlines())
            continue
        for row in page.rows():
            conf = sum(c.confidence for c in row) / len(row)
            box = (min(c.box[0] for c in row), min(c.box[1] for c in row),
                   max(c.box[2] for c in row), max(c.box[3] for c in row))
            heights = sorted(c.box[3] - c.box[1] for c in row)
            r = _make_row([(c.text, c.box[0], c.box[2]) for c in row], conf, n, box)
            r.height = heights[len(heights) // 2]
            out.append(r)
    return out


def _is_value(words: list[str], k: int) -> bool:
    return _value_at(words, k) is not None and not (words[k].upper() in _FLAGS and words[k].isalpha()
                                                   and _TEXT_VALUE_RE.fullmatch(words[k]) is None)


def _value_here(words: list[str], k: int) -> bool:
    """A value at word k, and not a word of a name ("Reactive" in "C REACTIVE PROTEIN 9.2")."""
    if not _is_value(words, k):
        return False
    w = words[k]
    return not (_TEXT_VALUE_RE.fullmatch(w) and _name_start(w, words[k + 1] if k + 1 < len(words) else ""))


def _name_start(w: str, after: str = "") -> bool:
    """A word that can begin a test name (not a unit, flag, range word or word result; a word result
    followed by a word is a name: "C reactive protein")."""
    if not re.search(r"[A-Za-z]", w) or w.casefold() in _RANGE_WORDS or w.startswith(("(", "[", "<", ">")):
        return False
    if normalise_unit(w) is not None:
        return False
    if _TEXT_VALUE_RE.fullmatch(w) and not (re.fullmatch(r"[A-Za-z]{2,}", after)
                                          and normalise_unit(after) is None and not _TEXT_VALUE_RE.fullmatch(after)):
        return False
    return w.upper().strip("()[]") not in _FLAGS


def _in_name(words: list[str], j: int) -> bool:
    """A word that can go on a test name begun before it ("%" in "Eos %", "reactive" in "C reactive")."""
    w = words[j]
    if not re.search(r"[A-Za-z%#]", w) or normalise_unit(w) not in (None, "%"):
        return False
    return not _is_value(words, j) or _name_start(w, words[j + 1] if j + 1 < len(words) else "")


def _known_name(name: str) -> bool:
    got = match_test(name)
    return bool(got) and got[0][1] >= 0.9


def _segments(row: _Row, boxes: bool) -> list[list[_Tok]]:
    """The row cut into results: a cut before a name that follows a finished result and is itself
    followed by a value.  The name must be a known test, or begin a new cell (a box, or text after a
    wide gap)."""
    toks = row.toks
    words = [t.text for t in toks]
    cuts = [0]
    seen_value = False
    i = 0
    while i < len(toks):
        if not seen_value:
            seen_value = i > cuts[-1] and _value_here(words, i)
            i += 1
            continue
        if _name_start(words[i]):
            j = i + 1
            while j < len(toks) and j - i <= MAX_NAME_WORDS and _in_name(words, j):
                j += 1
            if j < len(toks) and j > i and _is_value(words, j):
                new_cell = toks[i].cell != toks[i - 1].cell
                if _known_name(" ".join(words[i:j])) or new_cell:
                    cuts.append(i)
                    seen_value = False
                    i = j
                    continue
        i += 1
    return [toks[a:b] for a, b in zip(cuts, [*cuts[1:], len(toks)], strict=True) if toks[a:b]]


def _seg_line(row: _Row, seg: list[_Tok], text: str | None = None) -> _Line:
    box = row.box
    if box is not None and seg:
        box = (min(t.x0 for t in seg), box[1], max(t.x1 for t in seg), box[3])
    return _Line(text if text is not None else " ".join(t.text for t in seg), row.confidence, row.page, box)


def _value_first(words: list[str]) -> list[str]:
    """"97 H mg/dL Glucose 70-99" read as "Glucose 97 H mg/dL 70-99" (the name after the value).  A
    letter that may be a flag or the start of the name ("4.9 mg/L C reactive protein") is tried both ways."""
    val = _value_at(words, 0)
    if val is None:
        return []
    out = []
    i = val[3]
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        after = words[i + 2] if i + 2 < len(words) else ""
        if _name_start(w, nxt) or (w.upper() in _FLAGS and _name_start(nxt, after)):
            j = i + 1
            while j < len(words) and _in_name(words, j):
                j += 1
            if len(re.findall(r"[A-Za-z]", " ".join(words[i:j]))) >= 2:
                out.append(" ".join([*words[i:j], *words[:i], *words[j:]]))
            if _name_start(w, nxt):
                break
        elif _is_value(words, i) or (re.search(r"\d", w) and normalise_unit(w) is None):
            break
        i += 1
    return out


def _plausible(row: ProposedRow, test: LabTest | None, words: list[str]) -> bool:
    """Not a price, a code or a count in a sentence: a known test read without unit or range must
    carry a value of the size that test has."""
    if any(_MONEY.search(w) for w in words):
        return False
    if test is None or row.value is None or row.unit or row.ref_text:
        return True
    scale = max(abs(x) for x in (test.low, test.high, 1.0) if x is not None)
    return abs(row.value) <= 50 * scale


_UNKNOWN_NAME_WORDS = 4


def _read_seg(text: str, row: _Row, seg: list[_Tok], section: str, date: str | None) -> ProposedRow | None:
    got = _read_line(_seg_line(row, seg, text), section, date)
    if got is None:
        return None
    test = next((t for t in catalogue() if t.loinc == got.loinc), None) if got.loinc else None
    if not _plausible(got, test, text.split()):
        return None
    if got.loinc and len(got.printed_name.split()) > _UNKNOWN_NAME_WORDS and _score(got) < 0.9:
        return None  # "repeat the sodium and potassium tests in 3 months": a sentence naming a test
    if got.loinc is None and (len(got.printed_name.split()) > _UNKNOWN_NAME_WORDS
                              or re.search(r"\w\.\s", got.printed_name) or _MONEY.search(text)):
        return None  # an unknown name is short: a phrase from a sentence is not a test
    return got


def _score(r: ProposedRow | None) -> float:
    if r is None:
        return 0.0
    return (1.0 if r.loinc else 0.4) * (match_test(r.printed_name)[0][1] if r.loinc and match_test(
        r.printed_name) else 0.82)


def _range_only(text: str) -> tuple[float | None, float | None, str, str | None] | None:
    unit, low, high, flag, ref_text, left = _parse_rest(text)
    if ref_text is None or flag is not None or left.strip(" ,;:"):
        return None
    return low, high, ref_text, unit


def _attach_to(results: list[tuple[ProposedRow, _Row, list[_Tok]]], row: _Row,
               boxes: bool) -> tuple[ProposedRow, _Row, list[_Tok]] | None:
    """Of the results on the row above, the one in the column this row starts in."""
    if not results:
        return None
    if not boxes or not row.toks:
        return results[-1]
    x = row.toks[0].x0
    left_of = [r for r in results if r[2][0].x0 <= x + 2 * max(1.0, row.height)]
    return max(left_of, key=lambda r: r[2][0].x0) if left_of else results[0]


def propose_results(source: str | OcrPage | Sequence[OcrPage] | Sequence[str],
                    default_date: str | None = None) -> list[ProposedRow]:
    """Lab results read from a report's text or recognised pages (nothing is saved)."""
    rows = _rows_of(source)
    date = report_date(r.raw for r in rows) or default_date
    # A page with its own collection date (several reports scanned into one file) keeps it.
    page_dates = {page: report_date(r.raw for r in rows if r.page == page) or date
                  for page in {r.page for r in rows}}
    out: list[ProposedRow] = []
    section = ""
    above: list[tuple[ProposedRow, _Row, list[_Tok]]] = []  # results of the last result row
    above_at = -9
    pending: tuple[int, _Row] | None = None  # the last text row: a name whose value is below it
    for n, row in enumerate(rows):
        if not row.toks:
            continue
        boxes = row.box is not None
        pdate = page_dates[row.page]
        near = pending is not None and n - pending[0] <= 2 and pending[1].page == row.page and (
            not boxes or pending[1].box is None
            or row.box[1] - pending[1].box[3] < 2.5 * max(1.0, row.height))  # type: ignore[index]
        found: list[tuple[ProposedRow, _Row, list[_Tok]]] = []
        for seg in _segments(row, boxes):
            words = [t.text for t in seg]
            text = " ".join(words)
            starts_with_value = _value_here(words, 0)
            got = None
            if starts_with_value:
                if near and pending is not None and not found:
                    got = _read_seg(f"{pending[1].text} {text}", row, seg, section, pdate)
                if got is None and "range" not in row.labels | ({"value"} if found else set()):
                    tries = [_read_seg(f, row, seg, section, pdate) for f in _value_first(words)]
                    got = max(tries, key=_score, default=None)
            else:
                got = _read_seg(text, row, seg, section, pdate)
                if near and pending is not None and not found:
                    joined = _read_seg(f"{pending[1].text} {text}", row, seg, section, pdate)
                    if joined is not None and joined.loinc and _score(joined) > _score(got) + 0.02:
                        got = joined  # a long name wrapped onto this line: "Mean corpuscular" / "hemoglobin ..."
            if got is not None:
                found.append((got, row, seg))
        if found:
            out.extend(r for r, *_ in found)
            above, above_at, pending = found, n, None
            continue
        text = row.text
        target = _attach_to(above, row, boxes) if n - above_at <= 2 else None
        if boxes and len(above) > 1 and n - above_at <= 2 and _ranges_by_column(row, above):
            continue
        rng = _range_only(text) if ("range" in row.labels or re.match(r"^[(\[<>≤≥]", text)) else None
        if rng is not None:
            if target is not None and target[0].ref_text is None:
                _set_range(target[0], rng)
            continue
        if "flag" in row.labels and target is not None:
            flag = next((_FLAGS[w.upper()] for w in text.split() if w.upper() in _FLAGS), None)
            if flag and target[0].flag is None:
                target[0].flag = flag
                continue
        following = next((r for r in rows[n + 1:n + 3] if r.toks), None)
        heads_next = following is not None and _value_here([t.text for t in following.toks], 0)
        if not heads_next and _continues(row, target, boxes, section, pdate):
            pending = None
            continue
        if _is_heading(row.raw):
            section = _clean(row.raw)
        words = text.split()
        pending = (n, row) if len(re.findall(r"[A-Za-z]", text)) >= 2 and len(words) <= MAX_NAME_WORDS \
            and not _is_header(text) and not any(_value_here(words, k) for k in range(len(words))) else None
    return out


_HEADER_WORDS = {"test", "tests", "result", "results", "flag", "flags", "units", "unit", "reference", "range",
                 "interval", "ref", "component", "your", "value", "values", "standard", "normal", "analyte",
                 "name", "status", "comment", "comments", "lab", "specimen", "date", "expected"}


def _set_range(r: ProposedRow, rng: tuple[float | None, float | None, str, str | None]) -> None:
    r.low, r.high, r.ref_text = rng[0], rng[1], rng[2]
    r.unit = r.unit or rng[3]


def _ranges_by_column(row: _Row, above: list[tuple[ProposedRow, _Row, list[_Tok]]]) -> bool:
    """A row of ranges under a row of several results (two columns): each cell's range goes to the
    result it stands under.  True when the whole row was used so."""
    starts = sorted(((seg[0].x0, r) for r, _src, seg in above), key=lambda p: p[0])
    groups: dict[int, list[_Tok]] = {}
    for t in row.toks:
        col = max((k for k, (x, _r) in enumerate(starts) if x <= t.x0 + 2 * max(1.0, row.height)), default=0)
        groups.setdefault(col, []).append(t)
    if len(groups) < 2:
        return False
    found = {col: _range_only(" ".join(t.text for t in toks)) for col, toks in groups.items()}
    if any(v is None for v in found.values()):
        return False
    for col, rng in found.items():
        if rng is not None and starts[col][1].ref_text is None:
            _set_range(starts[col][1], rng)
    return True


def _is_header(text: str) -> bool:
    """A table's column headings ("Result  Flag  Units  Test  Reference"), not a test's name."""
    words = re.findall(r"[A-Za-z]+", text.casefold())
    return len(words) >= 2 and sum(w in _HEADER_WORDS for w in words) >= len(words) - 1


def _continues(row: _Row, target: tuple[ProposedRow, _Row, list[_Tok]] | None, boxes: bool, section: str,
               date: str | None) -> bool:
    """A text row under a result that is the rest of its name ("Absolute" + "neutrophil count"): the
    result is read again with the longer name, and kept so only when that names a test better."""
    if target is None or re.search(r"\d", row.text) or len(row.text.split()) > 4:
        return False
    r, src, seg = target
    if boxes and row.toks and seg and abs(row.toks[0].x0 - seg[0].x0) > 1.5 * max(1.0, row.height):
        return False  # not under the name (an indented comment)
    words = [t.text for t in seg]
    name_len = len(r.printed_name.split())
    again = _read_seg(" ".join([*words[:name_len], row.text, *words[name_len:]]), src, seg, section, date)
    if again is None or not again.loinc or _score(again) < 0.9:
        return False
    exact_other = again.loinc != r.loinc and _score(again) >= 0.97  # "Mean corpuscular hemoglobin" + "concentration"
    if not exact_other and _score(again) <= _score(r) + 0.02:
        return False
    keep_flag, keep = r.flag, (r.low, r.high, r.ref_text)
    r.__dict__.update(again.__dict__)
    if r.ref_text is None and keep[2] is not None:
        r.low, r.high, r.ref_text = keep
    r.flag = r.flag or keep_flag
    return True


# --------------------------------------------------------------------------- vault use cases
def _document(vault: Vault, item_id: str) -> Any:
    from ..model.records import Document
    from .records import RecordService

    item = RecordService(vault).item(item_id, with_raw=False)
    if not isinstance(item, Document):
        raise NotFound(f"Item {item_id} is a {item.kind}, not a document.")
    return item


def results_from_document(vault: Vault, item_id: str, progress: Callable[[int, int], None] | None = None,
                          cancel: CancelToken | None = None) -> list[ProposedRow]:
    """Proposed lab results from a stored document: its text, or its pages recognised now (with
    ``progress(done, total)`` per page and ``cancel`` checked between pages)."""
    from ..importers.scan import needs_ocr
    from .records import parse_id

    doc = _document(vault, item_id)
    default_date = (doc.date or "")[:16] or None
    if not doc.blob_id:
        return propose_results(doc.text, default_date) if (doc.text or "").strip() else []
    pid, _ = parse_id(item_id)
    data = vault.blob_store(pid).get(doc.blob_id, doc.sha256)
    if doc.mime == "application/pdf" and (doc.text or "").strip():
        # A portal's PDF: its words with their places, so columns and indentation count as on a scan.
        from ..importers.pdf import text_layer_pages

        try:
            pages = text_layer_pages(data)
        except Exception:  # noqa: BLE001 - a PDF pdfium cannot open: the text pypdf found will do
            pages = []
        if any(p.lines for p in pages):
            return propose_results(pages, default_date)
    if doc.text and doc.text.strip():
        return propose_results(doc.text, default_date)
    if not needs_ocr(doc.mime, data):
        return []
    from ..ocr.engine import recognise_document

    pages = recognise_document(data, doc.mime or "", progress=progress, cancel=cancel)
    return propose_results(pages, default_date)


def confirm_results(vault: Vault, document_id: str, rows: Sequence[ProposedRow],
                    user: str | None = None) -> list[str]:
    """Write the rows the person kept as laboratory Observations of the document's person.

    Each one names the document as its source (``derived_from``), is linked to the document's visit if
    it has one, and goes through the import service (so de-duplication and the audit log apply).
    Returns the public ids of the observations (ones already in the vault included)."""
    from ..importers.base import ParsedFile
    from ..model.records import Item, Observation, Provenance, dumps
    from ..vault import store
    from .importing import ImportOptions, ImportService
    from .records import make_id, parse_id

    doc = _document(vault, document_id)
    pid, _ = parse_id(document_id)
    who = user or vault.user.name or None
    items: list[Observation] = []
    for n, r in enumerate(rows, 1):
        if not (r.name or "").strip():
            raise InvalidInput(f"Row {n} has no test name.")
        if r.value is None and not (r.value_text or "").strip():
            raise InvalidInput(f"Row {n} ({r.name}) has no value.")
        day = r.date or (doc.date or "")[:16] or None
        if not day:
            raise InvalidInput(f"Row {n} ({r.name}) has no date, and neither has the document.")
        comparator = bool(r.value_text and r.value_text[:1] in "<>≤≥")
        items.append(Observation(
            title=r.name.strip(), date=day, date_estimated=r.date is None,
            code_system=LOINC if r.loinc else None, code=code_for_unit(r.loinc, r.unit) or None, display=r.name.strip(),
            category="laboratory",
            # "<0.01" is not the number 0.01: it is kept as text so a chart never plots it as exact.
            value=None if comparator else r.value, value_text=r.value_text, unit=r.unit,
            ref_low=r.low, ref_high=r.high, ref_text=r.ref_text, interpretation=r.flag,
            derived_from=document_id, note=f"read from {doc.title}",
            provenance=Provenance(source_kind="scan", source_name=doc.title or doc.filename or "",
                                  raw_format="manual", entered_by=who),
        ))
    if not items:
        return []
    parsed = ParsedFile(source_name=doc.title or document_id, format="lab-report", items=list[Item](items))
    opts = ImportOptions(person=pid, encounter=doc.encounter_id)
    ImportService(vault).write_parsed(parsed, opts, source_kind="scan")
    db = vault.person_db(pid)
    found = store.find_by_fingerprint(db, [i.fingerprint() for i in items])
    rowids = [found[i.fingerprint()] for i in items if i.fingerprint() in found]
    if who:
        # Who confirmed the rows lives in the item's data (as for entries typed by hand); the model's
        # data() holds kind fields only, so it is added to the rows just written.
        with db.transaction() as conn:
            for rowid in rowids:
                got = conn.execute("SELECT data FROM items WHERE id=?", (rowid,)).fetchone()
                d = json.loads(got[0] or "{}") if got else {}
                if got and "entered_by" not in d:
                    d["entered_by"] = who
                    conn.execute("UPDATE items SET data=? WHERE id=?", (dumps(d), rowid))
    return [make_id(pid, rowid) for rowid in rowids]
