"""The speaker picker offers who can speak: names before places, reviewed before suggested, never dates."""

from PySide6.QtCore import Qt

from annotator.core.annotations import Annotations
from annotator.core.model import Document, Layer, Span, State
from annotator.ui.speaker_picker import SpeakerPicker

TEXT = (
    "On Tuesday Lavrov met Safadi in Moscow. Safadi left at 5 pm. "
    "“Talks go on,” a spokesman said. “We agree,” he added."
)


def at(words, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def offered(picker):
    return [picker.list.item(row).text() for row in range(picker.list.count())]


def test_dates_never_speak_and_reviewed_people_come_before_suggested_ones(qtbot):
    spans = [
        Span(*at("Tuesday"), "DATE", state=State.ACCEPTED),
        Span(*at("5 pm"), "TIME", state=State.ACCEPTED),
        Span(*at("Moscow"), "GPE", state=State.ACCEPTED),
        Span(*at("Lavrov"), "PERSON", state=State.SUGGESTED, origin="m@1"),
        Span(*at("Safadi"), "PERSON", state=State.ACCEPTED),
        Span(*at("“We agree,”"), "STATEMENT", Layer.STATEMENT, attributes={}),
        Span(*at("“Talks go on,”"), "STATEMENT", Layer.STATEMENT, attributes={"speaker_text": "a spokesman"}),
    ]
    notes = Annotations(Document(TEXT, id=1), spans, [], "ana")
    statement = next(s for s in spans if s.text_in(TEXT) == "“We agree,”")
    picker = SpeakerPicker(notes, statement)
    qtbot.addWidget(picker)
    assert offered(picker) == [
        "Safadi   (PERSON)",
        "Lavrov   (PERSON)",
        "Moscow   (GPE)",
        "a spokesman   (typed before)",
    ]
    picker.query.setText("A Spokesman")
    assert offered(picker) == [  # not offered twice as a new name; and where it is in the text
        "a spokesman   (typed before)",
        "a spokesman   (in the text, 1 sentence before the statement)",
    ]
    picker.query.setText("the ministry")
    assert offered(picker) == ["Not in the text: “the ministry”"]
    assert picker.meaning.text() == (
        "Free text with no offsets: “the ministry” is kept as the speaker's name, linked to no place in the "
        "text (it is not in the text)."
    )


PRESS = (
    "The ministry's press service said talks go on. Prices rose. Trade grew. "
    "“We agree,” the press service added. Its press service was busy."
)


def test_typed_words_in_the_text_are_offered_where_they_are_nearest_first_and_say_what_they_mean(qtbot):
    statement = Span(PRESS.index("“We"), PRESS.index(" the press service added"), "STATEMENT", Layer.STATEMENT)
    ministry = Span(0, len("The ministry"), "ORG", state=State.ACCEPTED)
    notes = Annotations(Document(PRESS, id=1), [ministry, statement], [], "ana")
    picker = SpeakerPicker(notes, statement)
    qtbot.addWidget(picker)
    picker.query.setText("press serv")  # to the end of the word typed into
    places = [PRESS.index("press service", PRESS.index(word)) for word in ("“We", "Its", "The ministry")]
    assert offered(picker) == [
        "press service   (in the text, in the statement's sentence)",
        "press service   (in the text, 1 sentence after the statement)",
        "press service   (in the text, 3 sentences before the statement)",
        "“press serv” as free text, no offsets",
    ]
    assert picker.meaning.text() == (
        f"A span of its own: “press service” at characters {places[0]}–{places[0] + 13}, in the statement's "
        "sentence, becomes a SPEAKER span, and the statement is linked to it."
    )
    picker.list.setCurrentRow(3)
    assert picker.meaning.text().startswith("Free text with no offsets: “press serv”")
    assert picker.meaning.textFormat() == Qt.TextFormat.PlainText
    picker.list.setCurrentRow(0)
    qtbot.keyClick(picker.query, Qt.Key.Key_Return)
    assert picker.choice == (None, "press service", (places[0], places[0] + 13))

    picker = SpeakerPicker(notes, statement)
    qtbot.addWidget(picker)
    picker.query.setText("the ministry")  # an entity is there: offered as the entity, not as a place
    assert offered(picker) == ["The ministry   (ORG)"]
    assert picker.meaning.text().startswith("An entity of the article: ORG “The ministry” at characters 0–12")
