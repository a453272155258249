"""brat attributions as PolNeAR has them: one Attribution event = one statement with its cue, kind and
speaker. Small files made here for each variant, then the shared corpus read, written and read again."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Layer, Span
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.core.vocabulary import DIRECT, INDIRECT, SPEAKER, SPEAKER_LABEL
from annotator.formats import brat
from annotator.formats.brat_attribution import kind_of

LAYERS = ImportOptions(layers={"PERSON": Layer.ENTITY, "STATEMENT": Layer.STATEMENT, "CLAIM": Layer.CLAIM})
OPTIONS = ExportOptions(labels={"entity": ["PERSON", SPEAKER_LABEL], "statement": ["STATEMENT"], "claim": ["CLAIM"]})


class Ann:
    """An .ann file built line by line; T lines by the words they cover (the nth time they occur)."""

    def __init__(self, text: str) -> None:
        self.text, self.lines, self.count = text, [], 0

    def at(self, words: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(words, start + 1)
        return start, start + len(words)

    def t(self, kind: str, *pieces: str | tuple[str, int]) -> str:
        ranges = [self.at(*(piece if isinstance(piece, tuple) else (piece,))) for piece in pieces]
        self.count += 1
        offsets = ";".join(f"{s} {e}" for s, e in ranges)
        self.lines.append(f"T{self.count}\t{kind} {offsets}\t{' '.join(self.text[s:e] for s, e in ranges)}")
        return f"T{self.count}"

    def e(self, *arguments: str) -> int:
        self.lines.append(f"E{sum(line.startswith('E') for line in self.lines) + 1}\t{' '.join(arguments)}")
        return len(self.lines)  # its line number

    def attribution(self, content: str | list[str], cue: str | tuple, source: str | tuple | None = None) -> int:
        """Cue, Content, Source and trigger lines and their E line (its line number); ``source`` may be
        the id of a Source already written, None for PolNeAR's Attribution-no-source."""
        cue_id = self.t("Cue", cue)
        content_id = self.t("Content", *(content if isinstance(content, list) else [content]))
        if source is None:
            return self.e(f"Attribution-no-source:{self.t('Attribution-no-source', cue)}", f"Content:{content_id}",
                          f"Cue:{cue_id}")
        source_id = source if re.fullmatch(r"T\d+", str(source)) else self.t("Source", source)
        return self.e(f"Attribution:{self.t('Attribution', cue)}", f"Content:{content_id}", f"Cue:{cue_id}",
                      f"Source:{source_id}")


def polnear(folder: Path, doc: str, text: str, *anns: tuple[str, Ann]) -> list[Path]:
    """PolNeAR's layout: text/<doc>.txt and attributions/<doc>_<annotator>.ann."""
    (folder / "text").mkdir(parents=True, exist_ok=True)
    (folder / "attributions").mkdir(exist_ok=True)
    (folder / "text" / f"{doc}.txt").write_text(text, encoding="utf-8")
    paths = []
    for annotator, ann in anns:
        path = folder / "attributions" / f"{doc}_{annotator}.ann"
        path.write_text("\n".join(ann.lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def read_all(path: Path, options: ImportOptions = LAYERS) -> tuple[list[Imported], list[Problem]]:
    items = list(brat.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def statements(item: Imported) -> list[tuple]:
    """(words, label, kind, cue words, speaker words and label) of each statement."""
    text, by_uid = item.document.text, {s.uid: s for s in item.spans}
    speakers = {r.head: by_uid[r.tail] for r in item.relations if r.label == SPEAKER}
    found = []
    for span in item.spans:
        if span.layer == Layer.STATEMENT:
            cue = span.attributes.get("cue")
            speaker = speakers.get(span.uid)
            found.append((
                text[span.start : span.end], span.label, span.attributes.get("kind"),
                text[cue[0] : cue[1]] if cue else None,
                (speaker.text_in(text), speaker.label) if speaker else None,
            ))  # fmt: skip
    return found


def test_an_attribution_is_one_statement_with_cue_kind_speaker_annotator_and_metadata(tmp_path):
    text = "Sergey Lavrov said: “Talks go on.” He added that talks would resume."
    ann = Ann(text)
    ann.attribution("“Talks go on.”", "said", "Sergey Lavrov")
    ann.attribution("that talks would resume", "added", "He")
    polnear(tmp_path, "tass_2021-01-13_talks", text, ("d473", ann))
    (tmp_path / "metadata_train.tsv").write_text(
        "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\twire\n"
        "train\ttass_2021-01-13_talks\ttass\t2021-01-13\tIvan\tTalks: Lavrov\tNone\n",
        encoding="utf-8",
    )
    [item], problems = read_all(tmp_path)
    assert problems == []
    assert statements(item) == [
        ("“Talks go on.”", "STATEMENT", DIRECT, "said", ("Sergey Lavrov", SPEAKER_LABEL)),
        ("that talks would resume", "STATEMENT", INDIRECT, "added", ("He", SPEAKER_LABEL)),
    ]
    # Only the statements and their speakers: the Source, Cue, Content and trigger spans are theirs.
    assert sorted(s.label for s in item.spans) == ["SPEAKER", "SPEAKER", "STATEMENT", "STATEMENT"]
    assert {(s.annotator, s.origin) for s in item.spans} == {("d473", "import:brat:d473")}
    doc = item.document
    assert (doc.title, doc.date, doc.source) == ("Talks: Lavrov", "2021-01-13", "tass")
    assert doc.meta == {"compartment": "train", "filename": "tass_2021-01-13_talks", "author": "Ivan"}
    assert item.path == str(tmp_path / "attributions" / "tass_2021-01-13_talks_d473.ann")
    # The attributions folder alone finds the text beside it, and the catalogue above it.
    [alone], problems = read_all(tmp_path / "attributions")
    assert problems == [] and alone.document.title == "Talks: Lavrov" and statements(alone) == statements(item)


def test_discontinuous_content_shared_source_and_an_attribution_without_source(tmp_path):
    text = "“We will win,” Trump said, “and soon.” Trump also said taxes fall. It is said that rain comes."
    ann = Ann(text)
    trump = ann.t("Source", "Trump")
    first = ann.attribution(["“We will win,”", "“and soon.”"], "said", trump)
    ann.attribution("taxes fall", ("said", 1), trump)
    ann.attribution("that rain comes", "is said")
    [path] = polnear(tmp_path, "doc", text, ("ana", ann))
    [item], problems = read_all(tmp_path)
    assert statements(item) == [
        ("“We will win,” Trump said, “and soon.”", "STATEMENT", DIRECT, "said", ("Trump", SPEAKER_LABEL)),
        ("taxes fall", "STATEMENT", INDIRECT, "said", ("Trump", SPEAKER_LABEL)),
        ("that rain comes", "STATEMENT", INDIRECT, "is said", None),
    ]
    assert [s.label for s in item.spans if s.layer == Layer.ENTITY] == [SPEAKER_LABEL]  # one speaker for both
    content_line = first - 2  # the Content T line, two above its E line
    assert [(p.path, p.line, p.warning) for p in problems] == [(str(path), content_line, True)]
    assert "discontinuous" in problems[0].message


def test_discard_and_discuss_are_reported_with_file_and_line_and_left_out(tmp_path):
    text = "Editor's note: read part 1 here. Lavrov said talks go on. Named"
    ann = Ann(text)
    ann.t("Discard", "Editor's note: read part 1 here.")
    ann.attribution("talks go on", "said", "Lavrov")
    ann.t("Discuss", "Named")
    ann.lines.append("#1\tAnnotatorNotes T6\tIs this an attribution?")
    [path] = polnear(tmp_path, "doc", text, ("ana", ann))
    [item], problems = read_all(tmp_path)
    assert len(statements(item)) == 1 and {s.label for s in item.spans} == {"STATEMENT", SPEAKER_LABEL}
    assert [(p.path, p.line, p.warning) for p in problems] == [(str(path), 1, True), (str(path), 7, True)]
    assert problems[0].message == (
        "Discard span \"Editor's note: read part 1 here.\" at 0-32: set aside by its annotator; left out"
    )
    assert "'Named' at 58-63 (its note: 'Is this an attribution?')" in problems[1].message


def test_an_event_naming_a_missing_span_or_no_content_is_reported_and_the_rest_imported(tmp_path):
    text = "Lavrov said talks go on. Blinken said nothing. Safadi said the talks were useful."
    ann = Ann(text)
    missing = ann.e("Attribution:T99", "Content:T98", "Source:T97")
    ann.attribution("talks go on", "said", "Lavrov")
    cue = ann.t("Cue", ("said", 1))
    no_content = ann.e(f"Attribution:{ann.t('Attribution', ('said', 1))}", f"Cue:{cue}")
    ann.attribution("the talks were useful", ("said", 2), "Safadi")
    [path] = polnear(tmp_path, "doc", text, ("ana", ann))
    [item], problems = read_all(tmp_path)
    assert [s[0] for s in statements(item)] == ["talks go on", "the talks were useful"]
    where = [(p.path, p.line, p.warning) for p in problems]
    assert where == [(str(path), missing, False), (str(path), no_content, False)]
    assert "T99 (Attribution), T98 (Content), T97 (Source) are not" in problems[0].message
    assert "expected a Content argument" in problems[1].message
    assert "said" not in {s.text_in(text) for s in item.spans}  # cues and triggers are no spans of their own


def test_a_source_over_an_entity_speaks_through_it(tmp_path):
    text = "Sergey Lavrov said talks go on. Russia's Sergey Lavrov added that Moscow waits."
    ann = Ann(text)
    ann.t("PERSON", "Sergey Lavrov")
    ann.t("PERSON", ("Sergey Lavrov", 1))
    ann.t("GPE", "Russia")
    ann.attribution("talks go on", "said", "Sergey Lavrov")  # the same range
    ann.attribution("that Moscow waits", "added", "Russia's Sergey Lavrov")  # overlaps the PERSON most
    polnear(tmp_path, "doc", text, ("ana", ann))
    [item], problems = read_all(tmp_path)
    assert problems == []
    assert [s[4] for s in statements(item)] == [("Sergey Lavrov", "PERSON"), ("Sergey Lavrov", "PERSON")]
    assert [s.label for s in item.spans if s.layer == Layer.ENTITY] == ["PERSON", "GPE", "PERSON"]  # no SPEAKER
    tails = {r.tail for r in item.relations}
    spoken = sorted((s.start, s.end) for s in item.spans if s.uid in tails)
    assert spoken == [ann.at("Sergey Lavrov"), ann.at("Sergey Lavrov", 1)]


def test_source_words_that_look_like_html_round_trip_as_plain_text(tmp_path):
    text = "<b>x</b> said the talks failed."
    ann = Ann(text)
    ann.attribution("the talks failed", "said", "<b>x</b>")
    polnear(tmp_path / "in", "doc", text, ("ana", ann))
    [item], _ = read_all(tmp_path / "in")
    assert statements(item)[0][4] == ("<b>x</b>", SPEAKER_LABEL)
    (tmp_path / "out").mkdir()
    assert brat.write([Record(item.document, item.spans, item.relations)], tmp_path / "out", OPTIONS) == []
    written = (tmp_path / "out" / "00001_doc.ann").read_text(encoding="utf-8").splitlines()
    assert "T1\tSPEAKER 0 8\t<b>x</b>" in written and any(line.endswith("\tSource 0 8\t<b>x</b>") for line in written)
    [back], problems = read_all(tmp_path / "out")
    assert problems == [] and statements(back) == statements(item)


def test_polnear_oddities_text_over_lines_pieces_out_of_order_and_a_second_content(tmp_path):
    text = "He said:\n\n“One.\n\nTwo.” Then “three,” she added, “four.”"

    def at(words: str) -> str:
        return f"{text.index(words)} {text.index(words) + len(words)}"

    lines = [
        f"T1\tCue {at('said')}\tsaid",
        # brat writes a line break in a span's text as it is: the line runs on over the next two.
        f"T2\tContent {text.index('“One.')} {text.index('Two.”') + 5}\t“One.\n\nTwo.”",
        f"T3\tSource {at('He')}\tHe",
        f"T4\tAttribution {at('said')}\tsaid",
        "E1\tAttribution:T4 Content:T2 Cue:T1 Source:T3",
        f"T5\tContent {at('“four.”')};{at('“three,”')}\t“four.” “three,”",  # the last piece first
        f"T6\tContent {at('Then')}\tThen",
        f"T7\tCue {at('added')}\tadded",
        f"T8\tAttribution-no-source {at('added')}\tadded",
        "E2\tAttribution-no-source:T8 Content:T5 Content2:T6 Cue:T7",
    ]
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "doc.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [item], problems = read_all(tmp_path)
    assert [p.message for p in problems if not p.warning] == []
    assert statements(item) == [
        ("“One.\n\nTwo.”", "STATEMENT", DIRECT, "said", ("He", SPEAKER_LABEL)),
        ("Then “three,” she added, “four.”", "STATEMENT", INDIRECT, "added", None),
    ]
    assert item.spans[0].annotator is None  # doc.txt beside doc.ann: a brat folder, not PolNeAR's layout


def test_two_annotators_of_one_text_keep_their_own_statements_on_one_document(project, tmp_path):
    from annotator.services.importing import import_paths
    from annotator.store.annotated import annotated_batches

    text = "Lavrov said talks go on, and Blinken said they stall."
    first, second = Ann(text), Ann(text)
    first.attribution("talks go on", "said", "Lavrov")
    second.attribution("talks go on", "said", "Lavrov")
    second.attribution("they stall", ("said", 1), "Blinken")
    polnear(tmp_path, "doc", text, ("ana", first), ("bob", second))
    report = import_paths(project, [tmp_path], add_labels=True)
    assert report.errors == [] and (report.added, report.merged) == (1, 1)
    [(doc, spans, relations, _)] = [row for batch in annotated_batches(project) for row in batch]
    assert doc.title == "doc"
    by_person = Counter((s.annotator, s.layer) for s in spans)
    assert by_person == {("ana", Layer.STATEMENT): 1, ("ana", Layer.ENTITY): 1, ("bob", Layer.STATEMENT): 2,
                         ("bob", Layer.ENTITY): 2}
    owner = {s.uid: s.annotator for s in spans}
    assert sorted(owner[r.head] for r in relations if r.label == SPEAKER) == ["ana", "bob", "bob"]
    assert all(owner[r.head] == owner[r.tail] for r in relations)


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("“Talks go on.”", DIRECT),
        ("“Talks go on”.", DIRECT),
        ('"We will win,"', DIRECT),
        ("''It's an expansion,''", DIRECT),  # PolNeAR's New York Times texts
        ("«Non»", DIRECT),
        ("„Ja“", DIRECT),
        ("“Talks go on", INDIRECT),
        ("talks go on", INDIRECT),
        ("that the “awful” job goes on", INDIRECT),
        ("“", INDIRECT),
    ],
)
def test_a_quoted_content_is_direct(words, kind):
    assert kind_of(words) == kind


# ---------------------------------------------------------------- the corpus


def extent(pieces: list[tuple[int, int]]) -> tuple[int, int] | None:
    return (min(s for s, _ in pieces), max(e for _, e in pieces)) if pieces else None


def parsed(ann: Path) -> list[tuple]:
    """The (content, cue, source) ranges of an .ann's attributions, read from its lines here: each role
    from its first piece to its last; events the reader must leave out (no Content, an id the file
    lacks) are left out."""
    pieces: dict[str, list[tuple[int, int]]] = {}
    events = []
    for line in ann.read_text(encoding="utf-8").split("\n"):
        found = re.match(r"(T\d+)\t\S+ (\d+ \d+(?:;\d+ \d+)*)\t", line)
        if found:
            pieces[found[1]] = [(int(s), int(e)) for s, e in (p.split() for p in found[2].split(";"))]
        elif line.startswith("E"):
            events.append([word.split(":") for word in line.split("\t")[1].split()])
    triples = []
    for (_, trigger), *arguments in events:
        roles: dict[str, list[tuple[int, int]]] = {"Content": [], "Cue": [], "Source": []}
        for role, tid in arguments:
            roles.setdefault(role.rstrip("0123456789"), []).extend(pieces.get(tid, []))
        if trigger in pieces and all(tid in pieces for _, tid in arguments) and roles["Content"]:
            triples.append(tuple(extent(roles[role]) for role in ("Content", "Cue", "Source")))
    return sorted(triples, key=repr)


def triples(item: Imported) -> list[tuple]:
    by_uid = {s.uid: s for s in item.spans}
    speakers = {r.head: by_uid[r.tail] for r in item.relations if r.label == SPEAKER}
    found = []
    for span in item.spans:
        if span.layer == Layer.STATEMENT:
            cue, speaker = span.attributes.get("cue"), speakers.get(span.uid)
            found.append(((span.start, span.end), tuple(cue) if cue else None,
                          (speaker.start, speaker.end) if speaker else None))
    return sorted(found, key=repr)


def described(item: Imported) -> list[tuple]:
    return sorted((s.start, s.end, s.layer, s.label, s.attributes.get("kind")) for s in item.spans)


def assert_round_trip(items: list[Imported], anns: list[Path], target: Path) -> None:
    """Each .ann read gives the attributions its lines hold; written and read again, the same."""
    assert [i.path for i in items] == [str(ann) for ann in anns]
    for item, ann in zip(items, anns, strict=True):
        assert triples(item) == parsed(ann), ann.name
        assert all(s.annotator == ann.stem.rpartition("_")[2] for s in item.spans)
    target.mkdir()
    problems = brat.write([Record(i.document, i.spans, i.relations) for i in items], target, OPTIONS)
    assert problems == []
    back, problems = read_all(target)
    assert problems == []
    for item, again in zip(items, back, strict=True):
        assert again.document.text == item.document.text
        assert (triples(again), described(again)) == (triples(item), described(item)), item.path


def odd(written: str) -> bool:
    """Whether an .ann has a T line's text over several lines, a Content2, a note, pieces out of order
    or an event without content."""
    for line in written.split("\n"):
        found = re.match(r"T\d+\t\S+ (\d+ \d+(?:;\d+ \d+)*)\t", line)
        pieces = [tuple(int(x) for x in p.split()) for p in found[1].split(";")] if found else []
        if (line and not re.match(r"[TE#]\d+\t", line)) or "Content2:" in line or line.startswith("#"):
            return True
        if pieces != sorted(pieces) or (line.startswith("E") and "Content" not in line):
            return True
    return False


def test_the_multi_annotator_articles_read_and_round_trip(corpus, tmp_path):
    folder = corpus / "annotated" / "polnear_multi_annotator"
    items, problems = read_all(folder)
    anns = sorted((folder / "attributions").glob("*.ann"))
    assert len(anns) == 24 and all(p.warning for p in problems)
    assert_round_trip(items, anns, tmp_path / "out")
    assert {i.document.title for i in items} >= {"Afghanistan thrash Zimbabwe in World Twenty20"}
    assert {(i.document.date, i.document.source) for i in items} == {("2016-03-11", "breitbart")}


def test_a_slice_of_the_training_set_reads_and_round_trips(corpus, tmp_path):
    folder = corpus / "annotated" / "polnear_train" / "attributions"
    everything = sorted(folder.glob("*.ann"))
    assert len(everything) == 919
    # Every 23rd file, and those with the corpus's odd lines.
    chosen = sorted(set(everything[::23]) | {a for a in everything if odd(a.read_text(encoding="utf-8"))})
    assert 40 <= len(chosen) < 400
    items, problems = [], []
    for ann in chosen:
        read, found = read_all(ann)
        items += read
        problems += found
    assert len(items) == len(chosen)
    unread = [p for p in problems if not p.warning]
    assert unread and all("expected a Content" in p.message or "no Attribution event" in p.message
                          or "to be the cue of an Attribution" in p.message for p in unread)
    assert_round_trip(items, chosen, tmp_path / "out")


def test_the_multi_annotator_articles_keep_each_annotators_statements_in_a_project(corpus, project):
    from annotator.services.importing import import_paths
    from annotator.store.annotated import annotated_batches

    report = import_paths(project, [corpus / "annotated" / "polnear_multi_annotator"], add_labels=True)
    assert report.errors == [] and report.added == 4 and report.merged == 20
    rows = [row for batch in annotated_batches(project) for row in batch]
    for doc, spans, relations, _ in rows:
        people = {s.annotator for s in spans if s.layer == Layer.STATEMENT}
        assert people == {"4b22", "4e07", "5fec", "6b86", "d473", "ef2d"}, doc.title
        owner = {s.uid: s.annotator for s in spans}
        assert all(owner[r.head] == owner[r.tail] for r in relations)
    assert sum(isinstance(s, Span) and s.layer == Layer.STATEMENT for _, spans, _, _ in rows for s in spans) > 250
