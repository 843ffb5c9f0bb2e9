"""How a topic is described to the reader: its keywords (c-TF-IDF's candidates, reranked by
the word vectors), representative paragraphs and label, and the warnings for topics no
keyword describes. Shared by represent, curate and the broad themes."""

from __future__ import annotations

import re

import numpy as np

from themescope.topics.labels import (
    fuse_rankings,
    make_label,
    representative_paragraphs,
    rerank_keywords,
    topic_direction,
)
from themescope.topics.result import Topic
from themescope.topics.words import WordVectors


def keyword_notes(topics: list[Topic], indistinct: set[int]) -> list[str]:
    """Warnings naming the topics without keywords, and those no word distinguishes (their
    words occur in the same proportions as in the whole corpus): one line for each kind."""

    def named(ids: list[int]) -> str:
        return f"topic {ids[0]}" if len(ids) == 1 else "topics " + ", ".join(map(str, ids))

    notes = []
    empty = [t.id for t in topics if not t.keywords]
    if empty:
        notes.append(
            f"{named(empty)}: no keywords: the paragraphs hold no word a keyword can be "
            "(only stopwords, numbers, symbols or punctuation)"
        )
    alike = [t.id for t in topics if t.keywords and t.id in indistinct]
    if alike:
        notes.append(
            f"{named(alike)}: no word distinguishes {'it' if len(alike) == 1 else 'them'} from the "
            "corpus as a whole (the same words in the same proportions); keywords are the most frequent words"
        )
    return notes


def is_keyword_note(note: str) -> bool:
    """A warning ``keyword_notes`` wrote (the curate stage writes them again for its topics)."""
    return re.match(r"topics? -?\d+(, -?\d+)*: no (keywords|word distinguishes)", note) is not None


def describe_topics(
    candidates: dict[int, list[tuple[str, float]]],
    assignments: np.ndarray,
    embeddings: np.ndarray,
    themes: dict,
    top_n_words: int,
    word_vectors: WordVectors | None = None,
) -> list[Topic]:
    """Each topic's keywords (c-TF-IDF's ``candidates`` reranked by the word vectors, when
    there are any), representative paragraphs and label."""
    aboutness: dict[int, dict[str, float]] = {}  # per topic: what orders its label's words
    candidates = dict(candidates)
    if word_vectors is not None and len(word_vectors.words):
        corpus_mean = embeddings.mean(axis=0)
        for topic_id, words in candidates.items():
            direction = topic_direction(np.flatnonzero(assignments == topic_id), embeddings, corpus_mean)
            vectors, known = word_vectors.lookup([w for w, _ in words])
            about = rerank_keywords(words, vectors, direction, known)
            aboutness[topic_id] = dict(about)
            candidates[topic_id] = fuse_rankings(words, about)
    topics = []
    for topic_id in sorted(candidates):
        rows = np.flatnonzero(assignments == topic_id)
        topics.append(
            Topic(
                id=int(topic_id),
                label="",
                size=len(rows),
                keywords=candidates[topic_id][:top_n_words],
                representative=representative_paragraphs(rows, embeddings),
                guided_theme=themes.get(int(topic_id)),
            )
        )

    def label_order(topic: Topic) -> list[tuple[str, float]]:
        about = aboutness.get(topic.id)
        return sorted(topic.keywords, key=lambda kw: -about.get(kw[0], 0.0)) if about else topic.keywords

    for topic in topics:
        others = [label_order(t) for t in topics if t.id != topic.id]
        topic.label = topic.guided_theme or make_label(label_order(topic), others, topic.id)
    return topics
