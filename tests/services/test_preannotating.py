import threading

from annotator.core.model import Document, Layer
from annotator.nlp.pipelines import load_pipeline
from annotator.services.documents import list_documents, load_document
from annotator.services.preannotating import pending_count, preannotate
from annotator.store.documents import add_documents

TEXTS = [f"Report {i}: Sergey Lavrov 😀 spoke in Moscow 🇷🇺 and Elena Varga replied." for i in range(10)]


def _spans_by_title(project):
    found = {}
    for summary in list_documents(project):
        loaded = load_document(project, summary.id)
        found[summary.title] = [(s.start, s.end, s.label) for s in loaded.spans]
    return found


def test_every_pending_document_gets_suggestions_once(project, ruler_model):
    add_documents(project, [Document(t, title=str(i)) for i, t in enumerate(TEXTS)])
    seen = []
    report = preannotate(project, str(ruler_model), batch_size=3, progress=lambda done, total: seen.append((done, total)))
    assert (report.documents, report.spans, report.cancelled) == (10, 30, False)
    assert seen == [(0, 10), (3, 10), (6, 10), (9, 10), (10, 10)]
    assert pending_count(project, {Layer.ENTITY}) == 0
    again = preannotate(project, str(ruler_model))
    assert (again.documents, again.spans) == (0, 0)  # nothing is suggested twice


def test_cancelling_keeps_finished_batches_and_leaves_the_rest_pending(project, ruler_model):
    add_documents(project, [Document(t, title=str(i)) for i, t in enumerate(TEXTS)])
    cancel = threading.Event()

    def progress(done, total):
        if done >= 4:
            cancel.set()

    report = preannotate(project, str(ruler_model), batch_size=4, progress=progress, cancel=cancel)
    assert report.cancelled
    assert report.documents == 4
    assert pending_count(project, {Layer.ENTITY}) == 6
    resumed = preannotate(project, str(ruler_model))
    assert resumed.documents == 6 and pending_count(project, {Layer.ENTITY}) == 0


def test_two_processes_give_the_same_suggestions_as_one(tmp_path, ruler_model):
    from annotator.store.project import open_project

    results = []
    for n_process in (1, 2):
        project = open_project(tmp_path / f"p{n_process}.annotator.sqlite")
        add_documents(project, [Document(t, title=str(i)) for i, t in enumerate(TEXTS)])
        report = preannotate(project, pipeline=load_pipeline(str(ruler_model)), batch_size=4, n_process=n_process)
        assert report.documents == 10
        results.append(_spans_by_title(project))
        project.close()
    assert results[0] == results[1]
    assert len(results[0]["0"]) == 3


FLAG_TEXT = "Benjamin Netanyahu 🇮🇱 said on Monday that Israel would talk to Russia 🇷🇺."


def _every_edge_is_whole(project) -> int:
    from annotator.core.graphemes import is_boundary

    count = 0
    for summary in list_documents(project):
        loaded = load_document(project, summary.id)
        for span in loaded.spans:
            text = loaded.document.text
            assert is_boundary(text, span.start) and is_boundary(text, span.end), (text[span.start : span.end], span)
            count += 1
    return count


def test_the_real_model_never_suggests_half_a_flag_or_emoji(project, real_pipeline, corpus):
    # en_core_web_sm's tokenizer splits a flag's two regional indicators: it suggests "Benjamin Netanyahu 🇮".
    stress = (corpus / "unicode" / "blns.txt").read_text(encoding="utf-8")
    add_documents(project, [Document(FLAG_TEXT, title="flag"), Document(stress, title="blns")])
    report = preannotate(project, pipeline=real_pipeline)
    assert report.documents == 2 and report.spans > 100
    found = _spans_by_title(project)
    assert (0, len("Benjamin Netanyahu 🇮🇱"), "PERSON") in found["flag"]
    assert _every_edge_is_whole(project) == report.spans


def test_worker_processes_keep_flags_whole_too(tmp_path):
    import spacy

    from annotator.store.project import open_project

    nlp = spacy.blank("en")  # its tokenizer makes a token of each regional indicator
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "PERSON", "pattern": [{"LOWER": "netanyahu"}, {"TEXT": "🇮"}]}, {"label": "GPE", "pattern": "🇺"}]
    )
    nlp.meta["name"], nlp.meta["version"] = "flag_ruler", "0.0.1"
    nlp.to_disk(tmp_path / "flag_ruler")
    texts = [f"{i}: Benjamin Netanyahu 🇮🇱 and 🇺🇸 flags" for i in range(6)]
    for n_process in (1, 2):
        project = open_project(tmp_path / f"p{n_process}.annotator.sqlite")
        add_documents(project, [Document(t, title=str(i)) for i, t in enumerate(texts)])
        preannotate(project, pipeline=load_pipeline(str(tmp_path / "flag_ruler")), batch_size=2, n_process=n_process)
        found = _spans_by_title(project)
        text = texts[0]
        assert sorted(found["0"]) == [
            (text.index("Netanyahu"), text.index("🇮🇱") + 2, "PERSON"),
            (text.index("🇺🇸"), text.index("🇺🇸") + 2, "GPE"),
        ]
        assert _every_edge_is_whole(project) == 12
        project.close()
