"""Render resources/icons/annotator.svg into the icon files the installers want (run once after the SVG
changes; the results are committed):

- packaging/linux/annotator.png (256x256, for the .desktop file and the tarball)
- packaging/windows/annotator.ico (16-256 px, for the .exe and the Inno Setup installer)
- packaging/macos/annotator.icns (for the .app)

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE.parent / "resources" / "icons" / "annotator.svg"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write(image: QImage, path: Path, fmt: str) -> None:
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"could not write {path}: {writer.errorString()}")
    print(f"wrote {path.relative_to(HERE.parent)}")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    write(render(renderer, 256), HERE / "linux" / "annotator.png", "png")
    write(render(renderer, 256), HERE / "windows" / "annotator.ico", "ico")
    write(render(renderer, 512), HERE / "macos" / "annotator.icns", "icns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
