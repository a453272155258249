"""Token edges in scripts written without spaces, possessives, and a boundary that runs into a neighbour.

Core has no dictionary: the segmenter here knows a few words by heart, as Qt's (ui.words) does for
Thai with libthai. tests/ui/test_scripts.py checks the same through the window with Qt's segmenter.
"""

import pytest

from annotator.core.annotations import Annotations, Blocked
from annotator.core.model import Document, Span, State
from annotator.core.tokens import move_edge, next_edge, previous_edge, snap

THAI = "ประเทศไทยมีประชากรมาก"  # ประเทศ ไทย มี ประชากร มาก: "Thailand has a large population"
THAI_WORDS = ["ประเทศ", "ไทย", "มี", "ประชากร", "มาก"]


def dictionary(*known: str):
    """A segmenter that splits a piece wherever one of the known words starts or ends in it."""
    def words(piece: str) -> list[int]:
        edges = set()
        for word in known:
            at = piece.find(word)
            while at != -1:
                edges |= {at, at + len(word)}
                at = piece.find(word, at + 1)
        return sorted(e for e in edges if 0 < e < len(piece))
    return words


THAI_SEGMENTER = dictionary(*THAI_WORDS)


def text_of(text: str, edges: tuple[int, int]) -> str:
    return text[edges[0] : edges[1]]


def test_a_few_thai_characters_snap_to_their_word_not_the_clause():
    inside = THAI.index("ชาก")  # three characters inside ประชากร
    assert text_of(THAI, snap(THAI, inside, inside + 3, THAI_SEGMENTER)) == "ประชากร"
    assert text_of(THAI, snap(THAI, 1, 2, THAI_SEGMENTER)) == "ประเทศ"
    across = THAI.index("ทศไ")  # the end of one word and the start of the next: both, whole
    assert text_of(THAI, snap(THAI, across, across + 3, THAI_SEGMENTER)) == "ประเทศไทย"
    # Without a segmenter a run of letters is one token: the whole clause (what the window did before).
    assert text_of(THAI, snap(THAI, inside, inside + 3)) == THAI


def test_thai_boundaries_move_one_word_at_a_time():
    start, end = THAI.index("ไทย"), THAI.index("ไทย") + 3
    assert text_of(THAI, move_edge(THAI, start, end, "end", 1, THAI_SEGMENTER)) == "ไทยมี"
    assert text_of(THAI, move_edge(THAI, start, end, "start", -1, THAI_SEGMENTER)) == "ประเทศไทย"
    assert next_edge(THAI, 0, THAI_SEGMENTER) == len("ประเทศ")
    assert previous_edge(THAI, len(THAI), THAI_SEGMENTER) == len(THAI) - len("มาก")


def test_chinese_characters_with_a_segmenter_keep_to_the_word():
    text = "我们今天去北京大学学习。"
    words = dictionary("我们", "今天", "去", "北京大学", "学习")
    at = text.index("京大")
    assert text_of(text, snap(text, at, at + 2, words)) == "北京大学"
    assert text_of(text, snap(text, at, at + 2)) == "我们今天去北京大学学习"  # no segmenter: the clause


def test_astral_ideographs_and_a_long_run_are_segmented_around_the_selection():
    text = "𠀀𠀁" + "北京" * 600 + "大学"  # Extension B ideographs (outside the BMP), then a 1,200-character run
    words = dictionary("𠀀𠀁", "北京", "大学")
    assert text_of(text, snap(text, 0, 1, words)) == "𠀀𠀁"
    at = len(text) - 1
    assert text_of(text, snap(text, at, at + 1, words)) == "大学"
    seen = []
    snap(text, at, at + 1, lambda piece: seen.append(len(piece)) or words(piece))
    assert seen and max(seen) <= 801  # only the characters around the selection go to the segmenter


def test_spaced_scripts_ignore_the_segmenter():
    text = "Сергей Лавров said in Moscow"
    never = dictionary("Лав", "Mos")  # would cut these words if it were asked
    assert text_of(text, snap(text, 8, 9, never)) == "Лавров"
    assert text_of(text, snap(text, text.index("osc"), text.index("osc") + 2, never)) == "Moscow"


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_the_end_one_token_left_drops_a_possessive_with_its_word(apostrophe):
    text = f"The Foreign Ministry{apostrophe}s press service"
    start, end = text.index("Foreign"), text.index(" press")
    assert text_of(text, move_edge(text, start, end, "end", -1)) == "Foreign"
    back = text.index(" Ministry")
    assert text_of(text, move_edge(text, start, back, "end", 1)) == f"Foreign Ministry{apostrophe}s"
    # The start one token right steps over the whole possessive word, not onto "’s".
    ministry = text.index("Ministry")
    assert text_of(text, move_edge(text, ministry, end + 6, "start", 1)) == "press"


def test_a_plural_possessive_and_a_plain_s_word():
    text = "the ministers’ meeting and Ministry's."
    start = text.index("the")
    end = text.index(" meeting")
    assert text_of(text, move_edge(text, start, end, "end", -1)) == "the"
    # Snapping a selection still stops at the apostrophe: an entity is the name, not its possessive.
    at = text.index("Ministry")
    assert text_of(text, snap(text, at + 1, at + 3)) == "Ministry"


def annotations(text: str, spans: list[Span]) -> Annotations:
    return Annotations(Document(text, id=1), spans, [], annotator="ana")


def test_growing_over_a_suggestion_is_blocked_with_its_label_and_text_then_replaces_it_in_one_edit():
    text = "Minister Anna Berg visited Oslo today."
    mine = Span(text.index("Anna"), text.index("Anna") + 4, "PERSON", origin="ana", state=State.ACCEPTED,
                annotator="ana", document_id=1)
    berg = text.index("Berg")
    theirs = Span(berg, berg + 4, "ORG", origin="en_test@1", state=State.SUGGESTED, document_id=1)
    notes = annotations(text, [mine, theirs])
    with pytest.raises(Blocked) as blocked:
        notes.move(mine.uid, "end", 1)
    assert "PERSON “Anna” cannot grow over suggested ORG “Berg”" in str(blocked.value)
    assert blocked.value.replaceable and blocked.value.neighbours == [theirs]

    edit = notes.move(mine.uid, "end", 1, replacing=True)
    after = {s.uid: s for s in edit.after}
    assert text_of(text, (after[mine.uid].start, after[mine.uid].end)) == "Anna Berg"
    assert after[theirs.uid].state == State.REJECTED
    notes.apply(edit)
    assert [text[s.start : s.end] for s in notes.visible()] == ["Anna Berg"]
    notes.apply(edit.inverse())  # one step back restores both
    assert [(text[s.start : s.end], s.state) for s in notes.visible()] == [
        ("Anna", State.ACCEPTED), ("Berg", State.SUGGESTED)
    ]


def test_a_persons_own_neighbour_is_never_replaced():
    text = "Minister Anna Berg visited Oslo today."
    mine = Span(9, 13, "PERSON", origin="ana", state=State.ACCEPTED, annotator="ana", document_id=1)
    other = Span(14, 18, "ORG", origin="bo", state=State.ACCEPTED, annotator="bo", document_id=1)
    notes = annotations(text, [mine, other])
    with pytest.raises(Blocked) as blocked:
        notes.move(mine.uid, "end", 1, replacing=True)
    assert not blocked.value.replaceable
    assert "ORG “Berg”" in str(blocked.value) and "delete it first" in str(blocked.value)
