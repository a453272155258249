"""The speaker picker offers who can speak: names before places, reviewed before suggested, never dates."""

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
    assert offered(picker) == ["a spokesman   (typed before)"]  # not offered twice as a new name
    picker.query.setText("the ministry")
    assert offered(picker) == ["Not in the text: “the ministry”"]
