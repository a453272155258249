"""The registry on a real project: the sample wire article and three Wikinews articles, pre-annotated by the
real pipeline, then suggested, confirmed, merged, split, renamed and undone as an analyst would."""

import pytest
from sqlalchemy import text as sql

from annotator.core.model import Document, Span
from annotator.core.vocabulary import CHECK_WORTHY
from annotator.services import registry
from annotator.services.importing import import_paths
from annotator.services.preannotating import preannotate
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans

NEWS = (
    "wikinews_2019-01-04_Magnitogorsk_apartment_building_collapses_after_explosion_do.txt",
    "wikinews_2020-08-22_Russia_s_Navalny_airlifted_to_Germany.txt",
    "wikinews_2020-09-05_Germany_says_Alexei_Navalny_poisoned_with_Novichok.txt",
)


@pytest.fixture
def news(project, corpus, parsing_pipeline):
    files = [next((corpus / "seed").glob("*.txt")), *(corpus / "news" / name for name in NEWS)]
    assert import_paths(project, files).added == 4
    preannotate(project, pipeline=parsing_pipeline)
    return project


def confirm_people_and_organisations(project):
    found = registry.suggest_links(project)
    return registry.confirm(project, [s for s in found if s.kind in ("PERSON", "ORG")], annotator="ana")


def by_name(project, name, kind=None):
    [found] = [e for e in registry.entries(project, kind=kind) if e.name == name]
    return found


def registry_rows(project):
    with project.reading() as conn:
        return {table: conn.execute(sql(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
                for table in ("registry_entries", "registry_aliases", "registry_links")}


def test_mentions_of_one_person_across_articles_land_on_one_entry(news):
    suggestions = registry.suggest_links(news)
    assert registry.entries(news) == []  # suggesting links nothing
    putin = next(s for s in suggestions if s.new_name == "Vladimir Putin")
    assert putin.kind == "PERSON" and putin.is_new and len(putin.span_ids) == 4
    navalny = next(s for s in suggestions if s.new_name == "Alexei Navalny")
    assert "Navalny" in navalny.texts and "surname" in navalny.reason  # "Navalny" alone follows his full name

    confirm_people_and_organisations(news)
    entry = by_name(news, "Vladimir Putin")
    dates = [a.date for a in registry.appearances(news, entry.id)]
    assert entry.mentions == 4 and dates == ["2019-01-04", "2020-08-22", "2020-09-05", "2021-01-13"]
    navalny = by_name(news, "Alexei Navalny", kind="PERSON")  # the recogniser took him for an ORG once: apart
    found = registry.appearances(news, navalny.id)
    assert {a.date for a in found} == {"2020-08-22", "2020-09-05"} and {a.text for a in found} == {
        "Alexei Navalny", "Navalny"}
    # what is linked is suggested no more
    left = {i for s in registry.suggest_links(news) for i in s.span_ids}
    assert not left & {a.span_id for a in registry.appearances(news, entry.id)}


def test_the_ministry_said_it_appears_with_cue_content_and_check_worthy_claims(news):
    confirm_people_and_organisations(news)
    ministry = by_name(news, "Armenian Foreign Ministry")
    assert ministry.mentions == 2 and ministry.statements == 1 and ministry.claims >= 1
    [said] = registry.appearances(news, ministry.id, kinds=("statement",))
    assert said.cue == "said" and said.speaker == "the Armenian Foreign Ministry"
    assert said.text.startswith("In a phone conversation with Russian Foreign Minister Sergey Lavrov")
    assert said.claims and all(c.text and c.checkworthiness for c in said.claims)
    worthy = registry.appearances(news, ministry.id, min_checkworthiness=CHECK_WORTHY)
    assert [a.kind for a in worthy] == ["statement"] == [a.kind for a in registry.appearances(
        news, ministry.id, min_checkworthiness=0.5)]
    assert registry.appearances(news, ministry.id, date_from="2021-02-01") == []
    assert [e.name for e in registry.entries(news, text="armenian foreign")] == ["Armenian Foreign Ministry"]


def test_merge_then_undo_restores_both_entries_their_aliases_and_every_link(any_project):
    project = any_project
    one, two = add_documents(project, [Document("Sergey Lavrov met Vladimir Putin.", date="2021-01-02"),
                                       Document("Лавров and Sergei Lavrov spoke.", date="2021-01-01")]).added
    a = add_spans(project, one.id, [Span(0, 13, "PERSON"), Span(18, 32, "PERSON")])
    b = add_spans(project, two.id, [Span(0, 6, "PERSON"), Span(11, 24, "PERSON")])
    first = registry.confirm(project, [a[0].id], new_name="Sergey Lavrov", kind="PERSON", annotator="ana")
    second = registry.confirm(project, [b[0].id, b[1].id], new_name="Лавров", kind="PERSON", annotator="ben")
    registry.add_alias(project, second.made[0], "S. Lavrov")
    before = registry_rows(project)

    merged = registry.merge(project, [second.made[0]], first.made[0])
    after = registry_rows(project)
    [lavrov] = [e for e in registry.entries(project) if e.name == "Sergey Lavrov"]
    assert lavrov.mentions == 3 and set(lavrov.aliases) >= {"Лавров", "S. Lavrov"}
    assert len(after["registry_entries"]) == 1
    assert {row.annotator for row in after["registry_links"]} == {"ana", "ben"}  # who confirmed each link stays

    registry.undo_change(project, merged)
    assert registry_rows(project) == before
    registry.redo_change(project, merged)
    assert registry_rows(project) == after


def test_split_and_rename_are_undone_exactly(any_project):
    project = any_project
    text = "Georgia's president met George Bush in Georgia."
    [doc] = add_documents(project, [Document(text)]).added
    bush = text.index("George Bush")
    spans = add_spans(project, doc.id, [Span(0, 7, "GPE"), Span(bush, bush + 11, "PERSON"), Span(39, 46, "GPE")])
    made = registry.confirm(project, [s.id for s in spans], new_name="Georgia", kind="GPE")  # one too many
    registry.add_alias(project, made.made[0], "Bush")
    assert registry.entries(project)[0].aliases == ("Bush", "George Bush")
    before = registry_rows(project)

    split = registry.split(project, made.made[0], "George Bush", span_ids=[spans[1].id],
                           aliases=["Bush", "George Bush"], kind="PERSON")
    names = {e.name: e for e in registry.entries(project)}
    assert (names["Georgia"].mentions, names["George Bush"].mentions) == (2, 1)
    assert names["George Bush"].aliases == ("Bush", "George Bush") and names["Georgia"].aliases == ()
    registry.undo_change(project, split)
    assert registry_rows(project) == before

    renamed = registry.rename(project, made.made[0], "Georgia (country)")
    [entry] = registry.entries(project)
    assert entry.name == "Georgia (country)" and "Georgia" in entry.aliases
    registry.undo_change(project, renamed)
    assert registry_rows(project) == before


def test_mention_counts_follow_the_links_however_they_change_or_go(any_project):
    # The list's mention counts are kept by the database itself (triggers): relinking, splitting, merging,
    # undoing, and a span or a whole article deleted with its links must all show in them.
    project = any_project
    one, two = add_documents(project, [Document("Sergey Lavrov met Vladimir Putin."),
                                       Document("Лавров and Sergei Lavrov spoke.")]).added
    a = add_spans(project, one.id, [Span(0, 13, "PERSON"), Span(18, 32, "PERSON")])
    b = add_spans(project, two.id, [Span(0, 6, "PERSON"), Span(11, 24, "PERSON")])
    lavrov = registry.confirm(project, [a[0].id, b[0].id, b[1].id], new_name="Sergey Lavrov", kind="PERSON").made[0]
    putin = registry.confirm(project, [a[1].id], new_name="Vladimir Putin", kind="PERSON").made[0]

    def mentions():
        with project.reading() as conn:
            linked = dict(conn.execute(sql("SELECT entry_id, count(*) FROM registry_links GROUP BY entry_id")).all())
        shown = {e.name: e.mentions for e in registry.entries(project)}
        assert shown == {e.name: linked.get(e.id, 0) for e in registry.entries(project)}
        return shown

    assert mentions() == {"Sergey Lavrov": 3, "Vladimir Putin": 1}
    registry.confirm(project, [b[1].id], entry_id=putin)  # linked elsewhere
    assert mentions() == {"Sergey Lavrov": 2, "Vladimir Putin": 2}
    split = registry.split(project, putin, "Sergei Lavrov", span_ids=[b[1].id])  # a link moved
    assert mentions() == {"Sergey Lavrov": 2, "Vladimir Putin": 1, "Sergei Lavrov": 1}
    registry.undo_change(project, split)
    merged = registry.merge(project, [putin], lavrov)
    assert mentions() == {"Sergey Lavrov": 4}
    registry.undo_change(project, merged)
    assert mentions() == {"Sergey Lavrov": 2, "Vladimir Putin": 2}
    with project.writing() as conn:
        conn.execute(sql("DELETE FROM spans WHERE id = :id"), {"id": a[0].id})
    assert mentions() == {"Sergey Lavrov": 1, "Vladimir Putin": 2}
    with project.writing() as conn:
        conn.execute(sql("DELETE FROM documents WHERE id = :id"), {"id": two.id})
    assert mentions() == {"Sergey Lavrov": 0, "Vladimir Putin": 1}


def test_only_entities_link_and_a_bad_request_changes_nothing(project):
    from annotator.core.errors import AnnotatorError
    from annotator.core.model import Layer

    [doc] = add_documents(project, [Document("Lavrov said it was over.")]).added
    statement = add_spans(project, doc.id, [Span(0, 24, "STATEMENT", Layer.STATEMENT)])[0]
    with pytest.raises(AnnotatorError, match="not entities"):
        registry.confirm(project, [statement.id], new_name="Lavrov")
    with pytest.raises(AnnotatorError, match="no registry entry"):
        registry.merge(project, [98], 99)
    assert registry_rows(project) == {"registry_entries": [], "registry_aliases": [], "registry_links": []}


def test_a_snippet_holds_whole_words_and_says_where_the_text_goes_on():
    from annotator.services.registry import _snippet

    text = "Officials in Yerevan said on Monday that Sergey Lavrov would travel to the region next week for talks " * 3
    start = text.index("Sergey Lavrov", 100)
    shown = _snippet(text, start, start + len("Sergey Lavrov"))
    assert "Sergey Lavrov" in shown and shown.startswith("…") and shown.endswith("…")
    inner = shown.strip("…")
    assert text.find(inner) != -1
    first, last = text.find(inner), text.find(inner) + len(inner)
    assert not text[first - 1].isalnum() and not text[last].isalnum()  # no word cut in two
