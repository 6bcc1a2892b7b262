"""Render the app icon's SVG master into the PNG sizes desktops ask for and a Windows .ico.

Run once after editing resources/icons/app/medrecords.svg (the PNGs and the .ico are committed, so
a build does not need this step):  python packaging/render_icons.py
Qt's QSvgRenderer draws the PNGs (no extra dependency); Pillow packs the .ico.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_ICON_DIR = Path(__file__).resolve().parents[1] / "medrecords_desktop" / "resources" / "icons" / "app"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico entry may be


def render(svg: Path, out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG for Qt")
    written = []
    for size in SIZES:
        img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(p)
        p.end()
        out = out_dir / f"medrecords-{size}.png"
        if not img.save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        written.append(out)
    return written


def write_ico(out_dir: Path) -> Path:
    from PIL import Image

    # Pillow scales one source image into every entry; start from the 256 rendering, and give it
    # the small sizes rendered by Qt too so they are not a down-sampled blur.
    big = Image.open(out_dir / "medrecords-256.png")
    ico = out_dir / "medrecords.ico"
    big.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
             append_images=[Image.open(out_dir / f"medrecords-{s}.png") for s in ICO_SIZES if s != 256])
    return ico


def main() -> int:
    svg = APP_ICON_DIR / "medrecords.svg"
    pngs = render(svg, APP_ICON_DIR)
    ico = write_ico(APP_ICON_DIR)
    for f in [*pngs, ico]:
        print(f"{f.relative_to(APP_ICON_DIR.parents[3])}  {f.stat().st_size:>7,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
