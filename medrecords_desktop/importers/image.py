"""Scans and photos of paper records (PNG, JPEG, multi-page TIFF, HEIC from phones, GIF, WebP).

The original bytes are stored untouched (EXIF included: it is the user's own file, inside the vault);
this module only proves that the bytes are a real image of a supported format, refuses decompression
bombs before any pixel is decoded, and reads the capture date from EXIF.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime

from PIL import Image

from ..heif import heif_supported  # re-exported: the tests and callers import it from here
from ..model.records import Document, Provenance
from .base import ParsedFile, reject
from .text import base_name

MAX_FRAMES = 1000  # pages of a multi-page TIFF
DEFAULT_MAX_PIXELS = 89_478_485  # Pillow's own default, used if an application switched the check off
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
_FORMATS = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # phone cameras' multi-picture JPEG: a JPEG file to every viewer
    "TIFF": "image/tiff",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
    "AVIF": "image/avif",
}
# Pillow's decoders raise almost anything on damaged bytes (OSError, SyntaxError, KeyError, TypeError,
# struct.error, ZeroDivisionError... found by the damage tests): every one means "not a usable image".
_BAD_IMAGE = (Exception,)


def _max_pixels() -> int:
    return int(Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS)


def _bomb(source_name: str, where: str | None, pixels: int) -> Exception:
    return reject(
        source_name,
        where,
        f"image of {pixels:,} pixels exceeds the {_max_pixels():,}-pixel limit (a decompression bomb?)",
    )


def _open_checked(data: bytes, source_name: str) -> tuple[str, int]:
    """Format and frame count, after checking every frame's size from its header alone."""
    try:
        im = Image.open(io.BytesIO(data))  # lazy: reads the header, decodes nothing
    except Image.DecompressionBombError:
        raise reject(source_name, None, "image exceeds the pixel limit (a decompression bomb?)") from None
    except _BAD_IMAGE as exc:
        raise reject(source_name, None, f"not a readable image ({type(exc).__name__})") from None
    with im:
        fmt = im.format or ""
        if fmt not in _FORMATS:
            raise reject(source_name, None, f"{fmt or 'this'} image format is not supported")
        try:
            frames = int(getattr(im, "n_frames", 1) or 1)
        except _BAD_IMAGE as exc:
            raise reject(source_name, None, f"damaged image ({type(exc).__name__})") from None
        if frames > MAX_FRAMES:
            raise reject(source_name, None, f"more than {MAX_FRAMES} pages in one image file")
        for index in range(frames):
            try:
                im.seek(index)
                width, height = im.size
            except _BAD_IMAGE as exc:
                why = f"damaged image ({type(exc).__name__})"
                raise reject(source_name, f"page {index + 1}", why) from None
            if width * height > _max_pixels():
                raise _bomb(source_name, f"page {index + 1}" if frames > 1 else None, width * height)
    return fmt, frames


def _verify(data: bytes, source_name: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()  # structure and checksums (PNG CRCs) without decoding pixels
    except Image.DecompressionBombError:
        raise reject(source_name, None, "image exceeds the pixel limit (a decompression bomb?)") from None
    except _BAD_IMAGE as exc:
        raise reject(source_name, None, f"damaged image ({type(exc).__name__}: {exc})") from None


def _decode(data: bytes, frames: int) -> tuple[str | None, str | None, Image.Image | None]:
    """Decode every frame once (sizes were checked first).  Returns the error text if the pixels are
    cut short, the EXIF capture date (PNG keeps EXIF after the pixels, so it is read last too), and a
    one-page image's decoded picture, for recognition to use instead of decoding it again."""
    from ..ocr.engine import draft

    taken: str | None = None
    im: Image.Image | None = None
    try:
        im = Image.open(io.BytesIO(data))
        taken = _exif_date(im)
        for index in range(frames):
            im.seek(index)
            if frames == 1:
                # JPEG: DCT-scaled to the size recognition reads; the decoder still reads the whole
                # entropy-coded stream, so a cut-off file is found as before.
                draft(im)
            elif im.format in ("JPEG", "MPO"):
                im.draft("RGB", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
            im.load()
            if index == 0 and taken is None:
                taken = _exif_date(im)
    except Image.DecompressionBombError as exc:
        _close(im)
        return str(exc), taken, None
    except _BAD_IMAGE as exc:
        _close(im)
        return f"{type(exc).__name__}: {exc}", taken, None
    if frames == 1:
        return None, taken, im  # the bytes are in memory already: keeping it open holds no file
    _close(im)
    return None, taken, None


def _close(im: Image.Image | None) -> None:
    if im is not None:
        im.close()


def _exif_date(im: Image.Image) -> str | None:
    """EXIF DateTimeOriginal (else DateTimeDigitized) as YYYY-MM-DDTHH:MM:SS, when present and sane."""
    try:
        ifd = im.getexif().get_ifd(_EXIF_IFD)
        raw = ifd.get(_DATETIME_ORIGINAL) or ifd.get(_DATETIME_DIGITIZED)
    except _BAD_IMAGE:
        return None
    if not isinstance(raw, str):
        return None
    try:
        stamp = datetime.strptime(raw.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None  # "0000:00:00 00:00:00" from cameras without a clock
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")


def parse_image(
    data: bytes,
    source_name: str,
    *,
    title: str | None = None,
    date: str | None = None,
    doc_type: str | None = None,
) -> ParsedFile:
    """One Document holding the original image bytes."""
    if not data:
        raise reject(source_name, None, "the file is empty")
    heif_supported()
    fmt, frames = _open_checked(data, source_name)
    _verify(data, source_name)
    parsed = ParsedFile(source_name=source_name, format="image")
    flags: list[str] = []
    damage, taken, decoded = _decode(data, frames)
    parsed.decoded = decoded
    if damage is not None:
        # The header and structure are sound but the pixels stop early (a cut-off download): the
        # viewer still shows what is there, so the file is kept and the user told.
        flags.append("image-damaged")
        parsed.warnings.append(f"{source_name}: image data is damaged or truncated ({damage}); stored as is")
    digest = hashlib.sha256(data).hexdigest()
    name = base_name(source_name)
    parsed.items.append(
        Document(
            title=title or name,
            date=date or taken,
            date_estimated=date is None and taken is None,
            note=f"{frames} pages" if frames > 1 and fmt == "TIFF" else None,
            doc_type=doc_type,
            mime=_FORMATS[fmt],
            filename=name,
            size=len(data),
            sha256=digest,
            flags=flags,
            content=data,
            provenance=Provenance(
                source_kind="file", source_name=source_name, source_id=f"sha256:{digest}", raw_format="image"
            ),
        )
    )
    return parsed
