"""Units, values, reference ranges, flags and dates as printed on lab reports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

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
_GLUED_FLAG = re.compile(r"(?<=\d\s)(H|L|HH|LL)(?=(?:" + "|".join(p for p, _ in _UNIT_PATTERNS) + r")(?![\w]))")
# "10.7Ls", "9.2LS", "325*U/L": value, flag and unit in one word.  After a flag the unit's case does not
# matter (recognition confuses s and S; a 5 cannot follow a flag letter).
_GLUED_VALUE_FLAG = re.compile(
    r"(?<![\w./^])(\d+(?:[.,]\d+)?)(H|L|HH|LL|\*)(?=(?i:" + "|".join(p for p, _ in _UNIT_PATTERNS) + r")(?![\w]))"
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
    "H": "H",
    "HI": "H",
    "HIGH": "H",
    "L": "L",
    "LO": "L",
    "LOW": "L",
    "HH": "HH",
    "LL": "LL",
    "A": "A",
    "ABN": "A",
    "ABNORMAL": "A",
    "*": "A",
    "!": "A",
    "C": "AA",
    "CRIT": "AA",
    "CRITICAL": "AA",
    "H*": "HH",
    "L*": "LL",
    "N": "N",
    "NORMAL": "N",
}
_TEXT_VALUES = (
    "negative",
    "positive",
    "trace",
    "normal",
    "not detected",
    "detected",
    "non-reactive",
    "nonreactive",
    "reactive",
    "clear",
    "cloudy",
    "hazy",
    "yellow",
    "straw",
    "amber",
    "none seen",
    "few",
    "moderate",
    "large",
    "small",
    "absent",
    "present",
    "neg",
    "pos",
)
_TEXT_VALUE_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(v) for v in sorted(_TEXT_VALUES, key=len, reverse=True))
    + r"|[1-4]\s?\+)(?![\w-])",
    re.IGNORECASE,
)
# A number as recognised: digits with the letters OCR mistakes for digits inside (1O4, l.2, 5S).
_VALUE_TOKEN = re.compile(r"^(<=|>=|<|>|≤|≥)?([0-9OoIlS]*[0-9][0-9OoIlS]*(?:[.,][0-9OoIlS]+)*)(\*|H|L|HH|LL)?$")
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
_MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
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
