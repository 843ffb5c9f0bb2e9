"""Remove each language's mean vector so paragraphs group by meaning, not by language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import normalize

# A language's own mean is estimated from at least this many paragraphs.
_MIN_COUNT = 5
# Centering pays when the languages beside the main one hold at least this share.
_MIN_OTHER_SHARE = 0.05


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
    centered = vectors.astype(np.float32, copy=True)
    overall = vectors.mean(axis=0) if len(vectors) else None
    for lang in np.unique(langs):
        rows = langs == lang
        mean = vectors[rows].mean(axis=0) if rows.sum() >= _MIN_COUNT else overall
        centered[rows] -= mean
    return normalize(centered)
