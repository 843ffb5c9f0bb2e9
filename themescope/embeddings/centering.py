"""Corpus-level corrections of the vectors before clustering: each language's mean removed so
paragraphs group by meaning, not by language; and, for a model made of several members
(``ensemble``), each member's corpus mean removed so every member weighs the same."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import normalize

# A language's own mean is estimated from at least this many paragraphs.
_MIN_COUNT = 5
# Centering pays when the languages beside the main one hold at least this share.
_MIN_OTHER_SHARE = 0.05
# A row whose centered vector is shorter than this (a paragraph equal to its group's mean)
# keeps its uncentered direction instead of becoming a zero vector.
_MIN_NORM = 1e-4


def should_center(languages: Sequence[str], setting: bool | str) -> bool:
    """ "auto": when two or more languages have enough paragraphs and the languages beside the
    largest hold a real share (a page with 2 English quotes is not a mixed corpus; 205
    languages with 0.5 % each are)."""
    if isinstance(setting, bool):
        return setting
    counts = Counter(lang for lang in languages if lang != "und")
    total = sum(counts.values()) or 1
    present = sorted((c for c in counts.values() if c >= _MIN_COUNT), reverse=True)
    return len(present) >= 2 and sum(present[1:]) / total >= _MIN_OTHER_SHARE


def center_by_language(vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
    """Each language minus its own mean; a language with too few paragraphs to estimate one
    (a quoted sentence) minus the corpus mean instead of being zeroed out."""
    langs = np.asarray(languages)
    vectors = np.asarray(vectors, dtype=np.float32)
    centered = vectors.copy()
    overall = order_free_mean(vectors) if len(vectors) else None
    for lang in np.unique(langs):
        rows = langs == lang
        mean = order_free_mean(vectors[rows]) if rows.sum() >= _MIN_COUNT else overall
        centered[rows] -= mean
    lengths = np.zeros(len(centered), np.float32)
    for i in range(0, len(centered), _CHUNK_ROWS):  # block by block (see ``normalize``)
        lengths[i : i + _CHUNK_ROWS] = np.linalg.norm(centered[i : i + _CHUNK_ROWS], axis=1)
    short = lengths < _MIN_NORM
    centered[short] = vectors[short]
    return normalize(centered, out=centered)


_CHUNK_ROWS = 8192


def order_free_mean(vectors: np.ndarray) -> np.ndarray:
    """The column mean, the same to the last bit whatever the order of the rows.

    A float sum depends on the order of its terms: the same records read in another order
    gave means 1e-7 apart, UMAP turned that into other themes (BERTopic issue 2276). Integer
    sums do not depend on order, so the rows are summed in fixed point (2^-40 of the largest
    value or finer, far below float32's precision), chunk by chunk to bound memory.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = float(np.abs(vectors).max()) if vectors.size else 0.0
    if not len(vectors) or peak == 0.0 or not np.isfinite(peak):
        return vectors.mean(axis=0)
    # Each term at most 2^62 / n in magnitude, so neither a chunk's nor the total can overflow.
    scale = 2.0 ** (62 - math.ceil(math.log2(peak * len(vectors))) - 1)
    total = np.zeros(vectors.shape[1], dtype=np.int64)
    for start in range(0, len(vectors), _CHUNK_ROWS):
        chunk = vectors[start : start + _CHUNK_ROWS].astype(np.float64) * scale
        total += np.rint(chunk).astype(np.int64).sum(axis=0)
    return (total.astype(np.float64) / scale / len(vectors)).astype(np.float32)


def center_vectors(
    vectors: np.ndarray, blocks: Sequence[int], languages: Sequence[str] | None = None
) -> np.ndarray:
    """With ``languages``: each language minus its mean (``center_by_language``). Without, for
    a model made of several members (``blocks``, their widths): each member's block minus its
    corpus mean and of unit length, so every member is an equal share of each cosine
    similarity. A single model without language centering is left as it is.

    Why members need it: e5's cosine similarities on a corpus sit in a narrow band (SIB-200
    English: mean 0.76, sd 0.03) while USE's spread wide (0.04, sd 0.08), so in the plain
    concatenation USE decides nearly every neighbour. Balancing the two lifted SIB-200
    V-measure by 0.025 on average over six languages (bench/topics_quality.py). On a mixed
    corpus it does not: after centering by language, e5's block still carries some of the
    language, and giving it an equal share lowered V-measure from 0.495 to 0.466 there, so
    language centering treats the vector as one, which leaves USE (aligned across languages)
    the larger share.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if languages is not None:
        return center_by_language(vectors, languages)
    if len(blocks) < 2 or len(vectors) < _MIN_COUNT:
        return vectors
    # Guided themes are not centered this way: a theme's description is not a paragraph of
    # the corpus, and removing the paragraphs' mean from it made unrelated themes ("Cooking",
    # "Football") score up to 1.9 on the sample against at most 1.25 uncentered.
    everyone = ["corpus"] * len(vectors)
    edges = np.cumsum([0, *blocks])
    parts = [center_by_language(vectors[:, a:b], everyone) for a, b in itertools.pairwise(edges)]
    return normalize(np.hstack(parts))
