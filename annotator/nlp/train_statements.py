"""Training the statement tagger: one label per token, SOURCE, CUE, CONTENT or O, as PolNeAR annotates.

The gold of a statement is its content span, its ``cue`` attribute and the span its speaker link leads to,
which is the source when it stands in the content's sentence or the next one to it. A speaker further away
is who a pronoun stands for ("he said" with the speaker linked to "John Smith" three sentences back): its
words are no source in this sentence, and "he" is left unlabelled there. Tokens of statements nobody reviewed
are missing; a rejected statement's are O like every other token of a reviewed document.

The tagger has a small tok2vec of its own (en_core_web_sm's shared one feeds the frozen tagger and parser).
Besides the words it reads the base pipeline's tags and dependency labels, and the rules' own output
(trained.statement_features: the module docstring of annotator.nlp.trained says why and what it gains).
Settings measured on PolNeAR (756 articles, 4 epochs, about a minute each on this machine).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from annotator.nlp.model_meta import STATEMENT_TAGGER
from annotator.nlp.trained import CONTENT, CUE, O, SOURCE, STATEMENT_LABELS, token_labels
from annotator.nlp.training import Gold, keep_averages

WIDTH = 96
CONFIG = {
    "model": {
        "@architectures": "spacy.Tagger.v2",
        "nO": None,
        "normalize": False,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": WIDTH,
                # ENT_KB_ID carries the rules' label of the token (trained.write_features).
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG", "DEP", "ENT_KB_ID"],
                "rows": [5000, 1000, 2500, 500, 200, 200, 50],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": WIDTH,
                "depth": 4,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        },
    },
}


class StatementTrainer:
    EPOCHS = 4  # the dev score levels off after 3 to 4 passes over 756 articles
    LEARN_RATE = 0.001
    BATCH = 4  # pieces of text per update: about 2,000 words
    DROPOUT = 0.1
    component = STATEMENT_TAGGER

    def __init__(self, nlp: Language, labels: list[str]) -> None:
        self.nlp = nlp

    def prepare(self, get_examples) -> None:
        if STATEMENT_TAGGER in self.nlp.component_names:  # a base trained here before: this one starts afresh
            self.nlp.remove_pipe(STATEMENT_TAGGER)
        tagger = self.nlp.add_pipe("tagger", name=STATEMENT_TAGGER, config=CONFIG, last=True)
        tagger.initialize(get_examples, nlp=self.nlp, labels=list(STATEMENT_LABELS))

    def examples(self, doc: Doc, gold: Gold) -> list[Example]:
        if gold.statements is None or not len(doc):
            return []
        sentences = [sentence.start_char for sentence in doc.sents]
        ranges = []
        for statement in gold.statements:
            ranges.append((CONTENT, *statement.content))
            if statement.cue is not None:
                ranges.append((CUE, *statement.cue))
            if statement.source is not None and _near(sentences, statement.source, statement.content):
                ranges.append((SOURCE, *statement.source))
        labels = token_labels(doc, ranges)
        unknown = token_labels(doc, [(CONTENT, s, e) for s, e in gold.statement_unknown])
        # An O under an unreviewed suggestion is not known to be O: missing ("").
        tags = ["" if label == O and was == CONTENT else label for label, was in zip(labels, unknown, strict=True)]
        reference = Doc(self.nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
                        tags=tags)
        return [Example(doc, reference)]

    def update(self, batch: list[Example], optimizer, losses: dict) -> None:
        self.nlp.get_pipe(STATEMENT_TAGGER).update(batch, sgd=optimizer, drop=self.DROPOUT, losses=losses)

    def finish(self, optimizer) -> None:
        keep_averages(self.nlp.get_pipe(STATEMENT_TAGGER).model, optimizer.averages)


def _near(sentences: list[int], source: tuple[int, int], content: tuple[int, int]) -> bool:
    """Whether the source stands in the content's sentences or the one before or after them."""
    def number(offset: int) -> int:
        return bisect_right(sentences, offset) - 1

    first, last = number(content[0]), number(max(content[1] - 1, content[0]))
    where = number(source[0])
    return first - 1 <= where <= last + 1
