"""The article view puts each highlight exactly on its text, whatever characters come before it."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.core.graphemes import end_of, is_boundary, start_of
from annotator.core.model import Document, Span, State
from annotator.core.schema import LabelSchema
from annotator.ui.article_view import ArticleView

SCHEMA = LabelSchema.from_dict(
    {"labels": [{"name": "PERSON", "colour": "#ffd6a5"}, {"name": "GPE", "colour": "#caffbf"}, {"name": "ORG", "colour": "#a0c4ff"}]}
)
TEXT = (
    "Hi 😀 Sergey Lavrov said. 🇷🇺🇦🇲 Lavrov met 👩🏽‍🔬 Dr. Zoë Brandt in Moscow.\n\n"
    "“Science is for everyone 🔬🚀 #Fest 🇵🇹,” wrote 👍🏽 the Open Lab Foundation; 𠀀 Yerevan replied.\n"
    "Ольга Петренко (Olga Petrenko) and José Álvarez disagreed, café Lavrov."
)


def _spans(text, names):
    spans = []
    for name, label in names:
        start = text.index(name)
        spans.append(Span(start, start + len(name), label, origin="en_test@1", state=State.SUGGESTED))
    return spans


SPANS = _spans(
    TEXT,
    [
        ("Sergey Lavrov", "PERSON"),
        ("Zoë Brandt", "PERSON"),
        ("Moscow", "GPE"),
        ("Open Lab Foundation", "ORG"),
        ("Yerevan", "GPE"),
        ("Ольга Петренко", "PERSON"),
        ("José Álvarez", "PERSON"),
        ("café Lavrov", "ORG"),
    ],
)


def rendered_highlights(view: ArticleView) -> dict[int, str]:
    """What the highlighter really applied: UTF-16 position -> background colour."""
    painted = {}
    block = view.editor.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            for offset in range(fmt.start, fmt.start + fmt.length):
                painted[block.position() + offset] = fmt.format.background().color().name()
        block = block.next()
    return painted


def selected_text(view: ArticleView, start: int, end: int) -> str:
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def expected_highlights(view: ArticleView, spans) -> dict[int, str]:
    """Every UTF-16 unit of every span, except line breaks: Qt draws those between blocks, not as text.
    A span that cuts a character (half a flag) colours the whole character."""
    text = view.document.text
    expected = {}
    for span in spans:
        for index in range(start_of(text, span.start), end_of(text, span.end)):
            if text[index] == "\n":
                continue
            first, after = view.offsets.to_utf16(index), view.offsets.to_utf16(index + 1)
            for position in range(first, after):
                expected[position] = SCHEMA.colour_for(span.label)
    return expected


def test_highlights_cover_exactly_the_entity_texts_after_emoji_and_flags(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_document(Document(TEXT, title="Emoji <b>not bold</b>", date="2026-05-25"), SPANS, SCHEMA)

    assert rendered_highlights(view) == expected_highlights(view, SPANS)
    for span in SPANS:
        a, b = view.offsets.span_to_utf16(span.start, span.end)
        assert selected_text(view, a, b) == TEXT[span.start : span.end]
        assert view.span_at(a) == span and view.span_at(b - 1) == span
    assert view.editor.toPlainText() == TEXT
    assert view.title.text() == "Emoji <b>not bold</b>"  # shown literally
    assert view.title.textFormat() == Qt.TextFormat.PlainText


def test_rejected_suggestions_are_not_highlighted_and_the_legend_counts_labels(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    rejected = SPANS[0].with_changes(state=State.REJECTED)
    view.show_document(Document(TEXT), [rejected, *SPANS[1:]], SCHEMA)
    assert not any(p in rendered_highlights(view) for p in range(*view.offsets.span_to_utf16(rejected.start, rejected.end)))
    legend = view.legend.text()
    assert "PERSON&nbsp;</span>&nbsp;3" in legend and "GPE&nbsp;</span>&nbsp;2" in legend


def test_clicking_a_highlight_tells_its_label_and_origin(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_document(Document(TEXT), SPANS, SCHEMA)
    target = SPANS[3]  # after several astral characters
    middle = view.offsets.to_utf16((target.start + target.end) // 2)
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(middle)
    point = view.editor.cursorRect(cursor).center()
    point.setX(point.x() + 2)
    with qtbot.waitSignal(view.spanActivated) as clicked:
        qtbot.mouseClick(view.editor.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [target]
    assert view.info.text() == "ORG “Open Lab Foundation” — suggested by en_test@1"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet=st.sampled_from(list("ab \n😀🇷🇺é\u0301👩🏽‍🔬𠀀x")), min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 59), st.integers(1, 8)), max_size=6),
)
def test_any_text_any_spans_render_exactly(qtbot, text, raw_spans):
    view = ArticleView()
    qtbot.addWidget(view)
    spans = []
    taken = set()
    for start, length in raw_spans:
        end = min(start + length, len(text))
        if start < end and not taken & set(range(start, end)):
            taken |= set(range(start, end))
            spans.append(Span(start, end, "PERSON"))
    view.show_document(Document(text), spans, SCHEMA)
    assert rendered_highlights(view) == expected_highlights(view, spans)
    for span in spans:
        a, b = view.offsets.span_to_utf16(span.start, span.end)
        assert selected_text(view, a, b).replace("\u2029", "\n") == text[span.start : span.end]


def format_edges(view: ArticleView) -> set[int]:
    """The UTF-16 positions where the highlighter starts or ends a format."""
    edges = set()
    block = view.editor.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            edges |= {block.position() + fmt.start, block.position() + fmt.start + fmt.length}
        block = block.next()
    return edges


def test_a_stored_span_ending_inside_a_flag_colours_the_whole_flag_and_no_character_is_cut(qtbot, corpus):
    # Spans stored before edges were kept whole, or a model's, may end between a flag's two letters.
    tweets = (corpus / "unicode" / "tweets_btc_astral.txt").read_text(encoding="utf-8")
    text = "Benjamin Netanyahu 🇮🇱 said 👍🏽 to Zoe\u0308 and 👨\u200d👩\u200d👧.\n" + tweets
    flag = text.index("🇮🇱")
    spans = [Span(0, flag + 1, "PERSON"), Span(text.index("👍🏽") + 1, text.index("👍🏽") + 2, "ORG")]
    spans.append(Span(text.index("Zoe"), text.index("Zoe") + 3, "PERSON"))
    spans.append(Span(text.index("👩"), text.index("👩") + 1, "GPE"))
    spans += [Span(i, i + 1, "GPE") for i in range(len(text) - len(tweets), len(text), 2)]  # every other character
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_document(Document(text), spans, SCHEMA)
    painted = rendered_highlights(view)
    start, end = view.offsets.span_to_utf16(flag, flag + 2)
    assert all(painted.get(p) == SCHEMA.colour_for("PERSON") for p in range(start, end))  # both letters
    utf16 = text.encode("utf-16-le")
    whole = {view.offsets.to_utf16(i) for i in range(len(text) + 1) if is_boundary(text, i)}
    assert format_edges(view) <= whole, sorted(
        (e, utf16[2 * e - 4 : 2 * e + 4].decode("utf-16-le", "replace")) for e in format_edges(view) - whole
    )
    assert rendered_highlights(view) == expected_highlights(view, spans)


def long_article(paragraphs: int):
    """An article of many short paragraphs with a name in each: (text, spans)."""
    parts, spans, at = [], [], 0
    for number in range(paragraphs):
        line = f"Paragraph {number}: Sergey Lavrov 😀 spoke in Moscow."
        start = at + line.index("Sergey Lavrov")
        spans.append(Span(start, start + len("Sergey Lavrov"), "PERSON"))
        parts.append(line)
        at += len(line) + 1
    return "\n".join(parts), spans


def block_painted(view: ArticleView, number: int) -> bool:
    return bool(view.editor.document().findBlockByNumber(number).layout().formats())


def test_a_long_article_shows_the_highlights_on_screen_at_once_and_the_rest_soon_after(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    text, spans = long_article(5_000)
    view.show_document(Document(text), spans, SCHEMA)
    assert all(block_painted(view, n) for n in range(10))  # what is on screen is coloured before it is shown
    assert view.highlighter.pending  # the rest comes on the event loop
    qtbot.waitUntil(lambda: view.highlighter.pending == 0, timeout=30_000)
    assert rendered_highlights(view) == expected_highlights(view, spans)


def test_scrolling_a_long_article_colours_what_comes_into_view_before_its_turn(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    text, spans = long_article(5_000)
    view.show_document(Document(text), spans, SCHEMA)
    bar = view.editor.verticalScrollBar()
    bar.setValue(bar.maximum())  # straight to the end: the last blocks are the last in the queue
    first = view.editor.firstVisibleBlock().blockNumber()
    assert first > 4_900
    assert all(block_painted(view, n) for n in range(first, 5_000))
    # and an action there repaints only its own block, correctly, while the rest is still being coloured
    last = spans[-1]
    view.update_spans([last], [last.with_changes(label="ORG")])
    colours = rendered_highlights(view)
    assert colours[view.offsets.to_utf16(last.start)] == SCHEMA.colour_for("ORG")
