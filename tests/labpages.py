"""Lab-report pages in many layouts, for the reader's tests and benchmarks/bench_ocr.py (nothing committed).

Each page is drawn with reportlab into a PDF with a real text layer (as a lab portal's download), and can
be rendered to pixels (pdfium) and given a look: ``clean`` (a 200 dpi scan), ``skewed`` (fed askew),
``photo`` (a phone photo: perspective, uneven light, blur, noise, JPEG) or ``fax`` (200 dpi, black and
white, speckled).  Every page knows what it printed (``expected``): test, value, unit, range and flag.

Layouts (how real labs lay out patient reports):
  refcolumns   national reference lab: Test | Result | Flag | Units | Reference Interval, panel headings
  leaders      hospital list with dotted leaders: "Glucose ........ 104 H mg/dL  [70-99]"
  block        clinic blocks: a name line, then "Result: 97 mg/dL   Normal range: 70 to 99 mg/dL"
  labelvalue   label-value pairs: "Test: Glucose" / "Result: 97 mg/dL  Flag: High" / "Reference interval: ..."
  twocolumn    two columns of results side by side on one page
  valuefirst   the result before the name: "97  H  mg/dL   Glucose   70-99"
  nextline     the range on the line under the result: "    Ref: 70 - 99"
  multiper     several results per line: "Na 140 mmol/L (136-145)    K 4.2 mmol/L (3.5-5.1)"
  continuation long names wrapped over two lines, and comment lines under results
  monoprint    monospaced ward print-out, flags glued to values ("5.6H", "98*"), urine words
  colonref     "Hemoglobin: 13.5 g/dL (Reference: 12.0-15.5)"
  portal       patient-portal table: Component | Your Value | Standard Range | Flag (High/Low)
And pages with no results at all: letter, discharge summary, invoice (``NO_RESULT_LAYOUTS``).

The split between what the reader was tuned on and what was held out is fixed here, before any tuning:
held-out pages use seeds from HELD_OUT_SEED_BASE up and fonts the tuned pages never use (DejaVu Sans and
Serif Condensed, and the PDF base fonts Courier and Times), so a held-out page differs in its values,
names, spellings, positions and typeface.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from medrecords_desktop.importers.labreport.names import LabTest, _key, catalogue

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LAYOUTS = (
    "refcolumns",
    "leaders",
    "block",
    "labelvalue",
    "twocolumn",
    "valuefirst",
    "nextline",
    "multiper",
    "continuation",
    "monoprint",
    "colonref",
    "portal",
)
NO_RESULT_LAYOUTS = ("letter", "discharge", "invoice")
LOOKS = ("clean", "skewed", "photo", "fax")
HELD_OUT_SEED_BASE = 100_000
# (regular, bold, monospaced) per split
TUNED_FONTS = (
    ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"),
    ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSansMono"),
)
HELD_OUT_FONTS = (
    ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "Courier"),
    ("DejaVuSerifCondensed", "DejaVuSerifCondensed-Bold", "Courier"),
    ("Times-Roman", "Times-Bold", "Courier"),
)
# A second held-out part ("fresh"), added when faxes were worked on and never looked at while changing the
# reader or the engine: seeds from FRESH_SEED_BASE, typefaces neither other part uses, and looks drawn
# with other parameters (a fax in standard resolution, other thresholds, noise and skew; scans at 150 or
# 300 dpi; softer, more compressed photos).
FRESH_SEED_BASE = 200_000
FRESH_FONTS = (("Helvetica", "Helvetica-Bold", "Courier-Bold"), ("Times-Bold", "Helvetica-Bold", "Courier-Bold"))
SPLITS = ("tuned", "held-out", "fresh")
PAGE_W, PAGE_H = 612.0, 792.0  # US letter, points

# Tests a lab may print that the catalogue does not know: kept by the reader because a value and unit follow.
UNKNOWN_TESTS = (
    ("Zinc", "ug/dL", 60, 120, 0),
    ("Homocysteine", "umol/L", 5.0, 15.0, 1),
    ("Prealbumin", "mg/dL", 18, 38, 0),
    ("Ammonia", "umol/L", 11, 51, 0),
    ("Haptoglobin", "mg/dL", 30, 200, 0),
    ("Copper", "ug/dL", 70, 140, 0),
)


@dataclass
class Row:
    """One printed result, as the reader should propose it."""

    name: str  # as printed
    loinc: str | None  # None: a test the catalogue does not know
    value: float | None
    value_text: str | None
    unit: str | None
    low: float | None
    high: float | None
    flag: str | None  # H, L or A (None: not flagged)


@dataclass
class LabPage:
    layout: str
    seed: int
    held_out: bool
    fonts: tuple[str, str, str]
    pdf: bytes
    expected: list[Row] = field(default_factory=list)

    def image(self, look: str = "clean") -> tuple[bytes, str]:
        """The page as a scan or photo: (bytes, mime)."""
        return render(self.pdf, look, self.seed)


# --------------------------------------------------------------------------- values
def _aliases() -> dict[str, list[str]]:
    owners: dict[str, set[str]] = {}
    for t in catalogue():
        for a in (t.name, *t.synonyms):
            owners.setdefault(_key(a), set()).add(t.loinc)
    return {
        t.loinc: [a for a in (t.name, *t.synonyms) if len(owners[_key(a)]) == 1 and len(_key(a)) >= 3]
        for t in catalogue()
    }


_ALIASES = _aliases()


@dataclass
class _Res:
    row: Row
    name: str
    shown: str  # the value as printed
    flag: str  # the flag as the layout prints it ("" if none)
    unit: str
    rng_txt: str  # the range as printed ("" if none)


_FLAG_WORDS = {
    "letter": {"H": "H", "L": "L", "A": "A"},
    "word": {"H": "HIGH", "L": "LOW", "A": "ABNORMAL"},
    "title": {"H": "High", "L": "Low", "A": "Abnormal"},
    "star": {"H": "*", "L": "*", "A": "*"},
}


def _fmt(x: float, dec: int) -> str:
    return f"{x:.{dec}f}"


def _range_text(lo: float | None, hi: float | None, dec: int, style: str) -> str:
    if lo is not None and hi is not None:
        a, b = _fmt(lo, dec), _fmt(hi, dec)
        return {"dash": f"{a}-{b}", "spaced": f"{a} - {b}", "to": f"{a} to {b}", "endash": f"{a} – {b}"}[style]
    if hi is not None:
        return ("<" if style == "dash" else "< ") + _fmt(hi, dec) if style != "to" else f"up to {_fmt(hi, dec)}"
    if lo is not None:
        return (">" if style == "dash" else "> ") + _fmt(lo, dec) if style != "to" else f"> {_fmt(lo, dec)}"
    return ""


def _results(
    rng: random.Random,
    n: int,
    *,
    flags: str = "letter",
    ranges: tuple[str, ...] = ("dash",),
    urine: bool = False,
    short: bool = False,
    unknown: bool = True,
) -> list[_Res]:
    pool = [t for t in catalogue() if t.specimen != "urine" and t.kind == "quantity"]
    tests: list[LabTest | tuple] = list(rng.sample(pool, n))
    if urine:
        tests += rng.sample([t for t in catalogue() if t.specimen == "urine"], 3)
    if unknown and rng.random() < 0.5:
        tests.insert(rng.randrange(len(tests) + 1), rng.choice(UNKNOWN_TESTS))
    out = []
    style = rng.choice(ranges)
    for t in tests:
        if isinstance(t, tuple):
            name, unit, lo, hi, dec = t
            loinc, kind = None, "quantity"
        else:
            names = _ALIASES[t.loinc] or [t.name]
            if short:
                shorts = [a for a in names if len(a) <= 6]
                name = rng.choice(shorts) if shorts else t.name
            else:
                name = t.name if rng.random() < 0.5 else rng.choice(names)
            unit = rng.choice(t.units) if t.units else ""
            lo, hi, dec, loinc, kind = t.low, t.high, t.decimals, t.loinc, t.kind
            if unit and t.units and unit != t.units[0]:  # a second unit: the catalogue range no longer fits
                unit = t.units[0]
        if kind == "text":
            word = rng.choice(["Negative", "Negative", "Trace", "Positive"])
            flag = "" if word == "Negative" else "A"
            row = Row(name, loinc, None, word, None, None, None, flag or None)
            out.append(_Res(row, name, word, _FLAG_WORDS[flags][flag] if flag else "", "", "Negative"))
            continue
        if lo is None and hi is None:
            a, b = 50.0, 200.0
        else:
            a = lo * 0.7 if lo else (hi or 1) * 0.3
            b = hi * 1.3 if hi is not None else (lo or 1) * 2.2
        x = float(_fmt(rng.uniform(a, b), dec))
        flag = "H" if hi is not None and x > hi else "L" if lo is not None and x < lo else ""
        shown = _fmt(x, dec)
        row = Row(name, loinc, x, None, unit or None, lo, hi, flag or None)
        if flags == "star" and flag:
            row.flag = "A"
        rt = _range_text(lo, hi, dec, style)
        out.append(_Res(row, name, shown, _FLAG_WORDS[flags][flag] if flag else "", unit, rt))
    return out


_PATIENTS = ("Jordan Quill", "Avery Lindqvist", "Morgan Okafor", "Riley Santangelo", "Casey Brandvold")
_LABS = (
    "Riverside Clinical Laboratory",
    "Northgate Diagnostics",
    "Harbor Valley Lab Services",
    "Meridian Reference Laboratories",
    "St. Brigid General Hospital Laboratory",
)


# --------------------------------------------------------------------------- drawing
class _Sheet:
    """Text placed on a page (points from the top-left), written to a PDF at the end."""

    def __init__(self, fonts: tuple[str, str, str], rng: random.Random):
        self.fonts = fonts
        self.rng = rng
        self.ops: list[tuple[float, float, str, str, float]] = []
        self.y = 60.0

    def text(self, x: float, y: float, s: str, style: str = "reg", size: float = 9.5) -> None:
        if s:
            self.ops.append((x, y, s, style, size))

    def header(self, title: str | None = None) -> None:
        r = self.rng
        self.text(50, self.y, title or r.choice(_LABS), "bold", 14)
        self.y += 22
        y, m, d = r.randint(2019, 2025), r.randint(1, 12), r.randint(1, 28)
        self.text(50, self.y, f"Patient: {r.choice(_PATIENTS)}    DOB: 02/11/1961    Sex: F")
        self.y += 14
        self.text(
            50,
            self.y,
            f"Collected: {m:02d}/{d:02d}/{y} 08:{r.randint(10, 59)}    "
            f"Reported: {m:02d}/{d:02d}/{y}    Accession: A{r.randint(10000, 99999)}",
        )
        self.y += 26

    def width(self, s: str, style: str = "reg", size: float = 9.5) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(s, _font_name(self.fonts, style), size)

    def pdf(self) -> bytes:
        from reportlab.pdfgen import canvas

        out = io.BytesIO()
        c = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1)
        for x, y, s, style, size in self.ops:
            c.setFont(_font_name(self.fonts, style), size)
            c.drawString(x, PAGE_H - y, s)
        c.showPage()
        c.save()
        return out.getvalue()


def _font_name(fonts: tuple[str, str, str], style: str) -> str:
    name = {"reg": fonts[0], "bold": fonts[1], "mono": fonts[2]}[style]
    if name.startswith("DejaVu"):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    return name


def fonts_available() -> bool:
    return all(
        (FONT_DIR / f"{n}.ttf").exists() for fs in TUNED_FONTS + HELD_OUT_FONTS for n in fs if n.startswith("DejaVu")
    )


# --------------------------------------------------------------------------- layouts
def _refcolumns(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header(r.choice(("Meridian Reference Laboratories", "National Clinical Reference Lab")))
    cols = (50, 250, 320, 370, 450)
    for x, h in zip(cols, ("TESTS", "RESULT", "FLAG", "UNITS", "REFERENCE INTERVAL"), strict=True):
        s.text(x, s.y, h, "bold", 9)
    s.y += 18
    res = _results(r, r.randint(5, 7), flags=r.choice(("letter", "word", "title")), ranges=("dash", "spaced"))
    res += _results(r, r.randint(3, 5), flags="letter", ranges=("dash",), urine=r.random() < 0.5, unknown=False)
    for n, part in enumerate((res[: len(res) // 2], res[len(res) // 2 :])):
        s.text(50, s.y, ("Comp. Metabolic Panel (14)", "CBC With Differential/Platelet")[n], "bold", 10)
        s.y += 15
        for e in part:
            for x, cell in zip(cols, (e.name, e.shown, e.flag, e.unit, e.rng_txt), strict=True):
                s.text(x + (10 if x == 50 else 0), s.y, cell)
            s.y += 14
        s.y += 8
    return res


def _leaders(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    res = _results(r, r.randint(9, 12), flags="letter", ranges=("dash", "spaced"))
    for e in res:
        s.text(60, s.y, e.name)
        start = 60 + s.width(e.name) + 4
        dots = "." * max(3, int((280 - start) / max(1.0, s.width("."))))
        s.text(start, s.y, dots)
        tail = f"{e.shown} {e.flag}".strip() + f"  {e.unit}".rstrip()
        s.text(290, s.y, tail)
        if e.rng_txt:
            s.text(430, s.y, f"[{e.rng_txt}]")
        s.y += 15
    return res


def _block(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header(r.choice(("Family Health Clinic — Lab Results", "Oak Street Medical Group")))
    label = r.choice(("Normal range:", "Reference interval:", "Ref:", "Reference range:"))
    res = _results(r, r.randint(7, 10), flags=r.choice(("word", "title")), ranges=("to", "spaced", "endash"))
    for e in res:
        s.text(55, s.y, e.name, "bold", 10)
        s.y += 14
        unit = f" {e.unit}" if e.unit else ""
        s.text(75, s.y, f"Result: {e.shown}{unit}  {e.flag}".rstrip())
        if e.rng_txt:
            s.text(300, s.y, f"{label} {e.rng_txt}{unit}")
        s.y += 20
    return res


def _labelvalue(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    res = _results(r, r.randint(6, 8), flags=r.choice(("title", "word", "letter")), ranges=("dash", "to"))
    tlabel, rlabel = r.choice((("Test:", "Result:"), ("Analyte:", "Value:"), ("Test name:", "Result:")))
    reflabel = r.choice(("Reference interval:", "Ref:", "Normal range:"))
    for e in res:
        s.text(55, s.y, f"{tlabel} {e.name}")
        s.y += 13
        s.text(55, s.y, f"{rlabel} {e.shown} {e.unit}".rstrip())
        if e.flag:
            s.text(260, s.y, f"Flag: {e.flag}")
        s.y += 13
        if e.rng_txt:
            s.text(55, s.y, f"{reflabel} {e.rng_txt}")
            s.y += 13
        s.y += 9
    return res


def _twocolumn(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    res = _results(r, r.randint(10, 14), flags="letter", ranges=("dash",), short=r.random() < 0.5)
    half = (len(res) + 1) // 2
    top = s.y
    for col, part in enumerate((res[:half], res[half:])):
        x = 50 + col * 280
        s.text(x, top, "Test", "bold", 9)
        s.text(x + 120, top, "Result", "bold", 9)
        s.text(x + 205, top, "Range", "bold", 9)
        y = top + 16
        for e in part:
            s.text(x, y, e.name[:22], "reg", 9)
            s.text(x + 120, y, f"{e.shown} {e.flag} {e.unit}".replace("  ", " ").strip(), "reg", 9)
            s.text(x + 205, y, e.rng_txt, "reg", 9)
            y += 14
        s.y = max(s.y, y)
    for e in res:
        e.row.name = e.row.name[:22]
    return res


def _valuefirst(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    for x, h in ((50, "Result"), (100, "Flag"), (135, "Units"), (220, "Test"), (430, "Reference")):
        s.text(x, s.y, h, "bold", 9)
    s.y += 16
    res = _results(r, r.randint(9, 12), flags="letter", ranges=("dash", "spaced"))
    for e in res:
        for x, cell in ((50, e.shown), (100, e.flag), (135, e.unit), (220, e.name), (430, e.rng_txt)):
            s.text(x, s.y, cell)
        s.y += 14
    return res


def _nextline(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    label = r.choice(("Ref:", "Reference range:", "Normal range:", "Reference interval"))
    res = _results(r, r.randint(8, 11), flags=r.choice(("letter", "word")), ranges=("dash", "spaced", "endash"))
    for e in res:
        s.text(55, s.y, e.name)
        s.text(250, s.y, e.shown)
        s.text(310, s.y, e.unit)
        s.text(400, s.y, e.flag)
        s.y += 12
        if e.rng_txt:
            s.text(75, s.y, f"{label} {e.rng_txt} {e.unit}".rstrip(), "reg", 8)
            s.y += 12
        s.y += 5
    return res


def _multiper(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    res = _results(r, r.randint(9, 12), flags="letter", ranges=("dash",), short=True, unknown=False)
    gap = r.choice((18, 28, 40))
    x = 50.0
    for e in res:
        flag = f" {e.flag}" if e.flag else ""
        rng_txt = f" ({e.rng_txt})" if e.rng_txt else ""
        cell = f"{e.name} {e.shown}{flag} {e.unit}{rng_txt}".replace("  ", " ")
        w = s.width(cell, "reg", 8.5)
        if x > 50 and x + w > PAGE_W - 40:
            x = 50.0
            s.y += 15
        s.text(x, s.y, cell, "reg", 8.5)
        x += w + gap
    s.y += 15
    return res


def _continuation(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header()
    for x, h in ((50, "Test"), (230, "Result"), (290, "Flag"), (325, "Units"), (410, "Reference Range")):
        s.text(x, s.y, h, "bold", 9)
    s.y += 16
    res = _results(r, r.randint(8, 10), flags="letter", ranges=("dash",))
    long_names = {t.loinc: max((t.name, *t.synonyms), key=len) for t in catalogue()}
    comments = (
        "Comment: Specimen slightly hemolyzed.",
        "Note: Fasting status not provided.",
        "Result verified by repeat analysis.",
        "Please note new reference interval from 01/2024.",
    )
    for e in res:
        if e.row.loinc and len(long_names[e.row.loinc]) > 24 and r.random() < 0.7:
            e.name = e.row.name = long_names[e.row.loinc]
        name = e.name
        first, second = name, ""
        if len(name) > 24:
            words = name.split()
            cut = max(1, len(words) // 2)
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
        value_on_second = bool(second) and r.random() < 0.4
        if value_on_second:
            s.text(50, s.y, first)
            s.y += 12
            first = second
            second = ""
        s.text(50, s.y, first)
        for x, cell in ((230, e.shown), (290, e.flag), (325, e.unit), (410, e.rng_txt)):
            s.text(x, s.y, cell)
        s.y += 12
        if second:
            s.text(50, s.y, second)
            s.y += 12
        if r.random() < 0.25:
            s.text(62, s.y, r.choice(comments), "reg", 8)
            s.y += 12
        s.y += 3
    return res


def _monoprint(s: _Sheet) -> list[_Res]:
    r = s.rng
    y0 = s.y
    s.text(40, y0, "ST. BRIGID GENERAL HOSPITAL - LABORATORY MEDICINE", "mono", 10)
    s.text(40, y0 + 14, f"PATIENT: {r.choice(_PATIENTS).upper():24} MRN: 00{r.randint(100000, 999999)}", "mono", 9)
    s.text(40, y0 + 28, f"COLLECTED: {r.randint(1, 28):02d}-MAR-2024 07:{r.randint(10, 59)}", "mono", 9)
    s.y += 56
    s.text(40, s.y, f"{'TEST':24}{'RESULT':>10}  {'UNITS':12}REF RANGE", "mono", 9)
    s.y += 14
    res = _results(r, r.randint(7, 9), flags=r.choice(("letter", "star")), ranges=("dash",), urine=True)
    for e in res:
        glue = r.random() < 0.6 and (e.row.value is not None or e.flag == "*")  # "5.6H", "98*", "Positive*"
        val = f"{e.shown}{e.flag}" if glue else f"{e.shown} {e.flag}".rstrip()
        rng_txt = f"({e.rng_txt})" if e.rng_txt and r.random() < 0.5 else e.rng_txt
        s.text(40, s.y, f"{e.name[:23].upper():24}{val:>10}  {e.unit:12}{rng_txt}", "mono", 9)
        e.row.name = e.name[:23].upper()
        s.y += 13
    return res


def _colonref(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.text(50, s.y, "BLOOD TEST REPORT", "bold", 14)
    s.y += 20
    s.text(50, s.y, f"Date: {r.randint(1, 28):02d}/03/2024    Laboratory: {r.choice(_LABS)}")
    s.y += 24
    word = r.choice(("Reference", "Ref", "Normal range", "Reference interval"))
    res = _results(r, r.randint(8, 11), flags=r.choice(("title", "letter")), ranges=("dash", "spaced"))
    for e in res:
        flag = f"  {e.flag}" if e.flag else ""
        rng_txt = f" ({word}: {e.rng_txt})" if e.rng_txt else ""
        s.text(50, s.y, f"{e.name}: {e.shown} {e.unit}{rng_txt}{flag}".replace("  ", " "))
        s.y += 15
    return res


def _portal(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.text(50, s.y, "MyHealth Portal — Test Results", "bold", 14)
    s.y += 20
    s.text(50, s.y, f"Results for {r.choice(_PATIENTS)}   Resulted: 2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}")
    s.y += 26
    for x, h in ((50, "Component"), (240, "Your Value"), (340, "Standard Range"), (470, "Flag")):
        s.text(x, s.y, h, "bold", 9.5)
    s.y += 18
    res = _results(r, r.randint(8, 11), flags="title", ranges=("spaced", "dash"))
    for e in res:
        s.text(50, s.y, e.name)
        s.text(240, s.y, f"{e.shown} {e.unit}".strip())
        s.text(340, s.y, f"{e.rng_txt} {e.unit}".strip() if e.rng_txt else "")
        s.text(470, s.y, e.flag)
        s.y += 16
    return res


# Pages a person may scan that hold numbers, units and names but no results.
def _letter(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header("Oak Street Medical Group")
    body = [
        f"Dear {r.choice(_PATIENTS)},",
        "Thank you for visiting us on 03/14/2024. Your recent blood tests were reviewed by Dr. Patel.",
        "Your glucose and cholesterol were within the expected range, and your potassium was",
        "slightly above the usual level. Please take 20 mg of your medicine once a day and drink",
        "at least 2 L of water daily. We would like to repeat the sodium and potassium tests in 3 months.",
        "If your blood pressure stays above 140/90, call the office at 555-0142.",
        "Vitamin D: please take 1000 IU daily until your next visit.",
        "Sincerely,",
        "Dr. A. Patel, MD",
        "Suite 200, 14 Oak Street, Springfield 62704",
    ]
    for line in body:
        s.text(55, s.y, line)
        s.y += 16
    return []


def _discharge(s: _Sheet) -> list[_Res]:
    s.header("DISCHARGE SUMMARY")
    body = [
        "Admission date: 03/02/2024    Discharge date: 03/06/2024    Length of stay: 4 days",
        "Diagnosis: Community-acquired pneumonia. History of type 2 diabetes (A1C 7.2% in 2023).",
        "Hospital course: treated with ceftriaxone 1 g IV daily for 3 days, then oral therapy.",
        "Labs on admission showed a WBC of 14.2 and CRP above 100; both improved before discharge.",
        "Medications: Metformin 500 mg twice daily; Amoxicillin 875 mg every 12 hours for 5 days.",
        "Vital signs at discharge: temperature 36.8 C, pulse 78, blood pressure 128/76, SpO2 96%.",
        "Follow-up: primary care in 1 week; repeat chest X-ray in 6 weeks.",
        "Weight 82 kg, height 176 cm. Diet: 1800 kcal diabetic. Discharged home in stable condition.",
    ]
    for line in body:
        s.text(55, s.y, line, "reg", 9)
        s.y += 16
    return []


def _invoice(s: _Sheet) -> list[_Res]:
    r = s.rng
    s.header("Harbor Valley Lab Services — Statement")
    s.text(50, s.y, "Date of service   Description                     Code     Qty   Amount", "bold", 9)
    s.y += 16
    items = [
        ("Comprehensive metabolic panel", "80053", 1, 42.00),
        ("Lipid panel", "80061", 1, 38.50),
        ("Hemoglobin A1c", "83036", 1, 25.00),
        ("TSH", "84443", 1, 31.20),
        ("Venipuncture", "36415", 1, 10.00),
        ("CBC with differential", "85025", 1, 18.75),
    ]
    for desc, code, qty, amt in r.sample(items, 5):
        s.text(50, s.y, f"03/14/2024        {desc:32}{code}    {qty}    ${amt:.2f}", "reg", 9)
        s.y += 14
    s.y += 10
    for line in (
        "Total charges: $135.45",
        "Insurance payment: $98.20",
        "Balance due: $37.25 by 04/30/2024",
        "Account 448812 - pay online or call 555-0199",
    ):
        s.text(300, s.y, line, "reg", 9)
        s.y += 14
    return []


_MAKERS = {name: globals()[f"_{name}"] for name in LAYOUTS + NO_RESULT_LAYOUTS}


def make_page(layout: str, seed: int, held_out: bool = False) -> LabPage:
    """One page of ``layout`` from ``seed`` (a held-out page uses a held-out font and must use a held-out
    seed: the split is checked, so a tuning run cannot pick a held-out page by mistake)."""
    if held_out != (seed >= HELD_OUT_SEED_BASE):
        raise ValueError(f"seed {seed} is not in the {'held-out' if held_out else 'tuning'} range")
    rng = random.Random(f"{layout}:{seed}")  # noqa: S311 - test data
    fonts = rng.choice(FRESH_FONTS if seed >= FRESH_SEED_BASE else HELD_OUT_FONTS if held_out else TUNED_FONTS)
    sheet = _Sheet(fonts, rng)
    res = _MAKERS[layout](sheet)
    return LabPage(layout, seed, held_out, fonts, sheet.pdf(), [e.row for e in res])


def pages(split: str, per_layout: int, layouts: tuple[str, ...] = LAYOUTS, first: int = 0) -> list[LabPage]:
    """``per_layout`` pages of each layout from the ``tuned``, ``held-out`` or ``fresh`` (held out) split."""
    if split not in SPLITS:
        raise ValueError(f"no split {split!r}")
    held = split != "tuned"
    base = {"tuned": 1, "held-out": HELD_OUT_SEED_BASE, "fresh": FRESH_SEED_BASE}[split]
    return [make_page(lay, base + first + n, held) for lay in layouts for n in range(per_layout)]


# --------------------------------------------------------------------------- looks
def render(pdf: bytes, look: str, seed: int) -> tuple[bytes, str]:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(f"{look}:{seed}")  # noqa: S311
    fresh = seed >= FRESH_SEED_BASE
    dpi = {"clean": 200, "skewed": 200, "photo": 220, "fax": 200}[look]
    if fresh and look in ("clean", "skewed"):
        dpi = rng.choice((150, 300))
    doc = pdfium.PdfDocument(pdf)
    try:
        im = doc[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()
    out = io.BytesIO()
    if look == "clean":
        im.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    if look == "skewed":
        turn = rng.uniform(2.5, 4.0) if fresh else rng.uniform(0.8, 2.5)
        im = im.rotate(turn * rng.choice((-1, 1)), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        im.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    if look == "fax":
        g = np.random.default_rng(seed)
        noise, cut, speck, turn = 18.0, 150, 0.002, rng.uniform(-0.8, 0.8)
        standard = False
        if fresh:
            noise, cut, speck = rng.uniform(10, 26), rng.randint(125, 170), rng.uniform(0.001, 0.005)
            turn = rng.uniform(-1.6, 1.6)
            standard = rng.random() < 0.5  # standard resolution: 200 x 100 dpi, each line printed twice
            if standard:
                im = im.resize((im.width, im.height // 2), Image.Resampling.BOX)
        arr = np.asarray(im.filter(ImageFilter.GaussianBlur(0.6))).astype(np.int16)
        arr = arr + g.normal(0, noise, arr.shape)
        bw = (arr > cut).astype(np.uint8) * 255
        specks = g.random(arr.shape) < speck
        bw[specks] = 0
        fax = Image.fromarray(bw)
        if standard:
            fax = fax.resize((fax.width, fax.height * 2), Image.Resampling.NEAREST)
        im = fax.rotate(turn, fillcolor=255).convert("1")
        im.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    # photo: the phone tilted back (a trapezoid), on a desk, light falling off to one side, soft, noisy
    page = im.convert("RGB")
    w, h = page.size
    d = int(w * rng.uniform(0.02, 0.05))
    page = page.transform(
        (w, h),
        Image.Transform.QUAD,
        (-d, 0, 0, h, w, h, w + d, 0),
        resample=Image.Resampling.BICUBIC,
        fillcolor=(96, 90, 80),
    )
    bg = Image.new("RGB", (w + 160, h + 160), (96, 90, 80))
    bg.paste(page, (80, 80))
    bg = bg.rotate(
        rng.uniform(0.5, 2.0) * rng.choice((-1, 1)), resample=Image.Resampling.BICUBIC, fillcolor=(96, 90, 80)
    )
    bg = bg.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.4) if fresh else rng.uniform(0.7, 1.1)))
    arr = np.asarray(bg).astype(np.float32)
    hh, ww = arr.shape[:2]
    light = np.linspace(1.0, rng.uniform(0.7, 0.85), ww)[None, :, None] * np.linspace(1.0, 0.9, hh)[:, None, None]
    noise = np.random.default_rng(seed).normal(0, 6, arr.shape)
    arr = np.clip(arr * light + noise, 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(out, "JPEG", quality=rng.randint(55, 70) if fresh else rng.randint(70, 85))
    return out.getvalue(), "image/jpeg"


# --------------------------------------------------------------------------- scoring
def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def row_right(e: Row, r) -> bool:  # noqa: ANN001 - a ProposedRow
    """Name, value, unit, range and flag all right."""
    if e.loinc is not None:
        if r.loinc != e.loinc:
            return False
    elif r.loinc is not None or _key(r.name) != _key(e.name):
        return False
    if e.value is not None:
        if not _same(r.value, e.value) or r.value_text is not None:
            return False
    elif (r.value_text or "").casefold() != (e.value_text or "").casefold():
        return False
    if (r.unit or None) != e.unit or not _same(r.low, e.low) or not _same(r.high, e.high):
        return False
    return (r.flag if r.flag != "N" else None) == e.flag


def score_page(page: LabPage, rows: list) -> tuple[int, int, int, list[str]]:
    """(rows right, rows printed, rows proposed that match nothing printed, what was missed)."""
    left = list(rows)
    right = 0
    missed = []
    for e in page.expected:
        hit = next((r for r in left if row_right(e, r)), None)
        if hit is not None:
            left.remove(hit)
            right += 1
        else:
            near = next(
                (r for r in left if (r.loinc or None) == e.loinc and (e.loinc or _key(r.name) == _key(e.name))), None
            )
            got = (
                (
                    f"got {near.name} {near.value if near.value is not None else near.value_text} {near.unit} "
                    f"{near.low}-{near.high} {near.flag}"
                )
                if near
                else "not proposed"
            )
            missed.append(
                f"{page.layout}#{page.seed}: {e.name} {e.value if e.value is not None else e.value_text} "
                f"{e.unit} {e.low}-{e.high} {e.flag}: {got}"
            )
    extra = sum(
        1
        for r in left
        if not any((r.loinc or None) == e.loinc and (r.loinc or _key(r.name) == _key(e.name)) for e in page.expected)
    )
    return right, len(page.expected), extra, missed


def text_lines(pdf: bytes) -> str:
    """The PDF's text as plain lines (what a text-only reader sees)."""
    from pypdf import PdfReader

    return "\n".join(p.extract_text(extraction_mode="layout") or "" for p in PdfReader(io.BytesIO(pdf)).pages)


_ = re  # (kept for callers that format patterns)


def phone_photo(pdf: bytes, seed: int, fmt: str = "JPEG", size: tuple[int, int] = (3024, 4032)) -> bytes:
    """A 12-megapixel phone photo of the page, stored sideways with an EXIF orientation tag (6: turn
    90° clockwise to view), as phones store portrait shots; JPEG or HEIC."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(f"phone:{seed}")  # noqa: S311
    w, h = size
    doc = pdfium.PdfDocument(pdf)
    try:
        scale = (w * 0.86) / PAGE_W
        page = doc[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    bg = Image.new("RGB", (w, h), (92, 86, 78))
    bg.paste(page, ((w - page.width) // 2, int(h * 0.04)))
    bg = bg.rotate(rng.uniform(-2, 2), resample=Image.Resampling.BILINEAR, fillcolor=(92, 86, 78))
    bg = bg.filter(ImageFilter.GaussianBlur(1.2))
    arr = np.asarray(bg).astype(np.float32)
    light = np.linspace(1.0, 0.8, w, dtype=np.float32)[None, :, None]
    arr = np.clip(arr * light + np.random.default_rng(seed).normal(0, 5, arr.shape).astype(np.float32), 0, 255)
    stored = Image.fromarray(arr.astype(np.uint8)).transpose(Image.Transpose.ROTATE_90)  # sensor landscape
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    if fmt == "HEIC":
        import pillow_heif
        from pillow_heif import register_heif_opener

        register_heif_opener()
        # As iPhones store them: a grid of 512-px tiles (libheif decodes the tiles on several threads).
        old, pillow_heif.options.GRID_TILE_SIZE = pillow_heif.options.GRID_TILE_SIZE, 512
        try:
            stored.save(out, "HEIF", quality=80, exif=exif.tobytes(), enc_params={"preset": "ultrafast"})
        finally:
            pillow_heif.options.GRID_TILE_SIZE = old
    else:
        stored.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()
