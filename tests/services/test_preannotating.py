import threading

from annotator.core.model import Document
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
    assert pending_count(project) == 0
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
    assert pending_count(project) == 6
    resumed = preannotate(project, str(ruler_model))
    assert resumed.documents == 6 and pending_count(project) == 0


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
