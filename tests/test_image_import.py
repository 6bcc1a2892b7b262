"""Image import on real images made with Pillow, including decompression bombs and damaged files."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zlib

import pytest
from PIL import Image

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.image import heif_supported, parse_image
from medrecords_desktop.model.records import Document

TAKEN = "2026:04:12 10:30:00"


def exif_bytes(taken: str = TAKEN) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    return exif.tobytes()


def make(fmt: str, size: tuple[int, int] = (160, 120), exif: bytes | None = None, **kw: object) -> bytes:
    # Noise, so that lossy formats have real entropy-coded data to cut short.
    im = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buf = io.BytesIO()
    if exif is not None:
        kw["exif"] = exif
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def only_document(parsed) -> Document:
    assert parsed.format == "image"
    assert len(parsed.items) == 1
    doc = parsed.items[0]
    assert isinstance(doc, Document)
    return doc


FORMATS = [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("TIFF", "image/tiff"), ("WEBP", "image/webp")]


@pytest.mark.parametrize(("fmt", "mime"), FORMATS)
def test_image_document_keeps_the_original_and_reads_exif_date(fmt: str, mime: str) -> None:
    data = make(fmt, exif=exif_bytes())
    parsed = parse_image(data, "scan." + fmt.lower(), doc_type="scan")
    doc = only_document(parsed)
    assert doc.content == data  # nothing stripped, EXIF included
    assert (doc.mime, doc.size, doc.sha256) == (mime, len(data), hashlib.sha256(data).hexdigest())
    assert (doc.date, doc.date_estimated) == ("2026-04-12T10:30:00", False)
    assert doc.title == "scan." + fmt.lower() and doc.doc_type == "scan" and doc.flags == []
    assert parsed.warnings == []
    assert doc.provenance.source_id == f"sha256:{doc.sha256}"


def test_heic_photo() -> None:
    if not heif_supported():
        pytest.skip("pillow-heif is not installed")
    data = make("HEIF", exif=exif_bytes())
    assert data[4:12] == b"ftypheic"
    doc = only_document(parse_image(data, "IMG_0001.HEIC"))
    assert (doc.mime, doc.date) == ("image/heic", "2026-04-12T10:30:00")


def test_without_exif_the_date_is_left_to_the_importer() -> None:
    doc = only_document(parse_image(make("PNG"), "a.png"))
    assert (doc.date, doc.date_estimated) == (None, True)
    doc = only_document(parse_image(make("JPEG", exif=exif_bytes("0000:00:00 00:00:00")), "a.jpg"))
    assert doc.date is None
    data = make("PNG", exif=exif_bytes())
    doc = only_document(parse_image(data, "a.png", date="2026-01-02", title="Letter"))
    assert (doc.date, doc.date_estimated, doc.title) == ("2026-01-02", False, "Letter")


def test_multi_page_tiff() -> None:
    pages = [Image.new("L", (100, 140), shade) for shade in (0, 120, 240)]
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:])
    doc = only_document(parse_image(buf.getvalue(), "letter.tiff"))
    assert (doc.mime, doc.note) == ("image/tiff", "3 pages")


def _png_with_size(width: int, height: int) -> bytes:
    """A real small PNG whose IHDR is rewritten (with a valid CRC) to claim a huge size."""
    data = bytearray(make("PNG", size=(8, 8)))
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def test_decompression_bomb_made_by_pillow_is_rejected() -> None:
    # 10,000 x 9,000 one-bit pixels: 90 M pixels, above Pillow's 89.5 M limit, in about 10 KiB of PNG.
    buf = io.BytesIO()
    Image.new("1", (10_000, 9_000)).save(buf, format="PNG")
    assert len(buf.getvalue()) < 100_000
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ImportRejected) as exc:
        parse_image(buf.getvalue(), "bomb.png")
    assert exc.value.file == "bomb.png"
    assert "90,000,000 pixels exceeds" in exc.value.why


def test_header_claiming_billions_of_pixels_is_rejected_before_decoding() -> None:
    with pytest.raises(ImportRejected, match="pixel limit"):
        parse_image(_png_with_size(100_000, 100_000), "bomb.png")


def test_pixel_limit_follows_pillows_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    data = make("PNG", size=(100, 100))
    only_document(parse_image(data, "ok.png"))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5_000)
    with (
        pytest.warns(Image.DecompressionBombWarning),
        pytest.raises(ImportRejected, match="10,000 pixels exceeds the 5,000-pixel limit"),
    ):
        parse_image(data, "big.png")


def test_bomb_on_a_later_tiff_page_names_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [Image.new("L", (50, 50)), Image.new("L", (50, 50)), Image.new("L", (400, 400))]
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:])
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)
    with pytest.raises(ImportRejected) as exc:
        parse_image(buf.getvalue(), "fax.tif")
    assert exc.value.where == "page 3"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "the file is empty"),
        (b"hello, not an image", "not a readable image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a readable image"),
    ],
)
def test_not_an_image_is_rejected(data: bytes, why: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        parse_image(data, "photo.png")
    assert exc.value.file == "photo.png" and why in exc.value.why


def test_png_with_a_broken_checksum_is_rejected() -> None:
    data = bytearray(make("PNG"))
    data[30] ^= 0xFF  # inside the IHDR CRC
    with pytest.raises(ImportRejected, match="photo.png"):
        parse_image(bytes(data), "photo.png")


def test_unsupported_format_is_rejected() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, format="BMP")
    with pytest.raises(ImportRejected, match="BMP image format is not supported"):
        parse_image(buf.getvalue(), "x.bmp")


def test_truncated_jpeg_is_kept_and_flagged() -> None:
    data = make("JPEG", size=(400, 300))
    cut = data[: len(data) // 2]
    parsed = parse_image(cut, "cut.jpg")
    doc = only_document(parsed)
    assert doc.flags == ["image-damaged"] and doc.content == cut
    assert "damaged or truncated" in parsed.warnings[0]


def test_tiff_whose_second_page_lost_its_width_is_rejected() -> None:
    # Found by the damage tests: Pillow raises TypeError from n_frames on such a file.
    buf = io.BytesIO()
    Image.new("L", (20, 10)).save(buf, format="TIFF", save_all=True, append_images=[Image.new("L", (20, 10))])
    d = bytearray(buf.getvalue())
    first = struct.unpack("<I", d[4:8])[0]
    count = struct.unpack("<H", d[first : first + 2])[0]
    second = struct.unpack("<I", d[first + 2 + 12 * count : first + 6 + 12 * count])[0]
    for i in range(struct.unpack("<H", d[second : second + 2])[0]):
        entry = second + 2 + 12 * i
        if struct.unpack("<H", d[entry : entry + 2])[0] == 256:  # ImageWidth
            d[entry : entry + 2] = struct.pack("<H", 0x7FFF)
    with pytest.raises(ImportRejected, match="damaged image"):
        parse_image(bytes(d), "fax.tif")
