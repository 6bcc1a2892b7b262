"""One result line: the proposed row, cleaning recognised text, and reading a name, value, unit, range
and flag from a line of text."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ...errors import InvalidInput
from .names import MAX_NAME_WORDS, NAME_THRESHOLD, UNIT_DECIDES, LabTest, _key, match_test
from .values import (
    _DIGIT_FIX,
    _FLAGS,
    _GLUED_FLAG,
    _GLUED_UNIT,
    _GLUED_VALUE_FLAG,
    _LETTER_FIX,
    _NOT_A_NAME,
    _RANGE_RES,
    _TEXT_VALUE_RE,
    _UNIT_RE,
    _VALUE_TOKEN,
    _to_float,
    normalise_unit,
)


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
        rest = " ".join(tokens[k : k + 2])
        tm = _TEXT_VALUE_RE.match(rest)
        if tm:
            word = tm.group(1)
            shown = word.replace(" ", "") if word[0].isdigit() else word[0].upper() + word[1:].lower()
            used = len(word.split())
            glued = tokens[k + used - 1][len(word.split()[-1]) :] if k + used - 1 < len(tokens) else ""
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
        rest = rest[: best[0]] + " " + rest[best[1] :]
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
        rest = rest[: m.start()] + " " + rest[m.end() :]
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
_RESULT_WORDS = {
    "reference",
    "ref",
    "range",
    "normal",
    "units",
    "flag",
    "fasting",
    "feu",
    "final",
    "result",
    "abnormal",
    "high",
    "low",
    "critical",
    "corrected",
    "see",
    "note",
    "interval",
    "adult",
}


def _looks_like_prose(left: str) -> bool:
    words = [
        w
        for w in re.findall(r"[A-Za-z]{2,}", left)
        if w.casefold() not in _RESULT_WORDS and not _TEXT_VALUE_RE.fullmatch(w)
    ]
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
        if tok.isalpha() and normalise_unit(tok.lower()) in units:
            return normalise_unit(tok.lower()), 1.0  # "SEC", "Sec" for s: a unit in capitals
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
        if (
            whole
            and whole[0][1] >= 0.97
            and (not match_test(" ".join(out[:-1])) or match_test(" ".join(out[:-1]))[0][1] < whole[0][1])
        ):
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
        unit_guess, *_, left_k = _parse_rest(" ".join(tokens[k + val[3] :]))
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
    rest = " ".join(tokens[k + used :])
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
        name=test.name if test else name,
        loinc=test.loinc if test else None,
        value=number,
        value_text=vtext,
        unit=unit,
        low=low,
        high=high,
        flag=flag,
        date=date,
        line=ln.text.strip(),
        confidence=round(score * ln.confidence * unit_fit * (0.6 if doubtful else 1.0), 3),
        printed_name=name,
        page=ln.page,
        ref_text=ref_text,
        box=ln.box,
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
