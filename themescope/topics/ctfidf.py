"""BERTopic's class-based TF-IDF keywords, computed without importing BERTopic.

Why by hand: the curate stage is all a curation-only re-run computes, and importing BERTopic
and scikit-learn (2.6 s on this project's 2-core machines) would be most of it, against a
target of 2 s for the whole re-run on the sample. This is what BERTopic's fit computes with
the settings ``topics.model`` gives it: scikit-learn's CountVectorizer (``analyzed_tokens``,
``min_df``, ``max_features``) over each topic's paragraphs joined, then ClassTfidfTransformer
with BM25 idf, square-rooted frequencies and seed words; tests/topics/test_ctfidf.py holds it
to BERTopic's own classes (with and without BM25) on the sample and on a repetitive corpus.

BM25's idf, ``log(1 + (A - f + 0.5) / (f + 0.5))`` with A the average tokens per topic and f
a word's count in the corpus, is negative for every word counted more often than A: BERTopic
puts A where Lucene's BM25 has the number of documents, which no document frequency exceeds,
but a word's count can (on the sample, in its 11 topics, none does: A is 225, 美國 counts
136). On a repetitive corpus, or one cut into many small topics, it is every word, and every
topic was left without keywords: a topic whose words all score zero or below takes the
scores of BERTopic's classic idf, ``log(1 + A / f)``, positive for every word (``with_fallback``,
used by ``topics/ctfidf_bertopic.py`` too); topics with a positive word keep BM25's scores.
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
    return class_keywords_and_indistinct(documents, assignments, n_words, seed_words)[0]


def class_keywords_and_indistinct(
    documents: list[str], assignments: np.ndarray, n_words: int, seed_words: list[str] | None = None
) -> tuple[dict[int, list[tuple[str, float]]], set[int]]:
    """``class_keywords``, and the topic ids no word distinguishes (``indistinct_rows``)."""
    classes = sorted(set(np.asarray(assignments).tolist()))
    members: dict[int, list[str]] = {c: [] for c in classes}
    for document, topic in zip(documents, np.asarray(assignments).tolist(), strict=True):
        members[topic].append(document)
    # Each topic's paragraphs joined, an empty one as BERTopic's placeholder, as its fit does.
    counters = [Counter(analyzed_tokens(" ".join(members[c]) or "emptydoc")) for c in classes]
    words = np.array(sorted(set().union(*counters)), dtype=object)
    if not len(words):
        return {c: [] for c in classes}, set()
    column = {w: j for j, w in enumerate(words)}
    rows, cols, values = [], [], []
    for i, counter in enumerate(counters):
        rows += [i] * len(counter)
        cols += [column[w] for w in counter]
        values += list(counter.values())
    counts = sp.csr_matrix((values, (rows, cols)), shape=(len(classes), len(words)), dtype=np.int64)
    counts, words = _limit_features(counts, words, *vectorizer_limits(len(documents)))
    scores = _ctfidf(counts, words, seed_words)
    indistinct = {classes[i] for i in np.flatnonzero(indistinct_rows(counts))}
    out = {}
    for i, topic in enumerate(classes):
        row = scores.getrow(i)
        order = np.lexsort((row.indices, -row.data))[:n_words]  # best first, ties by word
        out[topic] = [(str(words[row.indices[k]]), float(row.data[k])) for k in order if row.data[k] > 0]
    return out, indistinct


def without_positive(scores: sp.csr_matrix) -> np.ndarray:
    """Per row of a c-TF-IDF matrix: holds words, none with a positive score (BM25's idf is
    negative for all of them). These rows take the classic idf's scores."""
    scores = sp.csr_matrix(scores)
    has_words = np.diff(scores.indptr) > 0
    positive = np.zeros(scores.shape[0], dtype=bool)
    positive[np.repeat(np.arange(scores.shape[0]), np.diff(scores.indptr))[scores.data > 0]] = True
    return has_words & ~positive


def indistinct_rows(counts: sp.csr_matrix) -> np.ndarray:
    """Per row of a topic x word count matrix: holds words, and no word takes a larger share
    of the row than of the whole corpus. As both shares sum to 1, that is a topic whose words
    occur in exactly the corpus's proportions (e.g. one sentence repeated, cut into several
    topics): no word distinguishes it. Compared in integers, so equal means equal."""
    counts = sp.csr_matrix(counts, dtype=np.int64)
    row_sums = np.asarray(counts.sum(axis=1)).ravel()
    column_sums = np.asarray(counts.sum(axis=0)).ravel()
    total = int(row_sums.sum())
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    # count / row_sum > column_sum / total, without division: in int64 while both products
    # stay below 2**62 (up to 2**31 tokens), in Python's integers beyond.
    kind = np.int64 if total < 2**31 else object
    in_row = counts.data.astype(kind) * total
    in_corpus = column_sums[counts.indices].astype(kind) * row_sums[rows].astype(kind)
    above = in_row > in_corpus
    distinct = np.zeros(counts.shape[0], dtype=bool)
    distinct[rows[np.asarray(above, dtype=bool)]] = True
    return (row_sums > 0) & ~distinct


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


def with_fallback(bm25: sp.csr_matrix, classic) -> sp.csr_matrix:
    """``bm25``'s scores, but the rows ``without_positive`` from ``classic`` (a matrix, or a
    function giving it: computed only when a row needs it)."""
    fallback = without_positive(bm25)
    if not fallback.any():
        return bm25
    classic = classic() if callable(classic) else classic
    mixed = sp.diags((~fallback).astype(np.float64)) @ bm25 + sp.diags(fallback.astype(np.float64)) @ classic
    mixed = sp.csr_matrix(mixed)
    mixed.eliminate_zeros()
    return mixed


def _ctfidf(counts: sp.csr_matrix, words: np.ndarray, seed_words: list[str] | None) -> sp.csr_matrix:
    """ClassTfidfTransformer(bm25_weighting=True, reduce_frequent_words=True, seed_words), and
    for a topic without a positive score that of ClassTfidfTransformer(bm25_weighting=False)."""
    word_frequency = np.asarray(counts.sum(axis=0)).ravel().astype(np.float64)
    average = int(np.asarray(counts.sum(axis=1)).mean())
    idf = np.log(1 + ((average - word_frequency + 0.5) / (word_frequency + 0.5)))
    classic_idf = np.log((average / word_frequency) + 1)
    if seed_words:
        seeds = set(seed_words)
        multiplier = np.array([SEED_MULTIPLIER if w in seeds else 1 for w in words])
        idf, classic_idf = idf * multiplier, classic_idf * multiplier
    frequencies = counts.astype(np.float64)
    row_sums = np.asarray(np.abs(frequencies).sum(axis=1)).ravel()
    row_sums[row_sums == 0] = 1.0
    frequencies = sp.diags(1.0 / row_sums) @ frequencies  # l1 per topic, as sklearn's normalize
    frequencies = sp.csr_matrix(frequencies)
    frequencies.data = np.sqrt(frequencies.data)
    return with_fallback(
        sp.csr_matrix(frequencies @ sp.diags(idf)), lambda: sp.csr_matrix(frequencies @ sp.diags(classic_idf))
    )
