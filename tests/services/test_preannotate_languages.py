"""Each language's documents get the pipeline the project chose for it, and none gets an English
pipeline's nonsense: a Hebrew and an English article imported into a real SQLite project, the real English
pipeline, and a Hebrew pipeline (spaCy's blank Hebrew with an entity ruler) saved to a folder."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer
from annotator.services import models
from annotator.services.importing import import_paths
from annotator.services.preannotating import origins_of, pending_count, preannotate, resuggest
from annotator.store.project import open_project
from annotator.store.tables import documents, spans

HEBREW = "ראש הממשלה בנימין נתניהו אמר היום כי השיחות עם ירושלים יימשכו, ונתניהו הוסיף כי הוא אופטימי."
ENGLISH = "Sergey Lavrov said on Tuesday in Moscow that the talks with the Foreign Ministry would go on."


@pytest.fixture
def project(tmp_path):
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        json.dumps({"text": HEBREW, "meta": {"title": "Hebrew"}}, ensure_ascii=False) + "\n"
        + json.dumps({"text": ENGLISH, "lang": "en", "meta": {"title": "English"}}) + "\n",
        encoding="utf-8",
    )
    opened = open_project(tmp_path / "languages.annotator.sqlite")
    report = import_paths(opened, [articles])
    assert report.added == 2, report.summary()
    yield opened
    opened.close()


def suggested(project) -> dict[str, list[tuple[str, str, str, str]]]:
    """Title -> (words, label, origin, state) of its entities."""
    query = (select(documents.c.title, documents.c.text, spans.c.start, spans.c.end, spans.c.label, spans.c.origin,
                    spans.c.state)
             .join(spans, spans.c.document_id == documents.c.id).where(spans.c.layer == "entity"))
    found: dict[str, list] = {"Hebrew": [], "English": []}
    with project.reading() as conn:
        for title, text, start, end, label, origin, state in conn.execute(query):
            found[title].append((text[start:end], label, origin, state))
    return {title: sorted(rows) for title, rows in found.items()}


def document_id(project, title: str) -> int:
    with project.reading() as conn:
        return conn.execute(select(documents.c.id).where(documents.c.title == title)).scalar_one()


def test_the_english_pipeline_leaves_the_hebrew_article_alone_and_says_so(project, real_pipeline):
    assert [(c.language, c.documents, c.ref is not None) for c in models.language_choices(project)] == [
        ("en", 1, True), ("he", 1, False)]
    report = preannotate(project, layers={Layer.ENTITY})  # the project's pipelines: the stock one for English
    found = suggested(project)
    assert ("Sergey Lavrov", "PERSON", report.origin, "suggested") in found["English"]
    assert found["Hebrew"] == []
    assert report.documents == 1 and report.left_out == {"he": (1, report.left_out["he"][1])}
    assert "1 document(s) in he (Hebrew) left out: no pipeline for he" in report.summary()
    assert "annotator models --language he=PIPELINE" in report.summary()
    assert pending_count(project, {Layer.ENTITY}) == 0  # nothing for the window to start again on each open

    report = preannotate(project, pipeline=real_pipeline)  # a pipeline given for one run: its language only
    assert suggested(project)["Hebrew"] == []


def test_a_hebrew_pipeline_chosen_for_hebrew_suggests_there_with_its_origin(project, hebrew_model):
    models.set_language_model(project, "he", str(hebrew_model))
    assert models.language_models(project) == {"he": str(hebrew_model.resolve())}
    report = preannotate(project)
    found = suggested(project)
    origin = "he_test_ruler@0.0.2"
    assert found["Hebrew"] == [("בנימין נתניהו", "PERSON", origin, "suggested"),
                               ("ונתניהו", "PERSON", origin, "suggested"),
                               ("ירושלים", "GPE", origin, "suggested")]
    assert report.origins["he"] == origin and report.left_out == {}
    # The English rules were not run on Hebrew, and the report says why.
    assert "statements and claims not suggested for documents in he" in report.summary()
    assert "English-only" in report.summary()
    assert origins_of(project, document_id(project, "Hebrew")) == ("he", [origin])
    assert origins_of(project, document_id(project, "English"))[0] == "en"


def test_a_re_run_replaces_pending_suggestions_and_keeps_what_people_decided(project, hebrew_model, real_pipeline):
    models.set_language_model(project, "he", str(hebrew_model))
    preannotate(project, layers={Layer.ENTITY})
    hebrew = document_id(project, "Hebrew")
    with project.writing() as conn:  # the analyst accepted one suggestion and rejected another
        conn.execute(update(spans).where(spans.c.label == "GPE", spans.c.document_id == hebrew).values(state="accepted"))
        conn.execute(update(spans).where(spans.c.start == HEBREW.index("ונתניהו")).values(state="rejected"))
    report = resuggest(project, hebrew, str(hebrew_model))
    assert report.documents == 1
    origin = "he_test_ruler@0.0.2"
    assert suggested(project)["Hebrew"] == [("בנימין נתניהו", "PERSON", origin, "suggested"),
                                            ("ונתניהו", "PERSON", origin, "rejected"),
                                            ("ירושלים", "GPE", origin, "accepted")]
    with pytest.raises(AnnotatorError, match=r"is for 'en' and this document is in he \(Hebrew\)"):
        resuggest(project, hebrew, pipeline=real_pipeline)
    assert len(suggested(project)["Hebrew"]) == 3  # a refused re-run removes nothing


def test_none_for_a_language_and_a_bad_choice_are_told_plainly(project, tmp_path):
    choice = models.set_language_model(project, "he", "none")
    assert choice.ref is None and choice.explicit
    with pytest.raises(AnnotatorError, match="no model, installed pipeline or pipeline folder 'nowhere-at-all'"):
        models.set_language_model(project, "he", "nowhere-at-all")
    with pytest.raises(AnnotatorError, match="'hebrew' is not a language code"):
        models.set_language_model(project, "hebrew", "none")
