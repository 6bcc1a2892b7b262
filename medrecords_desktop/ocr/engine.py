"""Text recognition on this computer: RapidOCR (PP-OCR models run by ONNX Runtime).

Why this engine: the ``rapidocr`` wheel ships its detection, direction and recognition models inside
the package, so nothing is downloaded at run time (the models are passed by path below, which skips
the library's own download-or-verify step altogether).  ``rapidocr-onnxruntime``, the older package
name, stops at 1.2.3 (2023) on Python 3.13; newer releases of it require Python < 3.13.

Privacy: images go to the engine as numpy arrays in memory; no temp file is written, and nothing
recognised is logged (the library's own logger is turned down to errors, which carry no page text).
The engine is built once per process, lazily, under a lock; recognition itself is serialised as well,
because ONNX Runtime already spreads one page over the cores it is given.
"""

from __future__ import annotations

import io
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter, ImageOps

from ..errors import Cancelled, MedRecordsError
from ..progress import CancelToken  # the core's one token (kept importable from here)

# ONNX Runtime (1.2x+ on Linux too) ships Microsoft's 1DS telemetry: on first use it writes a device id
# and an event queue under ~/.cache/Microsoft and ~/.ses, to upload when online.  A health records app
# that promises to work offline sends nothing: switched off before onnxruntime is first imported.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

MAX_OCR_PAGES = 50  # pages of one file recognised on import (about 3 s each on two cores)
PDF_RENDER_DPI = 200  # enough for 8 pt print; more only costs time
MAX_SIDE = 4000  # longest side of a PDF page rendered for recognition
# A photo's longer side is brought down to this before anything else: the engine itself reduces every
# picture to 2000 px (its Global.max_side_len), so decoding more only costs time and memory.  A 12 MP
# JPEG is decoded straight at half size by the decoder's DCT scaling (Pillow's draft mode).
OCR_SIDE = 2000
# The text detector looks at the page at most this large (its input was up to 2000 x 1500 px before):
# detection time and memory grow with the pixels (1280 px: 480 MB peak for a phone photo, 1024 px:
# 370 MB), and 1024 px still finds 8 pt print on a photographed letter
# page.  Recognition still reads each found line from the OCR_SIDE picture.
DET_SIDE = 1024
# The detector's memory grows with its input (a phone photo at 1024 x 768 px peaked at 400 MB): a page
# whose detector input would be larger is read in overlapping horizontal strips of at most this many
# pixels each (at 420k a 12 MP photo still peaked at 413 MB).
DET_PIXELS = 300_000
STRIP_OVERLAP = 64  # px of the OCR_SIDE picture shared by neighbouring strips (more than a line's height)
# Recognised lines per batch (engine default 6): a batch is as wide as its widest line, and six wide
# lines of a photographed page took 140 MB more than the detector; two take less, and no longer.
REC_BATCH = 2
# Lines read with less confidence than this are dropped by the engine (its default 0.5 dropped short
# names followed by dot leaders on photos, "HDL ........"); the reader judges what it gets.
TEXT_SCORE = 0.3
# A detected box is kept when its mean text probability reaches this (engine default 0.5): on a soft
# photo a short name followed by a dot leader ("HDL ..........") averages below 0.5 and was lost whole.
BOX_THRESH = 0.35
_lock = threading.Lock()  # guards building the engine and running it
_engine: Any = None


class OcrUnavailable(MedRecordsError):
    """The recognition engine cannot be loaded (package missing or damaged)."""


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in page pixels (axis-aligned hull)
    confidence: float
    angle: float = 0.0  # slope of the text line in degrees (a photo held slightly askew)


@dataclass
class OcrPage:
    lines: list[OcrLine] = field(default_factory=list)
    width: int = 0
    height: int = 0
    seconds: float = 0.0
    rotation: int = 0  # degrees the page was turned (counter-clockwise) before it read right
    det_seconds: float = 0.0  # of ``seconds``: finding the text boxes
    rec_seconds: float = 0.0  # of ``seconds``: reading them (the missed-ink pass not included)
    det_cpu: float = 0.0  # the same two steps in CPU time of this process
    rec_cpu: float = 0.0

    @property
    def skew(self) -> float:
        """Median slope of the longer lines, in degrees (0 for a straight scan)."""
        angles = sorted(ln.angle for ln in self.lines if ln.box[2] - ln.box[0] > 3 * (ln.box[3] - ln.box[1]))
        return angles[len(angles) // 2] if angles else 0.0

    def rows(self) -> list[list[OcrLine]]:
        """Lines grouped into visual rows (top to bottom), each row ordered left to right."""
        return group_rows(self.lines, self.skew)

    def text(self) -> str:
        """The page's text in reading order: one row per line, cells joined by two spaces."""
        return "\n".join("  ".join(ln.text for ln in row) for row in self.rows())

    def mean_confidence(self) -> float:
        return sum(ln.confidence for ln in self.lines) / len(self.lines) if self.lines else 0.0


def group_rows(lines: list[OcrLine], skew: float = 0.0) -> list[list[OcrLine]]:
    """Group boxes into visual rows (top to bottom), each row ordered left to right.

    Boxes are taken left to right and each joins the row whose last box it continues: its centre lies
    where that row's slope (the angle of the row's longest box, else the page's skew) points.  Following
    each row's own slope keeps a row whole on a photo taken at an angle, where the slope differs from
    the top of the page to the bottom and a flag far right drifts by more than half a line."""
    if not lines:
        return []
    page_slope = math.tan(math.radians(skew))
    sin = abs(math.sin(math.radians(skew)))
    # Height of one line of text: the axis-aligned box of a sloping line is taller than its text.
    heights = sorted(max(1.0, (ln.box[3] - ln.box[1]) - abs(ln.box[2] - ln.box[0]) * sin) for ln in lines)
    h = heights[len(heights) // 2]
    tol = 0.5 * h

    def centre(ln: OcrLine) -> tuple[float, float]:
        return (ln.box[0] + ln.box[2]) / 2, (ln.box[1] + ln.box[3]) / 2

    def own_slope(ln: OcrLine) -> float | None:
        w = ln.box[2] - ln.box[0]
        return math.tan(math.radians(ln.angle)) if w > 4 * h and abs(ln.angle) < 15 else None

    rows: list[dict[str, Any]] = []
    for ln in sorted(lines, key=lambda ln: ln.box[0]):
        cx, cy = centre(ln)
        best: tuple[float, dict[str, Any]] | None = None
        for row in rows:
            if row["right"] > ln.box[0] + h:
                continue  # overlaps the row's last box: a box of another row
            lx, ly = row["last"]
            d = abs(cy - (ly + row["slope"] * (cx - lx)))
            if d <= tol and (best is None or d < best[0]):
                best = (d, row)
        mine = own_slope(ln)
        if best is None:
            rows.append(
                {
                    "lines": [ln],
                    "last": (cx, cy),
                    "right": ln.box[2],
                    "slope": page_slope if mine is None else mine,
                    "width": ln.box[2] - ln.box[0] if mine is not None else 0.0,
                }
            )
            continue
        row = best[1]
        row["lines"].append(ln)
        row["last"] = (cx, cy)
        row["right"] = max(row["right"], ln.box[2])
        if mine is not None and ln.box[2] - ln.box[0] > row["width"]:
            row["slope"], row["width"] = mine, ln.box[2] - ln.box[0]
    a = math.radians(skew)

    def level(row: dict[str, Any]) -> float:
        x, y = centre(row["lines"][0])
        return -x * math.sin(a) + y * math.cos(a)

    return [r["lines"] for r in sorted(rows, key=level)]


def _model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


# The models inside the rapidocr wheel (3.10): passing their paths skips its download-or-verify step.
_MODELS = {
    "Det.model_path": ("PP-OCRv6_det_small.onnx", "det"),
    "Rec.model_path": ("PP-OCRv6_rec_small.onnx", "rec"),
}


def engine() -> Any:
    """The shared RapidOCR instance (built on first use)."""
    global _engine
    if _engine is not None:
        return _engine
    with _lock:
        if _engine is None:
            _engine = _build()
    return _engine


def _build() -> Any:
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:  # pragma: no cover - the dependency is declared; a broken install
        raise OcrUnavailable(f"Text recognition is not installed ({exc}).") from None
    models = _model_dir()
    # No per-line direction classifier: on upright pages it turns short words upside down ("ug/dL" read
    # as "7p/6n", "PTT" as "Fd").  Pages come upright (scanners) or with an EXIF turn (phones).
    # Threads: one core is left to the window (and to the import's own work); more than four gain little
    # on pages this size.  On a busy two-core machine one thread was also the fastest (3.2 s vs 4.4 s).
    threads = max(1, min(4, (os.cpu_count() or 2) - 1))
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.use_cls": False,
        "Global.text_score": TEXT_SCORE,
        "Det.box_thresh": BOX_THRESH,
        "Rec.rec_batch_num": REC_BATCH,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "Global.max_side_len": OCR_SIDE,
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
    }
    for key, (name, part) in _MODELS.items():
        path = models / name
        if not path.is_file():
            # Another rapidocr release ships other file names: take the one model of that part it has.
            found = sorted(models.glob(f"*{part}*.onnx"))
            if len(found) != 1:
                raise OcrUnavailable(f"Text recognition model {name} is missing from the installation.")
            path = found[0]
        params[key] = str(path)
    # The library logs file paths and timings at INFO; page text never, but keep the console quiet.
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    try:
        return RapidOCR(params=params)
    except Exception as exc:  # noqa: BLE001 - any failure to load models means "unavailable"
        raise OcrUnavailable(f"Text recognition could not start ({type(exc).__name__}: {exc}).") from None


_ORIENTATION = 0x0112


def draft(im: Image.Image, side: int = OCR_SIDE) -> None:
    """Before decoding: ask the JPEG decoder for the smallest DCT scale (1/2, 1/4, 1/8) that still
    gives ``side`` px on the longer side (a 12 MP photo decodes at 3 MP, in a quarter of the memory)."""
    if im.format in ("JPEG", "MPO") and max(im.size) > side:
        scale = side / max(im.size)
        im.draft("RGB", (math.ceil(im.width * scale), math.ceil(im.height * scale)))


def exif_turned(im: Image.Image) -> bool:
    """True when the file says how it is to be turned (a phone's orientation sensor wrote a tag)."""
    try:
        return _ORIENTATION in im.getexif()
    except Exception:  # noqa: BLE001 - damaged EXIF: as if there were none
        return False


# A black-and-white page (a fax, a scanner's 1-bit mode) is softened by this Gaussian radius, in the
# page's own pixels, before anything else: the models were trained on grey-level print, and shrinking a
# 1-bit page for the detector drops thin strokes, so a lone flag ("H") or a ">" vanished.
BILEVEL_BLUR = 0.6


def _bilevel(im: Image.Image) -> bool:
    if im.mode == "1":
        return True
    if im.mode != "L":
        return False
    hist = im.histogram()
    return sum(1 for v in hist if v) <= 2  # a 1-bit page stored as grey


def _to_array(im: Image.Image) -> Any:
    import numpy as np

    if _bilevel(im):
        # Grey first (Pillow shrinks a 1-bit picture by dropping pixels), then softened to print's grey.
        im = im.convert("L").filter(ImageFilter.GaussianBlur(BILEVEL_BLUR))
    if max(im.size) > OCR_SIDE:
        # Shrunk before turning and converting, so neither copies the full-size picture.
        scale = OCR_SIDE / max(im.size)
        im = im.resize(
            (max(1, round(im.width * scale)), max(1, round(im.height * scale))),
            Image.Resampling.BILINEAR,
            reducing_gap=2.0,
        )
    im = ImageOps.exif_transpose(im) or im  # phones store portrait photos sideways plus a tag
    if im.mode != "RGB":
        im = im.convert("RGB")
    arr = np.asarray(im)
    return np.ascontiguousarray(arr[:, :, ::-1])  # RapidOCR takes OpenCV's BGR order for arrays


# A page read upside down still gives boxes, but its words come out as guesses of lower confidence
# (0.77 against 0.99 on the test reports); a page lying on its side gives boxes taller than wide.
# Either way the page is read again turned, and the reading with the higher confidence is kept.
TRY_TURNED_BELOW = 0.9  # mean confidence under which an upright-looking page is also read upside down
TURN_MARGIN = 0.03  # a page read upside down must be this much surer to replace the first reading
SIDEWAYS_SLACK = 0.1  # an upright reading of a sideways page may be this much less sure and still win


def recognise_image(im: Image.Image) -> OcrPage:
    """Recognise one decoded page (a Pillow image), turning it when it was scanned upside down or
    sideways (``OcrPage.rotation`` says by how much; boxes are in the turned page's pixels)."""
    return _recognise_prepared(_to_array(im), exif_turned(im))


def recognise_decoded(im: Image.Image) -> OcrPage:
    """Recognise a page the caller has already decoded (the image importer's own check decodes a
    photo once, at the size recognition reads); the picture is closed as soon as it is prepared."""
    return _recognise_prepared(*_prepared(im))


def _prepared(im: Image.Image) -> tuple[Any, bool]:
    """The page as the engine's array, and whether EXIF said how to turn it; the decoded picture is
    released at once (a 12 MP HEIC is 36 MB that recognition does not need any more)."""
    got = _to_array(im), exif_turned(im)
    im.close()
    return got


def _recognise_prepared(arr: Any, told: bool) -> OcrPage:
    import numpy as np

    page = _recognise_array(arr)
    if not page.lines:
        return page
    sideways = _sideways(page)
    if not sideways and (told or page.mean_confidence() >= TRY_TURNED_BELOW):
        # The phone's own sensor said which way is up: a blurry photo's low confidence is no reason
        # to read the whole page again upside down (that doubled the time of a photo).
        return page
    readings = []
    for k in (1, 3) if sideways else (2,):  # a quarter turn either way, or a half turn
        turned = _recognise_array(np.ascontiguousarray(np.rot90(arr, k)))
        turned.rotation = 90 * k
        readings.append(turned)
    best = max(readings, key=_quality)
    # A sideways reading can be confident (the engine turns tall words) but its rows are the page's
    # columns: an upright reading wins unless it is clearly worse.  Upside down, it must be surer.
    if sideways:
        wins = _quality(best) >= _quality(page) - SIDEWAYS_SLACK
    else:
        wins = _quality(best) > _quality(page) + TURN_MARGIN
    chosen = best if wins else page
    chosen.seconds = page.seconds + sum(r.seconds for r in readings)
    return chosen


def _sideways(page: OcrPage) -> bool:
    words = [ln for ln in page.lines if len(ln.text) >= 3]
    tall = sum(1 for ln in words if ln.box[3] - ln.box[1] > ln.box[2] - ln.box[0])
    return bool(words) and tall > len(words) / 2


def _quality(page: OcrPage) -> float:
    """Mean confidence per recognised character (long lines count for more than stray marks)."""
    chars = sum(len(ln.text) for ln in page.lines)
    return sum(ln.confidence * len(ln.text) for ln in page.lines) / chars if chars else 0.0


def _strips(h: int, w: int) -> list[tuple[int, int, int, int]]:
    """Horizontal strips (top, bottom, own_top, own_bottom) the page is read in, so that the detector
    never holds more than DET_PIXELS at once; neighbours overlap so a line cut by one is whole in the
    other, and a line belongs to the strip that holds its centre."""
    scale = min(1.0, DET_SIDE / max(h, w))
    n = max(1, math.ceil(h * scale * w * scale / DET_PIXELS))
    if n == 1:
        return [(0, h, 0, h)]
    step = math.ceil(h / n)
    overlap = max(STRIP_OVERLAP, h // 40)
    return [
        (max(0, k * step - overlap), min(h, (k + 1) * step + overlap), k * step, min(h, (k + 1) * step))
        for k in range(n)
    ]


def _recognise_array(arr: Any) -> OcrPage:
    """Detect text in strips and recognise every box once, on the whole page's pixels.  (Reading each
    strip whole recognised the lines in the strips' overlaps twice.)  Detection and recognition run
    one after the other: run at once on two threads, a 12 MP photo's import peaked at 490-520 MB."""
    import numpy as np

    h, w = arr.shape[:2]
    ocr = engine()
    strips = _strips(h, w)
    det = getattr(ocr, "_load_det_model", None)
    if len(strips) > 1 and det is None:
        strips = [(0, h, 0, h)]  # another engine release: one pass
    page = OcrPage(width=w, height=h)
    start, cpu = time.perf_counter(), time.process_time()
    quads: list[Any] = []
    with _lock:
        for top, bottom, own_top, own_bottom in strips:
            part = arr if len(strips) == 1 else np.ascontiguousarray(arr[top:bottom])
            found = _detect(
                ocr, part, det() if det is not None and len(strips) > 1 else None, min(1.0, DET_SIDE / max(h, w))
            )
            for quad in found:
                q = np.array(quad, dtype=np.float32).reshape(4, 2)
                q[:, 1] += top
                if own_top <= (q[:, 1].min() + q[:, 1].max()) / 2 < own_bottom:
                    quads.append(q)  # else read whole by the neighbouring strip
        page.det_seconds, page.det_cpu = time.perf_counter() - start, time.process_time() - cpu
        if quads:
            quads.sort(key=lambda q: (float(q[:, 1].min()), float(q[:, 0].min())))
            for quad, (text, score) in zip(quads, _read_boxes(ocr, arr, quads), strict=False):
                _add_line(page, quad, text, score)
        page.rec_seconds = time.perf_counter() - start - page.det_seconds
        page.rec_cpu = time.process_time() - cpu - page.det_cpu
        page.lines += _missed_ink(arr, page.lines)
    page.seconds = time.perf_counter() - start
    return page


def _read_boxes(ocr: Any, arr: Any, quads: list[Any]) -> list[tuple[str, float]]:
    rec = ocr.recognize_txt(ocr.crop_text_regions(arr, quads))
    return [(str(t), float(s)) for t, s in zip(rec.txts or (), rec.scores or (), strict=False)]


def _detect(ocr: Any, part: Any, detector: Any, scale: float) -> list[Any]:
    """The text boxes (quadrilaterals, in ``part``'s pixels) the detector finds; a strip is seen at the
    scale the whole page would have been seen at."""
    old = None
    if detector is not None:
        old = detector.limit_side_len
        detector.limit_side_len = max(32, round(scale * max(part.shape[:2])))
    try:
        out = ocr(part, use_rec=False)
    finally:
        ocr.update_params(use_rec=True)
        if detector is not None:
            detector.limit_side_len = old
    boxes = getattr(out, "boxes", None)
    return [] if boxes is None else list(boxes)


def _add_line(page: OcrPage, quad: Any, text: str, score: float) -> None:
    text = text.strip()
    if not text or score < TEXT_SCORE:
        return
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    (x0, y0), (x1, y1) = (float(quad[0][0]), float(quad[0][1])), (float(quad[1][0]), float(quad[1][1]))
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0)) if x1 != x0 else 0.0
    page.lines.append(OcrLine(text, (min(xs), min(ys), max(xs), max(ys)), score, angle))


# Ink no detected box covers, on a row of text: the detector, which sees the page at about half size,
# drops a lone short mark (a unit "s", a flag "H" or "*", a ">"), most of all on faxes and thin or narrow
# typefaces.  Such marks are found by their geometry and read by the line recogniser on their own.
MISSED_MIN_H = 0.45  # a mark's height, in text-line heights: smaller is a speck, a dot or a rule's edge
MISSED_MAX_H = 1.5  # larger is a logo, a frame or a picture
MISSED_MAX_W = 4.0  # wider (in line heights) is a rule or a run of text the detector would have found
MISSED_GAP = 0.6  # marks closer than this (in line heights) are one word
MISSED_CLEAR = 0.5  # a word this close to a detected box on its row is the box's own cut-off end
MISSED_SCORE = 0.6  # recognition confidence a recovered mark needs
MISSED_MAX = 40  # at most this many recovered words per page (a noisy photo must not cost seconds)


def _missed_ink(arr: Any, lines: list[OcrLine]) -> list[OcrLine]:
    import cv2
    import numpy as np

    if not lines:
        return []
    heights = sorted(ln.box[3] - ln.box[1] for ln in lines if ln.box[2] - ln.box[0] > ln.box[3] - ln.box[1])
    if not heights:
        return []
    h = heights[len(heights) // 2]
    grey = cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY)
    block = max(15, int(2 * h) | 1)
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 25)
    pad = max(1, round(0.1 * h))
    H, W = ink.shape
    for ln in lines:
        x0, y0, x1, y1 = (int(v) for v in ln.box)
        ink[max(0, y0 - pad) : min(H, y1 + pad), max(0, x0 - pad) : min(W, x1 + pad)] = 0
    n, _lab, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = []
    for k in range(1, n):
        x, y, w, hh, area = (int(v) for v in stats[k])
        if MISSED_MIN_H * h <= hh <= MISSED_MAX_H * h and w <= MISSED_MAX_W * h and area >= 0.06 * h * h:
            marks.append([x, y, x + w, y + hh])
        elif 0.15 * h <= hh < MISSED_MIN_H * h and w <= MISSED_MAX_W * h and area >= 0.02 * h * h:
            marks.append([x, y, x + w, y + hh, 0])  # a small mark ('-', '.', ','): joins a word, never one alone
    marks.sort()
    words: list[list[int]] = []
    for m in marks:
        for wd in words:
            cy, wcy = (m[1] + m[3]) / 2, (wd[1] + wd[3]) / 2
            if m[0] - wd[2] <= MISSED_GAP * h and abs(cy - wcy) <= 0.6 * h:
                wd[0], wd[1], wd[2], wd[3] = min(wd[0], m[0]), min(wd[1], m[1]), max(wd[2], m[2]), max(wd[3], m[3])
                wd[4] = wd[4] or (len(m) == 4)
                break
        else:
            words.append([m[0], m[1], m[2], m[3], len(m) == 4])
    keep = []
    for x0, y0, x1, y1, tall in words:
        if not tall or not MISSED_MIN_H * h <= y1 - y0 <= MISSED_MAX_H * h:
            continue
        cy = (y0 + y1) / 2
        row = [ln for ln in lines if ln.box[1] <= cy <= ln.box[3]]
        if not row:
            continue  # not on a row of text: a stamp, a signature, noise
        if any(ln.box[0] - MISSED_CLEAR * h <= x1 and x0 <= ln.box[2] + MISSED_CLEAR * h for ln in row):
            continue
        keep.append((x0, y0, x1, y1))
    if not keep or len(keep) > MISSED_MAX:
        return []
    pad = max(2, round(0.2 * h))
    crops = [
        np.ascontiguousarray(arr[max(0, y0 - pad) : min(H, y1 + pad), max(0, x0 - pad) : min(W, x1 + pad)])
        for x0, y0, x1, y1 in keep
    ]
    try:
        rec = engine().recognize_txt(crops)
    except Exception:  # noqa: BLE001 - another engine release, or nothing read: the page as detected
        return []
    out = []
    for (x0, y0, x1, y1), text, score in zip(keep, rec.txts or (), rec.scores or (), strict=False):
        text = str(text).strip()
        if text and float(score) >= MISSED_SCORE and any(ch.isalnum() or ch in "<>*%" for ch in text):
            out.append(OcrLine(text, (float(x0), float(y0), float(x1), float(y1)), float(score), 0.0))
    return out


def _open(data: bytes) -> Image.Image:
    from ..heif import heif_supported

    heif_supported()  # iPhone photos (HEIC) open through pillow-heif's registered opener
    return Image.open(io.BytesIO(data))


def recognise(image_bytes: bytes) -> OcrPage:
    """Recognise the first page of an image file given as bytes."""
    with _open(image_bytes) as im:
        draft(im)
        im.load()
        arr, told = _prepared(im)
    return _recognise_prepared(arr, told)


def _image_pages(data: bytes, limit: int) -> Iterator[tuple[Any, bool]]:
    with _open(data) as im:
        frames = int(getattr(im, "n_frames", 1) or 1)
        for index in range(min(frames, limit)):
            im.seek(index)
            if frames == 1:
                draft(im)
            im.load()
            yield _prepared(im if frames == 1 else im.copy())


def _pdf_pages(data: bytes, limit: int, dpi: int = PDF_RENDER_DPI) -> Iterator[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)  # bytes in memory: pdfium reads them, nothing is written
    try:
        for index in range(min(len(doc), limit)):
            page = doc[index]
            try:
                # A poster-sized page at 200 dpi would be a gigapixel bitmap: cap the longer side.
                longest = max(page.get_size()) or 1.0
                bitmap = page.render(scale=min(dpi / 72, MAX_SIDE / longest))
                yield bitmap.to_pil()
            finally:
                page.close()
    finally:
        doc.close()


def page_count(data: bytes, mime: str) -> int:
    if mime == "application/pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        try:
            return len(doc)
        finally:
            doc.close()
    with _open(data) as im:
        return int(getattr(im, "n_frames", 1) or 1)


def recognise_document(
    data: bytes,
    mime: str,
    max_pages: int = MAX_OCR_PAGES,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[OcrPage]:
    """Every page of an image file (multi-page TIFF included) or of a PDF rendered to pixels.

    ``progress(done, total)`` is called after each page; a set ``cancel`` token stops between pages
    (raising Cancelled): a long scanned PDF takes seconds per page."""
    total = min(page_count(data, mime), max_pages) if progress else 0
    pages: Iterator[Any] = _pdf_pages(data, max_pages) if mime == "application/pdf" else _image_pages(data, max_pages)
    out: list[OcrPage] = []
    for page in pages:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        out.append(recognise_image(page) if isinstance(page, Image.Image) else _recognise_prepared(*page))
        if progress:
            progress(len(out), total)
    return out
