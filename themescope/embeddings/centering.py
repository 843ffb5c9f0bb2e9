"""Remove each language's mean vector so paragraphs group by meaning, not by language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import normalize

# A language counts as "present" when it has at least this many paragraphs and this share.
_MIN_COUNT = 5
_MIN_SHARE = 0.05


def should_center(languages: Sequence[str], setting: bool | str) -> bool:
    if isinstance(setting, bool):
        return setting
    counts = Counter(lang for lang in languages if lang != "und")
    total = sum(counts.values()) or 1
    present = [c for c in counts.values() if c >= _MIN_COUNT and c / total >= _MIN_SHARE]
    return len(present) >= 2


def center_by_language(vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
    langs = np.asarray(languages)
    centered = vectors.astype(np.float32, copy=True)
    for lang in np.unique(langs):
        rows = langs == lang
        centered[rows] -= centered[rows].mean(axis=0)
    return normalize(centered)
