"""Training on a real SQLite project with the real pipeline: a dozen short reviewed documents, one epoch.

What is checked is the machinery (a versioned model with its meta and scores, its use when suggesting, the
held-back part, what a cancelled or killed run leaves), not how well one epoch on twelve sentences learns.
"""

import os
import signal
import threading
from multiprocessing import active_children

import pytest

from annotator.core.edits import Edit
from annotator.core.errors import AnnotatorError, ModelError
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.vocabulary import SCORE, SPEAKER
from annotator.nlp.model_meta import write_meta
from annotator.services import models, preannotating
from annotator.services.training import ANNOTATED, NothingToTrain, TrainingOptions, train, train_elsewhere
from annotator.services.training_data import held_back
from annotator.store.annotated import load_annotated
from annotator.store.documents import add_documents, document_ids
from annotator.store.edits import apply_edit
from annotator.store.project import open_project

PEOPLE = ["Sergey Lavrov", "Elena Varga", "Ana Costa", "John Smith", "Mei Chen", "Omar Haddad"]
PLACES = ["Moscow", "Riverton", "Lisbon", "Nairobi", "Oslo", "Lima"]
DOCUMENTS = 12  # uids train-doc-0 ... 11: at a held-back share of 0.25, documents 0 and 7 are held back
HELD_BACK = {0, 7}
QUICK = dict(epochs=1, dev=0.25)


def text_of(n: int) -> str:
    person, place = PEOPLE[n % 6], PLACES[(n * 5) % 6]
    return (f"{person} said on Monday that the bridge in {place} would open in May. Unemployment fell to {n}.2 "
            f"percent in 2020. \"We will talk to everyone in {place},\" {person.split()[0]} told reporters. "
            "I think we should all be kinder.")


def _at(text: str, words: str, label: str, layer: Layer = Layer.ENTITY, **attributes) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), label, layer, "ana", State.ACCEPTED, attributes, annotator="ana")


def fill(project, done: bool = True, documents: int = DOCUMENTS) -> list[int]:
    """Documents an analyst annotated (entities, a statement with its cue and speaker, a claim) and marked done;
    a rejected suggestion and an unreviewed one in each, as pre-annotation leaves them."""
    docs = add_documents(project, [Document(text_of(n), title=f"d{n}", uid=f"train-doc-{n}")
                                   for n in range(documents)]).added
    for n, doc in enumerate(docs):
        text, person, place = doc.text, PEOPLE[n % 6], PLACES[(n * 5) % 6]
        said = text.index("said")
        who, where = _at(text, person, "PERSON"), _at(text, place, "GPE")
        statement = _at(text, f"the bridge in {place} would open in May", "STATEMENT", Layer.STATEMENT,
                        cue=[said, said + 4], kind="indirect")
        claim = _at(text, f"Unemployment fell to {n}.2 percent in 2020.", "CLAIM", Layer.CLAIM)
        rejected = _at(text, "Monday", "PERSON").with_changes(state=State.REJECTED, origin="en_core_web_sm@3.8.0")
        unreviewed = _at(text, "I think we should all be kinder.", "CLAIM", Layer.CLAIM).with_changes(
            state=State.SUGGESTED, origin="claim-rules@1", annotator=None, attributes={SCORE: 0.3})
        apply_edit(project, Edit(doc.id, after=(who, where, statement, claim, rejected, unreviewed),
                                 relations_after=(Relation(statement.uid, who.uid, SPEAKER),), annotator="ana",
                                 status_after=Status.DONE if done else None))
    return [doc.id for doc in docs]


def trainable_project(location) -> str:
    project = open_project(location)
    try:
        fill(project)
    finally:
        project.close()
    return str(location)


@pytest.fixture
def trainable(project):
    fill(project)
    return project


def test_a_small_run_saves_a_versioned_model_with_its_meta_and_scores(trainable):
    stages = []
    result = train(trainable, TrainingOptions(name="news", **QUICK),
                   progress=lambda stage, done, total: stages.append((stage, done, total)))

    assert not result.cancelled and result.model.ref == "news@1"
    assert result.trained == frozenset(Layer)
    assert result.documents == {"train": {"entity": 10, "statement": 10, "claim": 10},
                                "dev": {"entity": 2, "statement": 2, "claim": 2}}
    folder = models.models_dir() / "news" / "1"
    assert result.model.path == folder and (folder / "config.cfg").is_file()
    meta = result.model.meta
    assert meta["origin"] == "news@1" and meta["layers"] == ["entity", "statement", "claim"]
    assert meta["base"]["origin"].startswith("en_core_web_sm") and meta["project"] == trainable.name
    assert meta["documents"]["train"] == {"entity": 10, "statement": 10, "claim": 10}
    assert meta["scores"]["new"]["documents"] == 2 == meta["scores"]["old"]["documents"]
    assert meta["scores"]["new"]["model"] == "news@1"
    assert set(meta["scores"]["new"]["layers"]) == {"entity", "statement", "claim"}
    # Every stage was reported, the epochs of each layer in order.
    named = [stage for stage, _, _ in stages]
    assert named[0] == "Reading documents" and ("Reading documents", DOCUMENTS - 2, DOCUMENTS - 2) in stages
    for layer in ("entities", "statements", "claims"):
        assert f"Training {layer} (epoch 1 of 1)" in named
    assert {"Saving", "Evaluating the new model"} <= set(named)
    # The comparison has a row per layer and label, old and new side by side.
    rows = {(row.layer, row.label) for row in result.rows()}
    assert {(Layer.ENTITY, "PERSON"), (Layer.STATEMENT, "speaker"), (Layer.CLAIM, "average precision")} <= rows
    table = result.table()
    assert "news@1" in table and "held-back" in table and "annotator models use news@1" in table
    # Nothing left half-made beside it, and the project still suggests with the stock pipeline.
    assert [p.name for p in models.models_dir().iterdir()] == ["news"]
    assert models.chosen_model(trainable) is None


def test_preannotate_with_the_model_records_its_name_and_version(trainable):
    train(trainable, TrainingOptions(name="news", **QUICK))
    new = add_documents(trainable, [Document(text_of(20), uid="new-1"), Document(text_of(21), uid="new-2")]).added

    report = preannotating.preannotate(trainable, "news")

    assert report.origin == "news@1" and report.documents == DOCUMENTS + 2  # none had been pre-annotated
    spans = [s for doc in new for s in load_annotated(trainable, doc.id)[1]]
    origins = {layer: {s.origin for s in spans if s.layer == layer} for layer in Layer}
    assert origins[Layer.ENTITY] == {"news@1"}
    assert origins[Layer.CLAIM] == {"news@1"}  # the classifier's, not the rule's
    assert origins[Layer.STATEMENT] == {"news@1"}  # the tagger's
    claims = [s for s in spans if s.layer == Layer.CLAIM]
    assert claims and all(0.25 <= s.attributes[SCORE] <= 1 for s in claims)


def test_the_projects_chosen_model_suggests_when_none_is_named(trainable):
    result = train(trainable, TrainingOptions(name="news", use=True, **QUICK))
    assert result.used and models.chosen_model(trainable) == "news@1"
    new = add_documents(trainable, [Document(text_of(30), uid="new-3")]).added[0]

    report = preannotating.preannotate(trainable, layers={Layer.STATEMENT, Layer.CLAIM})

    assert report.origin == "news@1"
    spans = load_annotated(trainable, new.id)[1]
    assert {s.origin for s in spans if s.layer in (Layer.STATEMENT, Layer.CLAIM)} == {"news@1"}
    # A second run is the next version; the project keeps the one it chose.
    again = train(trainable, TrainingOptions(name="news", layers=frozenset({Layer.CLAIM}), **QUICK))
    assert again.model.ref == "news@2" and again.replaced == "news@1"
    assert models.chosen_model(trainable) == "news@1"
    assert again.model.meta["layers"] == ["claim"]


def test_the_held_back_part_is_fixed_by_uid():
    assert [n for n in range(DOCUMENTS) if held_back(f"train-doc-{n}", 0.25)] == sorted(HELD_BACK)
    assert not any(held_back(f"train-doc-{n}", 0.0) for n in range(DOCUMENTS))
    assert sum(held_back(f"doc-{n}", 0.2) for n in range(2000)) == pytest.approx(400, abs=60)


def test_annotated_documents_train_without_being_marked_done(project):
    fill(project, done=False)
    with pytest.raises(NothingToTrain, match="no reviewed documents: mark documents done first"):
        train(project, TrainingOptions(name="gold", **QUICK))

    result = train(project, TrainingOptions(name="gold", documents=ANNOTATED, layers=frozenset({Layer.STATEMENT}),
                                            **QUICK))

    assert result.trained == frozenset({Layer.STATEMENT}) and result.documents["train"] == {"statement": 10}


def test_a_layer_nobody_annotated_is_left_out_or_refused_when_asked_for(project):
    docs = add_documents(project, [Document(text_of(n), uid=f"train-doc-{n}") for n in range(6)]).added
    for doc in docs:  # claims only, as a ClaimBuster import has them
        claim = _at(doc.text, "Unemployment fell", "CLAIM", Layer.CLAIM)
        apply_edit(project, Edit(doc.id, after=(claim,), annotator="ana", status_after=Status.DONE))
    with pytest.raises(NothingToTrain, match="cannot train statements: no accepted or edited statement"):
        train(project, TrainingOptions(name="c", layers=frozenset({Layer.STATEMENT}), **QUICK))

    result = train(project, TrainingOptions(name="c", **QUICK))

    assert result.trained == frozenset({Layer.CLAIM})
    assert set(result.skipped) == {Layer.ENTITY, Layer.STATEMENT}
    assert "Statements not trained: no accepted or edited statement" in result.summary()


def test_bad_inputs_say_what_is_wrong(project):
    with pytest.raises(NothingToTrain, match="no reviewed documents"):
        train(project, TrainingOptions(name="x"))
    fill(project, documents=4)
    with pytest.raises(ModelError, match="cannot load the base pipeline 'no_such_pipeline'"):
        train(project, TrainingOptions(name="x", base="no_such_pipeline", **QUICK))
    with pytest.raises(AnnotatorError, match="cannot name a model"):
        train(project, TrainingOptions(name="a b/c", **QUICK))
    with pytest.raises(AnnotatorError, match="held-back share"):
        train(project, TrainingOptions(name="x", dev=1.5))
    assert not any(models.models_dir().iterdir())


def _pretend_chosen(project) -> None:
    """The project already suggests with a model of its own (a registry entry is enough: the runs below end
    before they would load it)."""
    folder = models.models_dir() / "old" / "1"
    folder.mkdir(parents=True)
    write_meta(folder, {"name": "old", "version": 1, "origin": "old@1", "layers": ["claim"]})
    models.use_model(project, "old@1")


def _nothing_left(project) -> None:
    models.sweep()
    assert sorted(p.name for p in models.models_dir().iterdir()) == ["old"]
    assert models.chosen_model(project) == "old@1"


def test_a_killed_run_leaves_no_model_and_the_chosen_one_in_use(trainable):
    _pretend_chosen(trainable)

    def kill_when_training(stage: str, done: int, total: int) -> None:
        if stage.startswith("Training"):
            for child in active_children():
                if child.name == "annotator-train":
                    os.kill(child.pid, signal.SIGKILL)

    with pytest.raises(AnnotatorError, match=r"training stopped unexpectedly \(exit code -9\); no model was saved"):
        train_elsewhere(trainable, TrainingOptions(name="news", use=True, **QUICK), progress=kill_when_training)

    _nothing_left(trainable)


def test_a_cancelled_run_leaves_no_model_and_the_chosen_one_in_use(trainable):
    _pretend_chosen(trainable)
    cancel = threading.Event()
    stages = []

    def cancel_when_training(stage: str, done: int, total: int) -> None:
        stages.append(stage)
        if stage.startswith("Training"):
            cancel.set()

    result = train_elsewhere(trainable, TrainingOptions(name="news", use=True, **QUICK),
                             progress=cancel_when_training, cancel=cancel)

    assert result.cancelled and result.model is None
    assert "Saving" not in stages
    assert "no model was saved" in result.summary()
    _nothing_left(trainable)


def test_a_run_in_its_own_process_gives_the_same_result_object(trainable):
    stages = []
    result = train_elsewhere(trainable, TrainingOptions(name="news", layers=frozenset({Layer.CLAIM}), **QUICK),
                             progress=lambda stage, done, total: stages.append(stage))

    assert result.model.ref == "news@1" and result.model.path.is_dir()
    assert result.new.origin == "news@1" and result.old.origin.startswith("en_core_web_sm")
    assert stages[0] == "Reading documents" and "Training claims (epoch 1 of 1)" in stages
    assert [p.name for p in models.models_dir().iterdir()] == ["news"]
    assert len(document_ids(trainable)) == DOCUMENTS  # the project itself is as it was
