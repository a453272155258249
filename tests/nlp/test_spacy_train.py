"""Our DocBin export is real training data: ``spacy train`` runs on it and saves a pipeline."""

import subprocess
import sys

import spacy

from annotator.core.model import Document, Span
from annotator.core.records import ExportOptions, Record
from annotator.nlp import docbin

# A tiny CPU pipeline: no vectors, a narrow tok2vec, a few steps. Written out in full so that
# `spacy train` needs nothing from the network or from `spacy init config`.
CONFIG = """
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "en"
pipeline = ["tok2vec", "ner"]
batch_size = 64
disabled = []
before_creation = null
after_creation = null
after_pipeline_creation = null
tokenizer = {"@tokenizers": "spacy.Tokenizer.v1"}
vectors = {"@vectors": "spacy.Vectors.v1"}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 16
attrs = ["NORM", "SHAPE"]
rows = [500, 100]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 16
depth = 1
window_size = 1
maxout_pieces = 2

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100
incorrect_spans_key = null
scorer = {"@scorers": "spacy.ner_scorer.v1"}

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 16
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 16
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.1
accumulate_gradient = 1
patience = 100
max_epochs = 0
max_steps = 20
eval_frequency = 10
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null
size = 200

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = ${paths.vectors}
init_tok2vec = ${paths.init_tok2vec}
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""

PEOPLE = ["Sergey Lavrov", "Elena Varga", "Ana Costa", "John Smith", "Mei Chen", "Omar Haddad"]
PLACES = ["Moscow", "Riverton", "Lisbon", "Nairobi", "Oslo", "Lima"]


def records() -> list[Record]:
    found = []
    for n in range(12):
        person, place = PEOPLE[n % len(PEOPLE)], PLACES[(n * 5) % len(PLACES)]
        text = f"On day {n}, {person} flew to {place}.\nThe talks in {place} went on."
        spans = [Span(text.index(person), text.index(person) + len(person), "PERSON")]
        start = text.index(place)
        spans.append(Span(start, start + len(place), "GPE"))
        start = text.rindex(place)
        spans.append(Span(start, start + len(place), "GPE"))
        found.append(Record(Document(text, title=f"Day {n}", uid=f"day-{n}"), spans, []))
    return found


def test_spacy_trains_an_ner_pipeline_on_the_exported_train_and_dev_files(tmp_path):
    data = tmp_path / "data"
    problems = docbin.write(records(), data, ExportOptions(dev_fraction=0.3, seed=1))
    assert problems == []  # both parts have documents, every entity is on token edges
    config = tmp_path / "config.cfg"
    config.write_text(CONFIG, encoding="utf-8")
    output = tmp_path / "model"

    command = [
        sys.executable, "-m", "spacy", "train", str(config), "--output", str(output),
        "--paths.train", str(data / "train.spacy"), "--paths.dev", str(data / "dev.spacy"),
        "--training.max_steps", "5", "--training.eval_frequency", "5",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (output / "model-last" / "config.cfg").is_file()
    nlp = spacy.load(output / "model-last")
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "GPE"}
