"""Resolve the "auto" topic parameters from the corpus size.

BERTopic's fixed defaults (min_topic_size=10, n_neighbors=15) are tuned for thousands of
documents; on a page of 70 paragraphs they leave half the page as outliers. These rules
scale both with the square root of n, clamped to ranges that work from 50 to 150,000.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from themescope.config import TopicsConfig
from themescope.topics.groups import GROUPED_ABOVE


@dataclass(frozen=True)
class TopicParams:
    min_topic_size: int
    min_samples: int
    n_neighbors: int
    n_components: int
    nr_topics: int | None
    seed: int

    def as_dict(self) -> dict:
        return asdict(self)


def resolve_params(n_documents: int, settings: TopicsConfig) -> TopicParams:
    n = max(n_documents, 1)
    if settings.min_topic_size == "auto" and n > GROUPED_ABOVE:
        # A grouped corpus gets about 1.5 √n topics (groups.grouped_topic_count), of 0.7 √n
        # paragraphs on average: √n / 2 would turn a third of them into outliers.
        min_topic_size = int(min(500, round(math.sqrt(n) / 6)))
    elif settings.min_topic_size == "auto":
        min_topic_size = int(min(500, max(3, round(math.sqrt(n) / 2))))
    else:
        min_topic_size = settings.min_topic_size
    if settings.n_neighbors == "auto":
        n_neighbors = int(min(30, max(5, round(math.sqrt(n)))))
    else:
        n_neighbors = settings.n_neighbors
    n_neighbors = max(2, min(n_neighbors, n - 1))
    # "auto" keeps the count the clustering sets (cluster.topic_count: 3 ln n, between sqrt(n)/2
    # and n/min_topic_size; 1.5 sqrt(n) when grouped). BERTopic's own "auto" merge above 2,000 paragraphs was
    # dropped: it re-clusters the topics' c-TF-IDF vectors with HDBSCAN, and a 1 % change in the
    # neighbour graph turned SIB-200's 10,000 sentences from 29 topics (V 0.119) into 14 (V
    # 0.066); without it, 48 topics and V 0.129 (bench/scale.py).
    nr_topics = settings.nr_topics
    if nr_topics == "auto":
        nr_topics = None
    return TopicParams(
        min_topic_size=min_topic_size,
        # Small min_samples keeps HDBSCAN from declaring sparse regions noise; measured on
        # SIB-200 (bench/topics_quality.py), 5 beats min_topic_size // 2 for every language.
        min_samples=min(5, max(1, min_topic_size // 2)),
        n_neighbors=n_neighbors,
        n_components=max(2, min(settings.n_components, n - 2)),
        nr_topics=nr_topics,
        seed=settings.seed,
    )
