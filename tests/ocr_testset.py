"""Generated paper lab reports for the OCR and lab-report tests and the benchmark (nothing is committed).

Layouts, each drawn with Pillow from the shipped lab test catalogue with random values:
- ``table``: a classic table (Test | Result | Flag | Units | Reference Range), DejaVu Sans;
- ``leaders``: a narrative list "Glucose, fasting ........ 104 mg/dL (70-99) H", DejaVu Serif;
- ``hospital``: a monospaced hospital print-out with a header block, a date line and panel headings
  (a urinalysis panel with word results included), DejaVu Sans Mono;
- ``photo``: the table layout photographed: slightly rotated, blurred, uneven light, sensor noise, JPEG.

Every page knows what it printed (``expected``), so the tests can measure how much was read back.
"""

from __future__ import annotations

import functools
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from medrecords_desktop.importers.labreport import LabTest, catalogue

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
LAYOUTS = ("table", "leaders", "hospital", "photo")
HARD_LAYOUTS = ("photo-hard",)  # the benchmark's harder photo (not in the test suite)
WIDTH = 1275  # US letter at 150 dpi
SCALE = 1.0


@dataclass
class Expected:
    name: str  # as printed
    loinc: str
    value: float | None
    value_text: str | None
    unit: str | None


@dataclass
class Page:
    layout: str
    image: bytes  # PNG (JPEG for the photo)
    mime: str
    lines: list[str]  # the same report as plain text lines (for text-layer PDFs)
    expected: list[Expected] = field(default_factory=list)
    date: str = ""
    words: list[str] = field(default_factory=list)  # distinctive words a search must find


def font_path(style: str) -> Path | None:
    names = {
        "sans": "DejaVuSans.ttf",
        "serif": "DejaVuSerif.ttf",
        "mono": "DejaVuSansMono.ttf",
        "sans-bold": "DejaVuSans-Bold.ttf",
        "mono-bold": "DejaVuSansMono-Bold.ttf",
    }
    for d in FONT_DIRS:
        p = d / names[style]
        if p.exists():
            return p
    return None


def fonts_available() -> bool:
    return all(font_path(s) for s in ("sans", "serif", "mono"))


def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    p = font_path(style) or font_path(style.split("-")[0])
    assert p is not None, f"DejaVu {style} font missing (Debian package fonts-dejavu)"
    return ImageFont.truetype(str(p), size)


def _unique_aliases() -> dict[str, list[str]]:
    """Per test, the printed names that point at that test alone (so a reader could know)."""
    from medrecords_desktop.importers.labreport.names import _key

    owners: dict[str, set[str]] = {}
    for t in catalogue():
        for a in (t.name, *t.synonyms):
            owners.setdefault(_key(a), set()).add(t.loinc)
    out: dict[str, list[str]] = {}
    for t in catalogue():
        out[t.loinc] = [a for a in (t.name, *t.synonyms) if len(owners[_key(a)]) == 1 and len(a) >= 3]
    return out


def _value(t: LabTest, rng: random.Random) -> tuple[float | None, str, str]:
    """(number, printed value, flag)."""
    if t.kind == "text":
        word = rng.choice(["Negative", "Negative", "Trace", "Positive"])
        return None, word, "" if word == "Negative" else "A"
    lo, hi = t.low, t.high
    if lo is None and hi is None:
        lo, hi = 80.0, 140.0
    a = lo * 0.75 if lo is not None else (hi or 1) * 0.3
    b = hi * 1.3 if hi is not None else (lo or 1) * 2.2
    if t.loinc == "98979-8" and rng.random() < 0.4:
        return None, ">60", ""
    x = round(rng.uniform(a, b), t.decimals)
    shown = f"{x:.{t.decimals}f}"
    x = float(shown)
    flag = "H" if hi is not None and x > hi else "L" if lo is not None and x < lo else ""
    return x, shown, flag


def _range(t: LabTest) -> str:
    if t.kind == "text":
        return t.normal or "Negative"
    fmt = f"{{:.{t.decimals}f}}"
    if t.low is not None and t.high is not None:
        return f"{fmt.format(t.low)}-{fmt.format(t.high)}"
    if t.high is not None:
        return f"<{fmt.format(t.high)}"
    if t.low is not None:
        return f">{fmt.format(t.low)}"
    return ""


def _pick_tests(rng: random.Random, n: int, urine: bool) -> list[LabTest]:
    pool = [t for t in catalogue() if (t.specimen == "urine") == urine and (urine or t.kind == "quantity")]
    return rng.sample(pool, min(n, len(pool)))


def _rows(rng: random.Random, tests: list[LabTest]) -> list[tuple[LabTest, str, str, str, str, Expected]]:
    aliases = _unique_aliases()
    out = []
    for t in tests:
        names = aliases[t.loinc] or [t.name]
        printed = t.name if rng.random() < 0.6 else rng.choice(names)
        num, shown, flag = _value(t, rng)
        unit = t.units[0] if t.units else ""
        exp = Expected(printed, t.loinc, num, None if num is not None else shown, unit or None)
        out.append((t, printed, shown, flag, unit, exp))
    return out


_PATIENTS = ("Jordan Quill", "Avery Lindqvist", "Morgan Okafor", "Riley Santangelo")
_LABS = ("Riverside Clinical Laboratory", "Northgate Diagnostics", "Harbor Valley Lab Services")


def _date(rng: random.Random) -> tuple[str, str, str]:
    y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    hh, mi = rng.randint(6, 11), rng.choice((5, 15, 20, 42, 50))
    iso = f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}"
    mon = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")[m - 1]
    return iso, f"{m:02d}/{d:02d}/{y} {hh:02d}:{mi:02d}", f"{d:02d}-{mon}-{y} {hh:02d}:{mi:02d}"


def _canvas(height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("L", (WIDTH, height), 255)
    return im, ImageDraw.Draw(im)


def _table(rng: random.Random, photo: bool = False, hard: bool = False) -> Page:
    iso, us, _ = _date(rng)
    rows = _rows(rng, _pick_tests(rng, rng.randint(11, 14), urine=False))
    lab, patient = rng.choice(_LABS), rng.choice(_PATIENTS)
    lines_txt = [
        lab,
        f"Patient: {patient}   DOB: 02/11/1961",
        f"Collected: {us}   Reported: {us[:10]}",
        "Test  Result  Flag  Units  Reference Range",
    ]
    line_h = 40
    im, d = _canvas(300 + line_h * len(rows) + 80)
    big, f, fb = _font("sans-bold", 30), _font("sans", 22), _font("sans-bold", 22)
    d.text((70, 50), lab, font=big, fill=0)
    d.text((70, 110), f"Patient: {patient}      DOB: 02/11/1961", font=f, fill=0)
    d.text((70, 145), f"Collected: {us}      Reported: {us[:10]}", font=f, fill=0)
    cols = (70, 520, 680, 760, 960)
    y = 210
    for x, h in zip(cols, ("Test", "Result", "Flag", "Units", "Reference Range"), strict=True):
        d.text((x, y), h, font=fb, fill=0)
    d.line((70, y + 34, WIDTH - 70, y + 34), fill=0, width=2)
    y += 50
    for _t, printed, shown, flag, unit, _e in rows:
        for x, cell in zip(cols, (printed, shown, flag, unit, _range(_t)), strict=True):
            if cell:
                d.text((x, y), cell, font=f, fill=0)
        lines_txt.append(f"{printed}  {shown}  {flag}  {unit}  {_range(_t)}")
        y += line_h
    if photo:
        return _photograph(im, rng, rows, lines_txt, iso, patient, lab, hard)
    return Page(
        "table", _png(im), "image/png", lines_txt, [r[5] for r in rows], iso, [*patient.split(), lab.split()[0]]
    )


def _leaders(rng: random.Random) -> Page:
    iso, us, _ = _date(rng)
    rows = _rows(rng, _pick_tests(rng, rng.randint(11, 14), urine=False))
    lab, patient = rng.choice(_LABS), rng.choice(_PATIENTS)
    im, d = _canvas(280 + 42 * len(rows) + 60)
    big, f = _font("serif", 30), _font("serif", 22)
    d.text((80, 50), f"{lab} — Results Summary", font=big, fill=0)
    d.text((80, 110), f"Name: {patient}", font=f, fill=0)
    d.text((80, 145), f"Specimen collected {us}", font=f, fill=0)
    lines_txt = [f"{lab} - Results Summary", f"Name: {patient}", f"Specimen collected {us}"]
    y = 220
    dot_w = d.textlength(".", font=f)
    for t, printed, shown, flag, unit, _e in rows:
        d.text((80, y), printed, font=f, fill=0)
        start = 80 + d.textlength(printed, font=f) + 10
        n = int((590 - start) / dot_w)
        d.text((start, y), "." * max(n, 3), font=f, fill=0)
        rng_txt = _range(t)
        tail = f"{shown} {unit}".strip() + (f"  ({rng_txt})" if rng_txt else "")
        tail += f"  {flag}" if flag else ""
        d.text((630, y), tail, font=f, fill=0)
        lines_txt.append(f"{printed} .......... {tail}")
        y += 42
    return Page("leaders", _png(im), "image/png", lines_txt, [r[5] for r in rows], iso, [*patient.split(), "Summary"])


def _hospital(rng: random.Random) -> Page:
    iso, _, dmy = _date(rng)
    chem = _rows(rng, _pick_tests(rng, rng.randint(6, 8), urine=False))
    ua = _rows(rng, _pick_tests(rng, 4, urine=True))
    patient = rng.choice(_PATIENTS)
    blocks = [("CHEMISTRY / HEMATOLOGY", chem), ("URINALYSIS", ua)]
    n_lines = 7 + sum(len(r) + 2 for _, r in blocks)
    im, d = _canvas(120 + 34 * n_lines + 60)
    f, fb = _font("mono", 21), _font("mono-bold", 21)
    text: list[tuple[str, bool]] = [
        ("ST. BRIGID GENERAL HOSPITAL - LABORATORY MEDICINE", True),
        (f"PATIENT: {patient.upper():28} MRN: 00{rng.randint(100000, 999999)}", False),
        ("DOB: 1961-02-11   SEX: F   LOCATION: OUTPATIENT", False),
        (f"COLLECTED: {dmy}   RECEIVED: {dmy[:11]}", False),
        ("-" * 72, False),
        (f"{'TEST':28}{'RESULT':>9}  {'FLAG':4} {'UNITS':13} REF RANGE", True),
    ]
    for heading, rows in blocks:
        text.append(("", False))
        text.append((heading, True))
        for t, printed, shown, flag, unit, _e in rows:
            text.append((f"{printed[:27]:28}{shown:>9}  {flag:4} {unit:13} {_range(t)}", False))
    y = 60
    for line, bold in text:
        if line:
            d.text((60, y), line, font=fb if bold else f, fill=0)
        y += 34
    expected = [r[5] for _, rows in blocks for r in rows]
    for e in expected:
        e.name = e.name[:27]
    return Page(
        "hospital",
        _png(im),
        "image/png",
        [ln for ln, _ in text],
        expected,
        iso,
        [patient.split()[-1].upper(), "BRIGID"],
    )


def _photograph(
    im: Image.Image,
    rng: random.Random,
    rows: list,
    lines_txt: list[str],
    iso: str,
    patient: str,
    lab: str,
    hard: bool = False,
) -> Page:
    """The page as a phone sees it: askew, soft, unevenly lit, noisy, JPEG-compressed.  ``hard``: from
    further away (70% of the pixels), more blur, a trapezoid from holding the phone at an angle."""
    import numpy as np

    page = im.convert("RGB")
    if hard:
        w, h = page.size
        page = page.resize((int(w * 0.7), int(h * 0.7)), Image.Resampling.LANCZOS)
        w, h = page.size
        d = int(w * 0.03)
        # Top edge narrower than the bottom: the phone tilted back.
        page = page.transform(
            (w, h),
            Image.Transform.QUAD,
            (-d, 0, 0, h, w, h, w + d, 0),
            resample=Image.Resampling.BICUBIC,
            fillcolor=(96, 90, 80),
        )
    bg = Image.new("RGB", (page.width + 120, page.height + 120), (96, 90, 80))
    bg.paste(page, (60, 60))
    bg = bg.rotate(
        rng.uniform(1.0, 2.0) * rng.choice((-1, 1)), resample=Image.Resampling.BICUBIC, fillcolor=(96, 90, 80)
    )
    bg = bg.filter(ImageFilter.GaussianBlur(1.3 if hard else 0.9))
    arr = np.asarray(bg).astype(np.float32)
    h, w = arr.shape[:2]
    light = np.linspace(1.0, 0.78, w)[None, :, None] * np.linspace(1.0, 0.9, h)[:, None, None]
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 7, arr.shape)
    arr = np.clip(arr * light + noise, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(arr).save(out, "JPEG", quality=65 if hard else 78)
    return Page(
        "photo-hard" if hard else "photo",
        out.getvalue(),
        "image/jpeg",
        lines_txt,
        [r[5] for r in rows],
        iso,
        [*patient.split()],
    )


def _png(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, "PNG", optimize=True)
    return out.getvalue()


def generate(seed: int = 12, layouts: tuple[str, ...] = LAYOUTS) -> list[Page]:
    """One page per layout (call again with another seed for more)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    makers = {
        "table": _table,
        "leaders": _leaders,
        "hospital": _hospital,
        "photo": lambda r: _table(r, photo=True),
        "photo-hard": lambda r: _table(r, photo=True, hard=True),
    }
    return [makers[name](rng) for name in layouts]


def text_pdf(lines: list[str]) -> bytes:
    """A PDF with a real text layer (as a portal would give), made with reportlab in memory."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    y = 740
    c.setFont("Helvetica", 10)
    for line in lines:
        c.drawString(50, y, line)
        y -= 16
    c.showPage()
    c.save()
    return out.getvalue()


def score(pages: list[Page], proposals: list[list]) -> tuple[int, int, list[str]]:
    """(right, total, misses): a printed result is right when a proposed row has its LOINC, value and unit."""
    right = total = 0
    misses: list[str] = []
    for page, rows in zip(pages, proposals, strict=True):
        for e in page.expected:
            total += 1
            ok = False
            for r in rows:
                if r.loinc != e.loinc or (r.unit or None) != e.unit:
                    continue
                if e.value is not None and r.value is not None and abs(r.value - e.value) < 1e-9:
                    ok = r.value_text is None
                elif e.value is None and (r.value_text or "").casefold() == (e.value_text or "").casefold():
                    ok = True
                if ok:
                    break
            if ok:
                right += 1
            else:
                misses.append(
                    f"{page.layout}: {e.name} {e.value if e.value is not None else e.value_text} "
                    f"{e.unit or ''} ({e.loinc})"
                )
    return right, total, misses


@functools.cache
def recognised_set(seed: int = 12) -> tuple[tuple[Page, ...], tuple]:
    """The generated pages and each page recognised once per test session (the slow part)."""
    from medrecords_desktop.ocr.engine import recognise

    pages = tuple(generate(seed))
    return pages, tuple(recognise(p.image) for p in pages)
