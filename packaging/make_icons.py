"""Render resources/b24desk.svg into the icon formats each OS needs.

Run after changing the SVG: `python packaging/make_icons.py` (needs Pillow). The generated
files are committed so that a build needs neither Pillow nor an SVG renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    from io import BytesIO

    return Image.open(BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(RESOURCES / "b24desk.svg"))
    if not renderer.isValid():
        print("resources/b24desk.svg is not a valid SVG", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in SIZES}
    images[256].save(RESOURCES / "b24desk.png")
    # The same icon inside the package, for installs without the resources/ folder.
    images[256].save(RESOURCES.parent / "b24desk" / "ui" / "assets" / "b24desk.png")
    images[48].save(RESOURCES / "b24desk-48.png")
    images[256].save(
        RESOURCES / "b24desk.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
    )
    images[1024].save(RESOURCES / "b24desk.icns")
    print("icons written to", RESOURCES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
