"""Quality figures for a topic model: outliers, diversity, NPMI coherence, silhouette."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np

TOP_WORDS = 10


def topic_diversity(keyword_lists: list[list[str]]) -> float | None:
    """Share of distinct words among all topics' top words (1.0 = no word repeats)."""
    words = [w for kws in keyword_lists for w in kws[:TOP_WORDS]]
    return round(len(set(words)) / len(words), 4) if words else None


def npmi_coherence(
    keyword_lists: list[list[str]], documents: Sequence[str], tokenize: Callable[[str], list[str]]
) -> float | None:
    """Mean NPMI of top-word pairs, with document co-occurrence in the corpus itself.

    Written here because the maintained implementation (gensim) is a large dependency for
    a dozen lines of counting.
    """
    vocabulary = sorted({w for kws in keyword_lists for w in kws[:TOP_WORDS]})
    if not vocabulary or not documents:
        return None
    from scipy.sparse import csr_matrix

    # Document x top-word incidence, then every pair's co-occurrence in one sparse product:
    # counting pair by pair in Python took a minute at 50,000 paragraphs.
    column = {w: j for j, w in enumerate(vocabulary)}
    rows, cols = [], []
    for i, doc in enumerate(documents):
        for j in {column[t] for t in tokenize(doc) if t in column}:
            rows.append(i)
            cols.append(j)
    n = len(documents)
    incidence = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocabulary)))
    together = (incidence.T @ incidence).toarray() / n
    alone = np.diag(together)
    scores = []
    for kws in keyword_lists:
        for a, b in combinations(kws[:TOP_WORDS], 2):
            i, j = column[a], column[b]
            p_ab = together[i, j]
            if p_ab == 0:
                scores.append(-1.0)
            elif p_ab == 1:
                scores.append(1.0)
            else:
                scores.append(math.log(p_ab / (alone[i] * alone[j])) / -math.log(p_ab))
    return round(float(np.mean(scores)), 4) if scores else None


SILHOUETTE_SAMPLE = 5000


def silhouette(assignments: np.ndarray, embeddings: np.ndarray) -> float | None:
    """scikit-learn's ``silhouette_score(metric="cosine", sample_size, random_state=0)``, in
    numpy: the same sample and formula (tests/topics/test_metrics.py holds it to it). Why by
    hand: importing scikit-learn costs a curation-only re-run about a second of its two."""
    mask = assignments != -1
    labels = assignments[mask]
    if len(set(labels.tolist())) < 2 or len(labels) <= len(set(labels.tolist())):
        return None
    # The full score needs an n x n distance matrix (800 MB at 10,000 paragraphs): sample.
    sample = min(len(labels), SILHOUETTE_SAMPLE)
    rows = np.random.RandomState(0).permutation(len(labels))[:sample]
    vectors, labels = np.asarray(embeddings[mask][rows]), labels[rows]
    _, labels = np.unique(labels, return_inverse=True)
    if not 2 <= labels.max() + 1 <= len(labels) - 1:  # the sample holds one topic, or only singletons
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    sizes = np.bincount(labels)
    # Per paragraph, the summed distance to each topic's members.
    members = np.zeros((len(labels), len(sizes)), dtype=distances.dtype)
    members[np.arange(len(labels)), labels] = 1
    sums = (distances @ members).astype(np.float64)
    own = sums[np.arange(len(labels)), labels] / np.maximum(sizes[labels] - 1, 1)
    sums[np.arange(len(labels)), labels] = np.inf
    nearest = (sums / sizes).min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.nan_to_num((nearest - own) / np.maximum(own, nearest))
    scores[sizes[labels] == 1] = 0.0  # a topic of one paragraph in the sample counts 0
    return round(float(scores.mean()), 4)


def topic_metrics(assignments, embeddings, topics, tokenize, documents) -> dict:
    keyword_lists = [[w for w, _ in t.keywords] for t in topics]
    return {
        "n_topics": len(topics),
        "outlier_share": round(float(np.mean(assignments == -1)), 4) if len(assignments) else 0.0,
        "topic_diversity": topic_diversity(keyword_lists),
        "npmi_coherence": npmi_coherence(keyword_lists, documents, tokenize),
        "silhouette": silhouette(assignments, embeddings),
    }


def label_agreement(assignments: np.ndarray, labels: Sequence[str]) -> dict:
    """V-measure and ARI against gold labels, when the records carry them."""
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    return {
        "v_measure": round(float(v_measure_score(labels, assignments)), 4),
        "ari": round(float(adjusted_rand_score(labels, assignments)), 4),
    }


def topic_similarity(assignments: np.ndarray, embeddings: np.ndarray, topic_ids: list[int]) -> list:
    """Cosine similarity between topic centroids, measured from the corpus mean.

    Sentence embeddings share a large common direction (all e5 centroids are ~0.9 alike);
    centring on the corpus mean shows which themes are closer than average, and which farther.
    """
    if not topic_ids:
        return []
    mean = embeddings.mean(axis=0)
    centroids = np.vstack([embeddings[assignments == t].mean(axis=0) - mean for t in topic_ids])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    return np.round(centroids @ centroids.T, 4).tolist()
