"""HEIC/HEIF photos (iPhones' default): register pillow-heif's Pillow opener once, if it is installed.

A core module of its own because both the image importer and the OCR engine open such photos, and the
OCR engine must not import the importers (the importers use it).
"""

from __future__ import annotations

from PIL import Image

_heif_checked = False


def heif_supported() -> bool:
    """Register pillow-heif's opener once, if it is installed (HEIC photos from iPhones)."""
    global _heif_checked
    if not _heif_checked:
        _heif_checked = True
        try:
            from pillow_heif import register_heif_opener
        except ImportError:
            return False
        register_heif_opener()
    return "HEIF" in Image.registered_extensions().values()
