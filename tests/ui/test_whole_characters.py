"""In the real window no annotation shows or takes half a character: a flag, an emoji with its skin
tone, a letter with its accent."""

import pytest
from PySide6.QtCore import Qt

from annotator.core.graphemes import is_boundary
from annotator.core.model import Document, Span, State
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions

TEXT = "Benjamin Netanyahu 🇮🇱 met Zoe\u0308 Brandt 👍🏽 in Moscow."
FLAG = TEXT.index("🇮🇱")
MODEL = "en_test@1"


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "flags.annotator.sqlite"))
    [document] = add_documents(opened, [Document(TEXT, title="Flags")]).added
    # A suggestion stored by an older version, ending between the flag's two letters.
    save_suggestions(opened, [(document.id, [Span(0, FLAG + 1, "PERSON", origin=MODEL, state=State.SUGGESTED)])], MODEL)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, show_window, project):
    made = show_window(project, annotator="ana")
    qtbot.waitUntil(lambda: made.article.editor.toPlainText() == TEXT)
    made.article.editor.setFocus()
    return made


def select(window, start: int, end: int) -> None:
    """A selection from code point ``start`` to ``end`` (as the view maps it to Qt's positions)."""
    offsets = window.article.offsets
    cursor = window.article.editor.textCursor()
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(end), cursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)


def entities(project) -> dict[str, str]:
    loaded = documents.load_document(project, 1)
    return {TEXT[s.start : s.end]: s.label for s in loaded.spans if s.state != State.REJECTED}


def format_edges(window) -> set[int]:
    block, edges = window.article.editor.document().begin(), set()
    while block.isValid():
        for fmt in block.layout().formats():
            edges |= {block.position() + fmt.start, block.position() + fmt.start + fmt.length}
        block = block.next()
    return edges


def test_the_window_never_shows_or_makes_half_a_character(window, project, qtbot):
    offsets = window.article.offsets
    whole = {offsets.to_utf16(i) for i in range(len(TEXT) + 1) if is_boundary(TEXT, i)}
    assert format_edges(window) <= whole  # the old suggestion is drawn over the whole flag
    assert offsets.to_utf16(FLAG + 2) in format_edges(window)

    zoe = TEXT.index("Zoe")
    select(window, zoe, zoe + 3)  # "Zoe" without the dots of its ë
    qtbot.keyClick(window.article.editor, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # exact characters
    thumb = TEXT.index("👍🏽")
    select(window, thumb, thumb + 1)  # the hand without its skin tone
    qtbot.keyClick(window.article.editor, Qt.Key.Key_2)
    assert entities(project) == {"Benjamin Netanyahu 🇮": "PERSON", "Zoe\u0308": "PERSON", "👍🏽": "ORG"}
    assert format_edges(window) <= whole
    # Accepting the old suggestion keeps what the window showed: the whole flag.
    qtbot.keyClick(window.article.editor, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # accept all
    assert entities(project)["Benjamin Netanyahu 🇮🇱"] == "PERSON"
    assert [s.state for s in documents.load_document(project, 1).spans if s.start == 0] == [State.ACCEPTED]
