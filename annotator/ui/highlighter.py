"""Span highlights drawn by a QSyntaxHighlighter: each block looks up only its own spans.

Measured on 200,000 words with 20,000 spans this is the fastest way to colour a QPlainTextEdit
(0.044 s to rehighlight, against 1.7 s for a format per span outside an edit block), and it never
turns the text into rich text. The three layers overlap freely, so
each stretch of a block gets one format combining them: entities are a background colour,
statements a solid underline, claims a coloured text with a dashed underline where no statement
underlines them. A model's suggestion of any layer is paler and dotted until a person accepts it.

A long article (thousands of paragraphs) is coloured where it is shown first: the text goes in with
highlighting held back, the blocks on screen are coloured at once, and the others follow on the
event loop a few milliseconds at a time (any block scrolled into view before its turn jumps the queue).

A format never changes inside a character as a reader sees it (a flag, an emoji with its skin tone, a
letter with its accent): Qt would draw the parts apart, a flag as two loose letters. An edge that falls
inside one (a span stored before edges were kept whole) is drawn at the edge of the whole character.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.graphemes import end_of, may_split, start_of
from annotator.core.model import Layer, Span, State


# How much of a suggested claim's text colour and a suggested statement's line show (of 255): paler, still legible.
SUGGESTED_TEXT_ALPHA = 175
SUGGESTED_LINE_ALPHA = 150


class Placed(NamedTuple):
    """A span with its UTF-16 range in the view (a tuple: an article has tens of thousands)."""

    start: int
    end: int
    span: Span

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, -self.end, self.span.uid)


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._placed: list[Placed] = []
        self._keys: list[tuple[int, int, str]] = []
        self._longest = 0
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._alone_formats: dict[tuple, QTextCharFormat] = {}
        self._colours: dict[tuple[str, str], str] = {}
        self._holding = False  # highlightBlock leaves blocks alone (the text is going in; see hold())
        self._waiting: bytearray | None = None  # per block number: 1 while its colours are still to come
        self._queue: Iterator[int] = iter(())
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._colour_some)

    def set_spans(self, placed: list[Placed], colours: dict[tuple[str, str], str], rehighlight: bool = True) -> None:
        """Replace the spans. Pass rehighlight=False just before setPlainText, which highlights
        each new block anyway: the text is then laid out and coloured once.
        ``colours`` maps (layer, label) to a colour."""
        keyed = sorted(((p.start, -p.end, p.span.uid), p) for p in placed)
        self._keys = [key for key, _p in keyed]
        self._placed = [p for _key, p in keyed]
        self._longest = max((p.end - p.start for p in self._placed), default=0)
        self._formats = {}
        self._alone_formats = {}
        self._colours = dict(colours)
        self._stop_waiting()
        if rehighlight:
            self.rehighlight()

    def update_spans(self, removed: list[Placed], added: list[Placed], colours: dict[tuple[str, str], str]) -> None:
        """Take some spans out and put some in, repainting only the blocks they cover."""
        self._colours.update(colours)
        for placed in removed:
            i = bisect_left(self._keys, placed.key)
            if i < len(self._keys) and self._keys[i] == placed.key:
                del self._keys[i]
                del self._placed[i]
        for placed in added:
            i = bisect_left(self._keys, placed.key)
            self._keys.insert(i, placed.key)
            self._placed.insert(i, placed)
            self._longest = max(self._longest, placed.end - placed.start)  # an overestimate after removals is harmless
        for placed in removed + added:
            self.repaint_range(placed.start, placed.end)

    # --- long articles: the blocks on screen first, the others on the event loop --------------------------

    def hold(self) -> None:
        """Call just before setPlainText of a long text: its blocks are left uncoloured, then
        release() colours the ones on screen at once and the rest a little at a time."""
        self._stop_waiting()
        self._holding = True

    def release(self, first: int, last: int) -> None:
        """Colour blocks ``first``..``last`` (those on screen) now, the others soon after in order
        from there to the end, then from the top."""
        self._holding = False
        count = self.document().blockCount()
        self._waiting = bytearray(b"\x01") * count
        self.colour_blocks(first, last)
        self._queue = iter([*range(last + 1, count), *range(0, first)])
        self._timer.start()

    def colour_blocks(self, first: int, last: int) -> None:
        """Make sure blocks ``first``..``last`` have their colours (the view calls this on scrolling)."""
        waiting = self._waiting
        if waiting is None:
            return
        document = self.document()
        for number in range(max(first, 0), min(last, len(waiting) - 1) + 1):
            if waiting[number]:
                self.rehighlightBlock(document.findBlockByNumber(number))

    @property
    def pending(self) -> int:
        """Blocks whose colours are still to come (0 once a long article is fully coloured)."""
        return 0 if self._waiting is None else sum(self._waiting)

    def _colour_some(self) -> None:
        waiting = self._waiting
        if waiting is None:
            self._timer.stop()
            return
        document = self.document()
        until = time.perf_counter() + 0.005  # a slice well inside a frame: typing and scrolling stay smooth
        for number in self._queue:
            if number < len(waiting) and waiting[number]:
                self.rehighlightBlock(document.findBlockByNumber(number))
                if time.perf_counter() >= until:
                    return
        self._stop_waiting()

    def _stop_waiting(self) -> None:
        self._timer.stop()
        self._waiting = None
        self._holding = False
        self._queue = iter(())

    def repaint_range(self, start: int, end: int) -> None:
        document = self.document()
        block = document.findBlock(start)
        while block.isValid() and block.position() <= max(end - 1, start):
            self.rehighlightBlock(block)
            block = block.next()

    def spans_between(self, start: int, end: int) -> list[Placed]:
        """Placed spans overlapping [start, end), by bisect: no scan of the whole list."""
        first = bisect_left(self._keys, (start - self._longest,))
        last = bisect_left(self._keys, (end,))
        return [p for p in self._placed[first:last] if p.end > start]

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        if self._holding:
            return
        block = self.currentBlock()
        if self._waiting is not None:
            self._waiting[block.blockNumber()] = 0
        if not text:
            return  # an empty line: nothing to colour (most articles have one between paragraphs)
        # Qt positions count UTF-16 units; len(text) would count code points, so use the block's own length.
        begin = block.position()
        end = begin + block.length() - 1  # without the block separator
        here = self.spans_between(begin, max(end, begin + 1))
        if not here:
            return
        if may_split(text):
            here = whole_characters(text, begin, end, here)
        # The usual block: its spans do not overlap one another, so each is one stretch with its own format.
        reach = -1
        for placed in here:
            if placed.start < reach:
                break
            reach = placed.end
        else:
            for placed in here:
                lo, hi = max(placed.start, begin), min(placed.end, end)
                if hi > lo:
                    self.setFormat(lo - begin, hi - lo, self._alone(placed.span))
            return
        cuts = sorted(
            {begin, end} | {min(max(p.start, begin), end) for p in here} | {min(max(p.end, begin), end) for p in here}
        )
        for lo, hi in zip(cuts, cuts[1:]):
            covering = [p.span for p in here if p.start <= lo and p.end >= hi]
            if covering:
                self.setFormat(lo - begin, hi - lo, self._format(covering))

    def _alone(self, span: Span) -> QTextCharFormat:
        """The format of a stretch only ``span`` covers (cached by what decides it)."""
        key = (span.layer, span.label, span.state == State.SUGGESTED)
        fmt = self._alone_formats.get(key)
        if fmt is None:
            fmt = self._alone_formats[key] = self._format([span])
        return fmt

    def _format(self, covering: list[Span]) -> QTextCharFormat:
        # The innermost entity gives the background; any statement underlines; any claim colours the text.
        entities = sorted((s for s in covering if s.layer == Layer.ENTITY), key=lambda s: s.end - s.start)
        entity = entities[0] if entities else None
        statement = next((s for s in covering if s.layer == Layer.STATEMENT), None)
        claim = next((s for s in covering if s.layer == Layer.CLAIM), None)
        key = (
            (entity.label, entity.state == State.SUGGESTED) if entity else None,
            (statement.label, statement.state == State.SUGGESTED) if statement else None,
            (claim.label, claim.state == State.SUGGESTED) if claim else None,
        )
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._build(entity, statement, claim)
        return fmt

    def _build(self, entity: Span | None, statement: Span | None, claim: Span | None) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(Qt.GlobalColor.black)
        if entity is not None:
            colour = QColor(self._colours.get((str(Layer.ENTITY), entity.label), "#dddddd"))
            if entity.state == State.SUGGESTED:
                # A model's suggestion is paler and dotted until a person accepts it.
                colour.setAlpha(185)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(colour).darker(170))
            fmt.setBackground(colour)
        # Statements and claims a model suggested are drawn as its entities are: paler and dotted.
        if claim is not None:
            colour = QColor(self._colours.get((str(Layer.CLAIM), claim.label), "#ffafcc")).darker(260)
            line = QTextCharFormat.UnderlineStyle.DashUnderline
            if claim.state == State.SUGGESTED:
                colour.setAlpha(SUGGESTED_TEXT_ALPHA)
                line = QTextCharFormat.UnderlineStyle.DotLine
            fmt.setForeground(colour)
            fmt.setUnderlineStyle(line)
            fmt.setUnderlineColor(colour)
        if statement is not None:
            colour = QColor(self._colours.get((str(Layer.STATEMENT), statement.label), "#cdb4db")).darker(190)
            line = QTextCharFormat.UnderlineStyle.SingleUnderline
            if statement.state == State.SUGGESTED:
                colour.setAlpha(SUGGESTED_LINE_ALPHA)
                line = QTextCharFormat.UnderlineStyle.DotLine
            fmt.setUnderlineStyle(line)
            fmt.setUnderlineColor(colour)
        return fmt


def whole_characters(text: str, begin: int, end: int, here: list[Placed]) -> list[Placed]:
    """The block's spans with each edge that falls inside a character moved out to its edges, as the
    spans' own edges count characters (core/graphemes). ``begin`` and ``end`` are the block's first and
    last UTF-16 positions, as every position here. Not Qt's own QTextBoundaryFinder: it cuts a flag
    that follows an emoji ("🈁🇦🇦") between its two letters, and joins a BOM to the next character."""
    if len(text) == end - begin:  # nothing beyond the BMP (most text, Hindi too): a position is a code point
        def whole(position: int, step: int) -> int:
            if not begin < position < end:
                return position
            i = position - begin
            return begin + (end_of(text, i) if step > 0 else start_of(text, i))
    else:  # an emoji or the like: positions to code points and back
        units = [0]  # the UTF-16 position of each code point of the block, and of its end
        for char in text:
            units.append(units[-1] + (2 if char > "\uffff" else 1))
        index = {unit: i for i, unit in enumerate(units)}

        def whole(position: int, step: int) -> int:
            i = index.get(position - begin)
            if not begin < position < end or i is None:
                return position
            return begin + units[end_of(text, i) if step > 0 else start_of(text, i)]

    placed = []
    for p in here:
        first, last = whole(p.start, -1), whole(p.end, 1)
        placed.append(p if (first, last) == (p.start, p.end) else Placed(first, last, p.span))
    placed.sort(key=lambda p: p.key)  # moved edges may change the order the overlap check relies on
    return placed
