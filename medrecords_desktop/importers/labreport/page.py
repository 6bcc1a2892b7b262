"""The page reader: rows of cells (recognised boxes or a text layer's words with their places) read by
geometry into results: several per row, values before names, blocks, ranges and flags on the next line,
continuation lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .lines import ProposedRow, _clean, _is_heading, _Line, _parse_rest, _read_line, _value_at
from .names import MAX_NAME_WORDS, LabTest, catalogue, match_test
from .values import _FLAGS, _TEXT_VALUE_RE, normalise_unit, report_date

if TYPE_CHECKING:
    from ...ocr.engine import OcrPage

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
    for name, rx in (
        ("name", _NAME_LABEL),
        ("value", _VALUE_LABEL),
        ("range", _RANGE_LABEL),
        ("flag", _FLAG_LABEL),
        ("unit", _UNIT_LABEL),
    ):
        if rx.search(s):
            labels.add(name)
            s = rx.sub(" ", s)
    return s


def _make_row(
    cells: Sequence[tuple[str, float, float]],
    confidence: float,
    page: int | None,
    box: tuple[float, float, float, float] | None,
) -> _Row:
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
            box = (
                min(c.box[0] for c in row),
                min(c.box[1] for c in row),
                max(c.box[2] for c in row),
                max(c.box[3] for c in row),
            )
            heights = sorted(c.box[3] - c.box[1] for c in row)
            r = _make_row([(c.text, c.box[0], c.box[2]) for c in row], conf, n, box)
            r.height = heights[len(heights) // 2]
            out.append(r)
    return out


def _is_value(words: list[str], k: int) -> bool:
    return _value_at(words, k) is not None and not (
        words[k].upper() in _FLAGS and words[k].isalpha() and _TEXT_VALUE_RE.fullmatch(words[k]) is None
    )


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
    if normalise_unit(w) is not None or (w.isalpha() and normalise_unit(w.lower()) is not None):
        return False  # a unit, also in capitals ("SEC", "Sec", "FL"): a unit's cell, not a name's
    if _TEXT_VALUE_RE.fullmatch(w) and not (
        re.fullmatch(r"[A-Za-z]{2,}", after) and normalise_unit(after) is None and not _TEXT_VALUE_RE.fullmatch(after)
    ):
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
                name = " ".join(words[i:j])
                # An unknown name in a new cell needs three letters, as an unknown test does to be kept:
                # a lone letter after a result is its unit or flag misread ("8.8  L  S  11.0 - 13.5").
                if _known_name(name) or (new_cell and len(re.findall(r"[A-Za-z]", name)) >= 3):
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
    """ "97 H mg/dL Glucose 70-99" read as "Glucose 97 H mg/dL 70-99" (the name after the value).  A
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
    if got.loinc is None and (
        len(got.printed_name.split()) > _UNKNOWN_NAME_WORDS
        or re.search(r"\w\.\s", got.printed_name)
        or _MONEY.search(text)
    ):
        return None  # an unknown name is short: a phrase from a sentence is not a test
    return got


def _score(r: ProposedRow | None) -> float:
    if r is None:
        return 0.0
    return (1.0 if r.loinc else 0.4) * (
        match_test(r.printed_name)[0][1] if r.loinc and match_test(r.printed_name) else 0.82
    )


def _range_only(text: str) -> tuple[float | None, float | None, str, str | None] | None:
    unit, low, high, flag, ref_text, left = _parse_rest(text)
    if ref_text is None or flag is not None or left.strip(" ,;:"):
        return None
    return low, high, ref_text, unit


def _attach_to(
    results: list[tuple[ProposedRow, _Row, list[_Tok]]], row: _Row, boxes: bool
) -> tuple[ProposedRow, _Row, list[_Tok]] | None:
    """Of the results on the row above, the one in the column this row starts in."""
    if not results:
        return None
    if not boxes or not row.toks:
        return results[-1]
    x = row.toks[0].x0
    left_of = [r for r in results if r[2][0].x0 <= x + 2 * max(1.0, row.height)]
    return max(left_of, key=lambda r: r[2][0].x0) if left_of else results[0]


def propose_results(
    source: str | OcrPage | Sequence[OcrPage] | Sequence[str], default_date: str | None = None
) -> list[ProposedRow]:
    """Lab results read from a report's text or recognised pages (nothing is saved)."""
    rows = _rows_of(source)
    date = report_date(r.raw for r in rows) or default_date
    # A page with its own collection date (several reports scanned into one file) keeps it.
    page_dates = {page: report_date(r.raw for r in rows if r.page == page) or date for page in {r.page for r in rows}}
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
        near = (
            pending is not None
            and n - pending[0] <= 2
            and pending[1].page == row.page
            and (
                not boxes or pending[1].box is None or row.box[1] - pending[1].box[3] < 2.5 * max(1.0, row.height)  # type: ignore[index]
            )
        )
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
        following = next((r for r in rows[n + 1 : n + 3] if r.toks), None)
        heads_next = following is not None and _value_here([t.text for t in following.toks], 0)
        if not heads_next and _continues(row, target, boxes, section, pdate):
            pending = None
            continue
        if _is_heading(row.raw):
            section = _clean(row.raw)
        words = text.split()
        pending = (
            (n, row)
            if len(re.findall(r"[A-Za-z]", text)) >= 2
            and len(words) <= MAX_NAME_WORDS
            and not _is_header(text)
            and not any(_value_here(words, k) for k in range(len(words)))
            else None
        )
    return out


_HEADER_WORDS = {
    "test",
    "tests",
    "result",
    "results",
    "flag",
    "flags",
    "units",
    "unit",
    "reference",
    "range",
    "interval",
    "ref",
    "component",
    "your",
    "value",
    "values",
    "standard",
    "normal",
    "analyte",
    "name",
    "status",
    "comment",
    "comments",
    "lab",
    "specimen",
    "date",
    "expected",
}


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


def _continues(
    row: _Row, target: tuple[ProposedRow, _Row, list[_Tok]] | None, boxes: bool, section: str, date: str | None
) -> bool:
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
