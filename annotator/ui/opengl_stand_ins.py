"""Stand-ins for Qt's OpenGL bindings where they are left out (the bundle: 9 MB of its 300).

pyqtgraph imports PySide6.QtOpenGL and QtOpenGLWidgets while it loads, for an OpenGL view and OpenGL
plots the dashboard never turns on (pyqtgraph's useOpenGL stays off). Where the real modules are missing,
empty stand-ins let pyqtgraph load; its OpenGL widget class then derives from a plain QWidget and is never
made. Where they are installed (a checkout, a pip install), the real ones are used.
"""

from __future__ import annotations

import importlib
import sys
import types

NAMES = ("PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets")


def install() -> bool:
    """Put stand-ins in place of the modules that cannot be imported; True if any was needed."""
    import PySide6
    from PySide6 import QtWidgets

    needed = False
    for name in NAMES:
        try:
            importlib.import_module(name)
        except ImportError:
            needed = True
            module = types.ModuleType(name, "a stand-in: Qt's OpenGL bindings are not installed")
            if name.endswith("Widgets"):
                module.QOpenGLWidget = QtWidgets.QWidget
            sys.modules[name] = module
            setattr(PySide6, name.rpartition(".")[2], module)
    return needed
