"""The order a fit works in: the paragraphs sorted by text, so the same corpus read in another
file or record order gives the same topics; and the way back to the caller's order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from themescope.curation import ResolvedStep
from themescope.topics.result import TopicResult


def canonical_order(documents: Sequence[str]) -> np.ndarray:
    """UMAP's result depends on input order, so the same corpus read in another file or
    record order would give other themes (BERTopic issue 2276): fit in text order instead."""
    return np.array(sorted(range(len(documents)), key=lambda i: (documents[i], i)), dtype=int)


def in_fit_order(steps: list[ResolvedStep], order: np.ndarray) -> list[ResolvedStep]:
    """Steps whose rows count in the caller's order, counted in the fit's (text) order."""
    position = np.empty_like(order)
    position[order] = np.arange(len(order))

    def moved(row):
        return row if row is None or row == "outliers" else int(position[row])

    return [replace(s, rows=[int(position[r]) for r in s.rows], to=moved(s.to)) for s in steps]


def in_caller_order(result: TopicResult, order: np.ndarray, layout: np.ndarray) -> TopicResult:
    """``result`` (fitted in ``order``) with rows and representative rows in the caller's order,
    and the map's ``layout`` put in the same order."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    result.assignments = result.assignments[inverse]
    result.probabilities = result.probabilities[inverse]
    result.coordinates = layout[inverse]
    for topic in [*result.topics, *result.broad_themes]:
        topic.representative = [int(order[i]) for i in topic.representative]
    return result
