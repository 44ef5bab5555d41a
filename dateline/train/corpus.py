"""A training corpus whose predicted documents carry the pinned model's tags and dependency labels.

spaCy's ``spacy.Corpus.v1`` builds each example's predicted side from the text alone, so a tok2vec that embeds
``TAG`` or ``DEP`` would see nothing in training and the parse at run time. This reader copies the labels the
conversion stored (``dateline train quotes`` runs the pinned pipeline on every document) onto the predicted
side, the way ``dateline_quotes`` copies them from the document it reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.training.corpus import Corpus
from spacy.util import registry

from dateline.nlp.quotes.learned import copy_syntax


class AnnotatedCorpus(Corpus):
    def _make_example(self, nlp: Language, reference: Doc, gold_preproc: bool) -> Example:
        predicted = Doc(nlp.vocab, words=[t.text for t in reference], spaces=[bool(t.whitespace_) for t in reference])
        copy_syntax(reference, 0, len(reference), predicted)
        return Example(predicted, reference)


@registry.readers("dateline.AnnotatedCorpus.v1")
def annotated_corpus(path: Path, max_length: int = 0, limit: int = 0, shuffle: bool = False) -> Any:
    return AnnotatedCorpus(path, max_length=max_length, limit=limit, shuffle=shuffle)
