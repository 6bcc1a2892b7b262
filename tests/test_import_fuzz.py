"""Hostile input: randomly damaged PDFs, images and CSV files give a result or ImportRejected, never
another exception (a traceback in front of the user)."""

from __future__ import annotations

import io
import random
import warnings
from collections.abc import Callable

import pikepdf
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.csvlabs import parse_lab_csv
from medrecords_desktop.importers.detect import detect_format
from medrecords_desktop.importers.image import heif_supported, parse_image
from medrecords_desktop.importers.pdf import parse_pdf, pdf_has_text_layer
from tests.conftest import FIXTURES

ROUNDS = 150


def _pdfs() -> list[bytes]:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Hemoglobin 13.5 g/dL")
    c.showPage()
    c.save()
    plain = buf.getvalue()
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return [plain, out.getvalue()]


def _images() -> list[bytes]:
    formats = ["PNG", "JPEG", "TIFF", "WEBP", "GIF"] + (["HEIF"] if heif_supported() else [])
    out = []
    for fmt in formats:
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), "red").save(buf, format=fmt)
        out.append(buf.getvalue())
    return out


def _csvs() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "csv").glob("*.csv"))]


def _mutate(rnd: random.Random, data: bytes) -> bytes:
    d = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        if not d:
            break
        i = rnd.randrange(len(d))
        k = rnd.random()
        if k < 0.5:
            d[i] = rnd.randrange(256)
        elif k < 0.75:
            del d[i : i + rnd.randint(1, 50)]
        else:
            d[i:i] = rnd.randbytes(rnd.randint(1, 20))
    return bytes(d)


CASES: list[tuple[str, Callable[[bytes, str], object], Callable[[], list[bytes]]]] = [
    ("pdf", parse_pdf, _pdfs),
    ("pdf-text-layer", lambda d, n: pdf_has_text_layer(d), _pdfs),
    ("image", parse_image, _images),
    ("csv", parse_lab_csv, _csvs),
    ("detect", detect_format, lambda: _pdfs() + _images() + _csvs()),
]


@pytest.mark.parametrize(("name", "parse", "seeds"), CASES, ids=[c[0] for c in CASES])
def test_damaged_input_never_escapes_as_a_bug(
    name: str, parse: Callable[[bytes, str], object], seeds: Callable[[], list[bytes]]
) -> None:
    rnd = random.Random(f"fuzz-{name}")  # noqa: S311 - reproducible damage, not a secret
    samples = seeds()
    outcomes = {"ok": 0, "rejected": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about odd TIFF tags; that is not the point here
        for _ in range(ROUNDS):
            data = _mutate(rnd, rnd.choice(samples))
            try:
                parse(data, "damaged.bin")
                outcomes["ok"] += 1
            except ImportRejected as exc:
                assert str(exc).startswith("damaged.bin")
                outcomes["rejected"] += 1
    assert outcomes["ok"] > 0  # damage is tolerated where the file is still usable...
    if name == "pdf":
        assert outcomes["ok"] > outcomes["rejected"]  # ...and damaged PDFs are mostly kept
