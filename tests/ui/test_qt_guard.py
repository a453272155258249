"""PySide6 6.12.0 drops a reference to None on every void Qt call and crashes CPython 3.11."""

import sys

from PySide6.QtGui import QTextCursor, QTextDocument


def test_void_qt_calls_do_not_drop_references_to_none():
    document = QTextDocument("Sergey Lavrov said. " * 50)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for i in range(10_000):
        cursor.setPosition(i % 500)
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references: this PySide6 build would crash"
