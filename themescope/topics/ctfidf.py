"""BERTopic's class-based TF-IDF keywords, computed without importing BERTopic.

Why by hand: the curate stage is all a curation-only re-run computes, and importing BERTopic
and scikit-learn (2.6 s on this project's 2-core machines) would be most of it, against a
target of 2 s for the whole re-run on the sample. This is what BERTopic's fit computes with
the settings ``topics.model`` gives it: scikit-learn's CountVectorizer (``analyzed_tokens``,
``min_df``, ``max_features``) over each topic's paragraphs joined, then ClassTfidfTransformer
with BM25 idf, square-rooted frequencies and seed words; tests/topics/test_ctfidf.py holds it
to BERTopic's own classes on the sample.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp

from themescope.topics.tokenize import analyzed_tokens

SEED_MULTIPLIER = 2.0  # ClassTfidfTransformer's default


def vectorizer_limits(n_documents: int) -> tuple[int, int | None]:
    """(min_df, max_features) of the CountVectorizer c-TF-IDF counts words with."""
    return (1 if n_documents < 1000 else 2), (None if n_documents < 10000 else 100_000)


def class_keywords(
    documents: list[str], assignments: np.ndarray, n_words: int, seed_words: list[str] | None = None
) -> dict[int, list[tuple[str, float]]]:
    """Per topic id (outliers included, as BERTopic counts them): its ``n_words`` words of
    highest c-TF-IDF, best first, those of a positive score only."""
    classes = sorted(set(np.asarray(assignments).tolist()))
    members: dict[int, list[str]] = {c: [] for c in classes}
    for document, topic in zip(documents, np.asarray(assignments).tolist(), strict=True):
        members[topic].append(document)
    # Each topic's paragraphs joined, an empty one as BERTopic's placeholder, as its fit does.
    counters = [Counter(analyzed_tokens(" ".join(members[c]) or "emptydoc")) for c in classes]
    words = np.array(sorted(set().union(*counters)), dtype=object)
    if not len(words):
        return {c: [] for c in classes}
    column = {w: j for j, w in enumerate(words)}
    rows, cols, values = [], [], []
    for i, counter in enumerate(counters):
        rows += [i] * len(counter)
        cols += [column[w] for w in counter]
        values += list(counter.values())
    counts = sp.csr_matrix((values, (rows, cols)), shape=(len(classes), len(words)), dtype=np.int64)
    counts, words = _limit_features(counts, words, *vectorizer_limits(len(documents)))
    scores = _ctfidf(counts, words, seed_words)
    out = {}
    for i, topic in enumerate(classes):
        row = scores.getrow(i)
        order = np.lexsort((row.indices, -row.data))[:n_words]  # best first, ties by word
        out[topic] = [(str(words[row.indices[k]]), float(row.data[k])) for k in order if row.data[k] > 0]
    return out


def _limit_features(counts: sp.csr_matrix, words: np.ndarray, min_df: int, limit: int | None):
    """scikit-learn's CountVectorizer._limit_features, for min_df and max_features."""
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    mask = document_frequency >= min_df
    if limit is not None and mask.sum() > limit:
        term_frequency = np.asarray(counts.sum(axis=0)).ravel()
        keep = (-term_frequency[mask]).argsort()[:limit]
        limited = np.zeros(len(mask), dtype=bool)
        limited[np.where(mask)[0][keep]] = True
        mask = limited
    return counts[:, np.flatnonzero(mask)], words[mask]


def _ctfidf(counts: sp.csr_matrix, words: np.ndarray, seed_words: list[str] | None) -> sp.csr_matrix:
    """ClassTfidfTransformer(bm25_weighting=True, reduce_frequent_words=True, seed_words)."""
    word_frequency = np.asarray(counts.sum(axis=0)).ravel().astype(np.float64)
    average = int(np.asarray(counts.sum(axis=1)).mean())
    idf = np.log(1 + ((average - word_frequency + 0.5) / (word_frequency + 0.5)))
    if seed_words:
        seeds = set(seed_words)
        idf = idf * np.array([SEED_MULTIPLIER if w in seeds else 1 for w in words])
    frequencies = counts.astype(np.float64)
    row_sums = np.asarray(np.abs(frequencies).sum(axis=1)).ravel()
    row_sums[row_sums == 0] = 1.0
    frequencies = sp.diags(1.0 / row_sums) @ frequencies  # l1 per topic, as sklearn's normalize
    frequencies = sp.csr_matrix(frequencies)
    frequencies.data = np.sqrt(frequencies.data)
    return sp.csr_matrix(frequencies @ sp.diags(idf))
