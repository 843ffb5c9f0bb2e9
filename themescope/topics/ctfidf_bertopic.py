"""BERTopic's ClassTfidfTransformer with BM25's idf, falling back to its classic idf for a
topic BM25 leaves without a positive word (``topics/ctfidf.py`` says why that happens).

A subclass of the library's transformer rather than a hand-written one: BERTopic fits and
transforms it in fit, reduce_topics and update_topics, and saves its settings and idf with
the model. Both idfs are BERTopic's own; only the choice per topic is ours.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from bertopic.vectorizers import ClassTfidfTransformer

from themescope.topics.ctfidf import indistinct_rows, with_fallback


class FallbackClassTfidf(ClassTfidfTransformer):
    """``ClassTfidfTransformer``; with ``bm25_weighting``, a row (topic) whose words all score
    zero or below gets the classic idf's scores instead. ``indistinct_``, per row of the
    matrix it was fitted on (BERTopic's topics, outliers included, in id order): the topics
    no word distinguishes (``ctfidf.indistinct_rows``). Only ``fit`` sees the topics' counts:
    BERTopic also transforms single paragraphs with it (its representative documents). A model saved
    with it loads as a plain ClassTfidfTransformer with BM25's idf; the topics' words are
    saved with the model as they were found."""

    def fit(self, X: sp.csr_matrix, multiplier: np.ndarray | None = None):
        super().fit(X, multiplier=multiplier)
        self.indistinct_ = indistinct_rows(sp.csr_matrix(X))
        self._classic = ClassTfidfTransformer(
            bm25_weighting=False,
            reduce_frequent_words=self.reduce_frequent_words,
            seed_words=self.seed_words,
            seed_multiplier=self.seed_multiplier,
        ).fit(X, multiplier=multiplier)
        return self

    def transform(self, X: sp.csr_matrix):
        counts = sp.csr_matrix(X)
        # The parent normalises its input in place: each transform gets its own copy.
        scores = super().transform(counts.astype(np.float64))
        if not self.bm25_weighting:
            return scores
        classic = self._classic
        return with_fallback(sp.csr_matrix(scores), lambda: classic.transform(counts.astype(np.float64)))
