"""Assemble and fit BERTopic (UMAP -> HDBSCAN -> c-TF-IDF) on embeddings computed elsewhere."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from themescope.config import TopicsConfig
from themescope.topics.labels import make_label, representative_paragraphs
from themescope.topics.metrics import topic_metrics, topic_similarity
from themescope.topics.params import TopicParams, resolve_params
from themescope.topics.tokenize import MultilingualTokenizer

# Below this many documents UMAP's spectral layout and HDBSCAN have nothing to work with.
MIN_DOCUMENTS_FOR_CLUSTERING = 5


@dataclass
class Topic:
    id: int
    label: str
    size: int
    keywords: list[tuple[str, float]]
    representative: list[int]  # row indices into the documents
    theme: str | None = None


@dataclass
class TopicResult:
    assignments: np.ndarray  # int topic per document, -1 = outlier
    probabilities: np.ndarray
    topics: list[Topic]
    coordinates: np.ndarray  # [n, 2] for the map
    metrics: dict[str, Any]
    params: dict[str, Any]
    reassigned: int = 0
    similarity: list = field(default_factory=list)  # topic x topic cosine, in ``topics`` order
    model: Any = field(default=None, repr=False)

    @property
    def outlier_share(self) -> float:
        return float(np.mean(self.assignments == -1)) if len(self.assignments) else 0.0


def exact_knn(vectors: np.ndarray, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine neighbours, handed to UMAP so it need not compile its NN-descent code."""
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=n_neighbors, metric="cosine").fit(vectors)
    distances, indices = nn.kneighbors(vectors)
    return indices, distances.astype(np.float32)


def make_umap(params: TopicParams, n_components: int, knn, min_dist: float):
    from umap import UMAP

    return UMAP(
        n_neighbors=params.n_neighbors,
        n_components=n_components,
        min_dist=min_dist,
        metric="cosine",
        random_state=params.seed,
        precomputed_knn=knn if knn is not None else (None, None, None),
        low_memory=True,
    )


def fit_topics(documents: Sequence[str], embeddings: np.ndarray, settings: TopicsConfig) -> TopicResult:
    """Fit topics; never raises for a corpus that is too small or yields 0 or 1 topic.

    UMAP's result depends on the order of its input, so the same corpus read in another file
    or record order would give other themes (BERTopic issue 2276). The documents are fitted
    in a canonical order (by text) and the results mapped back to the caller's order.
    """
    documents = list(documents)
    order = np.array(sorted(range(len(documents)), key=lambda i: (documents[i], i)), dtype=int)
    result = _fit_in_order([documents[i] for i in order], embeddings[order], settings)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    result.assignments = result.assignments[inverse]
    result.probabilities = result.probabilities[inverse]
    result.coordinates = result.coordinates[inverse]
    for topic in result.topics:
        topic.representative = [int(order[i]) for i in topic.representative]
    return result


def _fit_in_order(documents: list[str], embeddings: np.ndarray, settings: TopicsConfig) -> TopicResult:
    params = resolve_params(len(documents), settings)
    if len(documents) < MIN_DOCUMENTS_FOR_CLUSTERING:
        return _no_topics(documents, embeddings, params, "too few paragraphs to cluster")

    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN

    knn = exact_knn(embeddings, params.n_neighbors) if len(documents) < 4096 else None
    tokenizer = MultilingualTokenizer()
    model = BERTopic(
        umap_model=make_umap(params, params.n_components, knn, min_dist=0.0),
        hdbscan_model=HDBSCAN(
            min_cluster_size=params.min_topic_size,
            min_samples=params.min_samples,
            metric="euclidean",
            # "eom" merges the 7 SIB-200 categories into 2 for English (V-measure 0.24);
            # "leaf" keeps the finer themes (0.45), and nr_topics merges them on large corpora.
            cluster_selection_method="leaf",
            prediction_data=True,
        ),
        vectorizer_model=_vectorizer(tokenizer, len(documents)),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=settings.top_n_words,
        nr_topics=None,  # reduced below: BERTopic counts the outlier topic in nr_topics
        calculate_probabilities=False,
        # "english" (the default) strips every non-ASCII character before c-TF-IDF.
        language="multilingual",
        verbose=False,
    )
    # BERTopic sets its logger to WARNING in __init__ and then warns that custom assignments
    # follow (update_topics after reduce_outliers), which is our design.
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assignments, probabilities = model.fit_transform(documents, embeddings=embeddings)
    assignments = np.asarray(assignments)
    probabilities = np.zeros(len(documents)) if probabilities is None else np.asarray(probabilities, float)
    merged = _reduce_topics(model, documents, assignments, params.nr_topics)
    if merged is not assignments:
        assignments, probabilities = merged, np.asarray(model.probabilities_, float)
    outliers_before = float(np.mean(assignments == -1))

    reassigned = 0
    n_topics = len(set(assignments.tolist()) - {-1})
    if settings.reduce_outliers and n_topics >= 1 and outliers_before > settings.max_outlier_share:
        new = _reduce_outliers(model, documents, assignments, embeddings, settings)
        reassigned = int(np.sum(new != assignments))
        probabilities = np.where(new != assignments, 0.0, probabilities)
        assignments = new
        # Keywords must describe the topics as they are now (BERTopic issue 1785).
        model.update_topics(
            documents,
            topics=assignments.tolist(),
            vectorizer_model=_vectorizer(tokenizer, len(documents)),
            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
            top_n_words=settings.top_n_words,
        )

    coordinates = _layout(embeddings, params, knn)
    topics = _collect_topics(model, assignments, embeddings)
    metrics = topic_metrics(assignments, embeddings, topics, tokenizer, documents)
    metrics["outlier_share_before_reduction"] = round(outliers_before, 4)
    return TopicResult(
        assignments=assignments,
        probabilities=probabilities,
        topics=topics,
        coordinates=coordinates,
        metrics=metrics,
        params=params.as_dict(),
        reassigned=reassigned,
        similarity=topic_similarity(assignments, embeddings, [t.id for t in topics]),
        model=model,
    )


def _vectorizer(tokenizer: MultilingualTokenizer, n_documents: int):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        tokenizer=tokenizer,
        lowercase=False,
        token_pattern=None,
        min_df=1 if n_documents < 1000 else 2,
        max_features=None if n_documents < 10000 else 100_000,
    )


def _reduce_topics(model, documents, assignments: np.ndarray, nr_topics) -> np.ndarray:
    """Merge topics down to ``nr_topics`` real topics (outliers not counted), if there are more."""
    n_topics = len(set(assignments.tolist()) - {-1})
    if nr_topics is None or n_topics <= 1:
        return assignments
    if nr_topics != "auto":
        if n_topics <= nr_topics:
            return assignments
        # BERTopic's nr_topics includes the outlier topic when there is one.
        nr_topics = nr_topics + int(bool((assignments == -1).any()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.reduce_topics(documents, nr_topics=nr_topics)
    return np.asarray(model.topics_)


def _reduce_outliers(model, documents, assignments, embeddings, settings) -> np.ndarray:
    """Reassign just enough outliers, most similar first, to reach ``max_outlier_share``.

    BERTopic's "embeddings" strategy takes a similarity threshold; we pick the threshold
    that leaves at most max_outlier_share of the paragraphs as outliers.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    outlier_rows = np.flatnonzero(assignments == -1)
    # The same similarities BERTopic's "embeddings" strategy computes; row 0 of
    # topic_embeddings_ is the outlier topic, which exists whenever we get here.
    topic_vectors = model.topic_embeddings_[1:]
    best = cosine_similarity(embeddings[outlier_rows], topic_vectors).max(axis=1)
    allowed = int(np.floor(settings.max_outlier_share * len(documents)))
    to_move = len(outlier_rows) - allowed
    if to_move <= 0:
        return assignments
    threshold = float(np.sort(best)[::-1][to_move - 1]) - 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = model.reduce_outliers(
            documents,
            assignments.tolist(),
            strategy="embeddings",
            embeddings=embeddings,
            threshold=threshold,
        )
    return np.asarray(new)


def _layout(embeddings: np.ndarray, params: TopicParams, knn) -> np.ndarray:
    """2-D map of the paragraphs; reuses the neighbour graph, so it costs little after the fit."""
    if len(embeddings) < MIN_DOCUMENTS_FOR_CLUSTERING:
        return _pca_2d(embeddings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coords = make_umap(params, 2, knn, min_dist=0.1).fit_transform(embeddings)
    return np.asarray(coords, dtype=np.float32)


def _pca_2d(embeddings: np.ndarray) -> np.ndarray:
    centered = embeddings - embeddings.mean(axis=0)
    if len(embeddings) < 2:
        return np.zeros((len(embeddings), 2), dtype=np.float32)
    _, _, vt = np.linalg.svd(centered, full_matrices=False)
    coords = centered @ vt[:2].T
    return np.pad(coords, ((0, 0), (0, 2 - coords.shape[1]))).astype(np.float32)


def _collect_topics(model, assignments: np.ndarray, embeddings: np.ndarray) -> list[Topic]:
    topics = []
    for topic_id in sorted(set(assignments.tolist()) - {-1}):
        rows = np.flatnonzero(assignments == topic_id)
        words = [(w, float(s)) for w, s in (model.get_topic(topic_id) or []) if w and s > 0]
        topics.append(
            Topic(
                id=int(topic_id),
                label="",
                size=len(rows),
                keywords=words,
                representative=representative_paragraphs(rows, embeddings),
            )
        )
    for topic in topics:
        others = [t.keywords for t in topics if t.id != topic.id]
        topic.label = make_label(topic.keywords, others, topic.id)
    return topics


def _no_topics(documents, embeddings, params: TopicParams, reason: str) -> TopicResult:
    n = len(documents)
    return TopicResult(
        assignments=np.full(n, -1),
        probabilities=np.zeros(n),
        topics=[],
        coordinates=_pca_2d(embeddings) if n else np.zeros((0, 2), np.float32),
        metrics={"note": reason, "n_topics": 0, "outlier_share": 1.0 if n else 0.0},
        params=params.as_dict(),
    )
